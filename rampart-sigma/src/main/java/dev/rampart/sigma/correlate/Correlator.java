package dev.rampart.sigma.correlate;

import dev.rampart.sigma.rule.SigmaCorrelation;
import dev.rampart.sigma.rule.SigmaRule;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Sigma correlation rules over a stream of signals (a referenced rule matched an event), on event
 * time, with the semantics of docs/decisions.md ("Correlation"):
 *
 * <ul>
 *   <li>Windows slide: with only lower bounds ({@code gt}, {@code gte}) a group fires as soon as
 *       the signals in {@code [t - timespan, t]} satisfy the condition, both edges included; with
 *       an upper bound or an exact value the window opens at the group's first signal and is judged
 *       once, when it closes at {@code first + timespan}.
 *   <li>After firing a group starts afresh (no alert storms).
 *   <li>Group keys compare case-insensitively; a signal without a group-by value is dropped for
 *       that correlation; signals of different groups never combine; aliases pick the field per
 *       rule.
 *   <li>{@code temporal_ordered} needs signals of the rules in their listed order (equal times
 *       count as ordered) within one window.
 *   <li>Signals may arrive out of order by up to the allowed lateness (the watermark); later ones
 *       are counted and dropped. State is bounded: a group limit per correlation (the least
 *       recently active group is evicted) and a signal limit per group, both counted.
 *   <li>A correlation's firing is a signal for correlations that reference it (chaining).
 * </ul>
 *
 * Not thread-safe: one per stream. The batch hunt sorts nothing itself; it hands signals in any
 * order with an unbounded lateness and calls {@link #finish}.
 */
public final class Correlator {
  /**
   * A referenced rule (or correlation) matched at {@code time}; {@code fields} are the values the
   * correlations need; {@code ref} says where the event is (file:line, an event id).
   */
  public record Signal(String source, long time, Map<String, String> fields, String ref) {}

  /**
   * A correlation fired: its group, the window's first and last signal times, the aggregate; {@code
   * fields} are the window's last signal's fields with the group's values, what a correlation that
   * references this one sees ({@link Correlator#chained}).
   */
  public record Match(
      SigmaCorrelation rule,
      Map<String, String> group,
      long first,
      long last,
      double value,
      List<String> refs,
      String partition,
      Map<String, String> fields) {}

  /**
   * Everything held, to write at a checkpoint and give back to a new correlator after a restart:
   * signals not yet taken (waiting for the watermark) and each correlation's open groups.
   */
  public record Snapshot(List<Signal> pending, Map<String, List<Signal>> groups) {}

  /**
   * @param maxGroups groups kept per correlation; the least recently active is evicted beyond it
   * @param maxSignalsPerGroup signals kept per group; the oldest is dropped beyond it
   * @param latenessNanos how far out of order signals may arrive; {@code Long.MAX_VALUE}: hold
   *     everything until {@link #finish} (batch)
   */
  public record Options(
      int maxGroups, int maxSignalsPerGroup, long latenessNanos, String partitionField) {
    public static final Options BATCH = new Options(1_000_000, 100_000, Long.MAX_VALUE, null);

    public static Options streaming(long latenessNanos) {
      return new Options(100_000, 10_000, latenessNanos, null);
    }

    /**
     * Signals with different values of {@code field} never share a group (the tenant, in the
     * server): the value goes into the group key and into {@link Match#partition}.
     */
    public Options partitionedBy(String field) {
      return new Options(maxGroups, maxSignalsPerGroup, latenessNanos, field);
    }
  }

  static final int MAX_REFS = 100;

  /**
   * Signals by time, equal times in spool order (refs that are spool offsets), whatever order
   * parallel detectors or closing windows delivered them in; a stable sort keeps the rest as they
   * came.
   */
  static final java.util.Comparator<Signal> ORDER =
      java.util.Comparator.comparingLong(Signal::time).thenComparingLong(Correlator::refOrder);

  static long refOrder(Signal s) {
    String r = s.ref();
    if (r == null || r.isEmpty() || r.length() > 18) {
      return Long.MAX_VALUE;
    }
    for (int i = 0; i < r.length(); i++) {
      if (r.charAt(i) < '0' || r.charAt(i) > '9') {
        return Long.MAX_VALUE;
      }
    }
    return Long.parseLong(r);
  }

  private final Map<String, List<Compiled>> bySource = new HashMap<>();
  private final Map<String, Set<String>> fieldsBySource = new HashMap<>();
  private final Set<String> silenced = new HashSet<>();
  private final List<Compiled> all = new ArrayList<>();
  private final Map<String, Compiled> byKey = new HashMap<>();
  private final Options options;
  private int maxLevel = 1;

  // Held signals by time, then arrival: equal times keep their arrival order.
  private record Pending(Signal signal, long seq) {}

  private final PriorityQueue<Pending> pending =
      new PriorityQueue<>(
          (a, b) ->
              a.signal().time() != b.signal().time()
                  ? Long.compare(a.signal().time(), b.signal().time())
                  : Long.compare(a.seq(), b.seq()));
  private long seq;
  private long maxSeen = Long.MIN_VALUE;
  private long processedUpTo = Long.MIN_VALUE;
  private long late;
  private long evictedGroups;
  private long droppedSignals;

  /**
   * @param correlations the loaded correlations (their references already checked by the loader)
   * @param rules the detection rules they may reference
   */
  public Correlator(List<SigmaCorrelation> correlations, List<SigmaRule> rules, Options options) {
    this.options = options;
    Map<String, String> ruleKeys = new HashMap<>(); // id or name -> canonical source key
    Map<String, String> names = new HashMap<>(); // canonical key -> name (for aliases)
    for (SigmaRule r : rules) {
      String key = key(r);
      if (r.id() != null) {
        ruleKeys.putIfAbsent(r.id(), key);
      }
      if (r.name() != null) {
        ruleKeys.putIfAbsent(r.name(), key);
      }
      names.put(key, r.name());
    }
    for (SigmaCorrelation c : correlations) {
      String key = key(c);
      if (c.id() != null) {
        ruleKeys.putIfAbsent(c.id(), key);
      }
      if (c.name() != null) {
        ruleKeys.putIfAbsent(c.name(), key);
      }
      names.put(key, c.name());
    }
    Map<String, Boolean> generateBySource = new HashMap<>();
    for (SigmaCorrelation c : correlations) {
      List<String> sources = new ArrayList<>();
      List<String> references = new ArrayList<>(c.rules());
      if (references.isEmpty() && c.condition().get("expression") instanceof String ex) {
        references.addAll(Expression.names(ex));
      }
      for (String ref : references) {
        String k = ruleKeys.get(ref);
        if (k != null) {
          sources.add(k);
        }
      }
      if (sources.isEmpty()) {
        continue; // the loader reported it
      }
      Compiled cc = new Compiled(c, sources, names, ruleKeys);
      all.add(cc);
      byKey.put(key(c), cc);
      for (String s : new LinkedHashSet<>(sources)) {
        bySource.computeIfAbsent(s, x -> new ArrayList<>()).add(cc);
        fieldsBySource.computeIfAbsent(s, x -> new LinkedHashSet<>()).addAll(cc.fieldsOf(s));
        generateBySource.merge(s, c.generate(), Boolean::logicalOr);
      }
    }
    for (Compiled c : all) {
      maxLevel = Math.max(maxLevel, level(c, 0));
    }
    generateBySource.forEach(
        (s, generate) -> {
          if (!generate) {
            silenced.add(s);
          }
        });
  }

  /** 1 for a correlation of rules; one more than the deepest correlation it references. */
  private int level(Compiled c, int depth) {
    if (c.level == 0) {
      int level = 1;
      for (String src : c.sources) {
        Compiled ref = byKey.get(src);
        if (ref != null && ref != c && depth < 64) { // the loader refuses cycles
          level = Math.max(level, level(ref, depth + 1) + 1);
        }
      }
      c.level = level;
    }
    return c.level;
  }

  /** The canonical key of a rule: its id, else its name, else its file. */
  public static String key(SigmaRule r) {
    return r.id() != null ? r.id() : r.name() != null ? r.name() : r.file();
  }

  public static String key(SigmaCorrelation c) {
    return "correlation:" + (c.id() != null ? c.id() : c.name() != null ? c.name() : c.title());
  }

  /** Whether any correlation listens to this rule (so its matches must become signals). */
  public boolean listensTo(String ruleKey) {
    return bySource.containsKey(ruleKey);
  }

  /** The event fields a signal of this rule must carry. */
  public Set<String> fieldsFor(String ruleKey) {
    return fieldsBySource.getOrDefault(ruleKey, Set.of());
  }

  /**
   * Whether the rule's own matches are kept out of the output: it feeds correlations and none of
   * them says {@code generate: true}.
   */
  public boolean silenced(String ruleKey) {
    return silenced.contains(ruleKey);
  }

  /** The newest signal time seen (Long.MIN_VALUE before any). */
  public long newest() {
    return maxSeen;
  }

  public long lateSignals() {
    return late;
  }

  public long evictedGroups() {
    return evictedGroups;
  }

  public long droppedSignals() {
    return droppedSignals;
  }

  /** Open groups over all correlations (the state {@code maxGroups} bounds per correlation). */
  public int openGroups() {
    int n = 0;
    for (Compiled c : all) {
      n += c.groups.size();
    }
    return n;
  }

  /** Signals waiting for the watermark. */
  public int pendingSignals() {
    return pending.size();
  }

  /** Takes one signal; matches that became certain go to {@code out}. */
  public void accept(Signal s, Consumer<Match> out) {
    boolean bounded = options.latenessNanos() != Long.MAX_VALUE;
    if (s.time() < processedUpTo
        || (bounded && maxSeen != Long.MIN_VALUE && s.time() < maxSeen - options.latenessNanos())) {
      late++; // behind the watermark: its windows may be judged already
      return;
    }
    pending.add(new Pending(s, seq++));
    maxSeen = Math.max(maxSeen, s.time());
    if (options.latenessNanos() != Long.MAX_VALUE) {
      drain(maxSeen - options.latenessNanos(), out);
    }
  }

  /** What is held now (for a checkpoint). */
  public Snapshot snapshot() {
    List<Pending> ps = new ArrayList<>(pending);
    ps.sort(pending.comparator());
    Map<String, List<Signal>> groups = new LinkedHashMap<>();
    for (Compiled c : all) {
      List<Signal> held = new ArrayList<>();
      for (Group g : c.groups.values()) {
        held.addAll(g.signals);
      }
      if (!held.isEmpty()) {
        groups.put(key(c.rule), held);
      }
    }
    return new Snapshot(ps.stream().map(Pending::signal).toList(), groups);
  }

  /**
   * Puts a snapshot's state back (into a fresh correlator with the same rules): the groups as they
   * were, without judging them again, and the pending signals in their order.
   */
  public void restore(Snapshot snap) {
    for (Compiled c : all) {
      List<Signal> held = snap.groups().get(key(c.rule));
      if (held == null) {
        continue;
      }
      for (Signal s : held) {
        c.restore(s);
        processedUpTo = Math.max(processedUpTo, s.time());
        maxSeen = Math.max(maxSeen, s.time());
      }
    }
    for (Signal s : snap.pending()) {
      pending.add(new Pending(s, seq++));
      maxSeen = Math.max(maxSeen, s.time());
    }
  }

  /**
   * Moves the watermark to {@code watermark} without a new signal (a quiet stream: the clock says
   * no event older than this will come): pending signals up to it are taken, and windows with an
   * upper-bounded condition that ended before it are judged.
   */
  public void advance(long watermark, Consumer<Match> out) {
    drain(watermark, out);
    processedUpTo = Math.max(processedUpTo, watermark);
    closeBefore(watermark, out);
  }

  /**
   * Processes everything held and closes every open window (the end of a hunt), level by level, so
   * that a chained correlation sees the firings of the windows closed under it.
   */
  public void finish(Consumer<Match> out) {
    drain(Long.MAX_VALUE, out);
    for (int level = 1; level <= maxLevel; level++) {
      List<Match> closed = new ArrayList<>();
      for (Compiled c : all) {
        if (c.level == level) {
          c.closeAll(closed::add);
        }
      }
      emit(closed, out);
    }
  }

  /** The deepest chain: 1 when no correlation references another. */
  public int levels() {
    return maxLevel;
  }

  /**
   * The signal a match is for the correlations that reference its rule: at the time the match
   * became certain (the window's last signal; for an upper bound, the window's end), with the
   * match's fields, its first reference as where it is.
   */
  public Signal chained(Match m) {
    Compiled c = byKey.get(key(m.rule()));
    long time = c != null && c.upperBounded() ? m.first() + c.span() : m.last();
    return new Signal(key(m.rule()), time, m.fields(), m.refs().isEmpty() ? "" : m.refs().get(0));
  }

  private void drain(long upTo, Consumer<Match> out) {
    while (!pending.isEmpty() && pending.peek().signal().time() <= upTo) {
      Signal s = pending.poll().signal();
      processedUpTo = s.time();
      process(s, out);
    }
  }

  private void process(Signal s, Consumer<Match> out) {
    closeBefore(s.time(), out);
    List<Compiled> listeners = bySource.get(s.source());
    if (listeners == null) {
      return;
    }
    for (Compiled c : listeners) {
      c.add(
          s,
          m -> {
            out.accept(m);
            chain(m, out);
          });
    }
  }

  /** Closes the upper-bounded windows of every correlation that ended before {@code t}. */
  private void closeBefore(long t, Consumer<Match> out) {
    List<Match> closed = null;
    for (Compiled c : all) {
      if (c.upperBounded() && !c.groups.isEmpty()) {
        if (closed == null) {
          closed = new ArrayList<>();
        }
        c.closeBefore(t, closed::add);
      }
    }
    if (closed != null) {
      emit(closed, out);
    }
  }

  /** Firings that became certain together: out, then on to chained correlations in time order. */
  private void emit(List<Match> closed, Consumer<Match> out) {
    record Firing(Match match, Signal signal) {}
    List<Firing> firings = new ArrayList<>(closed.size());
    for (Match m : closed) {
      firings.add(new Firing(m, chained(m)));
    }
    firings.sort((a, b) -> ORDER.compare(a.signal(), b.signal()));
    for (Firing f : firings) {
      out.accept(f.match());
      if (bySource.containsKey(f.signal().source())) {
        process(f.signal(), out);
      }
    }
  }

  /** The firing is a signal for the correlations that reference this one. */
  private void chain(Match m, Consumer<Match> out) {
    if (bySource.containsKey(key(m.rule()))) {
      process(chained(m), out);
    }
  }

  Options options() {
    return options;
  }

  /** The correlations listening to a source (null: none). */
  List<Compiled> listeners(String source) {
    return bySource.get(source);
  }

  List<Compiled> compiledAll() {
    return all;
  }

  /** A correlation by its key ({@code correlation:} id), or null. */
  Compiled compiled(String correlationKey) {
    return byKey.get(correlationKey);
  }

  /** One correlation's state. */
  final class Compiled {
    final SigmaCorrelation rule;
    final List<String> sources;
    final long span;
    final Condition condition;
    final Map<String, String> names;
    final Expression expression;
    final List<String> valueFields;
    final double percentile;
    // group key -> state, least recently active first
    final LinkedHashMap<String, Group> groups = new LinkedHashMap<>(16, 0.75f, true);
    // 1 + the deepest level among referenced correlations (0 until computed)
    int level;

    Compiled(
        SigmaCorrelation rule,
        List<String> sources,
        Map<String, String> names,
        Map<String, String> ruleKeys) {
      this.rule = rule;
      this.sources = List.copyOf(sources);
      this.span = Timespan.nanos(rule.timespan());
      this.names = names;
      Object ex = rule.condition().get("expression");
      this.expression =
          ex instanceof String s ? Expression.parse(s, n -> ruleKeys.getOrDefault(n, n)) : null;
      int k = new LinkedHashSet<>(sources).size();
      this.condition = Condition.of(rule.condition(), rule.type().startsWith("temporal") ? k : -1);
      Object f = rule.condition().get("field");
      this.valueFields =
          f == null
              ? List.of()
              : f instanceof List<?> l
                  ? l.stream().map(String::valueOf).toList()
                  : List.of(String.valueOf(f));
      Object p = rule.condition().get("percentile");
      double pc = 50;
      if (p != null) {
        try {
          pc = Double.parseDouble(String.valueOf(p));
        } catch (NumberFormatException e) {
          pc = 50;
        }
      }
      this.percentile = pc;
    }

    /** The event field that gives group-by entry {@code g} for signals of {@code source}. */
    String field(String g, String source) {
      Map<String, String> alias = rule.aliases().get(g);
      if (alias != null) {
        String name = names.get(source);
        String f = name == null ? null : alias.get(name);
        return f == null ? g : f;
      }
      return g;
    }

    Set<String> fieldsOf(String source) {
      Set<String> out = new LinkedHashSet<>();
      for (String g : rule.groupBy()) {
        out.add(field(g, source));
      }
      out.addAll(valueFields);
      return out;
    }

    /** How deep in a chain: 1 for a correlation of rules only. */
    int level() {
      return level;
    }

    /** The group a signal belongs to, or null when it lacks a group-by value. */
    Keyed keyOf(Signal s) {
      StringBuilder key = new StringBuilder();
      String partition = null;
      if (options.partitionField() != null) {
        partition = s.fields().get(options.partitionField());
        key.append(partition).append('\u0002');
      }
      Map<String, String> group = new LinkedHashMap<>();
      for (String g : rule.groupBy()) {
        String v = s.fields().get(field(g, s.source()));
        if (v == null) {
          return null;
        }
        key.append(v.toLowerCase(Locale.ROOT)).append('\u0001');
        group.put(g, v);
      }
      return new Keyed(key.toString(), group, partition);
    }

    void add(Signal s, Consumer<Match> out) {
      Keyed kd = keyOf(s);
      if (kd == null) {
        return; // no value to group by: not a signal for this correlation
      }
      String k = kd.key();
      Map<String, String> group = kd.group();
      String partition = kd.partition();
      Group st = groups.get(k);
      if (st == null) {
        if (groups.size() >= options.maxGroups()) {
          Iterator<Group> eldest = groups.values().iterator();
          eldest.next();
          eldest.remove();
          evictedGroups++;
        }
        st = new Group(group, partition);
        groups.put(k, st);
      }
      step(st, s, out);
      if (st.signals.isEmpty()) {
        groups.remove(k);
      }
    }

    /** Takes a signal of group {@code st}, in time order: a window may fire or close. */
    void step(Group st, Signal s, Consumer<Match> out) {
      if (condition.upperBounded()) {
        if (!st.signals.isEmpty() && s.time() - st.signals.peekFirst().time() > span) {
          judge(st, out);
        }
        st.push(s);
      } else {
        st.push(s);
        while (s.time() - st.signals.peekFirst().time() > span) {
          st.signals.pollFirst();
        }
        Double v = value(st.signals);
        if (v != null && holds(st.signals, v)) {
          out.accept(match(st, v));
          st.signals.clear();
        }
      }
    }

    /**
     * Judges the group's window when it is upper-bounded and ended before {@code t}; true when it
     * was judged (and so emptied).
     */
    boolean closeIfEnded(Group g, long t, Consumer<Match> out) {
      if (condition.upperBounded()
          && !g.signals.isEmpty()
          && t - g.signals.peekFirst().time() > span) {
        judge(g, out);
        return true;
      }
      return false;
    }

    boolean upperBounded() {
      return condition.upperBounded();
    }

    long span() {
      return span;
    }

    /** Puts a held signal back into its group without judging the group. */
    void restore(Signal s) {
      Keyed kd = keyOf(s);
      if (kd != null) {
        groups.computeIfAbsent(kd.key(), k -> new Group(kd.group(), kd.partition())).push(s);
      }
    }

    /** Closes the upper-bounded windows that ended before {@code t}. */
    void closeBefore(long t, Consumer<Match> out) {
      if (!condition.upperBounded() || groups.isEmpty()) {
        return;
      }
      for (Iterator<Group> it = groups.values().iterator(); it.hasNext(); ) {
        if (closeIfEnded(it.next(), t, out)) {
          it.remove();
        }
      }
    }

    void closeAll(Consumer<Match> out) {
      if (condition.upperBounded()) {
        for (Group g : groups.values()) {
          if (!g.signals.isEmpty()) {
            judge(g, out);
          }
        }
      }
      groups.clear();
    }

    private void judge(Group g, Consumer<Match> out) {
      Double v = value(g.signals);
      if (v != null && holds(g.signals, v)) {
        out.accept(match(g, v));
      }
      g.signals.clear();
    }

    private boolean holds(Collection<Signal> window, double v) {
      if (expression != null) {
        Set<String> seen = new HashSet<>();
        window.forEach(s -> seen.add(s.source()));
        return expression.test(seen);
      }
      return condition.test(v);
    }

    private Match match(Group g, double v) {
      List<String> refs = new ArrayList<>();
      for (Signal s : g.signals) {
        if (refs.size() < MAX_REFS) {
          refs.add(s.ref());
        }
      }
      // The group as the window's first signal spells it (keys compare without case): the same
      // whatever the group's history was, so every engine that keeps this window says the same.
      Keyed first = keyOf(g.signals.peekFirst());
      Map<String, String> group = first == null ? g.group : first.group();
      Map<String, String> fields = new LinkedHashMap<>(g.signals.peekLast().fields());
      fields.putAll(group);
      return new Match(
          rule,
          group,
          g.signals.peekFirst().time(),
          g.signals.peekLast().time(),
          v,
          refs,
          g.partition,
          fields);
    }

    /** The aggregate over a window; null when no signal carries the value field. */
    Double value(ArrayDeque<Signal> w) {
      switch (rule.type()) {
        case "event_count":
          return (double) w.size();
        case "value_count":
          {
            Set<String> distinct = new HashSet<>();
            for (Signal s : w) {
              StringBuilder t = new StringBuilder();
              boolean all = true;
              for (String f : valueFields) {
                String v = s.fields().get(f);
                if (v == null) {
                  all = false;
                  break;
                }
                t.append(v.toLowerCase(Locale.ROOT)).append('\u0001');
              }
              if (all) {
                distinct.add(t.toString());
              }
            }
            return (double) distinct.size();
          }
        case "temporal":
          {
            Set<String> seen = new HashSet<>();
            w.forEach(s -> seen.add(s.source()));
            return (double) seen.size();
          }
        case "temporal_ordered":
          return (double) orderedPrefix(w);
        default:
          {
            List<Double> xs = new ArrayList<>();
            for (Signal s : w) {
              String v = valueFields.isEmpty() ? null : s.fields().get(valueFields.get(0));
              if (v != null) {
                try {
                  xs.add(Double.parseDouble(v.strip()));
                } catch (NumberFormatException e) {
                  // not a number: not part of the aggregate
                }
              }
            }
            if (xs.isEmpty()) {
              return null;
            }
            return switch (rule.type()) {
              case "value_sum" -> xs.stream().mapToDouble(Double::doubleValue).sum();
              case "value_avg" -> xs.stream().mapToDouble(Double::doubleValue).average().orElse(0);
              case "value_median" -> Stats.percentile(xs, 50);
              default -> Stats.percentile(xs, percentile);
            };
          }
      }
    }

    /**
     * How many of the listed rules occur in order within the window: the greedy earliest choice
     * finds the longest chain; signals of equal time count as ordered among themselves, whatever
     * order they arrived in.
     */
    private int orderedPrefix(ArrayDeque<Signal> w) {
      List<Signal> list = new ArrayList<>(w);
      int next = 0;
      int i = 0;
      while (i < list.size() && next < sources.size()) {
        int j = i;
        while (j < list.size() && list.get(j).time() == list.get(i).time()) {
          j++;
        }
        boolean[] used = new boolean[j - i];
        boolean advanced = true;
        while (advanced && next < sources.size()) {
          advanced = false;
          for (int k = i; k < j; k++) {
            if (!used[k - i] && list.get(k).source().equals(sources.get(next))) {
              used[k - i] = true;
              next++;
              advanced = true;
              break;
            }
          }
        }
        i = j;
      }
      return next;
    }
  }

  /** A signal's group: its key, its group-by values, its partition. */
  record Keyed(String key, Map<String, String> group, String partition) {}

  /** One group's window. */
  final class Group {
    final Map<String, String> group;
    final String partition;
    final ArrayDeque<Signal> signals = new ArrayDeque<>();

    Group(Map<String, String> group, String partition) {
      this.group = group;
      this.partition = partition;
    }

    void push(Signal s) {
      signals.addLast(s);
      if (signals.size() > options.maxSignalsPerGroup()) {
        signals.pollFirst();
        droppedSignals++;
      }
    }
  }
}
