package dev.rampart.sigma.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.EventSource;
import dev.rampart.core.testing.Corpora;
import dev.rampart.sigma.Sigma;
import dev.rampart.sigma.compile.SigmaMatcher;
import dev.rampart.sigma.parse.LoadProblem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * A rule pack is a download nobody here wrote, so a broken rule must be a problem with its file and
 * place, never a crash of the load, the compiler or the matcher. Real SigmaHQ rules (read in place)
 * are damaged the ways files get damaged (bytes deleted, inserted, swapped, lines dropped,
 * duplicated or cut short) and loaded, compiled and run over a few events; each failure prints its
 * seed.
 */
class RuleFuzzTest {
  static List<Path> rules;

  static final String[] INSERTS = {
    ":",
    "|",
    "'",
    "\"",
    "-",
    " ",
    "\t",
    "\n",
    "{",
    "}",
    "[",
    "]",
    "*",
    "?",
    "\\",
    "%",
    "&",
    "!",
    "#",
    "|re",
    "|contains|all",
    "|base64offset",
    "|cidr",
    "|windash",
    "|expand",
    "|lt",
    "1 of ",
    "all of them",
    " and not ",
    "(",
    ")",
    "near",
    "count() by x > 3",
    "timespan: 5m",
    "\u0000",
    "é",
    "~",
    "null",
    "- ",
    "  ",
    "selection*",
    "condition: ",
    "---\n"
  };

  @BeforeContainer
  static void find() throws IOException {
    Path root = Corpora.root().resolve("sigmahq-sigma");
    if (!Files.isDirectory(root)) {
      System.out.println("RuleFuzzTest: skipped, no SigmaHQ corpus at " + root);
      rules = List.of();
      return;
    }
    try (Stream<Path> files = Files.walk(root.resolve("rules"))) {
      rules = files.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    }
  }

  @Property(tries = 300)
  void aDamagedRuleIsAProblemWithAPlaceNeverACrash(@ForAll long seed) throws IOException {
    if (rules.isEmpty()) {
      return;
    }
    Random r = new Random(seed);
    Path file = rules.get(r.nextInt(rules.size()));
    String text = damage(r, Files.readString(file, StandardCharsets.UTF_8));
    String name = file.getFileName().toString();
    RuleSet set;
    try {
      set = new RuleLoader().addText(name, text).build();
      SigmaMatcher m = Sigma.compile(set).newMatcher();
      for (Event e : events()) {
        m.match(e);
      }
    } catch (RuntimeException | StackOverflowError e) {
      fail("seed " + seed + " (" + file + "): " + e + "\n--- rule as damaged:\n" + text, e);
      return;
    }
    assertThat(set.rejected() == 0 || !set.errors().isEmpty())
        .as("seed %d: a rejected rule says why", seed)
        .isTrue();
    for (LoadProblem p : set.problems()) {
      assertThat(p.file()).as("seed %d: %s", seed, p).isEqualTo(name);
      assertThat(p.message()).as("seed %d", seed).isNotBlank();
    }
  }

  static String damage(Random r, String text) {
    StringBuilder t = new StringBuilder(text);
    for (int n = 1 + r.nextInt(4); n > 0 && !t.isEmpty(); n--) {
      int at = r.nextInt(t.length());
      switch (r.nextInt(6)) {
        case 0 -> t.delete(at, Math.min(t.length(), at + 1 + r.nextInt(8)));
        case 1 -> t.insert(at, INSERTS[r.nextInt(INSERTS.length)]);
        case 2 -> {
          int other = r.nextInt(t.length());
          char c = t.charAt(at);
          t.setCharAt(at, t.charAt(other));
          t.setCharAt(other, c);
        }
        case 3 -> { // a whole line dropped
          int start = t.lastIndexOf("\n", at) + 1;
          int end = t.indexOf("\n", at);
          t.delete(start, end < 0 ? t.length() : end + 1);
        }
        case 4 -> { // a line twice
          int start = t.lastIndexOf("\n", at) + 1;
          int end = t.indexOf("\n", at);
          t.insert(start, t.substring(start, end < 0 ? t.length() : end + 1));
        }
        default -> t.setLength(at); // a truncated download
      }
    }
    return t.toString();
  }

  static List<Event> events() {
    Event win = new Event();
    win.source(new EventSource("test", "ws-07", "windows/sysmon"));
    win.addLong("EventID", 1);
    win.addString("Image", "C:\\Windows\\System32\\cmd.exe");
    win.addString("CommandLine", "cmd.exe /c whoami /all");
    win.addString("ParentImage", "C:\\Windows\\explorer.exe");
    win.addString("User", "CORP\\olivia");
    Event linux = new Event();
    linux.source(new EventSource("test", "web-01", "linux/auth"));
    linux.addString("message", "Failed password for root from 203.0.113.9 port 52100 ssh2");
    linux.addString("process.name", "sshd");
    return List.of(win, linux);
  }
}
