package dev.rampart.core.time;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in configuration files. */
public final class Durations {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d|w)");

  private Durations() {}

  /**
   * A duration for people, in the unit that reads best: 105 ms, 4.2 s, 12.5 min, 3.1 h, 2.4 d (from
   * 48 hours); "-" for null (nothing to measure).
   */
  public static String readable(Double millis) {
    if (millis == null) {
      return "-";
    }
    java.util.Locale r = java.util.Locale.ROOT;
    double ms = millis;
    if (Math.abs(ms) < 1000) {
      return String.format(r, "%.0f ms", ms);
    }
    if (Math.abs(ms) < 60_000) {
      return String.format(r, "%.1f s", ms / 1000);
    }
    if (Math.abs(ms) < 3_600_000) {
      return String.format(r, "%.1f min", ms / 60_000);
    }
    if (Math.abs(ms) < 172_800_000) {
      return String.format(r, "%.1f h", ms / 3_600_000);
    }
    return String.format(r, "%.1f d", ms / 86_400_000);
  }

  /**
   * Parses {@code 30s}, {@code 10m}, {@code 1h}, {@code 7d}, {@code 2w}, {@code 500ms}; null if
   * not.
   */
  public static Duration parse(String s) {
    if (s == null) {
      return null;
    }
    Matcher m = DURATION.matcher(s.trim());
    if (!m.matches()) {
      return null;
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      default -> Duration.ofDays(7 * n);
    };
  }
}
