package dev.rampart.flink;

import dev.rampart.ingest.spool.EventCodec;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Detection on Flink: the events topic (records as the platform's Kafka sink writes them: the
 * spool's encoding, the spool offset in a header) through the same compiled Sigma engine as the
 * single-node detector, with the rules as broadcast state (from the job's start set, then updated
 * from the compacted rules topic without a restart), to the alerts topic as the alert log's JSON.
 * Matches of rules that Sigma correlations reference become signals keyed by (correlation, group-by
 * values) into {@link Correlate}: keyed state, event-time timers, watermarks with bounded
 * out-of-orderness and idleness from the events' own times, late signals counted and sent to the
 * dead-letter topic. Alert ids are the single-node engine's ({@code rule id @ spool offset}; a
 * correlation's from its window's first and last event), so the default at-least-once sink plus the
 * platform's keep-each-id-once alert log gives each alert once; the transactional exactly-once sink
 * is an option. Types are Flink tuples of longs, strings and byte arrays, state is bytes in our own
 * versioned encodings: no Kryo on the hot path or in checkpoints.
 */
public final class DetectionJob {
  /**
   * @param rules the rules to start with (id → YAML); updates arrive on {@code rulesTopic}
   * @param bounded read the topics to their current end and finish (tests, backfills)
   * @param lateness how far out of order events may come (the watermark's bound); correlation
   *     signals behind it are late
   * @param idleness a partition quiet this long stops holding the watermark back
   * @param exactlyOnce alerts through Kafka transactions committed at checkpoints (read them with
   *     {@code read_committed}); off: at least once, which the alert log's ids make exactly once
   * @param correlationLevels how deep correlations may chain (1: no correlation references
   *     another); one keyed operator per level, fixed when the job starts
   */
  public record Options(
      String bootstrap,
      String eventsTopic,
      String rulesTopic,
      String alertsTopic,
      String deadLetterTopic,
      Map<String, String> rules,
      Map<String, String> client,
      boolean bounded,
      int parallelism,
      Duration lateness,
      Duration idleness,
      boolean exactlyOnce,
      int correlationLevels) {
    public static final Duration DEFAULT_LATENESS = Duration.ofSeconds(30);
    public static final Duration DEFAULT_IDLENESS = Duration.ofMinutes(1);

    /** Chains of three correlations: deeper ones are rare, and each level is an operator. */
    public static final int DEFAULT_LEVELS = 3;

    public Options {
      if (correlationLevels < 1) {
        throw new IllegalArgumentException("correlation levels start at 1: " + correlationLevels);
      }
    }

    /** The default topics, lateness and idleness, at least once, unbounded. */
    public static Options of(String bootstrap, Map<String, String> rules, int parallelism) {
      return new Options(
          bootstrap,
          "rampart.events",
          "rampart.rules",
          "rampart.alerts",
          "rampart.events.dlq",
          rules,
          Map.of(),
          false,
          parallelism,
          DEFAULT_LATENESS,
          DEFAULT_IDLENESS,
          false,
          DEFAULT_LEVELS);
    }
  }

  /** The rules in force, as broadcast state: id → YAML. */
  static final MapStateDescriptor<String, String> RULES =
      new MapStateDescriptor<>("rules", Types.STRING, Types.STRING);

  static final TypeInformation<Tuple2<Long, byte[]>> EVENT =
      Types.TUPLE(Types.LONG, Types.PRIMITIVE_ARRAY(Types.BYTE));
  static final TypeInformation<Tuple2<String, String>> RULE =
      Types.TUPLE(Types.STRING, Types.STRING);
  static final TypeInformation<Tuple2<String, byte[]>> SIGNAL =
      Types.TUPLE(Types.STRING, Types.PRIMITIVE_ARRAY(Types.BYTE));

  private DetectionJob() {}

  /** Adds the job's graph to {@code env}. */
  public static void build(StreamExecutionEnvironment env, Options o) {
    build(env, o, s -> s);
  }

