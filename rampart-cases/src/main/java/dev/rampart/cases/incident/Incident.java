package dev.rampart.cases.incident;

/**
 * One incident as stored. Times are epoch milliseconds; {@code acknowledgedAt} and {@code
 * resolvedAt} are null until they happen.
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
    Long resolvedAt) {}
