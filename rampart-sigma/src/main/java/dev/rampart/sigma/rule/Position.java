package dev.rampart.sigma.rule;

/** A 1-based line and column in a rule file; {@link #UNKNOWN} when there is none. */
public record Position(int line, int column) {
  public static final Position UNKNOWN = new Position(0, 0);

  public Position plusColumns(int n) {
    return line == 0 ? this : new Position(line, column + n);
  }

  @Override
  public String toString() {
    return line + ":" + column;
  }
}
