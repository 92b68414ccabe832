package dev.rampart.evtx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.io.Problems;
import dev.rampart.core.testing.Corpora;
import dev.rampart.evtx.file.EvtxReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keeps the example in {@link Evtx}'s documentation true. */
class EvtxExampleTest {
  @Test
  void theDocumentedExampleRuns() throws IOException {
    Path file =
        Corpora.require("evtx-attack-samples")
            .resolve("Credential Access/sysmon_10_11_lsass_memdump.evtx.gz");
    Problems problems = new Problems(100);
    List<String> roots = new ArrayList<>();
    EvtxReader stats =
        Evtx.read(
            file, problems, record -> roots.add(record.recordId() + " " + record.root().name()));
    assertThat(stats.records()).isPositive();
    assertThat(roots).allMatch(r -> r.endsWith(" Event"));

    List<String> ids = new ArrayList<>();
    EvtxEvents events =
        new EvtxEvents(
            file.toString(),
            problems,
            (event, recordId, offset) -> ids.add(event.getText("EventID")));
    Evtx.read(file, problems, events::add);
    events.flush();
    assertThat(ids).hasSize(roots.size()).contains("10", "11");
    assertThat(problems.kept()).isEmpty();
  }
}
