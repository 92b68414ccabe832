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
  }

  boolean find(CharSequence text) {
    return re2 != null ? re2.matcher(text).find() : java.matcher(text).find();
  }

  boolean linearTime() {
    return re2 != null;
  }
}
