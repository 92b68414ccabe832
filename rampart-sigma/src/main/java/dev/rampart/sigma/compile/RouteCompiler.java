package dev.rampart.sigma.compile;

import dev.rampart.core.event.FieldNames;
import dev.rampart.sigma.eval.EventValues;
import dev.rampart.sigma.eval.Fold;
import dev.rampart.sigma.eval.ReferenceEvaluator;
import dev.rampart.sigma.mapping.Binding;
import dev.rampart.sigma.rule.Condition;
import dev.rampart.sigma.rule.Glob;
import dev.rampart.sigma.rule.Search;
import dev.rampart.sigma.rule.SigmaRule;
import dev.rampart.sigma.rule.ValueMatcher;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles the rules that apply to one combination of bindings (the set an event belongs to) into a
 * {@link Route}. Each rule appears once, evaluated through every distinct field mapping of the
 * bindings it applies through (OR-ed), so a rule for {@code product: windows} is not evaluated
 * three times for an event that is Windows, Sysmon and process creation at once.
 *
 * <p>Every detection value becomes a predicate, shared by all rules that test the same thing on the
 * same field. Exact values go into a hash index per field, contains/startswith/endswith needles
 * into one Aho-Corasick automaton per field, keywords into one automaton over all texts; the rest
 * (regex, cidr, comparisons, null, exists, field references) is computed on demand.
 *
 * <p>Each rule gets a trigger set: predicates such that the rule can only match when one of them is
 * true (an OR needs all its branches, an AND needs its most selective child, a NOT none). Per
 * event, only rules whose trigger fired are evaluated; rules without any trigger (a bare {@code
 * not}) are evaluated for every event of the route.
 */
final class RouteCompiler {
  private final List<Route.Pred> preds = new ArrayList<>();
  private final Map<String, Integer> predIndex = new HashMap<>();
  private final Map<String, PlanBuilder> plans = new LinkedHashMap<>();
  private final AhoCorasick.Builder keywordAc = AhoCorasick.builder(true);
  private final Map<Integer, List<Integer>> keywordNeedlePreds = new HashMap<>();
  private final Map<ValueMatcher.RegexMatch, RegexPredicate> regexes;

  /** Predicates on event fields read them by name: no further mapping. */
  static final Binding IDENTITY = Binding.any(dev.rampart.sigma.rule.Logsource.EMPTY);

  private final Map<String, AhoCorasick> automata;

  /** Per Sigma field while compiling. */
  private static final class PlanBuilder {
    final String sigmaField;
    final FoldedMap.Builder exact = new FoldedMap.Builder(true);
    final LongMap.Builder numbers = new LongMap.Builder();
    final LongMap.Builder integerTexts = new LongMap.Builder();
    final FoldedMap.Builder numberTexts = new FoldedMap.Builder(false);
    final AhoCorasick.Builder ac = AhoCorasick.builder(true);
    final Map<Integer, List<Integer>> needlePreds = new HashMap<>();
    // needle -> (anchored regex predicate -> which of its literals this needle is)
    final Map<Integer, Map<Integer, Integer>> needleBits = new HashMap<>();
    final List<Integer> anyText = new ArrayList<>();
    boolean needsText;

    PlanBuilder(String sigmaField) {
      this.sigmaField = sigmaField;
    }
  }

  RouteCompiler(
      Map<ValueMatcher.RegexMatch, RegexPredicate> regexes, Map<String, AhoCorasick> automata) {
    this.regexes = regexes;
    this.automata = automata;
  }

  /** Routes with the same needles on a field share one automaton. */
  private AhoCorasick automaton(AhoCorasick.Builder b) {
    return automata.computeIfAbsent(b.key(), k -> b.build());
  }

  /** A rule with the bindings (one per distinct field mapping) it is evaluated through. */
  record Applicable(SigmaRule rule, int ruleId, List<Binding> mappings) {}

