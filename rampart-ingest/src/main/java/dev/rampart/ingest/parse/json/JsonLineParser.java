package dev.rampart.ingest.parse.json;

import static dev.rampart.ingest.parse.Fields.*;

import dev.rampart.core.event.Event;
import dev.rampart.core.io.Problem;
import dev.rampart.core.json.JsonEventReader;
import dev.rampart.core.json.ReadOptions;
import dev.rampart.core.normalize.Normalizers;
import dev.rampart.ingest.parse.ParseError;
import dev.rampart.ingest.parse.Parser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One JSON object per message, read by the core JSON reader (flattened names, exact numbers,
 * {@code @timestamp}) and normalized by the core normalizers (Windows, network and cloud audit
 * shapes get native names, ECS fields and their log types; other JSON keeps its own names). A
 * message of {@code {"Records": [...]}} or {@code {"records": [...]}} (CloudTrail, Azure Monitor)
 * gives one event per record through {@link #next}, each with its own text as {@code
 * event.original}.
 */
public final class JsonLineParser implements Parser {
  @Override
  public String name() {
    return "json";
  }

  @Override
  public String description() {
    return "one JSON object per message, read as Rampart reads JSON files (Windows shapes to ECS)";
  }

  @Override
  public boolean accepts(String m) {
    for (int i = 0; i < m.length(); i++) {
      char c = m.charAt(i);
      if (!Character.isWhitespace(c)) {
        return c == '{';
      }
    }
    return false;
  }

  // One reader per parser (parsers are per thread), reset per message: building one per message
  // cost more than the parse (its caches started cold every time).
  private final JsonEventReader reader;
  private Problem firstProblem;

  /**
   * A record the reader skipped: where it starts in the message (it ends where the next one
   * starts).
   */
  private record Skip(int start, Problem problem) {}

  private final List<Skip> skips = new ArrayList<>(0);
  private final List<Rejected> rejected = new ArrayList<>(0);
  private boolean inRecords;

  private byte[] bytes = new byte[0];
  private String message = "";

  public JsonLineParser() {
    reader = new JsonEventReader(new byte[0], "message", ReadOptions.DEFAULTS, this::problem);
  }

  private void problem(Problem p) {
    if (firstProblem == null) {
      firstProblem = p;
    }
    if (p.isError()) {
      // reported before the reader moves past the record, so its position is the record's start
      skips.add(new Skip((int) reader.bytesRead(), p));
    }
  }

  @Override
  public ParseError parse(String m, Event into) {
    firstProblem = null;
    skips.clear();
    rejected.clear();
    try {
      message = m;
      bytes = m.getBytes(StandardCharsets.UTF_8);
      reader.reset(bytes);
      if (reader.next(into)) {
        // the message is its event's original, unless the event is a record inside it
        inRecords = reader.unwrapped();
        endSkips((int) reader.recordOffset());
        finish(into, inRecords);
        return null;
      }
    } catch (IOException e) {
      // reported below
    }
    skips.clear(); // nothing of the message became an event: the message is the dead letter
    into.clear();
    into.addString(ORIGINAL, m);
    into.addString(MESSAGE, m);
    Problem p = firstProblem;
    return new ParseError(
        name(),
        p == null || p.byteOffset() < 0 ? 1 : (int) p.byteOffset() + 1,
        p == null ? "not a JSON object" : p.message());
  }

  /** The further records of a {@code {"Records": [...]}} message. */
  @Override
  public boolean next(Event into) {
    try {
      if (reader.next(into)) {
        endSkips((int) reader.recordOffset());
        finish(into, true);
        return true;
      }
    } catch (IOException e) {
      // a byte array does not fail; a bad record was reported and skipped by the reader
    }
    endSkips(bytes.length);
    return false;
  }

  @Override
  public List<Rejected> rejected() {
    return rejected;
  }

  /**
   * Turns the records skipped before {@code end} (where the next record starts, or the message
   * ends) into rejected records: each runs from its start to the next one's, less the separators.
   */
  private void endSkips(int end) {
    for (int i = 0; i < skips.size(); i++) {
      Skip s = skips.get(i);
      boolean last = i + 1 == skips.size();
      int to =
          trimEnd(s.start(), last ? end : skips.get(i + 1).start(), last && end == bytes.length);
      Problem p = s.problem();
      rejected.add(
          new Rejected(
              new String(bytes, s.start(), to - s.start(), StandardCharsets.UTF_8),
              new ParseError(
                  name(),
                  (int) (p.byteOffset() < 0 ? s.start() : p.byteOffset()) + 1,
                  p.message())));
    }
    skips.clear();
  }

  /**
   * The end of a record's text: before the comma and blanks after it, and the {@code ]}} closing
   * the document.
   */
  private int trimEnd(int start, int end, boolean atDocumentEnd) {
    int e = blanksBefore(start, end);
    if (atDocumentEnd && inRecords && e > start && bytes[e - 1] == '}') {
      int b = blanksBefore(start, e - 1);
      if (b > start && bytes[b - 1] == ']') {
        e = blanksBefore(start, b - 1);
      }
    }
    while (e > start && bytes[e - 1] == ',') {
      e = blanksBefore(start, e - 1);
    }
    return e;
  }

  private int blanksBefore(int start, int e) {
    while (e > start
        && (bytes[e - 1] == ' '
            || bytes[e - 1] == '\n'
            || bytes[e - 1] == '\r'
            || bytes[e - 1] == '\t')) {
      e--;
    }
    return e;
  }

  /** Normalizes, and keeps the original: the message, or the record's own text for a record. */
  private void finish(Event into, boolean record) {
    Normalizers.normalize(into);
    if (into.indexOf(ORIGINAL) < 0) {
      int start = (int) reader.recordOffset();
      int end = (int) reader.bytesRead();
      into.addString(
          ORIGINAL,
          record ? new String(bytes, start, end - start, StandardCharsets.UTF_8) : message);
    }
  }
}
