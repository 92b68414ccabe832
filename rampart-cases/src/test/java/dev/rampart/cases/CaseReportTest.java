package dev.rampart.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.rampart.alerting.alert.Alert;
import dev.rampart.cases.incident.Incident;
import dev.rampart.cases.incident.Status;
import dev.rampart.cases.queue.AlertQueue;
import dev.rampart.cases.report.CaseReport;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The period report's figures, worked out by hand for a small history, on both databases. */
class CaseReportTest extends DatabaseTest {
  private static final long MIN = 60_000L;
  private static final long HOUR = 60 * MIN;

  private static Alert alert(
      String id, String rule, String level, long eventMs, long detectedMs, String tenant) {
    return new Alert(
        id,
        rule,
        "Rule " + rule,
        level,
        List.of(),
        List.of("T1110", "T1059.001"),
        List.of(1L),
        eventMs * 1_000_000,
        detectedMs * 1_000_000,
        Map.of(),
        new Alert.Entities("ws-" + id, "alice", null, null),
        tenant);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void aPeriodsFiguresCountWhatHappenedInsideIt(String db) throws Exception {
    TestClock clock = new TestClock();
    long t0 = clock.millis(); // 2026-01-05T00:00Z
    try (CaseStore cases = store(db, clock)) {
      clock.advance(HOUR);
      Incident a =
          cases.open(
              "A", "high", List.of(alert("a1", "r1", "high", t0 + 58 * MIN, t0 + HOUR, null)), "d");
      clock.advance(HOUR); // t0+2h
      Incident b =
          cases.open(
              "B",
              "critical",
              List.of(
                  alert("a2", "r2", "critical", t0 + 116 * MIN, t0 + 2 * HOUR, null),
                  alert("a3", "r2", "critical", t0 + 116 * MIN, t0 + 2 * HOUR, null)),
              "d");
      cases.transition(b.id(), Status.ACKNOWLEDGED, "bob"); // at once: met below, moved later
      // a's acknowledgement 90 minutes after opening: its 1 h SLA missed
      clock.advance(30 * MIN); // t0+2h30
      cases.transition(a.id(), Status.ACKNOWLEDGED, "alice");
      cases.transition(b.id(), Status.FALSE_POSITIVE, "bob");
      clock.advance(90 * MIN); // t0+4h
      cases
          .queue()
          .record(alert("s1", "r3", "medium", t0 + 4 * HOUR, t0 + 4 * HOUR, null), "suppressed");
      clock.advance(HOUR); // t0+5h
      cases.transition(a.id(), Status.RESOLVED, "alice");
      clock.advance(21 * HOUR); // t0+26h, the second day
      cases.open(
          "C",
          "low",
          List.of(alert("a4", "r1", "low", t0 + 26 * HOUR - 10 * MIN, t0 + 26 * HOUR, "acme")),
          "d");
      clock.advance(HOUR);

      CaseReport r = cases.report(t0, t0 + 48 * HOUR, Set.of());
      assertThat(r.alerts().total()).isEqualTo(5);
      assertThat(r.alerts().byLevel())
          .containsExactly(
              Map.entry("critical", 2L),
              Map.entry("high", 1L),
              Map.entry("medium", 1L),
              Map.entry("low", 1L),
              Map.entry("informational", 0L));
      assertThat(r.alerts().filed()).isEqualTo(4);
      assertThat(r.alerts().suppressed()).isEqualTo(1);
      assertThat(r.perDay())
          .extracting(CaseReport.Day::day)
          .containsExactly("2026-01-05", "2026-01-06");
      assertThat(r.perDay()).extracting(CaseReport.Day::total).containsExactly(4L, 1L);
      assertThat(r.topRules().get(0)).isEqualTo(new CaseReport.Count("Rule r1", 2));
      assertThat(r.topTechniques())
          .containsExactly(new CaseReport.Count("T1059.001", 5), new CaseReport.Count("T1110", 5));

      CaseReport.Incidents i = r.incidents();
      assertThat(i.opened()).isEqualTo(3);
      assertThat(i.openedByPriority()).containsEntry("critical", 1L).containsEntry("low", 1L);
      assertThat(i.resolved()).isEqualTo(1);
      assertThat(i.falsePositives()).isEqualTo(1);
      assertThat(i.openAtEnd()).isEqualTo(1);
      assertThat(i.openAtEndByPriority()).containsEntry("low", 1L);
      // detection delays 2, 4, 4 and 10 minutes
      assertThat(i.mttdMillis()).isCloseTo(5 * MIN, within(1.0));
      // acknowledged after 90 and 0 minutes; closed after 4 h and 30 min
      assertThat(i.mttaMillis()).isCloseTo(45 * MIN, within(1.0));
      assertThat(i.mttrMillis()).isCloseTo(135 * MIN, within(1.0));
      assertThat(cases.times(t0, t0 + 48 * HOUR, Set.of()))
          .isEqualTo(new CaseReport.Times(i.mttdMillis(), i.mttaMillis(), i.mttrMillis()));
      // due in the period and before now: A's and B's acknowledgements and resolutions
      assertThat(i.acknowledge()).isEqualTo(new CaseReport.Sla(1, 1));
      assertThat(i.acknowledge().percentMet()).isEqualTo(50.0);
      assertThat(i.resolve()).isEqualTo(new CaseReport.Sla(2, 0));
      assertThat(r.ruleOutcomes())
          .containsExactly(
              new CaseReport.RuleOutcome("r2", "Rule r2", 2, 0, 2),
              new CaseReport.RuleOutcome("r1", "Rule r1", 1, 1, 0));

      // the first day alone: C is not in it, and is not open at its end either
      CaseReport day1 = cases.report(t0, t0 + 24 * HOUR, Set.of());
      assertThat(day1.incidents().opened()).isEqualTo(2);
      assertThat(day1.incidents().openAtEnd()).isZero();
      assertThat(day1.perDay()).hasSize(1);

      // one tenant's report has its alerts and incidents only
      CaseReport acme = cases.report(t0, t0 + 48 * HOUR, Set.of("acme"));
      assertThat(acme.alerts().total()).isEqualTo(1);
      assertThat(acme.incidents().opened()).isEqualTo(1);
      assertThat(acme.incidents().mttaMillis()).isNull();
      assertThat(acme.ruleOutcomes()).isEmpty();

      // a period with nothing in it: zeros and no averages; partial hours widen to whole ones
      CaseReport before = cases.report(t0 - 48 * HOUR, t0 - 30 * MIN, Set.of());
      assertThat(before.toMillis()).isEqualTo(t0);
      assertThat(before.alerts().total()).isZero();
      assertThat(before.incidents().mttdMillis()).isNull();
      assertThat(before.incidents().acknowledge().percentMet()).isNull();
      assertThat(before.perDay()).hasSize(2);
      assertThat(AlertQueue.LEVELS).hasSize(5);
    }
  }
}
