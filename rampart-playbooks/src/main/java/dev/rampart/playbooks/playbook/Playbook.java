package dev.rampart.playbooks.playbook;

import java.util.List;
import java.util.Set;

/**
 * A validated playbook: when it triggers and the steps it runs, in order.
 *
 * @param name unique among loaded playbooks (defaults to the file name)
 * @param file where it was read from, for messages
 */
public record Playbook(
    String name, String file, String description, boolean enabled, Trigger on, List<Step> steps) {
  public Playbook {
    steps = List.copyOf(steps);
  }

  /**
   * When a playbook runs. An alert trigger fires for an alert filed into an incident when every
   * filter given matches (a list matches when any of its entries does); incident triggers fire on
   * the incident events listed.
   *
   * @param alerts whether alerts trigger it at all
   * @param rules rule ids (empty: any)
   * @param tags rule tags such as {@code attack.t1110} (empty: any)
   * @param minLevel the least level (null: any)
   * @param minIdentityRisk the least identity risk of the alert's user (low, medium, high,
   *     critical; null: any, and alerts about nobody known match too)
   * @param incident incident events: {@code created}, {@code changed}, or a change kind ({@code
   *     status}, {@code owner}, {@code priority}, {@code comment}, {@code tags}, {@code evidence},
   *     {@code merged}, {@code alerts})
   */
  public record Trigger(
      boolean alerts,
      Set<String> rules,
      Set<String> tags,
      String minLevel,
      String minIdentityRisk,
      Set<String> incident) {
    /** Identity-risk levels, lowest first. */
    public static final java.util.List<String> RISK_LEVELS =
        java.util.List.of("low", "medium", "high", "critical");

    public Trigger {
      rules = Set.copyOf(rules);
      tags = Set.copyOf(tags);
      incident = Set.copyOf(incident);
    }
  }
}
