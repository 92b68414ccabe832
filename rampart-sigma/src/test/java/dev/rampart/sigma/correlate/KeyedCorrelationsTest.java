package dev.rampart.sigma.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.sigma.load.RuleLoader;
import dev.rampart.sigma.load.RuleSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The keyed form against the single-node correlator as reference: random streams, out of order
 * within the lateness, through every correlation type (lower and upper bounds, exact values), on a
 * small host that does what Flink does with keyed state and event-time timers. The matches must be
 * the same, window for window. A disagreement prints the seed.
 */
class KeyedCorrelationsTest {
  static final long MS = 1_000_000L;
  static final long S = 1000 * MS;

  static final String RULES =
      CorrelatorTest.BASE
          + """
          ---
          title: count at least
          id: c0000000-0000-4000-8000-000000000001
          correlation: {type: event_count, rules: [failed], group-by: [user], timespan: 10s,
            condition: {gte: 3}}
          ---
          title: count between
          id: c0000000-0000-4000-8000-000000000002
          correlation: {type: event_count, rules: [failed], group-by: [user, host], timespan: 8s,
            condition: {gte: 2, lte: 3}}
          ---
          title: count exactly
          id: c0000000-0000-4000-8000-000000000003
          correlation: {type: event_count, rules: [success], group-by: [host], timespan: 5s,
            condition: {eq: 2}}
          ---
          title: distinct users
          id: c0000000-0000-4000-8000-000000000004
          correlation: {type: value_count, rules: [failed], group-by: [host], timespan: 20s,
            condition: {field: user, gte: 3}}
          ---
          title: all three
          id: c0000000-0000-4000-8000-000000000005
          correlation: {type: temporal, rules: [failed, success, process], group-by: [host],
            timespan: 15s}
          ---
          title: in order
          id: c0000000-0000-4000-8000-000000000006
          correlation: {type: temporal_ordered, rules: [failed, success], group-by: [user],
            timespan: 12s}
          ---
          title: sum
          id: c0000000-0000-4000-8000-000000000007
          correlation: {type: value_sum, rules: [process], group-by: [host], timespan: 30s,
            condition: {field: bytes, gt: 2000}}
          ---
          title: average
          id: c0000000-0000-4000-8000-000000000008
          correlation: {type: value_avg, rules: [process], group-by: [user], timespan: 20s,
            condition: {field: bytes, gte: 100, lt: 400}}
          ---
          title: percentile
          id: c0000000-0000-4000-8000-000000000009
          correlation: {type: value_percentile, rules: [process], group-by: [host], timespan: 25s,
            condition: {field: bytes, percentile: 90, gte: 900}}
          ---
          title: median
          id: c0000000-0000-4000-8000-00000000000a
          correlation: {type: value_median, rules: [process], group-by: [host], timespan: 15s,
            condition: {field: bytes, lte: 300}}
          ---
          title: chained on a lower bound
          id: c0000000-0000-4000-8000-0000000000b1
          correlation: {type: event_count, rules: [c0000000-0000-4000-8000-000000000001],
            group-by: [user], timespan: 30s, condition: {gte: 2}}
          ---
          title: chained on an upper bound, with a rule
          id: c0000000-0000-4000-8000-0000000000b2
          correlation: {type: temporal, rules: [c0000000-0000-4000-8000-000000000002, process],
            group-by: [host], timespan: 20s}
          ---
          title: chained on an exact value, distinct users
          id: c0000000-0000-4000-8000-0000000000b3
          correlation: {type: value_count, rules: [c0000000-0000-4000-8000-000000000003],
            group-by: [host], timespan: 60s, condition: {field: user, gte: 2}}
          ---
          title: third level
          id: c0000000-0000-4000-8000-0000000000b4
          correlation: {type: event_count, rules: [c0000000-0000-4000-8000-0000000000b2],
            group-by: [host], timespan: 90s, condition: {gte: 2}}
          """;

  static RuleSet rules() {
    RuleSet set = new RuleLoader().addText("keyed.yml", RULES).build();
    assertThat(set.errors()).isEmpty();
    return set;
  }

