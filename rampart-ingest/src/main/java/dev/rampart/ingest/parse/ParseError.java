package dev.rampart.ingest.parse;

/**
 * Why a message did not parse: which parser, the 1-based column in the message, and what was
 * expected there.
 */
public record ParseError(String parser, int column, String message) {
  @Override
  public String toString() {
    return parser + ": column " + column + ": " + message;
  }
}
