package dev.rampart.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliTest {
  @TempDir static Path dir;
  static Path sim;

  @BeforeAll
  static void simulate() {
    sim = dir.resolve("sim.ndjson");
    Run r =
        Run.of(
            "simulate",
            "--events",
            "20000",
            "--seed",
            "3",
            "--out",
            sim.toString(),
            "--truth",
            dir.resolve("truth.ndjson").toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("wrote 20,000 events");
  }

  @Test
  void helpListsTheCommandsAndEveryCommandHasExamples() {
    Run r = Run.of("--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("demo", "events", "simulate", "bench", "Exit codes");
    Deque<CommandLine> todo = new ArrayDeque<>(List.of(Main.commandLine()));
    // picocli warns on stderr, and prints the text unformatted, when a '%' in a description or
    // footer is not a format (an rpm --qf example needs '%%')
    java.io.PrintStream stderr = System.err;
    java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(warnings, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      while (!todo.isEmpty()) {
        CommandLine c = todo.pop();
        todo.addAll(c.getSubcommands().values());
        String usage = c.getUsageMessage();
        if (c.getCommandName().equals("help")
            || !c.getSubcommands().isEmpty() && !c.getCommandName().equals("rampart")) {
          continue;
        }
        assertThat(usage).as(c.getCommandName()).contains("Examples:");
      }
    } finally {
      System.setErr(stderr);
    }
    assertThat(warnings.toString(java.nio.charset.StandardCharsets.UTF_8)).isEmpty();
  }

  /**
   * An option described by several strings longer than the column breaks each one in two, the rest
   * of the line stranded at the column: "written with\n the\n defaults ...". One string per
   * description wraps cleanly. Shown as a line that continues a wrapped one (two spaces deeper)
   * followed by one at the column that starts no option.
   */
  @Test
  void optionDescriptionsWrapCleanly() {
    Deque<CommandLine> todo = new ArrayDeque<>(List.of(Main.commandLine()));
    while (!todo.isEmpty()) {
      CommandLine c = todo.pop();
      todo.addAll(c.getSubcommands().values());
      String[] lines = c.getUsageMessage(CommandLine.Help.Ansi.OFF).split("\n");
      for (int i = 1; i < lines.length; i++) {
        int before = indent(lines[i - 1]);
        int here = indent(lines[i]);
        boolean continued = before >= 20 && here == before - 2;
        assertThat(continued && !lines[i].strip().startsWith("-"))
            .as(c.getCommandName() + ": '" + lines[i - 1] + "' then '" + lines[i] + "'")
            .isFalse();
      }
    }
  }

  private static int indent(String line) {
    int n = 0;
    while (n < line.length() && line.charAt(n) == ' ') {
      n++;
    }
    return n;
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertThat(Run.of("simulate", "--no-such-option").code()).isEqualTo(ExitCodes.USAGE);
    Run r = Run.of("simulate", "--duration", "soon", "--out", dir.resolve("x").toString());
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--duration 'soon'");
    Run missing = Run.of("events", "stats", dir.resolve("nope.json").toString());
    assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err()).contains("nope.json");
    Run scenario =
        Run.of("simulate", "--scenario", "alien-invasion", "--out", dir.resolve("y").toString());
    assertThat(scenario.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(scenario.err()).contains("unknown scenario 'alien-invasion'", "password-spray");
  }

  @Test
  void statsProfilesFieldsAsJson() throws IOException {
    Run r = Run.of("events", "stats", sim.toString(), "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("events").asLong()).isEqualTo(20_000);
    assertThat(j.get("errors").asLong()).isZero();
    assertThat(j.get("log_types").has("windows/sysmon")).isTrue();
    JsonNode eventId = null;
    for (JsonNode f : j.get("fields")) {
      if (f.get("name").asText().equals("EventID")) {
        eventId = f;
      }
    }
    assertThat(eventId).isNotNull();
    assertThat(eventId.get("types").has("long")).isTrue();
    assertThat(eventId.get("distinct_estimate").asLong()).isBetween(5L, 30L);
    assertThat(eventId.get("top")).isNotEmpty();
  }

  @Test
  void statsReportsBadRecordsWithFileAndLineAndGoesOn() throws IOException {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"a\":1}\n{\"a\":\n{\"a\":3}\nnot json\n", StandardCharsets.UTF_8);
    Run r = Run.of("events", "stats", bad.toString());
    assertThat(r.code()).isZero();
    assertThat(r.err()).contains(bad + ":2: byte 8: error:").contains(bad + ":4: byte");
    assertThat(r.out()).contains("Events: 2", "Errors: 2");
    Run strict = Run.of("events", "stats", bad.toString(), "--strict");
    assertThat(strict.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(strict.err()).contains(":2:").contains("--strict");
  }

  @Test
  void catFiltersAndProjects() throws IOException {
    Run r =
        Run.of(
            "events",
            "cat",
            sim.toString(),
            "--where",
            "EventID=7045",
            "--fields",
            "@timestamp,ServiceName,host.name");
    assertThat(r.code()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).isNotEmpty();
    for (String line : lines) {
      JsonNode j = new ObjectMapper().readTree(line);
      assertThat(j.get("ServiceName").asText()).isEqualTo("PSEXESVC");
      assertThat(j.has("@timestamp")).isTrue();
      assertThat(j.size()).isEqualTo(3);
    }
    Run contains =
        Run.of("events", "cat", sim.toString(), "--where", "CommandLine~-ENC ", "--limit", "1");
    assertThat(contains.out().lines().count()).isEqualTo(1);
    assertThat(contains.out()).contains("powershell.exe");
  }

  @Test
  void catAndStatsReadEvtxAndTextLogsAsTheHuntDoes() throws IOException {
    Path evtx =
        dev.rampart.core.testing.Corpora.require(
            "evtx-attack-samples/Credential Access/CA_DCSync_4662.evtx.gz");
    Run r =
        Run.of("events", "cat", evtx.toString(), "--where", "EventID=4662", "--fields", "EventID");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().lines()).isNotEmpty().allMatch(l -> l.equals("{\"EventID\":4662}"));
    Path auth = dir.resolve("auth.log");
    Files.writeString(
        auth,
        "<38>Nov 28 08:15:36 bastion sshd[812]: Failed password for root from 203.0.113.9 port"
            + " 52100 ssh2\n");
    Run text = Run.of("events", "cat", auth.toString(), "--fields", "host.hostname,source.ip");
    assertThat(text.out().strip())
        .isEqualTo("{\"host.hostname\":\"bastion\",\"source.ip\":\"203.0.113.9\"}");
    assertThat(Run.of("events", "stats", auth.toString()).out()).contains("Events: 1");
  }

  @Test
  void truthIdsPointAtEventsInTheOutput() throws IOException {
    String data = Files.readString(sim);
    List<String> truth = Files.readAllLines(dir.resolve("truth.ndjson"));
    assertThat(truth).isNotEmpty();
    for (String t : truth) {
      String id = new ObjectMapper().readTree(t).get("event.id").asText();
      assertThat(data).contains("\"event.id\":\"" + id + "\"");
    }
  }

  @Test
  void simulateListAsJson() throws IOException {
    Run r = Run.of("simulate", "--list", "--json");
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.size()).isEqualTo(dev.rampart.simulate.Scenario.values().length);
    assertThat(j.get(0).get("techniques")).isNotEmpty();
  }

  /** The README's first command, in small: simulate and profile into a data folder. */
  @Test
  void readmeDemoRuns() {
    Run r = Run.of("demo", "--files", "--events", "5000", "--data", dir.resolve("data").toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("Field profile of", "EventID", "Next:");
    assertThat(dir.resolve("data/demo/events.ndjson.gz")).exists();
    assertThat(dir.resolve("data/demo/truth.ndjson")).exists();
  }
}
