package dev.rampart.core.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.Kind;
import dev.rampart.core.io.InputFiles;
import dev.rampart.core.io.Problems;
import dev.rampart.core.json.JsonEventReader;
import dev.rampart.core.json.JsonEventWriter;
import dev.rampart.core.json.ReadOptions;
import dev.rampart.core.testing.Corpora;
import dev.rampart.core.testing.Golden;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WindowsNormalizerTest {

  /** Reads a case file, normalizes every event and renders NDJSON. */
  static String normalizeFile(Path file) throws IOException {
    Problems problems = new Problems(10);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonEventReader r =
            new JsonEventReader(
                InputFiles.open(file), file.toString(), ReadOptions.DEFAULTS, problems);
        JsonEventWriter w = new JsonEventWriter(out)) {
      Event e = new Event();
      while (r.next(e)) {
        Normalizers.normalize(e);
        w.write(e);
      }
    }
    assertThat(problems.kept()).isEmpty();
    return out.toString(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"windows-evtx-layout", "windows-flat", "winlogbeat"})
  void golden(String name) throws IOException {
    Path input = Path.of("src/test/resources/golden/normalize", name + ".log");
    Golden.assertMatches("golden/normalize/" + name + ".expected.json", normalizeFile(input));
  }

  @Test
  void regressionEventsGetSigmaNames() throws IOException {
    Path root = Corpora.require("sigmahq-sigma/regression_data");
    int files = 0;
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path f : walk.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        try (JsonEventReader r =
            new JsonEventReader(
                InputFiles.open(f), f.toString(), ReadOptions.DEFAULTS, new Problems(1))) {
          Event e = new Event();
          while (r.next(e)) {
            assertThat(Normalizers.normalize(e))
                .as(f.toString())
                .isInstanceOf(WindowsNormalizer.class);
            assertThat(e.get("EventID").kind()).as(f.toString()).isEqualTo(Kind.LONG);
            assertThat(e.has("Channel")).as(f.toString()).isTrue();
            assertThat(e.hasTimestamp()).as(f.toString()).isTrue();
            assertThat(e.source().logType()).startsWith("windows");
            assertThat(e.names()).noneMatch(n -> n.startsWith("Event.") || n.contains("#"));
          }
        }
        files++;
      }
    }
    assertThat(files).isGreaterThan(100);
  }
}
