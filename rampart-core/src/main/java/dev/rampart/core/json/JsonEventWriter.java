package dev.rampart.core.json;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.rampart.core.event.Event;
import dev.rampart.core.event.EventSource;
import dev.rampart.core.event.FieldNames;
import dev.rampart.core.event.Timestamps;
import dev.rampart.core.event.Value;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Writes events as NDJSON: one object per line, {@code @timestamp} first, then the {@link
 * EventSource} as {@code rampart.*} keys, then the fields in order under their flattened names.
 * {@link JsonEventReader} reads this back into an equal event.
 *
 * <p>Field names are pre-encoded once per field id, so writing costs the values only.
 */
public final class JsonEventWriter implements Closeable, Flushable {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final SerializedString TIMESTAMP =
      new SerializedString(JsonEventReader.TIMESTAMP_KEY);
  private static final SerializedString INPUT = new SerializedString(JsonEventReader.SOURCE_INPUT);
  private static final SerializedString HOST = new SerializedString(JsonEventReader.SOURCE_HOST);
  private static final SerializedString LOG_TYPE =
      new SerializedString(JsonEventReader.SOURCE_LOG_TYPE);

  /**
   * Writer options.
   *
   * @param reuseRepeatedStrings encode a string value once and copy the bytes when the very same
   *     String instance is written again (generators reuse constant values, parsers do not): a
   *     large saving for {@code rampart simulate}, a small cost for parsed data
   */
  public record Options(boolean reuseRepeatedStrings) {
    public static final Options DEFAULTS = new Options(false);
  }

  private static final int VALUE_CACHE = 1 << 14;

  private final JsonGenerator gen;
  private final StringBuilder scratch = new StringBuilder(32);
  private SerializedString[] names = new SerializedString[256];
  private final String[] valueKeys;
  private final SerializedString[] values;
  private long written;

  public JsonEventWriter(OutputStream out) throws IOException {
    this(out, Options.DEFAULTS);
  }

  public JsonEventWriter(OutputStream out, Options options) throws IOException {
    this.gen = FACTORY.createGenerator(out, JsonEncoding.UTF8);
    gen.setRootValueSeparator(new SerializedString("\n"));
    valueKeys = options.reuseRepeatedStrings() ? new String[VALUE_CACHE] : null;
    values = options.reuseRepeatedStrings() ? new SerializedString[VALUE_CACHE] : null;
  }

  /** Writes one event as one line. */
  public void write(Event e) throws IOException {
    gen.writeStartObject();
    if (e.hasTimestamp()) {
      gen.writeFieldName(TIMESTAMP);
      scratch.setLength(0);
      Timestamps.appendTo(scratch, e.timestamp());
      gen.writeString(scratch.toString());
    }
    EventSource s = e.source();
    if (!s.isUnknown()) {
      writeIfSet(INPUT, s.input());
      writeIfSet(HOST, s.host());
      writeIfSet(LOG_TYPE, s.logType());
    }
    writeFields(e);
    gen.writeEndObject();
    written++;
  }

  /** Events written so far. */
  public long written() {
    return written;
  }

  private void writeIfSet(SerializedString key, String value) throws IOException {
    if (!value.isEmpty()) {
      gen.writeFieldName(key);
      gen.writeString(value);
    }
  }

  private void writeFields(Event e) throws IOException {
    for (int i = 0; i < e.size(); i++) {
      gen.writeFieldName(name(e.nameId(i)));
      switch (e.kind(i)) {
        case NULL -> gen.writeNull();
        case STRING -> writeString(e.string(i));
        case LONG -> gen.writeNumber(e.longValue(i));
        case DOUBLE -> writeDouble(e.doubleValue(i));
        case BOOLEAN -> gen.writeBoolean(e.booleanValue(i));
        case IP -> gen.writeString(e.ipValue(i).toString());
        case TIMESTAMP -> gen.writeString(Timestamps.format(e.timestampValue(i)));
        case BIG_NUMBER -> gen.writeNumber(e.string(i));
        case BINARY -> gen.writeString(Base64.getEncoder().encodeToString(e.binaryValue(i)));
        case LIST -> writeList(e.listValue(i));
        case OBJECT -> {
          gen.writeStartObject();
          writeFields(e.objectValue(i));
          gen.writeEndObject();
        }
      }
    }
  }

  @SuppressWarnings("ReferenceEquality") // the cache is keyed by instance on purpose
  private void writeString(String s) throws IOException {
    if (valueKeys == null || s.length() < 6) {
      gen.writeString(s);
      return;
    }
    int slot = System.identityHashCode(s) & (VALUE_CACHE - 1);
    if (valueKeys[slot] == s) {
      SerializedString enc = values[slot];
      if (enc == null) {
        // Second sighting of this instance: worth encoding once.
        enc = new SerializedString(s);
        values[slot] = enc;
      }
      gen.writeString(enc);
      return;
    }
    valueKeys[slot] = s;
    values[slot] = null;
    gen.writeString(s);
  }

  private void writeDouble(double d) throws IOException {
    if (Double.isFinite(d)) {
      gen.writeNumber(d);
    } else {
      gen.writeString(Double.toString(d)); // JSON has no NaN or Infinity
    }
  }

  private void writeList(List<Value> items) throws IOException {
    gen.writeStartArray();
    for (Value v : items) {
      writeValue(v);
    }
    gen.writeEndArray();
  }

  private void writeValue(Value v) throws IOException {
    switch (v) {
      case Value.Null n -> gen.writeNull();
      case Value.Str s -> gen.writeString(s.value());
      case Value.Int64 l -> gen.writeNumber(l.value());
      case Value.Float64 d -> writeDouble(d.value());
      case Value.Bool b -> gen.writeBoolean(b.value());
      case Value.Ip ip -> gen.writeString(ip.asText());
      case Value.Time t -> gen.writeString(t.asText());
      case Value.BigNumber b -> gen.writeNumber(b.text());
      case Value.Binary b -> gen.writeString(b.asText());
      case Value.ListValue l -> writeList(l.items());
      case Value.Obj o -> {
        gen.writeStartObject();
        writeFields(o.fields());
        gen.writeEndObject();
      }
    }
  }

  private SerializedString name(int id) {
    if (id >= names.length) {
      names = Arrays.copyOf(names, Math.max(id + 1, names.length * 2));
    }
    SerializedString s = names[id];
    if (s == null) {
      s = new SerializedString(FieldNames.name(id));
      names[id] = s;
    }
    return s;
  }

  @Override
  public void flush() throws IOException {
    gen.flush();
  }

  /** Flushes and closes the generator and the underlying stream. */
  @Override
  public void close() throws IOException {
    if (written > 0) {
      gen.writeRaw('\n');
    }
    gen.close();
  }
}
