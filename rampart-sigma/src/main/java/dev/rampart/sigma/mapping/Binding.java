package dev.rampart.sigma.mapping;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.FieldNames;
import dev.rampart.core.event.Value;
import dev.rampart.sigma.rule.Logsource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One entry of a log source mapping: events that satisfy {@code when} belong to {@code logsource},
 * and rules evaluated through this binding read Sigma field {@code X} from the event fields {@code
 * fields[X]} (several names are alternatives, OR-ed) or, when unmapped, from {@code unmappedPrefix
 * + X} ({@code X} itself with the default empty prefix; ECS events keep the Windows event data they
 * did not rename under {@code winlog.event_data.}).
 *
 * @param when field name to accepted values (any of them; text compared ignoring case); the
 *     pseudo-field {@code log_type} tests the event's source log type, with {@code *} globs
 */
public record Binding(
    String name,
    Logsource logsource,
    Map<String, List<String>> when,
    Map<String, List<String>> fields,
    String unmappedPrefix) {

  public static final String LOG_TYPE = "log_type";

  public Binding {
    when = Map.copyOf(when);
    fields = Map.copyOf(fields);
    unmappedPrefix = unmappedPrefix == null ? "" : unmappedPrefix;
  }

  /** A binding with unmapped fields read as named. */
  public Binding(
      String name,
      Logsource logsource,
      Map<String, List<String>> when,
      Map<String, List<String>> fields) {
    this(name, logsource, when, fields, "");
  }

  /** A binding every event satisfies, with no field mapping: rules apply as written. */
  public static Binding any(Logsource logsource) {
    return new Binding("any", logsource, Map.of(), Map.of());
  }

  /** The event field names Sigma field {@code sigmaField} is read from. */
  public List<String> eventFields(String sigmaField) {
    List<String> mapped = fields.get(sigmaField);
    if (mapped != null) {
      return mapped;
    }
    return List.of(unmappedPrefix.isEmpty() ? sigmaField : unmappedPrefix + sigmaField);
  }

  /**
   * Whether the event satisfies every {@code when} test (the slow path; the engine indexes these).
   */
  public boolean matches(Event e) {
    for (Map.Entry<String, List<String>> w : when.entrySet()) {
      if (w.getKey().equals(LOG_TYPE)) {
        if (!accepts(w.getValue(), e.source().logType())) {
          return false;
        }
        continue;
      }
      int i = e.indexOf(FieldNames.lookup(w.getKey()));
      if (i < 0) {
        return false;
      }
      boolean ok =
          switch (e.kind(i)) {
            case NULL, OBJECT -> false;
            // ECS writes event.category and event.type as arrays: any element will do.
            case LIST ->
                e.listValue(i).stream()
                    .anyMatch(v -> scalarText(v) != null && accepts(w.getValue(), scalarText(v)));
            default -> accepts(w.getValue(), e.text(i));
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static String scalarText(Value v) {
    return switch (v) {
      case Value.Str s -> s.value();
      case Value.Int64 l -> Long.toString(l.value());
      case Value.BigNumber b -> b.text();
      default -> null;
    };
  }

  private static boolean accepts(List<String> accepted, String actual) {
    for (String a : accepted) {
      if (a.endsWith("*")
          ? actual
              .toLowerCase(Locale.ROOT)
              .startsWith(a.substring(0, a.length() - 1).toLowerCase(Locale.ROOT))
          : actual.equalsIgnoreCase(a)) {
        return true;
      }
    }
    return false;
  }

  /** Field names this binding maps, for coverage reports. */
  public List<String> mappedSigmaFields() {
    return new ArrayList<>(fields.keySet());
  }
}
