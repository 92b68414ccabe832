package dev.rampart.sigma.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.event.Event;
import dev.rampart.core.io.Problems;
import dev.rampart.core.json.JsonEventReader;
import dev.rampart.core.json.ReadOptions;
import dev.rampart.core.normalize.Normalizers;
import dev.rampart.core.testing.Corpora;
import dev.rampart.sigma.compile.SigmaEngine;
import dev.rampart.sigma.compile.SigmaMatcher;
import dev.rampart.sigma.eval.ReferenceEvaluator;
import dev.rampart.sigma.mapping.LogsourceMapping;
import dev.rampart.sigma.rule.SigmaRule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/** Compiled engine and reference interpreter agree on real events through the default mapping. */
class RealEventsDifferentialTest {
  @Test
  void realEventsAgree() throws IOException {
    LogsourceMapping mapping = LogsourceMapping.defaults();
    List<SigmaRule> rules = SigmaHq.rules().rules();
    SigmaEngine engine = SigmaEngine.compile(rules, mapping);
    ReferenceEvaluator ref = new ReferenceEvaluator(mapping);
    SigmaMatcher m = engine.newMatcher();
    int events = 0;
    Path regression = Corpora.require("sigmahq-sigma/regression_data");
    try (Stream<Path> walk = Files.walk(regression)) {
      for (Path f : walk.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        for (Event e : SigmaHq.events(f)) {
          DifferentialTest.agree(engine, ref, m, e, f.toString());
          events++;
        }
      }
    }
    Path otrf = Corpora.require("otrf-security-datasets/datasets/atomic/windows");
    try (Stream<Path> walk = Files.walk(otrf)) {
      for (Path zip : walk.filter(p -> p.toString().endsWith(".zip")).sorted().limit(25).toList()) {
        try (ZipFile zf = new ZipFile(zip.toFile())) {
          for (ZipEntry entry : zf.stream().filter(x -> x.getName().endsWith(".json")).toList()) {
            try (InputStream in = zf.getInputStream(entry);
                JsonEventReader r =
                    new JsonEventReader(
                        in, entry.getName(), ReadOptions.DEFAULTS, new Problems(1))) {
              Event e = new Event();
              int n = 0;
              while (r.next(e) && n++ < 60) {
                Normalizers.normalize(e);
                DifferentialTest.agree(engine, ref, m, e, zip + "!" + entry.getName());
                events++;
              }
            }
          }
        }
      }
    }
    System.out.printf(
        "differential: %d real events, compiled == reference for %d rules%n", events, rules.size());
    assertThat(events).isGreaterThan(1000);
  }
}
