package dev.rampart.cases.incident;

import java.util.List;

/**
 * One incident as stored. Times are epoch milliseconds; {@code acknowledgedAt} and {@code
 * resolvedAt} are null until they happen; the due times come from the SLA of the priority.
 *
 * @param mergedInto the incident this one was merged into, or null
 * @param ackDueAt when it must be acknowledged by (null: no SLA)
 * @param resolveDueAt when it must be closed by (null: no SLA)
 * @param tenant whose it is (its first alert's tenant); only that tenant's users see it
 */
public record Incident(
    String id,
    String title,
    Status status,
    String priority,
    String owner,
    String host,
    String user,
    long createdAt,
    long updatedAt,
    Long acknowledgedAt,
    Long resolvedAt,
    String mergedInto,
    Long ackDueAt,
    Long resolveDueAt,
    List<String> tags,
    String tenant) {
  public Incident {
    tags = List.copyOf(tags);
    tenant = tenant == null ? "default" : tenant;
  }

  /** Whether an SLA timer has run out at {@code now}: unacknowledged or unresolved past due. */
  public boolean breached(long now) {
    return (acknowledgedAt == null && ackDueAt != null && ackDueAt < now)
        || (resolvedAt == null && resolveDueAt != null && resolveDueAt < now);
  }
}
