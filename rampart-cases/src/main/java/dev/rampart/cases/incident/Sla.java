package dev.rampart.cases.incident;

import java.time.Duration;
import java.util.Map;

/**
 * How fast an incident of a priority must be acknowledged and closed. Due times are set when the
 * incident opens (and again when its priority changes); {@link Incident#breached} compares them.
 */
public record Sla(Duration acknowledge, Duration resolve) {
  /** Defaults in the spirit of common SOC runbooks; the alerting config overrides them. */
  public static Map<String, Sla> defaults() {
    return Map.of(
        "critical", new Sla(Duration.ofMinutes(15), Duration.ofHours(4)),
        "high", new Sla(Duration.ofHours(1), Duration.ofHours(24)),
        "medium", new Sla(Duration.ofHours(4), Duration.ofDays(3)),
        "low", new Sla(Duration.ofHours(24), Duration.ofDays(7)));
  }
}
