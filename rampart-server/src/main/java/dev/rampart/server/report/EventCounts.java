package dev.rampart.server.report;

import dev.rampart.store.query.QueryException;
import dev.rampart.store.search.EventSearch;
import dev.rampart.store.search.SearchRequest;
import dev.rampart.store.search.SearchResult;
import java.io.IOException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stored events per UTC day of a period, as the reader may see them: the report's log volume. A
 * seam, so that the report does not care whether the embedded store or OpenSearch answers.
 */
@FunctionalInterface
public interface EventCounts {
  /** Events per UTC day in {@code [from, to)} (epoch milliseconds), and whether it is complete. */
  Counted perDay(long fromMillis, long toMillis) throws IOException;

  /** The counts, and whether a time limit cut them short. */
  record Counted(Map<LocalDate, Long> perDay, boolean partial) {
    public long total() {
      return perDay.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** Counts through {@code search} ({@code * | timechart span=1d count()}) within {@code scope}. */
  static EventCounts of(EventSearch search, String scope) {
    return (from, to) -> {
      SearchRequest r =
          new SearchRequest(
              "* | timechart span=1d count()",
              from * 1_000_000L,
              to * 1_000_000L,
              SearchRequest.MAX_LIMIT,
              null,
              Duration.ofSeconds(30),
              1_000_000,
              false,
              scope);
      SearchResult result;
      try {
        result = search.search(r);
      } catch (QueryException e) {
        throw new IllegalStateException("the report's count query: " + e.getMessage(), e);
      }
      Map<LocalDate, Long> days = new TreeMap<>();
      for (Map<String, Object> row : result.rows()) {
        Object time = row.get("_time");
        Object n = row.get("count()");
        if (time != null && n instanceof Number count) {
          days.merge(
              LocalDate.parse(time.toString().substring(0, 10)), count.longValue(), Long::sum);
        }
      }
      return new Counted(days, result.partial());
    };
  }
}
