package dev.rampart.sigma.compile;

import dev.rampart.sigma.mapping.Binding;
import dev.rampart.sigma.mapping.LogsourceMapping;
import dev.rampart.sigma.rule.SigmaRule;
import dev.rampart.sigma.rule.ValueMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The compiled detection engine: every rule of a rule set, compiled into shared, immutable routes,
 * one per combination of log source bindings an event can belong to (compiled the first time such
 * an event is seen, then reused). Threads match events with their own {@link SigmaMatcher} ({@link
 * #newMatcher()}); matching allocates nothing in the steady state.
 *
 * <pre>{@code
 * RuleSet set = new RuleLoader().add(Path.of("rules")).build();
 * SigmaEngine engine = SigmaEngine.compile(set.rules(), LogsourceMapping.defaults());
 * SigmaMatcher m = engine.newMatcher();
 * int n = m.match(event);
 * for (int i = 0; i < n; i++) {
 *   SigmaRule hit = engine.rule(m.matched(i));
 * }
 * }</pre>
 */
public final class SigmaEngine {
  /** Bindings are keyed by a 256-bit set; mappings are far smaller. */
  static final int MAX_BINDINGS = 256;

  /** A set of bindings as four words. */
  record Combo(long a, long b, long c, long d) {
    static Combo of(int[] bindings, int n) {
      long[] w = new long[4];
      for (int i = 0; i < n; i++) {
        w[bindings[i] >>> 6] |= 1L << bindings[i];
      }
      return new Combo(w[0], w[1], w[2], w[3]);
    }

    boolean contains(int b) {
      long w =
          switch (b >>> 6) {
            case 0 -> a;
            case 1 -> this.b;
            case 2 -> c;
            default -> d;
          };
      return (w & (1L << b)) != 0;
    }
  }

  private final List<SigmaRule> rules;
  private final LogsourceMapping mapping;
  private final List<Binding> bindings;
  final BindingIndex index;
  private final ConcurrentHashMap<Combo, Route> routes = new ConcurrentHashMap<>();
  // Shared by routes compiling at the same time on different threads; an entry may be built twice
  // in a race, and either copy is correct.
  private final Map<ValueMatcher.RegexMatch, RegexPredicate> regexes =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, AhoCorasick> automata = new java.util.concurrent.ConcurrentHashMap<>();
  private final int[][] applicableBindings; // rule -> bindings it applies through
  private final AtomicLong compileNanos = new AtomicLong();
  final Route empty = new RouteCompiler(Map.of(), Map.of()).compile("none", List.of());

  private SigmaEngine(List<SigmaRule> rules, LogsourceMapping mapping) {
    long t0 = System.nanoTime();
    this.rules = List.copyOf(rules);
    this.mapping = mapping;
    this.bindings = mapping.bindings();
    if (bindings.size() > MAX_BINDINGS) {
      throw new IllegalArgumentException(
          "the log source mapping has "
              + bindings.size()
              + " entries; at most "
              + MAX_BINDINGS
              + " are supported");
    }
    this.index = new BindingIndex(bindings);
    applicableBindings = new int[this.rules.size()][];
    for (int r = 0; r < this.rules.size(); r++) {
      List<Integer> through = new ArrayList<>();
      for (int b = 0; b < bindings.size(); b++) {
        if (this.rules.get(r).logsource().isSatisfiedBy(bindings.get(b).logsource())) {
          through.add(b);
        }
      }
      applicableBindings[r] = through.stream().mapToInt(Integer::intValue).toArray();
    }
    compileNanos.addAndGet(System.nanoTime() - t0);
  }

  /** Compiles the rules against the mapping. */
  public static SigmaEngine compile(List<SigmaRule> rules, LogsourceMapping mapping) {
    return new SigmaEngine(rules, mapping);
  }

  /** The route for a combination of bindings, compiled on first use. */
  Route route(int[] hits, int n) {
    if (n == 0) {
      return empty;
    }
    Combo combo = Combo.of(hits, n);
    Route r = routes.get(combo);
    if (r != null) {
      return r;
    }
    // Compiled outside any lock: a thread that needs another route is not held up (a big route
    // takes a good part of a second), and two threads racing for the same route both compile it
    // and agree on the first one stored.
    Route compiled = compileRoute(combo);
    Route previous = routes.putIfAbsent(combo, compiled);
    return previous != null ? previous : compiled;
  }

  private Route compileRoute(Combo combo) {
    long t0 = System.nanoTime();
    List<RouteCompiler.Applicable> applicable = new ArrayList<>();
    StringBuilder name = new StringBuilder();
    for (int b = 0; b < bindings.size(); b++) {
      if (combo.contains(b)) {
        name.append(name.length() == 0 ? "" : " + ").append(bindings.get(b).logsource().key());
      }
    }
    for (int r = 0; r < rules.size(); r++) {
      List<Binding> mappings = new ArrayList<>();
      for (int b : applicableBindings[r]) {
        if (combo.contains(b)) {
          Binding binding = bindings.get(b);
          if (mappings.stream().noneMatch(m -> m.fields().equals(binding.fields()))) {
            mappings.add(binding);
          }
        }
      }
      if (!mappings.isEmpty()) {
        applicable.add(new RouteCompiler.Applicable(rules.get(r), r, mappings));
      }
    }
    Route route =
        applicable.isEmpty()
            ? empty
            : new RouteCompiler(regexes, automata).compile(name.toString(), applicable);
    compileNanos.addAndGet(System.nanoTime() - t0);
    return route;
  }

  /**
   * Compiles the route of every single binding ahead of use (a server does this at start; hunts
   * compile what their data needs).
   */
  public SigmaEngine precompile() {
    int[] one = new int[1];
    for (int b = 0; b < bindings.size(); b++) {
      one[0] = b;
      route(one, 1);
    }
    return this;
  }

  /** A matcher for one thread. */
  public SigmaMatcher newMatcher() {
    return new SigmaMatcher(this);
  }

  public List<SigmaRule> rules() {
    return rules;
  }

  public SigmaRule rule(int index) {
    return rules.get(index);
  }

  public LogsourceMapping mapping() {
    return mapping;
  }

  /** Time spent compiling so far (construction plus every route compiled). */
  public long compileNanos() {
    return compileNanos.get();
  }

  /** Routes compiled so far. */
  public int routes() {
    return routes.size();
  }

  /** Predicates over the routes compiled so far. */
  public int predicates() {
    return routes.values().stream().mapToInt(r -> r.preds.length).sum();
  }

  /** Distinct regexes running on RE2/J (linear time) and on java.util.regex. */
  public synchronized int[] regexEngines() {
    int linear = (int) regexes.values().stream().filter(RegexPredicate::linearTime).count();
    return new int[] {linear, regexes.size() - linear};
  }

  /** One line per automaton: route, field, needles, states, classes (for tuning and reports). */
  public List<String> automata() {
    List<String> out = new ArrayList<>();
    for (Route r : routes.values()) {
      for (Route.FieldPlan fp : r.plans) {
        if (fp.ac != null) {
          out.add(
              r.name
                  + "\t"
                  + fp.sigmaField
                  + "\t"
                  + fp.ac.needles()
                  + "\t"
                  + fp.ac.states()
                  + "\t"
                  + fp.ac.classes());
        }
      }
      if (r.keywordAc != null) {
        out.add(
            r.name
                + "\t<keywords>\t"
                + r.keywordAc.needles()
                + "\t"
                + r.keywordAc.states()
                + "\t"
                + r.keywordAc.classes());
      }
    }
    return out;
  }
}
