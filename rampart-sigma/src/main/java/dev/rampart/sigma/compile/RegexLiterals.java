package dev.rampart.sigma.compile;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds a literal that every match of a regex must contain, so that the field's Aho-Corasick scan
 * can decide when the regex is worth running at all. Conservative: groups, classes, escapes with a
 * meaning, and optional characters end a literal; a top-level alternation gives up.
 */
final class RegexLiterals {
  private static final String SPECIAL_ESCAPES = "dDwWsSbBAzZGQEpPkxu0123456789cnrtfveaN";

  private RegexLiterals() {}

  /** The longest required literal of at least {@code min} chars, or null. */
  static String required(String pattern, int min) {
    List<String> all = allRequired(pattern, min);
    String best = null;
    for (String r : all) {
      if (best == null || r.length() > best.length()) {
        best = r;
      }
    }
    return best;
  }

  /**
   * Every literal of at least {@code min} chars that every match contains (distinct, in order);
   * empty when none can be proven.
   */
  static List<String> allRequired(String pattern, int min) {
    List<String> runs = runs(pattern);
    List<String> out = new ArrayList<>();
    if (runs == null) {
      return out;
    }
    for (String r : runs) {
      if (r.length() >= min && !out.contains(r)) {
        out.add(r);
      }
    }
    return out;
  }

  private static List<String> runs(String pattern) {
    if (pattern.contains("\\Q") || extendedSyntax(pattern)) {
      return null; // quoting and free-spacing change what a run of chars means
    }
    List<String> runs = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int i = 0;
    int n = pattern.length();
    while (i < n) {
      char c = pattern.charAt(i);
      switch (c) {
        case '(' -> {
          flush(cur, runs);
          i = skipGroup(pattern, i);
          if (i < 0) {
            return null;
          }
          i = skipQuantifier(pattern, i);
          continue;
        }
        case '[' -> {
          flush(cur, runs);
          i = skipClass(pattern, i);
          if (i < 0) {
            return null;
          }
          i = skipQuantifier(pattern, i);
          continue;
        }
        case '|' -> {
          return null;
        }
        case '.', '^', '$' -> {
          flush(cur, runs);
          i = skipQuantifier(pattern, i + 1);
          continue;
        }
        case ')' -> {
          return null; // unbalanced: let the regex engine report it
        }
        case '\\' -> {
          if (i + 1 >= n) {
            return null;
          }
          char e = pattern.charAt(i + 1);
          if (SPECIAL_ESCAPES.indexOf(e) >= 0) {
            flush(cur, runs);
            i = skipQuantifier(pattern, i + 2);
            continue;
          }
          i = literal(pattern, i + 2, e, cur, runs);
          continue;
        }
        case '*', '+', '?', '{' -> {
          return null; // a quantifier with nothing before it
        }
        default -> {
          i = literal(pattern, i + 1, c, cur, runs);
          continue;
        }
      }
    }
    flush(cur, runs);
    return runs;
  }

  /**
   * Adds literal char {@code c} (which ended before {@code next}) unless a quantifier makes it
   * optional.
   */
  private static int literal(String p, int next, char c, StringBuilder cur, List<String> runs) {
    if (next < p.length()) {
      char q = p.charAt(next);
      if (q == '?' || q == '*' || (q == '{' && minRepeat(p, next) == 0)) {
        flush(cur, runs);
        return skipQuantifier(p, next);
      }
      if (q == '+' || q == '{') {
        cur.append(c);
        flush(cur, runs);
        return skipQuantifier(p, next);
      }
    }
    cur.append(c);
    return next;
  }

  private static int minRepeat(String p, int brace) {
    int close = p.indexOf('}', brace);
    if (close < 0) {
      return -1;
    }
    String inner = p.substring(brace + 1, close);
    String first = inner.contains(",") ? inner.substring(0, inner.indexOf(',')) : inner;
    try {
      return Integer.parseInt(first.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static int skipQuantifier(String p, int i) {
    if (i >= p.length()) {
      return i;
    }
    char q = p.charAt(i);
    if (q == '?' || q == '*' || q == '+') {
      i++;
    } else if (q == '{') {
      int close = p.indexOf('}', i);
      i = close < 0 ? p.length() : close + 1;
    } else {
      return i;
    }
    if (i < p.length() && (p.charAt(i) == '?' || p.charAt(i) == '+')) {
      i++; // lazy or possessive
    }
    return i;
  }

  private static int skipGroup(String p, int i) {
    int depth = 0;
    while (i < p.length()) {
      char c = p.charAt(i);
      if (c == '\\') {
        i += 2;
        continue;
      }
      if (c == '[') {
        i = skipClass(p, i);
        if (i < 0) {
          return -1;
        }
        continue;
      }
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
        if (depth == 0) {
          return i + 1;
        }
      }
      i++;
    }
    return -1;
  }

  private static int skipClass(String p, int i) {
    int j = i + 1;
    if (j < p.length() && p.charAt(j) == '^') {
      j++;
    }
    if (j < p.length() && p.charAt(j) == ']') {
      j++;
    }
    while (j < p.length()) {
      char c = p.charAt(j);
      if (c == '\\') {
        j += 2;
        continue;
      }
      if (c == ']') {
        return j + 1;
      }
      j++;
    }
    return -1;
  }

  /** Whether an inline flag group turns on {@code x} (whitespace and comments in the pattern). */
  private static boolean extendedSyntax(String p) {
    for (int i = p.indexOf("(?"); i >= 0; i = p.indexOf("(?", i + 2)) {
      for (int j = i + 2; j < p.length(); j++) {
        char c = p.charAt(j);
        if (c == 'x') {
          return true;
        }
        if (c == ')' || c == ':' || c == '-' || !Character.isLetter(c)) {
          break;
        }
      }
    }
    return false;
  }

  private static void flush(StringBuilder cur, List<String> runs) {
    if (cur.length() > 0) {
      runs.add(cur.toString());
      cur.setLength(0);
    }
  }
}
