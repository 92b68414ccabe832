package dev.rampart.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.alerting.alert.Alert;
import dev.rampart.alerting.alert.AlertLog;
import dev.rampart.alerting.detect.StreamingDetector;
import dev.rampart.core.event.Event;
import dev.rampart.core.io.ProblemSink;
import dev.rampart.core.json.JsonEventReader;
import dev.rampart.core.json.ReadOptions;
import dev.rampart.ingest.spool.Spool;
import dev.rampart.sigma.Sigma;
import dev.rampart.sigma.compile.SigmaEngine;
import dev.rampart.sigma.compile.SigmaMatcher;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Simulated attacks through the spool and the streaming detector with Rampart's own rule pack: the
 * alerts are exactly the (rule, event) matches of the engine run over the same events, carry rule,
 * level, ATT&CK techniques, matched values and entities, and a replay writes none twice.
 */
class StreamingDetectorTest {
  @TempDir Path dir;

  @Test
  void attacksBecomeAlertsOnceEvenWhenReplayed() throws Exception {
    ByteArrayOutputStream sim = new ByteArrayOutputStream();
    dev.rampart.simulate.Simulator.run(
        dev.rampart.simulate.Simulator.Options.of(
            List.copyOf(EnumSet.allOf(dev.rampart.simulate.Scenario.class)), 30_000, 4),
        sim,
        t -> {},
        x -> {});
    SigmaEngine engine = Sigma.compile(Sigma.load(Path.of("..", "rules")));
    List<Event> events = new ArrayList<>();
    try (JsonEventReader r =
        new JsonEventReader(
            new ByteArrayInputStream(sim.toByteArray()),
            "sim",
            ReadOptions.DEFAULTS,
            ProblemSink.IGNORE)) {
      Event e = new Event();
      while (r.next(e)) {
        events.add(e.copy());
      }
    }
    SigmaMatcher m = engine.newMatcher();
    long expected = 0;
    for (Event e : events) {
      expected += m.match(e);
    }
    assertThat(expected).as("the simulated attacks fire our rules").isPositive();

    Path alerts = dir.resolve("alerts/alerts.ndjson");
    try (Spool spool =
            Spool.open(dir.resolve("spool"), Spool.Options.defaults(), ProblemSink.IGNORE);
        AlertLog log = AlertLog.open(alerts)) {
      StreamingDetector d = new StreamingDetector(spool, engine, log, a -> {});
      // events arrive in three bursts, as a live spool fills
      int third = events.size() / 3;
      for (int part = 0; part < 3; part++) {
        for (Event e :
            events.subList(part * third, part == 2 ? events.size() : (part + 1) * third)) {
          spool.append(e);
        }
        spool.sync();
        d.catchUp();
      }
      assertThat(log.count()).isEqualTo(expected);
      d.commitIfDue(true);
      assertThat(spool.committed(StreamingDetector.CONSUMER)).isEqualTo(spool.durable());
      // a crash before the offset commit: the whole spool is examined again, nothing is added
      spool.commit(StreamingDetector.CONSUMER, spool.start());
      StreamingDetector again = new StreamingDetector(spool, engine, log, a -> {});
      again.catchUp();
      assertThat(again.events()).isEqualTo(events.size());
      assertThat(again.alerts()).isZero();
      assertThat(log.count()).isEqualTo(expected);
    }
    List<Alert> read = AlertLog.read(alerts);
    assertThat(read).hasSize((int) expected);
    assertThat(read)
        .allSatisfy(
            a -> {
              assertThat(a.ruleId()).isNotBlank();
              assertThat(a.level()).isIn("informational", "low", "medium", "high", "critical");
              assertThat(a.eventIds()).hasSize(1);
              // a host for host logs; network sensors (Zeek) name the source address instead
              assertThat(a.entities().host() != null || a.entities().sourceIp() != null).isTrue();
              assertThat(a.detectedAt()).isGreaterThan(a.eventTime());
            });
    assertThat(read).anySatisfy(a -> assertThat(a.techniques()).isNotEmpty());
    assertThat(read).anySatisfy(a -> assertThat(a.matched()).isNotEmpty());
    assertThat(read.stream().map(Alert::id).distinct().count()).isEqualTo(expected);
    // a torn last line (a crash mid-write) is cut off when the log opens again
    Files.writeString(alerts, "{\"id\":\"torn", java.nio.file.StandardOpenOption.APPEND);
    try (AlertLog log = AlertLog.open(alerts)) {
      assertThat(log.count()).isEqualTo(expected);
    }
    // a damaged line inside the file is skipped, not cut: the alerts after it stay
    List<String> lines = new ArrayList<>(Files.readAllLines(alerts));
    lines.add(1, "{\"id\": damaged");
    Files.write(alerts, lines);
    try (AlertLog log = AlertLog.open(alerts)) {
      assertThat(log.count()).isEqualTo(expected);
    }
    assertThat(AlertLog.read(alerts)).hasSize((int) expected);
  }
}
