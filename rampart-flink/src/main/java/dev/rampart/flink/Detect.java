package dev.rampart.flink;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.alerting.alert.Alert;
import dev.rampart.alerting.alert.AlertBuilder;
import dev.rampart.alerting.correlate.StreamingCorrelations;
import dev.rampart.core.event.Event;
import dev.rampart.core.event.Timestamps;
import dev.rampart.ingest.spool.EventCodec;
import dev.rampart.sigma.Sigma;
import dev.rampart.sigma.compile.SigmaEngine;
import dev.rampart.sigma.correlate.Correlator;
import dev.rampart.sigma.correlate.SignalCodec;
import dev.rampart.sigma.load.RuleLoader;
import dev.rampart.sigma.load.RuleSet;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The single-node detector's per-event step as a Flink operator: decode, match with the compiled
 * engine, build each alert with the same builder (so ids and contents agree). The engine is built
 * from the start rules plus the broadcast state, again after each rule update, and lazily after a
 * restore; an update whose rule does not load is refused (counted) and the previous set stays.
 * Matches of rules that correlations reference also become signals, routed to their correlation
 * keys on a side output for {@link Correlate}.
 */
final class Detect
    extends BroadcastProcessFunction<Tuple2<Long, byte[]>, Tuple2<String, String>, String> {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Events that cannot be decoded, with the reason (JSON), for the dead-letter topic. */
  static final org.apache.flink.util.OutputTag<String> DEAD_LETTERS =
      new org.apache.flink.util.OutputTag<>(
          "dead-letters", org.apache.flink.api.common.typeinfo.Types.STRING);

  /**
   * Correlation signals for the correlations of level {@code level} (1: of rules only; a chain's
   * correlation is one more than those it references): (correlation and group key, the signal in
   * {@link SignalCodec}'s encoding), with the event's time as the record's timestamp.
   */
  static org.apache.flink.util.OutputTag<Tuple2<String, byte[]>> signals(int level) {
    return new org.apache.flink.util.OutputTag<>("signals-" + level, DetectionJob.SIGNAL);
  }

  private final HashMap<String, String> startRules;
  private final int levels;
  private transient org.apache.flink.util.OutputTag<Tuple2<String, byte[]>>[] outputs;
  private transient SigmaEngine engine;
  private transient dev.rampart.sigma.compile.SigmaMatcher matcher;
  private transient AlertBuilder builder;
  private transient dev.rampart.sigma.correlate.KeyedCorrelations keyed;
  private transient dev.rampart.sigma.correlate.Correlator correlator;
  private transient Event event;
  private transient Counter undecodable;
  private transient Counter refusedRules;

  /** With the correlation levels the job runs (signals for deeper ones are dropped). */
  Detect(HashMap<String, String> startRules, int levels) {
    this.startRules = startRules;
    this.levels = levels;
  }

  @Override
  @SuppressWarnings("unchecked")
  public void open(org.apache.flink.api.common.functions.OpenContext ctx) {
    outputs = new org.apache.flink.util.OutputTag[levels + 1];
    for (int l = 1; l <= levels; l++) {
      outputs[l] = signals(l);
    }
    event = new Event();
    undecodable = getRuntimeContext().getMetricGroup().counter("rampart_undecodable_events");
    refusedRules = getRuntimeContext().getMetricGroup().counter("rampart_refused_rule_updates");
  }

  private void compile(Map<String, String> rules) {
    RuleSet set = load(rules);
    engine = Sigma.compile(set);
    matcher = engine.newMatcher();
    builder = new AlertBuilder(engine.mapping());
    keyed = Correlate.keyed(set, 0);
    correlator = keyed.correlator();
  }

  static RuleSet load(Map<String, String> rules) {
    RuleLoader l = new RuleLoader();
    rules.forEach(l::addText);
    return l.build();
  }

  @Override
  public void processElement(Tuple2<Long, byte[]> in, ReadOnlyContext ctx, Collector<String> out)
      throws Exception {
    if (engine == null) { // first element, or after a restore
      Map<String, String> rules = new HashMap<>(startRules);
      ReadOnlyBroadcastState<String, String> state = ctx.getBroadcastState(DetectionJob.RULES);
      for (var e : state.immutableEntries()) {
        apply(rules, e.getKey(), e.getValue());
      }
      compile(rules);
    }
    try {
      EventCodec.decode(in.f1, 0, in.f1.length, event);
    } catch (RuntimeException bad) {
      undecodable.inc();
      ctx.output(
          DEAD_LETTERS,
          JSON.writeValueAsString(
              Map.of(
                  "id", in.f0,
                  "reason", String.valueOf(bad.getMessage()),
                  "data", java.util.Base64.getEncoder().encodeToString(in.f1))));
      return;
    }
    int n = matcher.match(event);
    if (n == 0) {
      return;
    }
    long now = Timestamps.fromInstant(Instant.now());
    for (int i = 0; i < n; i++) {
      var rule = engine.rule(matcher.matched(i));
      String key = Correlator.key(rule);
      if (correlator.listensTo(key)) {
        keyed.route(
            StreamingCorrelations.signalOf(correlator, rule, event, in.f0, Alert.DEFAULT_TENANT),
            (level, k, s) -> {
              if (level <= levels) { // deeper: Correlate says it is not run
                ctx.output(outputs[level], Tuple2.of(k, SignalCodec.encode(s)));
              }
            });
        if (correlator.silenced(key)) {
          continue; // it only feeds correlations (generate: false)
        }
      }
      out.collect(JSON.writeValueAsString(builder.build(rule, event, in.f0, now)));
    }
  }

  @Override
  public void processBroadcastElement(
      Tuple2<String, String> update, Context ctx, Collector<String> out) throws Exception {
    BroadcastState<String, String> state = ctx.getBroadcastState(DetectionJob.RULES);
    if (!update.f1.isEmpty() && load(Map.of(update.f0, update.f1)).loaded() == 0) {
      refusedRules.inc(); // a bad rule update: the previous rules stay
      return;
    }
    state.put(update.f0, update.f1);
    Map<String, String> rules = new HashMap<>(startRules);
    for (var e : state.entries()) {
      apply(rules, e.getKey(), e.getValue());
    }
    compile(rules);
  }

  static void apply(Map<String, String> rules, String id, String yaml) {
    if (yaml.isEmpty()) {
      rules.remove(id); // a tombstone: the rule is gone
    } else {
      rules.put(id, yaml);
    }
  }
}
