package dev.rampart.cli.hunt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.bench.DetectBench;
import dev.rampart.core.event.Event;
import dev.rampart.core.io.InputFiles;
import dev.rampart.core.io.Problems;
import dev.rampart.core.json.JsonEventReader;
import dev.rampart.core.json.ReadOptions;
import dev.rampart.core.normalize.Normalizers;
import dev.rampart.core.testing.Corpora;
import dev.rampart.evtx.Evtx;
import dev.rampart.evtx.EvtxEvents;
import dev.rampart.sigma.compile.SigmaEngine;
import dev.rampart.sigma.compile.SigmaMatcher;
import dev.rampart.sigma.load.RuleSet;
import dev.rampart.sigma.mapping.LogsourceMapping;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every SigmaHQ regression pair's rule fires on its {@code .evtx} as read by our EVTX reader, and
 * every record fires exactly the rules its {@code .json} twin fires.
 */
class EvtxRegressionPairsTest {
  @Test
  void everyPairFiresOnTheEvtxAsOnItsJsonTwin() throws IOException {
    Path corpora = Corpora.require("sigmahq-sigma").getParent();
    Path root = corpora.resolve("sigmahq-sigma");
    RuleSet set = DetectBench.loadRules(corpora);
    SigmaEngine engine = SigmaEngine.compile(set.rules(), LogsourceMapping.defaults());
    SigmaMatcher matcher = engine.newMatcher();
    JsonNode index = new ObjectMapper().readTree(root.resolve("regression_index.json").toFile());
    int fired = 0;
    List<String> problems = new ArrayList<>();
    for (JsonNode pair : index) {
      String id = pair.get("rule_id").asText();
      int ruleIndex = -1;
      for (int i = 0; i < engine.rules().size(); i++) {
        if (engine.rule(i).id().equals(id)) {
          ruleIndex = i;
        }
      }
      Path evtx = root.resolve(pair.get("evtx_path").asText());
      List<TreeSet<Integer>> fromEvtx = new ArrayList<>();
      Problems p = new Problems(10);
      EvtxEvents events =
          new EvtxEvents(
              evtx.toString(), p, (e, record, offset) -> fromEvtx.add(fired(matcher, e)));
      Evtx.read(evtx, p, events::add);
      events.flush();
      assertThat(p.kept()).as(evtx.toString()).isEmpty();
      List<TreeSet<Integer>> fromJson = new ArrayList<>();
      Path json = root.resolve(pair.get("json_path").asText());
      try (JsonEventReader r =
          new JsonEventReader(InputFiles.open(json), json.toString(), ReadOptions.DEFAULTS, p)) {
        Event e = new Event();
        while (r.next(e)) {
          Normalizers.normalize(e);
          fromJson.add(fired(matcher, e));
        }
      }
      final int target = ruleIndex;
      if (fromEvtx.stream().anyMatch(s -> s.contains(target))) {
        fired++;
      } else {
        problems.add(id + " does not fire on " + evtx);
      }
      if (!fromEvtx.equals(fromJson)) {
        problems.add(
            evtx
                + ": rules fired per record differ from the twin: "
                + fromEvtx
                + " vs "
                + fromJson);
      }
    }
    System.out.printf("EVTX regression pairs: %d of %d fire on the .evtx%n", fired, index.size());
    problems.forEach(System.out::println);
    assertThat(problems).isEmpty();
  }

  private static TreeSet<Integer> fired(SigmaMatcher m, Event e) {
    TreeSet<Integer> out = new TreeSet<>();
    int n = m.match(e);
    for (int i = 0; i < n; i++) {
      out.add(m.matched(i));
    }
    return out;
  }
}
