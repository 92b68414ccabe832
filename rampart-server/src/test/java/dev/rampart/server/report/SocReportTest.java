package dev.rampart.server.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.rampart.alerting.alert.Alert;
import dev.rampart.cases.CaseStore;
import dev.rampart.cases.incident.Incident;
import dev.rampart.cases.incident.Status;
import dev.rampart.playbooks.playbook.Settings;
import dev.rampart.vuln.track.VulnStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SOC report as people read it (Markdown, HTML, JSON), its periods, and the scheduled e-mails
 * through a real SMTP server on loopback (GreenMail).
 */
class SocReportTest {
  private static final long HOUR = 3_600_000L;
  private static final long MONDAY = Instant.parse("2026-01-12T00:00:00Z").toEpochMilli();

  @TempDir Path dir;

  /** A clock the test moves. */
  static final class MovingClock extends Clock {
    final AtomicLong millis;

    MovingClock(long start) {
      millis = new AtomicLong(start);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }
  }

  private static Alert alert(String id, String rule, String level, long detectedMs) {
    return new Alert(
        id,
        rule,
        "Rule | " + rule, // a pipe, which must not break a Markdown table
        level,
        List.of(),
        List.of("T1110"),
        List.of(1L),
        (detectedMs - 60_000) * 1_000_000,
        detectedMs * 1_000_000,
        Map.of(),
        new Alert.Entities("ws-01", "alice", null, null),
        null);
  }

  /**
   * The week before Monday 12 January 2026: two incidents (one closed as a false positive), three
   * alerts; the week before that: one alert.
   */
  private CaseStore history(MovingClock clock) throws Exception {
    CaseStore cases = CaseStore.open("jdbc:sqlite:" + dir.resolve("cases.db"), null, null, clock);
    clock.millis.set(MONDAY - 10 * 24 * HOUR);
    cases.open("Old", "low", List.of(alert("o1", "r1", "low", clock.millis())), "d");
    clock.millis.set(MONDAY - 3 * 24 * HOUR);
    Incident a =
        cases.open(
            "A",
            "high",
            List.of(
                alert("a1", "r1", "high", clock.millis()),
                alert("a2", "r1", "high", clock.millis())),
            "d");
    clock.millis.addAndGet(HOUR / 2);
    cases.transition(a.id(), Status.ACKNOWLEDGED, "alice");
    clock.millis.addAndGet(HOUR / 2);
    cases.transition(a.id(), Status.FALSE_POSITIVE, "alice");
    clock.millis.set(MONDAY - 24 * HOUR);
    cases.open("B", "critical", List.of(alert("b1", "r2", "critical", clock.millis())), "d");
    clock.millis.set(MONDAY + 9 * HOUR);
    return cases;
  }

  @Test
  void theWeeksReportSaysWhatHappenedAgainstTheWeekBefore() throws Exception {
    MovingClock clock = new MovingClock(MONDAY);
    try (CaseStore cases = history(clock)) {
      VulnStore vulns = VulnStore.open(cases.db());
      ReportPeriod week = ReportPeriod.parse("7d", "today", clock.millis());
      assertThat(week).isEqualTo(new ReportPeriod(MONDAY - 7 * 24 * HOUR, MONDAY));
      SocReport r = SocReport.build(cases, vulns, week, Set.of());
      assertThat(r.periodLabel()).isEqualTo("2026-01-05 00:00 to 2026-01-12 00:00 UTC (7 days)");
      assertThat(r.summary())
          .contains(
              new SocReport.Row("Alerts", "3", "1", "+200%"),
              new SocReport.Row("Incidents opened", "2", "1", "+100%"),
              new SocReport.Row("Incidents closed as false positives", "1", "0", "new"),
              new SocReport.Row("Incidents open at the end", "2", "1", "+100%"),
              new SocReport.Row("MTTD (event to alert)", "1.0 min", "1.0 min", "+0%"),
              new SocReport.Row("MTTR (opened to closed)", "1.0 h", "-", ""),
              new SocReport.Row("Acknowledged within SLA", "50% (1 of 2)", "0% (0 of 1)", ""),
              new SocReport.Row("Vulnerability findings opened", "0", "0", ""));

      String md = ReportFormat.MARKDOWN.render(r);
      assertThat(md)
          .startsWith("# SOC report: 2026-01-05 00:00 to 2026-01-12 00:00 UTC (7 days)\n")
          .contains("| Alerts | 3 | 1 | +200% |")
          .contains("| 2026-01-09 | 0 | 2 | 0 | 0 | 0 | 2 |")
          .contains("| Rule \\| r1 | 2 |")
          .contains("| Rule \\| r1 | 2 | 0 | 2 |") // the rule to tune
          .contains("| critical | 1 |");

      String html = ReportFormat.HTML.render(r);
      assertThat(html)
          .startsWith("<!doctype html>")
          .contains("<svg id=\"report-chart\"")
          .contains("<title>2 high</title>")
          .contains("Rule | r1")
          .doesNotContain("<script");

      JsonNode json = new ObjectMapper().readTree(ReportFormat.JSON.render(r));
      assertThat(json.path("from").asText()).isEqualTo("2026-01-05T00:00:00Z");
      assertThat(json.path("to").asText()).isEqualTo("2026-01-12T00:00:00Z");
      assertThat(json.path("current").path("alerts").path("total").asLong()).isEqualTo(3);
      assertThat(json.path("previous").path("alerts").path("total").asLong()).isEqualTo(1);
      assertThat(json.path("vulns").path("openAtEnd").asInt()).isZero();

      // a tenant's report leaves out vulnerabilities, which belong to no tenant
      SocReport other = SocReport.build(cases, vulns, week, Set.of("acme"));
      assertThat(other.vulns()).isNull();
      assertThat(other.current().alerts().total()).isZero();
      assertThat(ReportFormat.MARKDOWN.render(other)).doesNotContain("Vulnerability");
    }
  }

