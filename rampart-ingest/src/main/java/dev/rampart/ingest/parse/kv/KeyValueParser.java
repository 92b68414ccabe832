package dev.rampart.ingest.parse.kv;

import static dev.rampart.ingest.parse.Fields.*;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.EventSource;
import dev.rampart.core.event.FieldNames;
import dev.rampart.ingest.parse.ParseError;
import dev.rampart.ingest.parse.Parser;

/**
 * {@code key=value} logs (firewalls, appliances, application audit logs): pairs separated by white
 * space or commas, values bare or in double or single quotes with backslash escapes. Keys are kept
 * as fields of their own under {@code kv.*}; text before the first pair becomes the message.
 */
public final class KeyValueParser implements Parser {
  private static final int KV = FieldNames.id("kv");

  @Override
  public String name() {
    return "kv";
  }

  @Override
  public String description() {
    return "key=value pairs (bare, \"double\" or 'single' quoted values) to kv.*";
  }

  @Override
  public boolean accepts(String m) {
    int pairs = 0;
    for (int i = 1; i < m.length() && pairs < 2; i++) {
      if (m.charAt(i) == '=' && isKeyChar(m.charAt(i - 1))) {
        pairs++;
      }
    }
    return pairs >= 2;
  }

  @Override
  public ParseError parse(String m, Event into) {
    into.clear();
    into.addString(ORIGINAL, m);
    int i = 0;
    int pairs = 0;
    int firstPair = -1;
    while (i < m.length()) {
      while (i < m.length() && (m.charAt(i) == ' ' || m.charAt(i) == ',' || m.charAt(i) == '\t')) {
        i++;
      }
      int k = i;
      while (i < m.length() && isKeyChar(m.charAt(i))) {
        i++;
      }
      if (i >= m.length() || m.charAt(i) != '=' || i == k) {
        // Not a pair: skip this word (free text before or between pairs).
        while (i < m.length() && m.charAt(i) != ' ' && m.charAt(i) != ',') {
          i++;
        }
        continue;
      }
      String key = m.substring(k, i);
      i++; // '='
      String value;
      if (i < m.length() && (m.charAt(i) == '"' || m.charAt(i) == '\'')) {
        char q = m.charAt(i);
        StringBuilder sb = new StringBuilder();
        int j = i + 1;
        for (; j < m.length() && m.charAt(j) != q; j++) {
          if (m.charAt(j) == '\\' && j + 1 < m.length()) {
            j++;
          }
          sb.append(m.charAt(j));
        }
        if (j >= m.length()) {
          into.addString(MESSAGE, m);
          return new ParseError(name(), i + 1, "quoted value of '" + key + "' is not closed");
        }
        value = sb.toString();
        i = j + 1;
      } else {
        int j = i;
        while (j < m.length() && m.charAt(j) != ' ' && m.charAt(j) != ',' && m.charAt(j) != '\t') {
          j++;
        }
        value = m.substring(i, j);
        i = j;
      }
      if (firstPair < 0) {
        firstPair = k;
      }
      into.addString(FieldNames.child(KV, key), value);
      pairs++;
    }
    if (pairs == 0) {
      into.addString(MESSAGE, m);
      return new ParseError(name(), 1, "no key=value pair found");
    }
    String text = m.substring(0, Math.max(0, firstPair)).trim();
    into.addString(MESSAGE, text.isEmpty() ? m : text);
    into.source(new EventSource("", "", "kv"));
    return null;
  }

  private static boolean isKeyChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-' || c == ':';
  }
}
