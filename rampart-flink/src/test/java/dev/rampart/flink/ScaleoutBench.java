package dev.rampart.flink;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rampart.core.event.Event;
import dev.rampart.core.io.ProblemSink;
import dev.rampart.core.json.JsonEventReader;
import dev.rampart.core.json.ReadOptions;
import dev.rampart.ingest.spool.Spool;
import dev.rampart.kafka.KafkaEventSink;
import dev.rampart.kafka.testing.TestBroker;
import dev.rampart.simulate.Scenario;
import dev.rampart.simulate.Simulator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scale-out measurement until {@code rampart bench scaleout} exists: the detection job over
 * simulated events already on the events topic, at parallelism 1 and then 2, on this machine's
 * MiniCluster; prints events/s and the efficiency of the second core. A measurement, not a test: it
 * runs only when asked ({@code -Drampart.bench.scaleout=true}, optionally {@code
 * -Drampart.bench.events=N}) and asserts nothing about speed.
 *
 * <pre>
 * ./mvnw -q -pl rampart-flink -am install -DskipTests
 * ./mvnw -q -pl rampart-flink test -Dtest=ScaleoutBench -Drampart.bench.scaleout=true
 * </pre>
 */
class ScaleoutBench {
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @Test
  void eventsPerSecondAtParallelismOneAndTwo(@TempDir Path dir) throws Exception {
    boolean asked = Boolean.getBoolean("rampart.bench.scaleout");
    if (!asked) {
      System.err.println("ScaleoutBench: a measurement; run with -Drampart.bench.scaleout=true");
    }
    assumeTrue(asked, "a measurement, run on request");
    long events = Long.getLong("rampart.bench.events", 200_000);
    ByteArrayOutputStream ndjson = new ByteArrayOutputStream();
    Simulator.run(
        new Simulator.Options(
            List.copyOf(EnumSet.allOf(Scenario.class)),
            events,
            7,
            dev.rampart.core.event.Timestamps.fromInstant(Simulator.DEFAULT_START),
            86_400_000_000_000L,
            50,
            2),
        ndjson,
        t -> {},
        x -> {});
    Map<String, String> rules = new HashMap<>();
    rules.putAll(dev.rampart.flink.DetectionJob.ruleTexts(Path.of("..", "rules")));
    try (TestBroker kafka =
        TestBroker.start(
            Map.of(
                "rampart.events", 2,
                "rampart.events.dlq", 1,
                "rampart.rules", 1,
                "alerts-p1", 2,
                "alerts-p2", 2))) {
      try (Spool spool =
              Spool.open(dir.resolve("spool"), Spool.Options.defaults(), ProblemSink.IGNORE);
          JsonEventReader r =
              new JsonEventReader(
                  new ByteArrayInputStream(ndjson.toByteArray()),
                  "simulate",
                  ReadOptions.DEFAULTS,
                  ProblemSink.IGNORE);
          KafkaEventSink sink =
              new KafkaEventSink(
                  spool,
                  new KafkaEventSink.Options(
                      "rampart.events", "rampart.events.dlq", kafka.client()))) {
        Event e = new Event();
        while (r.next(e)) {
          spool.append(e);
        }
        spool.sync();
        sink.catchUp();
      }
      double[] rate = new double[3];
      for (int p = 1; p <= 2; p++) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DetectionJob.build(
            env,
            new DetectionJob.Options(
                kafka.bootstrap(),
                "rampart.events",
                "rampart.rules",
                "alerts-p" + p,
                "rampart.events.dlq",
                rules,
                Map.of(),
                true,
                p,
                DetectionJob.Options.DEFAULT_LATENESS,
                DetectionJob.Options.DEFAULT_IDLENESS,
                false,
                DetectionJob.Options.DEFAULT_LEVELS));
        long t0 = System.nanoTime();
        env.execute("scale-out p" + p);
        rate[p] = events / ((System.nanoTime() - t0) / 1e9);
      }
      System.out.printf(
          Locale.ROOT,
          "{\"events\":%d,\"events_per_s_p1\":%.0f,\"events_per_s_p2\":%.0f,\"efficiency_p2\":%.2f,"
              + "\"cores\":%d}%n",
          events,
          rate[1],
          rate[2],
          rate[2] / (2 * rate[1]),
          Runtime.getRuntime().availableProcessors());
    }
  }
}
