package dev.rampart.core.event;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Timestamps as nanoseconds since the epoch in UTC (a long covers 1677 to 2262).
 *
 * <p>{@link #parse(CharSequence)} has a hand-written fast path for the shapes logs actually use
 * ({@code 2020-10-18T10:56:18.799Z}, a space instead of {@code T}, 0-9 fraction digits, {@code Z},
 * {@code ±hh:mm} or no zone, which means UTC) because {@link DateTimeFormatter} costs about a
 * microsecond per call and every event has a timestamp. Everything else goes to java.time, which is
 * also the reference the fast path is tested against.
 */
public final class Timestamps {
  /** Marks an event without a timestamp. */
  public static final long UNSET = Long.MIN_VALUE;

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private Timestamps() {}

  /** Returns epoch nanos, or {@link #UNSET} when {@code s} is not a timestamp we understand. */
  public static long parse(CharSequence s) {
    long fast = parseFast(s);
    if (fast != UNSET) {
      return fast;
    }
    return parseSlow(s.toString());
  }

  /** Converts seconds since the epoch with a fraction (Zeek's {@code ts}) to epoch nanos. */
  public static long fromEpochSeconds(double seconds) {
    if (!Double.isFinite(seconds) || Math.abs(seconds) > 9.2e9) {
      return UNSET;
    }
    long whole = (long) Math.floor(seconds);
    long nanos = Math.round((seconds - whole) * 1e9);
    return whole * NANOS_PER_SECOND + nanos;
  }

  public static long fromInstant(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), NANOS_PER_SECOND), instant.getNano());
  }

  public static Instant toInstant(long epochNanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(epochNanos, NANOS_PER_SECOND), Math.floorMod(epochNanos, NANOS_PER_SECOND));
  }

  /**
   * Formats as ISO-8601 UTC with the fraction in groups of three digits, only as long as needed:
   * {@code 2020-10-18T10:56:18Z}, {@code .799Z}, {@code .799123Z} or {@code .799123456Z}.
   */
  public static String format(long epochNanos) {
    StringBuilder sb = new StringBuilder(30);
    appendTo(sb, epochNanos);
    return sb.toString();
  }

  /** Appends the {@link #format(long)} rendering to {@code sb} without intermediate objects. */
  public static void appendTo(StringBuilder sb, long epochNanos) {
    long seconds = Math.floorDiv(epochNanos, NANOS_PER_SECOND);
    int nanos = (int) Math.floorMod(epochNanos, NANOS_PER_SECOND);
    long days = Math.floorDiv(seconds, 86_400L);
    int secOfDay = (int) Math.floorMod(seconds, 86_400L);
    // Civil-from-days (Howard Hinnant's algorithm), proleptic Gregorian like java.time.
    long z = days + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long doe = z - era * 146_097;
    long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int d = (int) (doy - (153 * mp + 2) / 5 + 1);
    int m = (int) (mp < 10 ? mp + 3 : mp - 9);
    if (m <= 2) {
      y++;
    }
    if (y < 0 || y > 9999) {
      sb.append(toInstant(epochNanos));
      return;
    }
    pad(sb, (int) y, 4);
    sb.append('-');
    pad(sb, m, 2);
    sb.append('-');
    pad(sb, d, 2);
    sb.append('T');
    pad(sb, secOfDay / 3600, 2);
    sb.append(':');
    pad(sb, secOfDay / 60 % 60, 2);
    sb.append(':');
    pad(sb, secOfDay % 60, 2);
    if (nanos != 0) {
      sb.append('.');
      if (nanos % 1_000_000 == 0) {
        pad(sb, nanos / 1_000_000, 3);
      } else if (nanos % 1000 == 0) {
        pad(sb, nanos / 1000, 6);
      } else {
        pad(sb, nanos, 9);
      }
    }
    sb.append('Z');
  }

  private static final int[] POW10 = {
    1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000
  };

  private static void pad(StringBuilder sb, int value, int width) {
    for (int k = width - 1; k > 0; k--) {
      if (value >= POW10[k]) {
        break;
      }
      sb.append('0');
    }
    sb.append(value);
  }

  private static long parseFast(CharSequence s) {
    int n = s.length();
    if (n < 19 || n > 40) {
      return UNSET;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if ((year | month | day | hour | minute | second) < 0
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || (s.charAt(10) != 'T' && s.charAt(10) != ' ' && s.charAt(10) != 't')
        || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
      return UNSET;
    }
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
      return UNSET;
    }
    if (hour > 23 || minute > 59 || second > 59) {
      return UNSET; // leap seconds and 24:00 go through java.time, which rejects or adjusts them
    }
    int i = 19;
    long nanos = 0;
    if (i < n && (s.charAt(i) == '.' || s.charAt(i) == ',')) {
      i++;
      int start = i;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        if (i - start < 9) {
          nanos = nanos * 10 + (s.charAt(i) - '0');
        }
        i++;
      }
      int count = i - start;
      if (count == 0) {
        return UNSET;
      }
      for (int k = count; k < 9; k++) {
        nanos *= 10;
      }
    }
    int offsetSeconds = 0;
    if (i < n) {
      char c = s.charAt(i);
      if ((c == 'Z' || c == 'z') && i + 1 == n) {
        i++;
      } else if ((c == '+' || c == '-') && (n - i == 6 || n - i == 5 || n - i == 3)) {
        int oh = digits(s, i + 1, 2);
        int om;
        if (n - i == 6) {
          om = s.charAt(i + 3) == ':' ? digits(s, i + 4, 2) : -1;
        } else if (n - i == 5) {
          om = digits(s, i + 3, 2);
        } else {
          om = 0;
        }
        if (oh < 0 || om < 0 || oh > 18 || om > 59) {
          return UNSET;
        }
        offsetSeconds = (oh * 3600 + om * 60) * (c == '-' ? -1 : 1);
        i = n;
      } else {
        return UNSET;
      }
    }
    if (i != n) {
      return UNSET;
    }
    long epochDay = epochDay(year, month, day);
    long secs = epochDay * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
    return secs * NANOS_PER_SECOND + nanos;
  }

  private static long parseSlow(String s) {
    try {
      return fromInstant(
          OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
    } catch (DateTimeParseException | ArithmeticException e) {
      // fall through: maybe no zone
    }
    try {
      return fromInstant(
          LocalDateTime.parse(s, DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC));
    } catch (DateTimeException | ArithmeticException e) {
      return UNSET;
    }
  }

  private static int digits(CharSequence s, int from, int count) {
    if (from + count > s.length()) {
      return -1;
    }
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static boolean leap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  }

  private static int daysInMonth(int y, int m) {
    return switch (m) {
      case 2 -> leap(y) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  /** Days from 1970-01-01 to the given civil date (Hinnant's days-from-civil). */
  private static long epochDay(int year, int month, int day) {
    long y = month <= 2 ? year - 1 : year;
    long era = Math.floorDiv(y, 400);
    long yoe = y - era * 400;
    long mp = month > 2 ? month - 3 : month + 9;
    long doy = (153 * mp + 2) / 5 + day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146_097 + doe - 719_468;
  }
}
