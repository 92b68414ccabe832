package dev.rampart.sigma.eval;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.Value;
import dev.rampart.sigma.mapping.Binding;
import dev.rampart.sigma.mapping.LogsourceMapping;
import dev.rampart.sigma.rule.Glob;
import dev.rampart.sigma.rule.Logsource;
import dev.rampart.sigma.rule.Search;
import dev.rampart.sigma.rule.SigmaRule;
import dev.rampart.sigma.rule.ValueMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * Why a rule did or did not match an event, search by search and value by value: what detection
 * engineers need to see when a rule surprises them. Uses the reference interpreter, so the
 * explanation is the oracle's own reasoning.
 */
public final class Explainer {
  private final LogsourceMapping mapping;
  private final ReferenceEvaluator ref;

  public Explainer(LogsourceMapping mapping) {
    this.mapping = mapping;
    this.ref = new ReferenceEvaluator(mapping);
  }

  /** One rule value and whether it matched. */
  public record ValueResult(String value, boolean matched) {}

  /** One detection item: the field, the event's values for it, and each rule value's result. */
  public record ItemResult(
      String key,
      List<String> eventFields,
      List<String> eventValues,
      List<ValueResult> values,
      boolean matched) {}

  /** One search identifier. */
  public record SearchResult(String name, boolean matched, List<ItemResult> items) {}

  /**
   * The whole story for one event.
   *
   * @param bindings the event's log sources
   * @param applies whether the rule's log source is among them
   * @param searches evaluated through the first binding the rule applies through (or, when it
   *     applies through none, as if it did, to show what would have happened)
   */
  public record Explanation(
      boolean matched,
      boolean applies,
      List<String> bindings,
      String logType,
      List<SearchResult> searches) {}

  public Explanation explain(SigmaRule rule, Event e) {
    List<Binding> bs = mapping.bindingsFor(e);
    Binding through = null;
    for (Binding b : bs) {
      if (rule.logsource().isSatisfiedBy(b.logsource())) {
        through = b;
        break;
      }
    }
    boolean applies = through != null;
    Binding b = applies ? through : Binding.any(Logsource.EMPTY);
    List<SearchResult> searches = new ArrayList<>();
    rule.searches()
        .forEach(
            (name, s) -> searches.add(new SearchResult(name, ref.search(s, e, b), items(s, e, b))));
    boolean matched = applies && ref.matches(rule, e);
    return new Explanation(
        matched,
        applies,
        bs.stream().map(x -> x.logsource().key()).distinct().toList(),
        e.source().logType(),
        searches);
  }

  private List<ItemResult> items(Search s, Event e, Binding b) {
    List<ItemResult> out = new ArrayList<>();
    collect(s, e, b, out);
    return out;
  }

  private void collect(Search s, Event e, Binding b, List<ItemResult> out) {
    switch (s) {
      case Search.All a -> a.children().forEach(c -> collect(c, e, b, out));
      case Search.Any a -> a.children().forEach(c -> collect(c, e, b, out));
      case Search.Item item -> {
        List<String> fields =
            item.isKeyword() ? List.of("(keywords)") : b.eventFields(item.field());
        List<String> values = new ArrayList<>();
        if (!item.isKeyword()) {
          for (String f : fields) {
            for (Value v : EventValues.values(e, f)) {
              values.add(v.asText());
            }
          }
        }
        List<ValueResult> results = new ArrayList<>();
        for (ValueMatcher v : item.values()) {
          boolean m = item.isKeyword() ? ref.keyword(v, e) : ref.field(v, item.field(), e, b);
          results.add(new ValueResult(describe(v), m));
        }
        out.add(
            new ItemResult(
                item.key().isEmpty() ? "(keywords)" : item.key(),
                fields,
                values,
                results,
                ref.item(item, e, b)));
      }
    }
  }

  /** A rule value in Sigma-like notation. */
  public static String describe(ValueMatcher v) {
    return switch (v) {
      case ValueMatcher.StringMatch s -> "'" + s.glob() + "'" + (s.cased() ? " (cased)" : "");
      case ValueMatcher.AnyOf a ->
          a.alternatives().size() <= 3
              ? a.alternatives().stream().map(Explainer::describe).toList().toString()
              : "one of "
                  + a.alternatives().size()
                  + " alternatives such as "
                  + describe(a.alternatives().get(0));
      case ValueMatcher.RegexMatch r ->
          "/"
              + r.pattern()
              + "/"
              + (r.ignoreCase() ? "i" : "")
              + (r.multiline() ? "m" : "")
              + (r.dotAll() ? "s" : "");
      case ValueMatcher.NumberMatch n -> n.value().toPlainString();
      case ValueMatcher.BoolMatch b -> Boolean.toString(b.value());
      case ValueMatcher.NullMatch n -> "null (absent)";
      case ValueMatcher.ExistsMatch x -> x.exists() ? "exists" : "does not exist";
      case ValueMatcher.CompareMatch c ->
          (c.part() == null ? "" : c.part().name().toLowerCase(java.util.Locale.ROOT) + " ")
              + c.op().name().toLowerCase(java.util.Locale.ROOT)
              + " "
              + c.value().toPlainString();
      case ValueMatcher.TimePartMatch p ->
          p.part().name().toLowerCase(java.util.Locale.ROOT) + " = " + p.value();
      case ValueMatcher.CidrMatch c -> c.network().text();
      case ValueMatcher.FieldRefMatch f ->
          "field " + f.field() + " (" + f.mode().name().toLowerCase(java.util.Locale.ROOT) + ")";
    };
  }

  static String glob(Glob g) {
    return g.toString();
  }
}
