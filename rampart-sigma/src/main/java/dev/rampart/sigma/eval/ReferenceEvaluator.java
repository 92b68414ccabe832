package dev.rampart.sigma.eval;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.Timestamps;
import dev.rampart.core.event.Value;
import dev.rampart.sigma.mapping.Binding;
import dev.rampart.sigma.mapping.LogsourceMapping;
import dev.rampart.sigma.rule.Condition;
import dev.rampart.sigma.rule.Glob;
import dev.rampart.sigma.rule.Search;
import dev.rampart.sigma.rule.SigmaRule;
import dev.rampart.sigma.rule.ValueMatcher;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reference interpreter: one rule at a time, one event at a time, by walking the rule's
 * condition and searches with the plain semantics of {@link Semantics}. Slow on purpose and obvious
 * on purpose: it is the oracle that the compiled engine must agree with.
 */
public final class ReferenceEvaluator {
  private final LogsourceMapping mapping;
  private final ConcurrentHashMap<ValueMatcher.RegexMatch, java.util.regex.Pattern> regexes =
      new ConcurrentHashMap<>();

  public ReferenceEvaluator(LogsourceMapping mapping) {
    this.mapping = mapping;
  }

  /**
   * Whether the rule matches the event through any binding of the event that the rule applies to.
   */
  public boolean matches(SigmaRule rule, Event event) {
    for (Binding b : mapping.bindingsFor(event)) {
      if (rule.logsource().isSatisfiedBy(b.logsource()) && matches(rule, event, b)) {
        return true;
      }
    }
    return false;
  }

  /** The rules of {@code rules} that match the event, in order. */
  public List<SigmaRule> matching(List<SigmaRule> rules, Event event) {
    List<SigmaRule> out = new ArrayList<>();
    for (SigmaRule r : rules) {
      if (matches(r, event)) {
        out.add(r);
      }
    }
    return out;
  }

  /** Whether the rule matches, reading fields through the binding's field mapping. */
  public boolean matches(SigmaRule rule, Event event, Binding binding) {
    return eval(rule.condition(), rule, event, binding);
  }

  private boolean eval(Condition c, SigmaRule rule, Event e, Binding b) {
    return switch (c) {
      case Condition.And a -> a.children().stream().allMatch(x -> eval(x, rule, e, b));
      case Condition.Or o -> o.children().stream().anyMatch(x -> eval(x, rule, e, b));
      case Condition.Not n -> !eval(n.child(), rule, e, b);
      case Condition.Ref r -> search(rule.searches().get(r.name()), e, b);
    };
  }

  /** Evaluates one search (exposed for explanations). */
  public boolean search(Search s, Event e, Binding b) {
    return switch (s) {
      case Search.All a -> a.children().stream().allMatch(x -> search(x, e, b));
      case Search.Any a -> a.children().stream().anyMatch(x -> search(x, e, b));
      case Search.Item item -> item(item, e, b);
    };
  }

  /** Evaluates one detection item. */
  public boolean item(Search.Item item, Event e, Binding b) {
    boolean result = item.matchAll();
    for (ValueMatcher v : item.values()) {
      boolean m = item.isKeyword() ? keyword(v, e) : field(v, item.field(), e, b);
      if (item.matchAll() && !m) {
        result = false;
        break;
      }
      if (!item.matchAll() && m) {
        result = true;
        break;
      }
    }
    return item.negated() != result;
  }

  /** One value of a field item: any of the mapped event fields, any element of a list. */
  public boolean field(ValueMatcher v, String field, Event e, Binding b) {
    List<Value> values = new ArrayList<>();
    for (String name : b.eventFields(field)) {
      values.addAll(EventValues.values(e, name));
    }
    switch (v) {
      case ValueMatcher.NullMatch n -> {
        for (Value x : values) {
          if (!(x instanceof Value.Null)
              && !(x instanceof Value.ListValue l && l.items().isEmpty())) {
            return false;
          }
        }
        return true;
      }
      case ValueMatcher.ExistsMatch ex -> {
        return ex.exists() == !values.isEmpty();
      }
      case ValueMatcher.FieldRefMatch ref -> {
        List<Value> others = new ArrayList<>();
        for (String name : b.eventFields(ref.field())) {
          others.addAll(EventValues.values(e, name));
        }
        for (Value x : flatten(values)) {
          for (Value y : flatten(others)) {
            String a = EventValues.text(x);
            String c = EventValues.text(y);
            if (a != null && c != null && Semantics.refMatches(ref.mode(), a, c)) {
              return true;
            }
          }
        }
        return false;
      }
      default -> {
        for (Value x : flatten(values)) {
          if (single(v, x)) {
            return true;
          }
        }
        return false;
      }
    }
  }