  @Test
  void theLogVolumeComesFromTheStoreAndItsFailureIsSaidNotFatal() throws Exception {
    MovingClock clock = new MovingClock(MONDAY);
    try (CaseStore cases = history(clock)) {
      ReportPeriod week = ReportPeriod.parse("7d", "today", clock.millis());
      List<long[]> asked = new java.util.ArrayList<>();
      EventCounts counts =
          (from, to) -> {
            asked.add(new long[] {from, to});
            return new EventCounts.Counted(
                Map.of(java.time.LocalDate.ofEpochDay(from / (24 * HOUR) + 4), 500L), false);
          };
      SocReport r = SocReport.build(cases, null, counts, week, Set.of());
      assertThat(asked)
          .extracting(a -> a[0])
          .containsExactly(MONDAY - 7 * 24 * HOUR, MONDAY - 14 * 24 * HOUR);
      assertThat(r.summary().get(0))
          .isEqualTo(new SocReport.Row("Events stored", "500", "500", "+0%"));
      assertThat(ReportFormat.MARKDOWN.render(r))
          .contains("| Total | Events |")
          .contains("| 2026-01-09 | 0 | 2 | 0 | 0 | 0 | 2 | 500 |")
          .contains("| 2026-01-08 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |");
      assertThat(ReportFormat.HTML.render(r)).contains("<th class=\"num\">Events</th>");

      SocReport down =
          SocReport.build(
              cases,
              null,
              (from, to) -> {
                throw new java.io.IOException(
                    "OpenSearch at 127.0.0.1:9200 refused the connection");
              },
              week,
              Set.of());
      assertThat(down.events()).isNull();
      assertThat(down.notes())
          .containsExactly(
              "Events were not counted: OpenSearch at 127.0.0.1:9200 refused the connection");
      assertThat(ReportFormat.MARKDOWN.render(down))
          .contains("> Events were not counted: OpenSearch")
          .contains("| Alerts | 3 | 1 | +200% |");
    }
  }