  Route compile(String name, List<Applicable> rules) {
    Route.Node[] programs = new Route.Node[rules.size()];
    int[] ruleIds = new int[rules.size()];
    List<Set<Integer>> triggerSets = new ArrayList<>();
    for (int r = 0; r < rules.size(); r++) {
      Applicable a = rules.get(r);
      ruleIds[r] = a.ruleId();
      List<Route.Node> perMapping = new ArrayList<>();
      for (Binding b : a.mappings()) {
        perMapping.add(condition(a.rule().condition(), a.rule(), b));
      }
      programs[r] =
          perMapping.size() == 1
              ? perMapping.get(0)
              : new Route.Node.Or(perMapping.toArray(Route.Node[]::new));
      Trigger t = trigger(programs[r]);
      triggerSets.add(t == null ? null : t.preds());
    }
    // Attach triggers.
    Map<Integer, List<Integer>> byPred = new HashMap<>();
    List<Integer> always = new ArrayList<>();
    Set<Integer> forced = new LinkedHashSet<>();
    for (int r = 0; r < rules.size(); r++) {
      Set<Integer> t = triggerSets.get(r);
      if (t == null) {
        always.add(r);
        continue;
      }
      for (int p : t) {
        byPred.computeIfAbsent(p, k -> new ArrayList<>()).add(r);
        if (!preds.get(p).eager()) {
          forced.add(p);
        }
      }
    }
    for (Map.Entry<Integer, List<Integer>> e : byPred.entrySet()) {
      preds.get(e.getKey()).triggers = e.getValue().stream().mapToInt(Integer::intValue).toArray();
    }
    for (int p : forced) {
      preds.get(p).forced = true;
    }
    // Field plans indexed by event field id (each mapped name of each Sigma field).
    int maxId = 0;
    Map<Integer, Route.FieldPlan> byId = new HashMap<>();
    List<Route.FieldPlan> allPlans = new ArrayList<>();
    List<Route.FieldPlan> nested = new ArrayList<>();
    for (PlanBuilder pb : plans.values()) {
      Route.FieldPlan fp = new Route.FieldPlan(pb.sigmaField);
      fp.index = allPlans.size();
      allPlans.add(fp);
      List<Integer> prefixes = new ArrayList<>();
      String fieldName = pb.sigmaField;
      for (int dot = fieldName.indexOf('.'); dot > 0; dot = fieldName.indexOf('.', dot + 1)) {
        prefixes.add(FieldNames.id(fieldName.substring(0, dot)));
      }
      if (!prefixes.isEmpty()) {
        fp.listPrefixIds = prefixes.stream().mapToInt(Integer::intValue).toArray();
        nested.add(fp);
      }
      fp.exact = pb.exact.isEmpty() ? null : pb.exact.build();
      fp.numbers = pb.numbers.isEmpty() ? null : pb.numbers.build();
      fp.integerTexts = pb.integerTexts.isEmpty() ? null : pb.integerTexts.build();
      fp.numberTexts = pb.numberTexts.isEmpty() ? null : pb.numberTexts.build();
      if (!pb.ac.isEmpty()) {
        fp.ac = automaton(pb.ac);
        fp.needlePreds = toArrays(pb.needlePreds, maxNeedle(pb.needlePreds));
        fp.needleBits = new int[fp.needlePreds.length][];
        for (int n = 0; n < fp.needlePreds.length; n++) {
          int[] ps = fp.needlePreds[n];
          fp.needleBits[n] = new int[ps.length];
          Map<Integer, Integer> bits = pb.needleBits.getOrDefault(n, Map.of());
          for (int k = 0; k < ps.length; k++) {
            fp.needleBits[n][k] = bits.getOrDefault(ps[k], 0);
          }
        }
      }
      fp.anyText = pb.anyText.stream().mapToInt(Integer::intValue).toArray();
      fp.needsText = pb.needsText;
      int id = FieldNames.id(pb.sigmaField);
      maxId = Math.max(maxId, id);
      byId.put(id, fp);
    }
    Route.FieldPlan[] plansByFieldId = new Route.FieldPlan[maxId + 1];
    byId.forEach((id, fp) -> plansByFieldId[id] = fp);
    AhoCorasick kwAc = keywordAc.isEmpty() ? null : automaton(keywordAc);
    int[][] kwNeedles =
        kwAc == null ? new int[0][] : toArrays(keywordNeedlePreds, maxNeedle(keywordNeedlePreds));
    boolean hasKeywords =
        kwAc != null || preds.stream().anyMatch(p -> p.kind == Route.Kind.LAZY_KEYWORD && p.forced);
    return new Route(
        name,
        preds.toArray(new Route.Pred[0]),
        ruleIds,
        programs,
        always.stream().mapToInt(Integer::intValue).toArray(),
        forced.stream().mapToInt(Integer::intValue).toArray(),
        plansByFieldId,
        allPlans.toArray(new Route.FieldPlan[0]),
        nested.toArray(new Route.FieldPlan[0]),
        kwAc,
        kwNeedles,
        hasKeywords);
  }

  private static int maxNeedle(Map<Integer, List<Integer>> m) {
    return m.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
  }

  private static int[][] toArrays(Map<Integer, List<Integer>> m, int n) {
    int[][] out = new int[n][];
    for (int i = 0; i < n; i++) {
      List<Integer> l = m.get(i);
      out[i] = l == null ? new int[0] : l.stream().mapToInt(Integer::intValue).toArray();
    }
    return out;
  }

