package dev.rampart.sigma.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.sigma.rule.ValueMatcher;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** The literal prefilter never turns away a value the regex accepts (seed printed on failure). */
class RegexPredicateTest {
  private static final List<String> PATTERNS =
      List.of(
          "(?i)\\$\\{`?e`?n`?v`?:`?p`?a`?t`?h`?\\}",
          "\\w+`(?:\\w+|-|.)`[\\w+|\\s]",
          "\"(?:\\{\\d\\})+\"\\s*-f",
          "(?i)(set).*&&\\s?set.*(environment|invoke|\\$\\{?input).*&&.*\"",
          "\\\\[a-zA-Z]{8}\\.tmp$",
          "-k\\s\\w{1,64}(?:\\s?(?:-p|-s))?",
          "(?i)ks");
  private static final String ALPHABET = "${}`eEnNvV:pPaAtThH\"0-f& \\.tmpkKSs\u212a\u017f";

  @Property(tries = 300)
  void prefilterKeepsEveryMatch(@ForAll long seed) {
    Random rnd = new Random(seed);
    String pattern = PATTERNS.get(rnd.nextInt(PATTERNS.size()));
    RegexPredicate p =
        new RegexPredicate(
            new ValueMatcher.RegexMatch(pattern, false, false, false, ValueMatcher.Anchor.NONE));
    Pattern plain = Pattern.compile(pattern, Pattern.UNICODE_CASE);
    for (int k = 0; k < 50; k++) {
      StringBuilder sb = new StringBuilder();
      int n = rnd.nextInt(40);
      for (int i = 0; i < n; i++) {
        sb.append(ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
      }
      // Plant a match now and then so that both outcomes are exercised.
      if (rnd.nextInt(4) == 0) {
        sb.insert(
            rnd.nextInt(sb.length() + 1), rnd.nextBoolean() ? "${ENV:PATH}" : "a`b`c K\u017f");
      }
      String text = sb.toString();
      assertThat(p.find(text))
          .as("seed %d, pattern %s, text %s", seed, pattern, text)
          .isEqualTo(p.findWithoutPrefilter(text));
      if (plain.matcher(text).find()) {
        assertThat(p.find(text)).as("seed %d, pattern %s, text %s", seed, pattern, text).isTrue();
      }
    }
  }

  private static final List<String> LINE_PATTERNS =
      List.of(
          "ab$",
          "a.b",
          "b$|^a",
          "[$]b",
          "\\$b",
          "\\Qa$\\E",
          "(?m)b$",
          "(?i)B$",
          "a(b$)",
          "[^]$]$",
          "^a.*b$",
          "\\\\$");
  private static final String LINE_ALPHABET = "ab$\n\r\u2028\u0085\\]";

  /**
   * RE2/J with the PCRE {@code $} rewrite and the oracle's java.util.regex in UNIX_LINES mode agree
   * on texts full of line terminators (seed printed on failure).
   */
  @Property(tries = 300)
  void compiledRegexAgreesWithTheOracleAroundLineEnds(@ForAll long seed) {
    Random rnd = new Random(seed);
    String pattern = LINE_PATTERNS.get(rnd.nextInt(LINE_PATTERNS.size()));
    boolean multiline = rnd.nextInt(4) == 0;
    boolean dotAll = rnd.nextInt(4) == 0;
    ValueMatcher.RegexMatch r =
        new ValueMatcher.RegexMatch(
            pattern, rnd.nextBoolean(), multiline, dotAll, ValueMatcher.Anchor.NONE);
    RegexPredicate p = new RegexPredicate(r);
    assertThat(p.linearTime()).as(pattern).isTrue();
    Pattern oracle = dev.rampart.sigma.eval.Semantics.javaRegex(r);
    for (int k = 0; k < 40; k++) {
      StringBuilder sb = new StringBuilder();
      int n = rnd.nextInt(8);
      for (int i = 0; i < n; i++) {
        sb.append(LINE_ALPHABET.charAt(rnd.nextInt(LINE_ALPHABET.length())));
      }
      String text = sb.toString();
      assertThat(p.findWithoutPrefilter(text))
          .as("seed %d, pattern %s, m=%s s=%s, text %s", seed, pattern, multiline, dotAll, text)
          .isEqualTo(oracle.matcher(text).find());
    }
  }

  @org.junit.jupiter.api.Test
  void dollarMatchesBeforeAFinalNewlineAsInPcre() {
    RegexPredicate p =
        new RegexPredicate(
            new ValueMatcher.RegexMatch("abc$", false, false, false, ValueMatcher.Anchor.NONE));
    assertThat(p.find("x abc")).isTrue();
    assertThat(p.find("x abc\n")).isTrue();
    assertThat(p.find("x abc\n\n")).isFalse();
    assertThat(p.find("x abc\r\n")).isFalse();
    assertThat(RegexPredicate.pcreDollar("[$]\\$\\Q$\\E$")).isEqualTo("[$]\\$\\Q$\\E(?:\\n?\\z)");
  }

  /** The ".{n,}" fast path agrees with RE2 on texts with newlines and surrogate pairs. */
  @Property(tries = 300)
  void longRunFastPathAgreesWithRe2(@ForAll long seed) {
    Random rnd = new Random(seed);
    int n = rnd.nextInt(6);
    String pattern =
        rnd.nextBoolean() ? ".{" + n + ",}" : ".{" + n + "," + (n + rnd.nextInt(3)) + "}";
    boolean dotAll = rnd.nextBoolean();
    RegexPredicate p =
        new RegexPredicate(
            new ValueMatcher.RegexMatch(pattern, false, false, dotAll, ValueMatcher.Anchor.NONE));
    String alphabet = "ab\n\ud83d\ude00x";
    for (int k = 0; k < 40; k++) {
      StringBuilder sb = new StringBuilder();
      int len = rnd.nextInt(10);
      for (int i = 0; i < len; i++) {
        int c = rnd.nextInt(4);
        sb.append(c == 3 ? "\ud83d\ude00" : String.valueOf(alphabet.charAt(c)));
      }
      String text = sb.toString();
      assertThat(p.find(text))
          .as("seed %d, pattern %s, s=%s, text %s", seed, pattern, dotAll, text)
          .isEqualTo(p.findWithoutPrefilter(text));
    }
  }
}
