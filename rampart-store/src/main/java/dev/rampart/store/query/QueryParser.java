package dev.rampart.store.query;

import dev.rampart.store.query.Query.Agg;
import dev.rampart.store.query.Query.Expr;
import dev.rampart.store.query.Query.Filter;
import dev.rampart.store.query.Query.Fn;
import dev.rampart.store.query.Query.Op;
import dev.rampart.store.query.Query.Pipe;
import dev.rampart.store.query.Query.SortKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Recursive descent over the grammar in docs/query-language.md. The filter part is read character
 * by character because its values are free-form (Windows paths, IPv6 addresses, URLs); pipe
 * arguments are read as small tokens. Every error names the column and what was expected.
 */
public final class QueryParser {
  /** Longest query accepted. */
  public static final int MAX_LENGTH = 16_384;

  private static final int MAX_DEPTH = 64;

  private final String s;
  private int pos;
  private int depth;

  private QueryParser(String s) {
    this.s = s;
  }

  public static Query parse(String text) throws QueryException {
    if (text.length() > MAX_LENGTH) {
      throw new QueryException(MAX_LENGTH, "query longer than " + MAX_LENGTH + " characters");
    }
    QueryParser p = new QueryParser(text);
    return p.query();
  }

  /**
   * The filter part of {@code text} as written, before its first pipe; {@code *} when it has none.
   */
  public static String filterText(String text) throws QueryException {
    if (text.length() > MAX_LENGTH) {
      throw new QueryException(MAX_LENGTH, "query longer than " + MAX_LENGTH + " characters");
    }
    QueryParser p = new QueryParser(text);
    p.skipSpace();
    if (!p.atPipeOrEnd()) {
      p.or();
    }
    String f = text.substring(0, p.pos).strip();
    return f.isEmpty() ? "*" : f;
  }

  private Query query() throws QueryException {
    skipSpace();
    Filter f = atPipeOrEnd() ? new Filter.All() : or();
    List<Pipe> pipes = new ArrayList<>();
    skipSpace();
    while (pos < s.length()) {
      if (s.charAt(pos) != '|') {
        throw error("expected AND, OR, NOT, ')' or '|', found " + found());
      }
      pos++;
      pipes.add(pipe());
      skipSpace();
    }
    return new Query(f, pipes);
  }

  // ---- filter ----

  private Filter or() throws QueryException {
    List<Filter> any = new ArrayList<>();
    any.add(and());
    while (keyword("OR")) {
      any.add(and());
    }
    return any.size() == 1 ? any.get(0) : new Filter.Or(any);
  }

  private Filter and() throws QueryException {
    List<Filter> all = new ArrayList<>();
    all.add(not());
    while (true) {
      skipSpace();
      if (atPipeOrEnd() || s.charAt(pos) == ')' || peekKeyword("OR")) {
        break;
      }
      keyword("AND");
      all.add(not());
    }
    return all.size() == 1 ? all.get(0) : new Filter.And(all);
  }

  private Filter not() throws QueryException {
    skipSpace();
    if (keyword("NOT")) {
      return new Filter.Not(nested());
    }
    if (pos < s.length()
        && s.charAt(pos) == '-'
        && pos + 1 < s.length()
        && !Character.isWhitespace(s.charAt(pos + 1))) {
      pos++;
      return new Filter.Not(nested());
    }
    return primary();
  }

  private Filter nested() throws QueryException {
    if (++depth > MAX_DEPTH) {
      throw error("nested more than " + MAX_DEPTH + " levels deep");
    }
    try {
      return not();
    } finally {
      depth--;
    }
  }

