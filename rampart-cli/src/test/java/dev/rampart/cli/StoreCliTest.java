package dev.rampart.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rampart store} and {@code rampart search} end to end: the README's example (simulate,
 * import, search) and what a user meets when a query is wrong.
 */
class StoreCliTest {
  @TempDir Path dir;

  @Test
  void simulatedEventsImportAndSearch() throws Exception {
    Path sim = dir.resolve("sim.ndjson");
    String data = dir.resolve("data").toString();
    assertThat(
            Run.of("simulate", "--events", "20000", "--seed", "3", "--out", sim.toString()).code())
        .isZero();
    Run imported = Run.of("store", "import", sim.toString(), "--data", data);
    assertThat(imported.code()).as(imported.err()).isZero();
    assertThat(imported.err()).contains("imported 20,000 events");

    Run count = Run.of("search", "* | stats count()", "--format", "json", "--data", data);
    assertThat(count.code()).as(count.err()).isZero();
    JsonNode c = new ObjectMapper().readTree(count.out());
    assertThat(c.get("rows").get(0).get("count()").asLong()).isEqualTo(20000);

    Run failed =
        Run.of(
            "search",
            "event.code:4625 | stats count() by user.name | sort -count()",
            "--format",
            "json",
            "--data",
            data);
    JsonNode f = new ObjectMapper().readTree(failed.out());
    assertThat(f.get("columns").toString()).isEqualTo("[\"user.name\",\"count()\"]");
    assertThat(f.get("matched").asLong()).isPositive();

    Run events =
        Run.of("search", "host.name:ws-0* event.code:4624", "--limit", "3", "--data", data);
    assertThat(events.code()).as(events.err()).isZero();
    assertThat(events.out().lines()).hasSize(3);
    assertThat(events.err()).contains("more with --after");

    // --all: every match as NDJSON, oldest first, beyond any page limit
    Run everything =
        Run.of("search", "event.code:4625 OR event.code:4624", "--all", "--data", data);
    assertThat(everything.code()).as(everything.err()).isZero();
    List<JsonNode> lines = new java.util.ArrayList<>();
    for (String l : everything.out().lines().toList()) {
      lines.add(new ObjectMapper().readTree(l));
    }
    Run counted =
        Run.of(
            "search",
            "event.code:4625 OR event.code:4624 | stats count()",
            "--format",
            "json",
            "--data",
            data);
    assertThat((long) lines.size())
        .isEqualTo(
            new ObjectMapper().readTree(counted.out()).get("rows").get(0).get("count()").asLong())
        .isGreaterThan(100);
    assertThat(lines).allMatch(l -> l.has("_id") && l.get("event.code").asText().startsWith("462"));
    assertThat(lines.stream().map(l -> l.get("@timestamp").asText()).toList()).isSorted();
    Run piped = Run.of("search", "* | stats count()", "--all", "--data", data);
    assertThat(piped.code()).isEqualTo(2);
    assertThat(piped.err()).contains("without pipes");
    Run asCsv = Run.of("search", "*", "--all", "--format", "csv", "--data", data);
    assertThat(asCsv.code()).isEqualTo(2);
    assertThat(asCsv.err()).contains("--all writes NDJSON");

    Run csv = Run.of("search", "* | timechart span=6h count()", "--format", "csv", "--data", data);
    assertThat(csv.out().lines().findFirst()).contains("_time,count()");

    // the context view: an event and its neighbours on the same host
    long id = c.isEmpty() ? 0 : firstId(data);
    Run ctx = Run.of("search", "--id", Long.toString(id), "--context", "2", "--data", data);
    assertThat(ctx.code()).as(ctx.err()).isZero();
    assertThat(ctx.out()).contains("> ");

    // a search saved in the console runs from the command line by name, over its window
    try (var cases =
        dev.rampart.cases.CaseStore.open("jdbc:sqlite:" + dir.resolve("data/cases.db"))) {
      cases
          .searches()
          .save(
              "someone-else",
              java.util.Set.of(),
              new dev.rampart.cases.search.SavedSearches.Draft(
                  "Logons", "event.code:4624 | stats count()", "all", "", true));
      cases
          .searches()
          .save(
              "someone-else",
              java.util.Set.of(),
              new dev.rampart.cases.search.SavedSearches.Draft("Private", "*", "1h", "", false));
    }
    Run list = Run.of("search", "--saved-list", "--data", data);
    assertThat(list.out()).contains("Logons", "shared", "all", "Private", "private");
    Run saved = Run.of("search", "--saved", "Logons", "--format", "json", "--data", data);
    assertThat(saved.code()).as(saved.err()).isZero();
    assertThat(saved.err()).contains("saved search 'Logons' of someone-else");
    assertThat(new ObjectMapper().readTree(saved.out()).at("/rows/0/count()").asLong())
        .isEqualTo(
            new ObjectMapper()
                .readTree(
                    Run.of(
                            "search",
                            "event.code:4624 | stats count()",
                            "--format",
                            "json",
                            "--data",
                            data)
                        .out())
                .at("/rows/0/count()")
                .asLong())
        .isPositive();
    Run hidden = Run.of("search", "--saved", "Private", "--data", data);
    assertThat(hidden.code()).isEqualTo(2);
    assertThat(hidden.err()).contains("no saved search 'Private' of yours or shared");

    Run stats = Run.of("store", "stats", "--json", "--data", data);
    JsonNode s = new ObjectMapper().readTree(stats.out());
    assertThat(s.get("days").get(0).get("events").asLong()).isEqualTo(20000);
    assertThat(s.get("fields").get("process.command_line").asText()).isEqualTo("text");
  }

