package dev.rampart.cases;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.alerting.alert.Alert;
import dev.rampart.cases.group.Grouper;
import dev.rampart.cases.incident.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Alerts about one host within the window make one incident; a replay adds nothing. */
class GrouperTest {
  @TempDir Path dir;

  static Alert alert(String id, String host, String level) {
    return new Alert(
        id,
        "rule-" + id,
        "Rule " + id,
        level,
        List.of(),
        List.of(),
        List.of(1L),
        0,
        0,
        Map.of(),
        new Alert.Entities(host, "bob", null, null));
  }

  @Test
  void alertsAboutOneHostShareAnIncidentWithinTheWindow() throws Exception {
    CaseStoreTest.TestClock clock = new CaseStoreTest.TestClock();
    try (CaseStore cases =
        CaseStore.open("jdbc:sqlite:" + dir.resolve("cases.db"), null, null, clock)) {
      Grouper g = new Grouper(cases, new Grouper.Options(Duration.ofHours(1)));
      assertThat(g.accept(List.of(alert("a", "ws-01", "medium"), alert("b", "ws-02", "high"))))
          .isEqualTo(2);
      clock.advance(30 * 60_000);
      assertThat(g.accept(List.of(alert("c", "ws-01", "critical")))).isZero(); // joins ws-01's
      assertThat(g.accept(List.of(alert("a", "ws-01", "medium")))).isZero(); // a replay
      clock.advance(2 * 3_600_000);
      assertThat(g.accept(List.of(alert("d", "ws-01", "low")))).isEqualTo(1); // window passed
      var all = cases.list(CaseStore.Filter.any(), 100, null).incidents();
      assertThat(all).hasSize(3);
      var first =
          all.stream().filter(i -> i.title().equals("Rule a on ws-01")).findFirst().orElseThrow();
      assertThat(cases.timeline(first.id()))
          .extracting(CaseStore.Entry::kind)
          .containsExactly("opened", "alerts");
      assertThat(all).anySatisfy(i -> assertThat(i.priority()).isEqualTo("high"));
      // a closed incident collects nothing more
      cases.transition(first.id(), Status.FALSE_POSITIVE, "alice");
    }
  }
}
