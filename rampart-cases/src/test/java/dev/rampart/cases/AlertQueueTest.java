package dev.rampart.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rampart.alerting.alert.Alert;
import dev.rampart.cases.incident.CaseException;
import dev.rampart.cases.incident.Incident;
import dev.rampart.cases.queue.AlertQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The alert queue on SQLite and PostgreSQL: paging, filters, tenants, bulk actions, counts. */
class AlertQueueTest extends DatabaseTest {
  static Alert alert(String id, String level, String host, long detectedMillis, String tenant) {
    return new Alert(
        id,
        "rule-" + level,
        "Rule " + level,
        level,
        List.of(),
        List.of("T1110"),
        List.of(3L, 4L),
        detectedMillis * 1_000_000 - 1_000_000_000L,
        detectedMillis * 1_000_000,
        Map.of(),
        new Alert.Entities(host, "root", "10.0.0.9", null),
        tenant);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void theAlertsCitingAnEventAreFoundByItsIdAmongItsHostsAlerts(String db) throws Exception {
    try (CaseStore cases = store(db, new TestClock())) {
      long t = 1_767_571_200_000L;
      // a1 and a3 cite event 3 (a1 with 4, a3 alone); a2 cites 33, which only looks alike
      cases.queue().record(alert("a1", "high", "WS-07", t, "acme"), AlertQueue.SUPPRESSED);
      Alert a2 = alert("a2", "low", "ws-07", t + 1, "acme");
      cases.queue().record(withEvents(a2, List.of(33L, 43L)), AlertQueue.SUPPRESSED);
      Alert a3 = alert("a3", "critical", "ws-07", t + 2, "globex");
      cases.open("lsass", "critical", List.of(withEvents(a3, List.of(3L))), "test");
      cases.queue().record(alert("a4", "high", "ws-08", t + 3, "acme"), AlertQueue.SUPPRESSED);
      AlertQueue q = cases.queue();
      long eventTime = t - 1000;
      assertThat(q.citing(3, Set.of("ws-07"), eventTime, Set.of(), 50))
          .extracting(AlertQueue.Row::id)
          .containsExactly("a3", "a1");
      assertThat(q.citing(3, Set.of("ws-07"), eventTime, Set.of(), 50).get(0).incidentId())
          .isNotNull();
      // tenants scope it; without a host every host's alerts are looked at
      assertThat(q.citing(3, Set.of("ws-07"), eventTime, Set.of("acme"), 50))
          .extracting(AlertQueue.Row::id)
          .containsExactly("a1");
      assertThat(q.citing(3, Set.of(), eventTime, Set.of(), 50))
          .extracting(AlertQueue.Row::id)
          .containsExactly("a4", "a3", "a1");
      assertThat(q.citing(43, Set.of("WS-07", "ws-07.corp"), eventTime, Set.of(), 50))
          .extracting(AlertQueue.Row::id)
          .containsExactly("a2");
      // detected more than an hour before the event: not about it
      assertThat(q.citing(3, Set.of("ws-07"), t + 7_200_000L, Set.of(), 50)).isEmpty();
    }
  }

  static Alert withEvents(Alert a, List<Long> ids) {
    return new Alert(
        a.id(),
        a.ruleId(),
        a.title(),
        a.level(),
        a.tags(),
        a.techniques(),
        ids,
        a.eventTime(),
        a.detectedAt(),
        a.matched(),
        a.entities(),
        a.tenant());
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void pagesFiltersAndScopesByTenant(String db) throws Exception {
    try (CaseStore cases = store(db, new TestClock())) {
      List<String> levels = AlertQueue.LEVELS;
      for (int i = 0; i < 25; i++) {
        Alert a =
            alert(
                "a" + (100 + i),
                levels.get(i % 5),
                "ws-" + (i % 3),
                3_600_000L * (i / 5) + i,
                i % 2 == 0 ? "acme" : "globex");
        if (i % 4 == 0) {
          cases.queue().record(a, AlertQueue.SUPPRESSED);
        } else {
          cases.open("t " + i, "high", List.of(a), "test");
        }
      }
      AlertQueue q = cases.queue();
      // newest first, keyset pages that add up to everything exactly once
      List<String> seen = new ArrayList<>();
      String before = null;
      do {
        AlertQueue.Page page = q.list(AlertQueue.Filter.any(), 7, before);
        page.alerts().forEach(r -> seen.add(r.id()));
        before = page.next();
      } while (before != null);
      assertThat(seen).hasSize(25).doesNotHaveDuplicates();
      assertThat(seen.get(0)).isEqualTo("a124");
      assertThat(seen.get(24)).isEqualTo("a100");

      AlertQueue.Row r = q.get("a101", Set.of());
      assertThat(r.incidentId()).isNotNull();
      assertThat(r.outcome()).isEqualTo(AlertQueue.FILED);
      assertThat(r.eventIds()).containsExactly(3L, 4L);
      assertThat(q.get("a100", Set.of()).outcome()).isEqualTo(AlertQueue.SUPPRESSED);

      // least level, host, tenant
      assertThat(
              q.list(new AlertQueue.Filter(Set.of(), "high", null, null, null), 100, null).alerts())
          .hasSize(10)
          .allMatch(x -> x.level().equals("high") || x.level().equals("critical"));
      assertThat(
              q.list(new AlertQueue.Filter(Set.of(), null, "WS-1", null, null), 100, null).alerts())
          .hasSize(8);
      assertThat(
              q.list(new AlertQueue.Filter(Set.of(), null, null, null, null, "ROOT"), 100, null)
                  .alerts())
          .hasSize(25);
      assertThat(
              q.list(new AlertQueue.Filter(Set.of(), null, null, null, null, "nobody"), 100, null)
                  .alerts())
          .isEmpty();
      // by source address
      assertThat(
              q.list(
                      new AlertQueue.Filter(Set.of(), null, null, null, null, null, "10.0.0.9"),
                      100,
                      null)
                  .alerts())
          .hasSize(25);
      assertThat(
              q.list(
                      new AlertQueue.Filter(Set.of(), null, "ws-1", null, null, null, "10.0.0.1"),
                      100,
                      null)
                  .alerts())
          .isEmpty();
      assertThat(
              q.list(new AlertQueue.Filter(Set.of("acme"), null, null, null, null), 100, null)
                  .alerts())
          .hasSize(13)
          .allMatch(x -> x.tenant().equals("acme"));
      assertThatThrownBy(() -> q.get("a101", Set.of("acme")))
          .isInstanceOf(CaseException.class)
          .hasMessage("no alert a101");

      // bulk: another tenant's alerts are not touched; a second acknowledge changes nothing
      assertThat(q.acknowledge(List.of("a100", "a101", "a102"), Set.of("acme"), "ann"))
          .isEqualTo(2);
      assertThat(q.acknowledge(List.of("a100", "a101", "a102"), Set.of(), "root")).isEqualTo(1);
      assertThat(q.acknowledge(List.of("a100", "a101", "a102"), Set.of(), "root")).isZero();
      AlertQueue.Row acked = q.get("a102", Set.of());
      assertThat(acked.state()).isEqualTo(AlertQueue.ACKNOWLEDGED);
      assertThat(acked.acknowledgedBy()).isEqualTo("ann");
      assertThat(q.assign(List.of("a103", "a104"), "bob", Set.of(), "ann")).isEqualTo(2);
      assertThat(q.get("a104", Set.of()).assignee()).isEqualTo("bob");
      assertThat(
              q.list(new AlertQueue.Filter(Set.of(), null, null, null, "acknowledged"), 100, null)
                  .alerts())
          .extracting(AlertQueue.Row::id)
          .containsExactlyInAnyOrder("a100", "a101", "a102");
      assertThatThrownBy(() -> q.acknowledge(List.of(), Set.of(), "ann"))
          .hasMessage("no alerts chosen");
      assertThat(cases.db().audit(10))
          .anyMatch(e -> e.action().equals("alert.acknowledge") && e.actor().equals("ann"));

      // what arrived after a page was drawn
      String cursor = AlertQueue.cursor(q.get("a122", Set.of()));
      assertThat(q.newer(AlertQueue.Filter.any(), 100, cursor))
          .extracting(AlertQueue.Row::id)
          .containsExactly("a124", "a123");

      // dashboard counts: five alerts an hour, one of each level
      AlertQueue.Summary s = q.summary(0, 24, Set.of());
      assertThat(s.total()).isEqualTo(25);
      assertThat(s.perHour()[0]).isEqualTo(5);
      assertThat(s.perHour()[4]).isEqualTo(5);
      assertThat(s.perHourByLevel()[2][4]).isEqualTo(1);
      assertThat(s.levels()).containsEntry("critical", 5L);
      assertThat(s.hosts()).containsKeys("ws-0", "ws-1", "ws-2");
      assertThat(q.summary(0, 24, Set.of("globex")).total()).isEqualTo(12);

      // alerts per ATT&CK technique (the coverage page): since a time, of some tenants; an
      // alert naming two techniques counts for both
      assertThat(q.techniques(0, Set.of())).containsExactly(java.util.Map.entry("T1110", 25L));
      assertThat(q.techniques(3_600_000L * 4, Set.of("acme"))).containsEntry("T1110", 3L);
      Alert two =
          new Alert(
              "b1",
              "rule-x",
              "Rule x",
              "high",
              List.of(),
              List.of("T1003.001", "t1110"),
              List.of(),
              0,
              3_600_000L * 5 * 1_000_000,
              Map.of(),
              new Alert.Entities("ws-9", null, null, null),
              "acme");
      q.record(two, AlertQueue.SUPPRESSED);
      assertThat(q.techniques(3_600_000L * 5, Set.of()))
          .containsExactly(java.util.Map.entry("T1003.001", 1L), java.util.Map.entry("T1110", 1L));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void incidentsKeepTheirTenantAndNeverMergeAcrossTenants(String db) throws Exception {
    try (CaseStore cases = store(db, new TestClock())) {
      Incident a = cases.open("a", "high", List.of(alert("x1", "high", "ws-1", 1, "acme")), "t");
      Incident b = cases.open("b", "high", List.of(alert("x2", "high", "ws-1", 2, "acme")), "t");
      Incident c = cases.open("c", "high", List.of(alert("x3", "high", "ws-1", 3, "globex")), "t");
      assertThat(a.tenant()).isEqualTo("acme");
      assertThat(cases.findOpen("globex", "ws-1", null, 0).id()).isEqualTo(c.id());
      assertThat(cases.findOpen("acme", "ws-1", null, 0).id()).isIn(a.id(), b.id());
      assertThatThrownBy(() -> cases.merge(a.id(), c.id(), "t"))
          .hasMessageContaining("different tenants");
      cases.merge(a.id(), b.id(), "t");
      assertThat(cases.queue().get("x1", Set.of()).incidentId()).isEqualTo(b.id());
      assertThat(
              cases
                  .list(CaseStore.Filter.any().withTenants(Set.of("globex")), 10, null)
                  .incidents())
          .extracting(Incident::id)
          .containsExactly(c.id());
    }
  }
}
