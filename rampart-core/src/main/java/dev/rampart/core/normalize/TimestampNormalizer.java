package dev.rampart.core.normalize;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.FieldNames;
import dev.rampart.core.event.Timestamps;

/**
 * The fallback for JSON logs of no recognised shape: sets the event time from the usual keys
 * ({@code timestamp}, {@code time}, {@code ts} as epoch seconds or text, {@code EventTime}, {@code
 * date}) when the event has none. Fields are left alone.
 */
public final class TimestampNormalizer implements Normalizer {
  private static final int[] KEYS = {
    FieldNames.id("timestamp"),
    FieldNames.id("time"),
    FieldNames.id("ts"),
    FieldNames.id("EventTime"),
    FieldNames.id("event.created"),
    FieldNames.id("date"),
  };

  @Override
  public String name() {
    return "timestamp";
  }

  @Override
  public String description() {
    return "Any JSON: event time from timestamp, time, ts (epoch seconds), EventTime or date";
  }

  @Override
  public boolean normalize(Event e) {
    if (e.hasTimestamp()) {
      return false;
    }
    for (int key : KEYS) {
      int i = e.indexOf(key);
      if (i < 0) {
        continue;
      }
      long ts =
          switch (e.kind(i)) {
            case STRING -> Timestamps.parse(e.string(i));
            case DOUBLE -> Timestamps.fromEpochSeconds(e.doubleValue(i));
            case LONG -> epochNumber(e.longValue(i));
            case TIMESTAMP -> e.timestampValue(i);
            default -> Timestamps.UNSET;
          };
      if (ts != Timestamps.UNSET) {
        e.timestamp(ts);
        return true;
      }
    }
    return false;
  }

  /** Seconds, milliseconds or microseconds since the epoch, told apart by magnitude. */
  static long epochNumber(long v) {
    long abs = Math.abs(v);
    if (abs < 100_000_000_000L) {
      return v * 1_000_000_000L; // seconds (until year 5138)
    }
    if (abs < 100_000_000_000_000L) {
      return v * 1_000_000L; // milliseconds
    }
    if (abs < 100_000_000_000_000_000L) {
      return v * 1_000L; // microseconds
    }
    return v; // nanoseconds
  }
}
