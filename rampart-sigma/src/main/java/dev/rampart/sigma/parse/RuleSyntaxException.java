package dev.rampart.sigma.parse;

import dev.rampart.sigma.rule.Position;

/** Thrown inside the parser for a problem that rejects the current rule; caught per rule. */
final class RuleSyntaxException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Position position;

  RuleSyntaxException(Position position, String message) {
    super(message, null, false, false);
    this.position = position;
  }

  Position position() {
    return position;
  }
}