  @Test
  void sameMatchesAsTheSingleNodeCorrelatorOnRandomStreams() {
    long seed = new Random().nextLong();
    System.out.printf("keyed correlations: seed %d%n", seed);
    Random random = new Random(seed);
    RuleSet set = rules();
    for (int round = 0; round < 40; round++) {
      long lateness = (1 + random.nextInt(5)) * S;
      List<Correlator.Signal> stream = stream(random, 400 + random.nextInt(600), lateness);
      Correlator reference = new Correlator(set.correlations(), set.rules(), opts(Long.MAX_VALUE));
      List<String> expected = new ArrayList<>();
      for (Correlator.Signal s : stream) {
        reference.accept(s, m -> expected.add(describe(m)));
      }
      reference.finish(m -> expected.add(describe(m)));
      Host host =
          new Host(
              new KeyedCorrelations(
                  new Correlator(set.correlations(), set.rules(), opts(lateness))),
              3);
      List<String> got = host.run(stream, lateness);
      assertThat(host.late).as("seed %d round %d: late", seed, round).isZero();
      assertThat(got)
          .as("seed %d round %d", seed, round)
          .containsExactlyInAnyOrderElementsOf(expected);
      assertThat(expected).as("the round exercises something").isNotEmpty();
      for (String t : List.of("lower bound", "upper bound", "exact value", "third level")) {
        chains.merge(t, expected.stream().filter(x -> x.contains(t)).count(), Long::sum);
      }
    }
    System.out.printf("keyed correlations: chained matches over the rounds %s%n", chains);
    assertThat(chains.values()).as("every chain fires in some round").allMatch(n -> n > 0);
  }

  final Map<String, Long> chains = new TreeMap<>();

  @Test
  void levelsCountFromTheRulesAndDeeperOnesAreSaid() {
    RuleSet set = rules();
    KeyedCorrelations k =
        new KeyedCorrelations(new Correlator(set.correlations(), set.rules(), opts(S)));
    assertThat(k.correlator().levels()).isEqualTo(3);
    assertThat(k.unsupported(3)).isEmpty();
    assertThat(k.unsupported(2)).containsExactly("third level (level 3)");
    assertThat(k.atLevel(2).level()).isEqualTo(2);
  }

  @Test
  void aSignalBehindTheWatermarkIsLateAndRefused() {
    RuleSet set = rules();
    KeyedCorrelations k =
        new KeyedCorrelations(new Correlator(set.correlations(), set.rules(), opts(S)));
    Host.KeyState st = new Host.KeyState();
    Correlator.Signal s = CorrelatorTest.sig("1", 5, "user", "a", "host", "h");
    KeyedCorrelations.Timers at10s =
        new KeyedCorrelations.Timers() {
          @Override
          public void at(long tick) {}

          @Override
          public long watermark() {
            return 10_000;
          }
        };
    assertThat(k.offer(s, st, at10s)).isFalse();
    assertThat(st.buffered).isEmpty();
  }

