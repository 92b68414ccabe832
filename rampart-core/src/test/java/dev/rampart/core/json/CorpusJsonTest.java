package dev.rampart.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.core.event.Event;
import dev.rampart.core.io.InputFiles;
import dev.rampart.core.io.Problems;
import dev.rampart.core.testing.Corpora;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * Every JSON event file of the shared corpora parses without an error, and parse → write → parse
 * gives back equal events. The corpora are read in place.
 */
class CorpusJsonTest {

  record Stats(long events, long errors, long warnings) {}

  /** Reads all events, checks the round trip, and returns the counts. */
  static Stats readAndRoundTrip(InputStream in, String name) throws IOException {
    Problems problems = new Problems(20);
    List<Event> events = new ArrayList<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonEventReader r = new JsonEventReader(in, name, ReadOptions.DEFAULTS, problems);
        JsonEventWriter w = new JsonEventWriter(out)) {
      Event e = new Event();
      while (r.next(e)) {
        events.add(e.copy());
        w.write(e);
      }
    }
    assertThat(problems.kept()).as(name).noneMatch(p -> p.isError());
    Problems again = new Problems(20);
    List<Event> back = new ArrayList<>();
    try (JsonEventReader r =
        new JsonEventReader(
            new ByteArrayInputStream(out.toByteArray()),
            name + " (rewritten)",
            ReadOptions.DEFAULTS,
            again)) {
      Event e = new Event();
      while (r.next(e)) {
        back.add(e.copy());
      }
    }
    assertThat(again.errors()).as(name).isZero();
    assertThat(back).as("round trip of %s", name).isEqualTo(events);
    return new Stats(events.size(), problems.errors(), problems.warnings());
  }

  @Test
  void sigmaRegressionJsonMatchesTheIndexCounts() throws IOException {
    Path root = Corpora.require("sigmahq-sigma");
    JsonNode index = new ObjectMapper().readTree(root.resolve("regression_index.json").toFile());
    long total = 0;
    for (JsonNode pair : index) {
      Path json = root.resolve(pair.get("json_path").asText());
      Stats s = readAndRoundTrip(InputFiles.open(json), json.toString());
      assertThat(s.events()).as(json.toString()).isEqualTo(pair.get("events_in_file").asLong());
      total += s.events();
    }
    assertThat(index.size()).isGreaterThan(100);
    System.out.printf("sigma regression json: %d files, %d events%n", index.size(), total);
  }

  @Test
  void otrfDatasetsParse() throws IOException {
    Path root = Corpora.require("otrf-security-datasets/datasets");
    List<Path> zips;
    try (Stream<Path> walk = Files.walk(root)) {
      zips = walk.filter(p -> p.toString().endsWith(".zip")).sorted().toList();
    }
    long files = 0;
    long events = 0;
    for (Path zip : zips) {
      try (ZipFile zf = new ZipFile(zip.toFile())) {
        for (ZipEntry entry : zf.stream().toList()) {
          if (entry.isDirectory() || !startsLikeJson(zf, entry)) {
            continue;
          }
          Stats s = readAndRoundTrip(zf.getInputStream(entry), zip + "!" + entry.getName());
          assertThat(s.events()).as(entry.getName()).isPositive();
          files++;
          events += s.events();
        }
      }
    }
    assertThat(files).isGreaterThanOrEqualTo(50);
    System.out.printf("otrf: %d json members, %d events%n", files, events);
  }

  private static boolean startsLikeJson(ZipFile zf, ZipEntry entry) throws IOException {
    try (InputStream in = zf.getInputStream(entry)) {
      int b;
      do {
        b = in.read();
      } while (b == ' ' || b == '\n' || b == '\r' || b == '\t' || b == 0xEF || b == 0xBB
          || b == 0xBF);
      return b == '{' || b == '[';
    }
  }

  @Test
  void suricataEveAlertArraysParse() throws IOException {
    Path root = Corpora.require("suricata-sample-data/samples");
    long events = 0;
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path f : walk.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        events += readAndRoundTrip(InputFiles.open(f), f.toString()).events();
      }
    }
    assertThat(events).isEqualTo(548);
  }

  @Test
  void zeekJsonParsesWithAsManyRecordsAsTheTsvTwin() throws IOException {
    Path root = Corpora.require("zeek-wrccdc-brimdata");
    try (Stream<Path> list = Files.list(root.resolve("zeek-json"))) {
      for (Path f : list.sorted().toList()) {
        long events = readAndRoundTrip(InputFiles.open(f), f.toString()).events();
        String base = f.getFileName().toString().replace(".json.gz", ".log.gz");
        Path tsv = root.resolve("zeek-default").resolve(base);
        if (Files.exists(tsv)) {
          long rows;
          try (InputStream in = InputFiles.open(tsv)) {
            rows =
                new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    .lines()
                    .filter(l -> !l.startsWith("#") && !l.isEmpty())
                    .count();
          }
          assertThat(events).as(f.toString()).isEqualTo(rows);
        }
      }
    }
  }
}
