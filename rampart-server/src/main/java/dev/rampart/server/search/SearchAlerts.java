package dev.rampart.server.search;

import dev.rampart.alerting.alert.Alert;
import dev.rampart.cases.CaseStore;
import dev.rampart.cases.incident.CaseException;
import dev.rampart.cases.search.SavedSearches.Alerting;
import dev.rampart.cases.search.SavedSearches.SavedSearch;
import dev.rampart.cases.search.SavedSearches.Window;
import dev.rampart.cases.triage.Triage;
import dev.rampart.core.event.Timestamps;
import dev.rampart.store.mapping.StoreFields;
import dev.rampart.store.query.QueryException;
import dev.rampart.store.query.QueryParser;
import dev.rampart.store.search.EventSearch;
import dev.rampart.store.search.SearchRequest;
import dev.rampart.store.search.SearchResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Saved searches that alert: the hunt an analyst turned into a detection, as Graylog's event
 * definitions and Elastic's query rules do. Each runs on its period over the events whose time
 * falls in the window since its last run, with its owner's tenants, and when more than its
 * threshold match, files one alert through triage (exceptions, suppression, incidents, playbooks,
 * as Sigma's alerts go).
 *
 * <p>A search whose owner sees several tenants (or all) runs once per tenant and alerts per tenant,
 * with the threshold counted in each: an alert and its incident belong to the tenant whose events
 * matched, as a Sigma rule's do, so that tenant's analysts see it and no other tenant's do.
 *
 * <p>Windows are whole periods counted from where the last run ended, and an alert's id is the
 * search and its window's end: a crash between filing and recording the run files the same alert
 * again, which triage keeps once. A window closes a minute after its end ({@link #SETTLE_MILLIS}),
 * so events indexed within a minute of their time are in it. Events indexed later (an agent's
 * backlog after an outage) are found on the next run: it looks for events indexed since the last
 * one whose time falls in a window already searched, up to {@link #LATE_LOOKBACK_MILLIS} back, and
 * counts each such window again, whole; one over the threshold files the alert it would have filed
 * on time (the same id, so a window that alerted already is not filed twice).
 */
public final class SearchAlerts {
  /** How long after a window's end it is searched: the store's indexing lag, with room. */
  public static final long SETTLE_MILLIS = 60_000;

  /** How far back late events are looked for, before the window being searched. */
  public static final long LATE_LOOKBACK_MILLIS = 7 * 86_400_000L;

  /** Events an alert names (its evidence); the count is the whole match. */
  static final int EVENTS_PER_ALERT = 10;

  private static final Pattern TECHNIQUE = Pattern.compile("\\bT\\d{4}(?:\\.\\d{3})?\\b");

  /**
   * What one run did: the window searched, what matched, whether it alerted, how many earlier
   * windows alerted on late events, or why it failed.
   */
  public record Outcome(
      SavedSearch search,
      long fromMillis,
      long toMillis,
      long matched,
      boolean alerted,
      int lateAlerts,
      String problem) {}

  private final CaseStore cases;
  private final EventSearch events;
  private final Triage triage;
  private final Function<Set<String>, String> scope;
  private final Supplier<Set<String>> tenants;
  private final IndexedUpTo indexed;

  /** How far the store has indexed: the id below which every event is searchable, or -1. */
  @FunctionalInterface
  public interface IndexedUpTo {
    long get() throws IOException;
  }

  /**
   * @param scope the store scope of a set of tenants' events (null for every tenant)
   * @param tenants every tenant events can belong to, the default one included
   * @param indexed how far the store has indexed (-1 where ids do not say: late events are then not
   *     looked for)
   */
  public SearchAlerts(
      CaseStore cases,
      EventSearch events,
      Triage triage,
      Function<Set<String>, String> scope,
      Supplier<Set<String>> tenants,
      IndexedUpTo indexed) {
    this.cases = cases;
    this.events = events;
    this.triage = triage;
    this.scope = scope;
    this.tenants = tenants;
    this.indexed = indexed;
  }

  /** Runs every alerting search with a whole period settled by {@code nowMillis}. */
  public List<Outcome> runDue(long nowMillis) throws CaseException {
    List<Outcome> out = new ArrayList<>();
    long seenNow;
    try {
      // taken before searching: what is indexed after it is looked for on the next run
      seenNow = indexed.get();
    } catch (IOException e) {
      seenNow = -1;
    }
    for (SavedSearch s : cases.searches().alerting()) {
      Alerting a = s.alerting();
      long from = a.checkedUntil();
      long periods = (nowMillis - SETTLE_MILLIS - from) / a.everyMillis();
      if (periods < 1) {
        continue;
      }
      long to = from + periods * a.everyMillis();
      Set<String> each = s.tenants().isEmpty() ? new TreeSet<>(tenants.get()) : s.tenants();
      List<Alert> alerts = new ArrayList<>();
      List<Window> wide = List.of();
      long matched = 0;
      boolean partial = false;
      int late = 0;
      boolean alerted = false;
      try {
        for (String tenant : each) {
          SearchResult r =
              events.search(
                  SearchRequest.of(s.query())
                      .range(from * 1_000_000L, to * 1_000_000L)
                      .withLimit(EVENTS_PER_ALERT)
                      .scoped(scope.apply(Set.of(tenant))));
          matched += r.matched();
          partial |= r.partial();
          if (r.matched() > a.threshold()) {
            alerts.add(alert(s, r, to, nowMillis, tenant, alertId(s, to, each, tenant)));
            alerted = true;
          }
          if (a.seen() > 0 && seenNow > a.seen()) {
            if (wide.isEmpty()) {
              wide = cases.searches().windows(s.id(), from - LATE_LOOKBACK_MILLIS);
            }
            late += late(s, from, wide, each, tenant, seenNow, nowMillis, alerts);
          }
        }
      } catch (QueryException e) {
        // the language changed under a kept query: said each period, not retried in a loop
        cases.searches().checked(s.id(), to);
        out.add(new Outcome(s, from, to, 0, false, 0, "the query no longer runs: " + e.problem()));
        continue;
      } catch (IOException | RuntimeException e) {
        // the store is away: the whole window is searched again next time, for every tenant
        out.add(new Outcome(s, from, to, 0, false, 0, "not searched: " + e.getMessage()));
        continue;
      }
      if (!alerts.isEmpty()) {
        triage.accept(alerts);
      }
      if (seenNow >= 0) {
        cases.searches().checked(s.id(), new Window(from, to), seenNow);
      } else {
        cases.searches().checked(s.id(), to);
      }
      out.add(
          new Outcome(
              s,
              from,
              to,
              matched,
              alerted,
              late,
              // a window too big for the search's time (after a long stop): said, not hidden
              partial ? "searched in part (the search ran out of time)" : null));
    }
    return out;
  }

  /**
   * Windows before {@code from} that events indexed since the last run fell into, for one tenant:
   * each counted again whole, and an alert added for those over the threshold. Returns how many. A
   * window is a period, or one of the longer windows {@code wide} a run after a stop searched at
   * once: counted whole as that run did, so its alert has that run's id, not a second one.
   */
  private int late(
      SavedSearch s,
      long from,
      List<Window> wide,
      Set<String> each,
      String tenant,
      long seenNow,
      long nowMillis,
      List<Alert> alerts)
      throws IOException, QueryException {
    Alerting a = s.alerting();
    long every = a.everyMillis();
    // not before the search was last saved: alerting starts afresh then, the past is not news
    long since = Math.max(from - LATE_LOOKBACK_MILLIS, s.updatedAt());
    if (since >= from) {
      return 0;
    }
    String tenantScope = scope.apply(Set.of(tenant));
    String filter = QueryParser.filterText(s.query());
    String fresh = StoreFields.ID + ":[" + a.seen() + " TO " + seenNow + "}";
    // where the late events fall, as a count per period-long bucket: no event limit to miss some
    long spanSeconds = Math.max(1, (every + 999) / 1000);
    SearchResult found =
        events.search(
            SearchRequest.of(filter + " | timechart span=" + spanSeconds + "s count()")
                .range(since * 1_000_000L, from * 1_000_000L)
                .withLimit(SearchRequest.MAX_LIMIT)
                .scoped(lateScope(tenantScope, fresh)));
    if (found.matched() == 0) {
      return 0;
    }
    // the windows, counted back from where this run starts, that the buckets overlap (buckets
    // start on multiples of the span, windows where alerting started: a bucket meets two at most)
    java.util.TreeSet<Long> ends = new java.util.TreeSet<>();
    for (Map<String, Object> row : found.rows()) {
      long t = Timestamps.parse(String.valueOf(row.get("_time")));
      if (t == Timestamps.UNSET
          || !(row.get("count()") instanceof Number n)
          || n.longValue() == 0) {
        continue;
      }
      long first = Math.floorDiv(t, 1_000_000L);
      for (long ms : new long[] {Math.max(first, since), first + spanSeconds * 1000 - 1}) {
        long end = from - Math.floorDiv(from - 1 - ms, every) * every;
        if (end <= from) {
          ends.add(end);
        }
      }
    }
    java.util.TreeMap<Long, Long> windows = new java.util.TreeMap<>(); // end -> start
    for (long periodEnd : ends) {
      Window w = new Window(periodEnd - every, periodEnd);
      for (Window longer : wide) {
        if (longer.fromMillis() <= w.fromMillis() && w.toMillis() <= longer.toMillis()) {
          w = longer;
          break;
        }
      }
      windows.put(w.toMillis(), w.fromMillis());
    }
    int alerted = 0;
    for (Map.Entry<Long, Long> w : windows.entrySet()) {
      long start = w.getValue();
      long end = w.getKey();
      // a bucket that straddles two windows names both: only one with late events of its own
      // is counted again
      if (events
              .search(
                  SearchRequest.of(filter)
                      .range(start * 1_000_000L, end * 1_000_000L)
                      .withLimit(1)
                      .scoped(lateScope(tenantScope, fresh)))
              .matched()
          == 0) {
        continue;
      }
      SearchResult r =
          events.search(
              SearchRequest.of(s.query())
                  .range(start * 1_000_000L, end * 1_000_000L)
                  .withLimit(EVENTS_PER_ALERT)
                  .scoped(tenantScope));
      if (r.matched() > a.threshold()) {
        alerts.add(alert(s, r, end, nowMillis, tenant, alertId(s, end, each, tenant)));
        alerted++;
      }
    }
    return alerted;
  }

  /** The events of a tenant's scope (null: every tenant's) that also match {@code fresh}. */
  private static String lateScope(String tenantScope, String fresh) {
    return tenantScope == null ? fresh : "(" + tenantScope + ") AND " + fresh;
  }

  /**
   * An alert's id: the search and its window's end, and the tenant when the search runs for several
   * ({@code each}), so that each tenant's alert of one window is its own.
   */
  static String alertId(SavedSearch s, long toMillis, Set<String> each, String tenant) {
    return "search:" + s.id() + "@" + toMillis + (each.size() > 1 ? "-" + tenant : "");
  }

  /**
   * The alert {@code id} of one window of one tenant's events: the search as its rule, the newest
   * events as its evidence.
   */
  static Alert alert(
      SavedSearch s, SearchResult r, long toMillis, long nowMillis, String tenant, String id) {
    List<Long> ids = new ArrayList<>();
    Map<String, Object> newest = null;
    if (!r.isTable()) {
      for (Map<String, Object> row : r.rows()) {
        if (row.get("_id") instanceof Number n) {
          ids.add(n.longValue());
        }
        newest = newest == null ? row : newest;
      }
    }
    long eventTime =
        newest == null
            ? Timestamps.UNSET
            : Timestamps.parse(String.valueOf(newest.get("@timestamp")));
    if (eventTime == Timestamps.UNSET) {
      eventTime = toMillis * 1_000_000L;
    }
    Set<String> techniques = new LinkedHashSet<>();
    Matcher m = TECHNIQUE.matcher(s.description() + " " + s.name());
    while (m.find()) {
      techniques.add(m.group());
    }
    List<String> tags = new ArrayList<>(List.of("rampart.saved_search"));
    for (String t : techniques) {
      tags.add("attack." + t.toLowerCase(java.util.Locale.ROOT));
    }
    return new Alert(
        id,
        "search:" + s.id(),
        s.name(),
        s.alerting().level(),
        tags,
        List.copyOf(techniques),
        ids,
        eventTime,
        nowMillis * 1_000_000L,
        Map.of("query", List.of(s.query()), "events", List.of(Long.toString(r.matched()))),
        new Alert.Entities(
            text(newest, "host.name", "rampart.host"),
            text(newest, "user.name", null),
            text(newest, "source.ip", null),
            text(newest, "process.name", null)),
        tenant);
  }

  private static String text(Map<String, Object> row, String field, String fallback) {
    if (row == null) {
      return null;
    }
    Object v = row.get(field);
    if (v == null && fallback != null) {
      v = row.get(fallback);
    }
    return v == null ? null : String.valueOf(v);
  }
}
