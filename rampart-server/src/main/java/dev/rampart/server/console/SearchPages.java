package dev.rampart.server.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rampart.auth.Permission;
import dev.rampart.cases.incident.CaseException;
import dev.rampart.cases.search.SavedSearches.SavedSearch;
import dev.rampart.core.event.Timestamps;
import dev.rampart.core.io.Csv;
import dev.rampart.server.Platform;
import dev.rampart.server.search.SavedSearchService;
import dev.rampart.server.search.SearchWindow;
import dev.rampart.store.query.QueryException;
import dev.rampart.store.search.EventSearch;
import dev.rampart.store.search.SearchRequest;
import dev.rampart.store.search.SearchResult;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The console's event search: the query language over a relative range (last 24 hours) or a window
 * an investigation names (from and to), a histogram, top values of key fields, a page of results
 * with the older ones a link away, and the whole result as CSV or NDJSON for a spreadsheet or a
 * hand-over (audited: exports carry events out of Rampart).
 */
final class SearchPages {
  private static final List<String> FACETS =
      List.of("host.name", "event.code", "user.name", "rampart.log_type");

  /**
   * Most events one export writes. A spreadsheet holds about a million rows, but an export this
   * size is already an afternoon's reading; more is a job for the API's paging or rampart search.
   */
  static final int EXPORT_MAX = 100_000;

  /** Events per search while an export pages through its result. */
  private static final int EXPORT_PAGE = 1_000;

  private static final ObjectMapper JSON =
      new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private final Console console;
  private final Platform platform;
  // where searches run: the embedded store, or OpenSearch when configured
  private final EventSearch events;
  private final SavedSearchService saved;

  SearchPages(Console console, Platform platform) {
    this.console = console;
    this.platform = platform;
    this.events = platform.search();
    this.saved = new SavedSearchService(platform.cases());
  }

  void register(JavalinConfig config) {
    config.routes.get("/search", this::search);
    config.routes.get("/search/export", this::export);
    config.routes.get("/search/saved", ctx -> saved(ctx, null, null));
    config.routes.post("/search/saved", this::save);
    config.routes.post("/search/saved/{id}/delete", this::delete);
  }

