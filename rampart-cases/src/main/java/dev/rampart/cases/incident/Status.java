package dev.rampart.cases.incident;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * An incident's lifecycle. Only the transitions listed are allowed; a closed incident (resolved or
 * false positive) can be reopened into investigation.
 */
public enum Status {
  NEW,
  ACKNOWLEDGED,
  INVESTIGATING,
  CONTAINED,
  RESOLVED,
  FALSE_POSITIVE;

  /** Where an incident in this status may go next. */
  public Set<Status> next() {
    return switch (this) {
      case NEW -> EnumSet.of(ACKNOWLEDGED, FALSE_POSITIVE);
      case ACKNOWLEDGED -> EnumSet.of(INVESTIGATING, RESOLVED, FALSE_POSITIVE);
      case INVESTIGATING -> EnumSet.of(CONTAINED, RESOLVED, FALSE_POSITIVE);
      case CONTAINED -> EnumSet.of(RESOLVED);
      case RESOLVED, FALSE_POSITIVE -> EnumSet.of(INVESTIGATING);
    };
  }

  public boolean closed() {
    return this == RESOLVED || this == FALSE_POSITIVE;
  }

  /** The lower-case name people, the API and JSON use ({@code false_positive}). */
  @com.fasterxml.jackson.annotation.JsonValue
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@link #label()} (or the enum name); null when unknown. */
  public static Status parse(String s) {
    for (Status x : values()) {
      if (x.label().equals(s.trim().toLowerCase(Locale.ROOT))) {
        return x;
      }
    }
    return null;
  }
}
