package dev.rampart.sigma.rule;

import java.util.List;
import java.util.Map;

/**
 * A Sigma filter (meta rule): its condition is ANDed into the condition of every listed rule whose
 * log source it covers. {@code rules} null means "any rule".
 */
public record SigmaFilter(
    String id,
    String title,
    Logsource logsource,
    List<String> rules,
    Map<String, Search> searches,
    Condition condition,
    String conditionText,
    String file,
    Position position) {}
