package dev.rampart.alerting.anomaly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.rampart.alerting.alert.Alert;
import dev.rampart.core.event.Event;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An entity's events per minute far above its own exponentially weighted mean (fires at mean + z
 * standard deviations, and only above a floor so that quiet entities do not alert on a handful).
 */
final class SpikeWatch implements Watch {
  private static final long MINUTE = 60_000_000_000L;
  private final Anomalies.Spike d;
  private final Shared shared;
  // tenant -> entity -> [minute, count, mean, variance, minutes seen, fired this minute]
  private final Entities<double[]> stats;

  SpikeWatch(Anomalies.Spike d, Shared shared) {
    this.d = d;
    this.shared = shared;
    this.stats = new Entities<>(d.maxEntities(), shared);
  }

  private static double[] fresh() {
    return new double[] {Double.NaN, 0, 0, 0, 0, 0};
  }

  @Override
  public String name() {
    return d.name();
  }

  @Override
  public void observe(Event e, long offset, List<Alert> out) {
    String entity = Shared.first(e, d.entity());
    if (entity == null) {
      entity = e.source().host().isEmpty() ? null : e.source().host();
    }
    if (entity == null) {
      return;
    }
    long minute = Math.floorDiv(e.timestamp(), MINUTE);
    double[] s = stats.get(shared.tenant(e), entity, SpikeWatch::fresh);
    if (Double.isNaN(s[0])) {
      s[0] = minute; // a new entity: its first minute
    }
    if (minute > s[0]) {
      // close the minute (and the empty ones since, at most an hour of them) into the baseline
      long gap = Math.min(60, (long) (minute - s[0]));
      for (long k = 0; k < gap; k++) {
        double x = k == 0 ? s[1] : 0;
        double diff = x - s[2];
        s[2] += d.alpha() * diff;
        s[3] = (1 - d.alpha()) * (s[3] + d.alpha() * diff * diff);
        s[4]++;
      }
      s[0] = minute;
      s[1] = 0;
      s[5] = 0;
    } else if (minute < s[0]) {
      return; // late: the minute is closed
    }
    s[1]++;
    double threshold = s[2] + d.z() * Math.sqrt(s[3]);
    if (s[5] == 0 && s[4] >= d.warmupMinutes() && s[1] >= d.minCount() && s[1] > threshold) {
      s[5] = 1; // once per minute
      Map<String, List<String>> matched = new LinkedHashMap<>();
      matched.put(d.entity().get(0), List.of(entity));
      matched.put(
          "baseline",
          List.of(
              String.format(
                  Locale.ROOT,
                  "%d events this minute; usual %.1f ± %.1f per minute over %d minutes (threshold %.1f)",
                  (long) s[1],
                  s[2],
                  Math.sqrt(s[3]),
                  (long) s[4],
                  threshold)));
      out.add(
          shared.alert(
              d.name(),
              d.title() + ": " + entity,
              d.level(),
              e,
              offset,
              entity + ":" + minute,
              matched,
              entity,
              null));
    }
  }

  @Override
  public JsonNode save() {
    return stats.save(
        s -> {
          ArrayNode a = JsonNodeFactory.instance.arrayNode();
          for (double x : s) {
            a.add(x);
          }
          return a;
        });
  }

  @Override
  public void load(JsonNode state) {
    stats.load(
        state,
        a -> {
          double[] s = fresh();
          for (int i = 0; i < s.length && i < a.size(); i++) {
            s[i] = a.get(i).isNumber() ? a.get(i).asDouble() : Double.NaN;
          }
          return s;
        });
  }
}
