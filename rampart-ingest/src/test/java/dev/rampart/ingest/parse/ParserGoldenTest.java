package dev.rampart.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.event.Event;
import dev.rampart.core.io.InputFiles;
import dev.rampart.core.json.JsonEventWriter;
import dev.rampart.core.testing.Corpora;
import dev.rampart.core.testing.Golden;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files for every parser: each case in {@code src/test/resources/golden/parse} is either a
 * {@code <case>.log} we wrote (edge cases; the parser is the name's first word) or a {@code
 * <case>.source} naming lines of a corpus file read in place ({@code path first count parser}).
 * Every line's event, or its error, goes into {@code <case>.expected.json}; {@code
 * -Dgolden.update=true} rewrites them.
 */
class ParserGoldenTest {
  static final Path DIR = Path.of("src", "test", "resources", "golden", "parse");
  static final ParseOptions FIXED =
      new ParseOptions(ZoneOffset.UTC, Instant.parse("2026-11-28T12:00:00Z"));

  static Stream<String> cases() throws IOException {
    try (Stream<Path> list = Files.list(DIR)) {
      return list
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".log") || n.endsWith(".source"))
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void parsesAsRecorded(String file) throws IOException {
    String name = file.substring(0, file.lastIndexOf('.'));
    List<String> lines;
    String parserName;
    if (file.endsWith(".log")) {
      lines = Files.readAllLines(DIR.resolve(file), StandardCharsets.UTF_8);
      parserName = name.substring(0, name.indexOf('-'));
    } else {
      String[] spec = Files.readString(DIR.resolve(file)).trim().split(" ");
      Path source = Corpora.require(spec[0]);
      int first = Integer.parseInt(spec[1]);
      int count = Integer.parseInt(spec[2]);
      parserName = spec[3];
      lines = new ArrayList<>();
      try (BufferedReader r =
          new BufferedReader(
              new InputStreamReader(InputFiles.open(source), StandardCharsets.UTF_8))) {
        String line;
        int n = 0;
        while ((line = r.readLine()) != null && lines.size() < count) {
          if (++n >= first) {
            lines.add(line);
          }
        }
      }
    }
    Parser parser = Parsers.named(parserName, FIXED);
    assertThat(parser).as(parserName).isNotNull();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int errors = 0;
    try (JsonEventWriter w = new JsonEventWriter(out)) {
      Event e = new Event();
      // Formats whose events span lines (auditd) are joined as rampart parse joins them.
      RecordJoiner joiner = parser.joiner();
      List<String> messages = joiner == null ? lines : new ArrayList<>();
      if (joiner != null) {
        for (String line : lines) {
          joiner.accept(line).forEach(j -> messages.add(j.text()));
        }
        joiner.flush().forEach(j -> messages.add(j.text()));
      }
      for (String line : messages) {
        ParseError error = parser.parse(line, e);
        if (error != null) {
          errors++;
          e.addString("test.parse_error", error.toString());
        }
        w.write(e);
      }
    }
    System.out.printf("%s: %d lines, %d errors%n", name, lines.size(), errors);
    Golden.assertMatches(
        "golden/parse/" + name + ".expected.json", out.toString(StandardCharsets.UTF_8));
  }
}
