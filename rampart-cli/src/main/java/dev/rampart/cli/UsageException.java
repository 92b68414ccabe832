package dev.rampart.cli;

/**
 * A problem with what the user asked for or gave us (a missing file, bad input under --strict):
 * reported as one line without a stack trace, exit code 2.
 */
public final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }

  public UsageException(String message, Throwable cause) {
    super(message, cause);
  }
}