  /** Event search: the query language, a time window, a histogram, top values, results. */
  private void search(Context ctx) throws Exception {
    Views.User u = console.user(ctx, Permission.EVENTS_READ);
    if (u == null) {
      return;
    }
    String q = query(ctx);
    SearchWindow w = window(ctx);
    String after = text(ctx.queryParam("after"));
    int skipped = number(ctx.queryParam("skip"));
    List<String> columns = new ArrayList<>();
    List<List<String>> rows = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    List<Views.Bar> bars = new ArrayList<>();
    List<Views.Facet> facets = new ArrayList<>();
    String error = w.error();
    long matched = 0;
    long took = 0;
    String older = null;
    List<String> notes = List.of();
    String base = w.href(q);
    if (error != null) {
      ctx.status(400);
    } else {
      // The histogram and the field sidebar run beside the search itself, each on its own virtual
      // thread: on a day of a million events that halves the page's time on two cores.
      final String scope = u.eventScope();
      boolean side = !q.contains("|");
      try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        Future<SearchResult> histogram =
            side
                ? pool.submit(
                    () ->
                        events.search(
                            SearchRequest.of(q + " | timechart span=" + w.span() + " count()")
                                .range(w.fromNanos(), w.toNanos())
                                .withLimit(1000)
                                .scoped(scope)))
                : null;
        List<Future<Map<String, List<Map<String, Object>>>>> sidebar = new ArrayList<>();
        if (side) {
          for (String f : FACETS) {
            sidebar.add(
                pool.submit(
                    () -> events.facets(q, w.fromNanos(), w.toNanos(), List.of(f), 5, scope)));
          }
        }
        SearchRequest request =
            SearchRequest.of(q).range(w.fromNanos(), w.toNanos()).withLimit(100).scoped(scope);
        SearchResult r = events.search(after.isEmpty() ? request : request.withAfter(after));
        matched = r.matched();
        took = r.tookMillis();
        notes = r.notes();
        if (r.isTable()) {
          columns.addAll(r.columns());
          for (var row : r.rows()) {
            List<String> cells = new ArrayList<>();
            for (String c : r.columns()) {
              cells.add(dev.rampart.store.search.Rows.text(row.get(c)));
            }
            rows.add(cells);
            ids.add("");
          }
        } else {
          columns.addAll(List.of("@timestamp", "host", "event"));
          for (var row : r.rows()) {
            Map<String, Object> rest = new LinkedHashMap<>(row);
            Object ts = rest.remove("@timestamp");
            ids.add(String.valueOf(rest.remove("_id")));
            Object host = row.getOrDefault("host.name", row.get("rampart.host"));
            rows.add(
                List.of(
                    shortTime(String.valueOf(ts)),
                    host == null ? "" : String.valueOf(host),
                    compact(rest)));
          }
          if (r.next() != null) {
            older =
                base
                    + "&after="
                    + SearchWindow.encode(r.next())
                    + "&skip="
                    + (skipped + r.rows().size());
          }
          if (side) {
            bars = bars(histogram.get());
            for (var future : sidebar) {
              for (var f : future.get().entrySet()) {
                List<Views.FacetValue> values = new ArrayList<>();
                for (var v : f.getValue()) {
                  String value = String.valueOf(v.get(f.getKey()));
                  String narrowed = q + " AND " + f.getKey() + ":" + quoted(value);
                  values.add(
                      new Views.FacetValue(
                          value,
                          ((Number) v.getOrDefault("count()", 0)).longValue(),
                          w.href(narrowed)));
                }
                if (!values.isEmpty()) {
                  facets.add(new Views.Facet(f.getKey(), values));
                }
              }
            }
          }
        }
      } catch (QueryException e) {
        ctx.status(400);
        error = e.render(q);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof QueryException qe) {
          ctx.status(400);
          error = qe.render(q);
        } else {
          throw e;
        }
      }
    }
    String export = "/search/export?q=" + SearchWindow.encode(q) + "&" + w.params();
    console.render(
        ctx,
        "search.jte",
        new Views.Search(
            u,
            q,
            w.range(),
            w.from(),
            w.to(),
            w.label(),
            error,
            matched,
            took,
            columns,
            rows,
            ids,
            bars,
            facets,
            notes,
            skipped,
            older,
            export + "&format=csv",
            export + "&format=ndjson",
            ctx.queryParam("saved"),
            rows(u)));
  }

  /** The searches {@code u} may run, as the pages show them. */
  private List<Views.SavedRow> rows(Views.User u) throws CaseException {
    List<Views.SavedRow> out = new ArrayList<>();
    for (SavedSearch s : platform.cases().searches().list(u.name(), u.tenants())) {
      out.add(
          new Views.SavedRow(
              s.id(),
              s.name(),
              s.query(),
              SearchWindow.parse(s.range(), 0).label(),
              s.description(),
              s.owner(),
              s.shared(),
              Console.TIME.format(Instant.ofEpochMilli(s.updatedAt())),
              SavedSearchService.href(s),
              s.owner().equals(u.name()),
              s.alerting() == null
                  ? ""
                  : "alerts ("
                      + s.alerting().level()
                      + ") every "
                      + period(s.alerting().everyMillis())
                      + " above "
                      + s.alerting().threshold()
                      + (s.alerting().threshold() == 1 ? " event" : " events")
                      + "; searched up to "
                      + Console.TIME.format(Instant.ofEpochMilli(s.alerting().checkedUntil()))));
    }
    return out;
  }

  /** A search's period as it was given: 15m, 2h, 1d. */
  static String period(long millis) {
    return millis % 86_400_000 == 0
        ? millis / 86_400_000 + "d"
        : millis % 3_600_000 == 0 ? millis / 3_600_000 + "h" : millis / 60_000 + "m";
  }

  /** Every saved search the user may run: their own and those shared with them. */
  private void saved(Context ctx, String message, String error) throws CaseException {
    Views.User u = console.user(ctx, Permission.EVENTS_READ);
    if (u != null) {
      console.render(ctx, "saved.jte", new Views.SavedList(u, rows(u), message, error));
    }
  }

  /** Saves the search page's query and window under a name (the same name replaces it). */
  private void save(Context ctx) throws CaseException {
    Views.User u = console.changer(ctx, Permission.SEARCHES_WRITE);
    if (u == null) {
      return;
    }
    SearchWindow w =
        SearchWindow.of(
            ctx.formParam("range"),
            ctx.formParam("from"),
            ctx.formParam("to"),
            Timestamps.fromInstant(Instant.now()) + 1);
    try {
      SavedSearch s =
          saved.save(
              u.name(),
              u.tenants(),
              ctx.formParam("name"),
              ctx.formParam("q"),
              w,
              ctx.formParam("description"),
              ctx.formParam("shared") != null,
              ctx.formParam("alert") == null
                  ? null
                  : SavedSearchService.alerting(
                      ctx.formParam("alert_every"),
                      ctx.formParam("alert_level"),
                      ctx.formParam("alert_threshold")));
      ctx.redirect(
          SavedSearchService.href(s) + "&saved=" + SearchWindow.encode(s.name()),
          HttpStatus.SEE_OTHER);
    } catch (CaseException e) {
      ctx.status(400);
      saved(ctx, null, "Not saved: " + e.getMessage());
    }
  }

  /** Deletes one of the user's own saved searches. */
  private void delete(Context ctx) throws CaseException {
    Views.User u = console.changer(ctx, Permission.SEARCHES_WRITE);
    if (u == null) {
      return;
    }
    try {
      SavedSearch s = platform.cases().searches().get(ctx.pathParam("id"), u.name(), u.tenants());
      platform.cases().searches().delete(s.id(), u.name(), u.tenants());
      saved(ctx, "Deleted '" + s.name() + "'.", null);
    } catch (CaseException e) {
      ctx.status(dev.rampart.server.http.Statuses.of(e.kind()));
      saved(ctx, null, e.getMessage());
    }
  }

  private static List<Views.Bar> bars(SearchResult h) {
    long max = 1;
    for (var row : h.rows()) {
      max = Math.max(max, ((Number) row.getOrDefault("count()", 0)).longValue());
    }
    List<Views.Bar> bars = new ArrayList<>();
    for (var row : h.rows()) {
      long c = ((Number) row.getOrDefault("count()", 0)).longValue();
      bars.add(new Views.Bar(String.valueOf(row.get("_time")), c, (int) (c * 100 / max)));
    }
    return bars;
  }

  /**
   * The search's whole result, newest first, as CSV or NDJSON: a table as it is (as many rows as a
   * search gives), events a page at a time up to {@link #EXPORT_MAX}. CSV's columns are a table's,
   * or the fields of the first page of events (NDJSON keeps every field of every event). The query
   * is checked before the download starts, so a mistake is a 400 with its column, not a broken
   * file.
   */
  private void export(Context ctx) throws Exception {
    Views.User u = console.user(ctx, Permission.EVENTS_READ);
    if (u == null) {
      return;
    }
    String q = query(ctx);
    SearchWindow w = window(ctx);
    String format = text(ctx.queryParam("format"));
    if (!format.equals("csv") && !format.equals("ndjson")) {
      plain(ctx, 400, "format is csv or ndjson.");
      return;
    }
    if (w.error() != null) {
      plain(ctx, 400, w.error());
      return;
    }
    SearchRequest request =
        SearchRequest.of(q)
            .range(w.fromNanos(), w.toNanos())
            .withLimit(EXPORT_PAGE)
            .scoped(u.eventScope());
    SearchResult page;
    try {
      page = events.search(request);
      if (page.isTable() && page.rows().size() == EXPORT_PAGE) {
        // a table comes whole or not at all: ask again for as many rows as a search gives
        page = events.search(request.withLimit(SearchRequest.MAX_LIMIT));
      }
    } catch (QueryException e) {
      plain(ctx, 400, e.render(q));
      return;
    }
    boolean csv = format.equals("csv");
    ctx.contentType(csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8");
    ctx.header(
        "Content-Disposition",
        "attachment; filename=\"rampart-events-"
            + Instant.now().toString().substring(0, 19).replace(':', '-')
            + "."
            + format
            + "\"");
    ctx.header("Cache-Control", "no-store");
    long written = 0;
    try (Writer out =
        new BufferedWriter(new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8))) {
      List<String> columns = page.isTable() ? page.columns() : columns(page.rows());
      // Events: the columns are the first page's fields; a later event's others are not lost
      // but kept, as JSON, in a last column.
      boolean others = csv && !page.isTable();
      java.util.Set<String> known = new java.util.HashSet<>(columns);
      if (csv) {
        List<String> header = new ArrayList<>(columns);
        if (others) {
          header.add(OTHERS);
        }
        out.write(Csv.row(header));
        out.write('\n');
      }
      while (true) {
        for (Map<String, Object> row : page.rows()) {
          if (written == EXPORT_MAX) {
            break;
          }
          if (csv) {
            out.write(Csv.row(cells(row, columns, others ? known : null)));
          } else {
            out.write(JSON.writeValueAsString(row));
          }
          out.write('\n');
          written++;
        }
        if (page.isTable() || page.next() == null || written == EXPORT_MAX) {
          break;
        }
        page = events.search(request.withAfter(page.next()));
      }
    } finally {
      platform
          .cases()
          .audit(
              u.name(),
              "events.export",
              q.length() > 500 ? q.substring(0, 500) + "…" : q,
              format + ", " + written + " rows, " + w.label());
    }
  }

  /** The last column of an events CSV: the fields of an event that have no column of their own. */
  static final String OTHERS = "_other_fields";

  /**
   * A CSV row's cells: the row's value of each column, then with {@code known} (the columns as a
   * set) the row's other fields as one JSON object, empty when there are none.
   */
  static List<Object> cells(
      Map<String, Object> row, List<String> columns, java.util.Set<String> known)
      throws java.io.IOException {
    List<Object> cells = new ArrayList<>(columns.size() + 1);
    for (String c : columns) {
      cells.add(row.get(c));
    }
    if (known != null) {
      Map<String, Object> rest = new java.util.LinkedHashMap<>();
      row.forEach(
          (k, v) -> {
            if (!known.contains(k)) {
              rest.put(k, v);
            }
          });
      cells.add(rest.isEmpty() ? "" : JSON.writeValueAsString(rest));
    }
    return cells;
  }

  /** Event fields in the order people read them: time, id, host, then as the events have them. */
  private static List<String> columns(List<Map<String, Object>> rows) {
    LinkedHashSet<String> cols = new LinkedHashSet<>(List.of("@timestamp", "_id"));
    for (Map<String, Object> row : rows) {
      cols.addAll(row.keySet());
    }
    return new ArrayList<>(cols);
  }

  /** An event's fields on one line, cut at about 600 characters. */
  static String compact(Map<String, Object> fields) {
    // the first 600 characters are all an analyst scanning the list reads
    StringBuilder sb = new StringBuilder();
    for (var e : dev.rampart.store.search.Rows.summaryOrder(fields)) {
      if (sb.length() > 600) {
        sb.append(" …");
        break;
      }
      sb.append(sb.isEmpty() ? "" : "  ")
          .append(e.getKey())
          .append('=')
          .append(dev.rampart.store.search.Rows.text(e.getValue()));
    }
    return sb.toString();
  }

  /**
   * An event time as the list shows it: to the millisecond, without the ISO 'T' ({@code 2026-12-08
   * 04:43:24.556Z}); the event's page has every digit.
   */
  static String shortTime(String iso) {
    int t = iso.indexOf('T');
    int dot = iso.indexOf('.', t + 1);
    if (t != 10 || !iso.endsWith("Z")) {
      return iso;
    }
    String head = iso.substring(0, 10) + " " + iso.substring(11, dot < 0 ? iso.length() - 1 : dot);
    String millis = dot < 0 ? "" : iso.substring(dot, Math.min(dot + 4, iso.length() - 1));
    return head + millis + "Z";
  }

  /** A host's events, whether the event names it (host.name) or the sender did (rampart.host). */
  static String onHost(String host) {
    return term("host.name", host) + " OR " + term("rampart.host", host);
  }

  /** {@code field:"value"}, as a search for exactly that value. */
  static String term(String field, String value) {
    return field + ":" + quoted(value);
  }

  /** A value as the query language quotes it: a quote and a backslash escaped. */
  static String quoted(String value) {
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  private static SearchWindow window(Context ctx) {
    return SearchWindow.of(
        ctx.queryParam("range"),
        ctx.queryParam("from"),
        ctx.queryParam("to"),
        Timestamps.fromInstant(Instant.now()) + 1);
  }

  private static String query(Context ctx) {
    String q = ctx.queryParam("q");
    return q == null || q.isBlank() ? "*" : q.strip();
  }

  private static void plain(Context ctx, int status, String message) {
    ctx.status(status);
    ctx.contentType("text/plain; charset=utf-8");
    ctx.result(message);
  }

  private static String text(String s) {
    return s == null ? "" : s.strip();
  }

  private static int number(String s) {
    try {
      return Math.max(0, Integer.parseInt(text(s)));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
