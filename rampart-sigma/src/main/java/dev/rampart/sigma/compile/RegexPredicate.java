package dev.rampart.sigma.compile;

import dev.rampart.sigma.rule.ValueMatcher;

/**
 * A rule regex compiled once: RE2/J (linear time, safe against catastrophic patterns in untrusted
 * rule packs) whenever the syntax allows, java.util.regex only for the lookaround and backreference
 * patterns RE2 cannot express. Matching is a substring search.
 */
final class RegexPredicate {
  private final com.google.re2j.Pattern re2;
  private final java.util.regex.Pattern java;
  // Literals every match contains (ASCII, compared ignoring case: a superset of what the regex
  // accepts). The regexes that reach here have no literal long enough for the automaton, but a
  // "${" or a backtick still turns most values away before the regex engine runs.
  private final String[] mustContain;

  RegexPredicate(ValueMatcher.RegexMatch r) {
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
      compiled = com.google.re2j.Pattern.compile(p, flags);
    } catch (com.google.re2j.PatternSyntaxException e) {
      compiled = null;
    }
    re2 = compiled;
    java = compiled == null ? dev.rampart.sigma.eval.Semantics.javaRegex(r) : null;
    mustContain =
        RegexLiterals.allRequired(r.pattern(), 1).stream()
            .filter(l -> l.chars().allMatch(c -> c < 128))
            .toArray(String[]::new);
  }

  boolean find(CharSequence text) {
    if (text instanceof String s) {
      for (String l : mustContain) {
        if (!containsIgnoreCase(s, l)) {
          return false;
        }
      }
    }
    return re2 != null ? re2.matcher(text).find() : java.matcher(text).find();
  }

  /** The regex alone (the reference for tests of the prefilter). */
  boolean findWithoutPrefilter(CharSequence text) {
    return re2 != null ? re2.matcher(text).find() : java.matcher(text).find();
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