  // ---- conditions to programs ----

  private Route.Node condition(Condition c, SigmaRule rule, Binding b) {
    return switch (c) {
      case Condition.And a ->
          new Route.Node.And(
              a.children().stream().map(x -> condition(x, rule, b)).toArray(Route.Node[]::new));
      case Condition.Or o ->
          new Route.Node.Or(
              o.children().stream().map(x -> condition(x, rule, b)).toArray(Route.Node[]::new));
      case Condition.Not n -> new Route.Node.Not(condition(n.child(), rule, b));
      case Condition.Ref r -> search(rule.searches().get(r.name()), b);
    };
  }

  private Route.Node search(Search s, Binding b) {
    return switch (s) {
      case Search.All a ->
          new Route.Node.And(
              a.children().stream().map(x -> search(x, b)).toArray(Route.Node[]::new));
      case Search.Any a ->
          new Route.Node.Or(
              a.children().stream().map(x -> search(x, b)).toArray(Route.Node[]::new));
      case Search.Item item -> item(item, b);
    };
  }

  private Route.Node item(Search.Item item, Binding b) {
    Route.Node[] values = new Route.Node[item.values().size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = value(item.field(), item.values().get(i), b);
    }
    Route.Node node =
        values.length == 1
            ? values[0]
            : item.matchAll() ? new Route.Node.And(values) : new Route.Node.Or(values);
    return item.negated() ? new Route.Node.Not(node) : node;
  }

  private Route.Node value(String field, ValueMatcher v, Binding b) {
    if (v instanceof ValueMatcher.AnyOf any) {
      return new Route.Node.Or(
          any.alternatives().stream().map(a -> value(field, a, b)).toArray(Route.Node[]::new));
    }
    if (field == null) {
      return new Route.Node.Leaf(keyword(v));
    }
    if (v instanceof ValueMatcher.NullMatch
        || v instanceof ValueMatcher.ExistsMatch
        || v instanceof ValueMatcher.FieldRefMatch) {
      // Presence tests and field references look at all mapped names at once.
      return new Route.Node.Leaf(mappedLazy(field, v, b));
    }
    // A Sigma field mapped to several event fields matches through any of them.
    List<String> names = b.eventFields(field);
    if (names.size() == 1) {
      return new Route.Node.Leaf(fieldPredicate(names.get(0), v));
    }
    return new Route.Node.Or(
        names.stream()
            .map(n -> new Route.Node.Leaf(fieldPredicate(n, v)))
            .toArray(Route.Node[]::new));
  }

  /** A lazy predicate that needs the binding's mapping (null, exists, fieldref). */
  private int mappedLazy(String field, ValueMatcher v, Binding b) {
    String key = "\u0000mapped\u0000" + b.fields() + "\u0000" + field + "\u0000" + v;
    Integer existing = predIndex.get(key);
    if (existing != null) {
      return existing;
    }
    int id = preds.size();
    preds.add(new Route.Pred(id, Route.Kind.LAZY, field, v, null, null, b));
    predIndex.put(key, id);
    return id;
  }

  private int pred(
      String key,
      Route.Kind kind,
      String field,
      ValueMatcher m,
      GlobMatcher glob,
      RegexPredicate regex) {
    Integer existing = predIndex.get(key);
    if (existing != null) {
      return existing;
    }
    int id = preds.size();
    preds.add(new Route.Pred(id, kind, field, m, glob, regex, IDENTITY));
    predIndex.put(key, id);
    return id;
  }

  private PlanBuilder plan(String field) {
    return plans.computeIfAbsent(field, PlanBuilder::new);
  }

