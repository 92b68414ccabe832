package dev.rampart.sigma.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.sigma.load.RuleLoader;
import dev.rampart.sigma.load.RuleSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The correlation semantics, including the traps other engines fell into: groups that must never
 * combine, order in temporal_ordered at every position, events exactly on the window's edge,
 * out-of-order arrival, conditions with an upper bound, aliases, chaining and generate.
 */
class CorrelatorTest {
  static final long S = 1_000_000_000L;

  static final String BASE =
      """
      title: failed
      id: 00000000-0000-4000-8000-000000000001
      name: failed
      logsource: {product: windows, service: security}
      detection: {sel: {EventID: 4625}, condition: sel}
      ---
      title: success
      id: 00000000-0000-4000-8000-000000000002
      name: success
      logsource: {product: windows, service: security}
      detection: {sel: {EventID: 4624}, condition: sel}
      ---
      title: process
      id: 00000000-0000-4000-8000-000000000003
      name: process
      logsource: {product: windows, category: process_creation}
      detection: {sel: {Image|endswith: '.exe'}, condition: sel}
      """;

  static Correlator correlator(String correlation, Correlator.Options o) {
    RuleSet set = new RuleLoader().addText("t.yml", BASE + "---\n" + correlation).build();
    assertThat(set.errors()).isEmpty();
    return new Correlator(set.correlations(), set.rules(), o);
  }

