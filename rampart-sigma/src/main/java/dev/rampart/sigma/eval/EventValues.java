package dev.rampart.sigma.eval;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.FieldNames;
import dev.rampart.core.event.Kind;
import dev.rampart.core.event.Value;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolving a Sigma field name against an event (reference 11.5) and reading values as Sigma
 * compares them. The exact (flattened) key wins; otherwise the path is walked into lists of
 * objects, fanning out over their elements.
 */
public final class EventValues {
  private EventValues() {}

  /** Whether the field is present at all (for {@code exists} and {@code null}). */
  public static boolean present(Event e, String field) {
    return !values(e, field).isEmpty();
  }

  /** Every value the field resolves to (list elements flattened), empty when absent. */
  public static List<Value> values(Event e, String field) {
    List<Value> out = new ArrayList<>(1);
    collect(e, field, out);
    return out;
  }

  /** The pseudo-field naming the event's own timestamp. */
  public static final String TIMESTAMP = "@timestamp";

  private static void collect(Event e, String field, List<Value> out) {
    if (field.equals(TIMESTAMP) && e.hasTimestamp()) {
      out.add(new Value.Time(e.timestamp()));
      return;
    }
    int id = FieldNames.lookup(field);
    int i = id < 0 ? -1 : e.indexOf(id);
    if (i >= 0) {
      out.add(e.value(i));
      return;
    }
    for (int dot = field.indexOf('.'); dot > 0; dot = field.indexOf('.', dot + 1)) {
      int pid = FieldNames.lookup(field.substring(0, dot));
      int pi = pid < 0 ? -1 : e.indexOf(pid);
      if (pi >= 0 && e.kind(pi) == Kind.LIST) {
        String rest = field.substring(dot + 1);
        for (Value item : e.listValue(pi)) {
          if (item instanceof Value.Obj o) {
            collect(o.fields(), rest, out);
          }
        }
      }
    }
  }

  /** The value as text, as Sigma compares strings with it; null for null, objects and binaries. */
  public static String text(Value v) {
    return switch (v) {
      case Value.Str s -> s.value();
      case Value.Int64 l -> Long.toString(l.value());
      case Value.Float64 d -> canonical(d.value());
      case Value.BigNumber b -> b.text();
      case Value.Bool b -> b.value() ? "true" : "false";
      case Value.Ip ip -> ip.asText();
      case Value.Time t -> t.asText();
      case Value.Binary b -> b.asText();
      case Value.Null n -> null;
      case Value.ListValue l -> null;
      case Value.Obj o -> null;
    };
  }

  /** A double's canonical decimal text: {@code 4624}, {@code 1.5}, never an exponent. */
  public static String canonical(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    if (!Double.isFinite(d)) {
      return Double.toString(d);
    }
    return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }

  /** The value as a number when it is one or a string in plain decimal notation; else null. */
  public static BigDecimal number(Value v) {
    return switch (v) {
      case Value.Int64 l -> BigDecimal.valueOf(l.value());
      case Value.Float64 d -> Double.isFinite(d.value()) ? BigDecimal.valueOf(d.value()) : null;
      case Value.BigNumber b -> parseDecimal(b.text());
      case Value.Str s -> parseDecimal(s.value());
      default -> null;
    };
  }

  /** Strict decimal syntax (optional sign, digits, fraction, exponent); no spaces, no hex. */
  public static BigDecimal parseDecimal(String s) {
    int n = s.length();
    if (n == 0 || n > 400) {
      return null;
    }
    int i = 0;
    if (s.charAt(0) == '-' || s.charAt(0) == '+') {
      i++;
    }
    int digits = 0;
    while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
      digits++;
    }
    if (i < n && s.charAt(i) == '.') {
      i++;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
        digits++;
      }
    }
    if (digits == 0) {
      return null;
    }
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
        i++;
      }
      int exp = 0;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
        exp++;
      }
      if (exp == 0) {
        return null;
      }
    }
    if (i != n) {
      return null;
    }
    try {
      return new BigDecimal(s);
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
  }

  /** The fields that hold an event's raw or rendered message, in preference order. */
  public static final List<String> MESSAGE_FIELDS = List.of("event.original", "message", "Message");

  /**
   * What keyword (field-less) searches look at (reference 7.3): the raw or rendered message when
   * the event has one ({@link #MESSAGE_FIELDS}, all that are present), otherwise every text value.
   */
  public static List<String> keywordTexts(Event e) {
    List<String> out = new ArrayList<>(2);
    for (String f : MESSAGE_FIELDS) {
      for (Value v : values(e, f)) {
        addTexts(v, out);
      }
    }
    return out.isEmpty() ? allTexts(e) : out;
  }

  /** Every string-like value of the event, recursively. */
  public static List<String> allTexts(Event e) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < e.size(); i++) {
      addTexts(e.value(i), out);
    }
    return out;
  }

  private static void addTexts(Value v, List<String> out) {
    switch (v) {
      case Value.ListValue l -> l.items().forEach(x -> addTexts(x, out));
      case Value.Obj o -> out.addAll(allTexts(o.fields()));
      default -> {
        String t = text(v);
        if (t != null) {
          out.add(t);
        }
      }
    }
  }
}
