package dev.rampart.sigma.parse;

import dev.rampart.sigma.rule.Position;

/**
 * A problem found while loading rules: where (file, line, column), which rule, and what. An error
 * rejects the rule (every other rule still loads); a warning keeps it.
 */
public record LoadProblem(
    Severity severity, String file, int line, int column, String rule, String message) {

  public enum Severity {
    WARNING,
    ERROR
  }

  public static LoadProblem error(String file, Position pos, String rule, String message) {
    return new LoadProblem(Severity.ERROR, file, pos.line(), pos.column(), rule, message);
  }

  public static LoadProblem warning(String file, Position pos, String rule, String message) {
    return new LoadProblem(Severity.WARNING, file, pos.line(), pos.column(), rule, message);
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** {@code file:line:column: error: message [rule]}, the compiler form editors understand. */
  @Override
  public String toString() {
    return file
        + ":"
        + line
        + ":"
        + column
        + ": "
        + (isError() ? "error" : "warning")
        + ": "
        + message
        + (rule == null ? "" : " [" + rule + "]");
  }
}
