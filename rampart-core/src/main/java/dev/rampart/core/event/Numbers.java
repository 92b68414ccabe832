package dev.rampart.core.event;

/** Canonical number text, shared by every writer so that a value renders the same everywhere. */
public final class Numbers {
  private Numbers() {}

  /**
   * The shortest text that reads back as the same double ({@link Double#toString(double)}), except
   * that non-finite values, which JSON cannot carry, are spelled out as strings by the writers.
   */
  public static String doubleText(double d) {
    return Double.toString(d);
  }
}