  private Filter primary() throws QueryException {
    skipSpace();
    if (atPipeOrEnd()) {
      throw error("expected a search term, found " + found());
    }
    char c = s.charAt(pos);
    if (c == '(') {
      int open = pos;
      pos++;
      if (++depth > MAX_DEPTH) {
        throw error("nested more than " + MAX_DEPTH + " levels deep");
      }
      Filter f = or();
      depth--;
      skipSpace();
      if (pos >= s.length() || s.charAt(pos) != ')') {
        throw new QueryException(
            col(), "expected ')' to close the '(' at column " + (open + 1) + ", found " + found());
      }
      pos++;
      return f;
    }
    if (c == ')') {
      throw error("unexpected ')'");
    }
    if (c == '*' && endsWord(pos + 1)) {
      pos++;
      return new Filter.All();
    }
    int start = pos;
    String field = fieldBeforeColon();
    if (field != null) {
      return fieldValue(field, start);
    }
    // a bare word or phrase: words of the message
    int column = col();
    if (c == '"') {
      return new Filter.Term("message", quoted(), true, column);
    }
    String w = word();
    if (w.indexOf('*') >= 0 || w.indexOf('?') >= 0) {
      return new Filter.Wildcard("message", w, column);
    }
    return new Filter.Term("message", w, false, column);
  }

  /** A field name followed by ':' at the cursor (consumed with the colon), or null. */
  private String fieldBeforeColon() {
    int i = pos;
    while (i < s.length() && isFieldChar(s.charAt(i))) {
      i++;
    }
    if (i > pos && i < s.length() && s.charAt(i) == ':') {
      String f = s.substring(pos, i);
      pos = i + 1;
      return f;
    }
    return null;
  }

