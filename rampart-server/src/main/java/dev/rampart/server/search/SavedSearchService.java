package dev.rampart.server.search;

import dev.rampart.cases.CaseStore;
import dev.rampart.cases.incident.CaseException;
import dev.rampart.cases.search.SavedSearches;
import dev.rampart.cases.search.SavedSearches.SavedSearch;
import dev.rampart.store.query.QueryException;
import dev.rampart.store.query.QueryParser;
import java.util.Set;

/**
 * Saved searches for the console and the API: a search is checked before it is kept (the query
 * parses, the window is one the search page understands), so a saved search always runs.
 */
public final class SavedSearchService {
  private final CaseStore cases;

  public SavedSearchService(CaseStore cases) {
    this.cases = cases;
  }

  /**
   * Keeps {@code query} over {@code window} as {@code owner}'s search {@code name}.
   *
   * @throws CaseException invalid, with the query's column or the window's problem
   */
  public SavedSearch save(
      String owner,
      Set<String> tenants,
      String name,
      String query,
      SearchWindow window,
      String description,
      boolean shared,
      SavedSearches.Alerting alerting)
      throws CaseException {
    if (window.error() != null) {
      throw new CaseException(CaseException.Kind.INVALID, window.error());
    }
    String q = query == null || query.isBlank() ? "*" : query.strip();
    try {
      QueryParser.parse(q);
    } catch (QueryException e) {
      throw new CaseException(CaseException.Kind.INVALID, e.render(q));
    }
    return cases
        .searches()
        .save(
            owner,
            tenants,
            new SavedSearches.Draft(name, q, window.saved(), description, shared, alerting));
  }

  /**
   * Alerting as people give it: {@code every} a duration (15m), {@code level}, {@code threshold}
   * events (0 when blank: any event); null when {@code every} is blank (the search does not alert).
   *
   * @throws CaseException invalid, saying which
   */
  public static SavedSearches.Alerting alerting(String every, String level, String threshold)
      throws CaseException {
    if (every == null || every.isBlank()) {
      return null;
    }
    java.time.Duration d = dev.rampart.core.time.Durations.parse(every.strip());
    if (d == null) {
      throw new CaseException(
          CaseException.Kind.INVALID, "alert every: a duration such as 15m, 1h or 1d");
    }
    long above;
    try {
      above = threshold == null || threshold.isBlank() ? 0 : Long.parseLong(threshold.strip());
    } catch (NumberFormatException e) {
      throw new CaseException(
          CaseException.Kind.INVALID, "alert threshold: a number of events (0: any event)");
    }
    return SavedSearches.Alerting.of(
        d.toMillis(), level == null || level.isBlank() ? "medium" : level.strip(), above);
  }

  /** Where the console runs {@code s}. */
  public static String href(SavedSearch s) {
    return SearchWindow.parse(s.range(), 0).href(s.query());
  }
}
