package dev.rampart.store.search;

import dev.rampart.store.query.QueryException;
import java.io.IOException;

/**
 * Where hunting queries run: the embedded store ({@link dev.rampart.store.EventStore}) or, when a
 * deployment keeps its events in OpenSearch, the translation to it. The console and the API search
 * through this seam and do not know which.
 */
public interface EventSearch {
  /**
   * @throws QueryException a malformed query, with the column of the problem
   * @throws IOException the events could not be read
   */
  SearchResult search(SearchRequest r) throws QueryException, IOException;

  /** The most frequent values of each field among the matches: field → rows (value, count). */
  default java.util.Map<String, java.util.List<java.util.Map<String, Object>>> facets(
      String filter, long from, long to, java.util.List<String> fields, int top)
      throws IOException, QueryException {
    return facets(filter, from, to, fields, top, null);
  }

  /** {@link #facets(String, long, long, java.util.List, int)} among the events matching scope. */
  default java.util.Map<String, java.util.List<java.util.Map<String, Object>>> facets(
      String filter, long from, long to, java.util.List<String> fields, int top, String scope)
      throws IOException, QueryException {
    java.util.Map<String, java.util.List<java.util.Map<String, Object>>> out =
        new java.util.LinkedHashMap<>();
    for (String f : fields) {
      SearchResult r =
          search(
              SearchRequest.of(
                      filter + " | stats count() by " + f + " | sort -count() | head " + top)
                  .range(from, to)
                  .scoped(scope));
      out.put(f, r.rows());
    }
    return out;
  }
}