  @Test
  void anIncidentsWriteUpHasItsFactsNotesTimelineAndEvents() throws Exception {
    MovingClock clock = new MovingClock(MONDAY);
    try (CaseStore cases = history(clock)) {
      Incident a =
          cases
              .list(new CaseStore.Filter(Set.of(), null, null, null, false), 10, null)
              .incidents()
              .stream()
              .filter(x -> x.title().equals("A"))
              .findFirst()
              .orElseThrow();
      cases.comment(a.id(), "alice", "Backup job | not an attack.\n\n```\nrm -rf /tmp/x\n```");
      cases.addEvidence(a.id(), 7L, "the job's log line", "alice");
      // the store holds event 1 (the alerts' event) and 7, not 9 (retention took it)
      cases.addEvidence(a.id(), 9L, null, "alice");
      List<String> queries = new java.util.ArrayList<>();
      dev.rampart.store.search.EventSearch store =
          rq -> {
            queries.add(rq.query() + " within " + rq.scope());
            List<Map<String, Object>> rows = new java.util.ArrayList<>();
            for (long id : new long[] {7, 1}) {
              if (rq.query().contains("_id:" + id)) {
                rows.add(
                    Map.of(
                        "_id",
                        id,
                        "@timestamp",
                        "2026-01-09T00:0" + id + ":00Z",
                        "host.name",
                        "ws-01",
                        "CommandLine",
                        "backup.exe ```"));
              }
            }
            return new dev.rampart.store.search.SearchResult(
                rows.size(), null, rows, null, false, List.of(), 1);
          };
      IncidentReport r = IncidentReport.build(cases, cases.get(a.id()), store, "tenant-scope");
      assertThat(queries).containsExactly("_id:1 OR _id:7 OR _id:9 within tenant-scope");
      assertThat(r.events()).extracting(e -> e.get("_id")).containsExactly(1L, 7L);
      assertThat(r.notes())
          .containsExactly(
              "1 of the incident's events are no longer in the store (retention) or not yet"
                  + " indexed.");
      assertThat(r.facts())
          .contains(
              Map.entry("Status", "false_positive"),
              Map.entry(
                  "Acknowledged", "2026-01-09 00:30:00 UTC (SLA due 2026-01-09 01:00:00 UTC: met)"),
              Map.entry("Time to close", "1.0 h"),
              Map.entry("ATT&CK techniques", "T1110"));

      String md = ReportFormat.MARKDOWN.render(r);
      assertThat(md)
          .startsWith("# Incident: A\n")
          .contains("## Alerts (2)")
          .contains("| high | Rule \\| r1 (r1) |") // pipes in titles escaped
          .contains("**alice**, 2026-01-12 09:00:00 UTC:\n\nBackup job")
          .contains("| alice | status | acknowledged -> false_positive |")
          .contains("### Event 7 at 2026-01-09T00:07:00Z on ws-01")
          .contains("Linked as evidence by alice, ")
          .contains(": the job's log line")
          .contains("\"CommandLine\" : \"backup.exe `\u200b``\""); // no early end of the block
      assertThat(ReportFormat.HTML.render(r))
          .contains("<h1>Incident: A</h1>")
          .contains("Backup job | not an attack.")
          .doesNotContain("<script");
      JsonNode json = new ObjectMapper().readTree(ReportFormat.JSON.render(r));
      assertThat(json.at("/incident/status").asText()).isEqualTo("false_positive");
      assertThat(json.at("/events/1/_id").asLong()).isEqualTo(7);

      // a reader without events:read gets the rest, and is told why the events are not there
      IncidentReport without = IncidentReport.build(cases, cases.get(a.id()), null, null);
      assertThat(without.events()).isEmpty();
      assertThat(without.notes()).singleElement().asString().contains("events:read");
    }
  }

  @Test
  void periodsAreWholeHoursAndMistakesSayWhatIsTaken() {
    long now = Instant.parse("2026-01-14T10:20:00Z").toEpochMilli();
    assertThat(ReportPeriod.parse(null, null, now))
        .isEqualTo(
            new ReportPeriod(
                Instant.parse("2026-01-07T11:00:00Z").toEpochMilli(),
                Instant.parse("2026-01-14T11:00:00Z").toEpochMilli()));
    assertThat(ReportPeriod.parse("24h", "2026-01-10", now).fromMillis())
        .isEqualTo(Instant.parse("2026-01-09T00:00:00Z").toEpochMilli());
    assertThat(ReportPeriod.parse("1w", "2026-01-10T05:30:00Z", now).toMillis())
        .isEqualTo(Instant.parse("2026-01-10T06:00:00Z").toEpochMilli());
    assertThatThrownBy(() -> ReportPeriod.parse("90m", "now", now))
        .hasMessageContaining("last: whole hours");
    assertThatThrownBy(() -> ReportPeriod.parse("400d", "now", now))
        .hasMessageContaining("not '400d'");
    assertThatThrownBy(() -> ReportPeriod.parse("7d", "yesterday", now))
        .hasMessageContaining("end: now, today, a date");
    assertThatThrownBy(() -> ReportPeriod.parse("7d", "+1000000000-12-31T23:59:59Z", now))
        .hasMessageContaining("end: between 1970-01-02 and 9999-12-31");
    assertThatThrownBy(() -> ReportPeriod.parse("7d", "-999999999-01-01", now))
        .hasMessageContaining("end: between");
    assertThatThrownBy(() -> ReportPeriod.parse("7d", "1970-01-01", now))
        .hasMessageContaining("end: between");
    // scheduled: the week to the last Monday, the day to the last midnight
    assertThat(ReportPeriod.lastWhole(Duration.ofDays(7), now))
        .isEqualTo(new ReportPeriod(MONDAY - 7 * 24 * HOUR, MONDAY));
    assertThat(ReportPeriod.lastWhole(Duration.ofDays(7), MONDAY))
        .isEqualTo(new ReportPeriod(MONDAY - 7 * 24 * HOUR, MONDAY));
    assertThat(ReportPeriod.lastWhole(Duration.ofDays(1), now).toMillis())
        .isEqualTo(Instant.parse("2026-01-14T00:00:00Z").toEpochMilli());
  }

