package dev.rampart.sigma.correlate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pySigma extension for temporal correlations: a condition written as a boolean expression over
 * rule names ({@code a and b and not c}; precedence not, and, or; parentheses).
 */
final class Expression {
  private static final Pattern TOKEN = Pattern.compile("\\s*(\\(|\\)|[A-Za-z_][A-Za-z0-9_.-]*)");

  private sealed interface Node permits Ref, Not, And, Or {}

  private record Ref(String key) implements Node {}

  private record Not(Node n) implements Node {}

  private record And(Node a, Node b) implements Node {}

  private record Or(Node a, Node b) implements Node {}

  private final Node root;

  private Expression(Node root) {
    this.root = root;
  }

  /** The rule names an expression mentions. */
  static Set<String> names(String text) {
    Set<String> out = new LinkedHashSet<>();
    for (String t : tokens(text)) {
      if (!t.equals("(") && !t.equals(")") && !isKeyword(t)) {
        out.add(t);
      }
    }
    return out;
  }

  /** Parses {@code text}; {@code resolve} turns a rule name into the signal source key. */
  static Expression parse(String text, UnaryOperator<String> resolve) {
    List<String> tokens = tokens(text);
    int[] at = {0};
    Node n = or(tokens, at, resolve);
    if (at[0] != tokens.size()) {
      throw new IllegalArgumentException("unexpected '" + tokens.get(at[0]) + "' in " + text);
    }
    return new Expression(n);
  }

  boolean test(Set<String> seen) {
    return eval(root, seen);
  }

  private static boolean eval(Node n, Set<String> seen) {
    return switch (n) {
      case Ref r -> seen.contains(r.key());
      case Not x -> !eval(x.n(), seen);
      case And x -> eval(x.a(), seen) && eval(x.b(), seen);
      case Or x -> eval(x.a(), seen) || eval(x.b(), seen);
    };
  }

  private static boolean isKeyword(String t) {
    return t.equalsIgnoreCase("and") || t.equalsIgnoreCase("or") || t.equalsIgnoreCase("not");
  }

  private static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = TOKEN.matcher(text);
    int pos = 0;
    while (pos < text.length()) {
      if (text.substring(pos).isBlank()) {
        break;
      }
      if (!m.find(pos) || m.start() != pos) {
        throw new IllegalArgumentException("cannot read '" + text.substring(pos).strip() + "'");
      }
      out.add(m.group(1));
      pos = m.end();
    }
    return out;
  }

  private static Node or(List<String> t, int[] at, UnaryOperator<String> r) {
    Node left = and(t, at, r);
    while (at[0] < t.size() && t.get(at[0]).equalsIgnoreCase("or")) {
      at[0]++;
      left = new Or(left, and(t, at, r));
    }
    return left;
  }

  private static Node and(List<String> t, int[] at, UnaryOperator<String> r) {
    Node left = not(t, at, r);
    while (at[0] < t.size() && t.get(at[0]).equalsIgnoreCase("and")) {
      at[0]++;
      left = new And(left, not(t, at, r));
    }
    return left;
  }

  private static Node not(List<String> t, int[] at, UnaryOperator<String> r) {
    if (at[0] < t.size() && t.get(at[0]).equalsIgnoreCase("not")) {
      at[0]++;
      return new Not(not(t, at, r));
    }
    if (at[0] >= t.size()) {
      throw new IllegalArgumentException("the expression ends too early");
    }
    String tok = t.get(at[0]++);
    if (tok.equals("(")) {
      Node n = or(t, at, r);
      if (at[0] >= t.size() || !t.get(at[0]).equals(")")) {
        throw new IllegalArgumentException("a '(' is not closed");
      }
      at[0]++;
      return n;
    }
    return new Ref(r.apply(tok));
  }
}
