package dev.rampart.ingest.parse;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * What parsers need to know beyond the message.
 *
 * @param zone the time zone of timestamps that carry none (classic syslog); UTC by default
 * @param now the reference time for timestamps without a year: a date more than a day ahead of it
 *     is taken to be last year's (a December line read in January)
 */
public record ParseOptions(ZoneId zone, Instant now) {
  public static ParseOptions defaults() {
    return new ParseOptions(ZoneOffset.UTC, Instant.now());
  }
}
