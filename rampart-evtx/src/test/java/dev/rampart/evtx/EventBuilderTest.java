package dev.rampart.evtx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.event.Event;
import dev.rampart.core.io.Problems;
import dev.rampart.core.testing.Corpora;
import dev.rampart.evtx.file.EvtxRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The direct route (record tree to event) and the reference route (record to JSON to the core JSON
 * reader) give equal events for every record of every EVTX file in the corpora.
 */
class EventBuilderTest {
  @Test
  void directEventsEqualEventsReadFromTheJson() throws IOException {
    List<Path> files = new ArrayList<>();
    for (String dir :
        List.of(
            "evtx-attack-samples",
            "hayabusa-sample-evtx",
            "sigmahq-sigma/regression_data",
            "parsers/evtx-samples-omerbenamram")) {
      try (Stream<Path> walk = Files.walk(Corpora.require(dir))) {
        walk.filter(Evtx::isEvtx).sorted().forEach(files::add);
      }
    }
    long records = 0;
    long differences = 0;
    List<String> examples = new ArrayList<>();
    for (Path f : files) {
      List<Event> direct = new ArrayList<>();
      List<Event> json = new ArrayList<>();
      Problems p = new Problems(10);
      EvtxEvents d =
          new EvtxEvents(
              f.toString(), p, (e, r, o) -> direct.add(e.copy()), EvtxEvents.Route.DIRECT);
      EvtxEvents j =
          new EvtxEvents(f.toString(), p, (e, r, o) -> json.add(e.copy()), EvtxEvents.Route.JSON);
      Evtx.read(
          f,
          p,
          (EvtxRecord r) -> {
            d.add(r);
            j.add(r);
          });
      d.flush();
      j.flush();
      assertThat(direct).as(f.toString()).hasSameSizeAs(json);
      for (int i = 0; i < direct.size(); i++) {
        records++;
        if (!direct.get(i).equals(json.get(i))) {
          differences++;
          if (examples.size() < 3) {
            examples.add(
                f + " #" + i + "\n  direct " + direct.get(i) + "\n  json   " + json.get(i));
          }
        }
      }
    }
    System.out.printf(
        "EVTX direct vs JSON route: %d files, %d records, %d differences%n",
        files.size(), records, differences);
    examples.forEach(System.out::println);
    assertThat(differences).isZero();
    assertThat(records).isGreaterThan(30_000);
  }
}
