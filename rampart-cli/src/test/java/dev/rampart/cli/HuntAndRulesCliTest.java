package dev.rampart.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rampart hunt} and {@code rampart rules ...} end to end, with the project's own pack. */
class HuntAndRulesCliTest {
  static final String PACK = Path.of("..", "rules").toString();
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static Path sim;

  @BeforeAll
  static void simulate() {
    sim = dir.resolve("sim.ndjson");
    Run r = Run.of("simulate", "--events", "20000", "--seed", "3", "--out", sim.toString());
    assertThat(r.code()).as(r.err()).isZero();
  }

  @Test
  void huntSummaryListsEveryScenarioRuleWithLevelAttackAndHosts() {
    Run r = Run.of("hunt", sim.toString(), "--rules", PACK);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("LEVEL", "HITS", "HOSTS", "FIRST SEEN", "LAST SEEN", "ATT&CK", "RULE")
        .contains("LSASS Memory Dump Requested On The Command Line", "T1003.001")
        .contains("Remote Execution Service Installed")
        .contains("DNS Lookup Of A Free Tunnelling Service");
    assertThat(r.out().lines().skip(1).findFirst().orElseThrow()).startsWith("critical");
    assertThat(r.err()).contains("20,000 events in 1 files", "24 rules loaded, 0 rejected");
  }

