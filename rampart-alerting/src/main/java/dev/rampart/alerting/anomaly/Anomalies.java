package dev.rampart.alerting.anomaly;

import dev.rampart.alerting.alert.Alert;
import dev.rampart.alerting.alert.AlertBuilder;
import dev.rampart.core.event.Event;
import dev.rampart.core.event.EventSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Explainable anomalies on the detector's pass, each alert carrying the baseline that made the
 * event unusual:
 *
 * <ul>
 *   <li>first seen: a value never seen for an entity (a user's new source address, a host's new
 *       process, a new service), after a learning period during which values are only learnt;
 *   <li>volume spike: an entity's events per minute far above its own moving average (an
 *       exponentially weighted mean and variance; fires at mean + z standard deviations).
 * </ul>
 *
 * State is bounded per detector (least recently active entities are evicted, counted) and kept in
 * memory: a restart starts learning again. One instance per detector thread.
 */
public final class Anomalies {
  /**
   * A first-seen detector: events that have {@code entity} and {@code value} (the first present of
   * each list of field names) and, when {@code only} is set, field {@code only[0]} equal to {@code
   * only[1]}.
   */
  public record FirstSeen(
      String name,
      String title,
      List<String> entity,
      List<String> value,
      String[] only,
      Duration learn,
      int maxEntities,
      int maxValuesPerEntity,
      String level) {}

  /** A volume-spike detector on the events per minute of each {@code entity}. */
  public record Spike(
      String name,
      String title,
      List<String> entity,
      double z,
      long minCount,
      double alpha,
      int warmupMinutes,
      int maxEntities,
      String level) {}

  /** The detectors Rampart runs by default. */
  public static final List<FirstSeen> FIRST_SEEN =
      List.of(
          new FirstSeen(
              "new-logon-source",
              "First logon from this address for the user",
              List.of("user.name", "TargetUserName"),
              List.of("source.ip", "IpAddress"),
              new String[] {"EventID", "4624"},
              Duration.ofHours(24),
              100_000,
              64,
              "low"),
          new FirstSeen(
              "new-process-on-host",
              "First run of this program on the host",
              List.of("host.name", "Computer"),
              List.of("process.executable", "Image"),
              null,
              Duration.ofHours(24),
              50_000,
              512,
              "informational"),
          new FirstSeen(
              "new-service",
              "A service never installed before on the host",
              List.of("host.name", "Computer"),
              List.of("ServiceName", "winlog.event_data.ServiceName"),
              new String[] {"EventID", "7045"},
              Duration.ofHours(24),
              50_000,
              256,
              "medium"));

  public static final List<Spike> SPIKES =
      List.of(
          new Spike(
              "event-volume-spike",
              "Event volume far above the host's usual rate",
              List.of("host.name", "Computer"),
              6.0,
              200,
              0.05,
              30,
              50_000,
              "low"));

  private final List<FirstSeenState> firstSeen = new ArrayList<>();
  private final List<SpikeState> spikes = new ArrayList<>();
  private final Function<EventSource, String> tenantOf;
  private long evicted;

  public Anomalies(
      List<FirstSeen> firstSeen, List<Spike> spikes, Function<EventSource, String> tenantOf) {
    firstSeen.forEach(f -> this.firstSeen.add(new FirstSeenState(f)));
    spikes.forEach(s -> this.spikes.add(new SpikeState(s)));
    this.tenantOf = tenantOf;
  }

  /** Entities evicted to keep state bounded. */
  public long evicted() {
    return evicted;
  }

  private static String first(Event e, List<String> fields) {
    for (String f : fields) {
      String v = e.getText(f);
      if (v != null && !v.isEmpty() && !v.equals("-")) {
        return v;
      }
    }
    return null;
  }

  /** Looks at one event (in spool order); anomalies go to {@code out}. */
  public void observe(Event e, long offset, List<Alert> out) {
    for (FirstSeenState f : firstSeen) {
      f.observe(e, offset, out);
    }
    for (SpikeState s : spikes) {
      s.observe(e, offset, out);
    }
  }

  private Alert alert(
      String name,
      String title,
      String level,
      Event e,
      long offset,
      String key,
      Map<String, List<String>> matched,
      String host,
      String user) {
    String tenant = tenantOf.apply(e.source());
    return new Alert(
        "anomaly:" + name + ":" + key + "@" + offset,
        "anomaly:" + name,
        title,
        level,
        List.of("anomaly"),
        List.of(),
        List.of(offset),
        e.timestamp(),
        System.currentTimeMillis() * 1_000_000,
        matched,
        withHostAndUser(AlertBuilder.entities(e), host, user),
        tenant);
  }