  /** With a step before detection: tests inject a failure there. */
  static void build(
      StreamExecutionEnvironment env,
      Options o,
      java.util.function.UnaryOperator<DataStream<Tuple2<Long, byte[]>>> before) {
    env.setMaxParallelism(128); // fixed from the start: keyed state is sharded by it
    // no operator keeps a record after passing it on, so chained operators need not copy each one
    env.getConfig().enableObjectReuse();
    env.setParallelism(o.parallelism());
    Properties client = new Properties();
    client.putAll(o.client());
    var events =
        KafkaSource.<Tuple2<Long, byte[]>>builder()
            .setBootstrapServers(o.bootstrap())
            .setTopics(o.eventsTopic())
            .setGroupId("rampart-flink")
            .setProperties(client)
            .setStartingOffsets(OffsetsInitializer.earliest())
            .setDeserializer(new Events());
    var rules =
        KafkaSource.<Tuple2<String, String>>builder()
            .setBootstrapServers(o.bootstrap())
            .setTopics(o.rulesTopic())
            .setGroupId("rampart-flink-rules")
            .setProperties(client)
            .setStartingOffsets(OffsetsInitializer.earliest())
            .setDeserializer(new Rules());
    if (o.bounded()) {
      events.setBounded(OffsetsInitializer.latest());
      rules.setBounded(OffsetsInitializer.latest());
    }
    DataStream<Tuple2<Long, byte[]>> in =
        before.apply(env.fromSource(events.build(), eventTime(o), "events"));
    BroadcastStream<Tuple2<String, String>> ruleUpdates =
        env.fromSource(rules.build(), neverHoldsTimeBack(), "rules").broadcast(RULES);
    Streams out =
        pipeline(in, ruleUpdates, o.rules(), o.lateness().toNanos(), o.correlationLevels());
    out.alerts().sinkTo(sink(o, client, o.alertsTopic(), o.exactlyOnce())).name("alerts");
    out.deadLetters().sinkTo(sink(o, client, o.deadLetterTopic(), false)).name("dead-letters");
  }

  /** The job's outputs: alerts (JSON), and dead letters (undecodable events, late signals). */
  record Streams(DataStream<String> alerts, DataStream<String> deadLetters) {}

  /**
   * Detection and correlation, from events with timestamps and watermarks: one keyed correlation
   * operator per level, level {@code n} fed by the detector's signals for it and by the firings of
   * the levels above it.
   */
  static Streams pipeline(
      DataStream<Tuple2<Long, byte[]>> events,
      BroadcastStream<Tuple2<String, String>> ruleUpdates,
      Map<String, String> rules,
      long latenessNanos,
      int levels) {
    var single = detect(events, ruleUpdates, rules, levels);
    DataStream<String> alerts = single;
    DataStream<String> deadLetters = single.getSideOutput(Detect.DEAD_LETTERS);
    List<org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator<String>> above =
        new ArrayList<>();
    for (int level = 1; level <= levels; level++) {
      DataStream<Tuple2<String, byte[]>> in = single.getSideOutput(Detect.signals(level));
      for (var upper : above) {
        in = in.union(upper.getSideOutput(Correlate.chained(level)));
      }
      var correlated =
          in.keyBy(t -> t.f0, Types.STRING)
              .connect(ruleUpdates)
              .process(new Correlate(new HashMap<>(rules), latenessNanos, level, levels))
              .returns(Types.STRING)
              .name(level == 1 ? "correlate" : "correlate level " + level);
      above.add(correlated);
      alerts = alerts.union(correlated);
      deadLetters = deadLetters.union(correlated.getSideOutput(Correlate.LATE));
    }
    return new Streams(alerts, deadLetters);
  }

  /**
   * Event time from the events themselves (read from the encoding's head, not decoded whole), with
   * bounded out-of-orderness and idleness. A time in the future beyond the lateness counts as now
   * for the watermark, so one host with a wrong clock cannot make everyone else late.
   */
  static WatermarkStrategy<Tuple2<Long, byte[]>> eventTime(Options o) {
    return eventTime(o.lateness(), o.idleness());
  }