  @Test
  void huntJsonWritesOneObjectPerMatchWithRuleEventAndSource() throws IOException {
    Path out = dir.resolve("matches.ndjson");
    Run r =
        Run.of(
            "hunt",
            sim.toString(),
            "--rules",
            PACK,
            "--format",
            "json",
            "--min-level",
            "high",
            "--output",
            out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    List<String> lines = Files.readAllLines(out);
    assertThat(lines).isNotEmpty();
    List<String> simLines = Files.readAllLines(sim);
    for (String line : lines) {
      JsonNode m = JSON.readTree(line);
      assertThat(m.at("/rule/id").asText()).isNotEmpty();
      assertThat(m.at("/rule/title").asText()).isNotEmpty();
      assertThat(m.at("/rule/level").asText()).isIn("high", "critical");
      assertThat(m.at("/rule/tags").isArray()).isTrue();
      assertThat(m.get("@timestamp").asText()).startsWith("2026-01-05T");
      assertThat(m.at("/source/file").asText()).endsWith("sim.ndjson");
      int lineNo = m.at("/source/line").asInt();
      // The source line really holds the matched event.
      assertThat(simLines.get(lineNo - 1))
          .contains("\"event.id\":\"" + m.at("/event/event.id").asText() + "\"");
    }
  }

  @Test
  void huntTimelineAndCsvAndFailOnMatch() {
    Run timeline = Run.of("hunt", sim.toString(), "--rules", PACK, "--timeline");
    assertThat(timeline.out()).contains("TIME", "HOST", "whoami  /all");
    Run csv = Run.of("hunt", sim.toString(), "--rules", PACK, "--format", "csv");
    assertThat(csv.out().lines().findFirst().orElseThrow())
        .isEqualTo("timestamp,rule_id,level,title,host,file,line");
    Run fail = Run.of("hunt", sim.toString(), "--rules", PACK, "--fail-on-match");
    assertThat(fail.code()).isEqualTo(ExitCodes.FINDINGS);
    Run window =
        Run.of(
            "hunt",
            sim.toString(),
            "--rules",
            PACK,
            "--from",
            "2030-01-01T00:00:00Z",
            "--fail-on-match");
    assertThat(window.code()).isZero();
    assertThat(window.out()).contains("(no rule matched)");
  }

  @Test
  void huntGoesOnPastBadRecordsAndMissingFiles() throws IOException {
    Path bad = dir.resolve("bad.ndjson");
    Files.writeString(
        bad,
        "{\"rampart.log_type\":\"windows/sysmon\",\"Channel\":\"Microsoft-Windows-Sysmon/Operational\","
            + "\"EventID\":1,\"Image\":\"C:\\\\Windows\\\\System32\\\\whoami.exe\",\"User\":\"NT AUTHORITY\\\\SYSTEM\"}\n"
            + "{\"broken\": \n"
            + "not json at all\n"
            + "{\"rampart.log_type\":\"windows/sysmon\",\"Channel\":\"Microsoft-Windows-Sysmon/Operational\","
            + "\"EventID\":1,\"Image\":\"C:\\\\Windows\\\\System32\\\\whoami.exe\",\"User\":\"NT AUTHORITY\\\\SYSTEM\"}\n",
        StandardCharsets.UTF_8);
    Run r = Run.of("hunt", bad.toString(), dir.resolve("missing.json").toString(), "--rules", PACK);
    assertThat(r.out()).contains("Whoami Run As LocalSystem");
    assertThat(r.out()).containsPattern("high\\s+2\\s");
    assertThat(r.err()).contains(bad + ":2:").contains("missing.json");
  }

  @Test
  void validateJsonReportsCountsAndProblemsWithPositions() throws IOException {
    Run ok = Run.of("rules", "validate", PACK, "--json");
    assertThat(ok.code()).as(ok.err()).isZero();
    JsonNode j = JSON.readTree(ok.out());
    assertThat(j.get("loaded").asInt()).isEqualTo(24);
    assertThat(j.get("rejected").asInt()).isZero();

    Path badRules = Files.createDirectories(dir.resolve("bad-rules"));
    Files.writeString(
        badRules.resolve("unknown_modifier.yml"),
        "title: t\nid: 11111111-1111-4111-8111-111111111111\nlogsource: {product: windows}\n"
            + "detection:\n  sel:\n    Image|sometimes: x\n  condition: sel\n");
    Files.writeString(
        badRules.resolve("no_selection.yml"),
        "title: t2\nid: 22222222-2222-4222-8222-222222222222\nlogsource: {product: windows}\n"
            + "detection:\n  sel:\n    Image: x\n  condition: sel and other\n");
    Files.copy(
        Path.of(PACK, "windows/process_creation/whoami_as_system.yml"),
        badRules.resolve("good.yml"));
    Run bad = Run.of("rules", "validate", badRules.toString(), "--json");
    assertThat(bad.code()).isEqualTo(ExitCodes.FINDINGS);
    JsonNode b = JSON.readTree(bad.out());
    assertThat(b.get("loaded").asInt()).isEqualTo(1);
    assertThat(b.get("rejected").asInt()).isEqualTo(2);
    assertThat(b.get("problems")).hasSize(2);
    for (JsonNode p : b.get("problems")) {
      assertThat(p.get("file").asText()).endsWith(".yml");
      assertThat(p.get("line").asInt()).isPositive();
      assertThat(p.get("column").asInt()).isPositive();
      assertThat(p.get("message").asText()).isNotEmpty();
    }
    assertThat(bad.out()).contains("sometimes").contains("other");
  }

  @Test
  void checkRunsThePacksOwnTestEvents() {
    Run r = Run.of("rules", "check", PACK);
    assertThat(r.code()).as(r.out()).isZero();
    assertThat(r.out()).contains("24 rules", "0 failing");
  }

  @Test
  void listFiltersAndTestExplainsValueByValue() throws IOException {
    Run list = Run.of("rules", "list", "--rules", PACK, "--filter", "lsass", "--json");
    assertThat(list.code()).as(list.err()).isZero();
    assertThat(list.out().lines().count()).isEqualTo(3);
    Path events = dir.resolve("whoami.json");
    Files.writeString(
        events,
        "{\"rampart.log_type\":\"windows/sysmon\",\"Channel\":\"Microsoft-Windows-Sysmon/Operational\","
            + "\"EventID\":1,\"Image\":\"C:\\\\Windows\\\\System32\\\\whoami.exe\",\"User\":\"CORP\\\\dave\"}\n");
    Run test =
        Run.of(
            "rules",
            "test",
            Path.of(PACK, "windows/process_creation/whoami_as_system.yml").toString(),
            events.toString());
    assertThat(test.code()).as(test.err()).isZero();
    assertThat(test.out())
        .contains("no match", "[x] selection_image", "[ ] selection_user")
        .contains("failed  '*\\\\SYSTEM'");
    Run expect =
        Run.of(
            "rules",
            "test",
            Path.of(PACK, "windows/process_creation/whoami_as_system.yml").toString(),
            events.toString(),
            "--expect",
            "match");
    assertThat(expect.code()).isEqualTo(ExitCodes.FINDINGS);
  }

  @Test
  void importInstallsAZippedPackThatHuntsThenLoadByDefault() throws IOException {
    Path zip = dir.resolve("pack.zip");
    try (OutputStream os = Files.newOutputStream(zip);
        ZipOutputStream z = new ZipOutputStream(os)) {
      z.putNextEntry(new ZipEntry("pack/whoami_as_system.yml"));
      z.write(Files.readAllBytes(Path.of(PACK, "windows/process_creation/whoami_as_system.yml")));
      z.closeEntry();
    }
    Path data = dir.resolve("data");
    Run imp = Run.of("rules", "import", zip.toString(), "--data", data.toString());
    assertThat(imp.code()).as(imp.err() + imp.out()).isZero();
    Run again = Run.of("rules", "import", zip.toString(), "--data", data.toString());
    assertThat(again.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(again.err()).contains("--replace");
    Run hunt = Run.of("hunt", sim.toString(), "--data", data.toString());
    assertThat(hunt.out()).contains("Whoami Run As LocalSystem");
  }

  @Test
  void helpDescriptionsAreReflowedParagraphs() {
    Run r = Run.of("simulate", "--help");
    String first = r.out().lines().filter(l -> l.startsWith("Generate")).findFirst().orElseThrow();
    // One paragraph wrapped at the usage width, not the source lines' breaks.
    assertThat(first).hasSizeGreaterThan(85).contains("benign activity (Sysmon, Windows");
  }
}
