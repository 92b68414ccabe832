package dev.rampart.core.event;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The process-wide symbol table of field names.
 *
 * <p>Every field name (a dotted path such as {@code process.command_line} or a native name such as
 * {@code CommandLine}) is interned once and afterwards handled as a small int. Events store ids,
 * not strings, so comparing or hashing a field name on the hot path is an int comparison, and the
 * detection engine can index per-field structures by id.
 *
 * <p>Names are case-sensitive and stored exactly as the source wrote them: {@code Image} and {@code
 * image} are two fields. Sigma matches field names as written, and Windows event names are stable,
 * so folding case here would only hide schema mistakes. Lookups that want case-insensitive
 * resolution use {@link #lookupIgnoreCase(String)}, which is never used on the hot path.
 *
 * <p>Ids are dense, start at 0, and are never reused. The table only grows; the number of distinct
 * field names in real logs is in the thousands, so this is bounded in practice, and {@link
 * #MAX_IDS} bounds it against hostile input.
 */
public final class FieldNames {
  /** Upper bound on distinct field names, against inputs that invent a new key per record. */
  public static final int MAX_IDS = 1 << 20;

  private static final ConcurrentHashMap<String, Integer> IDS = new ConcurrentHashMap<>(1024);
  private static volatile String[] names = new String[1024];
  private static int count;

  private FieldNames() {}

  /** Returns the id of {@code name}, interning it on first use. */
  public static int id(String name) {
    Integer id = IDS.get(name);
    if (id != null) {
      return id;
    }
    return intern(name);
  }

  /** Returns the id of {@code name} or -1 when no event has used that name yet. */
  public static int lookup(String name) {
    Integer id = IDS.get(name);
    return id == null ? -1 : id;
  }

  /** Returns the first known id whose name equals {@code name} ignoring case, or -1. */
  public static int lookupIgnoreCase(String name) {
    int exact = lookup(name);
    if (exact >= 0) {
      return exact;
    }
    String[] snapshot = names;
    int n = size();
    for (int i = 0; i < n; i++) {
      if (snapshot[i] != null && snapshot[i].equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  /** Returns the name for an id handed out by {@link #id(String)}. */
  public static String name(int id) {
    return names[id];
  }

  /** Returns the number of interned names. */
  public static synchronized int size() {
    return count;
  }

  /**
   * Returns the id of {@code parent + "." + child}. Readers call this when flattening nested
   * objects; they cache the result, so the concatenation happens once per distinct path.
   */
  public static int child(int parent, String child) {
    return parent < 0 ? id(child) : id(names[parent] + "." + child);
  }

  private static synchronized int intern(String name) {
    Integer existing = IDS.get(name);
    if (existing != null) {
      return existing;
    }
    if (count >= MAX_IDS) {
      throw new IllegalStateException(
          "more than " + MAX_IDS + " distinct field names; the input invents keys per record");
    }
    int id = count;
    String[] current = names;
    if (id == current.length) {
      current = Arrays.copyOf(current, current.length * 2);
    }
    current[id] = name;
    // Publish the array before the id: a reader that finds the id in IDS sees the name.
    names = current;
    count = id + 1;
    IDS.put(name, id);
    return id;
  }
}
