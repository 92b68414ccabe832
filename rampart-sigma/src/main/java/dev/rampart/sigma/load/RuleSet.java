package dev.rampart.sigma.load;

import dev.rampart.sigma.parse.LoadProblem;
import dev.rampart.sigma.rule.SigmaCorrelation;
import dev.rampart.sigma.rule.SigmaFilter;
import dev.rampart.sigma.rule.SigmaRule;
import java.util.List;

/**
 * What a load produced: detection rules (with filters applied), correlation rules, filters, and
 * every problem. {@code rejected} counts documents that did not load.
 */
public record RuleSet(
    List<SigmaRule> rules,
    List<SigmaCorrelation> correlations,
    List<SigmaFilter> filters,
    int rejected,
    List<LoadProblem> problems) {

  public RuleSet {
    rules = List.copyOf(rules);
    correlations = List.copyOf(correlations);
    filters = List.copyOf(filters);
    problems = List.copyOf(problems);
  }

  /** Documents that loaded: rules, correlations and filters. */
  public int loaded() {
    return rules.size() + correlations.size() + filters.size();
  }

  public List<LoadProblem> errors() {
    return problems.stream().filter(LoadProblem::isError).toList();
  }

  public List<LoadProblem> warnings() {
    return problems.stream().filter(p -> !p.isError()).toList();
  }
}
