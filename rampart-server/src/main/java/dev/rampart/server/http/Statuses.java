package dev.rampart.server.http;

import dev.rampart.cases.incident.CaseException;

/**
 * The one mapping from a store's refusal to an HTTP status, for every HTTP face of the server (the
 * API and the agents' port), in a package of its own that both may use.
 */
public final class Statuses {
  private Statuses() {}

  public static int of(CaseException.Kind kind) {
    return switch (kind) {
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case INVALID -> 400;
    };
  }
}
