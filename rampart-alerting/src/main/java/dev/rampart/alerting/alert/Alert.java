package dev.rampart.alerting.alert;

import java.util.List;
import java.util.Map;

/**
 * A detection: a rule matched an event.
 *
 * @param id deterministic ({@code rule id @ event id}), so a replay after a crash writes the same
 *     alert and consumers keep it once
 * @param ruleId the Sigma rule's id (or its file when it has none)
 * @param title the rule's title
 * @param level the rule's level (informational, low, medium, high, critical)
 * @param tags the rule's tags ({@code attack.t1059.001}, {@code attack.execution}, ...)
 * @param techniques the ATT&CK technique ids among the tags, upper-cased ({@code T1059.001})
 * @param eventIds the events behind it (spool offsets)
 * @param eventTime the event's time, epoch nanos
 * @param detectedAt when the alert was made, epoch nanos (MTTD is detectedAt - eventTime)
 * @param matched the fields the rule's matching items looked at, with the event's values
 * @param entities who and what is involved
 * @param tenant the tenant the event belongs to (by the input it came through; {@code default} when
 *     the input is not assigned to one)
 */
public record Alert(
    String id,
    String ruleId,
    String title,
    String level,
    List<String> tags,
    List<String> techniques,
    List<Long> eventIds,
    long eventTime,
    long detectedAt,
    Map<String, List<String>> matched,
    Entities entities,
    String tenant) {
  /** The tenant of events from inputs no tenant claims, and of alerts written before tenants. */
  public static final String DEFAULT_TENANT = "default";

  public Alert {
    tenant = tenant == null || tenant.isBlank() ? DEFAULT_TENANT : tenant;
    tags = List.copyOf(tags);
    techniques = List.copyOf(techniques);
    eventIds = List.copyOf(eventIds);
    matched = Map.copyOf(matched);
  }

  /** The host, user, source address and process of the event; null when it has none. */
  public record Entities(String host, String user, String sourceIp, String process) {}
}
