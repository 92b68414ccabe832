package dev.rampart.cli.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.event.Event;
import dev.rampart.core.io.Problems;
import dev.rampart.core.json.JsonEventReader;
import dev.rampart.core.json.ReadOptions;
import dev.rampart.core.normalize.Normalizers;
import dev.rampart.sigma.compile.SigmaEngine;
import dev.rampart.sigma.compile.SigmaMatcher;
import dev.rampart.sigma.load.RuleLoader;
import dev.rampart.sigma.load.RuleSet;
import dev.rampart.sigma.mapping.LogsourceMapping;
import dev.rampart.sigma.pack.RulePackCheck;
import dev.rampart.sigma.rule.Level;
import dev.rampart.sigma.rule.SigmaRule;
import dev.rampart.simulate.Scenario;
import dev.rampart.simulate.Simulator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The project's own rule pack ({@code rules/} at the root): every rule passes its own test events,
 * every attack instance {@code rampart simulate} injects is detected, and no rule of level medium
 * or above fires on the simulator's background traffic.
 */
class OwnRulePackTest {
  static final Path PACK = Path.of("..", "rules");

  @Test
  void everyRulePassesItsOwnTestEvents() throws IOException {
    RulePackCheck.Report report = RulePackCheck.check(PACK, LogsourceMapping.defaults());
    for (RulePackCheck.RuleResult r : report.rules()) {
      assertThat(r.failures()).as(r.file().toString()).isEmpty();
    }
    assertThat(report.problems()).isEmpty();
    assertThat(report.rules()).hasSizeGreaterThanOrEqualTo(20);
    System.out.printf(
        "own rule pack: %d rules, %d test events, all pass%n",
        report.rules().size(), report.cases());
  }

  @Test
  void everySimulatedAttackIsDetectedAndBackgroundStaysQuiet() throws IOException {
    RuleSet set = new RuleLoader().add(PACK).build();
    assertThat(set.errors()).isEmpty();
    SigmaEngine engine = SigmaEngine.compile(set.rules(), LogsourceMapping.defaults());
    SigmaMatcher matcher = engine.newMatcher();

    Map<String, Set<String>> rulesPerScenario = new TreeMap<>();
    Map<String, Integer> backgroundHits = new TreeMap<>();
    Set<String> missed = new TreeSet<>();
    int instances = 0;
    for (long seed : new long[] {3, 11, 2026}) {
      Simulator.Options d = Simulator.Options.of(List.of(Scenario.values()), 250_000, seed);
      Simulator.Options o =
          new Simulator.Options(
              d.scenarios(), d.events(), seed, d.startNanos(), d.durationNanos(), 20, 2);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      List<Simulator.Truth> truth = new ArrayList<>();
      Simulator.run(o, out, truth::add, n -> {});
      Map<String, Simulator.Truth> byId = new HashMap<>();
      Set<String> instanceKeys = new TreeSet<>();
      for (Simulator.Truth t : truth) {
        byId.put(t.eventId(), t);
        instanceKeys.add(t.scenario().id() + "#" + seed + "/" + t.instance());
      }
      instances += instanceKeys.size();
      Set<String> detected = new TreeSet<>();
      Problems problems = new Problems(10);
      try (JsonEventReader r =
          new JsonEventReader(
              new ByteArrayInputStream(out.toByteArray()),
              "simulate",
              ReadOptions.DEFAULTS,
              problems)) {
        Event e = new Event();
        while (r.next(e)) {
          Normalizers.normalize(e);
          int n = matcher.match(e);
          if (n == 0) {
            continue;
          }
          Simulator.Truth t = byId.get(e.getText("event.id"));
          for (int i = 0; i < n; i++) {
            SigmaRule rule = engine.rule(matcher.matched(i));
            if (t != null) {
              detected.add(t.scenario().id() + "#" + seed + "/" + t.instance());
              rulesPerScenario
                  .computeIfAbsent(t.scenario().id(), k -> new TreeSet<>())
                  .add(rule.level().label() + " " + rule.title());
            } else {
              backgroundHits.merge(rule.level().label() + " " + rule.title(), 1, Integer::sum);
            }
          }
        }
      }
      assertThat(problems.kept()).isEmpty();
      for (String k : instanceKeys) {
        if (!detected.contains(k)) {
          missed.add(k);
        }
      }
    }
    System.out.printf("own rule pack on simulate: %d attack instances%n", instances);
    rulesPerScenario.forEach((s, rules) -> System.out.printf("  %-20s %s%n", s, rules));
    System.out.printf("  background hits per rule: %s%n", backgroundHits);

    assertThat(missed).as("attack instances no rule detected").isEmpty();
    assertThat(rulesPerScenario.keySet())
        .containsExactlyInAnyOrderElementsOf(
            java.util.Arrays.stream(Scenario.values()).map(Scenario::id).toList());
    for (SigmaRule rule : set.rules()) {
      if (rule.level().compareTo(Level.MEDIUM) >= 0) {
        assertThat(backgroundHits)
            .as("a rule of level medium or above fires on background traffic")
            .doesNotContainKey(rule.level().label() + " " + rule.title());
      }
    }
  }
}