  static WatermarkStrategy<Tuple2<Long, byte[]>> eventTime(Duration lateness, Duration idleness) {
    long aheadMs = lateness.toMillis();
    return WatermarkStrategy.<Tuple2<Long, byte[]>>forBoundedOutOfOrderness(lateness)
        .withTimestampAssigner(
            (e, recordTime) -> {
              long ms;
              try {
                ms = Math.floorDiv(EventCodec.timestamp(e.f1, 0, e.f1.length), 1_000_000L);
              } catch (RuntimeException bad) {
                return Long.MIN_VALUE; // undecodable: the detector sends it to the dead letters
              }
              return Math.min(ms, System.currentTimeMillis() + aheadMs);
            })
        .withIdleness(idleness);
  }

  /**
   * The rules stream never holds event time back: it declares the end of time at once, so the
   * operators it is connected to follow the events' watermark alone.
   */
  static <T> WatermarkStrategy<T> neverHoldsTimeBack() {
    return WatermarkStrategy.forGenerator(
        c ->
            new WatermarkGenerator<T>() {
              @Override
              public void onEvent(T event, long time, WatermarkOutput out) {}

              @Override
              public void onPeriodicEmit(WatermarkOutput out) {
                out.emitWatermark(new Watermark(Long.MAX_VALUE));
              }
            });
  }

  /**
   * The rule files ({@code *.yml}) under {@code dir}, file name → text: a start set for the job, as
   * the rules topic would carry them.
   */
  public static Map<String, String> ruleTexts(java.nio.file.Path dir) throws java.io.IOException {
    Map<String, String> out = new HashMap<>();
    try (var files = java.nio.file.Files.walk(dir)) {
      for (var f : files.filter(p -> p.toString().endsWith(".yml")).toList()) {
        out.put(f.getFileName().toString(), java.nio.file.Files.readString(f));
      }
    }
    return out;
  }

  /** The detection step: alerts (JSON) of {@code events}, rules from the start set and updates. */
  static org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator<String> detect(
      DataStream<Tuple2<Long, byte[]>> events,
      BroadcastStream<Tuple2<String, String>> ruleUpdates,
      Map<String, String> rules,
      int levels) {
    return events
        .connect(ruleUpdates)
        .process(new Detect(new HashMap<>(rules), levels))
        .returns(Types.STRING)
        .name("detect");
  }

  private static KafkaSink<String> sink(
      Options o, Properties client, String topic, boolean exactlyOnce) {
    Properties producer = new Properties();
    producer.putAll(client);
    if (exactlyOnce) {
      // the connector's default (1 h) is above the broker's default maximum (15 min)
      producer.putIfAbsent("transaction.timeout.ms", "600000");
    }
    var b =
        KafkaSink.<String>builder()
            .setBootstrapServers(o.bootstrap())
            .setKafkaProducerConfig(producer)
            .setRecordSerializer(
                KafkaRecordSerializationSchema.builder()
                    .setTopic(topic)
                    .setValueSerializationSchema(new SimpleStringSchema())
                    .build())
            .setDeliveryGuarantee(
                exactlyOnce ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE);
    if (exactlyOnce) {
      b.setTransactionalIdPrefix("rampart-" + topic);
    }
    return b.build();
  }

