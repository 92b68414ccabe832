package dev.rampart.sigma.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.core.event.Event;
import dev.rampart.core.testing.Corpora;
import dev.rampart.sigma.compile.SigmaEngine;
import dev.rampart.sigma.compile.SigmaMatcher;
import dev.rampart.sigma.eval.ReferenceEvaluator;
import dev.rampart.sigma.load.RuleSet;
import dev.rampart.sigma.mapping.LogsourceMapping;
import dev.rampart.sigma.rule.SigmaRule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * For every SigmaHQ regression pair, the pair's rule fires on its log (the JSON rendering of the
 * EVTX file), in the compiled engine and in the reference interpreter, through the default log
 * source mapping. Misses are printed with their cause.
 */
class RegressionPairsTest {

  @Test
  void everyPairFires() throws IOException {
    Path root = Corpora.require("sigmahq-sigma");
    RuleSet set = SigmaHq.rules();
    LogsourceMapping mapping = LogsourceMapping.defaults();
    SigmaEngine engine = SigmaEngine.compile(set.rules(), mapping);
    SigmaMatcher matcher = engine.newMatcher();
    ReferenceEvaluator ref = new ReferenceEvaluator(mapping);
    JsonNode index = new ObjectMapper().readTree(root.resolve("regression_index.json").toFile());
    int fired = 0;
    int otherRules = 0;
    List<String> misses = new ArrayList<>();
    for (JsonNode pair : index) {
      String id = pair.get("rule_id").asText();
      SigmaRule rule = set.rules().stream().filter(r -> id.equals(r.id())).findFirst().orElse(null);
      if (rule == null) {
        misses.add(id + ": rule not loaded");
        continue;
      }
      int ruleIndex = set.rules().indexOf(rule);
      boolean compiledHit = false;
      boolean referenceHit = false;
      Set<Integer> others = new HashSet<>();
      for (Event e : SigmaHq.events(root.resolve(pair.get("json_path").asText()))) {
        int n = matcher.match(e);
        for (int i = 0; i < n; i++) {
          if (matcher.matched(i) == ruleIndex) {
            compiledHit = true;
          } else {
            others.add(matcher.matched(i));
          }
        }
        referenceHit |= ref.matches(rule, e);
      }
      otherRules += others.size();
      assertThat(compiledHit).as("compiled and reference agree on %s", id).isEqualTo(referenceHit);
      if (compiledHit) {
        fired++;
      } else {
        misses.add(
            id
                + " "
                + pair.get("rule_path").asText()
                + ": "
                + explain(set, rule, root.resolve(pair.get("json_path").asText()), mapping));
      }
    }
    System.out.printf(
        "regression pairs: %d of %d fire; %d other rule hits on those logs%n",
        fired, index.size(), otherRules);
    misses.forEach(m -> System.out.println("  miss: " + m));
    assertThat(fired).isEqualTo(index.size());
  }

  private static String explain(RuleSet set, SigmaRule rule, Path json, LogsourceMapping mapping)
      throws IOException {
    List<Event> events = SigmaHq.events(json);
    if (events.isEmpty()) {
      return "no events in the file";
    }
    Event e = events.get(0);
    var bindings = mapping.bindingsFor(e);
    boolean applies =
        bindings.stream().anyMatch(b -> rule.logsource().isSatisfiedBy(b.logsource()));
    if (!applies) {
      return "log source "
          + rule.logsource().key()
          + " not among the event's "
          + bindings.stream().map(b -> b.logsource().key()).toList()
          + " (log type "
          + e.source().logType()
          + ")";
    }
    return "applies but does not match";
  }
}
