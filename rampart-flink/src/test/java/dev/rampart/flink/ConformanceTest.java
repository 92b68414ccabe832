package dev.rampart.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.alerting.alert.Alert;
import dev.rampart.alerting.correlate.StreamingCorrelations;
import dev.rampart.core.event.Event;
import dev.rampart.core.io.ProblemSink;
import dev.rampart.core.json.JsonEventReader;
import dev.rampart.core.json.ReadOptions;
import dev.rampart.ingest.spool.Spool;
import dev.rampart.kafka.KafkaEventSink;
import dev.rampart.sigma.Sigma;
import dev.rampart.sigma.compile.SigmaEngine;
import dev.rampart.sigma.compile.SigmaMatcher;
import dev.rampart.sigma.correlate.Correlator;
import dev.rampart.sigma.load.RuleSet;
import dev.rampart.simulate.Scenario;
import dev.rampart.simulate.Simulator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same rules over the same events give the same alerts, by id, from the single-node engine and
 * from the Flink job on a MiniCluster reading a real KRaft broker in this JVM: simulated attack
 * traffic through the platform's own Kafka sink, Rampart's rule pack plus a correlation of every
 * type (src/test/resources/conformance), parallelism 2; and again with a failure injected
 * mid-stream, recovered from a checkpoint of the keyed windows and the Kafka offsets.
 */
class ConformanceTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  static dev.rampart.kafka.testing.TestBroker kafka;
  static Map<String, Object> client;
  static final Map<String, String> RULES = new HashMap<>();
  static final Set<String> EXPECTED = new HashSet<>();
  static final Set<String> CORRELATED = new HashSet<>();
  static final Path CONFORMANCE = resource("conformance");
  // fails the job once, mid-stream, in the failure test (static: it survives the restart)
  static final java.util.concurrent.atomic.AtomicBoolean[] FAILED = {
    new java.util.concurrent.atomic.AtomicBoolean(), new java.util.concurrent.atomic.AtomicBoolean()
  };

  @org.junit.jupiter.api.BeforeAll
  static void trafficOnABroker(@TempDir Path dir) throws Exception {
    // simulated traffic with every attack scenario, into a spool as the platform keeps it
    ByteArrayOutputStream ndjson = new ByteArrayOutputStream();
    Simulator.run(
        new Simulator.Options(
            List.copyOf(EnumSet.allOf(Scenario.class)),
            20_000,
            3,
            dev.rampart.core.event.Timestamps.fromInstant(Simulator.DEFAULT_START),
            86_400_000_000_000L,
            20,
            1),
        ndjson,
        t -> {},
        x -> {});
    RULES.putAll(DetectionJob.ruleTexts(Path.of("..", "rules")));
    RULES.putAll(DetectionJob.ruleTexts(CONFORMANCE));
    RuleSet set = Sigma.load(Path.of("..", "rules"), CONFORMANCE);
    assertThat(set.errors()).isEmpty();
    SigmaEngine engine = Sigma.compile(set);
    SigmaMatcher matcher = engine.newMatcher();
    // the single-node correlator, as the server runs it (signals and alerts built the same way),
    // holding everything until the end: the reference for the job's keyed windows
    Correlator correlator =
        new Correlator(
            set.correlations(),
            set.rules(),
            Correlator.Options.BATCH.partitionedBy(StreamingCorrelations.TENANT));
    kafka =
        dev.rampart.kafka.testing.TestBroker.start(
            Map.of(
                "rampart.events", 2,
                "rampart.events.dlq", 1,
                "rampart.rules", 1,
                "alerts-plain", 2,
                "alerts-failure", 2,
                "alerts-exactly-once", 2));
    client = kafka.client();
    try (Spool spool =
            Spool.open(dir.resolve("spool"), Spool.Options.defaults(), ProblemSink.IGNORE);
        JsonEventReader r =
            new JsonEventReader(
                new ByteArrayInputStream(ndjson.toByteArray()),
                "simulate",
                ReadOptions.DEFAULTS,
                ProblemSink.IGNORE)) {
      Event e = new Event();
      while (r.next(e)) {
        spool.append(e);
      }
      spool.sync();
      // what the single-node detector raises: rule id @ spool offset for every match of a rule
      // that is not only a correlation's input, and the correlations' alerts
      spool.read(
          0,
          (ev, offset, next) -> {
            int n = matcher.match(ev);
            for (int i = 0; i < n; i++) {
              var rule = engine.rule(matcher.matched(i));
              String key = Correlator.key(rule);
              if (correlator.listensTo(key)) {
                correlator.accept(
                    StreamingCorrelations.signalOf(
                        correlator, rule, ev, offset, Alert.DEFAULT_TENANT),
                    m -> CORRELATED.add(StreamingCorrelations.alert(m, 0).id()));
                if (correlator.silenced(key)) {
                  continue;
                }
              }
              EXPECTED.add((rule.id() != null ? rule.id() : rule.file()) + "@" + offset);
            }
          });
      correlator.finish(m -> CORRELATED.add(StreamingCorrelations.alert(m, 0).id()));
      EXPECTED.addAll(CORRELATED);
      try (KafkaEventSink sink =
          new KafkaEventSink(
              spool, new KafkaEventSink.Options("rampart.events", "rampart.events.dlq", client))) {
        sink.catchUp();
      }
    }
    System.out.printf(
        "conformance: %d alerts expected, %d of them from correlations%n",
        EXPECTED.size(), CORRELATED.size());
    assertThat(EXPECTED).hasSizeGreaterThan(10);
    // every correlation type has windows to compare
    for (var c : set.correlations()) {
      if (c.id().startsWith("6a1f0c52")) {
        assertThat(CORRELATED)
            .as("%s (%s) fires in the simulated traffic", c.title(), c.type())
            .anyMatch(id -> id.startsWith("correlation:" + c.id() + "@"));
      }
    }
  }

  @org.junit.jupiter.api.AfterAll
  static void stop() throws Exception {
    kafka.close();
  }

  static DetectionJob.Options options(String alerts) {
    return new DetectionJob.Options(
        kafka.bootstrap(),
        "rampart.events",
        "rampart.rules",
        alerts,
        "rampart.events.dlq",
        RULES,
        Map.of(),
        true,
        2,
        DetectionJob.Options.DEFAULT_LATENESS,
        DetectionJob.Options.DEFAULT_IDLENESS,
        false,
        DetectionJob.Options.DEFAULT_LEVELS);
  }

  static Path resource(String name) {
    try {
      return Path.of(ConformanceTest.class.getClassLoader().getResource(name).toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<Alert> read(String topic, int atLeast) throws Exception {
    return read(topic, atLeast, false);
  }

  static List<Alert> read(String topic, int atLeast, boolean committed) throws Exception {
    List<Alert> out = new ArrayList<>();
    Map<String, Object> c = new HashMap<>(client);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "read-" + topic);
    if (committed) {
      c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    }
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    ObjectMapper json = new ObjectMapper();
    try (KafkaConsumer<byte[], byte[]> k =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      // every partition from its start, without a consumer group: a group's join can take long
      // on a loaded machine, and nothing here needs one
      List<org.apache.kafka.common.TopicPartition> parts = new ArrayList<>();
      for (var info : k.partitionsFor(topic)) {
        parts.add(new org.apache.kafka.common.TopicPartition(topic, info.partition()));
      }
      k.assign(parts);
      k.seekToBeginning(parts);
      long deadline = System.currentTimeMillis() + 90_000;
      // distinct ids: after a failure, repeats arrive before the last new ones
      Set<String> distinct = new HashSet<>();
      while (distinct.size() < atLeast && System.currentTimeMillis() < deadline) {
        for (var rec : k.poll(Duration.ofMillis(200))) {
          Alert a = json.readValue(rec.value(), Alert.class);
          out.add(a);
          distinct.add(a.id());
        }
      }
      for (var rec : k.poll(Duration.ofMillis(500))) { // and anything after: duplicates count
        out.add(json.readValue(rec.value(), Alert.class));
      }
    }
    return out;
  }

  @Test
  void theJobRaisesExactlyTheEmbeddedEnginesAlerts() throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    DetectionJob.build(env, options("alerts-plain"));
    env.execute("conformance");
    List<String> ids = read("alerts-plain", EXPECTED.size()).stream().map(Alert::id).toList();
    assertThat(new HashSet<>(ids)).isEqualTo(EXPECTED);
    assertThat(ids).doesNotHaveDuplicates();
  }

  /**
   * The job fails once mid-stream and restarts from its last checkpoint: the at-least-once sink may
   * write some alerts twice, and the platform's alert log, which keeps each id once, ends with
   * exactly the embedded engine's alerts: none lost, none twice.
   */
  static StreamExecutionEnvironment restarting() {
    org.apache.flink.configuration.Configuration conf =
        new org.apache.flink.configuration.Configuration();
    conf.set(org.apache.flink.configuration.RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(
        org.apache.flink.configuration.RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS,
        3);
    conf.set(
        org.apache.flink.configuration.RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
        Duration.ofMillis(200));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.enableCheckpointing(100);
    return env;
  }

  @Test
  void afterAFailureMidStreamNothingIsLostOrDuplicatedAtTheStore(@TempDir Path dir)
      throws Exception {
    StreamExecutionEnvironment env = restarting();
    DetectionJob.build(
        env,
        options("alerts-failure"),
        s -> s.map(new FailOnce(0)).returns(DetectionJob.EVENT).name("fail once"));
    env.execute("conformance with a failure");
    assertThat(FAILED[0].get()).as("the failure happened").isTrue();
    List<Alert> got = read("alerts-failure", EXPECTED.size());
    assertThat(got.stream().map(Alert::id).collect(java.util.stream.Collectors.toSet()))
        .isEqualTo(EXPECTED);
    try (dev.rampart.alerting.alert.AlertLog log =
        dev.rampart.alerting.alert.AlertLog.open(dir.resolve("alerts.ndjson"))) {
      log.append(got);
    }
    assertThat(dev.rampart.alerting.alert.AlertLog.read(dir.resolve("alerts.ndjson")))
        .hasSize(EXPECTED.size());
  }

  /**
   * With the transactional sink, a reader of committed records sees each alert exactly once in the
   * topic itself, failure or not: what was written after the last checkpoint was never committed.
   */
  @Test
  void theExactlyOnceSinkWritesEachAlertOnceThroughAFailure() throws Exception {
    StreamExecutionEnvironment env = restarting();
    DetectionJob.Options o = options("alerts-exactly-once");
    DetectionJob.build(
        env,
        new DetectionJob.Options(
            o.bootstrap(),
            o.eventsTopic(),
            o.rulesTopic(),
            o.alertsTopic(),
            o.deadLetterTopic(),
            o.rules(),
            o.client(),
            o.bounded(),
            o.parallelism(),
            o.lateness(),
            o.idleness(),
            true,
            o.correlationLevels()),
        s -> s.map(new FailOnce(1)).returns(DetectionJob.EVENT).name("fail once"));
    env.execute("conformance, exactly once, with a failure");
    assertThat(FAILED[1].get()).as("the failure happened").isTrue();
    List<String> ids =
        read("alerts-exactly-once", EXPECTED.size(), true).stream().map(Alert::id).toList();
    assertThat(ids).doesNotHaveDuplicates();
    assertThat(new HashSet<>(ids)).isEqualTo(EXPECTED);
  }

  /** Throws once, after 5,000 events: the failure the restart recovers from. */
  static final class FailOnce
      implements org.apache.flink.api.common.functions.MapFunction<
          org.apache.flink.api.java.tuple.Tuple2<Long, byte[]>,
          org.apache.flink.api.java.tuple.Tuple2<Long, byte[]>> {
    private static final long serialVersionUID = 1L;
    private static final java.util.concurrent.atomic.AtomicLong[] SEEN = {
      new java.util.concurrent.atomic.AtomicLong(), new java.util.concurrent.atomic.AtomicLong()
    };
    private final int slot;

    FailOnce(int slot) {
      this.slot = slot;
    }

    @Override
    public org.apache.flink.api.java.tuple.Tuple2<Long, byte[]> map(
        org.apache.flink.api.java.tuple.Tuple2<Long, byte[]> e) {
      if (SEEN[slot].incrementAndGet() == 5_000 && FAILED[slot].compareAndSet(false, true)) {
        throw new IllegalStateException("an injected failure");
      }
      return e;
    }
  }
}