  @Test
  void scheduledReportsGoOnceAfterEachPeriodAndAreRetriedWhenTheMailServerIsDown()
      throws Exception {
    GreenMail mail = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp"));
    mail.start();
    MovingClock clock = new MovingClock(MONDAY);
    try (CaseStore cases = history(clock)) {
      Settings.Smtp smtp =
          new Settings.Smtp(
              "127.0.0.1", mail.getSmtp().getPort(), "rampart@example.org", null, null, false);
      var weekly =
          new ScheduledReports.Schedule(
              List.of("soc-lead@example.org"), Duration.ofDays(7), List.of());
      Path state = dir.resolve("reports/sent.json");
      var reports =
          new ScheduledReports(
              List.of(weekly),
              state,
              cases,
              VulnStore.open(cases.db()),
              null,
              smtp,
              "https://rampart.example.org");

      var first = reports.runDue(clock.millis());
      assertThat(first).singleElement().matches(ScheduledReports.Outcome::sent);
      assertThat(mail.getReceivedMessages()).hasSize(1);
      var m = mail.getReceivedMessages()[0];
      assertThat(m.getSubject())
          .isEqualTo("Rampart SOC report: 2026-01-05 00:00 to 2026-01-12 00:00 UTC (7 days)");
      // Markdown as the text, the self-contained HTML beside it for mail programs that show it
      var parts = (jakarta.mail.internet.MimeMultipart) m.getContent();
      assertThat(parts.getContentType()).startsWith("multipart/alternative");
      assertThat(parts.getCount()).isEqualTo(2);
      assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
      assertThat((String) parts.getBodyPart(0).getContent())
          .contains("| Alerts | 3 | 1 | +200% |")
          .contains("https://rampart.example.org/report?last=168h&end=2026-01-12T00:00:00Z");
      assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");
      assertThat((String) parts.getBodyPart(1).getContent()).contains("<html", "<svg");
      assertThat(cases.db().audit(10)).anyMatch(e -> e.action().equals("report.sent"));

      // nothing more this week, nor after a restart
      assertThat(reports.runDue(clock.millis() + HOUR)).isEmpty();
      var restarted = new ScheduledReports(List.of(weekly), state, cases, null, null, smtp, null);
      assertThat(restarted.runDue(clock.millis() + 2 * HOUR)).isEmpty();
      assertThat(mail.getReceivedMessages()).hasSize(1);

      // the mail server is down on the next Monday: said, kept, tried again ten minutes later
      mail.stop();
      long next = MONDAY + 7 * 24 * HOUR + 60_000;
      var failed = restarted.runDue(next);
      assertThat(failed).singleElement().matches(o -> !o.sent());
      assertThat(failed.get(0).detail()).contains("SMTP 127.0.0.1");
      assertThat(restarted.runDue(next + 60_000)).isEmpty(); // not before the ten minutes
      // a damaged state file is moved aside, not a reason to stop sending
      Files.writeString(state, "{\"soc-lead@example.org every 7d\": 17");
      var afresh = new ScheduledReports(List.of(weekly), state, cases, null, null, smtp, null);
      assertThat(afresh.runDue(next + 11 * 60_000)).singleElement().matches(o -> !o.sent());
      assertThat(dir.resolve("reports/sent.json.damaged")).exists();
      Files.writeString(state, "{\"soc-lead@example.org every 7d\": " + MONDAY + "}");
      assertThat(Files.readString(state))
          .contains(Long.toString(MONDAY))
          .doesNotContain(Long.toString(MONDAY + 7 * 24 * HOUR));
    } finally {
      mail.stop();
    }
  }
}
