package dev.rampart.sigma.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.event.Event;
import dev.rampart.sigma.compile.SigmaEngine;
import dev.rampart.sigma.compile.SigmaMatcher;
import dev.rampart.sigma.eval.ReferenceEvaluator;
import dev.rampart.sigma.load.RuleLoader;
import dev.rampart.sigma.load.RuleSet;
import dev.rampart.sigma.mapping.Binding;
import dev.rampart.sigma.mapping.LogsourceMapping;
import dev.rampart.sigma.parse.LoadProblem;
import dev.rampart.sigma.parse.Placeholders;
import dev.rampart.sigma.rule.Logsource;
import dev.rampart.sigma.rule.SigmaRule;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case of the reference's conformance table (section 12), run through the reference
 * interpreter and the compiled engine. The cases are data in conformance/cases.yml.
 */
class ConformanceTest {

  interface Matcher {
    boolean matches(RuleSet set, SigmaRule rule, Event e);
  }

  static final LogsourceMapping UNIVERSAL = LogsourceMapping.universal();

  static Stream<DynamicTest> run(String engine, Matcher matcher) throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (ConformanceCases.Case c : ConformanceCases.load()) {
      tests.add(DynamicTest.dynamicTest(c.id() + " (" + engine + ")", () -> check(c, matcher)));
    }
    return tests.stream();
  }

  static void check(ConformanceCases.Case c, Matcher matcher) {
    Placeholders ph = new Placeholders(c.placeholders(), Placeholders.Policy.STRICT);
    RuleSet set = new RuleLoader(ph).addText(c.id() + ".yml", c.ruleYaml()).build();
    if (c.loadError() != null) {
      assertThat(set.rejected()).as("case %s must be rejected", c.id()).isPositive();
      assertThat(set.errors())
          .extracting(LoadProblem::message)
          .anySatisfy(m -> assertThat(m).contains(c.loadError()));
      assertThat(set.errors())
          .allSatisfy(e -> assertThat(e.line()).as("errors carry a line: %s", e).isPositive());
      return;
    }
    assertThat(set.errors()).as("case %s loads", c.id()).isEmpty();
    if (c.warning() != null) {
      assertThat(set.warnings())
          .extracting(LoadProblem::message)
          .anySatisfy(m -> assertThat(m).contains(c.warning()));
    }
    if (!c.loads().isEmpty()) {
      assertThat(set.rules()).hasSize(c.loads().getOrDefault("rules", 0));
      assertThat(set.correlations()).hasSize(c.loads().getOrDefault("correlations", 0));
    }
    for (ConformanceCases.Expect x : c.events()) {
      SigmaRule rule =
          set.rules().stream().filter(r -> x.rule().equals(r.id())).findFirst().orElseThrow();
      assertThat(matcher.matches(set, rule, x.event()))
          .as("%s on %s", c.id(), x.json())
          .isEqualTo(x.match());
    }
  }

  @TestFactory
  Stream<DynamicTest> compiledEngine() throws IOException {
    return run(
        "compiled",
        (set, rule, e) -> {
          // One catch-all binding per rule log source, so each rule applies as in the table.
          List<Binding> bindings = new ArrayList<>();
          for (SigmaRule r : set.rules()) {
            if (bindings.stream().noneMatch(b -> b.logsource().equals(r.logsource()))) {
              bindings.add(Binding.any(r.logsource()));
            }
          }
          SigmaEngine engine =
              SigmaEngine.compile(set.rules(), new LogsourceMapping("test", bindings));
          SigmaMatcher m = engine.newMatcher();
          m.match(e);
          return m.matchedRules().contains(set.rules().indexOf(rule));
        });
  }

  @TestFactory
  Stream<DynamicTest> referenceInterpreter() throws IOException {
    ReferenceEvaluator ref = new ReferenceEvaluator(UNIVERSAL);
    // The table is about matching, not routing: every rule is evaluated on every event.
    Binding any = Binding.any(Logsource.EMPTY);
    return run("reference", (set, rule, e) -> ref.matches(rule, e, any));
  }
}
