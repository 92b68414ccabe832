package dev.rampart.evtx;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.core.io.Problem;
import dev.rampart.core.io.Problems;
import dev.rampart.core.testing.Corpora;
import dev.rampart.evtx.file.EvtxReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every EVTX file of the shared corpora reads; record counts are reported and checked. */
class CorpusReadTest {
  @Test
  void attackSamplesReadWithoutError() throws IOException {
    readAll(Corpora.require("evtx-attack-samples"), "EVTX-ATTACK-SAMPLES");
  }

  @Test
  void hayabusaSamplesReadWithoutError() throws IOException {
    readAll(Corpora.require("hayabusa-sample-evtx"), "hayabusa-sample-evtx");
  }

  private static void readAll(Path root, String label) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(Evtx::isEvtx).sorted().toList();
    }
    long records = 0;
    List<String> errors = new ArrayList<>();
    for (Path f : files) {
      Problems problems = new Problems(50);
      EvtxReader r = Evtx.read(f, problems, x -> {});
      records += r.records();
      assertThat(r.internalErrors()).as(f.toString()).isZero();
      for (Problem p : problems.kept()) {
        if (p.isError()) {
          errors.add(p.toString());
        }
      }
    }
    System.out.printf(
        "%s: %d files, %d records, %d errors%n", label, files.size(), records, errors.size());
    errors.forEach(System.out::println);
    assertThat(files).isNotEmpty();
    assertThat(errors).isEmpty();
  }

  /**
   * The evtx crate's own samples, including damaged ones, against the good and bad record counts
   * the upstream parser's tests expect (where its index gives them).
   */
  @Test
  void upstreamSamplesMatchTheExpectedCounts() throws IOException {
    Path root = Corpora.require("parsers/evtx-samples-omerbenamram");
    JsonNode index = new ObjectMapper().readTree(root.resolve("index.json").toFile());
    List<String> report = new ArrayList<>();
    for (JsonNode entry : index) {
      Path f = root.resolve(entry.get("file").asText());
      Problems problems = new Problems(1000);
      EvtxReader r = Evtx.read(f, problems, x -> {});
      assertThat(r.internalErrors()).as(f.toString()).isZero();
      JsonNode ok = entry.get("upstream_expected_ok_records");
      String line =
          String.format(
              "%-90s ok %5d bad %3d  (upstream ok %s bad %s, header %s)",
              f.getFileName(),
              r.records(),
              r.badRecords(),
              ok,
              entry.get("upstream_expected_error_records"),
              entry.get("header_record_count"));
      report.add(line);
      if (ok != null && !ok.isNull()) {
        assertThat(r.records()).as(line).isGreaterThanOrEqualTo(ok.asLong());
      }
    }
    report.forEach(System.out::println);
  }
}