  static boolean isFieldChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '@' || c == '-' || c == '#';
  }

  private Filter fieldValue(String field, int start) throws QueryException {
    int column = start + 1;
    if (pos >= s.length() || Character.isWhitespace(s.charAt(pos)) || s.charAt(pos) == '|') {
      throw error("expected a value after '" + field + ":', found " + found());
    }
    char c = s.charAt(pos);
    if (c == '*' && endsWord(pos + 1)) {
      pos++;
      return new Filter.Exists(field, column);
    }
    if (c == '"') {
      return new Filter.Term(field, quoted(), true, column);
    }
    if (c == '[' || c == '{') {
      return range(field, column);
    }
    if (c == '(') {
      // field:(a OR b c): each value for the field
      pos++;
      List<Filter> any = new ArrayList<>();
      while (true) {
        skipSpace();
        if (pos >= s.length()) {
          throw error("expected ')' to close the values of " + field + ", found the end");
        }
        if (s.charAt(pos) == ')') {
          pos++;
          break;
        }
        if (keyword("OR")) {
          continue;
        }
        any.add(valueFor(field, col()));
      }
      if (any.isEmpty()) {
        throw new QueryException(column, "no values in " + field + ":( )");
      }
      return any.size() == 1 ? any.get(0) : new Filter.Or(any);
    }
    if (c == '>' || c == '<') {
      boolean eq = pos + 1 < s.length() && s.charAt(pos + 1) == '=';
      pos += eq ? 2 : 1;
      if (pos >= s.length() || Character.isWhitespace(s.charAt(pos))) {
        throw error("expected a value after '" + c + (eq ? "=" : "") + "', found " + found());
      }
      String v = s.charAt(pos) == '"' ? quoted() : word();
      return c == '>'
          ? new Filter.Range(field, v, null, eq, false, column)
          : new Filter.Range(field, null, v, false, eq, column);
    }
    return valueFor(field, column);
  }

  private Filter valueFor(String field, int column) throws QueryException {
    if (pos < s.length() && s.charAt(pos) == '"') {
      return new Filter.Term(field, quoted(), true, column);
    }
    String w = word();
    if (w.indexOf('*') >= 0 || w.indexOf('?') >= 0) {
      return new Filter.Wildcard(field, w, column);
    }
    return new Filter.Term(field, w, false, column);
  }

  private Filter range(String field, int column) throws QueryException {
    boolean incLower = s.charAt(pos) == '[';
    pos++;
    skipSpace();
    String lower = bound();
    skipSpace();
    if (!keyword("TO")) {
      throw error("expected TO in the range of " + field + ", found " + found());
    }
    skipSpace();
    String upper = bound();
    skipSpace();
    if (pos >= s.length() || (s.charAt(pos) != ']' && s.charAt(pos) != '}')) {
      throw error("expected ']' or '}' to close the range of " + field + ", found " + found());
    }
    boolean incUpper = s.charAt(pos) == ']';
    pos++;
    return new Filter.Range(
        field, lower, upper, incLower && lower != null, incUpper && upper != null, column);
  }

  private String bound() throws QueryException {
    if (pos >= s.length()) {
      throw error("expected a range bound, found the end");
    }
    if (s.charAt(pos) == '"') {
      return quoted();
    }
    int start = pos;
    while (pos < s.length()
        && !Character.isWhitespace(s.charAt(pos))
        && s.charAt(pos) != ']'
        && s.charAt(pos) != '}') {
      pos++;
    }
    String b = s.substring(start, pos);
    if (b.isEmpty()) {
      throw error("expected a range bound, found " + found());
    }
    return b.equals("*") ? null : b;
  }

  /** A bare value: up to whitespace, '|' or an unbalanced ')'. Backslashes are literal. */
  private String word() throws QueryException {
    int start = pos;
    int parens = 0;
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (Character.isWhitespace(c) || c == '|' || c == '"') {
        break;
      }
      if (c == '(') {
        parens++;
      } else if (c == ')') {
        if (parens == 0) {
          break;
        }
        parens--;
      }
      pos++;
    }
    if (pos == start) {
      throw error("expected a value, found " + found());
    }
    return s.substring(start, pos);
  }

  /** A double-quoted string; backslash escapes the next character. */
  private String quoted() throws QueryException {
    int open = pos;
    pos++; // the quote
    StringBuilder sb = new StringBuilder();
    while (pos < s.length()) {
      char c = s.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      }
      if (c == '\\' && pos < s.length()) {
        sb.append(s.charAt(pos++));
      } else {
        sb.append(c);
      }
    }
    throw new QueryException(open + 1, "the quote opened here is never closed");
  }

  // ---- pipes ----

  private Pipe pipe() throws QueryException {
    skipSpace();
    int column = col();
    String cmd = ident();
    if (cmd == null) {
      throw error(
          "expected a command after '|' (where, stats, sort, head, fields, timechart), found "
              + found());
    }
    return switch (cmd.toLowerCase(Locale.ROOT)) {
      case "where" -> new Pipe.Where(expr());
      case "stats" -> stats();
      case "sort" -> sort();
      case "head" -> new Pipe.Head(positiveInt("head"));
      case "fields", "table" -> new Pipe.Fields(fieldList("fields"));
      case "timechart" -> timechart();
      default ->
          throw new QueryException(
              column,
              "unknown command '"
                  + cmd
                  + "'; expected where, stats, sort, head, fields or timechart");
    };
  }

  private Pipe stats() throws QueryException {
    List<Agg> aggs = aggs("stats");
    List<String> by = List.of();
    skipSpace();
    if (peekWord("by")) {
      pos += 2;
      by = fieldList("by");
    }
    return new Pipe.Stats(aggs, by);
  }

  private List<Agg> aggs(String where) throws QueryException {
    List<Agg> aggs = new ArrayList<>();
    do {
      skipSpace();
      int column = col();
      String fn = ident();
      if (fn == null) {
        throw error(
            "expected a function (count, dc, min, max, avg, sum) in "
                + where
                + ", found "
                + found());
      }
      Fn f;
      try {
        f = Fn.valueOf(fn.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new QueryException(
            column, "unknown function '" + fn + "'; expected count, dc, min, max, avg or sum");
      }
      skipSpace();
      if (pos >= s.length() || s.charAt(pos) != '(') {
        throw error("expected '(' after " + fn + ", found " + found());
      }
      pos++;
      skipSpace();
      String field = null;
      if (pos < s.length() && s.charAt(pos) != ')') {
        field = fieldName();
        skipSpace();
      }
      if (pos >= s.length() || s.charAt(pos) != ')') {
        throw error("expected ')' after the argument of " + fn + ", found " + found());
      }
      pos++;
      if (field == null && f != Fn.COUNT) {
        throw new QueryException(column, fn + "() needs a field: " + fn + "(field)");
      }
      aggs.add(new Agg(f, field));
      skipSpace();
    } while (consume(','));
    return aggs;
  }

  private Pipe sort() throws QueryException {
    List<SortKey> keys = new ArrayList<>();
    do {
      skipSpace();
      boolean desc = false;
      if (pos < s.length() && (s.charAt(pos) == '-' || s.charAt(pos) == '+')) {
        desc = s.charAt(pos) == '-';
        pos++;
      }
      keys.add(new SortKey(columnName(), desc));
      skipSpace();
    } while (consume(','));
    return new Pipe.Sort(keys);
  }

  private Pipe timechart() throws QueryException {
    skipSpace();
    long span = 3_600_000_000_000L;
    String spanText = "1h";
    int save = pos;
    if (s.startsWith("span", pos)) {
      pos += 4;
      skipSpace();
      if (!consume('=')) {
        pos = save;
      }
    }
    if (pos != save) {
      skipSpace();
      int column = col();
      spanText = ident();
      if (spanText == null) {
        throw error("expected a span such as 5m, 1h or 1d, found " + found());
      }
      span = duration(spanText, column);
    }
    List<Agg> aggs = aggs("timechart");
    String by = null;
    skipSpace();
    if (peekWord("by")) {
      pos += 2;
      skipSpace();
      by = fieldName();
    }
    return new Pipe.Timechart(span, spanText, aggs, by);
  }

  /** 30s, 5m, 1h, 1d, 1w as nanoseconds. */
  public static long duration(String text, int column) throws QueryException {
    int i = 0;
    while (i < text.length() && Character.isDigit(text.charAt(i))) {
      i++;
    }
    if (i == 0 || i > 9 || i == text.length()) {
      throw new QueryException(
          column, "expected a span such as 5m, 1h or 1d, found '" + text + "'");
    }
    long n = Long.parseLong(text.substring(0, i));
    long unit =
        switch (text.substring(i)) {
          case "s" -> 1_000_000_000L;
          case "m" -> 60_000_000_000L;
          case "h" -> 3_600_000_000_000L;
          case "d" -> 86_400_000_000_000L;
          case "w" -> 7 * 86_400_000_000_000L;
          default ->
              throw new QueryException(
                  column, "unknown unit in '" + text + "'; use s, m, h, d or w");
        };
    if (n <= 0) {
      throw new QueryException(column, "the span must be positive");
    }
    return n * unit;
  }

  private Expr expr() throws QueryException {
    Expr left = exprAnd();
    while (peekWordCi("or")) {
      pos += 2;
      left = new Expr.Or(left, exprAnd());
    }
    return left;
  }

  private Expr exprAnd() throws QueryException {
    Expr left = exprNot();
    while (peekWordCi("and")) {
      pos += 3;
      left = new Expr.And(left, exprNot());
    }
    return left;
  }

  private Expr exprNot() throws QueryException {
    skipSpace();
    if (peekWordCi("not")) {
      pos += 3;
      if (++depth > MAX_DEPTH) {
        throw error("nested more than " + MAX_DEPTH + " levels deep");
      }
      Expr e = new Expr.Not(exprNot());
      depth--;
      return e;
    }
    if (pos < s.length() && s.charAt(pos) == '(') {
      pos++;
      if (++depth > MAX_DEPTH) {
        throw error("nested more than " + MAX_DEPTH + " levels deep");
      }
      Expr e = expr();
      depth--;
      skipSpace();
      if (!consume(')')) {
        throw error("expected ')', found " + found());
      }
      return e;
    }
    String field = columnName();
    skipSpace();
    Op op = op();
    skipSpace();
    return new Expr.Cmp(field, op, literal());
  }

  private Op op() throws QueryException {
    for (Op o : new Op[] {Op.EQ, Op.NE, Op.LE, Op.GE, Op.LT, Op.GT}) {
      if (s.startsWith(o.text, pos)) {
        pos += o.text.length();
        return o;
      }
    }
    if (pos < s.length() && s.charAt(pos) == '=') {
      pos++;
      return Op.EQ;
    }
    throw error("expected a comparison (==, !=, <, <=, >, >=), found " + found());
  }

  private Object literal() throws QueryException {
    if (pos < s.length() && s.charAt(pos) == '"') {
      return quoted();
    }
    int start = pos;
    while (pos < s.length()
        && !Character.isWhitespace(s.charAt(pos))
        && s.charAt(pos) != ')'
        && s.charAt(pos) != '|') {
      pos++;
    }
    String w = s.substring(start, pos);
    if (w.isEmpty()) {
      throw error("expected a value, found " + found());
    }
    try {
      return Long.parseLong(w);
    } catch (NumberFormatException notLong) {
      try {
        return Double.parseDouble(w);
      } catch (NumberFormatException notNumber) {
        return w;
      }
    }
  }

  // ---- small tokens ----

  private List<String> fieldList(String where) throws QueryException {
    List<String> out = new ArrayList<>();
    do {
      skipSpace();
      out.add(columnName());
      skipSpace();
    } while (consume(','));
    return out;
  }

  /** A field name, or an aggregate's column name such as {@code count()} or {@code dc(f)}. */
  private String columnName() throws QueryException {
    String name = fieldName();
    if (pos < s.length() && s.charAt(pos) == '(') {
      int close = s.indexOf(')', pos);
      if (close < 0) {
        throw error("expected ')' to close " + name + "(");
      }
      name = name + s.substring(pos, close + 1).replace(" ", "");
      pos = close + 1;
    }
    return name;
  }

  private String fieldName() throws QueryException {
    int start = pos;
    while (pos < s.length() && isFieldChar(s.charAt(pos))) {
      pos++;
    }
    if (pos == start) {
      throw error("expected a field name, found " + found());
    }
    return s.substring(start, pos);
  }

  private String ident() {
    int start = pos;
    while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
      pos++;
    }
    return pos == start ? null : s.substring(start, pos);
  }

  private int positiveInt(String what) throws QueryException {
    skipSpace();
    int column = col();
    String n = ident();
    try {
      int v = Integer.parseInt(n == null ? "" : n);
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new QueryException(
        column, what + " needs a positive number, found " + (n == null ? found() : "'" + n + "'"));
  }

  private boolean consume(char c) {
    if (pos < s.length() && s.charAt(pos) == c) {
      pos++;
      return true;
    }
    return false;
  }

  private boolean keyword(String k) {
    skipSpace();
    if (peekKeyword(k)) {
      pos += k.length();
      return true;
    }
    return false;
  }

  /** {@code k} (upper case, as in Lucene's syntax) as a whole word at the cursor. */
  private boolean peekKeyword(String k) {
    return s.startsWith(k, pos) && endsWord(pos + k.length());
  }

  private boolean peekWord(String w) {
    return s.startsWith(w, pos) && endsWord(pos + w.length());
  }

  private boolean peekWordCi(String w) {
    skipSpace();
    return s.regionMatches(true, pos, w, 0, w.length()) && endsWord(pos + w.length());
  }

  private boolean endsWord(int i) {
    return i >= s.length()
        || Character.isWhitespace(s.charAt(i))
        || s.charAt(i) == ')'
        || s.charAt(i) == '('
        || s.charAt(i) == '|';
  }

  private boolean atPipeOrEnd() {
    return pos >= s.length() || s.charAt(pos) == '|';
  }

  private void skipSpace() {
    while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
      pos++;
    }
  }

  private int col() {
    return pos + 1;
  }

  private String found() {
    if (pos >= s.length()) {
      return "the end of the query";
    }
    int end = pos;
    while (end < s.length() && end - pos < 20 && !Character.isWhitespace(s.charAt(end))) {
      end++;
    }
    return "'" + s.substring(pos, Math.max(end, pos + 1)) + "'";
  }

  private QueryException error(String message) {
    return new QueryException(col(), message);
  }
}
