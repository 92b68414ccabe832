package dev.rampart.flink;

import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * The measurement behind {@code rampart bench scaleout}: the job's detection and correlation steps
 * (the same {@link Detect} and {@link Correlate} as on a cluster, event time and all) over events
 * already encoded in an {@link EventFile}, on a local Flink cluster at parallelism 1 and then 2.
 * Kafka is left out on purpose: it measures Rampart's work per core, not a broker sharing the same
 * two cores. Times are Flink's net job runtimes (the cluster's start is not counted), the best of
 * five runs at each parallelism after one uncounted warm-up.
 */
public final class Scaleout {
  /** Events/s at each parallelism measured (index = parallelism). */
  public record Result(long events, double[] eventsPerSecond) {}

  // the local cluster runs in this JVM: tasks read the events from here by index
  private static volatile EventFile events;

  private Scaleout() {}

  private static double once(int n, Map<String, String> rules, int p) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(p);
    env.setMaxParallelism(128);
    env.getConfig().enableObjectReuse(); // as the job does: see DetectionJob.build
    var in =
        env.fromSequence(0, n - 1)
            .map(i -> Tuple2.of(i, events.get(i.intValue())))
            .returns(DetectionJob.EVENT)
            .name("events")
            .assignTimestampsAndWatermarks(
                DetectionJob.eventTime(
                    DetectionJob.Options.DEFAULT_LATENESS, DetectionJob.Options.DEFAULT_IDLENESS));
    var none =
        // no updates; a source cannot be empty, so one tombstone for a rule that is not there
        env.fromData(List.of(Tuple2.of("-", "")), DetectionJob.RULE)
            .assignTimestampsAndWatermarks(DetectionJob.neverHoldsTimeBack())
            .broadcast(DetectionJob.RULES);
    var out =
        DetectionJob.pipeline(
            in,
            none,
            rules,
            DetectionJob.Options.DEFAULT_LATENESS.toNanos(),
            // the levels the rules need: an idle level costs the job's start, not per event
            // (4.5M events at p1: 319,126 ev/s with one level, 336,625 with three)
            Correlate.keyed(Detect.load(rules), 0).correlator().levels());
    out.alerts().sinkTo(new DiscardingSink<>()).name("discard");
    out.deadLetters().sinkTo(new DiscardingSink<>()).name("discard dead letters");
    JobExecutionResult r = env.execute("rampart scale-out p" + p);
    return n / (r.getNetRuntime() / 1000.0);
  }

  /** At parallelism 1 to {@code maxParallelism}. */
  public static Result run(EventFile encoded, Map<String, String> rules, int maxParallelism)
      throws Exception {
    List<Integer> ps = new java.util.ArrayList<>();
    for (int p = 1; p <= maxParallelism; p++) {
      ps.add(p);
    }
    return run(encoded, rules, ps);
  }

  /** At each of {@code parallelisms} (ascending). */
  public static Result run(EventFile encoded, Map<String, String> rules, List<Integer> parallelisms)
      throws Exception {
    events = encoded;
    int max = parallelisms.stream().mapToInt(Integer::intValue).max().orElse(1);
    double[] rate = new double[max + 1];
    try {
      // the first job warms the JIT for all that follow and is not counted; then each
      // parallelism runs five times, alternating, and its best run counts (the machine's other
      // work, GC and JIT threads land on one run or another)
      once(encoded.size(), rules, max);
      for (int round = 0; round < 5; round++) {
        for (int p : parallelisms) {
          rate[p] = Math.max(rate[p], once(encoded.size(), rules, p));
        }
      }
    } finally {
      events = null;
    }
    return new Result(encoded.size(), rate);
  }
}