  private static List<Value> flatten(List<Value> values) {
    List<Value> out = new ArrayList<>();
    for (Value v : values) {
      if (v instanceof Value.ListValue l) {
        out.addAll(flatten(l.items()));
      } else {
        out.add(v);
      }
    }
    return out;
  }

  /** One rule value against one (non-list) event value. */
  private boolean single(ValueMatcher v, Value x) {
    return switch (v) {
      case ValueMatcher.StringMatch s -> {
        String t = EventValues.text(x);
        yield t != null && Semantics.globMatches(s.glob(), s.cased(), t);
      }
      case ValueMatcher.AnyOf any -> any.alternatives().stream().anyMatch(a -> single(a, x));
      case ValueMatcher.RegexMatch r -> {
        String t = EventValues.text(x);
        yield t != null && regex(r).matcher(t).find();
      }
      case ValueMatcher.NumberMatch n -> Semantics.numberMatches(n.value(), x);
      case ValueMatcher.BoolMatch bm -> Semantics.boolMatches(bm.value(), x);
      case ValueMatcher.CidrMatch c -> {
        var ip = Semantics.ip(x);
        yield ip != null && c.network().contains(ip);
      }
      case ValueMatcher.CompareMatch c -> {
        BigDecimal actual;
        if (c.part() != null) {
          long t = Semantics.time(x);
          actual = t == Timestamps.UNSET ? null : BigDecimal.valueOf(Semantics.part(c.part(), t));
        } else {
          actual = EventValues.number(x);
        }
        yield actual != null && Semantics.compare(c.op(), actual, c.value());
      }
      case ValueMatcher.TimePartMatch p -> {
        long t = Semantics.time(x);
        yield t != Timestamps.UNSET && Semantics.part(p.part(), t) == p.value();
      }
      case ValueMatcher.NullMatch n -> false;
      case ValueMatcher.ExistsMatch ex -> false;
      case ValueMatcher.FieldRefMatch ref -> false;
    };
  }

  private java.util.regex.Pattern regex(ValueMatcher.RegexMatch r) {
    return regexes.computeIfAbsent(r, Semantics::javaRegex);
  }

  /**
   * A keyword value: searched (implicitly as a substring) in the event's message, or in every text
   * value of an event without one.
   */
  public boolean keyword(ValueMatcher v, Event e) {
    List<String> texts = EventValues.keywordTexts(e);
    for (String t : texts) {
      if (keywordText(v, t)) {
        return true;
      }
    }
    return false;
  }

  private boolean keywordText(ValueMatcher v, String t) {
    return switch (v) {
      case ValueMatcher.StringMatch s -> Semantics.globMatches(contains(s.glob()), s.cased(), t);
      case ValueMatcher.AnyOf any -> any.alternatives().stream().anyMatch(a -> keywordText(a, t));
      case ValueMatcher.RegexMatch r -> regex(r).matcher(t).find();
      case ValueMatcher.NumberMatch n -> t.contains(n.value().toPlainString());
      case ValueMatcher.BoolMatch b -> Fold.fold(t).contains(b.value() ? "true" : "false");
      default -> false;
    };
  }

  /** Keywords have implicit contains semantics. */
  public static Glob contains(Glob g) {
    Glob out = g;
    if (!out.startsWithAny()) {
      out = out.prepend(Glob.Wildcard.ANY_STRING);
    }
    if (!out.endsWithAny()) {
      out = out.append(Glob.Wildcard.ANY_STRING);
    }
    return out;
  }
}
