package dev.rampart.flink;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.alerting.correlate.StreamingCorrelations;
import dev.rampart.core.event.Timestamps;
import dev.rampart.sigma.correlate.Correlator;
import dev.rampart.sigma.correlate.KeyedCorrelations;
import dev.rampart.sigma.correlate.SignalCodec;
import dev.rampart.sigma.load.RuleSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sigma correlation on Flink: signals keyed by (correlation, group-by values), each key's window
 * and waiting signals in keyed state, event-time timers to take signals in time order and to close
 * windows: the {@link KeyedCorrelations} semantics, which are the single-node correlator's. The
 * state is signals in their own versioned encoding ({@link SignalCodec}) as bytes, so checkpoints
 * never depend on a general-purpose serializer. Rules come as in {@link Detect}: the start set plus
 * the broadcast updates; a correlation that is gone drops its keys' state when their timers fire.
 * Signals behind the watermark are late: counted and sent to a side output with the reason.
 *
 * <p>One instance per correlation level ({@link KeyedCorrelations#atLevel}): level 1 takes the
 * detector's signals, a deeper level also the firings of the levels above it, which each level
 * sends on as signals ({@link #chained}) to the levels of the correlations that reference it.
 */
final class Correlate
    extends KeyedBroadcastProcessFunction<
        String, Tuple2<String, byte[]>, Tuple2<String, String>, String> {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(Correlate.class);

  /** Signals that came behind the watermark (JSON with the reason), for the dead-letter topic. */
  static final OutputTag<String> LATE = new OutputTag<>("late-signals", Types.STRING);

  /** A firing as a signal for the correlations of {@code level} that reference its rule. */
  static OutputTag<Tuple2<String, byte[]>> chained(int level) {
    return new OutputTag<>("chained-" + level, DetectionJob.SIGNAL);
  }

  private static final org.apache.flink.api.common.typeinfo.TypeInformation<byte[]> BYTES =
      org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;

  private final HashMap<String, String> startRules;
  private final long latenessNanos;
  private final int level;
  private final int levels;
  private transient KeyedCorrelations keyed;
  private transient OutputTag<Tuple2<String, byte[]>>[] chainedOutputs;
  private transient ValueState<byte[]> window;
  private transient MapState<Long, byte[]> waiting;
  private transient Counter late;

  /** The operator of correlation level {@code level} of {@code levels}. */
  Correlate(HashMap<String, String> startRules, long latenessNanos, int level, int levels) {
    this.startRules = startRules;
    this.latenessNanos = latenessNanos;
    this.level = level;
    this.levels = levels;
  }

  @Override
  @SuppressWarnings("unchecked")
  public void open(org.apache.flink.api.common.functions.OpenContext ctx) {
    chainedOutputs = new OutputTag[levels + 1];
    for (int l = level + 1; l <= levels; l++) {
      chainedOutputs[l] = chained(l);
    }
    window = getRuntimeContext().getState(new ValueStateDescriptor<>("window", BYTES));
    waiting =
        getRuntimeContext().getMapState(new MapStateDescriptor<>("waiting", Types.LONG, BYTES));
    late = getRuntimeContext().getMetricGroup().counter("rampart_late_signals");
  }

  /** The keyed engine for a rule set, as {@link Detect} routes for it. */
  static KeyedCorrelations keyed(RuleSet set, long latenessNanos) {
    return new KeyedCorrelations(
        new Correlator(
            set.correlations(),
            set.rules(),
            Correlator.Options.streaming(latenessNanos)
                .partitionedBy(StreamingCorrelations.TENANT)));
  }

  private void compile(Map<String, String> rules) {
    keyed = keyed(Detect.load(rules), latenessNanos).atLevel(level);
    List<String> deeper = keyed.unsupported(levels);
    if (level == 1 && !deeper.isEmpty()) {
      LOG.warn(
          "correlations chained deeper than this job's {} levels are not run here (start the job"
              + " with --correlation-levels N, or run them on the single-node server): {}",
          levels,
          deeper);
    }
  }

  private void ensureCompiled(ReadOnlyContext ctx) throws Exception {
    if (keyed == null) { // first element, or after a restore
      Map<String, String> rules = new HashMap<>(startRules);
      for (var e : ctx.getBroadcastState(DetectionJob.RULES).immutableEntries()) {
        Detect.apply(rules, e.getKey(), e.getValue());
      }
      compile(rules);
    }
  }

  @Override
  public void processElement(Tuple2<String, byte[]> in, ReadOnlyContext ctx, Collector<String> out)
      throws Exception {
    ensureCompiled(ctx);
    for (Correlator.Signal s : SignalCodec.decode(in.f1)) {
      if (!keyed.offer(s, state(), timers(ctx.timerService()))) {
        late.inc();
        Map<String, Object> why = new HashMap<>();
        why.put("reason", "late: behind the watermark, its windows may be judged already");
        why.put("key", in.f0);
        why.put("time", s.time());
        why.put("ref", s.ref());
        why.put("watermark_ms", ctx.timerService().currentWatermark());
        ctx.output(LATE, JSON.writeValueAsString(why));
      }
    }
  }

  @Override
  public void onTimer(long tick, OnTimerContext ctx, Collector<String> out) throws Exception {
    ensureCompiled(ctx);
    List<Correlator.Match> found = new ArrayList<>(1);
    keyed.fire(ctx.getCurrentKey(), tick, state(), timers(ctx.timerService()), found::add);
    if (!found.isEmpty()) {
      long now = Timestamps.fromInstant(Instant.now());
      Correlator c = keyed.correlator();
      for (Correlator.Match m : found) {
        out.collect(JSON.writeValueAsString(StreamingCorrelations.alert(m, now)));
        if (c.listensTo(Correlator.key(m.rule()))) {
          keyed.route(
              c.chained(m),
              (lvl, k, s) -> {
                if (lvl > level && lvl <= levels) {
                  ctx.output(chainedOutputs[lvl], Tuple2.of(k, SignalCodec.encode(s)));
                }
              });
        }
      }
    }
  }

  @Override
  public void processBroadcastElement(
      Tuple2<String, String> update, Context ctx, Collector<String> out) throws Exception {
    var state = ctx.getBroadcastState(DetectionJob.RULES);
    if (!update.f1.isEmpty() && Detect.load(Map.of(update.f0, update.f1)).loaded() == 0) {
      return; // refused: Detect counts it
    }
    state.put(update.f0, update.f1);
    Map<String, String> rules = new HashMap<>(startRules);
    for (var e : state.entries()) {
      Detect.apply(rules, e.getKey(), e.getValue());
    }
    compile(rules);
  }

  private KeyedCorrelations.State state() {
    return new KeyedCorrelations.State() {
      @Override
      public List<Correlator.Signal> window() {
        try {
          return SignalCodec.decode(window.value());
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }

      @Override
      public void window(List<Correlator.Signal> signals) {
        try {
          if (signals.isEmpty()) {
            window.clear();
          } else {
            window.update(SignalCodec.encode(signals));
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }

      @Override
      public void buffer(long tick, Correlator.Signal s) {
        try {
          List<Correlator.Signal> held = new ArrayList<>(SignalCodec.decode(waiting.get(tick)));
          held.add(s);
          waiting.put(tick, SignalCodec.encode(held));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }

      @Override
      public List<Correlator.Signal> takeBuffered(long tick) {
        try {
          byte[] b = waiting.get(tick);
          if (b == null) {
            return List.of();
          }
          waiting.remove(tick);
          return SignalCodec.decode(b);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    };
  }

  private static KeyedCorrelations.Timers timers(
      org.apache.flink.streaming.api.TimerService service) {
    return new KeyedCorrelations.Timers() {
      @Override
      public void at(long tick) {
        service.registerEventTimeTimer(tick);
      }

      @Override
      public long watermark() {
        return service.currentWatermark();
      }
    };
  }
}