  /** The event's source address and process, with the host and user the detector names. */
  private static Alert.Entities withHostAndUser(Alert.Entities x, String host, String user) {
    return new Alert.Entities(host, user, x.sourceIp(), x.process());
  }

  /**
   * Per-entity state in one map per tenant, at most {@code max} entities in all (the least recently
   * active of the tenant at hand is evicted, counted): no key is built per event.
   */
  private final class Entities<V> {
    final int max;
    final Map<String, LinkedHashMap<String, V>> byTenant = new HashMap<>();
    int size;

    Entities(int max) {
      this.max = max;
    }

    V get(String tenant, String entity, java.util.function.Supplier<V> fresh) {
      LinkedHashMap<String, V> m =
          byTenant.computeIfAbsent(tenant, t -> new LinkedHashMap<>(16, 0.75f, true));
      String k = entity.toLowerCase(Locale.ROOT); // the same string when already lower-case
      V v = m.get(k);
      if (v == null) {
        if (size >= max && !m.isEmpty()) {
          var it = m.entrySet().iterator();
          it.next();
          it.remove();
          size--;
          evicted++;
        }
        v = fresh.get();
        m.put(k, v);
        size++;
      }
      return v;
    }
  }

  private final class FirstSeenState {
    final FirstSeen d;
    long startedAt = Long.MIN_VALUE;
    // tenant -> entity (lower-cased) -> values seen
    final Entities<Set<String>> seen;

    FirstSeenState(FirstSeen d) {
      this.d = d;
      this.seen = new Entities<>(d.maxEntities());
    }

    void observe(Event e, long offset, List<Alert> out) {
      if (d.only() != null && !d.only()[1].equals(e.getText(d.only()[0]))) {
        return;
      }
      String entity = first(e, d.entity());
      String value = first(e, d.value());
      if (entity == null || value == null) {
        return;
      }
      if (startedAt == Long.MIN_VALUE) {
        startedAt = e.timestamp();
      }
      Set<String> values = seen.get(tenantOf.apply(e.source()), entity, HashSet::new);
      String v = value.toLowerCase(Locale.ROOT);
      if (values.contains(v)) {
        return;
      }
      boolean learning = e.timestamp() - startedAt < d.learn().toNanos();
      if (!learning && !values.isEmpty()) {
        Map<String, List<String>> matched = new LinkedHashMap<>();
        matched.put(d.entity().get(0), List.of(entity));
        matched.put(d.value().get(0), List.of(value));
        List<String> known = values.stream().sorted().limit(10).toList();
        matched.put(
            "baseline",
            List.of(
                values.size()
                    + " value(s) seen before"
                    + (known.isEmpty() ? "" : ": " + String.join(", ", known))
                    + (values.size() > 10 ? ", …" : "")));
        boolean hostEntity = d.entity().get(0).startsWith("host");
        out.add(
            alert(
                d.name(),
                d.title() + ": " + value + " (" + entity + ")",
                d.level(),
                e,
                offset,
                entity + ":" + value,
                matched,
                hostEntity ? entity : first(e, List.of("host.name", "Computer")),
                hostEntity ? first(e, List.of("user.name", "TargetUserName")) : entity));
      }
      if (values.size() < d.maxValuesPerEntity()) {
        values.add(v);
      }
    }
  }

  private final class SpikeState {
    final Spike d;
    // tenant -> entity -> [minute, count, mean, variance, minutes seen, fired this minute]
    final Entities<double[]> stats;

    static double[] fresh() {
      return new double[] {Double.NaN, 0, 0, 0, 0, 0};
    }

    SpikeState(Spike d) {
      this.d = d;
      this.stats = new Entities<>(d.maxEntities());
    }

    void observe(Event e, long offset, List<Alert> out) {
      String entity = first(e, d.entity());
      if (entity == null) {
        entity = e.source().host().isEmpty() ? null : e.source().host();
      }
      if (entity == null) {
        return;
      }
      long minute = Math.floorDiv(e.timestamp(), 60_000_000_000L);
      double[] s = stats.get(tenantOf.apply(e.source()), entity, SpikeState::fresh);
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
            alert(
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
  }
}
