package dev.rampart.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.alerting.alert.Alert;
import dev.rampart.alerting.alert.AlertLog;
import dev.rampart.alerting.correlate.StreamingCorrelations;
import dev.rampart.alerting.detect.StreamingDetector;
import dev.rampart.core.event.Event;
import dev.rampart.core.event.EventSource;
import dev.rampart.core.event.Timestamps;
import dev.rampart.core.io.ProblemSink;
import dev.rampart.ingest.spool.Spool;
import dev.rampart.sigma.Sigma;
import dev.rampart.sigma.compile.SigmaEngine;
import dev.rampart.sigma.load.RuleSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Correlation in the running detector: a window that spans a restart is not lost (the checkpoint
 * written before each offset commit brings it back), events before the checkpoint are not fed
 * twice, rules that only feed a correlation raise no alerts of their own, and tenants never share a
 * window.
 */
class StreamingCorrelationTest {
  @TempDir Path dir;

  static Event failed(String user, String host, String input, int second) {
    Event e = new Event();
    e.timestamp(Timestamps.fromInstant(Instant.parse("2026-02-01T08:00:00Z").plusSeconds(second)));
    e.source(new EventSource(input, host, "windows/security"));
    e.addLong("EventID", 4625);
    e.addString("Channel", "Security");
    e.addString("Computer", host);
    e.addString("TargetUserName", user);
    return e;
  }

  RuleSet rules() throws Exception {
    Path r = Files.createDirectories(dir.resolve("rules"));
    Files.writeString(
        r.resolve("base.yml"),
        """
        title: failed logon
        id: 7a0f8c1e-2b7d-4c3a-9e61-0d2f4b8a7c01
        name: failed_logon
        logsource: {product: windows, service: security}
        detection: {selection: {EventID: 4625}, condition: selection}
        level: low
        """);
    Files.writeString(
        r.resolve("corr.yml"),
        """
        title: one account failing on many hosts
        id: 7a0f8c1e-2b7d-4c3a-9e61-0d2f4b8a7c02
        correlation:
          type: value_count
          rules: [failed_logon]
          group-by: [TargetUserName]
          timespan: 10m
          condition: {field: Computer, gte: 4}
        level: high
        tags: [attack.credential-access, attack.t1110.003]
        """);
    return Sigma.load(r);
  }

  @Test
  void aWindowSurvivesARestartAndTenantsNeverShareOne() throws Exception {
    RuleSet set = rules();
    SigmaEngine engine = Sigma.compile(set);
    Path state = dir.resolve("alerts/correlation-state.json");
    List<Alert> seen = new ArrayList<>();
    try (Spool spool =
            Spool.open(dir.resolve("spool"), Spool.Options.defaults(), ProblemSink.IGNORE);
        AlertLog log = AlertLog.open(dir.resolve("alerts/alerts.ndjson"))) {
      StreamingDetector d =
          new StreamingDetector(spool, engine, log, seen::addAll, s -> s.input())
              .correlating(
                  new StreamingCorrelations(
                      set.correlations(), set.rules(), state, 60_000_000_000L, s -> s.input()));
      // three hosts for svc_backup in tenant acme, and one in tenant globex (same user name)
      for (int k = 0; k < 3; k++) {
        spool.append(failed("svc_backup", "ws0" + k, "acme", k * 30));
      }
      spool.append(failed("svc_backup", "ws09", "globex", 100));
      spool.sync();
      d.catchUp();
      d.commitIfDue(true);
      assertThat(seen).isEmpty(); // the base rule feeds the correlation only
      assertThat(state).exists();

      // a restart: a new detector and correlations, from the committed offset and the checkpoint
      StreamingDetector again =
          new StreamingDetector(spool, engine, log, seen::addAll, s -> s.input())
              .correlating(
                  new StreamingCorrelations(
                      set.correlations(), set.rules(), state, 60_000_000_000L, s -> s.input()));
      spool.append(failed("svc_backup", "ws03", "acme", 200));
      spool.append(failed("svc_backup", "ws04", "acme", 400)); // after lateness, the 4th is judged
      spool.sync();
      again.catchUp();
      // also a replay from the start after the crash: events before the checkpoint are not fed
      // again
      spool.commit(StreamingDetector.CONSUMER, spool.start());
      StreamingDetector replay =
          new StreamingDetector(spool, engine, log, seen::addAll, s -> s.input())
              .correlating(
                  new StreamingCorrelations(
                      set.correlations(), set.rules(), state, 60_000_000_000L, s -> s.input()));
      replay.catchUp();
    }
    assertThat(seen).hasSize(1);
    Alert a = seen.get(0);
    assertThat(a.ruleId()).isEqualTo("7a0f8c1e-2b7d-4c3a-9e61-0d2f4b8a7c02");
    assertThat(a.level()).isEqualTo("high");
    assertThat(a.tenant()).isEqualTo("acme");
    assertThat(a.entities().user()).isEqualTo("svc_backup");
    assertThat(a.techniques()).containsExactly("T1110.003");
    assertThat(a.eventIds()).hasSize(4);
  }

  @Test
  void aDamagedCheckpointIsSetAsideAndCorrelationStartsEmpty() throws Exception {
    RuleSet set = rules();
    Path state = Files.createDirectories(dir.resolve("alerts")).resolve("correlation-state.json");
    Files.writeString(state, "{\"offset\": 12, \"pending\": [tor");
    StreamingCorrelations c =
        new StreamingCorrelations(
            set.correlations(), set.rules(), state, 60_000_000_000L, s -> s.input());
    assertThat(c.correlator().snapshot().groups()).isEmpty();
    assertThat(state).doesNotExist();
    assertThat(dir.resolve("alerts/correlation-state.json.damaged")).exists();
  }
}
