package dev.rampart.sigma.rule;

import java.util.Locale;

/** Sigma's severity levels, ordered from least to most severe. */
public enum Level {
  INFORMATIONAL,
  LOW,
  MEDIUM,
  HIGH,
  CRITICAL;

  /** Parses a level name (case-insensitive); null when it is not one. */
  public static Level parse(String s) {
    if (s == null) {
      return null;
    }
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The label for table columns: at most 8 characters ("info" for informational, as Hayabusa). */
  public String shortLabel() {
    return this == INFORMATIONAL ? "info" : label();
  }
}
