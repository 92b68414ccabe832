package dev.rampart.server.report;

import dev.rampart.core.time.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The period a report covers, {@code [from, to)} in epoch milliseconds on whole hours: {@code last}
 * (a duration such as {@code 7d}, {@code 24h}, {@code 4w}) ending at {@code end}: {@code now} (the
 * end of the current hour, so today so far is in), {@code today} (this midnight UTC: whole days
 * only), a date ({@code 2026-01-12}: up to that day's start) or an instant.
 */
public record ReportPeriod(long fromMillis, long toMillis) {
  private static final long HOUR = 3_600_000L;
  private static final Duration LONGEST = Duration.ofDays(366);
  private static final long FIRST = Duration.ofDays(1).toMillis();
  private static final long LAST = Instant.parse("9999-12-31T00:00:00Z").toEpochMilli();

  public ReportPeriod {
    if (toMillis <= fromMillis) {
      throw new IllegalArgumentException("a report's period ends after it starts");
    }
  }

  /**
   * Parses the two options; a mistake throws IllegalArgumentException naming the option and what it
   * takes.
   */
  public static ReportPeriod parse(String last, String end, long nowMillis) {
    Duration d = Durations.parse(last == null ? "7d" : last);
    if (d == null || d.toMillis() < HOUR || d.compareTo(LONGEST) > 0 || d.toMillis() % HOUR != 0) {
      throw new IllegalArgumentException(
          "last: whole hours from 1h to 366d, such as 24h, 7d or 4w; not '" + last + "'");
    }
    String e = end == null ? "now" : end.trim();
    long to;
    try {
      to = end(e, nowMillis);
    } catch (ArithmeticException outOfRange) {
      to = Long.MAX_VALUE; // a year in the millions: refused below with the bounds
    }
    if (to < FIRST || to > LAST) {
      throw new IllegalArgumentException("end: between 1970-01-02 and 9999-12-31; not '" + e + "'");
    }
    return new ReportPeriod(to - d.toMillis(), to);
  }

  private static long end(String end, long now) {
    switch (end) {
      case "now" -> {
        return Math.floorDiv(now + HOUR - 1, HOUR) * HOUR;
      }
      case "today" -> {
        return Math.floorDiv(now, 24 * HOUR) * 24 * HOUR;
      }
      default -> {
        try {
          return LocalDate.parse(end).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        } catch (DateTimeParseException notADate) {
          try {
            long t = Instant.parse(end).toEpochMilli();
            return Math.floorDiv(t + HOUR - 1, HOUR) * HOUR;
          } catch (DateTimeParseException notAnInstant) {
            throw new IllegalArgumentException(
                "end: now, today, a date (2026-01-12) or an instant (2026-01-12T08:00:00Z); not '"
                    + end
                    + "'",
                notAnInstant);
          }
        }
      }
    }
  }

  /**
   * The last whole period of {@code every} that ended by {@code now}: yesterday for a day, the week
   * to the last Monday 00:00 UTC for a week. Scheduled reports cover these.
   */
  public static ReportPeriod lastWhole(Duration every, long now) {
    long day = 24 * HOUR;
    long midnight = Math.floorDiv(now, day) * day;
    if (every.equals(Duration.ofDays(7))) {
      // 1970-01-01 was a Thursday: Mondays are 4 days after a multiple of 7 days
      long monday = Math.floorDiv(midnight - 4 * day, 7 * day) * 7 * day + 4 * day;
      return new ReportPeriod(monday - 7 * day, monday);
    }
    return new ReportPeriod(midnight - every.toMillis(), midnight);
  }
}
