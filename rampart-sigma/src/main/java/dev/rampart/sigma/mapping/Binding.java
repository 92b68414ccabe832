package dev.rampart.sigma.mapping;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.FieldNames;
import dev.rampart.core.event.Kind;
import dev.rampart.sigma.rule.Logsource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One entry of a log source mapping: events that satisfy {@code when} belong to {@code logsource},
 * and rules evaluated through this binding read Sigma field {@code X} from the event fields {@code
 * fields[X]} (several names are alternatives, OR-ed) or, when unmapped, from {@code X} itself.
 *
 * @param when field name to accepted values (any of them; text compared ignoring case); the
 *     pseudo-field {@code log_type} tests the event's source log type, with {@code *} globs
 */
public record Binding(
    String name,
    Logsource logsource,
    Map<String, List<String>> when,
    Map<String, List<String>> fields) {

  public static final String LOG_TYPE = "log_type";

  public Binding {
    when = Map.copyOf(when);
    fields = Map.copyOf(fields);
  }

  /** A binding every event satisfies, with no field mapping: rules apply as written. */
  public static Binding any(Logsource logsource) {
    return new Binding("any", logsource, Map.of(), Map.of());
  }

  /** The event field names Sigma field {@code sigmaField} is read from. */
  public List<String> eventFields(String sigmaField) {
    List<String> mapped = fields.get(sigmaField);
    return mapped != null ? mapped : List.of(sigmaField);
  }

  /**
   * Whether the event satisfies every {@code when} test (the slow path; the engine indexes these).
   */
  public boolean matches(Event e) {
    for (Map.Entry<String, List<String>> w : when.entrySet()) {
      String actual;
      if (w.getKey().equals(LOG_TYPE)) {
        actual = e.source().logType();
      } else {
        int i = e.indexOf(FieldNames.lookup(w.getKey()));
        if (i < 0 || e.kind(i) == Kind.NULL || e.kind(i) == Kind.LIST || e.kind(i) == Kind.OBJECT) {
          return false;
        }
        actual = e.text(i);
      }
      boolean ok = false;
      for (String accepted : w.getValue()) {
        if (accepted.endsWith("*")
            ? actual
                .toLowerCase(Locale.ROOT)
                .startsWith(accepted.substring(0, accepted.length() - 1).toLowerCase(Locale.ROOT))
            : actual.equalsIgnoreCase(accepted)) {
          ok = true;
          break;
        }
      }
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Field names this binding maps, for coverage reports. */
  public List<String> mappedSigmaFields() {
    return new ArrayList<>(fields.keySet());
  }
}
