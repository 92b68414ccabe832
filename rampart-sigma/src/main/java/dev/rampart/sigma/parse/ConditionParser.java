package dev.rampart.sigma.parse;

import dev.rampart.sigma.rule.Condition;
import dev.rampart.sigma.rule.Position;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The Sigma condition language (reference section 6): {@code or} < {@code and} < {@code not} <
 * {@code 1 of}/{@code all of} < parentheses. Tokens are the longest run of identifier characters,
 * classified as keywords only when the whole token is one, so {@code not_filter} is an identifier
 * (pySigma would read {@code not _filter}). Selectors are expanded against the rule's search
 * identifiers here; a selector that matches none of them is an error, never a silently dropped
 * operand. Errors name the column of the problem.
 */
public final class ConditionParser {
  private static final Set<String> KEYWORDS =
      Set.of("and", "or", "not", "of", "them", "all", "any", "1");

  private record Token(String text, int column) {}

  private final String text;
  private final List<String> searches;
  private final Position base;
  private final List<Token> tokens = new ArrayList<>();
  private int next;

  private ConditionParser(String text, List<String> searches, Position base) {
    this.text = text;
    this.searches = searches;
    this.base = base;
  }

  /**
   * Parses {@code text} against the rule's search identifiers (in declaration order).
   *
   * @param base the position of the condition's first character in the file, for messages
   */
  public static Condition parse(String text, List<String> searches, Position base) {
    ConditionParser p = new ConditionParser(text, searches, base);
    p.tokenize();
    if (p.tokens.isEmpty()) {
      throw p.error(0, "the condition is empty");
    }
    Condition c = p.orExpr();
    if (p.next < p.tokens.size()) {
      Token t = p.tokens.get(p.next);
      throw p.error(t.column(), "unexpected '" + t.text() + "'; expected 'and', 'or' or the end");
    }
    return c;
  }

  private RuleSyntaxException error(int column, String message) {
    return new RuleSyntaxException(
        base.plusColumns(column),
        "condition '" + text + "', column " + (column + 1) + ": " + message);
  }

  private static boolean identChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == '-'
        || c == '*';
  }

  private void tokenize() {
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        i++;
      } else if (c == '(' || c == ')') {
        tokens.add(new Token(String.valueOf(c), i));
        i++;
      } else if (c == '|') {
        throw error(i, "'|' aggregations are Sigma 1 syntax; express counts as a correlation rule");
      } else if (identChar(c)) {
        int start = i;
        while (i < text.length() && identChar(text.charAt(i))) {
          i++;
        }
        tokens.add(new Token(text.substring(start, i), start));
      } else {
        throw error(i, "unexpected character '" + c + "'");
      }
    }
  }

  private Token peek() {
    return next < tokens.size() ? tokens.get(next) : null;
  }

  private boolean isKeyword(Token t, String kw) {
    if (t == null) {
      return false;
    }
    if (t.text().equals(kw)) {
      return true;
    }
    if (t.text().equalsIgnoreCase(kw) && !searches.contains(t.text())) {
      throw error(
          t.column(), "operators are lowercase: write '" + kw + "', not '" + t.text() + "'");
    }
    return false;
  }

  private Condition orExpr() {
    List<Condition> parts = new ArrayList<>();
    parts.add(andExpr());
    while (isKeyword(peek(), "or")) {
      next++;
      parts.add(andExpr());
    }
    return parts.size() == 1 ? parts.get(0) : new Condition.Or(parts);
  }

  private Condition andExpr() {
    List<Condition> parts = new ArrayList<>();
    parts.add(notExpr());
    while (isKeyword(peek(), "and")) {
      next++;
      parts.add(notExpr());
    }
    return parts.size() == 1 ? parts.get(0) : new Condition.And(parts);
  }

  private Condition notExpr() {
    if (isKeyword(peek(), "not")) {
      next++;
      return new Condition.Not(notExpr());
    }
    return primary();
  }

  private Condition primary() {
    Token t = peek();
    if (t == null) {
      throw error(text.length(), "the condition ends where an identifier or '(' was expected");
    }
    if (t.text().equals("(")) {
      next++;
      Condition c = orExpr();
      Token close = peek();
      if (close == null || !close.text().equals(")")) {
        throw error(close == null ? text.length() : close.column(), "expected ')'");
      }
      next++;
      return c;
    }
    if (t.text().equals(")")) {
      throw error(t.column(), "unexpected ')'");
    }
    Token after = next + 1 < tokens.size() ? tokens.get(next + 1) : null;
    if (after != null && isKeyword(after, "of")) {
      return selector(t, after);
    }
    if (KEYWORDS.contains(t.text())) {
      throw error(t.column(), "'" + t.text() + "' is a keyword; expected an identifier");
    }
    if (t.text().contains("*")) {
      throw error(
          t.column(), "'" + t.text() + "' is a pattern; patterns only follow '1 of' or 'all of'");
    }
    if (!searches.contains(t.text())) {
      throw error(
          t.column(),
          "'"
              + t.text()
              + "' is not a search identifier of this rule (defined: "
              + String.join(", ", searches)
              + ")");
    }
    next++;
    return new Condition.Ref(t.text());
  }

  private Condition selector(Token quantifier, Token of) {
    boolean all;
    switch (quantifier.text()) {
      case "1", "any" -> all = false;
      case "all" -> all = true;
      default -> {
        if (quantifier.text().equalsIgnoreCase("all")
            || quantifier.text().equalsIgnoreCase("any")) {
          throw error(
              quantifier.column(),
              "operators are lowercase: write '"
                  + quantifier.text().toLowerCase(Locale.ROOT)
                  + "'");
        }
        throw error(
            quantifier.column(),
            "'" + quantifier.text() + " of' is not Sigma; use '1 of', 'any of' or 'all of'");
      }
    }
    next += 2;
    Token target = peek();
    if (target == null) {
      throw error(text.length(), "'of' needs 'them' or a pattern such as selection_*");
    }
    next++;
    List<String> matched = new ArrayList<>();
    if (target.text().equals("them")) {
      for (String s : searches) {
        if (!s.startsWith("_")) {
          matched.add(s);
        }
      }
    } else {
      String pattern = target.text();
      if (pattern.contains("-")) {
        throw error(
            target.column(),
            "'" + pattern + "': patterns may contain letters, digits, '_' and '*' only");
      }
      if (KEYWORDS.contains(pattern)) {
        throw error(target.column(), "'of' needs 'them' or a pattern, not '" + pattern + "'");
      }
      for (String s : searches) {
        if (s.startsWith("_") && !pattern.startsWith("_")) {
          continue;
        }
        if (globMatches(pattern, s)) {
          matched.add(s);
        }
      }
    }
    if (matched.isEmpty()) {
      throw error(
          target.column(),
          "'" + quantifier.text() + " of " + target.text() + "' matches no search identifier");
    }
    List<Condition> refs = new ArrayList<>();
    for (String m : matched) {
      refs.add(new Condition.Ref(m));
    }
    if (refs.size() == 1) {
      return refs.get(0);
    }
    return all ? new Condition.And(refs) : new Condition.Or(refs);
  }

  /** Full match of an identifier against a pattern whose only wildcard is '*'. */
  static boolean globMatches(String pattern, String s) {
    int p = 0;
    int i = 0;
    int star = -1;
    int mark = 0;
    while (i < s.length()) {
      if (p < pattern.length() && pattern.charAt(p) != '*' && pattern.charAt(p) == s.charAt(i)) {
        p++;
        i++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        mark = i;
      } else if (star >= 0) {
        p = star + 1;
        i = ++mark;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }
}
