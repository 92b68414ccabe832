package dev.rampart.sigma.correlate;

import dev.rampart.sigma.correlate.Correlator.Match;
import dev.rampart.sigma.correlate.Correlator.Signal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The {@link Correlator}'s semantics with the state cut into one piece per key, {@code
 * (correlation, group-by values)}, for engines that shard keyed state and run event-time timers
 * (Flink's keyed process functions), without depending on any of them: the host keeps each key's
 * {@link State} and runs {@link Timers}; this class says what to keep and when to wake up.
 *
 * <p>Per key, signals wait in a buffer until the watermark passes their time, then go through the
 * window in time order, so windows slide exactly as in the single-node correlator ("within N", not
 * fixed panes): with lower bounds only a group fires as soon as its last {@code timespan} satisfies
 * the condition; with an upper bound the window is judged when the watermark passes its first
 * signal plus the timespan. A signal at or behind the watermark is late: refused, for the host to
 * count. Timer ticks are milliseconds of event time (Flink's); signal times stay in nanoseconds, so
 * ticks only decide when to look, never what a window holds.
 *
 * <p>Chains (a correlation that references another) run as levels: a correlation of rules only is
 * level 1, one that references a level-{@code n} correlation is level {@code n+1}. The host runs
 * one keyed operator per level, each with its own instance ({@link #atLevel}); {@link #route} says
 * which level a signal goes to, and a firing becomes a signal for the next levels by {@link
 * Correlator#chained}. Level {@code n} takes a tick {@code n-1} ticks after the watermark passed
 * it: a firing of the level below, emitted before that level's watermark moves on, is then always
 * in time for it. Levels beyond the host's are not run ({@link #unsupported}).
 *
 * <p>Not supported here, and left to the single-node correlator: the per-correlation group limit
 * (the host's state backend holds the groups; the per-group signal limit still applies). Stateless
 * apart from the correlator's compiled rules: one instance serves every key of an operator.
 */
public final class KeyedCorrelations {
  /** One key's state, as the host keeps it. */
  public interface State {
    /** The window's signals in time order (empty when none). */
    List<Signal> window();

    /** Replaces the window (an empty list: drop it). */
    void window(List<Signal> signals);

    /** Keeps {@code s} until the watermark passes {@code tick}. */
    void buffer(long tick, Signal s);

    /** Removes and returns the signals buffered for {@code tick}, in arrival order. */
    List<Signal> takeBuffered(long tick);
  }

  /** The host's event-time timers for the current key. */
  public interface Timers {
    /** Asks for {@link #fire} once the watermark reaches {@code tick} (repeats are harmless). */
    void at(long tick);

    /** The watermark in ticks: nothing at or before it is to come. */
    long watermark();
  }

  private static final long NANOS_PER_TICK = 1_000_000L;
  private static final char SEPARATOR = '\u0003';
  // Equal times in spool order (the single-node correlator's arrival order), whatever order the
  // parallel detectors delivered them in; a stable sort keeps one event's signals as they came.
  private static final Comparator<Signal> ORDER = Correlator.ORDER;

  /** Where a signal goes: the level of the correlation that takes it, and its key there. */
  @FunctionalInterface
  public interface Route {
    void to(int level, String key, Signal s);
  }

  private final Correlator correlator;
  private final int level;
  private final long delay;

  /** Level 1: uses {@code correlator}'s compiled correlations and options, never its state. */
  public KeyedCorrelations(Correlator correlator) {
    this(correlator, 1);
  }

  private KeyedCorrelations(Correlator correlator, int level) {
    this.correlator = correlator;
    this.level = level;
    this.delay = level - 1;
  }

  /** The same correlations, for the operator that runs level {@code level} (1 or more). */
  public KeyedCorrelations atLevel(int level) {
    if (level < 1) {
      throw new IllegalArgumentException("levels start at 1: " + level);
    }
    return new KeyedCorrelations(correlator, level);
  }

  /** The level this instance runs. */
  public int level() {
    return level;
  }

  /** The compiled correlations (what listens to which rule, which fields a signal carries). */
  public Correlator correlator() {
    return correlator;
  }

  /** The event-time tick of a time in nanoseconds. */
  public static long tick(long nanos) {
    return Math.floorDiv(nanos, NANOS_PER_TICK);
  }

  /**
   * The titles of the correlations deeper than {@code levels}: a host with that many skips them.
   */
  public List<String> unsupported(int levels) {
    List<String> out = new ArrayList<>();
    for (var c : correlator.compiledAll()) {
      if (c.level() > levels) {
        out.add(c.rule.title() + " (level " + c.level() + ")");
      }
    }
    return out;
  }

  /**
   * The keys a signal goes to: one per correlation that listens to its source and finds its
   * group-by values in it, with that correlation's level.
   */
  public void route(Signal s, Route out) {
    List<Correlator.Compiled> listeners = correlator.listeners(s.source());
    if (listeners == null) {
      return;
    }
    for (Correlator.Compiled c : listeners) {
      Correlator.Keyed k = c.keyOf(s);
      if (k != null) {
        out.to(c.level(), Correlator.key(c.rule) + SEPARATOR + k.key(), s);
      }
    }
  }

  /** Takes a routed signal; false when it is late (at or behind the watermark) and was dropped. */
  public boolean offer(Signal s, State state, Timers timers) {
    long t = tick(s.time());
    if (t + delay <= timers.watermark()) {
      return false;
    }
    state.buffer(t, s);
    timers.at(t + delay);
    return true;
  }

  /**
   * The watermark reached {@code tick} for {@code key}: windows move, matches go to {@code out}.
   */
  public void fire(String key, long timer, State state, Timers timers, Consumer<Match> out) {
    long tick = timer - delay;
    List<Signal> due = new ArrayList<>(state.takeBuffered(tick));
    List<Signal> held = state.window();
    int cut = key.indexOf(SEPARATOR);
    Correlator.Compiled c = cut < 0 ? null : correlator.compiled(key.substring(0, cut));
    if (c == null) {
      state.window(List.of()); // the correlation is gone (a rule update): so is its state
      return;
    }
    if (due.isEmpty() && held.isEmpty()) {
      return;
    }
    due.sort(ORDER);
    Signal any = held.isEmpty() ? due.get(0) : held.get(0);
    Correlator.Keyed k = c.keyOf(any);
    Correlator.Group g = correlator.new Group(k.group(), k.partition());
    g.signals.addAll(held);
    for (Signal s : due) {
      c.closeIfEnded(g, s.time(), out);
      c.step(g, s, out);
    }
    // everything up to the end of this tick is in: upper-bounded windows that ended are judged
    long passed = (tick + 1) * NANOS_PER_TICK - 1;
    c.closeIfEnded(g, passed, out);
    if (!g.signals.isEmpty()) {
      if (c.upperBounded()) {
        timers.at(tick(g.signals.peekFirst().time() + c.span() + 1) + delay);
      } else if (passed - g.signals.peekLast().time() > c.span()) {
        g.signals.clear(); // no later signal can share a window with these
      } else {
        timers.at(tick(g.signals.peekLast().time() + c.span() + 1) + delay);
      }
    }
    state.window(g.signals.isEmpty() ? List.of() : new ArrayList<>(g.signals));
  }
}
