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
  private Problem firstProblem;
  private final JsonEventReader reader =
      new JsonEventReader(
          new byte[0],
          "message",
          ReadOptions.DEFAULTS,
          p -> {
            if (firstProblem == null) {
              firstProblem = p;
            }
          });

  private byte[] bytes = new byte[0];
  private String message = "";

  @Override
  public ParseError parse(String m, Event into) {
    firstProblem = null;
    try {
      message = m;
      bytes = m.getBytes(StandardCharsets.UTF_8);
      reader.reset(bytes);
      if (reader.next(into)) {
        // the message is its event's original, unless the event is a record inside it
        finish(into, reader.unwrapped());
        return null;
      }
    } catch (IOException e) {
      // reported below
    }
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
        finish(into, true);
        return true;
      }
    } catch (IOException e) {
      // a byte array does not fail; a bad record was reported and skipped by the reader
    }
    return false;
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