  static long firstId(String data) throws Exception {
    Run r = Run.of("search", "*", "--limit", "1", "--format", "json", "--data", data);
    return new ObjectMapper().readTree(r.out()).get("events").get(0).get("_id").asLong();
  }

  @Test
  void importedWindowsEventsAreNormalizedAsIngestedOnesAre() throws Exception {
    // A Sysmon process creation in the JSON layout of Windows event exports (native names only)
    Path native_ = dir.resolve("sysmon.json");
    java.nio.file.Files.writeString(
        native_,
        "{\"@timestamp\":\"2026-03-02T10:00:00Z\",\"Hostname\":\"WS-07.corp.example\","
            + "\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"EventID\":1,"
            + "\"Image\":\"C:\\\\Windows\\\\System32\\\\whoami.exe\","
            + "\"CommandLine\":\"whoami /priv\",\"User\":\"CORP\\\\dave\"}\n");
    String data = dir.resolve("data").toString();
    Run imported = Run.of("store", "import", native_.toString(), "--data", data);
    assertThat(imported.code()).as(imported.err()).isZero();
    for (String q :
        List.of(
            "process.command_line:*priv*",
            "CommandLine:\"whoami /priv\"",
            "event.code:1",
            "process.executable:*whoami.exe")) {
      Run found =
          Run.of(
              "search",
              q,
              "--from",
              "2026-03-01T00:00:00Z",
              "--to",
              "2026-03-03T00:00:00Z",
              "--format",
              "json",
              "--data",
              data);
      assertThat(found.code()).as(q + ": " + found.err()).isZero();
      assertThat(found.out()).as(q).contains("whoami /priv");
    }
  }

  @Test
  void aSeizedDisksEvtxAndTextLogsImportFromTheirFolders() throws Exception {
    Path disk = java.nio.file.Files.createDirectories(dir.resolve("seized"));
    java.nio.file.Files.copy(
        dev.rampart.core.testing.Corpora.require(
            "evtx-attack-samples/Credential Access/CA_DCSync_4662.evtx.gz"),
        disk.resolve("Security.evtx.gz"));
    java.nio.file.Files.writeString(
        disk.resolve("auth.log"),
        "<38>1 2026-03-02T10:00:00Z bastion sshd 812 - - Failed password for root from"
            + " 203.0.113.9 port 52100 ssh2\n");
    java.nio.file.Files.writeString(disk.resolve("README.md"), "case notes, not a log\n");
    String data = dir.resolve("data").toString();
    Run imported = Run.of("store", "import", disk.toString(), "--data", data);
    assertThat(imported.code()).as(imported.err()).isZero();
    long evtxEvents =
        Run.of("events", "cat", disk.resolve("Security.evtx.gz").toString()).out().lines().count();
    assertThat(imported.err()).contains("imported " + (evtxEvents + 1) + " events");
    String[] range = {"--from", "2000-01-01T00:00:00Z", "--to", "2030-01-01T00:00:00Z"};
    Run dcsync =
        Run.of(
            "search",
            "EventID:4662 | stats count()",
            range[0],
            range[1],
            range[2],
            range[3],
            "--format",
            "csv",
            "--data",
            data);
    assertThat(dcsync.code()).as(dcsync.err()).isZero();
    assertThat(dcsync.out().lines().skip(1).findFirst().orElseThrow()).isNotEqualTo("0");
    Run ssh =
        Run.of(
            "search",
            "source.ip:203.0.113.9",
            range[0],
            range[1],
            range[2],
            range[3],
            "--format",
            "json",
            "--data",
            data);
    assertThat(ssh.out()).contains("Failed password for root", "bastion");
  }

  @Test
  void aWrongQuerySaysWhereAndExitsTwo() {
    String data = dir.resolve("data").toString();
    Run r = Run.of("search", "user.name:alice | stats sum() by host", "--data", data);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains("user.name:alice | stats sum() by host")
        .contains("\n                        ^\n")
        .contains("column 25: sum() needs a field");
    assertThat(r.err()).doesNotContain("Exception");
  }
}
