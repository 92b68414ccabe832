package dev.rampart.cases;

import static dev.rampart.cases.AlertQueueTest.alert;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.cases.entity.EntityKind;
import dev.rampart.cases.incident.Incident;
import dev.rampart.cases.incident.Status;
import dev.rampart.cases.queue.AlertQueue;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An entity page's questions: one host's, user's or address's alerts and incidents, in any case.
 */
class EntityTest extends DatabaseTest {
  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void alertsAndIncidentsAboutAHostOrAUser(String db) throws Exception {
    TestClock clock = new TestClock();
    try (CaseStore cases = store(db, clock)) {
      long t = 1_767_571_200_000L;
      // WS-1 as Windows writes it, ws-1 as syslog does: one host
      Incident first =
          cases.open("one", "high", List.of(alert("a1", "high", "WS-1", t, "acme")), "test");
      cases.queue().record(alert("a2", "low", "ws-1", t + 1000, "acme"), AlertQueue.SUPPRESSED);
      cases
          .queue()
          .record(alert("a3", "critical", "ws-1", t + 2000, "globex"), AlertQueue.EXCEPTED);
      cases.queue().record(alert("a4", "critical", "ws-2", t + 3000, "acme"), AlertQueue.EXCEPTED);
      cases.queue().acknowledge(List.of("a1"), Set.of(), "alice");
      clock.advance(60_000);
      Incident second =
          cases.open("two", "low", List.of(alert("a5", "medium", "ws-1", t + 4000, "acme")), "t");
      cases.transition(first.id(), Status.ACKNOWLEDGED, "alice");
      cases.transition(first.id(), Status.RESOLVED, "alice");

      AlertQueue.About host =
          cases.queue().about(EntityKind.HOST, "ws-1", Set.of(), 0, Long.MAX_VALUE, 2);
      assertThat(host.byLevel())
          .containsExactly(
              Map.entry("critical", 1L),
              Map.entry("high", 1L),
              Map.entry("medium", 1L),
              Map.entry("low", 1L));
      assertThat(host.total()).isEqualTo(4);
      assertThat(host.unacknowledged()).isEqualTo(3);
      assertThat(host.newest()).extracting(AlertQueue.Row::id).containsExactly("a5", "a3");
      // a tenant sees its own; a window starts and ends where it is asked to
      assertThat(
              cases
                  .queue()
                  .about(EntityKind.HOST, "Ws-1", Set.of("acme"), 0, Long.MAX_VALUE, 10)
                  .total())
          .isEqualTo(3);
      assertThat(
              cases
                  .queue()
                  .about(EntityKind.HOST, "ws-1", Set.of(), t + 1500, t + 3500, 10)
                  .total())
          .isEqualTo(1); // a3 alone of the four before and after
      assertThat(
              cases.queue().about(EntityKind.USER, "ROOT", Set.of(), 0, Long.MAX_VALUE, 10).total())
          .isEqualTo(5);
      assertThat(
              cases
                  .queue()
                  .about(EntityKind.USER, "nobody", Set.of(), 0, Long.MAX_VALUE, 10)
                  .newest())
          .isEmpty();

      // open incidents first, then the rest by last update
      assertThat(cases.incidentsAbout(EntityKind.HOST, "WS-1", Set.of(), 10))
          .extracting(Incident::id)
          .containsExactly(second.id(), first.id());
      assertThat(cases.incidentsAbout(EntityKind.HOST, "ws-1", Set.of("globex"), 10)).isEmpty();
      assertThat(cases.incidentsAbout(EntityKind.USER, "root", Set.of(), 1)).hasSize(1);
      // an address: its alerts, and the incidents those alerts went into
      assertThat(
              cases
                  .queue()
                  .about(EntityKind.IP, "10.0.0.9", Set.of(), 0, Long.MAX_VALUE, 10)
                  .total())
          .isEqualTo(5);
      assertThat(cases.incidentsAbout(EntityKind.IP, "10.0.0.9", Set.of(), 10))
          .extracting(Incident::id)
          .containsExactly(second.id(), first.id());
      assertThat(cases.incidentsAbout(EntityKind.IP, "10.0.0.10", Set.of(), 10)).isEmpty();
    }
  }
}