  private int fieldPredicate(String field, ValueMatcher v) {
    String key = field + "\u0000" + v;
    if (field.equals(EventValues.TIMESTAMP)) {
      return lazy(field, v, key);
    }
    switch (v) {
      case ValueMatcher.StringMatch s when !s.cased() -> {
        return stringPredicate(field, s, key);
      }
      case ValueMatcher.NumberMatch n -> {
        Integer existing = predIndex.get(key);
        if (existing != null) {
          return existing;
        }
        int id = pred(key, Route.Kind.EXACT_NUMBER, field, v, null, null);
        PlanBuilder pb = plan(field);
        BigDecimal value = n.value();
        String canonical = canonical(value);
        pb.exact.add(canonical, id); // a string event value "4624"
        pb.numberTexts.add(canonical, id); // "4624.0" parsed to canonical
        try {
          pb.numbers.add(value.longValueExact(), id);
        } catch (ArithmeticException e) {
          pb.needsText = true; // a fractional rule number: compare doubles by canonical text
        }
        return id;
      }
      case ValueMatcher.RegexMatch r -> {
        RegexPredicate rp = regexes.computeIfAbsent(r, RegexPredicate::new);
        List<String> literals = RegexLiterals.allRequired(r.pattern(), 3);
        if (literals.isEmpty()) {
          return pred(key, Route.Kind.REGEX, field, v, null, rp);
        }
        Integer existing = predIndex.get(key);
        if (existing != null) {
          return existing;
        }
        // Every required literal must be in the value before the regex runs: a conjunction of
        // needles is far more selective than the longest one alone.
        List<String> needles = literals.stream().map(Fold::fold).distinct().limit(30).toList();
        int id = pred(key, Route.Kind.REGEX_ANCHORED, field, v, null, rp);
        preds.get(id).anchors = needles.size();
        PlanBuilder pb = plan(field);
        for (int bit = 0; bit < needles.size(); bit++) {
          int n = pb.ac.add(needles.get(bit));
          pb.needlePreds.computeIfAbsent(n, k -> new ArrayList<>()).add(id);
          pb.needleBits.computeIfAbsent(n, k -> new HashMap<>()).put(id, bit);
        }
        pb.needsText = true;
        return id;
      }
      default -> {
        return lazy(field, v, key);
      }
    }
  }

  private int lazy(String field, ValueMatcher v, String key) {
    return pred(key, Route.Kind.LAZY, field, v, null, null);
  }

  private int stringPredicate(String field, ValueMatcher.StringMatch s, String key) {
    Integer existing = predIndex.get(key);
    if (existing != null) {
      return existing;
    }
    List<Glob.Part> parts = s.glob().parts();
    PlanBuilder pb = plan(field);
    if (parts.isEmpty() || (parts.size() == 1 && parts.get(0) instanceof Glob.Literal)) {
      String text = parts.isEmpty() ? "" : ((Glob.Literal) parts.get(0)).text();
      int id = pred(key, Route.Kind.EXACT_TEXT, field, s, null, null);
      String folded = Fold.fold(text);
      pb.exact.add(folded, id);
      Long asLong = canonicalInteger(text);
      if (asLong != null) {
        pb.integerTexts.add(asLong, id);
      } else {
        pb.needsText = true; // might equal the text of a double, a boolean or an IP
      }
      return id;
    }
    if (parts.size() == 1 && parts.get(0) == Glob.Wildcard.ANY_STRING) {
      int id = pred(key, Route.Kind.ANY_TEXT, field, s, null, null);
      pb.anyText.add(id);
      pb.needsText = true;
      return id;
    }
    Route.Kind kind = needleKind(parts);
    if (kind != null) {
      String needle =
          Fold.fold(
              ((Glob.Literal)
                      parts.get(kind == Route.Kind.SUFFIX || kind == Route.Kind.CONTAINS ? 1 : 0))
                  .text());
      int id = pred(key, kind, field, s, null, null);
      int n = pb.ac.add(needle);
      pb.needlePreds.computeIfAbsent(n, k -> new ArrayList<>()).add(id);
      pb.needsText = true;
      return id;
    }
    String anchor = longestLiteral(parts);
    if (anchor == null) {
      return lazy(field, s, key);
    }
    int id = pred(key, Route.Kind.GLOB, field, s, new GlobMatcher(s.glob(), true), null);
    int n = pb.ac.add(Fold.fold(anchor));
    pb.needlePreds.computeIfAbsent(n, k -> new ArrayList<>()).add(id);
    pb.needsText = true;
    return id;
  }

  /** CONTAINS for [*, L, *], PREFIX for [L, *], SUFFIX for [*, L]; null for anything else. */
  private static Route.Kind needleKind(List<Glob.Part> parts) {
    if (parts.size() == 3
        && parts.get(0) == Glob.Wildcard.ANY_STRING
        && parts.get(1) instanceof Glob.Literal
        && parts.get(2) == Glob.Wildcard.ANY_STRING) {
      return Route.Kind.CONTAINS;
    }
    if (parts.size() == 2
        && parts.get(0) instanceof Glob.Literal
        && parts.get(1) == Glob.Wildcard.ANY_STRING) {
      return Route.Kind.PREFIX;
    }
    if (parts.size() == 2
        && parts.get(0) == Glob.Wildcard.ANY_STRING
        && parts.get(1) instanceof Glob.Literal) {
      return Route.Kind.SUFFIX;
    }
    return null;
  }

