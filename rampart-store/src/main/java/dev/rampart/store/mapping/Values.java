package dev.rampart.store.mapping;

import dev.rampart.core.event.IpAddress;
import dev.rampart.core.event.Timestamps;
import dev.rampart.core.event.Value;
import java.util.Locale;

/**
 * How an event value becomes the value a field of a given type indexes: pure functions shared by
 * the document builder and the brute-force reference search, so both agree on what a field holds. A
 * value that does not fit its field's type converts to null (kept in the stored event only).
 */
public final class Values {
  /** Longest keyword indexed; Lucene's terms stop at 32,766 bytes. */
  public static final int MAX_KEYWORD_CHARS = 8191;

  private Values() {}

  /** The keyword form (original case) of a scalar value; null for null, lists and objects. */
  public static String keyword(Value v) {
    String s =
        switch (v) {
          case Value.Str x -> x.value();
          case Value.Int64 x -> Long.toString(x.value());
          case Value.Float64 x -> Double.toString(x.value());
          case Value.Bool x -> Boolean.toString(x.value());
          case Value.Ip x -> x.value().toString();
          case Value.Time x -> Timestamps.format(x.epochNanos());
          case Value.BigNumber x -> x.text();
          default -> null;
        };
    return s == null ? null : truncate(s);
  }

  public static String truncate(String s) {
    return s.length() > MAX_KEYWORD_CHARS ? s.substring(0, MAX_KEYWORD_CHARS) : s;
  }

  /** What keyword postings hold: the lower-cased keyword (matching is case-insensitive). */
  public static String folded(String keyword) {
    return keyword.toLowerCase(Locale.ROOT);
  }

  /** A long, or null. Integral doubles and decimal strings convert. */
  public static Long asLong(Value v) {
    return switch (v) {
      case Value.Int64 x -> x.value();
      case Value.Float64 x ->
          x.value() == Math.rint(x.value()) && Math.abs(x.value()) < 9.0e18
              ? (long) x.value()
              : null;
      case Value.Str x -> parseLong(x.value());
      default -> null;
    };
  }

  /**
   * A decimal or {@code 0x} hexadecimal whole number, or null. Windows Security events write
   * process ids in hex ({@code ProcessId 0x1a4}) where Sysmon writes the same field in decimal
   * ({@code 420}): a field mapped long from either indexes both, and a hunter may search either
   * form.
   */
  public static Long parseLong(String s) {
    if (s.length() > 2 && s.length() <= 18 && s.charAt(0) == '0' && (s.charAt(1) | 0x20) == 'x') {
      long v = 0;
      for (int i = 2; i < s.length(); i++) {
        int d = Character.digit(s.charAt(i), 16);
        if (d < 0) {
          return null;
        }
        v = v << 4 | d;
      }
      return v < 0 ? null : v; // above Long.MAX_VALUE: kept in the stored event only
    }
    if (s.isEmpty() || s.length() > 20) {
      return null;
    }
    // Most strings offered are not numbers: say so without an exception per value.
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c < '0' || c > '9') && !(i == 0 && (c == '-' || c == '+') && s.length() > 1)) {
        return null;
      }
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** A double, or null. */
  public static Double asDouble(Value v) {
    return switch (v) {
      case Value.Int64 x -> (double) x.value();
      case Value.Float64 x -> Double.isFinite(x.value()) ? x.value() : null;
      case Value.Str x -> parseDouble(x.value());
      default -> null;
    };
  }

  public static Double parseDouble(String s) {
    if (s.isEmpty() || s.length() > 40) {
      return null;
    }
    try {
      double d = Double.parseDouble(s);
      return Double.isFinite(d) ? d : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Epoch nanoseconds, or null. Numbers are epoch milliseconds, as Elasticsearch reads them. */
  public static Long asDate(Value v) {
    return switch (v) {
      case Value.Time x -> x.epochNanos();
      case Value.Int64 x ->
          Math.abs(x.value()) < 9_000_000_000_000L ? x.value() * 1_000_000L : null;
      case Value.Str x -> parseDate(x.value());
      default -> null;
    };
  }

  public static Long parseDate(String s) {
    long t = Timestamps.parse(s);
    return t == Timestamps.UNSET ? null : t;
  }

  /** An IP address, or null. */
  public static IpAddress asIp(Value v) {
    return switch (v) {
      case Value.Ip x -> x.value();
      case Value.Str x -> IpAddress.parse(x.value());
      default -> null;
    };
  }

  /** "true" or "false", or null. */
  public static String asBoolean(Value v) {
    return switch (v) {
      case Value.Bool x -> Boolean.toString(x.value());
      case Value.Str x ->
          x.value().equalsIgnoreCase("true")
              ? "true"
              : x.value().equalsIgnoreCase("false") ? "false" : null;
      default -> null;
    };
  }
}
