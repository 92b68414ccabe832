package dev.rampart.sigma.parse;

import dev.rampart.sigma.rule.Position;
import java.util.function.Consumer;

/**
 * Checks a rule's regular expression at load time: RE2/J (linear time, the engine we run) when it
 * can, java.util.regex as a fallback for backtracking-only syntax (with a warning), an error naming
 * the problem otherwise.
 */
public final class RegexCheck {
  private RegexCheck() {}

  /** Whether RE2/J accepts the pattern. */
  public static boolean re2Compatible(String pattern) {
    try {
      com.google.re2j.Pattern.compile(pattern);
      return true;
    } catch (com.google.re2j.PatternSyntaxException e) {
      return false;
    }
  }

  static void validate(String pattern, Position pos, String key, Consumer<String> warn) {
    if (re2Compatible(pattern)) {
      return;
    }
    try {
      java.util.regex.Pattern.compile(pattern);
      warn.accept(
          "'"
              + key
              + "': the regular expression needs backtracking features (lookaround or"
              + " backreferences); it runs on java.util.regex, not in linear time");
    } catch (java.util.regex.PatternSyntaxException e) {
      throw new RuleSyntaxException(
          pos,
          "'"
              + key
              + "': invalid regular expression: "
              + e.getDescription()
              + " near index "
              + e.getIndex());
    }
  }
}
