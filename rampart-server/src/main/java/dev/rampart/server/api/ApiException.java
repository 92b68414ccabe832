package dev.rampart.server.api;

/** A request the API refuses before it reaches a store: a bad parameter or body (400). */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  ApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }
}
