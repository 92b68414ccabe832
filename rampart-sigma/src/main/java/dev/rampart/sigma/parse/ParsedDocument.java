package dev.rampart.sigma.parse;

import dev.rampart.sigma.rule.SigmaCorrelation;
import dev.rampart.sigma.rule.SigmaFilter;
import dev.rampart.sigma.rule.SigmaRule;

/** One YAML document of a rule file, parsed: a detection rule, a correlation or a filter. */
public sealed interface ParsedDocument {
  record Rule(SigmaRule rule) implements ParsedDocument {}

  record Correlation(SigmaCorrelation correlation) implements ParsedDocument {}

  record Filter(SigmaFilter filter) implements ParsedDocument {}
}
