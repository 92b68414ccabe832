package dev.rampart.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rampart.alerting.alert.Alert;
import dev.rampart.cases.incident.CaseException;
import dev.rampart.cases.incident.Incident;
import dev.rampart.cases.incident.Status;
import dev.rampart.cases.triage.AlertPolicy;
import dev.rampart.cases.triage.Triage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Alert handling: grouping, suppression, severity overrides and audited exceptions. */
class TriageTest extends DatabaseTest {
  static Alert alert(String id, String rule, String host, String user, String level) {
    return new Alert(
        id,
        rule,
        "Rule " + rule,
        level,
        List.of(),
        List.of(),
        List.of(1L),
        0,
        0,
        Map.of("CommandLine", List.of("whoami")),
        new Alert.Entities(host, user, "10.0.0.5", null),
        null);
  }

  @org.junit.jupiter.api.Test
  void anApprovedChangeLeavesTheQueueAndARiskyIdentityRaisesThePriority() throws Exception {
    try (CaseStore cases = store("sqlite", new TestClock())) {
      Triage t = new Triage(cases, AlertPolicy.defaults());
      t.identities(
          new Triage.Identities() {
            @Override
            public String approved(Alert a) {
              return a.ruleId().equals("group-change") ? "approved change: CHG-1" : null;
            }

            @Override
            public String raise(Alert a) {
              return "mateo".equals(a.entities().user()) ? "identity risk of Mateo is high" : null;
            }
          });
      assertThat(t.accept(List.of(alert("g1", "group-change", "dc-01", "Domain Admins", "high"))))
          .isZero();
      assertThat(t.counts().excepted()).isEqualTo(1);
      assertThat(cases.db().audit(10).toString()).contains("alert.approved-change", "CHG-1");
      assertThat(t.accept(List.of(alert("m1", "rm", "ws-07", "mateo", "medium")))).isEqualTo(1);
      assertThat(t.accept(List.of(alert("o1", "ro", "ws-08", "olivia", "medium")))).isEqualTo(1);
      var all = cases.list(CaseStore.Filter.any(), 10, null).incidents();
      assertThat(all)
          .extracting(Incident::host, Incident::priority)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple("ws-07", "high"),
              org.assertj.core.groups.Tuple.tuple("ws-08", "medium"));
      // a later alert about a risky identity raises the open incident it joins
      assertThat(t.accept(List.of(alert("o2", "ro", "ws-08", "mateo", "medium")))).isZero();
      assertThat(
              cases.list(CaseStore.Filter.any(), 10, null).incidents().stream()
                  .filter(i -> "ws-08".equals(i.host()))
                  .findFirst()
                  .orElseThrow()
                  .priority())
          .isEqualTo("high");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void alertsAboutOneHostShareAnIncidentWithinTheWindow(String db) throws Exception {
    TestClock clock = new TestClock();
    try (CaseStore cases = store(db, clock)) {
      Triage g = new Triage(cases, AlertPolicy.defaults());
      List<Triage.Filed> filed = new ArrayList<>();
      g.onFiled(filed::add);
      assertThat(
              g.accept(
                  List.of(
                      alert("a", "ra", "ws-01", "bob", "medium"),
                      alert("b", "rb", "ws-02", "bob", "high"))))
          .isEqualTo(2);
      clock.advance(30 * 60_000);
      assertThat(g.accept(List.of(alert("c", "rc", "ws-01", "eve", "critical")))).isZero();
      assertThat(g.accept(List.of(alert("a", "ra", "ws-01", "bob", "medium")))).isZero(); // replay
      // no host: grouped by user
      assertThat(g.accept(List.of(alert("u1", "ru", null, "carol", "low")))).isEqualTo(1);
      assertThat(g.accept(List.of(alert("u2", "ru", null, "carol", "low")))).isZero();
      clock.advance(2 * 3_600_000);
      assertThat(g.accept(List.of(alert("d", "rd", "ws-01", "bob", "low")))).isEqualTo(1);
      var all = cases.list(CaseStore.Filter.any(), 100, null).incidents();
      assertThat(all).hasSize(4);
      Incident first =
          all.stream().filter(i -> i.title().equals("Rule ra on ws-01")).findFirst().orElseThrow();
      assertThat(cases.timeline(first.id()))
          .extracting(CaseStore.Entry::kind)
          .containsExactly("opened", "alerts");
      assertThat(filed)
          .extracting(f -> f.alert().id())
          .containsExactly("a", "b", "c", "u1", "u2", "d");
      assertThat(filed)
          .extracting(Triage.Filed::opened)
          .containsExactly(true, true, false, true, false, true);
      assertThat(g.counts()).isEqualTo(new Triage.Counts(6, 4, 0, 0));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void suppressionSeverityAndGroupingFollowThePolicy(String db) throws Exception {
    TestClock clock = new TestClock();
    AlertPolicy p =
        AlertPolicy.parse(
            "alerting.yaml",
            """
            grouping:
              window: 10m
              by: [user]
            suppress:
              - rule: noisy
                by: [host, CommandLine]
                window: 5m
            severity:
              noisy: critical
            """);
    try (CaseStore cases = store(db, clock)) {
      Triage t = new Triage(cases, p);
      t.accept(List.of(alert("n1", "noisy", "h1", "bob", "low")));
      t.accept(List.of(alert("n2", "noisy", "h1", "bob", "low"))); // suppressed
      t.accept(List.of(alert("n3", "noisy", "h2", "bob", "low"))); // other host: filed
      clock.advance(6 * 60_000);
      t.accept(List.of(alert("n4", "noisy", "h1", "bob", "low"))); // window over
      assertThat(t.counts().suppressed()).isEqualTo(1);
      assertThat(t.suppressedByRule()).containsEntry("noisy", 1L);
      var all = cases.list(CaseStore.Filter.any(), 100, null).incidents();
      // by user within 10 minutes: one incident for bob's alerts, priority from the override
      assertThat(all)
          .singleElement()
          .satisfies(i -> assertThat(i.priority()).isEqualTo("critical"));
      assertThat(cases.alerts(all.get(0).id()))
          .extracting(CaseStore.LinkedAlert::alertId)
          .containsExactly("n1", "n3", "n4");
      assertThat(cases.alerts(all.get(0).id()))
          .allSatisfy(a -> assertThat(a.level()).isEqualTo("critical"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void suppressionWindowsOutliveARestartAndLetTheirOwnOpenerThrough(String db) throws Exception {
    TestClock clock = new TestClock();
    AlertPolicy p =
        AlertPolicy.parse(
            "alerting.yaml",
            """
            suppress:
              - rule: noisy
                by: [host, CommandLine]
                window: 5m
            """);
    try (CaseStore cases = store(db, clock)) {
      new Triage(cases, p).accept(List.of(alert("n1", "noisy", "h1", "bob", "low")));
      // a restart: the window opened by n1 still holds
      Triage again = new Triage(cases, p);
      again.accept(List.of(alert("n2", "noisy", "h1", "bob", "low")));
      assertThat(again.counts().suppressed()).isEqualTo(1);
      // a crash after a window was saved but before its alert was filed: the replay is filed
      Alert longLine =
          new Alert(
              "w1",
              "noisy",
              "Rule noisy",
              "low",
              List.of(),
              List.of(),
              List.of(1L),
              0,
              0,
              Map.of("CommandLine", List.of("powershell -enc " + "A".repeat(20_000))),
              new Alert.Entities("h3", "bob", null, null),
              null);
      Triage first = new Triage(cases, p);
      first.accept(List.of(longLine));
      List<String> filed = new ArrayList<>();
      for (Incident i : cases.list(CaseStore.Filter.any(), 100, null).incidents()) {
        cases.alerts(i.id()).forEach(a -> filed.add(a.alertId()));
      }
      assertThat(filed).contains("n1", "w1").doesNotContain("n2");
      cases
          .db()
          .tx(
              c -> {
                dev.rampart.cases.db.Db.update(
                    c, "DELETE FROM incident_alerts WHERE alert_id = 'w1'");
                return dev.rampart.cases.db.Db.update(c, "DELETE FROM alerts WHERE id = 'w1'");
              });
      Triage replay = new Triage(cases, p);
      replay.accept(List.of(longLine));
      assertThat(replay.counts().suppressed()).isZero();
      assertThat(replay.counts().filed()).isEqualTo(1);
      // windows end, and are forgotten at the next start
      clock.advance(6 * 60_000);
      Triage later = new Triage(cases, p);
      later.accept(List.of(alert("n3", "noisy", "h1", "bob", "low")));
      assertThat(later.counts().suppressed()).isZero();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void anExceptionSilencesARuleForAHostUntilItExpiresAndIsAudited(String db) throws Exception {
    TestClock clock = new TestClock();
    try (CaseStore cases = store(db, clock)) {
      Triage t = new Triage(cases, AlertPolicy.defaults());
      var ex =
          cases
              .exceptions()
              .add(
                  "backup-rule",
                  "backup-01",
                  null,
                  "nightly backup job, ticket OPS-12",
                  clock.millis() + 3_600_000,
                  "alice");
      t.accept(List.of(alert("x1", "backup-rule", "backup-01", "svc", "medium")));
      t.accept(List.of(alert("x2", "backup-rule", "BACKUP-01", "svc", "medium")));
      t.accept(List.of(alert("x3", "backup-rule", "ws-07", "svc", "medium"))); // other host
      assertThat(t.counts().excepted()).isEqualTo(2);
      assertThat(cases.list(CaseStore.Filter.any(), 10, null).incidents()).hasSize(1);
      assertThat(cases.exceptions().list())
          .singleElement()
          .satisfies(e -> assertThat(e.hits()).isEqualTo(2));
      clock.advance(3_600_001);
      t.accept(List.of(alert("x4", "backup-rule", "backup-01", "svc", "medium"))); // expired
      assertThat(t.counts().excepted()).isEqualTo(2);
      cases.exceptions().revoke(ex.id(), "bob");
      assertThatThrownBy(() -> cases.exceptions().revoke(ex.id(), "bob"))
          .extracting(e -> ((CaseException) e).kind())
          .isEqualTo(CaseException.Kind.CONFLICT);
      assertThat(cases.db().audit(10))
          .extracting(e -> e.actor() + " " + e.action())
          .containsExactly("bob exception.revoke", "alice exception.add");
      assertThat(cases.db().audit(10).get(1).detail()).contains("backup-01", "OPS-12");
      clock.advance(1); // audit entries of the reloads below come strictly later
      assertThatThrownBy(
              () -> cases.exceptions().add("r", null, null, "why", clock.millis() - 1, "alice"))
          .hasMessageContaining("expires");
      assertThatThrownBy(
              () -> cases.exceptions().add("r", null, null, " ", clock.millis() + 1000, "alice"))
          .hasMessageContaining("reason");
      // exceptions as code: applied from the policy, their changes audited on reload
      AlertPolicy withFile =
          AlertPolicy.parse(
              "alerting.yaml",
              """
              exceptions:
                - {rule: scanner-rule, host: scan-01, reason: weekly scan, expires: 2099-01-01}
              """);
      t.policy(withFile, "file:alerting.yaml");
      t.accept(List.of(alert("s1", "scanner-rule", "scan-01", "svc", "high")));
      assertThat(t.counts().excepted()).isEqualTo(3);
      t.policy(AlertPolicy.defaults(), "file:alerting.yaml");
      t.accept(List.of(alert("s2", "scanner-rule", "scan-01", "svc", "high")));
      assertThat(t.counts().excepted()).isEqualTo(3);
      assertThat(cases.db().audit(2))
          .extracting(e -> e.actor() + " " + e.action())
          .containsExactly(
              "file:alerting.yaml exception.file.remove", "file:alerting.yaml exception.file.add");
      // closing the incident lets the next alert open a new one
      Incident i = cases.list(CaseStore.Filter.any(), 10, null).incidents().get(0);
      cases.transition(i.id(), Status.FALSE_POSITIVE, "alice");
    }
  }
}
