package dev.rampart.sigma.compile;

import dev.rampart.sigma.rule.ValueMatcher;

/**
 * A rule regex compiled once: RE2/J (linear time, safe against catastrophic patterns in untrusted
 * rule packs) whenever the syntax allows, java.util.regex only for the lookaround and backreference
 * patterns RE2 cannot express. Matching is a substring search.
 */
final class RegexPredicate {
  private final com.google.re2j.Pattern re2;
  private final java.util.regex.Pattern backtracking;
  // Literals every match contains (ASCII, compared ignoring case: a superset of what the regex
  // accepts). The regexes that reach here have no literal long enough for the automaton, but a
  // "${" or a backtick still turns most values away before the regex engine runs.
  private final String[] mustContain;
  // ".{n,}" and ".{n,m}" (rules that flag very long values): found exactly when the text has a
  // run of n characters '.' accepts. RE2 unrolls the counter into n states per position, which
  // made one such rule cost more than all others together on long PowerShell script blocks.
  private final int minRun;

  private final boolean dotAll;

  RegexPredicate(ValueMatcher.RegexMatch r) {
    dotAll = r.dotAll() || r.pattern().startsWith("(?s)");
    String p =
        switch (r.anchor()) {
          case NONE -> r.pattern();
          case START -> r.pattern().startsWith("^") ? r.pattern() : "\\A(?:" + r.pattern() + ")";
          case END -> r.pattern().endsWith("$") ? r.pattern() : "(?:" + r.pattern() + ")\\z";
        };
    com.google.re2j.Pattern compiled = null;
    try {
      int flags = 0;
      if (r.ignoreCase()) {
        flags |= com.google.re2j.Pattern.CASE_INSENSITIVE;
      }
      if (r.multiline()) {
        flags |= com.google.re2j.Pattern.MULTILINE;
      }
      if (r.dotAll()) {
        flags |= com.google.re2j.Pattern.DOTALL;
      }
      compiled = com.google.re2j.Pattern.compile(r.multiline() ? p : pcreDollar(p), flags);
    } catch (com.google.re2j.PatternSyntaxException e) {
      compiled = null;
    }
    re2 = compiled;
    backtracking = compiled == null ? dev.rampart.sigma.eval.Semantics.javaRegex(r) : null;
    minRun = r.anchor() == ValueMatcher.Anchor.NONE ? minRun(r.pattern()) : -1;
    mustContain =
        RegexLiterals.allRequired(r.pattern(), 1).stream()
            .filter(l -> l.chars().allMatch(c -> c < 128))
            .toArray(String[]::new);
  }

  /**
   * Sigma regexes follow PCRE, where {@code $} without the multiline flag matches at the end of the
   * text and also just before a final newline; RE2's {@code $} matches only at the very end. An
   * unescaped {@code $} outside a character class becomes {@code (?:\n?\z)}, which accepts the same
   * texts. Patterns that switch multiline on inline ({@code (?m)}) are left alone: there RE2 and
   * PCRE agree.
   */
  static String pcreDollar(String p) {
    if (p.indexOf('$') < 0 || INLINE_MULTILINE.matcher(p).find()) {
      return p;
    }
    StringBuilder out = new StringBuilder(p.length() + 16);
    boolean inClass = false;
    boolean quoted = false;
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (quoted) {
        out.append(c);
        if (c == '\\' && i + 1 < p.length() && p.charAt(i + 1) == 'E') {
          out.append('E');
          i++;
          quoted = false;
        }
        continue;
      }
      if (c == '\\' && i + 1 < p.length()) {
        char next = p.charAt(i + 1);
        out.append(c).append(next);
        i++;
        quoted = next == 'Q';
        continue;
      }
      if (inClass) {
        out.append(c);
        inClass = c != ']';
        continue;
      }
      if (c == '[') {
        out.append(c);
        inClass = true;
        // A ']' first in the class (after an optional '^') is a literal, not the end.
        if (i + 1 < p.length() && p.charAt(i + 1) == '^') {
          out.append('^');
          i++;
        }
        if (i + 1 < p.length() && p.charAt(i + 1) == ']') {
          out.append(']');
          i++;
        }
        continue;
      }
      out.append(c == '$' ? "(?:\\n?\\z)" : String.valueOf(c));
    }
    return out.toString();
  }

  private static final java.util.regex.Pattern INLINE_MULTILINE =
      java.util.regex.Pattern.compile("\\(\\?[a-zA-Z]*m[a-zA-Z]*(?:-[a-zA-Z]*)?[:)]");

  private static final java.util.regex.Pattern DOT_COUNT =
      java.util.regex.Pattern.compile("\\.\\{(\\d{1,6}),(\\d{0,6})\\}");

  private static int minRun(String pattern) {
    java.util.regex.Matcher m = DOT_COUNT.matcher(pattern);
    if (!m.matches()) {
      return -1;
    }
    int n = Integer.parseInt(m.group(1));
    return m.group(2).isEmpty() || Integer.parseInt(m.group(2)) >= n ? n : -1;
  }

  /** Whether {@code text} has {@code n} consecutive code points that '.' matches. */
  private boolean hasRun(CharSequence text, int n) {
    int run = 0;
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (Character.isLowSurrogate(ch) && i > 0 && Character.isHighSurrogate(text.charAt(i - 1))) {
        continue; // the second half of a code point already counted
      }
      if (ch == '\n' && !dotAll) {
        run = 0;
        continue;
      }
      if (++run >= n) {
        return true;
      }
    }
    return n == 0;
  }

  boolean find(CharSequence text) {
    if (minRun >= 0) {
      return hasRun(text, minRun);
    }
    if (text instanceof String s) {
      for (String l : mustContain) {
        if (!containsIgnoreCase(s, l)) {
          return false;
        }
      }
    }
    return re2 != null ? re2.matcher(text).find() : backtracking.matcher(text).find();
  }

  /** The regex alone (the reference for tests of the prefilter and the fast paths). */
  boolean findWithoutPrefilter(CharSequence text) {
    return re2 != null ? re2.matcher(text).find() : backtracking.matcher(text).find();
  }

  static boolean containsIgnoreCase(String s, String lit) {
    boolean letters = false;
    for (int i = 0; i < lit.length(); i++) {
      letters |= Character.isLetter(lit.charAt(i));
    }
    if (!letters) {
      return s.contains(lit);
    }
    int last = s.length() - lit.length();
    for (int i = 0; i <= last; i++) {
      if (s.regionMatches(true, i, lit, 0, lit.length())) {
        return true;
      }
    }
    return false;
  }

  boolean linearTime() {
    return re2 != null;
  }
}
