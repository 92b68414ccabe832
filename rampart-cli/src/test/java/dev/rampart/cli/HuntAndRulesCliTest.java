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
    assertThat(r.err()).contains("20,000 events in 1 files", "32 rules loaded, 0 rejected");
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
      if (m.has("group")) {
        continue; // a correlation match (the pack's are high), checked elsewhere
      }
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

  /** One Windows 4625 event as the Security channel's JSON layout writes it. */
  static String failedLogon(int record, String user, String host, int minute, int second) {
    return String.format(
        java.util.Locale.ROOT,
        "{\"Event\":{\"System\":{\"EventID\":4625,\"Channel\":\"Security\",\"Computer\":\"%s\","
            + "\"EventRecordID\":%d,\"TimeCreated\":{\"#attributes\":{\"SystemTime\":"
            + "\"2026-02-01T08:%02d:%02d.000000Z\"}}},\"EventData\":{\"TargetUserName\":\"%s\","
            + "\"IpAddress\":\"10.9.8.7\",\"LogonType\":3}}}",
        host,
        record,
        minute,
        second,
        user);
  }

  @Test
  void huntEvaluatesCorrelationsOnEventTimeWhateverTheFileOrder() throws IOException {
    Path rules = Files.createDirectories(dir.resolve("corr-rules"));
    Files.writeString(
        rules.resolve("base.yml"),
        """
        title: failed logon
        id: 6b0f8c1e-2b7d-4c3a-9e61-0d2f4b8a7c01
        name: failed_logon
        logsource: {product: windows, service: security}
        detection: {selection: {EventID: 4625}, condition: selection}
        level: low
        """);
    Files.writeString(
        rules.resolve("corr.yml"),
        """
        title: one account failing on many hosts
        id: 6b0f8c1e-2b7d-4c3a-9e61-0d2f4b8a7c02
        correlation:
          type: value_count
          rules: [failed_logon]
          group-by: [TargetUserName]
          timespan: 10m
          condition: {field: Computer, gte: 4}
        level: high
        """);
    // svc_backup fails on five hosts in five minutes (split over two files, the later one first);
    // jsmith on five hosts but 15 minutes apart; alee six times on one host
    List<String> late = new java.util.ArrayList<>();
    List<String> early = new java.util.ArrayList<>();
    int rec = 0;
    for (int k = 0; k < 5; k++) {
      (k < 2 ? early : late).add(failedLogon(++rec, "svc_backup", "ws0" + k, k, 0));
      late.add(
          failedLogon(++rec, "jsmith", "ws0" + k, 0, 0)
              .replace(
                  "08:00:00",
                  "0" + (8 + k / 4) + ":" + String.format("%02d", (15 * k) % 60) + ":00"));
    }
    for (int k = 0; k < 6; k++) {
      early.add(failedLogon(++rec, "alee", "ws01", 0, 30 * k % 60));
    }
    Path folder = Files.createDirectories(dir.resolve("corr-events"));
    Files.write(folder.resolve("a-late.json"), late);
    Files.write(folder.resolve("b-early.json"), early);
    Path out = dir.resolve("corr.ndjson");
    Run r =
        Run.of(
            "hunt",
            folder.toString(),
            "--rules",
            rules.toString(),
            "--format",
            "json",
            "--output",
            out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    List<String> lines = Files.readAllLines(out).stream().filter(l -> l.contains("7c02")).toList();
    assertThat(lines).hasSize(1);
    var m = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines.get(0));
    assertThat(m.at("/rule/level").asText()).isEqualTo("high");
    assertThat(m.at("/group/TargetUserName").asText()).isEqualTo("svc_backup");
    assertThat(m.get("first").asText()).startsWith("2026-02-01T08:00:00");
    assertThat(m.get("last").asText()).startsWith("2026-02-01T08:03:00");
    assertThat(m.get("events")).hasSize(4);
    // the base rule only feeds the correlation (generate: false): its own matches are not listed
    assertThat(Files.readAllLines(out).stream().filter(l -> l.contains("7c01\"")).count()).isZero();
    assertThat(r.out()).contains("CORRELATIONS", "value_count", "TargetUserName=svc_backup");
  }

  @Test
  void huntWithAnomaliesAndTheTruthScoresEveryScenario() throws IOException {
    Path week = dir.resolve("week.ndjson");
    Path truth = dir.resolve("week-truth.ndjson");
    Run s =
        Run.of(
            "simulate",
            "--events",
            "60000",
            "--duration",
            "7d",
            "--seed",
            "11",
            "--out",
            week.toString(),
            "--truth",
            truth.toString());
    assertThat(s.code()).as(s.err()).isZero();
    Path out = dir.resolve("week-hits.ndjson");
    Run r =
        Run.of(
            "hunt",
            week.toString(),
            "--rules",
            PACK,
            "--anomalies",
            "--learn",
            "72h",
            "--truth",
            truth.toString(),
            "--format",
            "json",
            "--output",
            out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    // every scenario instance is found, and the rules and correlations stay quiet on the rest
    assertThat(r.out())
        .contains("DETECTION AGAINST GROUND TRUTH", "ANOMALIES (")
        .containsPattern("(\\d+) of \\1 attack instances detected; missed: none")
        .containsPattern("benign events: rules 0, correlations 0, anomalies \\d");
    assertThat(r.out()).containsPattern("password-spray +1 +1 +1 +1 +1");
    List<JsonNode> anomalies =
        Files.readAllLines(out).stream()
            .map(HuntAndRulesCliTest::json)
            .filter(n -> n.has("anomaly"))
            .toList();
    JsonNode success =
        anomalies.stream()
            .filter(n -> n.at("/anomaly/id").asText().equals("anomaly:brute-force-success"))
            .findFirst()
            .orElseThrow();
    assertThat(success.at("/anomaly/level").asText()).isEqualTo("high");
    assertThat(success.path("baseline").asText()).contains("failed logons from", "threshold 10");
    assertThat(success.at("/events/0/source").asText()).startsWith(week + ":");
    assertThat(success.at("/entities/source_ip").asText()).isNotEmpty();
    assertThat(Run.of("hunt", week.toString(), "--rules", PACK, "--learn", "2h").err())
        .contains("--learn goes with --anomalies");
  }

  static JsonNode json(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** (kind, rule or detector id, time) of each line of a hunt's JSON output, as a multiset. */
  static java.util.Map<String, Long> findings(Path json) throws IOException {
    java.util.Map<String, Long> out = new java.util.TreeMap<>();
    for (String line : Files.readAllLines(json)) {
      JsonNode o = JSON.readTree(line);
      String key =
          o.has("anomaly")
              ? "anomaly " + o.get("anomaly").get("id").asText() + " " + o.get("time").asText()
              : o.has("group")
                  ? "correlation " + o.get("rule").get("id").asText() + " " + o.get("first")
                  : "rule " + o.get("rule").get("id").asText() + " " + o.get("@timestamp");
      out.merge(key, 1L, Long::sum);
    }
    return out;
  }

  @Test
  void huntThroughTheStoreFindsWhatTheFilesHuntFinds() throws IOException {
    String data = dir.resolve("stored").toString();
    Run imported = Run.of("store", "import", sim.toString(), "--data", data);
    assertThat(imported.code()).as(imported.err()).isZero();
    Path fromFile = dir.resolve("file-hunt.ndjson");
    Path fromStore = dir.resolve("store-hunt.ndjson");
    Run f =
        Run.of(
            "hunt",
            sim.toString(),
            "--rules",
            PACK,
            "--anomalies",
            "--format",
            "json",
            "--output",
            fromFile.toString());
    Run s =
        Run.of(
            "hunt",
            "--store",
            "--data",
            data,
            "--rules",
            PACK,
            "--anomalies",
            "--format",
            "json",
            "--output",
            fromStore.toString());
    assertThat(s.code()).as(s.err()).isZero();
    assertThat(s.err()).contains("20,000 events in the event store");
    // single-event rules, correlations (time order across threads) and anomalies (time order)
    java.util.Map<String, Long> expected = findings(fromFile);
    assertThat(expected.keySet())
        .anyMatch(k -> k.startsWith("rule "))
        .anyMatch(k -> k.startsWith("correlation "))
        .anyMatch(k -> k.startsWith("anomaly "));
    assertThat(findings(fromStore)).isEqualTo(expected);

    // a match names its stored event, which the search shows with its neighbours
    JsonNode first = JSON.readTree(Files.readAllLines(fromStore).get(0));
    long id = first.get("source").get("store_id").asLong();
    Run context = Run.of("search", "--id", Long.toString(id), "--context", "1", "--data", data);
    assertThat(context.code()).as(context.err()).isZero();
    assertThat(context.out()).contains(first.get("event").get("host.name").asText());

    // --where and --from/--to narrow it; a wrong filter says where
    Run narrowed =
        Run.of(
            "hunt",
            "--store",
            "--data",
            data,
            "--rules",
            PACK,
            "--where",
            "host.name:bastion-01",
            "--from",
            "2026-01-01T00:00:00Z",
            "--to",
            "now",
            "--format",
            "csv");
    assertThat(narrowed.code()).as(narrowed.err()).isZero();
    assertThat(narrowed.out().lines().skip(1).filter(l -> l.contains(",store,")))
        .isNotEmpty()
        .allMatch(l -> l.contains("bastion-01"));
    Run wrong = Run.of("hunt", "--store", "--data", data, "--where", "host.name:(");
    assertThat(wrong.code()).isEqualTo(2);
    assertThat(wrong.err()).contains("^", "column");
    assertThat(Run.of("hunt", "--rules", PACK).err()).contains("--store");
    assertThat(Run.of("hunt", "--store", "--data", dir.resolve("none").toString()).err())
        .contains("no event store");
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
    assertThat(r.err()).contains(bad + ":2:").contains("missing.json", "no such file or folder");
  }

  @Test
  void validateJsonReportsCountsAndProblemsWithPositions() throws IOException {
    Run ok = Run.of("rules", "validate", PACK, "--json");
    assertThat(ok.code()).as(ok.err()).isZero();
    JsonNode j = JSON.readTree(ok.out());
    assertThat(j.get("loaded").asInt()).isEqualTo(32);
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
    assertThat(r.out()).contains("32 rules", "0 failing");
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
    // an EVTX file as it is: each record named by its record id
    Path evtx =
        dev.rampart.core.testing.Corpora.require(
            "evtx-attack-samples/Credential Access/CA_DCSync_4662.evtx.gz");
    Run onEvtx =
        Run.of(
            "rules",
            "test",
            Path.of(PACK, "windows/process_creation/whoami_as_system.yml").toString(),
            evtx.toString(),
            "--expect",
            "nomatch");
    assertThat(onEvtx.code()).as(onEvtx.err()).isZero();
    assertThat(onEvtx.out()).contains(evtx + "#", "no match", "not as expected (nomatch)");
  }

  @Test
  void aCollectionZipIsHuntedInPlaceAndABrokenOneIsSaidAndPassedOver() throws IOException {
    Path rules =
        dev.rampart.core.testing.Corpora.require("sigmahq-sigma/rules/windows/builtin/security");
    Path evtx =
        dev.rampart.core.testing.Corpora.require(
            "evtx-attack-samples/Credential Access/CA_DCSync_4662.evtx.gz");
    Path cases = Files.createDirectories(dir.resolve("collections"));
    Path good = cases.resolve("Collection-DC-01.zip");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(good))) {
      z.putNextEntry(new ZipEntry("uploads/C%3A/Windows/System32/winevt/Logs/Security.evtx"));
      try (var in = dev.rampart.core.io.InputFiles.open(evtx)) {
        in.transferTo(z);
      }
      z.putNextEntry(new ZipEntry("log.json")); // the collector's own log: JSON, read as events
      z.write("{\"level\":\"info\",\"msg\":\"collected\"}\n".getBytes(StandardCharsets.UTF_8));
    }
    byte[] whole = Files.readAllBytes(good);
    Path cut = cases.resolve("Collection-DC-02.zip"); // a download that stopped half way
    Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
    Run r = Run.of("hunt", cases.toString(), "--rules", rules.toString(), "--format", "json");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("DcSync Indicator")
        .contains(
            "\"file\":\""
                + good
                + "!/uploads/C%3A/Windows/System32/winevt/Logs/Security.evtx\",\"record\":1");
    assertThat(r.err())
        .contains(cut + ": error: not a zip archive that can be read")
        .contains("4 events in 2 files", "1 bad records");
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
    // a file with no rule in it is not installed as a pack
    Path junk = Files.writeString(dir.resolve("notes.txt"), "not: [a rule\n");
    Run none = Run.of("rules", "import", junk.toString(), "--data", data.toString());
    assertThat(none.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(none.err()).contains("no Sigma rule could be loaded", "nothing installed");
    assertThat(data.resolve("rules").resolve("notes.txt")).doesNotExist();

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

  /** ATT&CK coverage of Rampart's pack and of SigmaHQ's, as a table, CSV and JSON. */
  @Test
  void coverageListsTheTechniquesByTactic() throws Exception {
    Run own = Run.of("rules", "coverage", "--rules", Path.of("..", "rules").toString());
    assertThat(own.code()).isZero();
    assertThat(own.out()).contains("Credential Access (", "T1110.001 (", "27 techniques from 32");
    Path sigma = dev.rampart.core.testing.Corpora.require("sigmahq-sigma/rules");
    Run csv = Run.of("rules", "coverage", "--rules", sigma.toString(), "--format", "csv");
    assertThat(csv.code()).isZero();
    List<String> lines = csv.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("tactic,technique,name,rules,problem");
    assertThat(lines).anyMatch(l -> l.startsWith("credential_access,T1003.001,"));
    assertThat(lines.stream().map(l -> l.split(",")[1]).distinct().count()).isGreaterThan(300);
    JsonNode json =
        new ObjectMapper()
            .readTree(
                Run.of("rules", "coverage", "--rules", sigma.toString(), "--format", "json").out());
    assertThat(json.get("tagged").asInt()).isGreaterThan(2000);
    assertThat(json.get("tactics").get(0).get("tag").asText()).isEqualTo("reconnaissance");
    assertThat(Run.of("rules", "coverage", "--format", "xml").code()).isEqualTo(ExitCodes.USAGE);
  }

  /** A small STIX bundle in ATT&CK's shape, written here (Rampart ships no ATT&CK data). */
  static final String ATTACK =
      """
      {"type": "bundle", "id": "bundle--t", "objects": [
        {"type": "x-mitre-collection", "name": "Enterprise ATT&CK", "x_mitre_version": "17.1"},
        {"type": "x-mitre-tactic", "id": "x-mitre-tactic--ca", "name": "Credential Access",
         "x_mitre_shortname": "credential-access",
         "external_references": [{"source_name": "mitre-attack", "external_id": "TA0006"}]},
        {"type": "attack-pattern", "id": "attack-pattern--1", "name": "Brute Force",
         "external_references": [{"source_name": "mitre-attack", "external_id": "T1110"}],
         "kill_chain_phases": [{"kill_chain_name": "mitre-attack", "phase_name": "credential-access"}]},
        {"type": "attack-pattern", "id": "attack-pattern--2", "name": "Password Guessing",
         "external_references": [{"source_name": "mitre-attack", "external_id": "T1110.001"}],
         "kill_chain_phases": [{"kill_chain_name": "mitre-attack", "phase_name": "credential-access"}]},
        {"type": "attack-pattern", "id": "attack-pattern--3", "name": "Steal Web Session Cookie",
         "external_references": [{"source_name": "mitre-attack", "external_id": "T1539"}],
         "kill_chain_phases": [{"kill_chain_name": "mitre-attack", "phase_name": "credential-access"}]}
      ]}
      """;

  @Test
  void importedAttackDataNamesTechniquesAndShowsTheGaps() throws Exception {
    Path data = Files.createDirectories(dir.resolve("attack-data"));
    Path bundle = dir.resolve("enterprise-attack.json");
    Files.writeString(bundle, ATTACK);
    String[] coverage = {
      "rules",
      "coverage",
      "--rules",
      Path.of("..", "rules").toString(),
      "--data",
      data.toString(),
      "--gaps"
    };
    Run gapsFirst = Run.of(coverage);
    assertThat(gapsFirst.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(gapsFirst.err()).contains("rampart rules import-attack");
    Run in = Run.of("rules", "import-attack", bundle.toString(), "--data", data.toString());
    assertThat(in.code()).as(in.err()).isZero();
    assertThat(in.err()).contains("Enterprise ATT&CK 17.1: 2 techniques and 1 sub-techniques");
    Run c = Run.of(coverage);
    assertThat(c.code()).as(c.err()).isZero();
    // our pack covers password guessing, so brute force; not web session cookies
    assertThat(c.out())
        .contains("Credential Access (", "1 of its 2 techniques covered")
        .contains("not covered:", "T1539 Steal Web Session Cookie")
        .contains("names from Enterprise ATT&CK 17.1")
        // our pack's tags this small bundle lacks: listed once, though shown under several tactics
        .contains("Tags to fix (marked !):", "T1078 (2)!");
    assertThat(c.out().split("T1078: not in Enterprise ATT&CK 17.1", -1)).hasSize(2);
    Run csv =
        Run.of(
            "rules",
            "coverage",
            "--rules",
            Path.of("..", "rules").toString(),
            "--attack",
            bundle.toString(),
            "--format",
            "csv",
            "--gaps");
    assertThat(csv.out().lines())
        .contains("credential_access,T1539,Steal Web Session Cookie,0,no rule")
        .anyMatch(l -> l.startsWith("credential_access,T1110.001,Password Guessing,"));
    Files.writeString(bundle, "{\"objects\": [");
    Run bad = Run.of("rules", "import-attack", bundle.toString(), "--data", data.toString());
    assertThat(bad.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(bad.err()).contains("enterprise-attack.json:1:").contains("not valid JSON");
  }
}
