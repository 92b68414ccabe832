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
}
