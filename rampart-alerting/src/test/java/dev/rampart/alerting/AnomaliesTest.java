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

/**
 * The anomaly detectors (first seen, rarity in the fleet, volume spikes, brute force): learning,
 * the baseline in the alert, bounded state, the checkpoint.
 */
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
    Anomalies a =
        new Anomalies(
            new Anomalies.Config(List.of(f), List.of(), List.of(), List.of()), s -> "default");
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

  static Event signIn(String user, String country, String outcome, long t) {
    Event e = new Event();
    e.timestamp(t);
    e.source(new EventSource("in", "", "azure/signinlogs"));
    e.addString("user.name", user);
    e.addString("source.ip", "198.51.100.10");
    e.addString("source.geo.country_iso_code", country);
    e.addString("event.outcome", outcome);
    return e;
  }

  @Test
  void aUsersFirstCloudSignInFromANewCountryIsAnAnomalyByDefault() {
    Anomalies a = new Anomalies(Anomalies.Config.DEFAULTS, s -> "default");
    List<Alert> out = new ArrayList<>();
    long hour = 60 * MIN;
    a.observe(signIn("alice@corp.example", "NL", "success", 0), 1, out);
    a.observe(signIn("alice@corp.example", "NL", "success", 2 * hour), 2, out);
    a.observe(signIn("alice@corp.example", "NL", "success", 25 * hour), 3, out); // known
    a.observe(signIn("alice@corp.example", "RO", "failure", 25 * hour + MIN), 4, out); // failed
    assertThat(out).isEmpty();
    a.observe(signIn("alice@corp.example", "RO", "success", 25 * hour + 2 * MIN), 5, out);
    assertThat(out)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.ruleId()).isEqualTo("anomaly:new-signin-country");
              assertThat(x.level()).isEqualTo("medium");
              assertThat(x.title()).contains("RO", "alice@corp.example");
              assertThat(x.matched().get("baseline").get(0))
                  .isEqualTo("1 value(s) seen before: nl"); // values compare folded
            });
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
    Anomalies a =
        new Anomalies(
            new Anomalies.Config(List.of(), List.of(s), List.of(), List.of()), x -> "default");
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

  static Event auth(String outcome, String user, String ip, long t) {
    Event e = new Event();
    e.timestamp(t);
    e.source(new EventSource("in", "bastion", "linux/auth"));
    e.addString("host.name", "bastion-01");
    e.addString("user.name", user);
    e.addString("source.ip", ip);
    e.addString("event.outcome", outcome);
    return e;
  }

  static Anomalies bruteForce() {
    return new Anomalies(
        new Anomalies.Config(List.of(), List.of(), Anomalies.BRUTE_FORCE, List.of()),
        s -> "default");
  }

  @Test
  void tenFailuresInTheWindowAreGuessingOnceThenASuccessIsAGuessedPassword() {
    Anomalies a = bruteForce();
    List<Alert> out = new ArrayList<>();
    long sec = 1_000_000_000L;
    // nine failures: below the threshold; a success now is nothing
    for (int i = 0; i < 9; i++) {
      a.observe(auth("failure", "root", "203.0.113.9", i * 30 * sec), i, out);
    }
    a.observe(auth("success", "root", "198.51.100.1", 280 * sec), 9, out);
    assertThat(out).isEmpty();
    // the tenth within 10 minutes fires; more failures in the same window do not fire again
    for (int i = 9; i < 20; i++) {
      a.observe(auth("failure", "root", "203.0.113.9", i * 30 * sec), i + 1, out);
    }
    assertThat(out).hasSize(1);
    Alert x = out.get(0);
    assertThat(x.ruleId()).isEqualTo("anomaly:brute-force");
    assertThat(x.title()).isEqualTo("Password guessing from 203.0.113.9");
    assertThat(x.matched().get("baseline").get(0))
        .isEqualTo(
            "10 failed logons from 203.0.113.9 in 4m30s against 1 account(s): root;"
                + " threshold 10 within 10m");
    assertThat(x.entities().user()).isEqualTo("root");
    // a success from the guessing address while the failures go on: high, once
    a.observe(auth("success", "elif", "203.0.113.9", 620 * sec), 30, out);
    a.observe(auth("success", "elif", "203.0.113.9", 621 * sec), 31, out);
    assertThat(out).hasSize(2);
    assertThat(out.get(1).ruleId()).isEqualTo("anomaly:brute-force-success");
    assertThat(out.get(1).level()).isEqualTo("high");
    assertThat(out.get(1).title())
        .isEqualTo("Successful logon after 20 failures from 203.0.113.9 (elif)");
    assertThat(out.get(1).matched().get("baseline").get(0))
        .endsWith("; then a successful logon as elif");
  }

  @Test
  void failuresSpreadWiderThanTheWindowAreNotBruteForceAndManyAccountsAreASpray() {
    Anomalies a = bruteForce();
    List<Alert> out = new ArrayList<>();
    long min = MIN;
    // one failure every two minutes for an hour: never ten within ten minutes
    for (int i = 0; i < 30; i++) {
      a.observe(auth("failure", "bob", "10.0.0.5", i * 2 * min), i, out);
    }
    assertThat(out).isEmpty();
    // a spray: one try per account, twelve accounts in two minutes
    for (int i = 0; i < 12; i++) {
      a.observe(
          auth("failure", "user" + i, "10.9.9.9", 100 * min + i * 10_000_000_000L), 100 + i, out);
    }
    assertThat(out).hasSize(1);
    assertThat(out.get(0).ruleId()).isEqualTo("anomaly:brute-force-spray");
    assertThat(out.get(0).title()).isEqualTo("Password spray from 10.9.9.9 (10 accounts)");
    assertThat(out.get(0).entities().user()).isNull();
  }

  static Event run(String host, String exe, long t) {
    Event e = new Event();
    e.timestamp(t);
    e.addString("host.name", host);
    e.addString("process.executable", exe);
    return e;
  }

  @Test
  void aProgramTheFleetHardlyRunsIsRareAndACommonOneNeverIs() {
    Anomalies.Rare r =
        new Anomalies.Rare(
            "rare-program-in-fleet",
            "A program the fleet has hardly ever run",
            List.of("host.name"),
            List.of("process.executable"),
            null,
            2,
            10,
            Duration.ofHours(1),
            1000,
            "low");
    Anomalies a =
        new Anomalies(
            new Anomalies.Config(List.of(), List.of(), List.of(), List.of(r)), s -> "default");
    List<Alert> out = new ArrayList<>();
    long id = 0;
    for (int h = 0; h < 20; h++) {
      a.observe(run("ws-" + h, "C:\\Windows\\explorer.exe", h * MIN), id++, out);
    }
    a.observe(run("ws-3", "C:\\Tools\\admin.exe", 30 * MIN), id++, out); // learnt
    assertThat(out).isEmpty();
    // after learning: explorer on a new host is common; a new program on two hosts is rare twice
    a.observe(run("ws-99", "C:\\Windows\\explorer.exe", 2 * 60 * MIN), id++, out);
    a.observe(run("ws-4", "C:\\Users\\Public\\p.exe", 2 * 60 * MIN), id++, out);
    a.observe(run("WS-4", "c:\\users\\public\\P.EXE", 2 * 60 * MIN), id++, out); // same
    a.observe(run("ws-5", "C:\\Users\\Public\\p.exe", 2 * 60 * MIN), id++, out);
    a.observe(run("ws-6", "C:\\Users\\Public\\p.exe", 2 * 60 * MIN), id++, out); // third
    a.observe(run("ws-7", "C:\\Users\\Public\\p.exe", 2 * 60 * MIN), id++, out);
    assertThat(out).hasSize(2);
    assertThat(out.get(0).title())
        .isEqualTo("A program the fleet has hardly ever run: C:\\Users\\Public\\p.exe on ws-4");
    assertThat(out.get(0).matched().get("baseline").get(0))
        .startsWith(
            "seen on 1 of 21 hosts since 1970-01-01T00:00:00Z (ws-4); rare means at most 2");
    assertThat(out.get(1).matched().get("baseline").get(0)).startsWith("seen on 2 of 21 hosts");
    // admin.exe, learnt on one host, is still rare on a second
    a.observe(run("ws-8", "C:\\Tools\\admin.exe", 3 * 60 * MIN), id++, out);
    assertThat(out).hasSize(3);
  }

  @Test
  void learntStateSurvivesARestartThroughTheCheckpoint(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = dir.resolve("anomaly-state.json");
    Anomalies a = new Anomalies(Anomalies.Config.DEFAULTS, s -> "default");
    List<Alert> out = new ArrayList<>();
    long sec = 1_000_000_000L;
    a.observe(logon("alice", "10.0.0.1", 0), 0, out);
    for (int i = 0; i < 9; i++) {
      a.observe(auth("failure", "root", "203.0.113.9", 25 * 3600 * sec + i * sec), 1 + i, out);
    }
    a.checkpoint(file, 10, false); // not due: saved at most every 30 s
    assertThat(file).doesNotExist();
    a.checkpoint(file, 10, true);
    assertThat(file).exists();
    Anomalies b = new Anomalies(Anomalies.Config.DEFAULTS, s -> "default");
    assertThat(b.restore(file)).isEqualTo(10);
    // replayed events before the checkpoint's offset are passed over, not learnt twice
    b.observe(auth("failure", "root", "203.0.113.9", 25 * 3600 * sec + 9 * sec), 9, out);
    assertThat(out).isEmpty();
    // the tenth failure after the restart completes the burst begun before it
    b.observe(auth("failure", "root", "203.0.113.9", 25 * 3600 * sec + 10 * sec), 10, out);
    // alice's known address is still known after learning; a new one is an anomaly
    b.observe(logon("alice", "10.0.0.1", 26 * 3600 * sec), 11, out);
    b.observe(logon("alice", "10.0.0.2", 26 * 3600 * sec), 12, out);
    assertThat(out)
        .extracting(Alert::ruleId)
        .containsExactly("anomaly:brute-force", "anomaly:new-logon-source");
    assertThat(out.get(0).matched().get("baseline").get(0)).startsWith("10 failed logons");
    // a damaged file is set aside and learning starts again
    java.nio.file.Files.writeString(file, "{not json");
    Anomalies c = new Anomalies(Anomalies.Config.DEFAULTS, s -> "default");
    assertThat(c.restore(file)).isEqualTo(-1);
    assertThat(dir.resolve("anomaly-state.json.damaged")).exists();
    assertThat(file).doesNotExist();
  }
}
