package dev.rampart.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.alerting.alert.Alert;
import dev.rampart.alerting.anomaly.Anomalies;
import dev.rampart.core.event.Event;
import dev.rampart.core.event.EventSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** First-seen and volume-spike anomalies: learning, the baseline in the alert, bounded state. */
class AnomaliesTest {
  static final long MIN = 60_000_000_000L;

  static Event logon(String user, String ip, long t) {
    Event e = new Event();
    e.timestamp(t);
    e.source(new EventSource("in", "dc-01", "windows/security"));
    e.addString("EventID", "4624");
    e.addString("TargetUserName", user);
    e.addString("IpAddress", ip);
    return e;
  }

  @Test
  void aNewSourceForAKnownUserAfterLearningIsAnAlertWithItsBaseline() {
    Anomalies.FirstSeen f =
        new Anomalies.FirstSeen(
            "new-logon-source",
            "First logon from this address for the user",
            List.of("user.name", "TargetUserName"),
            List.of("source.ip", "IpAddress"),
            new String[] {"EventID", "4624"},
            Duration.ofHours(1),
            2,
            64,
            "low");
    Anomalies a = new Anomalies(List.of(f), List.of(), s -> "default");
    List<Alert> out = new ArrayList<>();
    a.observe(logon("alice", "10.0.0.1", 0), 1, out);
    a.observe(logon("alice", "10.0.0.2", 10 * MIN), 2, out); // still learning
    assertThat(out).isEmpty();
    a.observe(logon("alice", "10.0.0.1", 90 * MIN), 3, out); // known
    a.observe(logon("Alice", "10.0.0.9", 91 * MIN), 4, out); // new, after learning
    assertThat(out).hasSize(1);
    Alert x = out.get(0);
    assertThat(x.ruleId()).isEqualTo("anomaly:new-logon-source");
    assertThat(x.title()).contains("10.0.0.9", "Alice");
    assertThat(x.matched().get("baseline").get(0))
        .isEqualTo("2 value(s) seen before: 10.0.0.1, 10.0.0.2");
    assertThat(x.entities().user()).isEqualTo("Alice");
    assertThat(x.entities().host()).isNull();
    // not a 4624: ignored; a third user evicts the least recently active (bounded at 2)
    Event other = new Event();
    other.timestamp(92 * MIN);
    other.addString("EventID", "4625");
    other.addString("TargetUserName", "alice");
    other.addString("IpAddress", "10.0.0.77");
    a.observe(other, 7, out);
    a.observe(logon("bob", "10.0.0.5", 93 * MIN), 5, out);
    a.observe(logon("carol", "10.0.0.6", 94 * MIN), 6, out);
    assertThat(a.evicted()).isEqualTo(1);
    assertThat(out).hasSize(1); // new users are learnt, not alerted
  }

  @Test
  void aMinuteFarAboveTheUsualRateIsASpikeOnce() {
    Anomalies.Spike s =
        new Anomalies.Spike(
            "event-volume-spike",
            "Event volume far above the host's usual rate",
            List.of("host.name"),
            6.0,
            100,
            0.1,
            30,
            1000,
            "low");
    Anomalies a = new Anomalies(List.of(), List.of(s), x -> "default");
    List<Alert> out = new ArrayList<>();
    long id = 0;
    for (int m = 0; m < 40; m++) {
      for (int k = 0; k < 10 + (m % 3); k++) {
        Event e = new Event();
        e.timestamp(m * MIN + k);
        e.addString("host.name", "ws-07");
        a.observe(e, id++, out);
      }
    }
    assertThat(out).isEmpty();
    for (int k = 0; k < 300; k++) {
      Event e = new Event();
      e.timestamp(40 * MIN + k);
      e.addString("host.name", "ws-07");
      a.observe(e, id++, out);
    }
    assertThat(out).hasSize(1);
    assertThat(out.get(0).matched().get("baseline").get(0))
        .startsWith("100 events this minute; usual 1")
        .contains("over 40 minutes");
  }
}
