package dev.rampart.ingest.parse;

import dev.rampart.core.event.Timestamps;
import java.time.Instant;

/** Times for parsers: a date outside what epoch nanoseconds hold (years after 2262) is no time. */
public final class Times {
  private Times() {}

  /** Epoch nanoseconds, or {@link Timestamps#UNSET} when the instant does not fit. */
  public static long nanos(Instant t) {
    try {
      return Timestamps.fromInstant(t);
    } catch (ArithmeticException e) {
      return Timestamps.UNSET;
    }
  }
}
