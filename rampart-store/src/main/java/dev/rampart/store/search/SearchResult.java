package dev.rampart.store.search;

import java.util.List;
import java.util.Map;

/**
 * What a search found: events (newest first, each a row with {@code _id} and {@code @timestamp}),
 * or a table (after {@code stats}, {@code timechart} or {@code fields}).
 *
 * @param matched events the filter matched in the time range
 * @param columns the table's columns; for events, null (each row has its own fields)
 * @param rows events or table rows
 * @param next cursor of the next page of events, or null when there is none
 * @param partial true when a time or scan limit cut the work short (see notes)
 * @param notes what the user should know: limits hit, fields not found
 * @param tookMillis wall time
 */
public record SearchResult(
    long matched,
    List<String> columns,
    List<Map<String, Object>> rows,
    String next,
    boolean partial,
    List<String> notes,
    long tookMillis) {
  public boolean isTable() {
    return columns != null;
  }
}