  /** Events topic records: (spool offset, the spool's encoding). */
  static final class Events implements KafkaRecordDeserializationSchema<Tuple2<Long, byte[]>> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<Tuple2<Long, byte[]>> out) {
      Header h = r.headers().lastHeader("rampart.offset");
      // without the platform's header the Kafka offset is the best id there is
      long id =
          h != null && h.value().length == 8 ? ByteBuffer.wrap(h.value()).getLong() : r.offset();
      out.collect(Tuple2.of(id, r.value()));
    }

    @Override
    public TypeInformation<Tuple2<Long, byte[]>> getProducedType() {
      return EVENT;
    }
  }

  /** Rules topic records: (id, YAML), a tombstone as (id, ""). */
  static final class Rules implements KafkaRecordDeserializationSchema<Tuple2<String, String>> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(
        ConsumerRecord<byte[], byte[]> r, Collector<Tuple2<String, String>> out) {
      if (r.key() == null) {
        return;
      }
      out.collect(
          Tuple2.of(
              new String(r.key(), java.nio.charset.StandardCharsets.UTF_8),
              r.value() == null
                  ? ""
                  : new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Override
    public TypeInformation<Tuple2<String, String>> getProducedType() {
      return RULE;
    }
  }

  static final String USAGE =
      "usage: flink run -c dev.rampart.flink.DetectionJob rampart-flink.jar --bootstrap HOST:9092"
          + " [--events rampart.events] [--rules rampart.rules] [--alerts rampart.alerts]"
          + " [--dead-letters rampart.events.dlq]"
          + " [--parallelism N] [--lateness-seconds 30] [--idleness-seconds 60]"
          + " [--exactly-once true] [--correlation-levels 3]";

  private static final java.util.Set<String> ARGUMENTS =
      java.util.Set.of(
          "bootstrap",
          "events",
          "rules",
          "alerts",
          "dead-letters",
          "parallelism",
          "lateness-seconds",
          "idleness-seconds",
          "exactly-once",
          "correlation-levels");

  /**
   * The job's options from its command line ({@code --name value} pairs).
   *
   * @throws IllegalArgumentException naming every argument that is wrong (unknown, without a value,
   *     not a number where one is needed, out of range), one per line
   */
  static Options arguments(String[] args) {
    Map<String, String> a = new HashMap<>();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String name = args[i].replaceFirst("^--", "");
      if (!args[i].startsWith("--") || !ARGUMENTS.contains(name)) {
        problems.add(args[i] + ": unknown argument");
      } else if (i + 1 == args.length || args[i + 1].startsWith("--")) {
        problems.add(args[i] + ": needs a value");
      } else {
        a.put(name, args[++i]);
      }
    }
    if (!a.containsKey("bootstrap") && problems.isEmpty()) {
      problems.add("--bootstrap: the Kafka brokers (HOST:9092) are needed");
    }
    int parallelism = number(a, "parallelism", 1, 1, 10_000, problems);
    int lateness = number(a, "lateness-seconds", 30, 0, 86_400, problems);
    int idleness = number(a, "idleness-seconds", 60, 1, 86_400, problems);
    int levels = number(a, "correlation-levels", Options.DEFAULT_LEVELS, 1, 16, problems);
    String once = a.getOrDefault("exactly-once", "false");
    if (!once.equals("true") && !once.equals("false")) {
      problems.add("--exactly-once: true or false, not '" + once + "'");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", problems));
    }
    return new Options(
        a.get("bootstrap"),
        a.getOrDefault("events", "rampart.events"),
        a.getOrDefault("rules", "rampart.rules"),
        a.getOrDefault("alerts", "rampart.alerts"),
        a.getOrDefault("dead-letters", "rampart.events.dlq"),
        Map.of(),
        Map.of(),
        false,
        parallelism,
        Duration.ofSeconds(lateness),
        Duration.ofSeconds(idleness),
        once.equals("true"),
        levels);
  }

  private static int number(
      Map<String, String> a, String name, int dflt, int min, int max, List<String> problems) {
    String v = a.get(name);
    if (v == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v.strip());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException notANumber) {
      // said below
    }
    problems.add("--" + name + ": a whole number from " + min + " to " + max + ", not '" + v + "'");
    return dflt;
  }

  /**
   * {@code flink run -c dev.rampart.flink.DetectionJob rampart-flink.jar --bootstrap HOST:9092
   * [--events T --rules T --alerts T --parallelism N]}: the rules come from the rules topic (the
   * platform publishes them at start).
   */
  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = arguments(args);
    } catch (IllegalArgumentException bad) {
      System.err.println(bad.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    build(env, options);
    if (options.exactlyOnce()) {
      env.enableCheckpointing(10_000); // transactions commit at checkpoints
    }
    env.execute("rampart detection");
  }
}
