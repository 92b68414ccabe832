package dev.rampart.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.event.Event;
import dev.rampart.core.io.ProblemSink;
import dev.rampart.core.json.JsonEventReader;
import dev.rampart.core.json.ReadOptions;
import dev.rampart.ingest.spool.ByteSink;
import dev.rampart.ingest.spool.EventCodec;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A logon that arrives after the watermark passed its time cannot join its windows: its signals go
 * to the late side output with the reason (and the job's dead-letter topic), counted, and the
 * windows the punctual events made still fire.
 */
class LateSignalsTest {
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(1)
              .build());

  static byte[] logon(int second) throws Exception {
    String line =
        String.format(
            Locale.ROOT,
            "{\"@timestamp\":\"2026-01-05T00:%02d:%02dZ\",\"rampart.log_type\":\"windows/security\","
                + "\"Channel\":\"Security\",\"Computer\":\"dc-01\",\"EventID\":4624,"
                + "\"TargetUserName\":\"alice\",\"IpAddress\":\"10.0.0.5\",\"LogonType\":3}",
            second / 60,
            second % 60);
    try (JsonEventReader r =
        new JsonEventReader(
            new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8)),
            "test",
            ReadOptions.DEFAULTS,
            ProblemSink.IGNORE)) {
      Event e = new Event();
      assertThat(r.next(e)).isTrue();
      ByteSink out = new ByteSink(256);
      EventCodec.encode(e, out);
      return out.toByteArray();
    }
  }

  @Test
  void aLateLogonGoesToTheSideOutputAndTheWindowStillFires() throws Exception {
    List<Tuple2<Long, byte[]>> events = new ArrayList<>();
    long offset = 0;
    for (int s = 0; s <= 600; s += 60) {
      events.add(Tuple2.of(offset++, logon(s)));
    }
    events.add(Tuple2.of(offset, logon(100))); // 8 minutes behind, the lateness is 30 s
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    long late = offset;
    var in =
        env.fromData(events, DetectionJob.EVENT)
            // the rules stream frees event time only once its source has run (its end, or its
            // first periodic watermark); until then no operator's watermark moves, and nothing is
            // late. A dozen events can beat a starting job's rules source, so the late one waits.
            .map(
                e -> {
                  if (e.f0 == late) {
                    Thread.sleep(2_000);
                  }
                  return e;
                })
            .returns(DetectionJob.EVENT)
            // the job's strategy emits watermarks every 200 ms, which a dozen events beat: here
            // each event moves the watermark, as a steady stream does
            .assignTimestampsAndWatermarks(perEvent(Duration.ofSeconds(30)));
    var rules =
        env.fromData(List.of(Tuple2.of("-", "")), DetectionJob.RULE)
            .assignTimestampsAndWatermarks(DetectionJob.neverHoldsTimeBack())
            .broadcast(DetectionJob.RULES);
    var out =
        DetectionJob.pipeline(
            in,
            rules,
            DetectionJob.ruleTexts(ConformanceTest.resource("conformance")),
            Duration.ofSeconds(30).toNanos(),
            DetectionJob.Options.DEFAULT_LEVELS);
    List<String> got = new ArrayList<>();
    try (var it = out.alerts().union(out.deadLetters()).executeAndCollect()) {
      it.forEachRemaining(got::add);
    }
    assertThat(got)
        .filteredOn(s -> s.contains("\"reason\":\"late"))
        .isNotEmpty()
        .allMatch(s -> s.contains("\"ref\":\"11\""));
    // five logons within the hour: the event_count correlation fires on the punctual ones
    assertThat(got)
        .anyMatch(s -> s.contains("correlation:6a1f0c52-5c0e-4d3b-9a57-000000000101@0-4"));
  }

  static WatermarkStrategy<Tuple2<Long, byte[]>> perEvent(Duration lateness) {
    return WatermarkStrategy.<Tuple2<Long, byte[]>>forGenerator(
            c ->
                new WatermarkGenerator<>() {
                  long max = Long.MIN_VALUE + lateness.toMillis() + 1;

                  @Override
                  public void onEvent(Tuple2<Long, byte[]> e, long t, WatermarkOutput out) {
                    max = Math.max(max, t);
                    out.emitWatermark(new Watermark(max - lateness.toMillis() - 1));
                  }

                  @Override
                  public void onPeriodicEmit(WatermarkOutput out) {}
                })
        .withTimestampAssigner(
            (e, t) -> Math.floorDiv(EventCodec.timestamp(e.f1, 0, e.f1.length), 1_000_000L));
  }
}
