package dev.rampart.server.api;

/** A request the API refuses before it reaches a store: a bad parameter or body (400). */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  ApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }

  /** The HTTP status of a store's refusal: the one mapping, for the API and the agents' port. */
  public static int status(dev.rampart.cases.incident.CaseException.Kind kind) {
    return switch (kind) {
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case INVALID -> 400;
    };
  }
}
