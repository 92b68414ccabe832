package dev.rampart.core.json;

import java.util.Set;

/**
 * Limits and policies for {@link JsonEventReader}. Every limit protects the process from one
 * hostile or broken record; a record over a limit is reported and skipped, never allowed to exhaust
 * memory.
 *
 * @param maxRecordBytes largest record accepted, in bytes
 * @param maxDepth deepest object/array nesting accepted
 * @param maxFields most fields (after flattening) in one record
 * @param invalidUtf8 what to do with bytes that are not UTF-8
 * @param ipFields flattened field names whose string values become {@link
 *     dev.rampart.core.event.Kind#IP} values when they are IP literals
 */
public record ReadOptions(
    int maxRecordBytes,
    int maxDepth,
    int maxFields,
    InvalidUtf8 invalidUtf8,
    Set<String> ipFields) {

  /** Policy for invalid UTF-8 inside a record. */
  public enum InvalidUtf8 {
    /** Keep the record, replace each bad sequence with U+FFFD, and report a warning. */
    REPLACE,
    /** Skip the record and report an error. */
    REJECT
  }

  /** ECS fields that hold IP addresses. */
  public static final Set<String> ECS_IP_FIELDS =
      Set.of(
          "source.ip",
          "destination.ip",
          "client.ip",
          "server.ip",
          "host.ip",
          "related.ip",
          "observer.ip",
          "source.nat.ip",
          "destination.nat.ip");

  public static final ReadOptions DEFAULTS =
      new ReadOptions(16 << 20, 64, 10_000, InvalidUtf8.REPLACE, ECS_IP_FIELDS);

  public ReadOptions {
    if (maxRecordBytes < 64 || maxDepth < 1 || maxFields < 1) {
      throw new IllegalArgumentException("limits must be positive (and records at least 64 bytes)");
    }
    ipFields = Set.copyOf(ipFields);
  }

  public ReadOptions withMaxRecordBytes(int n) {
    return new ReadOptions(n, maxDepth, maxFields, invalidUtf8, ipFields);
  }

  public ReadOptions withMaxDepth(int n) {
    return new ReadOptions(maxRecordBytes, n, maxFields, invalidUtf8, ipFields);
  }

  public ReadOptions withInvalidUtf8(InvalidUtf8 policy) {
    return new ReadOptions(maxRecordBytes, maxDepth, maxFields, policy, ipFields);
  }
}
