package dev.rampart.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamReadException;
import dev.rampart.core.event.Event;
import dev.rampart.core.event.EventSource;
import dev.rampart.core.event.FieldNames;
import dev.rampart.core.event.IpAddress;
import dev.rampart.core.event.Timestamps;
import dev.rampart.core.event.Value;
import dev.rampart.core.io.Problem;
import dev.rampart.core.io.ProblemSink;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads events from JSON: NDJSON, a JSON array of objects, a single object, or several concatenated
 * (pretty-printed) objects, in any mix of line endings, with or without a UTF-8 BOM.
 *
 * <p>How it stays fast: the reader keeps its own byte buffer and gives Jackson's streaming parser a
 * window on it, one record at a time; nested objects are flattened into the reused {@link Event}
 * with field ids from a per-reader {@link PathCache}; no tree, no databind, no per-field objects
 * beyond the strings.
 *
 * <p>How it stays safe: when a record is bad (syntax error, truncated, too deep, too large, invalid
 * UTF-8 under {@link ReadOptions.InvalidUtf8#REJECT}) a small byte scanner finds where the record
 * ends, the problem goes to the {@link ProblemSink} with the line and byte offset, and reading goes
 * on with the next record. A record that stops in the middle (a truncated NDJSON line) ends where
 * the next line starts a new object, so one broken line never swallows the rest of a file.
 *
 * <p>Special keys: a top-level {@code @timestamp} becomes {@link Event#timestamp()}, and {@code
 * rampart.input}, {@code rampart.host} and {@code rampart.log_type} become the {@link EventSource}:
 * exactly what {@link JsonEventWriter} writes, so write → read is lossless.
 */
public final class JsonEventReader implements Closeable {
  static final String TIMESTAMP_KEY = "@timestamp";
  static final String SOURCE_INPUT = "rampart.input";
  static final String SOURCE_HOST = "rampart.host";
  static final String SOURCE_LOG_TYPE = "rampart.log_type";

  private static final int ID_INPUT = FieldNames.id(SOURCE_INPUT);
  private static final int ID_HOST = FieldNames.id(SOURCE_HOST);
  private static final int ID_LOG_TYPE = FieldNames.id(SOURCE_LOG_TYPE);
  private static final int ID_TIMESTAMP = FieldNames.id(TIMESTAMP_KEY);

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(2000)
                  .maxNumberLength(10_000)
                  .maxStringLength(Integer.MAX_VALUE)
                  .maxNameLength(1 << 20)
                  .build())
          .build();

  private final InputStream in;
  private final String name;
  private final ReadOptions options;
  private final ProblemSink problems;
  private final PathCache paths = new PathCache();
  private final boolean[] ipField;

  private byte[] buf;
  private int pos;
  private int end;
  private long base; // absolute offset of buf[0]
  private long line = 1; // line number at pos
  private long lineStart; // absolute offset where that line starts
  private boolean eof;
  private boolean arrayMode;
  private boolean recordsWrapper; // the array is the value of a {"Records": [...]} wrapper
  private boolean sawValue;
  // Until a record spans lines, the input is taken for NDJSON: a bad record ends at its line.
  private boolean multiLineRecords;

  // Duplicate-key detection: seen[id] == stamp means the id occurred in the current record.
  private int[] seen = new int[4096];
  private int stamp;

  private final List<Problem> pending = new ArrayList<>();
  private EventSource lastSource = EventSource.UNKNOWN;
  private String sourceInput;
  private String sourceHost;
  private String sourceLogType;

  private long records;
  private long errors;
  private long warnings;
  private long recordLine;
  private long recordOffset;
  private JsonParser live; // parses the buffered bytes from liveAbs on, record after record
  private long liveAbs;
  private long liveLine;
  private long warnAbs; // where the parser that may warn started, for warning locations
  private long warnLine;

  public JsonEventReader(InputStream in, String name, ReadOptions options, ProblemSink problems) {
    this(in, name, options, problems, 1 << 20);
  }

  /**
   * Reads events from bytes already in memory (an HTTP body, a decompressed block) without copying
   * them. The array must not change while the reader uses it.
   */
  public JsonEventReader(byte[] data, String name, ReadOptions options, ProblemSink problems) {
    this(InputStream.nullInputStream(), name, options, problems, 1);
    this.buf = data;
    this.end = data.length;
    this.eof = true;
  }

  /**
   * Starts over on another in-memory document (as the byte-array constructor does), keeping the
   * field-path cache and the duplicate-key table: a parser that receives one JSON message at a time
   * reads them all with one reader instead of building a reader, and warming its caches, per
   * message. Only for readers made over a byte array.
   */
  public void reset(byte[] data) {
    closeLive();
    pending.clear();
    buf = data;
    pos = 0;
    end = data.length;
    base = 0;
    line = 1;
    lineStart = 0;
    eof = true;
    arrayMode = false;
    recordsWrapper = false;
    sawValue = false;
    multiLineRecords = false;
    lastSource = EventSource.UNKNOWN;
    sourceInput = null;
    sourceHost = null;
    sourceLogType = null;
    records = 0;
    errors = 0;
    warnings = 0;
    recordLine = 0;
    recordOffset = 0;
    liveAbs = 0;
    liveLine = 0;
    warnAbs = 0;
    warnLine = 0;
  }

  /** With a chosen initial buffer size; tests use tiny buffers to exercise every refill path. */
  JsonEventReader(
      InputStream in, String name, ReadOptions options, ProblemSink problems, int bufferSize) {
    this.buf = new byte[bufferSize];
    this.in = in;
    this.name = name;
    this.options = options;
    this.problems = problems;
    IpFields cached = lastIpFields;
    if (cached == null || cached.options() != options) {
      cached = new IpFields(options, ipFieldTable(options));
      lastIpFields = cached;
    }
    this.ipField = cached.table();
  }

  /** The IP-field table of the options last used: readers made per message reuse it. */
  private record IpFields(ReadOptions options, boolean[] table) {}

  private static volatile IpFields lastIpFields;

  private static boolean[] ipFieldTable(ReadOptions options) {
    int maxId = 0;
    int[] ipIds = options.ipFields().stream().mapToInt(FieldNames::id).toArray();
    for (int id : ipIds) {
      maxId = Math.max(maxId, id);
    }
    boolean[] table = new boolean[maxId + 1];
    for (int id : ipIds) {
      table[id] = true;
    }
    return table;
  }

  /** Number of records returned so far. */
  public long records() {
    return records;
  }

  /** Number of records skipped because of errors. */
  public long errors() {
    return errors;
  }

  /** Number of warnings (records kept with a change). */
  public long warnings() {
    return warnings;
  }

  /** 1-based line where the last returned record starts. */
  public long recordLine() {
    return recordLine;
  }

  /** Byte offset where the last returned record starts. */
  public long recordOffset() {
    return recordOffset;
  }

  /**
   * Whether the last returned record is an element of a {@code {"Records": [...]}} (or {@code
   * "records"}) document, which this reader unwraps, rather than a record of its own.
   */
  public boolean unwrapped() {
    return recordsWrapper;
  }

  /** Decompressed bytes consumed so far. */
  public long bytesRead() {
    return base + pos;
  }

  /**
   * Reads the next record into {@code into} (cleared first). Returns false at the end of input. Bad
   * records are reported and skipped, so this only throws when the input itself fails.
   */
  public boolean next(Event into) throws IOException {
    while (true) {
      if (!skipWhitespace()) {
        return false;
      }
      byte c = buf[pos];
      if (c == '[' && !sawValue && !arrayMode) {
        arrayMode = true;
        sawValue = true;
        pos++;
        continue;
      }
      if (arrayMode && c == ',') {
        pos++;
        continue;
      }
      if (arrayMode && c == ']') {
        arrayMode = false;
        pos++;
        if (recordsWrapper) {
          // the end of {"Records": [...]}: its closing brace follows
          recordsWrapper = false;
          if (skipWhitespace() && buf[pos] == '}') {
            pos++;
          }
        }
        continue;
      }
      if (c == '{' && !sawValue && !arrayMode) {
        int after = recordsArrayStart(pos);
        if (after > 0) {
          // CloudTrail's {"Records": [ ... ]}, Azure's {"records": [...]}: elements are events
          for (int i = pos; i < after; i++) {
            if (buf[i] == '\n') {
              line++;
              lineStart = base + i + 1;
            }
          }
          pos = after;
          arrayMode = true;
          recordsWrapper = true;
          sawValue = true;
          continue;
        }
      }
      sawValue = true;
      if (c != '{') {
        skipNonObject(c);
        continue;
      }
      // No read-ahead here: a record cut by the end of the buffered bytes fails with an
      // end-of-input error, and parseRecord reads more and parses it again (once per buffer).
      if (parseRecord(into)) {
        return true;
      }
    }
  }

  private static final byte[] RECORDS = "\"Records\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] AZURE_RECORDS = "\"records\"".getBytes(StandardCharsets.US_ASCII);

  /**
   * The position after the {@code [} when the buffered bytes at {@code p} begin {@code {"Records":
   * [}, as a whole CloudTrail file does, or {@code {"records": [}, as Azure Monitor's exports to
   * storage and Event Hubs do; otherwise -1.
   */
  private int recordsArrayStart(int p) {
    int i = p + 1;
    while (i < end && isSpace(buf[i])) {
      i++;
    }
    if (end - i < RECORDS.length
        || (!java.util.Arrays.equals(buf, i, i + RECORDS.length, RECORDS, 0, RECORDS.length)
            && !java.util.Arrays.equals(
                buf, i, i + RECORDS.length, AZURE_RECORDS, 0, RECORDS.length))) {
      return -1;
    }
    i += RECORDS.length;
    while (i < end && isSpace(buf[i])) {
      i++;
    }
    if (i >= end || buf[i] != ':') {
      return -1;
    }
    i++;
    while (i < end && isSpace(buf[i])) {
      i++;
    }
    return i < end && buf[i] == '[' ? i + 1 : -1;
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\n' || b == '\r' || b == '\t';
  }

  // ---- parsing one record ----

  private boolean parseRecord(Event into) throws IOException {
    long startAbs = base + pos;
    long startLine = line;
    int window = end - pos;
    pending.clear();
    if (live == null) {
      // One parser serves every record of the buffered bytes (creating one per record would cost
      // a tenth of the parse); it is dropped whenever the buffer moves or a record fails.
      live = FACTORY.createParser(buf, pos, window);
      liveAbs = startAbs;
      liveLine = startLine;
    }
    long parserAbs = liveAbs;
    long parserLine = liveLine;
    warnAbs = parserAbs;
    warnLine = parserLine;
    try {
      if (live.nextToken() != JsonToken.START_OBJECT) {
        throw new RecordException("expected an object");
      }
      readObject(live, -1, into, 1, startAbs);
      JsonLocation loc = live.currentLocation();
      long endAbs = parserAbs + loc.getByteOffset();
      if (endAbs - startAbs > options.maxRecordBytes()) {
        throw new RecordException(
            "record of "
                + (endAbs - startAbs)
                + " bytes is over the limit of "
                + options.maxRecordBytes());
      }
      finishSource(into);
      long endLine = parserLine + loc.getLineNr() - 1;
      pos = (int) (endAbs - base);
      if (endLine > line) {
        line = endLine;
        lineStart = endAbs - (loc.getColumnNr() - 1);
        multiLineRecords = true;
      }
      if (arrayMode) {
        closeLive(); // between array elements come commas the parser must not see at its root
      }
      flushWarnings();
      return accept(startAbs, startLine);
    } catch (StreamReadException | RecordException e) {
      closeLive();
      pending.clear(); // warnings of a record that is parsed again or skipped are not reported
      Frame frame = frame(); // reads on when the record goes beyond the buffered bytes
      if (frame.problem == null && !frame.oversized && frame.length > window) {
        return false; // it was only cut by the buffer: parse it again, whole
      }
      JsonLocation loc = e instanceof StreamReadException sre ? sre.getLocation() : null;
      long errLine = startLine;
      long errAbs = startAbs;
      if (loc != null && loc.getLineNr() > 0) {
        errLine = Math.max(startLine, parserLine + loc.getLineNr() - 1);
        errAbs = Math.max(startAbs, parserAbs + Math.max(0, loc.getByteOffset()));
      }
      String message =
          e instanceof StreamReadException sre ? sre.getOriginalMessage() : e.getMessage();
      if (e instanceof StreamReadException sre
          && isUtf8Problem(sre)
          && options.invalidUtf8() == ReadOptions.InvalidUtf8.REPLACE
          && frame.problem == null
          && !frame.oversized) {
        return repairUtf8(into, startAbs, startLine, errLine, errAbs, frame);
      }
      return fail(startAbs, startLine, message, loc != null, errLine, errAbs, frame);
    }
  }

  /** Parses the one object of {@code data[off, off+len)} (a repaired copy of a record). */
  private void parseCopy(byte[] data, int off, int len, Event into, long startAbs, long startLine)
      throws IOException {
    warnAbs = startAbs;
    warnLine = startLine;
    try (JsonParser p = FACTORY.createParser(data, off, len)) {
      p.nextToken();
      readObject(p, -1, into, 1, startAbs);
      finishSource(into);
    }
  }

  private void closeLive() {
    if (live != null) {
      try {
        live.close();
      } catch (IOException e) {
        // a parser over a byte array has nothing to fail on close
      }
      live = null;
    }
  }

  private boolean accept(long startAbs, long startLine) {
    records++;
    recordLine = startLine;
    recordOffset = startAbs;
    return true;
  }

  /** Reads a whole record (the START_OBJECT is consumed) into a cleared event. */
  private void readObject(JsonParser p, int prefix, Event into, int depth, long recordAbs)
      throws IOException {
    into.clear();
    stamp++;
    if (stamp == Integer.MAX_VALUE) {
      Arrays.fill(seen, 0);
      stamp = 1;
    }
    sourceInput = null;
    sourceHost = null;
    sourceLogType = null;
    readObject(p, prefix, into, depth);
  }

  private void readObject(JsonParser p, int prefix, Event into, int depth) throws IOException {
    if (depth > options.maxDepth()) {
      throw new RecordException("nesting deeper than " + options.maxDepth() + " levels");
    }
    boolean empty = true;
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      empty = false;
      int id = paths.child(prefix, p.currentName());
      readValue(p, p.nextToken(), id, into, depth, id == ID_TIMESTAMP && prefix < 0);
    }
    if (t != JsonToken.END_OBJECT) {
      throw new RecordException("unexpected " + t + " in object");
    }
    if (empty && prefix >= 0) {
      // An empty object is data too ("no attributes"): keep it as an empty OBJECT value.
      addChecked(into, prefix, p).addObject(prefix, new Event(1));
    }
  }

  private void readValue(
      JsonParser p, JsonToken t, int id, Event into, int depth, boolean isTimestamp)
      throws IOException {
    switch (t) {
      case START_OBJECT -> readObject(p, id, into, depth + 1);
      case START_ARRAY -> {
        List<Value> items = readList(p, depth + 1);
        addChecked(into, id, p).addList(id, items);
      }
      case VALUE_STRING -> {
        String s = p.getText();
        if (isTimestamp) {
          long ts = Timestamps.parse(s);
          if (ts != Timestamps.UNSET) {
            into.timestamp(ts);
            return;
          }
          warn(p, "@timestamp '" + abbreviate(s) + "' is not a timestamp; kept as a string field");
        }
        if (id == ID_INPUT) {
          sourceInput = s;
          return;
        }
        if (id == ID_HOST) {
          sourceHost = s;
          return;
        }
        if (id == ID_LOG_TYPE) {
          sourceLogType = s;
          return;
        }
        if (id < ipField.length && ipField[id]) {
          IpAddress ip = IpAddress.parse(s);
          if (ip != null) {
            addChecked(into, id, p).addIp(id, ip);
            return;
          }
        }
        addChecked(into, id, p).addString(id, s);
      }
      case VALUE_NUMBER_INT -> {
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          warn(
              p,
              "integer "
                  + abbreviate(p.getText())
                  + " does not fit 64 bits; kept exactly as a big number");
          addChecked(into, id, p).addBigNumber(id, p.getText());
        } else if (isTimestamp) {
          into.timestamp(
              Math.multiplyExact(p.getLongValue(), 1_000_000L)); // epoch millis, as Elasticsearch
        } else {
          addChecked(into, id, p).addLong(id, p.getLongValue());
        }
      }
      case VALUE_NUMBER_FLOAT -> {
        String text = p.getText();
        double d = p.getDoubleValue();
        if (!Double.isFinite(d) || significantDigits(text) > 17) {
          warn(
              p,
              "number "
                  + abbreviate(text)
                  + " does not fit a double exactly; kept exactly as a big number");
          addChecked(into, id, p).addBigNumber(id, text);
        } else {
          addChecked(into, id, p).addDouble(id, d);
        }
      }
      case VALUE_TRUE -> addChecked(into, id, p).addBoolean(id, true);
      case VALUE_FALSE -> addChecked(into, id, p).addBoolean(id, false);
      case VALUE_NULL -> addChecked(into, id, p).addNull(id);
      default -> throw new RecordException("unexpected " + t);
    }
  }

  private List<Value> readList(JsonParser p, int depth) throws IOException {
    if (depth > options.maxDepth()) {
      throw new RecordException("nesting deeper than " + options.maxDepth() + " levels");
    }
    List<Value> items = new ArrayList<>();
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t == null) {
        throw new RecordException("array is not closed");
      }
      items.add(readListItem(p, t, depth));
      if (items.size() > options.maxFields()) {
        throw new RecordException("more than " + options.maxFields() + " list items");
      }
    }
    return items;
  }

  private Value readListItem(JsonParser p, JsonToken t, int depth) throws IOException {
    return switch (t) {
      case START_OBJECT -> {
        Event obj = new Event(4);
        readNestedObject(p, -1, obj, depth + 1);
        yield new Value.Obj(obj);
      }
      case START_ARRAY -> new Value.ListValue(readList(p, depth + 1));
      case VALUE_STRING -> new Value.Str(p.getText());
      case VALUE_NUMBER_INT ->
          p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
              ? new Value.BigNumber(p.getText())
              : new Value.Int64(p.getLongValue());
      case VALUE_NUMBER_FLOAT -> {
        String text = p.getText();
        double d = p.getDoubleValue();
        yield !Double.isFinite(d) || significantDigits(text) > 17
            ? new Value.BigNumber(text)
            : new Value.Float64(d);
      }
      case VALUE_TRUE -> Value.Bool.TRUE;
      case VALUE_FALSE -> Value.Bool.FALSE;
      case VALUE_NULL -> Value.Null.INSTANCE;
      default -> throw new RecordException("unexpected " + t + " in array");
    };
  }

  /** Objects inside lists: flattened into their own small event, duplicates resolved by scan. */
  private void readNestedObject(JsonParser p, int prefix, Event obj, int depth) throws IOException {
    if (depth > options.maxDepth()) {
      throw new RecordException("nesting deeper than " + options.maxDepth() + " levels");
    }
    boolean empty = true;
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      empty = false;
      int id = paths.child(prefix, p.currentName());
      JsonToken v = p.nextToken();
      if (v == JsonToken.START_OBJECT) {
        readNestedObject(p, id, obj, depth + 1);
        continue;
      }
      int dup = obj.indexOf(id);
      if (dup >= 0) {
        warn(p, "duplicate key '" + FieldNames.name(id) + "'; the last value is kept");
        obj.remove(dup);
      }
      obj.add(id, readListItem(p, v, depth));
    }
    if (t != JsonToken.END_OBJECT) {
      throw new RecordException("unexpected " + t + " in object");
    }
    if (empty && prefix >= 0) {
      obj.addObject(prefix, new Event(1));
    }
  }

  /** Handles duplicates and the field limit before a top-level field is appended. */
  private Event addChecked(Event into, int id, JsonParser p) {
    if (id >= seen.length) {
      seen = Arrays.copyOf(seen, Math.max(id + 1, seen.length * 2));
    }
    if (seen[id] == stamp) {
      // RFC 8259 leaves duplicates undefined; like JavaScript and Python we keep the last value,
      // and say so, because a duplicate usually means a broken producer.
      warn(p, "duplicate key '" + FieldNames.name(id) + "'; the last value is kept");
      into.removeAll(id);
    }
    seen[id] = stamp;
    if (into.size() >= options.maxFields()) {
      throw new RecordException("more than " + options.maxFields() + " fields");
    }
    return into;
  }

  private void finishSource(Event into) {
    if (sourceInput == null && sourceHost == null && sourceLogType == null) {
      into.source(EventSource.UNKNOWN);
      return;
    }
    EventSource s = lastSource;
    if (!s.input().equals(nz(sourceInput))
        || !s.host().equals(nz(sourceHost))
        || !s.logType().equals(nz(sourceLogType))) {
      s = new EventSource(sourceInput, sourceHost, sourceLogType);
      lastSource = s;
    }
    into.source(s);
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  private static int significantDigits(String text) {
    int n = 0;
    boolean leading = true;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 'e' || c == 'E') {
        break;
      }
      if (c >= '1' && c <= '9') {
        leading = false;
        n++;
      } else if (c == '0' && !leading) {
        n++;
      }
    }
    return n;
  }

  // ---- failures ----

  private boolean fail(
      long startAbs,
      long startLine,
      String message,
      boolean located,
      long errLine,
      long errAbs,
      Frame frame) {
    String why = message;
    long atLine = located ? errLine : startLine;
    long atAbs = located ? errAbs : startAbs;
    if (frame.problem != null) {
      why = frame.problem; // the scanner's "cut off" says more than the parser's "unexpected char"
      atLine = startLine;
      atAbs = startAbs;
    }
    String where =
        frame.lines > 1
            ? " (record of lines " + startLine + "-" + (startLine + frame.lines - 1) + " skipped)"
            : " (record skipped)";
    report(Problem.error(name, atLine, atAbs, clean(why) + where));
    errors++;
    skipFrame(frame);
    return false;
  }

  private boolean repairUtf8(
      Event into, long startAbs, long startLine, long errLine, long errAbs, Frame frame) {
    byte[] repaired = replaceInvalidUtf8(buf, pos, frame.length);
    try {
      parseCopy(repaired, 0, repaired.length, into, startAbs, startLine);
    } catch (IOException | RecordException e) {
      pending.clear();
      return failFramed(frame, startAbs, startLine, e.getMessage());
    }
    flushWarnings();
    report(Problem.warning(name, errLine, errAbs, "invalid UTF-8 replaced with U+FFFD"));
    warnings++;
    skipFrame(frame);
    return accept(startAbs, startLine);
  }

  private boolean failFramed(Frame frame, long startAbs, long startLine, String message) {
    report(Problem.error(name, startLine, startAbs, clean(message) + " (record skipped)"));
    errors++;
    skipFrame(frame);
    return false;
  }

  private static boolean isUtf8Problem(StreamReadException e) {
    String m = e.getOriginalMessage();
    return m != null && (m.contains("UTF-8") || m.contains("UTF8"));
  }

  static byte[] replaceInvalidUtf8(byte[] data, int off, int len) {
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPLACE)
              .onUnmappableCharacter(CodingErrorAction.REPLACE)
              .decode(ByteBuffer.wrap(data, off, len));
      ByteBuffer out = StandardCharsets.UTF_8.newEncoder().encode(chars);
      byte[] bytes = new byte[out.remaining()];
      out.get(bytes);
      return bytes;
    } catch (CharacterCodingException e) {
      throw new IllegalStateException("REPLACE decoding cannot fail", e);
    }
  }

  private void skipNonObject(byte c) throws IOException {
    closeLive(); // it must not parse what is skipped here
    long startAbs = base + pos;
    long startLine = line;
    if (arrayMode) {
      Frame frame = frame();
      report(
          Problem.error(name, startLine, startAbs, "array element is not a JSON object (skipped)"));
      errors++;
      skipFrame(frame);
      return;
    }
    report(
        Problem.error(
            name,
            startLine,
            startAbs,
            "expected a JSON object ('{') but found " + describe(c) + " (line skipped)"));
    errors++;
    // Not JSON at all: the rest of the line goes.
    while (true) {
      while (pos < end) {
        if (buf[pos++] == '\n') {
          line++;
          lineStart = base + pos;
          return;
        }
      }
      if (!fill()) {
        return;
      }
    }
  }

  private static String describe(byte c) {
    if (c >= 0x20 && c < 0x7f) {
      return "'" + (char) c + "'";
    }
    return String.format("byte 0x%02x", c & 0xff);
  }

  /** Records a warning; it is reported only if the record is accepted. */
  private void warn(JsonParser p, String message) {
    JsonLocation loc = p.currentTokenLocation();
    long l = warnLine + Math.max(0, loc.getLineNr() - 1);
    long off = warnAbs + Math.max(0, loc.getByteOffset());
    pending.add(Problem.warning(name, l, off, message));
  }

  private void flushWarnings() {
    for (Problem w : pending) {
      report(w);
      warnings++;
    }
    pending.clear();
  }

  private void report(Problem problem) {
    problems.report(problem);
  }

  private static String clean(String message) {
    if (message == null) {
      return "malformed JSON";
    }
    // Jackson appends hints for Java programmers; users need the first sentence.
    int cut = message.indexOf("\n");
    String m = cut >= 0 ? message.substring(0, cut) : message;
    return m.replace(" (for Object starting at [Source: REDACTED", "").trim();
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }

  // ---- framing: where does the value at pos end? ----

  /** The extent of the value at {@code pos}: {@code length} bytes over {@code lines} lines. */
  private record Frame(
      int length, long lines, long lastLineStart, String problem, boolean oversized) {}

  /**
   * Scans the value starting at {@code pos} without parsing it: strings, escapes and nesting only.
   * It stops when the value closes, at the end of input, at a raw newline inside a string (JSON
   * strings cannot hold one, so the line was cut), or at a line that opens a new object where the
   * JSON so far could not continue (the previous record was cut). Values over the size limit are
   * scanned to their end but not kept: the bytes before the scan point are dropped as it goes.
   */
  private Frame frame() throws IOException {
    int depth = 0;
    boolean inString = false;
    boolean escape = false;
    boolean lineHasContent = true;
    byte lastSignificant = 0;
    long lines = 1;
    long lastLineStartAbs = -1;
    int k = 0;
    boolean oversized = false;
    boolean scalar = buf[pos] != '{' && buf[pos] != '[';
    boolean ndjson = records > 0 && !multiLineRecords && !arrayMode;
    while (true) {
      if (pos + k >= end) {
        if (oversized && k > 0) {
          // Drop what was scanned (counting its lines); keep the scanner state.
          advanceOver(k);
          k = 0;
        }
        if (!fill()) {
          String problem =
              depth > 0 || inString ? "record is cut off by the end of the input" : null;
          return new Frame(k, lines, lastLineStartAbs, problem, oversized);
        }
      }
      byte b = buf[pos + k];
      if (inString) {
        if (escape) {
          escape = false;
        } else if (b == '\\') {
          escape = true;
        } else if (b == '"') {
          inString = false;
          if (scalar && depth == 0) {
            return new Frame(k + 1, lines, lastLineStartAbs, null, oversized);
          }
        } else if (b == '\n') {
          return new Frame(
              k,
              lines,
              lastLineStartAbs,
              "line ends inside a string: the record is cut off",
              oversized);
        }
      } else if (scalar && depth == 0) {
        if (b == '\n' || b == ',' || b == ']') {
          return new Frame(k, lines, lastLineStartAbs, null, oversized);
        }
        if (b == '"') {
          inString = true;
        } else if (b == '{' || b == '[') {
          depth++;
        }
      } else {
        switch (b) {
          case '"' -> {
            inString = true;
            lineHasContent = true;
            lastSignificant = b;
          }
          case '{', '[' -> {
            if (!lineHasContent
                && b == '{'
                && k > 0
                && lastSignificant != ','
                && lastSignificant != ':'
                && lastSignificant != '[') {
              // A new object starts a line where the JSON so far cannot continue: the previous
              // record was cut off. End it before this line.
              int cut = (int) (lastLineStartAbs - (base + pos));
              return new Frame(
                  cut,
                  lines - 1,
                  lastLineStartAbs,
                  "record is cut off (the next line starts a new object)",
                  oversized);
            }
            depth++;
            lineHasContent = true;
            lastSignificant = b;
          }
          case '}', ']' -> {
            depth--;
            lastSignificant = b;
            lineHasContent = true;
            if (depth <= 0) {
              return new Frame(k + 1, lines, lastLineStartAbs, null, oversized);
            }
          }
          case '\n' -> {
            if (ndjson) {
              return new Frame(k, 1, -1, "record is cut off at the end of its line", oversized);
            }
            lines++;
            lineHasContent = false;
            lastLineStartAbs = base + pos + k + 1;
          }
          case ' ', '\t', '\r' -> {}
          default -> {
            lineHasContent = true;
            lastSignificant = b;
          }
        }
      }
      k++;
      if (!oversized && k > options.maxRecordBytes()) {
        oversized = true;
      }
    }
  }

  private void skipFrame(Frame frame) {
    // Lines and line starts inside the frame: recount over the bytes still buffered.
    advanceOver(frame.length);
  }

  /** Moves {@code pos} forward over {@code n} buffered bytes, counting lines. */
  private void advanceOver(int n) {
    int stop = pos + n;
    for (int i = pos; i < stop; i++) {
      if (buf[i] == '\n') {
        line++;
        lineStart = base + i + 1;
      }
    }
    pos = stop;
  }

  // ---- buffer ----

  /** Skips whitespace (and a BOM at the very start); returns false at the end of input. */
  private boolean skipWhitespace() throws IOException {
    while (true) {
      while (pos < end) {
        byte b = buf[pos];
        if (b == '\n') {
          line++;
          lineStart = base + pos + 1;
        } else if (b != ' ' && b != '\t' && b != '\r') {
          if (b == (byte) 0xEF && base + pos == 0 && startsWithBom()) {
            pos += 3;
            continue;
          }
          return true;
        }
        pos++;
      }
      if (!fill()) {
        return false;
      }
    }
  }

  private boolean startsWithBom() throws IOException {
    if (end - pos < 3 && !eof) {
      fill();
    }
    return end - pos >= 3 && buf[pos + 1] == (byte) 0xBB && buf[pos + 2] == (byte) 0xBF;
  }

  /**
   * Reads more bytes, first moving the unread rest to the front and growing the buffer when a
   * record needs it. Returns false when nothing more could be read.
   */
  private boolean fill() throws IOException {
    closeLive(); // the bytes are about to move under it
    if (eof) {
      return false;
    }
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, end - pos);
      base += pos;
      end -= pos;
      pos = 0;
    }
    if (end == buf.length) {
      buf = Arrays.copyOf(buf, buf.length * 2);
    }
    // Fill the whole free space: decompressors hand out small pieces, and a record that crosses
    // the buffered bytes is parsed again from its start.
    int before = end;
    while (end < buf.length) {
      int n = in.read(buf, end, buf.length - end);
      if (n < 0) {
        eof = true;
        break;
      }
      end += n;
    }
    return end > before;
  }

  @Override
  public void close() throws IOException {
    closeLive();
    in.close();
  }

  /** A problem in one record that is not a JSON syntax error (a limit, say). */
  static final class RecordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RecordException(String message) {
      super(message, null, false, false);
    }
  }

  /** The line where the current line starts, for column computations in tools. */
  long lineStart() {
    return lineStart;
  }
}
