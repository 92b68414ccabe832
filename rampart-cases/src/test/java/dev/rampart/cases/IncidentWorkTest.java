package dev.rampart.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rampart.alerting.alert.Alert;
import dev.rampart.cases.incident.CaseException;
import dev.rampart.cases.incident.Incident;
import dev.rampart.cases.incident.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What analysts do to incidents besides the lifecycle: tags, evidence, merge, SLA, outcomes. */
class IncidentWorkTest extends DatabaseTest {
  static Alert alert(String id, String rule, String host) {
    return new Alert(
        id,
        rule,
        "Rule " + rule,
        "high",
        List.of(),
        List.of(),
        List.of(7L),
        0,
        0,
        Map.of(),
        new Alert.Entities(host, "bob", null, null),
        null);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void tagsEvidenceAndCommentsAreKeptAndListed(String db) throws Exception {
    try (CaseStore cases = store(db, new TestClock())) {
      List<CaseStore.Change> changes = new ArrayList<>();
      cases.onChange(changes::add);
      Incident i = cases.open("T", "medium", List.of(alert("a", "r1", "ws-01")), "triage");
      Incident tagged = cases.tag(i.id(), Set.of("ransomware", "tier:2"), Set.of(), "alice");
      assertThat(tagged.tags()).containsExactly("ransomware", "tier:2");
      assertThat(cases.tag(i.id(), Set.of(), Set.of("tier:2"), "alice").tags())
          .containsExactly("ransomware");
      assertThatThrownBy(() -> cases.tag(i.id(), Set.of("no spaces"), Set.of(), "alice"))
          .extracting(e -> ((CaseException) e).kind())
          .isEqualTo(CaseException.Kind.INVALID);
      cases.addEvidence(i.id(), 4242L, "the first logon", "alice");
      assertThatThrownBy(() -> cases.addEvidence(i.id(), 4242L, null, "alice"))
          .extracting(e -> ((CaseException) e).kind())
          .isEqualTo(CaseException.Kind.CONFLICT);
      assertThat(cases.evidence(i.id()))
          .singleElement()
          .satisfies(e -> assertThat(e.note()).isEqualTo("the first logon"));
      cases.comment(i.id(), "alice", "# Notes\n<script>kept as text</script>");
      assertThat(cases.comments(i.id()))
          .singleElement()
          .satisfies(c -> assertThat(c.markdown()).startsWith("# Notes"));
      assertThat(
              cases
                  .list(new CaseStore.Filter(Set.of(), null, null, "ransomware", false), 10, null)
                  .incidents())
          .extracting(Incident::id)
          .containsExactly(i.id());
      assertThat(changes)
          .extracting(CaseStore.Change::kind)
          .containsExactly("opened", "tags", "tags", "evidence", "comment");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void mergingMovesAlertsEvidenceAndTagsAndClosesTheSource(String db) throws Exception {
    try (CaseStore cases = store(db, new TestClock())) {
      Incident a = cases.open("A", "high", List.of(alert("a1", "r1", "ws-01")), "triage");
      Incident b =
          cases.open(
              "B", "low", List.of(alert("b1", "r2", "ws-02"), alert("b2", "r2", "ws-02")), "t");
      cases.tag(b.id(), Set.of("lateral"), Set.of(), "alice");
      cases.addEvidence(b.id(), 9L, null, "alice");
      Incident merged = cases.merge(b.id(), a.id(), "alice");
      assertThat(merged.tags()).containsExactly("lateral");
      assertThat(cases.alerts(a.id()))
          .extracting(CaseStore.LinkedAlert::alertId)
          .containsExactlyInAnyOrder("a1", "b1", "b2");
      assertThat(cases.evidence(a.id())).hasSize(1);
      Incident source = cases.get(b.id());
      assertThat(source.mergedInto()).isEqualTo(a.id());
      assertThat(source.status()).isEqualTo(Status.RESOLVED);
      assertThat(cases.timeline(b.id()))
          .last()
          .extracting(CaseStore.Entry::kind)
          .isEqualTo("merged");
      assertThatThrownBy(() -> cases.transition(b.id(), Status.INVESTIGATING, "alice"))
          .hasMessageContaining("was merged into");
      assertThatThrownBy(() -> cases.merge(a.id(), a.id(), "alice"))
          .extracting(e -> ((CaseException) e).kind())
          .isEqualTo(CaseException.Kind.INVALID);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void slaTimersFollowThePriorityAndBreachesAreListed(String db) throws Exception {
    TestClock clock = new TestClock();
    try (CaseStore cases = store(db, clock)) {
      Incident crit = cases.open("C", "critical", List.of(alert("c", "r", "h1")), "t");
      assertThat(crit.ackDueAt()).isEqualTo(crit.createdAt() + 15 * 60_000);
      Incident low = cases.open("L", "low", List.of(alert("l", "r", "h2")), "t");
      clock.advance(20 * 60_000);
      CaseStore.Filter breached = new CaseStore.Filter(Set.of(), null, null, null, true);
      assertThat(cases.list(breached, 10, null).incidents())
          .extracting(Incident::id)
          .containsExactly(crit.id());
      assertThat(cases.get(crit.id()).breached(cases.now())).isTrue();
      cases.transition(crit.id(), Status.ACKNOWLEDGED, "alice");
      assertThat(cases.list(breached, 10, null).incidents()).isEmpty();
      // raising the priority re-times from the incident's start: now overdue
      Incident raised = cases.prioritize(low.id(), "critical", "alice");
      assertThat(raised.ackDueAt()).isEqualTo(low.createdAt() + 15 * 60_000);
      assertThat(cases.list(breached, 10, null).incidents())
          .extracting(Incident::id)
          .containsExactly(low.id());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void outcomesCountTruePositivesAndFalsePositivesPerRule(String db) throws Exception {
    try (CaseStore cases = store(db, new TestClock())) {
      Incident tp = cases.open("1", "high", List.of(alert("x1", "good", "h1")), "t");
      cases.transition(tp.id(), Status.ACKNOWLEDGED, "a");
      cases.transition(tp.id(), Status.RESOLVED, "a");
      for (int k = 0; k < 3; k++) {
        Incident fp = cases.open("n" + k, "low", List.of(alert("n" + k, "noisy", "h" + k)), "t");
        cases.transition(fp.id(), Status.FALSE_POSITIVE, "a");
      }
      cases.open("open", "low", List.of(alert("n9", "noisy", "h9")), "t");
      assertThat(cases.ruleOutcomes())
          .containsExactly(
              new CaseStore.RuleOutcome("noisy", "Rule noisy", 4, 0, 3),
              new CaseStore.RuleOutcome("good", "Rule good", 1, 1, 0));
    }
  }
}
