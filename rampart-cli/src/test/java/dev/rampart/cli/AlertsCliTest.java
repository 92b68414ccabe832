package dev.rampart.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.alerting.alert.Alert;
import dev.rampart.alerting.alert.AlertLog;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rampart alerts}: newest first, filtered by level, as text or JSON. */
class AlertsCliTest {
  @TempDir Path dir;

  static Alert alert(String id, String level, long t) {
    return new Alert(
        id,
        "rule-" + level,
        "A " + level + " rule",
        level,
        List.of("attack.t1110.001"),
        List.of("T1110.001"),
        List.of(t),
        t,
        t + 1,
        Map.of("user.name", List.of("admin")),
        new Alert.Entities("ws-01", "admin", "10.0.0.9", null),
        null);
  }

  @Test
  void incidentsListWhatTheGrouperFiled() throws Exception {
    try (dev.rampart.cases.CaseStore cases =
        dev.rampart.cases.CaseStore.open("jdbc:sqlite:" + dir.resolve("cases.db"))) {
      new dev.rampart.cases.triage.Triage(cases, dev.rampart.cases.triage.AlertPolicy.defaults())
          .accept(List.of(alert("a", "high", 1), alert("b", "high", 2)));
    }
    Run r = Run.of("incidents", "--json", "--data", dir.toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("incidents")).hasSize(1);
    assertThat(j.get("incidents").get(0).get("title").asText()).isEqualTo("A high rule on ws-01");
    assertThat(j.get("metrics").get("incidents").asLong()).isEqualTo(1);
    Run text = Run.of("incidents", "--status", "new", "--data", dir.toString());
    assertThat(text.out()).contains("new", "high", "A high rule on ws-01");
    assertThat(Run.of("incidents", "--status", "open", "--data", dir.toString()).code())
        .isEqualTo(2);
  }

