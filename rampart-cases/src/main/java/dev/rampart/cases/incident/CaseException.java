package dev.rampart.cases.incident;

/**
 * A request the case store refuses, with what the caller can do about it. {@link Kind} maps to an
 * HTTP status in one place (the API).
 */
public final class CaseException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why: not found (404), not allowed now (409), or invalid input (400). */
  public enum Kind {
    NOT_FOUND,
    CONFLICT,
    INVALID
  }

  private final Kind kind;

  public CaseException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
