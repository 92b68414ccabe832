package dev.rampart.sigma.rule;

import java.util.List;
import java.util.Map;

/**
 * A Sigma correlation rule as loaded. Its evaluation comes with the correlation engine; here it is
 * validated and kept so that rule sets load whole and {@code generate} can be honoured.
 */
public record SigmaCorrelation(
    String id,
    String name,
    String title,
    Level level,
    String type,
    List<String> rules,
    List<String> groupBy,
    String timespan,
    Map<String, Object> condition,
    Map<String, Map<String, String>> aliases,
    boolean generate,
    List<String> tags,
    String file,
    Position position) {}
