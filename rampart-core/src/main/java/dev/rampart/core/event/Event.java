package dev.rampart.core.event;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One security event: a UTC timestamp with nanosecond precision, its {@link EventSource}, and an
 * ordered list of typed fields.
 *
 * <p>Fields are stored column-wise in parallel arrays (field id, kind, a primitive slot, an object
 * slot), so reading an event allocates nothing per field beyond the strings themselves, and the
 * same instance is refilled for every record of a file: readers hand out one mutable {@code Event}
 * and overwrite it on the next record. Keep an event beyond the callback with {@link #copy()}.
 *
 * <p>Field names are {@link FieldNames} ids. Nested objects arrive flattened to dotted names
 * ({@code process.parent.name}); lists stay lists ({@link Kind#LIST}), and objects inside lists are
 * {@link Kind#OBJECT} values with their own fields. Field order is the source's order, which
 * writers keep, and equality is order-sensitive.
 *
 * <p>Not thread-safe; one event belongs to one thread at a time.
 */
// Kinds are stored as their ordinal in a byte array: one byte per field instead of a reference.
@SuppressWarnings("EnumOrdinal")
public final class Event {
  private static final Kind[] KINDS = Kind.values();
  private static final int INITIAL = 16;

  private long timestamp = Timestamps.UNSET;
  private EventSource source = EventSource.UNKNOWN;
  private int size;
  private int[] names;
  private byte[] kinds;
  private long[] prims;
  private Object[] refs;
  // One bit per (field id mod 64) of the fields present: most lookups are for absent fields, and
  // this answers them without scanning. Maintained on add; recomputed on remove and rename.
  private long present;

  public Event() {
    this(INITIAL);
  }

  public Event(int capacity) {
    int c = Math.max(capacity, 1);
    names = new int[c];
    kinds = new byte[c];
    prims = new long[c];
    refs = new Object[c];
  }

  /** Empties this event for reuse, keeping its arrays. */
  public Event clear() {
    Arrays.fill(refs, 0, size, null);
    size = 0;
    present = 0;
    timestamp = Timestamps.UNSET;
    source = EventSource.UNKNOWN;
    return this;
  }

  /** Epoch nanoseconds in UTC, or {@link Timestamps#UNSET}. */
  public long timestamp() {
    return timestamp;
  }

  public boolean hasTimestamp() {
    return timestamp != Timestamps.UNSET;
  }

  public Event timestamp(long epochNanos) {
    this.timestamp = epochNanos;
    return this;
  }

  public EventSource source() {
    return source;
  }

  public Event source(EventSource s) {
    this.source = Objects.requireNonNull(s);
    return this;
  }

  /** Number of fields. */
  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** The {@link FieldNames} id of field {@code i}. */
  public int nameId(int i) {
    return names[i];
  }

  public String name(int i) {
    return FieldNames.name(names[i]);
  }

  public Kind kind(int i) {
    return KINDS[kinds[i]];
  }

  /** The string of a {@link Kind#STRING} or {@link Kind#BIG_NUMBER} field. */
  public String string(int i) {
    return (String) refs[i];
  }

  public long longValue(int i) {
    return prims[i];
  }

  public double doubleValue(int i) {
    return Double.longBitsToDouble(prims[i]);
  }

  public boolean booleanValue(int i) {
    return prims[i] != 0;
  }

  /** Epoch nanos of a {@link Kind#TIMESTAMP} field. */
  public long timestampValue(int i) {
    return prims[i];
  }

  public IpAddress ipValue(int i) {
    return (IpAddress) refs[i];
  }

  public byte[] binaryValue(int i) {
    return (byte[]) refs[i];
  }

  @SuppressWarnings("unchecked")
  public List<Value> listValue(int i) {
    return (List<Value>) refs[i];
  }

  public Event objectValue(int i) {
    return (Event) refs[i];
  }

  /** The value of field {@code i} as text, as a log reader would write it. */
  public String text(int i) {
    return switch (kind(i)) {
      case STRING, BIG_NUMBER -> (String) refs[i];
      case LONG -> Long.toString(prims[i]);
      case DOUBLE -> Numbers.doubleText(doubleValue(i));
      case BOOLEAN -> prims[i] != 0 ? "true" : "false";
      case NULL -> "null";
      default -> value(i).asText();
    };
  }

  /** Materializes field {@code i} as an immutable {@link Value} (allocates; not for hot paths). */
  public Value value(int i) {
    return switch (kind(i)) {
      case NULL -> Value.Null.INSTANCE;
      case STRING -> new Value.Str((String) refs[i]);
      case LONG -> new Value.Int64(prims[i]);
      case DOUBLE -> new Value.Float64(doubleValue(i));
      case BOOLEAN -> Value.Bool.of(prims[i] != 0);
      case IP -> new Value.Ip((IpAddress) refs[i]);
      case TIMESTAMP -> new Value.Time(prims[i]);
      case BIG_NUMBER -> new Value.BigNumber((String) refs[i]);
      case BINARY -> new Value.Binary(((byte[]) refs[i]).clone());
      case LIST -> new Value.ListValue(listValue(i));
      case OBJECT -> new Value.Obj(((Event) refs[i]).copy());
    };
  }

  /** Index of the first field with this id, or -1. */
  public int indexOf(int nameId) {
    if ((present & (1L << nameId)) == 0) {
      return -1;
    }
    int[] n = names;
    for (int i = 0; i < size; i++) {
      if (n[i] == nameId) {
        return i;
      }
    }
    return -1;
  }

  /** Index of the first field with this name, or -1. */
  public int indexOf(String name) {
    int id = FieldNames.lookup(name);
    return id < 0 ? -1 : indexOf(id);
  }

  public boolean has(String name) {
    return indexOf(name) >= 0;
  }

  /** The value of the named field, or null when the event lacks it. */
  public Value get(String name) {
    int i = indexOf(name);
    return i < 0 ? null : value(i);
  }

  /** The named field as text, or null when the event lacks it. */
  public String getText(String name) {
    int i = indexOf(name);
    return i < 0 ? null : text(i);
  }

  // ---- appending (no duplicate check: readers decide what a duplicate means) ----

  private int slot(int nameId, Kind kind) {
    if (size == names.length) {
      grow();
    }
    int i = size++;
    names[i] = nameId;
    present |= 1L << nameId;
    kinds[i] = (byte) kind.ordinal();
    return i;
  }

  private void grow() {
    int c = names.length * 2;
    names = Arrays.copyOf(names, c);
    kinds = Arrays.copyOf(kinds, c);
    prims = Arrays.copyOf(prims, c);
    refs = Arrays.copyOf(refs, c);
  }

  public Event addNull(int nameId) {
    int i = slot(nameId, Kind.NULL);
    refs[i] = null;
    return this;
  }

  public Event addString(int nameId, String value) {
    int i = slot(nameId, Kind.STRING);
    refs[i] = Objects.requireNonNull(value);
    return this;
  }

  public Event addLong(int nameId, long value) {
    int i = slot(nameId, Kind.LONG);
    prims[i] = value;
    refs[i] = null;
    return this;
  }

  public Event addDouble(int nameId, double value) {
    int i = slot(nameId, Kind.DOUBLE);
    prims[i] = Double.doubleToRawLongBits(value);
    refs[i] = null;
    return this;
  }

  public Event addBoolean(int nameId, boolean value) {
    int i = slot(nameId, Kind.BOOLEAN);
    prims[i] = value ? 1 : 0;
    refs[i] = null;
    return this;
  }

  public Event addIp(int nameId, IpAddress value) {
    int i = slot(nameId, Kind.IP);
    refs[i] = Objects.requireNonNull(value);
    return this;
  }

  public Event addTimestamp(int nameId, long epochNanos) {
    int i = slot(nameId, Kind.TIMESTAMP);
    prims[i] = epochNanos;
    refs[i] = null;
    return this;
  }

  public Event addBigNumber(int nameId, String exactText) {
    int i = slot(nameId, Kind.BIG_NUMBER);
    refs[i] = Objects.requireNonNull(exactText);
    return this;
  }

  public Event addBinary(int nameId, byte[] value) {
    int i = slot(nameId, Kind.BINARY);
    refs[i] = Objects.requireNonNull(value);
    return this;
  }

  /** Adds a list; the event keeps an immutable copy. */
  public Event addList(int nameId, List<Value> items) {
    int i = slot(nameId, Kind.LIST);
    refs[i] = List.copyOf(items);
    return this;
  }

  /** Adds an object value (only meaningful inside lists; see the class comment). */
  public Event addObject(int nameId, Event fields) {
    int i = slot(nameId, Kind.OBJECT);
    refs[i] = Objects.requireNonNull(fields);
    return this;
  }

  /** Appends any materialized value. */
  public Event add(int nameId, Value v) {
    return switch (v) {
      case Value.Null n -> addNull(nameId);
      case Value.Str s -> addString(nameId, s.value());
      case Value.Int64 l -> addLong(nameId, l.value());
      case Value.Float64 d -> addDouble(nameId, d.value());
      case Value.Bool b -> addBoolean(nameId, b.value());
      case Value.Ip ip -> addIp(nameId, ip.value());
      case Value.Time t -> addTimestamp(nameId, t.epochNanos());
      case Value.BigNumber b -> addBigNumber(nameId, b.text());
      case Value.Binary b -> addBinary(nameId, b.bytes().clone());
      case Value.ListValue l -> addList(nameId, l.items());
      case Value.Obj o -> addObject(nameId, o.fields().copy());
    };
  }

  public Event add(String name, Value v) {
    return add(FieldNames.id(name), v);
  }

  public Event addString(String name, String value) {
    return addString(FieldNames.id(name), value);
  }

  public Event addLong(String name, long value) {
    return addLong(FieldNames.id(name), value);
  }

  // ---- replacing and removing ----

  /** Sets the field to a value, replacing the first field of that name or appending. */
  public Event put(int nameId, Value v) {
    int i = indexOf(nameId);
    add(nameId, v);
    if (i >= 0) {
      moveLastTo(i);
    }
    return this;
  }

  /** Sets a long field, replacing the first field of that name or appending. */
  public Event putLong(int nameId, long value) {
    int i = indexOf(nameId);
    addLong(nameId, value);
    if (i >= 0) {
      moveLastTo(i);
    }
    return this;
  }

  private void moveLastTo(int i) {
    int last = size - 1;
    kinds[i] = kinds[last];
    prims[i] = prims[last];
    refs[i] = refs[last];
    refs[last] = null;
    size = last;
    recomputePresent();
  }

  public Event put(String name, Value v) {
    return put(FieldNames.id(name), v);
  }

  /** Sets a string field, replacing the first field of that name or appending. */
  public Event putString(int nameId, String value) {
    int i = indexOf(nameId);
    addString(nameId, value);
    if (i >= 0) {
      moveLastTo(i);
    }
    return this;
  }

  /** Sets a string field only when the event does not have it yet; returns whether it did. */
  public boolean putStringIfAbsent(int nameId, String value) {
    if (value == null || indexOf(nameId) >= 0) {
      return false;
    }
    addString(nameId, value);
    return true;
  }

  /** Copies field {@code i} of {@code from} to the end of this event under another name. */
  public Event addCopy(int nameId, Event from, int i) {
    int j = slot(nameId, from.kind(i));
    prims[j] = from.prims[i];
    refs[j] = from.refs[i];
    return this;
  }

  /** Renames field {@code i} in place, keeping its position and value. */
  public Event rename(int i, int newNameId) {
    names[i] = newNameId;
    recomputePresent();
    return this;
  }

  /** Removes field {@code i}, keeping the order of the rest. */
  public Event remove(int i) {
    Objects.checkIndex(i, size);
    int tail = size - i - 1;
    System.arraycopy(names, i + 1, names, i, tail);
    System.arraycopy(kinds, i + 1, kinds, i, tail);
    System.arraycopy(prims, i + 1, prims, i, tail);
    System.arraycopy(refs, i + 1, refs, i, tail);
    size--;
    refs[size] = null;
    recomputePresent();
    return this;
  }

  private void recomputePresent() {
    long p = 0;
    for (int i = 0; i < size; i++) {
      p |= 1L << names[i];
    }
    present = p;
  }

  /** Removes every field with this id; returns how many. */
  public int removeAll(int nameId) {
    int removed = 0;
    for (int i = size - 1; i >= 0; i--) {
      if (names[i] == nameId) {
        remove(i);
        removed++;
      }
    }
    return removed;
  }

  /**
   * A deep-enough copy: arrays are copied; strings, lists and addresses are immutable and shared.
   */
  public Event copy() {
    Event e = new Event(Math.max(size, 1));
    e.copyFrom(this);
    return e;
  }

  /** Overwrites this event with the contents of {@code other}. */
  public Event copyFrom(Event other) {
    clear();
    while (names.length < other.size) {
      grow();
    }
    System.arraycopy(other.names, 0, names, 0, other.size);
    System.arraycopy(other.kinds, 0, kinds, 0, other.size);
    System.arraycopy(other.prims, 0, prims, 0, other.size);
    for (int i = 0; i < other.size; i++) {
      Object r = other.refs[i];
      if (r instanceof Event nested) {
        r = nested.copy();
      } else if (r instanceof byte[] b) {
        r = b.clone();
      }
      refs[i] = r;
    }
    size = other.size;
    present = other.present;
    timestamp = other.timestamp;
    source = other.source;
    return this;
  }

  /** The field names in order (allocates; for tests and tools). */
  public List<String> names() {
    List<String> out = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      out.add(name(i));
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Event e)) {
      return false;
    }
    if (e.size != size || e.timestamp != timestamp || !e.source.equals(source)) {
      return false;
    }
    for (int i = 0; i < size; i++) {
      if (names[i] != e.names[i] || kinds[i] != e.kinds[i] || !value(i).equals(e.value(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = Long.hashCode(timestamp) * 31 + source.hashCode();
    for (int i = 0; i < size; i++) {
      h = h * 31 + names[i];
      h = h * 31 + value(i).hashCode();
    }
    return h;
  }

  /** A compact debugging rendering; use the JSON writer for real output. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    if (hasTimestamp()) {
      sb.append("@timestamp=");
      Timestamps.appendTo(sb, timestamp);
    }
    for (int i = 0; i < size; i++) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(name(i)).append('=').append(text(i));
    }
    return sb.append('}').toString();
  }
}
