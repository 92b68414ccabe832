package dev.rampart.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.event.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random bytes and mutated samples: every parser answers with success or its own {@link
 * ParseError}, never another exception, and always keeps {@code event.original}. Failures print the
 * seed.
 */
class ParserFuzzTest {
  static List<String> samples() throws Exception {
    List<String> out = new java.util.ArrayList<>();
    try (var list = Files.list(ParserGoldenTest.DIR)) {
      for (Path p : list.filter(x -> x.toString().endsWith(".log")).toList()) {
        out.addAll(Files.readAllLines(p));
      }
    }
    return out;
  }

  @Property(tries = 5000)
  void parsersNeverThrow(@ForAll long seed) throws Exception {
    Random rnd = new Random(seed);
    List<String> samples = samples();
    String input;
    if (rnd.nextInt(3) == 0) {
      StringBuilder sb = new StringBuilder();
      int n = rnd.nextInt(200);
      String alphabet = "<>[]|=\"'\\ :-0123456789abcLEEFCEF\t\n{}\uFEFF\u00e9";
      for (int i = 0; i < n; i++) {
        sb.append(
            rnd.nextBoolean()
                ? (char) rnd.nextInt(0x3000)
                : alphabet.charAt(rnd.nextInt(alphabet.length())));
      }
      input = sb.toString();
    } else {
      StringBuilder sb = new StringBuilder(samples.get(rnd.nextInt(samples.size())));
      int edits = 1 + rnd.nextInt(8);
      for (int i = 0; i < edits && !sb.isEmpty(); i++) {
        int at = rnd.nextInt(sb.length());
        switch (rnd.nextInt(4)) {
          case 0 -> sb.deleteCharAt(at);
          case 1 -> sb.insert(at, "<>[]|=\"'\\ :".charAt(rnd.nextInt(11)));
          case 2 -> sb.setLength(at);
          default -> sb.setCharAt(at, (char) rnd.nextInt(128));
        }
      }
      input = sb.toString();
    }
    for (Parser p : Parsers.all(ParseOptions.defaults())) {
      Event e = new Event();
      try {
        p.accepts(input);
        p.parse(input, e);
      } catch (RuntimeException ex) {
        throw new AssertionError("seed " + seed + ", parser " + p.name() + ", input " + input, ex);
      }
      assertThat(e.getText("event.original")).as("seed %d %s", seed, p.name()).isEqualTo(input);
    }
    Parser auto = Parsers.named("auto", ParseOptions.defaults());
    auto.parse(input, new Event());
  }
}
