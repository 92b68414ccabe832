package dev.rampart.core.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.event.Event;
import dev.rampart.core.io.InputFiles;
import dev.rampart.core.io.Problems;
import dev.rampart.core.json.JsonEventReader;
import dev.rampart.core.json.JsonEventWriter;
import dev.rampart.core.json.ReadOptions;
import dev.rampart.core.testing.Corpora;
import dev.rampart.core.testing.Golden;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden tests on a handful of real events: each {@code golden/corpus/<case>.source} points at
 * records of a corpus file, and {@code <case>.expected.json} holds their normalized NDJSON.
 */
class CorpusGoldenTest {
  static final Path DIR = Path.of("src/test/resources/golden/corpus");

  static Stream<String> cases() throws IOException {
    try (Stream<Path> list = Files.list(DIR)) {
      return list
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".source"))
          .map(n -> n.substring(0, n.length() - ".source".length()))
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void normalizedRealEvents(String name) throws IOException {
    String[] spec =
        Files.readString(DIR.resolve(name + ".source"), StandardCharsets.UTF_8)
            .trim()
            .split("\\s+");
    List<Long> wanted = Arrays.stream(spec, 1, spec.length).map(Long::parseLong).toList();
    String path = spec[0];
    String member = null;
    int bang = path.indexOf('!');
    if (bang >= 0) {
      member = path.substring(bang + 1);
      path = path.substring(0, bang);
    }
    Path file = Corpora.require(path);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (member != null) {
      try (ZipFile zip = new ZipFile(file.toFile())) {
        render(zip.getInputStream(zip.getEntry(member)), wanted, out);
      }
    } else {
      render(InputFiles.open(file), wanted, out);
    }
    Golden.assertMatches(
        "golden/corpus/" + name + ".expected.json", out.toString(StandardCharsets.UTF_8));
  }

  private static void render(InputStream in, List<Long> wanted, ByteArrayOutputStream out)
      throws IOException {
    Problems problems = new Problems(10);
    try (JsonEventReader r = new JsonEventReader(in, "corpus", ReadOptions.DEFAULTS, problems);
        JsonEventWriter w = new JsonEventWriter(out)) {
      Event e = new Event();
      long n = 0;
      while (r.next(e)) {
        if (wanted.contains(++n)) {
          Normalizers.normalize(e);
          w.write(e);
        }
      }
    }
    assertThat(problems.errors()).isZero();
  }
}
