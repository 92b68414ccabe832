package dev.rampart.store.mapping;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.core.event.Kind;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The store's field mapping: each field's {@link FieldType}, inferred from the kind of its first
 * value unless the defaults or the user's overrides name it, and persisted ({@code mapping.json})
 * so that it never changes under an index. Thread-safe; lookups of known fields do not lock.
 */
public final class Mapping {
  /** Fields whose values are prose or command lines: searched by word, not only whole. */
  public static final Set<String> DEFAULT_TEXT =
      Set.of(
          "message",
          "error.message",
          "process.command_line",
          "process.parent.command_line",
          "CommandLine",
          "ParentCommandLine",
          "ScriptBlockText",
          "powershell.file.script_block_text",
          "url.original",
          "user_agent.original");

  /** Fields kept in the stored event only: the original line duplicates the parsed fields. */
  public static final Set<String> DEFAULT_NONE = Set.of("event.original");

  private final Path file;
  private final Map<String, FieldType> overrides;
  private final ConcurrentHashMap<String, FieldType> types = new ConcurrentHashMap<>();
  private volatile boolean dirty;

  private Mapping(Path file, Map<String, FieldType> overrides) {
    this.file = file;
    this.overrides = Map.copyOf(overrides);
  }

  /**
   * Loads the mapping at {@code file} (absent: empty). {@code overrides} decide the type of fields
   * not yet mapped; a field already mapped keeps its type (see {@link #conflicts}).
   */
  public static Mapping open(Path file, Map<String, FieldType> overrides) throws IOException {
    Mapping m = new Mapping(file, overrides);
    if (file != null && Files.exists(file)) {
      @SuppressWarnings("unchecked")
      Map<String, String> stored = new ObjectMapper().readValue(file.toFile(), Map.class);
      stored.forEach(
          (k, v) -> {
            FieldType t = FieldType.parse(v);
            if (t == null) {
              throw new IllegalStateException(file + ": field " + k + " has unknown type " + v);
            }
            m.types.put(k, t);
          });
    }
    return m;
  }

  /** An in-memory mapping (tests, the reference search). */
  public static Mapping inMemory(Map<String, FieldType> overrides) {
    return new Mapping(null, overrides);
  }

  /** Overrides that disagree with the type a field already has: field → "has X, asked Y". */
  public Map<String, String> conflicts() {
    Map<String, String> out = new TreeMap<>();
    overrides.forEach(
        (f, t) -> {
          FieldType has = types.get(f);
          if (has != null && has != t) {
            out.put(f, "has " + has.label() + ", asked " + t.label());
          }
        });
    return out;
  }

  /** The type of {@code field}, or null when no event has had it yet. */
  public FieldType get(String field) {
    if (field.equals(StoreFields.TIMESTAMP)) {
      return FieldType.DATE;
    }
    if (field.equals(StoreFields.ID)) {
      return FieldType.LONG;
    }
    return types.get(field);
  }

  /** The type of {@code field}, mapping it now from {@code kind} when it is new. */
  public FieldType resolve(String field, Kind kind) {
    FieldType t = types.get(field);
    if (t != null) {
      return t;
    }
    return types.computeIfAbsent(
        field,
        f -> {
          dirty = true;
          return infer(f, kind);
        });
  }

  /** What a new field's type would be for a value of {@code kind}. */
  public FieldType infer(String field, Kind kind) {
    FieldType o = overrides.get(field);
    if (o != null) {
      return o;
    }
    if (DEFAULT_NONE.contains(field)) {
      return FieldType.NONE;
    }
    if (DEFAULT_TEXT.contains(field)) {
      return FieldType.TEXT;
    }
    return switch (kind) {
      case LONG -> FieldType.LONG;
      case DOUBLE -> FieldType.DOUBLE;
      case TIMESTAMP -> FieldType.DATE;
      case IP -> FieldType.IP;
      case BOOLEAN -> FieldType.BOOLEAN;
      default -> FieldType.KEYWORD;
    };
  }

  /** Every mapped field and its type, sorted by name. */
  public Map<String, FieldType> fields() {
    return new TreeMap<>(types);
  }

  /** Writes the mapping when it changed (before a commit, so no index knows a field it lacks). */
  public synchronized void save() throws IOException {
    if (file == null || !dirty) {
      return;
    }
    dirty = false;
    Map<String, String> out = new TreeMap<>();
    types.forEach((k, v) -> out.put(k, v.label()));
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.createDirectories(file.getParent());
    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), out);
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
