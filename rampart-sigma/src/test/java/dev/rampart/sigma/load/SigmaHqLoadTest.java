package dev.rampart.sigma.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.testing.Corpora;
import dev.rampart.sigma.parse.LoadProblem;
import dev.rampart.sigma.parse.Placeholders;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Every SigmaHQ rule folder loads; the figure and every rejection are printed. */
class SigmaHqLoadTest {
  static final String[] FOLDERS = {
    "rules", "rules-emerging-threats", "rules-threat-hunting", "rules-compliance", "rules-dfir"
  };

  @Test
  void allSigmaHqRulesLoad() throws IOException {
    Path root = Corpora.require("sigmahq-sigma");
    Placeholders values =
        Placeholders.load(
            Path.of("src/test/resources/placeholders.yml"), Placeholders.Policy.STRICT);
    RuleLoader loader = new RuleLoader(values);
    RuleLoader without = new RuleLoader(Placeholders.NONE);
    for (String f : FOLDERS) {
      loader.add(root.resolve(f));
      without.add(root.resolve(f));
    }
    RuleSet set = loader.build();
    // Without placeholder values only the rules that use %placeholders% are refused, each with a
    // message naming the placeholder.
    RuleSet strict = without.build();
    assertThat(strict.errors()).allSatisfy(e -> assertThat(e.message()).contains("placeholder %"));
    Map<String, Integer> warnings = new TreeMap<>();
    for (LoadProblem p : set.warnings()) {
      warnings.merge(p.message().replaceAll("'[^']*'", "'…'"), 1, Integer::sum);
    }
    System.out.printf(
        "SigmaHQ: %d rules, %d correlations, %d filters loaded; %d rejected; %d warnings%n",
        set.rules().size(),
        set.correlations().size(),
        set.filters().size(),
        set.rejected(),
        set.warnings().size());
    set.errors().forEach(e -> System.out.println("  " + e));
    warnings.forEach((m, n) -> System.out.println("  warning x" + n + ": " + m));
    assertThat(set.rejected()).isZero();
    assertThat(set.rules().size()).isGreaterThan(3000);
  }

  @Test
  void placeholderRulesLoadWithValuesFromConfig() throws IOException {
    Path root = Corpora.require("sigmahq-sigma/rules-placeholder");
    Placeholders values =
        Placeholders.load(
            Path.of("src/test/resources/placeholders.yml"), Placeholders.Policy.STRICT);
    RuleSet set = new RuleLoader(values).add(root).build();
    set.errors().forEach(e -> System.out.println("  " + e));
    assertThat(set.rejected()).isZero();
    assertThat(set.rules()).isNotEmpty();
    RuleSet strict = new RuleLoader(Placeholders.NONE).add(root).build();
    assertThat(strict.rejected()).as("without values, placeholder rules are rejected").isPositive();
    assertThat(strict.errors().get(0).message()).contains("placeholder");
  }
}
