package dev.rampart.store.query;

/**
 * A query that cannot run: what is wrong and at which column (1-based) of the query text. {@link
 * #render} shows the query with a caret under the column.
 */
public final class QueryException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int column;
  private final String problem;

  public QueryException(int column, String problem) {
    super("column " + column + ": " + problem);
    this.column = column;
    this.problem = problem;
  }

  public int column() {
    return column;
  }

  public String problem() {
    return problem;
  }

  /** The query, a caret under the column, and the message. */
  public String render(String query) {
    int c = Math.max(1, Math.min(column, query.length() + 1));
    return query + "\n" + " ".repeat(c - 1) + "^\n" + getMessage();
  }
}