  @Test
  void signalsSurviveTheirEncoding() {
    var s = CorrelatorTest.sig("1", 5, "user", "ä b", "host", "h");
    var t = new Correlator.Signal("x", -3, Map.of(), null);
    assertThat(SignalCodec.decode(SignalCodec.encode(List.of(s, t)))).containsExactly(s, t);
    byte[] b = SignalCodec.encode(s);
    b[0] = 9;
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SignalCodec.decode(b))
        .hasMessageContaining("version 9");
  }

  static Correlator.Options opts(long lateness) {
    return new Correlator.Options(1_000_000, 100_000, lateness, null);
  }

  /**
   * Signals of the three base rules over a few users and hosts, a few seconds apart (sometimes at
   * the same nanosecond), delivered out of order by less than the lateness; refs are spool-like
   * offsets in time order, as the platform's are.
   */
  static List<Correlator.Signal> stream(Random r, int n, long lateness) {
    List<Correlator.Signal> inOrder = new ArrayList<>();
    long t = 1_000 * S;
    for (int i = 0; i < n; i++) {
      if (r.nextInt(5) != 0) {
        t += r.nextInt(3) == 0 ? r.nextLong(3 * S) : r.nextLong(MS);
      }
      String rule = String.valueOf(1 + r.nextInt(3));
      Map<String, String> f = new HashMap<>();
      f.put("user", "u" + r.nextInt(3));
      if (r.nextInt(20) != 0) { // sometimes no group-by value
        f.put("host", r.nextBoolean() ? "H" + r.nextInt(2) : "h" + r.nextInt(2));
      }
      f.put("bytes", r.nextInt(10) == 0 ? "n/a" : String.valueOf(r.nextInt(1000)));
      inOrder.add(
          new Correlator.Signal(
              "00000000-0000-4000-8000-00000000000" + rule, t, f, String.valueOf(i)));
    }
    // deliver out of order: each signal may overtake others less than the lateness older than it
    List<Correlator.Signal> out = new ArrayList<>(inOrder);
    for (int i = 1; i < out.size(); i++) {
      int j = i;
      while (j > 0
          && r.nextInt(3) == 0
          && out.get(j).time() - out.get(j - 1).time() < lateness / 2
          // equal times stay in spool order, as the platform delivers them
          && out.get(j - 1).time() < out.get(j).time()) {
        var x = out.get(j);
        out.set(j, out.get(j - 1));
        out.set(j - 1, x);
        j--;
      }
    }
    return out;
  }

  static String describe(Correlator.Match m) {
    return m.rule().title()
        + " "
        + new TreeMap<>(m.group())
        + " "
        + m.first()
        + ".."
        + m.last()
        + " = "
        + m.value()
        + " "
        + m.refs();
  }

  /**
   * What Flink does for the job's keyed process functions, in a few lines: one operator per
   * correlation level, each with state and timers per key and its own watermark; the watermark at
   * the newest time minus the lateness, passed level by level, each firing its timers before the
   * next level gets it, so that a level's firings (signals for the next levels) arrive before that
   * watermark, as records do in Flink; an end-of-input watermark fires them all.
   */
  static final class Host {
    final Correlator correlator;
    final Level[] levels;
    long late;
    long skipped;
    final List<String> out = new ArrayList<>();

    Host(KeyedCorrelations keyed, int levels) {
      this.correlator = keyed.correlator();
      this.levels = new Level[levels];
      for (int i = 0; i < levels; i++) {
        this.levels[i] = new Level(keyed.atLevel(i + 1));
      }
    }

    static final class KeyState implements KeyedCorrelations.State {
      List<Correlator.Signal> window = List.of();
      final TreeMap<Long, List<Correlator.Signal>> buffered = new TreeMap<>();

      @Override
      public List<Correlator.Signal> window() {
        return window;
      }

      @Override
      public void window(List<Correlator.Signal> signals) {
        window = List.copyOf(signals);
      }

      @Override
      public void buffer(long tick, Correlator.Signal s) {
        buffered.computeIfAbsent(tick, x -> new ArrayList<>()).add(s);
      }

      @Override
      public List<Correlator.Signal> takeBuffered(long tick) {
        List<Correlator.Signal> l = buffered.remove(tick);
        return l == null ? List.of() : l;
      }
    }

    /** One level's operator. */
    final class Level {
      final KeyedCorrelations keyed;
      final Map<String, KeyState> states = new HashMap<>();
      final TreeSet<Map.Entry<Long, String>> timers =
          new TreeSet<>(
              Map.Entry.<Long, String>comparingByKey().thenComparing(Map.Entry.comparingByValue()));
      long watermark = Long.MIN_VALUE;

      Level(KeyedCorrelations keyed) {
        this.keyed = keyed;
      }

      KeyedCorrelations.Timers timersOf(String key) {
        return new KeyedCorrelations.Timers() {
          @Override
          public void at(long tick) {
            timers.add(Map.entry(tick, key));
          }

          @Override
          public long watermark() {
            return watermark;
          }
        };
      }

      void offer(String key, Correlator.Signal s) {
        if (!keyed.offer(s, states.computeIfAbsent(key, k -> new KeyState()), timersOf(key))) {
          late++;
        }
      }

      void advance(long to) {
        if (to <= watermark) {
          return;
        }
        watermark = to;
        while (!timers.isEmpty() && timers.first().getKey() <= to) {
          var t = timers.pollFirst();
          keyed.fire(
              t.getValue(),
              t.getKey(),
              states.get(t.getValue()),
              timersOf(t.getValue()),
              m -> {
                out.add(describe(m));
                route(correlator.chained(m));
              });
        }
      }
    }

    void route(Correlator.Signal s) {
      levels[0].keyed.route(
          s,
          (level, key, sig) -> {
            if (level > levels.length) {
              skipped++;
            } else {
              levels[level - 1].offer(key, sig);
            }
          });
    }

    List<String> run(List<Correlator.Signal> stream, long lateness) {
      long newest = Long.MIN_VALUE;
      for (Correlator.Signal s : stream) {
        route(s);
        newest = Math.max(newest, s.time());
        // Flink's bounded out-of-orderness: newest - lateness - 1, in ticks
        advance(KeyedCorrelations.tick(newest - lateness) - 1);
      }
      advance(Long.MAX_VALUE);
      return out;
    }

    void advance(long to) {
      for (Level l : levels) {
        l.advance(to);
      }
    }
  }
}
