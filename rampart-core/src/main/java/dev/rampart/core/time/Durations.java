package dev.rampart.core.time;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in configuration files. */
public final class Durations {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d|w)");

  private Durations() {}

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