  private static String longestLiteral(List<Glob.Part> parts) {
    String best = null;
    for (Glob.Part p : parts) {
      if (p instanceof Glob.Literal l && (best == null || l.text().length() > best.length())) {
        best = l.text();
      }
    }
    return best;
  }

  private int keyword(ValueMatcher v) {
    String key = "\u0000kw\u0000" + v;
    Integer existing = predIndex.get(key);
    if (existing != null) {
      return existing;
    }
    if (v instanceof ValueMatcher.StringMatch s && !s.cased()) {
      Glob g = ReferenceEvaluator.contains(s.glob());
      List<Glob.Part> parts = g.parts();
      if (needleKind(parts) == Route.Kind.CONTAINS) {
        int id = pred(key, Route.Kind.KEYWORD_CONTAINS, null, v, null, null);
        int n = keywordAc.add(Fold.fold(((Glob.Literal) parts.get(1)).text()));
        keywordNeedlePreds.computeIfAbsent(n, k -> new ArrayList<>()).add(id);
        return id;
      }
      String anchor = longestLiteral(parts);
      if (anchor != null) {
        int id = pred(key, Route.Kind.KEYWORD_GLOB, null, v, new GlobMatcher(g, true), null);
        int n = keywordAc.add(Fold.fold(anchor));
        keywordNeedlePreds.computeIfAbsent(n, k -> new ArrayList<>()).add(id);
        return id;
      }
    }
    return pred(key, Route.Kind.LAZY_KEYWORD, null, v, null, null);
  }

  static String canonical(BigDecimal n) {
    BigDecimal s = n.stripTrailingZeros();
    return s.scale() < 0 ? s.setScale(0).toPlainString() : s.toPlainString();
  }

  /** The value of a text that is an integer in canonical form ("4624", "-1"), else null. */
  static Long canonicalInteger(String t) {
    if (t.isEmpty() || t.length() > 18) {
      return null;
    }
    int i = t.charAt(0) == '-' ? 1 : 0;
    if (i == t.length() || (t.charAt(i) == '0' && t.length() > i + 1)) {
      return null;
    }
    for (int k = i; k < t.length(); k++) {
      if (t.charAt(k) < '0' || t.charAt(k) > '9') {
        return null;
      }
    }
    if (t.equals("-0")) {
      return null;
    }
    return Long.parseLong(t);
  }

  // ---- triggers ----

  /** A trigger set with a cost; null means "no trigger possible". */
  private record Trigger(Set<Integer> preds, double cost) {}

  private Trigger trigger(Route.Node n) {
    return switch (n) {
      case Route.Node.Leaf l -> new Trigger(Set.of(l.pred()), cost(preds.get(l.pred())));
      case Route.Node.Const c -> null;
      case Route.Node.Not x -> null;
      case Route.Node.And a -> {
        Trigger best = null;
        for (Route.Node c : a.children()) {
          Trigger t = trigger(c);
          if (t != null && (best == null || t.cost() < best.cost())) {
            best = t;
          }
        }
        yield best;
      }
      case Route.Node.Or o -> {
        Set<Integer> all = new LinkedHashSet<>();
        double cost = 0;
        for (Route.Node c : o.children()) {
          Trigger t = trigger(c);
          if (t == null) {
            yield null;
          }
          all.addAll(t.preds());
          cost += t.cost();
        }
        yield new Trigger(all, cost);
      }
    };
  }

  /**
   * How often a predicate is expected to be true, roughly: long needles are rare, numbers (event
   * ids, logon types) and presence tests common; lazy predicates are expensive to force.
   */
  private static double cost(Route.Pred p) {
    return switch (p.kind) {
      case EXACT_TEXT -> 2;
      case EXACT_NUMBER -> 40;
      case ANY_TEXT -> 90;
      case CONTAINS, PREFIX, SUFFIX, KEYWORD_CONTAINS -> {
        String lit = needleOf(p);
        yield lit == null ? 30 : Math.max(1, 40.0 / Math.max(1, lit.length()));
      }
      case GLOB, KEYWORD_GLOB -> 15;
      case REGEX -> 60;
      case REGEX_ANCHORED -> 10;
      case LAZY, LAZY_KEYWORD ->
          p.matcher instanceof ValueMatcher.NullMatch
                  || p.matcher instanceof ValueMatcher.ExistsMatch
              ? 200
              : 120;
    };
  }

  private static String needleOf(Route.Pred p) {
    if (p.matcher instanceof ValueMatcher.StringMatch s) {
      for (Glob.Part part : s.glob().parts()) {
        if (part instanceof Glob.Literal l) {
          return l.text();
        }
      }
    }
    return null;
  }
}
