package dev.rampart.store.search;

import java.time.Duration;

/**
 * One search.
 *
 * @param query the query text
 * @param fromNanos start of the time range (inclusive), epoch nanos
 * @param toNanos end of the time range (exclusive), epoch nanos
 * @param limit most events (or rows) returned
 * @param after the cursor of the previous page ({@link SearchResult#next}), or null
 * @param timeout how long the search may run; after it, what was found so far is returned and
 *     marked partial
 * @param scanLimit most events read when pipes need the events themselves ({@code where} before
 *     {@code stats}, {@code sort} of events)
 * @param oldestFirst events in ascending time (the context view's later neighbours) instead of
 *     newest first
 * @param scope a filter in the query language every result must also match (the tenants a user may
 *     see), null for none; applied before pipes, invisible to the user's query
 */
public record SearchRequest(
    String query,
    long fromNanos,
    long toNanos,
    int limit,
    String after,
    Duration timeout,
    long scanLimit,
    boolean oldestFirst,
    String scope) {
  public static final int MAX_LIMIT = 10_000;

  public SearchRequest {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT);
    }
  }

  /** Everything, newest 100 first, 30 s, a million events scanned at most. */
  public static SearchRequest of(String query) {
    return new SearchRequest(
        query,
        Long.MIN_VALUE,
        Long.MAX_VALUE,
        100,
        null,
        Duration.ofSeconds(30),
        1_000_000,
        false,
        null);
  }

  public SearchRequest range(long from, long to) {
    return new SearchRequest(query, from, to, limit, after, timeout, scanLimit, oldestFirst, scope);
  }

  public SearchRequest withLimit(int n) {
    return new SearchRequest(
        query, fromNanos, toNanos, n, after, timeout, scanLimit, oldestFirst, scope);
  }

  public SearchRequest withAfter(String cursor) {
    return new SearchRequest(
        query, fromNanos, toNanos, limit, cursor, timeout, scanLimit, oldestFirst, scope);
  }

  /** Only events that also match {@code filter} (the query language's filter part). */
  public SearchRequest scoped(String filter) {
    return new SearchRequest(
        query, fromNanos, toNanos, limit, after, timeout, scanLimit, oldestFirst, filter);
  }

  /** Oldest first instead of newest first. */
  public SearchRequest ascending() {
    return new SearchRequest(
        query, fromNanos, toNanos, limit, after, timeout, scanLimit, true, scope);
  }
}
