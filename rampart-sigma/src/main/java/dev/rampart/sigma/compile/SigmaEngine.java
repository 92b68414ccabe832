package dev.rampart.sigma.compile;

import dev.rampart.sigma.mapping.Binding;
import dev.rampart.sigma.mapping.LogsourceMapping;
import dev.rampart.sigma.rule.SigmaRule;
import dev.rampart.sigma.rule.ValueMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The compiled detection engine: every rule of a rule set, compiled once per binding of the log
 * source mapping into one shared, immutable structure. Threads match events with their own {@link
 * SigmaMatcher} ({@link #newMatcher()}); matching allocates nothing in the steady state.
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
  private final List<SigmaRule> rules;
  private final LogsourceMapping mapping;
  final Route[] routes;
  final BindingIndex index;
  final int maxPreds;
  final int maxRouteRules;
  private final long compileNanos;
  private final int predicates;
  private final int linearRegexes;
  private final int backtrackingRegexes;

  private SigmaEngine(List<SigmaRule> rules, LogsourceMapping mapping) {
    long t0 = System.nanoTime();
    this.rules = List.copyOf(rules);
    this.mapping = mapping;
    Map<ValueMatcher.RegexMatch, RegexPredicate> regexes = new HashMap<>();
    List<Route> compiled = new ArrayList<>();
    List<Binding> bound = new ArrayList<>();
    for (Binding b : mapping.bindings()) {
      List<SigmaRule> applicable = new ArrayList<>();
      List<Integer> ids = new ArrayList<>();
      for (int r = 0; r < this.rules.size(); r++) {
        if (this.rules.get(r).logsource().isSatisfiedBy(b.logsource())) {
          applicable.add(this.rules.get(r));
          ids.add(r);
        }
      }
      if (applicable.isEmpty()) {
        continue;
      }
      compiled.add(
          new RouteCompiler(b, regexes)
              .compile(applicable, ids.stream().mapToInt(Integer::intValue).toArray()));
      bound.add(b);
    }
    this.routes = compiled.toArray(new Route[0]);
    this.index = new BindingIndex(bound);
    int mp = 1;
    int mr = 1;
    int total = 0;
    for (Route r : routes) {
      mp = Math.max(mp, r.preds.length);
      mr = Math.max(mr, r.programs.length);
      total += r.preds.length;
    }
    this.maxPreds = mp;
    this.maxRouteRules = mr;
    this.predicates = total;
    this.linearRegexes = (int) regexes.values().stream().filter(RegexPredicate::linearTime).count();
    this.backtrackingRegexes = regexes.size() - linearRegexes;
    this.compileNanos = System.nanoTime() - t0;
  }

  /** Compiles the rules against the mapping. */
  public static SigmaEngine compile(List<SigmaRule> rules, LogsourceMapping mapping) {
    return new SigmaEngine(rules, mapping);
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

  /** How long {@link #compile} took. */
  public long compileNanos() {
    return compileNanos;
  }

  /** Routes (bindings with at least one rule). */
  public int routes() {
    return routes.length;
  }

  /** Predicates over all routes, after deduplication within each route. */
  public int predicates() {
    return predicates;
  }

  /** Distinct regexes running on RE2/J (linear time) and on java.util.regex. */
  public int[] regexEngines() {
    return new int[] {linearRegexes, backtrackingRegexes};
  }
}
