package dev.rampart.cli;

/** The exit codes every Rampart command uses. */
public final class ExitCodes {
  /** Success. */
  public static final int OK = 0;

  /** The command ran and reports findings (detections, failed checks). */
  public static final int FINDINGS = 1;

  /** Usage or input error. */
  public static final int USAGE = 2;

  private ExitCodes() {}
}
