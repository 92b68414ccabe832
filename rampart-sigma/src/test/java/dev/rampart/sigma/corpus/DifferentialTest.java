package dev.rampart.sigma.corpus;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.FieldNames;
import dev.rampart.core.event.Value;
import dev.rampart.sigma.compile.SigmaEngine;
import dev.rampart.sigma.compile.SigmaMatcher;
import dev.rampart.sigma.eval.ReferenceEvaluator;
import dev.rampart.sigma.mapping.Binding;
import dev.rampart.sigma.mapping.LogsourceMapping;
import dev.rampart.sigma.rule.Glob;
import dev.rampart.sigma.rule.Search;
import dev.rampart.sigma.rule.SigmaRule;
import dev.rampart.sigma.rule.ValueMatcher;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The compiled engine agrees with the reference interpreter, rule for rule, over the whole SigmaHQ
 * set: on real events (regression logs, OTRF datasets) through the default mapping, and on events
 * generated from the rules' own values (near-hits and hits, case and wildcard variations) with
 * every rule applicable. A disagreement prints the seed, the rule and the event.
 */
class DifferentialTest {
  static List<SigmaRule> rules;
  static SigmaEngine everywhere;
  static ReferenceEvaluator everywhereRef;

  @BeforeContainer
  static void setUp() throws IOException {
    rules = SigmaHq.rules().rules();
    List<Binding> bindings = new ArrayList<>();
    for (SigmaRule r : rules) {
      if (bindings.stream().noneMatch(b -> b.logsource().equals(r.logsource()))) {
        bindings.add(Binding.any(r.logsource()));
      }
    }
    LogsourceMapping all = new LogsourceMapping("every rule everywhere", bindings);
    everywhere = SigmaEngine.compile(rules, all);
    everywhereRef = new ReferenceEvaluator(all);
  }

  static void agree(
      SigmaEngine engine, ReferenceEvaluator ref, SigmaMatcher m, Event e, String context) {
    m.match(e);
    List<Integer> compiled = m.matchedRules();
    List<Integer> reference = new ArrayList<>();
    for (int i = 0; i < engine.rules().size(); i++) {
      if (ref.matches(engine.rule(i), e)) {
        reference.add(i);
      }
    }
    if (!compiled.equals(reference)) {
      List<String> diff = new ArrayList<>();
      for (int i : compiled) {
        if (!reference.contains(i)) {
          diff.add("compiled only: " + engine.rule(i).id() + " " + engine.rule(i).title());
        }
      }
      for (int i : reference) {
        if (!compiled.contains(i)) {
          diff.add("reference only: " + engine.rule(i).id() + " " + engine.rule(i).title());
        }
      }
      throw new AssertionError(context + ": " + diff + " on " + e);
    }
  }

  @Property(tries = 250)
  void generatedEventsAgree(@ForAll long seed) {
    Random rnd = new Random(seed);
    SigmaMatcher m = everywhere.newMatcher();
    for (int k = 0; k < 4; k++) {
      SigmaRule r = rules.get(rnd.nextInt(rules.size()));
      Event e = eventFrom(r, rnd);
      agree(everywhere, everywhereRef, m, e, "seed " + seed + " from rule " + r.id());
    }
  }

  /** An event built from a rule's own values, varied: some hit, most nearly hit. */
  static Event eventFrom(SigmaRule r, Random rnd) {
    Event e = new Event();
    for (Search s : r.searches().values()) {
      fill(s, e, rnd);
    }
    return e;
  }

  private static void fill(Search s, Event e, Random rnd) {
    switch (s) {
      case Search.All a -> a.children().forEach(c -> fill(c, e, rnd));
      case Search.Any a -> fill(a.children().get(rnd.nextInt(a.children().size())), e, rnd);
      case Search.Item item -> {
        if (item.values().isEmpty() || rnd.nextInt(10) == 0) {
          return;
        }
        ValueMatcher v = item.values().get(rnd.nextInt(item.values().size()));
        Value value = valueFor(v, rnd);
        if (value == null) {
          return;
        }
        String field = item.isKeyword() ? "Message" : item.field();
        int id = FieldNames.id(field);
        if (e.indexOf(id) >= 0) {
          if (rnd.nextBoolean()
              && e.get(field) instanceof Value.Str prev
              && value instanceof Value.Str now) {
            e.put(field, new Value.Str(prev.value() + " " + now.value()));
          }
          return;
        }
        e.add(
            id,
            rnd.nextInt(12) == 0
                ? new Value.ListValue(List.of(new Value.Str("other"), value))
                : value);
      }
    }
  }

  private static Value valueFor(ValueMatcher v, Random rnd) {
    return switch (v) {
      case ValueMatcher.StringMatch s -> new Value.Str(render(s.glob(), rnd));
      case ValueMatcher.AnyOf a ->
          valueFor(a.alternatives().get(rnd.nextInt(a.alternatives().size())), rnd);
      case ValueMatcher.NumberMatch n ->
          switch (rnd.nextInt(3)) {
            case 0 -> new Value.Str(n.value().toPlainString());
            case 1 -> {
              try {
                yield new Value.Int64(n.value().longValueExact() + (rnd.nextInt(4) == 0 ? 1 : 0));
              } catch (ArithmeticException ex) {
                yield new Value.Str(n.value().toPlainString());
              }
            }
            default -> new Value.Str(n.value().toPlainString() + ".0");
          };
      case ValueMatcher.BoolMatch b ->
          rnd.nextBoolean()
              ? Value.Bool.of(b.value())
              : new Value.Str(b.value() ? "TRUE" : "false");
      case ValueMatcher.NullMatch n -> rnd.nextBoolean() ? Value.Null.INSTANCE : new Value.Str("");
      case ValueMatcher.CidrMatch c -> new Value.Str(c.network().network().toString());
      case ValueMatcher.RegexMatch r -> {
        String t = r.pattern().replaceAll("[\\\\^$()\\[\\]|+?*{}]", "");
        // Line ends around the text: where regex engines disagree about '$', '^' and '.'.
        yield new Value.Str(
            switch (rnd.nextInt(6)) {
              case 0 -> t + "\n";
              case 1 -> t + "\r\n";
              case 2 -> "\n" + t;
              default -> t;
            });
      }
      default -> new Value.Str("x");
    };
  }

  /** Fills wildcards with nothing or short text and flips the case of some letters. */
  private static String render(Glob g, Random rnd) {
    StringBuilder sb = new StringBuilder();
    for (Glob.Part p : g.parts()) {
      switch (p) {
        case Glob.Literal l -> {
          String t = l.text();
          if (rnd.nextInt(8) == 0 && t.length() > 1) {
            t = t.substring(0, t.length() - 1); // a near miss
          }
          for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            sb.append(
                rnd.nextInt(3) == 0
                    ? (Character.isUpperCase(c)
                        ? Character.toLowerCase(c)
                        : Character.toUpperCase(c))
                    : c);
          }
        }
        case Glob.Wildcard w ->
            sb.append(
                w == Glob.Wildcard.ANY_STRING
                    ? switch (rnd.nextInt(5)) {
                      case 0, 1 -> "";
                      case 2 -> "\n";
                      default -> "ab C";
                    }
                    : "Q");
      }
    }
    return sb.toString();
  }
}