  static Correlator.Signal sig(String rule, long seconds, String... kv) {
    Map<String, String> f = new java.util.LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      f.put(kv[i], kv[i + 1]);
    }
    return new Correlator.Signal(
        "00000000-0000-4000-8000-00000000000" + rule, seconds * S, f, rule + "@" + seconds);
  }

  static List<Correlator.Match> run(Correlator c, List<Correlator.Signal> signals) {
    List<Correlator.Match> out = new ArrayList<>();
    for (Correlator.Signal s : signals) {
      c.accept(s, out::add);
    }
    c.finish(out::add);
    return out;
  }

  static final String COUNT =
      """
      title: many failures
      id: 00000000-0000-4000-8000-0000000000c1
      correlation:
        type: event_count
        rules: [failed]
        group-by: [TargetUserName]
        timespan: 10s
        condition: {gte: 3}
      level: high
      """;

  @Test
  void groupsNeverCombineAndCompareWithoutCase() {
    Correlator c = correlator(COUNT, Correlator.Options.BATCH);
    var out =
        run(
            c,
            List.of(
                sig("1", 0, "TargetUserName", "alice"),
                sig("1", 1, "TargetUserName", "bob"),
                sig("1", 2, "TargetUserName", "ALICE"),
                sig("1", 3, "TargetUserName", "bob"),
                sig("1", 4, "OtherField", "x"), // no group value: not a signal here
                sig("1", 5, "TargetUserName", "Alice")));
    assertThat(out).hasSize(1);
    assertThat(out.get(0).group()).containsEntry("TargetUserName", "alice");
    assertThat(out.get(0).first()).isEqualTo(0);
    assertThat(out.get(0).last()).isEqualTo(5 * S);
    assertThat(out.get(0).refs()).containsExactly("1@0", "1@2", "1@5");
    assertThat(c.silenced("00000000-0000-4000-8000-000000000001")).isTrue(); // generate: false
  }

  @Test
  void theWindowIncludesBothEdgesAndSlides() {
    Correlator c = correlator(COUNT, Correlator.Options.BATCH);
    // exactly 10 s from first to last: inside
    assertThat(
            run(
                c,
                List.of(
                    sig("1", 0, "TargetUserName", "a"),
                    sig("1", 5, "TargetUserName", "a"),
                    sig("1", 10, "TargetUserName", "a"))))
        .hasSize(1);
    // one nanosecond more: the first leaves the window, the next two and a fourth fire later
    Correlator d = correlator(COUNT, Correlator.Options.BATCH);
    List<Correlator.Signal> s = new ArrayList<>();
    s.add(sig("1", 0, "TargetUserName", "a"));
    s.add(sig("1", 5, "TargetUserName", "a"));
    s.add(
        new Correlator.Signal(
            "00000000-0000-4000-8000-000000000001",
            10 * S + 1,
            Map.of("TargetUserName", "a"),
            "late"));
    assertThat(run(d, s)).isEmpty();
    // a sliding window finds three within 10 s that fixed 10 s buckets would split (8, 12, 14)
    Correlator e = correlator(COUNT, Correlator.Options.BATCH);
    assertThat(
            run(
                e,
                List.of(
                    sig("1", 8, "TargetUserName", "a"),
                    sig("1", 12, "TargetUserName", "a"),
                    sig("1", 14, "TargetUserName", "a"))))
        .hasSize(1);
  }

  static final String ORDERED =
      """
      title: fail, succeed, run
      id: 00000000-0000-4000-8000-0000000000c2
      correlation:
        type: temporal_ordered
        rules: [failed, success, process]
        group-by: [host]
        timespan: 1m
      level: critical
      """;

  @Test
  void temporalOrderedNeedsEveryPositionInOrder() {
    List<String> order = List.of("1", "2", "3");
    // every permutation of three signals one second apart: only the listed order fires
    for (List<String> p : permutations(order)) {
      Correlator c = correlator(ORDERED, Correlator.Options.BATCH);
      List<Correlator.Signal> s = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        s.add(sig(p.get(i), i, "host", "ws1"));
      }
      assertThat(run(c, s)).as(p.toString()).hasSize(p.equals(order) ? 1 : 0);
    }
    // equal times count as ordered, whatever the arrival order
    Correlator c = correlator(ORDERED, Correlator.Options.BATCH);
    assertThat(
            run(
                c,
                List.of(
                    sig("3", 5, "host", "h"), sig("2", 5, "host", "h"), sig("1", 5, "host", "h"))))
        .hasSize(1);
    // in order but on two hosts: no
    Correlator d = correlator(ORDERED, Correlator.Options.BATCH);
    assertThat(
            run(
                d,
                List.of(
                    sig("1", 0, "host", "a"), sig("2", 1, "host", "b"), sig("3", 2, "host", "a"))))
        .isEmpty();
    // an out-of-order prefix before the real chain does not spoil it
    Correlator e = correlator(ORDERED, Correlator.Options.BATCH);
    assertThat(
            run(
                e,
                List.of(
                    sig("2", 0, "host", "a"),
                    sig("3", 1, "host", "a"),
                    sig("1", 2, "host", "a"),
                    sig("2", 3, "host", "a"),
                    sig("3", 4, "host", "a"))))
        .hasSize(1);
  }

  @Test
  void outOfOrderArrivalWithinTheLatenessGivesTheSameAnswer() {
    List<Correlator.Signal> sorted = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      sorted.add(sig("1", i * 2L, "TargetUserName", "u" + (i % 2)));
    }
    List<Correlator.Match> want = run(correlator(COUNT, Correlator.Options.BATCH), sorted);
    assertThat(want).isNotEmpty();
    long seed = new Random().nextLong();
    Random r = new Random(seed);
    // shuffle within blocks of five (at most 8 s out of order), lateness 10 s
    List<Correlator.Signal> shuffled = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i += 5) {
      List<Correlator.Signal> block =
          new ArrayList<>(sorted.subList(i, Math.min(sorted.size(), i + 5)));
      Collections.shuffle(block, r);
      shuffled.addAll(block);
    }
    Correlator streaming = correlator(COUNT, Correlator.Options.streaming(10 * S));
    assertThat(run(streaming, shuffled)).as("seed %d", seed).isEqualTo(want);
    assertThat(streaming.lateSignals()).isZero();
    // a signal later than the lateness is counted and dropped
    Correlator strict = correlator(COUNT, Correlator.Options.streaming(1 * S));
    List<Correlator.Match> out = new ArrayList<>();
    strict.accept(sig("1", 100, "TargetUserName", "a"), out::add);
    strict.accept(sig("1", 50, "TargetUserName", "a"), out::add);
    assertThat(strict.lateSignals()).isEqualTo(1);
  }

  @Test
  void anUpperBoundIsJudgedWhenTheWindowCloses() {
    String few =
        """
        title: a few failures only
        id: 00000000-0000-4000-8000-0000000000c3
        correlation:
          type: event_count
          rules: [failed]
          group-by: [TargetUserName]
          timespan: 10s
          condition: {gte: 2, lte: 3}
        """;
    // four in the window: the count passes 2..3 on the way but ends at 4: no match
    assertThat(
            run(
                correlator(few, Correlator.Options.BATCH),
                List.of(
                    sig("1", 0, "TargetUserName", "a"),
                    sig("1", 1, "TargetUserName", "a"),
                    sig("1", 2, "TargetUserName", "a"),
                    sig("1", 3, "TargetUserName", "a"))))
        .isEmpty();
    // two, then a third after the window closed: the first window (2) matches
    var out =
        run(
            correlator(few, Correlator.Options.BATCH),
            List.of(
                sig("1", 0, "TargetUserName", "a"),
                sig("1", 4, "TargetUserName", "a"),
                sig("1", 30, "TargetUserName", "a")));
    assertThat(out).hasSize(1);
    assertThat(out.get(0).value()).isEqualTo(2);
  }

  @Test
  void aQuietStreamIsJudgedWhenTheWatermarkAdvances() {
    String few =
        """
        title: exactly two
        id: 00000000-0000-4000-8000-0000000000c9
        correlation:
          type: event_count
          rules: [failed]
          group-by: [TargetUserName]
          timespan: 10s
          condition: {eq: 2}
        """;
    Correlator c = correlator(few, Correlator.Options.streaming(5 * S));
    List<Correlator.Match> out = new ArrayList<>();
    c.accept(sig("1", 0, "TargetUserName", "a"), out::add);
    c.accept(sig("1", 3, "TargetUserName", "a"), out::add);
    c.advance(9 * S, out::add);
    assertThat(out).isEmpty(); // the window is still open
    c.advance(11 * S, out::add);
    assertThat(out).hasSize(1);
    c.accept(sig("1", 10, "TargetUserName", "a"), out::add);
    assertThat(c.lateSignals()).isEqualTo(1); // behind the watermark now
  }

  @Test
  void valueTypesAliasesExpressionsAndChains() {
    String sum =
        """
        title: big transfer
        id: 00000000-0000-4000-8000-0000000000c4
        correlation:
          type: value_sum
          rules: [process]
          group-by: [host]
          timespan: 1h
          condition: {field: bytes, gt: 1000}
        """;
    var out =
        run(
            correlator(sum, Correlator.Options.BATCH),
            List.of(
                sig("3", 0, "host", "h", "bytes", "600"),
                sig("3", 1, "host", "h", "bytes", "x"),
                sig("3", 2, "host", "h", "bytes", "500")));
    assertThat(out).hasSize(1);
    assertThat(out.get(0).value()).isEqualTo(1100);
    String p90 =
        """
        title: slow
        id: 00000000-0000-4000-8000-0000000000c5
        correlation:
          type: value_percentile
          rules: [process]
          group-by: [host]
          timespan: 1h
          condition: {field: ms, percentile: 50, gte: 25}
        """;
    out =
        run(
            correlator(p90, Correlator.Options.BATCH),
            List.of(sig("3", 0, "host", "h", "ms", "10"), sig("3", 1, "host", "h", "ms", "40")));
    assertThat(out).hasSize(1);
    assertThat(out.get(0).value()).isEqualTo(25);
    // an alias reads a different field per rule; the groups match across the two rules
    String alias =
        """
        title: failed then succeeded from the same address
        id: 00000000-0000-4000-8000-0000000000c6
        correlation:
          type: temporal
          rules: [failed, success]
          group-by: [ip]
          aliases:
            ip: {failed: IpAddress, success: SourceAddress}
          timespan: 5m
        """;
    out =
        run(
            correlator(alias, Correlator.Options.BATCH),
            List.of(
                sig("1", 0, "IpAddress", "10.0.0.1"),
                sig("2", 10, "SourceAddress", "10.0.0.2"),
                sig("2", 20, "SourceAddress", "10.0.0.1")));
    assertThat(out).hasSize(1);
    assertThat(out.get(0).group()).containsEntry("ip", "10.0.0.1");
    // a boolean expression over rule names
    String expr =
        """
        title: failures without success
        id: 00000000-0000-4000-8000-0000000000c7
        correlation:
          type: temporal
          group-by: [host]
          timespan: 1m
          condition: "failed and not success"
        """;
    assertThat(
            run(
                correlator(expr, Correlator.Options.BATCH),
                List.of(sig("1", 0, "host", "a"), sig("2", 1, "host", "b"))))
        .hasSize(1);
    // chaining: many failures (inner) then a success (outer), the outer grouped by the user
    String chain =
        COUNT
            + """
            name: many_failed
            ---
            title: brute force then success
            id: 00000000-0000-4000-8000-0000000000c8
            correlation:
              type: temporal_ordered
              rules: [many_failed, success]
              group-by: [TargetUserName]
              timespan: 5m
              generate: true
            level: critical
            """;
    Correlator c = correlator(chain, Correlator.Options.BATCH);
    out =
        run(
            c,
            List.of(
                sig("1", 0, "TargetUserName", "bob"),
                sig("1", 1, "TargetUserName", "bob"),
                sig("1", 2, "TargetUserName", "bob"),
                sig("2", 30, "TargetUserName", "bob")));
    assertThat(out)
        .extracting(m -> m.rule().title())
        .containsExactly("many failures", "brute force then success");
    assertThat(c.silenced("00000000-0000-4000-8000-000000000002")).isFalse(); // generate: true
  }

  /**
   * An upper-bounded inner correlation is closed by the clock, not by a new signal of its group;
   * its match still feeds the outer one, at the window's end, in a stream and at a hunt's end.
   */
  @Test
  void aWindowTheClockClosesStillChains() {
    String chain =
        """
        title: a few failures
        id: 00000000-0000-4000-8000-0000000000d1
        name: few_failed
        correlation: {type: event_count, rules: [failed], group-by: [user], timespan: 10s,
          condition: {gte: 2, lte: 3}}
        ---
        title: repeatedly a few failures
        id: 00000000-0000-4000-8000-0000000000d2
        correlation: {type: event_count, rules: [few_failed], group-by: [user], timespan: 60s,
          condition: {gte: 2}}
        """;
    List<Correlator.Signal> signals =
        List.of(
            sig("1", 0, "user", "bob"),
            sig("1", 1, "user", "bob"),
            sig("1", 20, "user", "bob"),
            sig("1", 21, "user", "bob"),
            sig("3", 45, "host", "elsewhere")); // another rule's signal moves the clock on
    Correlator streaming = correlator(chain, Correlator.Options.streaming(0));
    assertThat(streaming.levels()).isEqualTo(2);
    List<Correlator.Match> out = new ArrayList<>();
    signals.forEach(x -> streaming.accept(x, out::add));
    assertThat(out)
        .extracting(m -> m.rule().title() + " " + m.first() / S + ".." + m.last() / S)
        .containsExactly(
            "a few failures 0..1", "a few failures 20..21", "repeatedly a few failures 10..30");
    Correlator batch = correlator(chain, Correlator.Options.BATCH);
    assertThat(run(batch, signals.subList(0, 4)))
        .extracting(m -> m.rule().title())
        .containsExactly("a few failures", "a few failures", "repeatedly a few failures");
    Correlator.Match last = out.get(2);
    assertThat(last.fields()).containsEntry("user", "bob");
    assertThat(streaming.chained(out.get(0)).time()).isEqualTo(10 * S); // the window's end
  }

  static List<List<String>> permutations(List<String> xs) {
    if (xs.size() <= 1) {
      return List.of(xs);
    }
    List<List<String>> out = new ArrayList<>();
    for (int i = 0; i < xs.size(); i++) {
      List<String> rest = new ArrayList<>(xs);
      String head = rest.remove(i);
      for (List<String> p : permutations(rest)) {
        List<String> q = new ArrayList<>();
        q.add(head);
        q.addAll(p);
        out.add(q);
      }
    }
    return out;
  }
}
