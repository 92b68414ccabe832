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
 * {@code @timestamp}) and normalized by the core normalizers (today: the Windows JSON shapes get
 * native names, ECS fields and their log types; other JSON keeps its own names).
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

  @Override
  public ParseError parse(String m, Event into) {
    firstProblem = null;
    try {
      reader.reset(m.getBytes(StandardCharsets.UTF_8));
      if (reader.next(into)) {
        Normalizers.normalize(into);
        if (into.indexOf(ORIGINAL) < 0) {
          into.addString(ORIGINAL, m);
        }
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
}
