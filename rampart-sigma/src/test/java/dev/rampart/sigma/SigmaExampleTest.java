package dev.rampart.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.event.Event;
import dev.rampart.core.io.Problems;
import dev.rampart.core.json.JsonEventReader;
import dev.rampart.core.json.ReadOptions;
import dev.rampart.core.normalize.Normalizers;
import dev.rampart.sigma.compile.SigmaEngine;
import dev.rampart.sigma.compile.SigmaMatcher;
import dev.rampart.sigma.load.RuleSet;
import dev.rampart.sigma.rule.SigmaRule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keeps the example of {@link Sigma}'s documentation (and the README's) true. */
class SigmaExampleTest {
  @Test
  void theDocumentedExampleRuns() throws IOException {
    String json =
        "{\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"EventID\":1,"
            + "\"Image\":\"C:\\\\Windows\\\\System32\\\\whoami.exe\","
            + "\"User\":\"NT AUTHORITY\\\\SYSTEM\",\"CommandLine\":\"whoami /all\"}";
    Event event = new Event();
    try (JsonEventReader r =
        new JsonEventReader(
            json.getBytes(StandardCharsets.UTF_8),
            "example",
            ReadOptions.DEFAULTS,
            new Problems(1))) {
      assertThat(r.next(event)).isTrue();
    }
    Normalizers.normalize(event);

    RuleSet rules = Sigma.load(Path.of("..", "rules"));
    assertThat(rules.problems()).isEmpty();
    SigmaEngine engine = Sigma.compile(rules);
    SigmaMatcher matcher = engine.newMatcher();
    int n = matcher.match(event);
    List<String> fired = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      SigmaRule rule = engine.rule(matcher.matched(i));
      fired.add(rule.level().label() + " " + rule.title());
    }
    assertThat(fired).containsExactly("high Whoami Run As LocalSystem");
  }
}
