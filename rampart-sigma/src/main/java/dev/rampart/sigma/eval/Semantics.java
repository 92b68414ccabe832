package dev.rampart.sigma.eval;

import dev.rampart.core.event.IpAddress;
import dev.rampart.core.event.Timestamps;
import dev.rampart.core.event.Value;
import dev.rampart.sigma.rule.Glob;
import dev.rampart.sigma.rule.ValueMatcher;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;

/**
 * How one rule value matches one event value (reference section 4.4), written as plainly as
 * possible: this is the oracle the compiled engine is tested against, and the compiled engine uses
 * it for its rare slow-path predicates.
 */
public final class Semantics {
  private Semantics() {}

  /** A glob against text, case-insensitive unless {@code cased}, by dynamic programming. */
  public static boolean globMatches(Glob glob, boolean cased, String text) {
    int[] t = codePoints(cased ? text : Fold.fold(text));
    // Pattern as code points with markers: -1 = '*', -2 = '?'.
    int[] p = pattern(glob, cased);
    boolean[] prev = new boolean[t.length + 1];
    boolean[] cur = new boolean[t.length + 1];
    prev[0] = true;
    for (int i = 1; i <= p.length; i++) {
      int pc = p[i - 1];
      cur[0] = prev[0] && pc == -1;
      for (int j = 1; j <= t.length; j++) {
        cur[j] =
            switch (pc) {
              case -1 -> cur[j - 1] || prev[j];
              case -2 -> prev[j - 1];
              default -> prev[j - 1] && pc == t[j - 1];
            };
      }
      boolean[] x = prev;
      prev = cur;
      cur = x;
    }
    return prev[t.length];
  }

  private static int[] codePoints(String s) {
    return s.codePoints().toArray();
  }

  private static int[] pattern(Glob g, boolean cased) {
    java.util.List<Integer> out = new java.util.ArrayList<>();
    for (Glob.Part part : g.parts()) {
      switch (part) {
        case Glob.Literal l ->
            (cased ? l.text() : Fold.fold(l.text())).codePoints().forEach(out::add);
        case Glob.Wildcard w -> out.add(w == Glob.Wildcard.ANY_STRING ? -1 : -2);
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /** A rule number against an event value. */
  public static boolean numberMatches(BigDecimal n, Value v) {
    return switch (v) {
      case Value.Int64 l -> n.compareTo(BigDecimal.valueOf(l.value())) == 0;
      case Value.Float64 d ->
          Double.isFinite(d.value()) && n.compareTo(BigDecimal.valueOf(d.value())) == 0;
      case Value.BigNumber b -> {
        BigDecimal x = EventValues.parseDecimal(b.text());
        yield x != null && n.compareTo(x) == 0;
      }
      case Value.Str s -> {
        BigDecimal x = EventValues.parseDecimal(s.value());
        yield x != null && n.compareTo(x) == 0;
      }
      case Value.Ip ip -> ip.asText().equals(n.toPlainString());
      default -> false;
    };
  }

  /** A rule boolean against an event value: booleans, or the text true/false in any case. */
  public static boolean boolMatches(boolean b, Value v) {
    return switch (v) {
      case Value.Bool x -> x.value() == b;
      case Value.Str s -> s.value().equalsIgnoreCase(b ? "true" : "false");
      default -> false;
    };
  }

  /**
   * A regex searched anywhere in the text (java.util.regex: the oracle's independent engine).
   * {@code UNIX_LINES} gives PCRE's default line handling, which Sigma rules are written for: only
   * {@code \n} ends a line for {@code .}, {@code ^} and {@code $} (Java would also stop {@code .}
   * at {@code \r}, U+0085, U+2028 and U+2029).
   */
  public static java.util.regex.Pattern javaRegex(ValueMatcher.RegexMatch r) {
    int flags = java.util.regex.Pattern.UNIX_LINES;
    if (r.ignoreCase()) {
      flags |= java.util.regex.Pattern.CASE_INSENSITIVE | java.util.regex.Pattern.UNICODE_CASE;
    }
    if (r.multiline()) {
      flags |= java.util.regex.Pattern.MULTILINE;
    }
    if (r.dotAll()) {
      flags |= java.util.regex.Pattern.DOTALL;
    }
    String p =
        switch (r.anchor()) {
          case NONE -> r.pattern();
          case START -> r.pattern().startsWith("^") ? r.pattern() : "\\A(?:" + r.pattern() + ")";
          case END -> r.pattern().endsWith("$") ? r.pattern() : "(?:" + r.pattern() + ")\\z";
        };
    return java.util.regex.Pattern.compile(p, flags);
  }

  /** The value as an IP address: IP values, or strings that are IP literals. */
  public static IpAddress ip(Value v) {
    return switch (v) {
      case Value.Ip ip -> ip.value();
      case Value.Str s -> IpAddress.parse(s.value().trim());
      default -> null;
    };
  }

  /** The value as epoch nanos: timestamps, timestamp text, or epoch numbers; UNSET otherwise. */
  public static long time(Value v) {
    return switch (v) {
      case Value.Time t -> t.epochNanos();
      case Value.Str s -> Timestamps.parse(s.value());
      default -> Timestamps.UNSET;
    };
  }

  /** A part of a UTC instant; weeks are ISO-8601 week numbers. */
  public static long part(ValueMatcher.TimePart part, long epochNanos) {
    Instant i = Timestamps.toInstant(epochNanos);
    ZonedDateTime z = i.atZone(ZoneOffset.UTC);
    return switch (part) {
      case MINUTE -> z.getMinute();
      case HOUR -> z.getHour();
      case DAY -> z.getDayOfMonth();
      case WEEK -> z.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
      case MONTH -> z.getMonthValue();
      case YEAR -> z.getYear();
    };
  }

  public static boolean compare(ValueMatcher.CompareOp op, BigDecimal actual, BigDecimal wanted) {
    int c = actual.compareTo(wanted);
    return switch (op) {
      case LT -> c < 0;
      case LTE -> c <= 0;
      case GT -> c > 0;
      case GTE -> c >= 0;
    };
  }

  /** Field-reference comparison of two texts, case-insensitive. */
  public static boolean refMatches(ValueMatcher.RefMode mode, String value, String other) {
    String a = Fold.fold(value);
    String b = Fold.fold(other);
    return switch (mode) {
      case EQUALS -> a.equals(b);
      case STARTS_WITH -> a.startsWith(b);
      case ENDS_WITH -> a.endsWith(b);
      case CONTAINS -> a.contains(b);
    };
  }
}
