package dev.rampart.server.search;

import dev.rampart.core.event.Timestamps;
import dev.rampart.store.query.QueryException;
import dev.rampart.store.query.QueryParser;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * The time a search covers: a relative {@code range} ending now (24h), or {@code from} and {@code
 * to} as typed (an incident's window, or {@code -2h} to {@code now}). The console's search page,
 * its exports and saved searches name windows this way; a saved one is {@link #saved()} ({@code
 * 24h}, {@code -2h..now}) and comes back through {@link #parse}, relative to the time it runs.
 *
 * @param error what is wrong with from or to, null when nothing is
 */
public record SearchWindow(
    String range, String from, String to, long fromNanos, long toNanos, String error) {
  public static final Map<String, Duration> RANGES =
      Map.of(
          "15m", Duration.ofMinutes(15),
          "1h", Duration.ofHours(1),
          "24h", Duration.ofHours(24),
          "7d", Duration.ofDays(7),
          "30d", Duration.ofDays(30),
          "all", Duration.ofDays(36_500));

  /**
   * The window of {@code range} or, when either is given, of {@code from} and {@code to}; {@code
   * now} in epoch nanos.
   */
  public static SearchWindow of(String range, String from, String to, long now) {
    from = strip(from);
    to = strip(to);
    if (!from.isEmpty() || !to.isEmpty()) {
      try {
        long f = from.isEmpty() ? Long.MIN_VALUE : instant(from, now, "from");
        long t = to.isEmpty() ? now : instant(to, now, "to");
        if (f >= t) {
          return new SearchWindow("custom", from, to, 0, 0, "from must be before to.");
        }
        return new SearchWindow("custom", from, to, f, t, null);
      } catch (IllegalArgumentException e) {
        return new SearchWindow("custom", from, to, 0, 0, e.getMessage());
      }
    }
    range = strip(range);
    range = RANGES.containsKey(range) ? range : "24h";
    long f = range.equals("all") ? Long.MIN_VALUE : now - RANGES.get(range).toNanos();
    return new SearchWindow(range, "", "", f, now, null);
  }

  /** The window a saved search names ({@link #saved()}), as of {@code now}. */
  public static SearchWindow parse(String saved, long now) {
    int dots = saved.indexOf("..");
    return dots < 0
        ? of(saved, null, null, now)
        : of(null, saved.substring(0, dots), saved.substring(dots + 2), now);
  }

  /** How a saved search keeps it: the range, or from..to as typed. */
  public String saved() {
    return range.equals("custom") ? from + ".." + to : range;
  }

  /** The window of [fromNanos, toNanos), as an investigation names it: two instants. */
  public static SearchWindow between(long fromNanos, long toNanos) {
    return new SearchWindow(
        "custom",
        Timestamps.format(fromNanos),
        Timestamps.format(toNanos),
        fromNanos,
        toNanos,
        null);
  }

  /** The console's search page for {@code query} over this window. */
  public String href(String query) {
    return "/search?q=" + encode(query) + "&" + params();
  }

  /** The query string that names this window again. */
  public String params() {
    return range.equals("custom")
        ? "from=" + encode(from) + "&to=" + encode(to)
        : "range=" + encode(range);
  }

  /** How a page describes it. */
  public String label() {
    if (!range.equals("custom")) {
      return range.equals("all") ? "all time" : "the last " + range;
    }
    return (from.isEmpty() ? "the beginning" : Timestamps.format(fromNanos))
        + " to "
        + (to.isEmpty() ? "now" : Timestamps.format(toNanos));
  }

  /** A histogram's bucket: from about 24 to 1,400 bars whatever the window. */
  public String span() {
    long hours =
        fromNanos == Long.MIN_VALUE ? Long.MAX_VALUE : (toNanos - fromNanos) / 3_600_000_000_000L;
    return hours < 1 ? "1m" : hours <= 24 ? "1h" : hours <= 24 * 60 ? "1d" : "7d";
  }

  /**
   * An instant as people type it: {@code now}, {@code -2h} / {@code -7d} before now, a day ({@code
   * 2026-12-01}, its start), a browser's local time ({@code 2026-12-01T10:00}) or an ISO-8601
   * instant; days and times without an offset are UTC, as the console shows every time.
   *
   * @throws IllegalArgumentException saying what it wants, naming {@code name}
   */
  public static long instant(String s, long now, String name) {
    if (s.equals("now")) {
      return now;
    }
    if (s.startsWith("-")) {
      try {
        return now - QueryParser.duration(s.substring(1), 1);
      } catch (QueryException e) {
        throw new IllegalArgumentException(name + ": " + e.problem());
      }
    }
    try {
      if (s.length() == 10) {
        return Timestamps.fromInstant(LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant());
      }
      if (s.length() <= 19 && s.indexOf('T') == 10) {
        return Timestamps.fromInstant(LocalDateTime.parse(s).toInstant(ZoneOffset.UTC));
      }
    } catch (DateTimeParseException e) {
      // falls through to the message below
    }
    long t = s.length() > 19 ? Timestamps.parse(s) : Timestamps.UNSET;
    if (t == Timestamps.UNSET) {
      throw new IllegalArgumentException(
          name
              + " wants a time such as 2026-12-01T10:00:00Z, 2026-12-01T10:00 (UTC), 2026-12-01,"
              + " now or -2h; got '"
              + s
              + "'.");
    }
    return t;
  }

  private static String strip(String s) {
    return s == null ? "" : s.strip();
  }

  /** A value for a URL's query string. */
  public static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