  @Test
  void theSocReportOfAPeriodInEachFormat() throws Exception {
    long now = System.currentTimeMillis() * 1_000_000L;
    try (dev.rampart.cases.CaseStore cases =
        dev.rampart.cases.CaseStore.open("jdbc:sqlite:" + dir.resolve("cases.db"))) {
      new dev.rampart.cases.triage.Triage(cases, dev.rampart.cases.triage.AlertPolicy.defaults())
          .accept(List.of(alert("a", "high", now), alert("b", "critical", now)));
    }
    // three stored events of today: the report's log volume
    java.nio.file.Path events = dir.resolve("events.ndjson");
    String stamp = java.time.Instant.now().toString();
    java.nio.file.Files.writeString(
        events, ("{\"@timestamp\":\"" + stamp + "\",\"message\":\"x\"}\n").repeat(3));
    assertThat(Run.of("store", "import", events.toString(), "--data", dir.toString()).code())
        .isZero();
    Run md = Run.of("report", "--data", dir.toString());
    assertThat(md.code()).as(md.err()).isZero();
    assertThat(md.out())
        .startsWith("# SOC report: ")
        .contains("(7 days)", "| Alerts | 2 | 0 | new |", "| A critical rule | 1 |", "T1110.001")
        .contains("| Events stored | 3 | 0 | new |");
    // no vulnerability module ever ran here: nothing to say of it, and no tables made for it
    assertThat(md.out()).doesNotContain("Vulnerability");
    try (dev.rampart.cases.CaseStore cases =
        dev.rampart.cases.CaseStore.open("jdbc:sqlite:" + dir.resolve("cases.db"))) {
      assertThat(cases.db().hasTable("flyway_vuln_history")).isFalse();
    }
    Run json = Run.of("report", "--last", "24h", "--format", "json", "--data", dir.toString());
    JsonNode j = new ObjectMapper().readTree(json.out());
    assertThat(j.at("/current/alerts/byLevel/critical").asLong()).isEqualTo(1);
    assertThat(j.at("/current/incidents/opened").asLong()).isEqualTo(1);
    java.nio.file.Path html = dir.resolve("week.html");
    Run file =
        Run.of("report", "--format", "html", "--out", html.toString(), "--data", dir.toString());
    assertThat(file.err()).contains("wrote the report of ");
    assertThat(java.nio.file.Files.readString(html)).contains("<svg id=\"report-chart\"");
    // another tenant's report is empty; mistakes name the option
    Run acme = Run.of("report", "--tenant", "acme", "--data", dir.toString());
    assertThat(acme.out()).contains("| Alerts | 0 | 0 |  |").doesNotContain("Vulnerability");
    assertThat(acme.out()).doesNotContain("Events stored");
    assertThat(acme.err()).contains("events stored left out: no server config at ");
    // with the server's config, a tenant's events stored are those of its inputs
    java.nio.file.Path config = dir.resolve("server.yaml");
    java.nio.file.Files.writeString(config, "tenants:\n  acme: [syslog-tcp]\n");
    assertThat(
            Run.of(
                    "report",
                    "--tenant",
                    "acme",
                    "--config",
                    config.toString(),
                    "--data",
                    dir.toString())
                .out())
        .contains("| Events stored | 0 | 0 |");
    assertThat(
            Run.of(
                    "report",
                    "--tenant",
                    "default",
                    "--config",
                    config.toString(),
                    "--data",
                    dir.toString())
                .out())
        .contains("| Events stored | 3 | 0 | new |");
    Run bad = Run.of("report", "--end", "tomorrow", "--data", dir.toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--end: now, today, a date");
    assertThat(Run.of("report", "--data", dir.resolve("nothing").toString()).err())
        .contains("no case database at ");
  }

  @Test
  void anIncidentsWriteUpCarriesItsStoredEvents() throws Exception {
    java.nio.file.Path events = dir.resolve("events.ndjson");
    java.nio.file.Files.writeString(
        events,
        "{\"@timestamp\":\"2026-01-09T10:00:00Z\",\"host.name\":\"ws-01\","
            + "\"CommandLine\":\"whoami /all\"}\n");
    assertThat(Run.of("store", "import", events.toString(), "--data", dir.toString()).code())
        .isZero();
    long eventId =
        new ObjectMapper()
            .readTree(Run.of("search", "*", "--format", "json", "--data", dir.toString()).out())
            .at("/events/0/_id")
            .asLong();
    long t = java.time.Instant.parse("2026-01-09T10:00:01Z").toEpochMilli() * 1_000_000L;
    Alert a =
        new Alert(
            "w1",
            "rule-whoami",
            "Whoami /all",
            "medium",
            List.of(),
            List.of("T1033"),
            List.of(eventId),
            t,
            t,
            Map.of(),
            new Alert.Entities("ws-01", "admin", null, null),
            null);
    String id;
    try (dev.rampart.cases.CaseStore cases =
        dev.rampart.cases.CaseStore.open("jdbc:sqlite:" + dir.resolve("cases.db"))) {
      id = cases.open("Discovery on ws-01", "medium", List.of(a), "test").id();
      cases.comment(id, "alice", "Admin testing, confirmed by phone.");
    }
    Run md = Run.of("incidents", "report", id, "--data", dir.toString());
    assertThat(md.code()).as(md.err()).isZero();
    assertThat(md.out())
        .startsWith("# Incident: Discovery on ws-01")
        .contains("| ATT&CK techniques | T1033 |")
        .contains("Admin testing, confirmed by phone.")
        .contains("## Events (1)", "\"CommandLine\" : \"whoami /all\"");
    java.nio.file.Path html = dir.resolve("incident.html");
    Run file =
        Run.of(
            "incidents",
            "report",
            id,
            "--format",
            "html",
            "--out",
            html.toString(),
            "--data",
            dir.toString());
    assertThat(file.err()).contains("wrote incident " + id);
    assertThat(java.nio.file.Files.readString(html)).contains("whoami /all");
    assertThat(Run.of("audit", "list", "--data", dir.toString()).out()).contains("incident.export");
    Run missing = Run.of("incidents", "report", "nope", "--data", dir.toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("no incident nope");
  }

  @Test
  void listsNewestFirstAndFiltersByLevel() throws Exception {
    try (AlertLog log = AlertLog.open(dir.resolve("alerts/alerts.ndjson"))) {
      log.append(List.of(alert("a", "low", 1), alert("b", "high", 2), alert("c", "medium", 3)));
    }
    Run text = Run.of("alerts", "--data", dir.toString());
    assertThat(text.code()).as(text.err()).isZero();
    assertThat(text.out().lines().toList()).hasSize(3);
    assertThat(text.out().lines().findFirst().orElseThrow())
        .contains("medium", "A medium rule", "host=ws-01", "T1110.001");
    Run high = Run.of("alerts", "--min-level", "high", "--json", "--data", dir.toString());
    JsonNode j = new ObjectMapper().readTree(high.out());
    assertThat(j).hasSize(1);
    assertThat(j.get(0).get("id").asText()).isEqualTo("b");
    assertThat(Run.of("alerts", "--min-level", "severe", "--data", dir.toString()).code())
        .isEqualTo(2);
  }

  @Test
  void exceptionsAreAddedListedAndRevoked() throws Exception {
    Run add =
        Run.of(
            "exceptions",
            "add",
            "--rule",
            "r1",
            "--host",
            "backup-01",
            "--for",
            "7d",
            "--reason",
            "nightly backup",
            "--by",
            "alice",
            "--data",
            dir.toString());
    assertThat(add.code()).as(add.err()).isZero();
    String id = add.out().strip();
    assertThat(Run.of("exceptions", "list", "--data", dir.toString()).out())
        .contains(id, "active", "rule=r1", "host=backup-01", "by=alice", "nightly backup");
    Run bad =
        Run.of(
            "exceptions",
            "add",
            "--rule",
            "r1",
            "--for",
            "400d",
            "--reason",
            "x",
            "--data",
            dir.toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("at most 365 days");
    assertThat(Run.of("exceptions", "revoke", id, "--by", "bob", "--data", dir.toString()).code())
        .isZero();
    assertThat(Run.of("exceptions", "list", "--data", dir.toString()).out()).contains("revoked");
  }

  @Test
  void playbooksAreValidatedWithLines() throws Exception {
    java.nio.file.Files.writeString(
        dir.resolve("good.yaml"),
        "on: {alert: {min_level: high}}\nsteps:\n  - blocklist: {list: ips, value: '{{alert.source_ip}}'}\n");
    java.nio.file.Files.writeString(
        dir.resolve("bad.yaml"), "on: {alert: any}\nsteps:\n  - webhook: {url: 'ftp://x'}\n");
    Run r = Run.of("playbooks", "validate", dir.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).contains("ok  ").contains("good.yaml: good (blocklist)");
    assertThat(r.out()).contains("bad.yaml:3: step 1 (webhook): url must be http");
  }
}
