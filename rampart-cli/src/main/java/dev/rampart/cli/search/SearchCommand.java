package dev.rampart.cli.search;

import static dev.rampart.store.search.Rows.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rampart.cases.CaseStore;
import dev.rampart.cases.search.SavedSearches;
import dev.rampart.cli.DataOptions;
import dev.rampart.cli.ExitCodes;
import dev.rampart.cli.UsageException;
import dev.rampart.core.event.Timestamps;
import dev.rampart.core.io.Csv;
import dev.rampart.server.search.SearchWindow;
import dev.rampart.store.EventStore;
import dev.rampart.store.StoreOptions;
import dev.rampart.store.query.QueryException;
import dev.rampart.store.search.Rows;
import dev.rampart.store.search.SearchRequest;
import dev.rampart.store.search.SearchResult;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rampart search}: the hunting query language over the store. */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = {
      "Search the event store with Rampart's query language (docs/query-language.md): a filter,",
      "then pipes. Events come newest first, a page at a time (--after continues); stats and",
      "timechart make tables."
    },
    footer = {
      "",
      "Examples:",
      "  rampart search 'event.code:4625 user.name:adm*' --from -24h",
      "  rampart search 'source.ip:10.0.0.0/8 AND NOT event.outcome:success | stats count() by user.name'",
      "  rampart search 'process.command_line:*mimikatz* | fields @timestamp, host.name, process.command_line'",
      "  rampart search '* | timechart span=1h count() by event.code' --format csv",
      "  rampart search --id 4611686018427387905 --context 5",
      "  rampart search --saved 'Encoded PowerShell'            # a search saved in the console",
      "  rampart search --saved-list",
      "  rampart search 'host.name:ws-07' --from -7d --all > ws-07.ndjson   # every event, for other tools",
    })
public final class SearchCommand implements Callable<Integer> {
  @Parameters(arity = "0..1", paramLabel = "QUERY", description = "The query ('*' for all).")
  String query;

  @Option(
      names = "--from",
      paramLabel = "TIME",
      description = "Start: ISO-8601 (2026-01-05T00:00:00Z) or relative to now (-24h, -7d).")
  String from;

  @Option(names = "--to", paramLabel = "TIME", description = "End (exclusive); default now+1d.")
  String to;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table (default), json or csv.")
  String format;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "100",
      description = "Rows per page (default 100, at most 10000).")
  int limit;

  @Option(
      names = "--after",
      paramLabel = "CURSOR",
      description = "Continue after this page (printed as 'next').")
  String after;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description = "Stop and show partial results after this long (default 30).")
  int timeout;

  @Option(names = "--id", paramLabel = "ID", description = "Show this event (its _id) ...")
  Long id;

  @Option(
      names = "--context",
      paramLabel = "N",
      defaultValue = "5",
      description = "... with N events before and after it on the same host (default 5).")
  int context;

  @Option(
      names = "--saved",
      paramLabel = "NAME",
      description =
          "Run a saved search (the console's, in DATA/cases.db): yours, or one shared, by name or"
              + " id, over its window as of now unless --from/--to say otherwise.")
  String saved;

  @Option(names = "--saved-list", description = "List the saved searches and exit.")
  boolean savedList;

  @Option(
      names = "--all",
      description =
          "Print every event the filter matches as NDJSON, oldest first, with no limit or timeout"
              + " (a filter only, no pipes): an export for other tools or a hand-over.")
  boolean all;

  @Mixin DataOptions data;

  @Override
  public Integer call() throws Exception {
    if (savedList) {
      return listSaved();
    }
    if (saved != null) {
      if (query != null || id != null) {
        throw new UsageException("--saved runs a saved search: give no QUERY or --id with it");
      }
      useSaved();
    }
    if (!List.of("table", "json", "csv").contains(format)) {
      throw new UsageException("--format is table, json or csv");
    }
    if (limit < 1 || limit > SearchRequest.MAX_LIMIT) {
      throw new UsageException("--limit is 1.." + SearchRequest.MAX_LIMIT);
    }
    if (id == null && query == null) {
      throw new UsageException("give a QUERY ('*' for every event) or --id");
    }
    long now = Timestamps.fromInstant(Instant.now());
    long fromNs = from == null ? Long.MIN_VALUE : time(from, now, "--from");
    long toNs = to == null ? Long.MAX_VALUE : time(to, now, "--to");
    if (all && (id != null || after != null)) {
      throw new UsageException("--all prints every match: give no --id or --after with it");
    }
    if (all && format.equals("csv")) {
      throw new UsageException("--all writes NDJSON, one event per line; leave out --format csv");
    }
    try (EventStore store =
        EventStore.open(data.dataDir().resolve("store"), StoreOptions.defaults())) {
      if (all) {
        return printAll(store, SearchRequest.of(query).range(fromNs, toNs));
      }
      if (id != null) {
        List<Map<String, Object>> rows = store.context(id, context);
        if (rows.isEmpty()) {
          System.err.println("no event with _id " + id);
          return ExitCodes.FINDINGS;
        }
        print(new SearchResult(rows.size(), null, rows, null, false, List.of(), 0), System.out, id);
        return ExitCodes.OK;
      }
      SearchRequest r =
          new SearchRequest(
              query,
              fromNs,
              toNs,
              limit,
              after,
              Duration.ofSeconds(timeout),
              1_000_000,
              false,
              null);
      SearchResult result;
      try {
        result = store.search(r);
      } catch (QueryException e) {
        System.err.println(e.render(query));
        return ExitCodes.USAGE;
      }
      print(result, System.out, null);
      for (String n : result.notes()) {
        System.err.println("note: " + n);
      }
      return ExitCodes.OK;
    }
  }

  /** Every saved search: the command line reads the whole case database, as its files allow. */
  private List<SavedSearches.SavedSearch> savedSearches() throws Exception {
    try (CaseStore cases = CaseStore.open("jdbc:sqlite:" + data.existingCaseDatabase())) {
      return cases.searches().all();
    }
  }

  private int listSaved() throws Exception {
    List<SavedSearches.SavedSearch> all = savedSearches();
    if (all.isEmpty()) {
      System.err.println("no saved searches (save one on the console's search page)");
      return ExitCodes.OK;
    }
    for (SavedSearches.SavedSearch s : all) {
      System.out.printf(
          Locale.ROOT,
          "%-32s %-12s %-8s %-14s %-16s %s%n",
          s.name(),
          s.owner(),
          s.shared() ? "shared" : "private",
          SearchWindow.parse(s.range(), 0).saved(),
          s.alerting() == null
              ? "-"
              : "alerts/" + s.alerting().everyMillis() / 60_000 + "m " + s.alerting().level(),
          s.query());
    }
    return ExitCodes.OK;
  }

  /** Takes the query and, unless given, the window of the saved search {@link #saved}. */
  private void useSaved() throws Exception {
    String me = dev.rampart.cli.Actor.login();
    List<SavedSearches.SavedSearch> found =
        savedSearches().stream()
            .filter(s -> s.id().equals(saved) || s.name().equals(saved))
            .filter(s -> s.id().equals(saved) || s.owner().equals(me) || s.shared())
            .toList();
    List<SavedSearches.SavedSearch> mine =
        found.stream().filter(s -> s.owner().equals(me)).toList();
    if (mine.size() == 1) {
      found = mine;
    }
    if (found.isEmpty()) {
      throw new UsageException(
          "no saved search '" + saved + "' of yours or shared: rampart search --saved-list");
    }
    if (found.size() > 1) {
      throw new UsageException(
          "'"
              + saved
              + "' is saved by "
              + String.join(
                  ", ", found.stream().map(s -> s.owner() + " (id " + s.id() + ")").toList())
              + ": give the id");
    }
    SavedSearches.SavedSearch s = found.getFirst();
    query = s.query();
    if (from == null && to == null) {
      SearchWindow w = SearchWindow.parse(s.range(), Timestamps.fromInstant(Instant.now()) + 1);
      if (w.error() != null) {
        throw new UsageException("saved search '" + s.name() + "': " + w.error());
      }
      from = w.fromNanos() == Long.MIN_VALUE ? null : Timestamps.format(w.fromNanos());
      to = Timestamps.format(w.toNanos());
    }
    System.err.println("saved search '" + s.name() + "' of " + s.owner() + ": " + s.query());
  }

  /** Every match as one JSON object per line (the rows of --format json), oldest first. */
  private static int printAll(EventStore store, SearchRequest r) throws Exception {
    long matched;
    try {
      matched = store.search(r.withLimit(1)).matched();
    } catch (QueryException e) {
      System.err.println(e.render(r.query()));
      return ExitCodes.USAGE;
    }
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .disable(com.fasterxml.jackson.databind.SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
    long written;
    try (java.io.OutputStream out = new java.io.BufferedOutputStream(System.out, 1 << 16);
        com.fasterxml.jackson.core.JsonGenerator g =
            json.getFactory()
                .createGenerator(out)
                .disable(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        dev.rampart.cli.Progress progress =
            dev.rampart.cli.Progress.start("export", matched, "events")) {
      g.setRootValueSeparator(new com.fasterxml.jackson.core.io.SerializedString("\n"));
      long[] n = {0};
      store.scanByTime(
          r,
          (e, id) -> {
            json.writeValue(g, dev.rampart.store.search.Rows.row(id, e));
            if ((++n[0] & 4095) == 0) {
              progress.set(n[0]);
            }
          });
      if (n[0] > 0) {
        g.writeRaw('\n');
      }
      g.flush();
      written = n[0];
      progress.set(written);
    } catch (QueryException e) {
      System.err.println(e.render(r.query()));
      return ExitCodes.USAGE;
    }
    System.err.printf(Locale.ROOT, "%,d events%n", written);
    return ExitCodes.OK;
  }

  public static long time(String s, long now, String option) {
    if (s.equals("now")) {
      return now;
    }
    if (s.startsWith("-") || s.startsWith("+")) {
      try {
        long d = dev.rampart.store.query.QueryParser.duration(s.substring(1), 1);
        return s.startsWith("-") ? now - d : now + d;
      } catch (QueryException e) {
        throw new UsageException(option + ": " + e.problem());
      }
    }
    long t = Timestamps.parse(s);
    if (t == Timestamps.UNSET) {
      throw new UsageException(
          option + " wants 2026-01-05T00:00:00Z, now, or -24h / -7d; got '" + s + "'");
    }
    return t;
  }

  private void print(SearchResult r, PrintStream out, Long highlight) throws Exception {
    switch (format) {
      case "json" -> {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("matched", r.matched());
        o.put("took_ms", r.tookMillis());
        o.put("partial", r.partial());
        if (r.isTable()) {
          o.put("columns", r.columns());
        }
        o.put(r.isTable() ? "rows" : "events", r.rows());
        o.put("next", r.next());
        o.put("notes", r.notes());
        out.println(
            new ObjectMapper()
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .writeValueAsString(o));
      }
      case "csv" -> {
        List<String> cols = columns(r);
        out.println(Csv.row(cols));
        for (Map<String, Object> row : r.rows()) {
          List<String> cells = new ArrayList<>();
          for (String c : cols) {
            cells.add(text(row.get(c)));
          }
          out.println(Csv.row(cells));
        }
      }
      default -> {
        if (r.isTable()) {
          table(r, out);
        } else {
          events(r, out, highlight);
        }
        String more = r.next() == null ? "" : "; more with --after " + r.next();
        System.err.printf(
            Locale.ROOT,
            "%,d matched, %,d shown, %d ms%s%s%n",
            r.matched(),
            r.rows().size(),
            r.tookMillis(),
            r.partial() ? " (partial)" : "",
            more);
      }
    }
  }

  private static List<String> columns(SearchResult r) {
    if (r.isTable()) {
      return r.columns();
    }
    LinkedHashSet<String> cols = new LinkedHashSet<>();
    for (Map<String, Object> row : r.rows()) {
      cols.addAll(row.keySet());
    }
    return new ArrayList<>(cols);
  }

  private static void table(SearchResult r, PrintStream out) {
    List<String> cols = r.columns();
    int[] w = new int[cols.size()];
    for (int i = 0; i < cols.size(); i++) {
      w[i] = Math.min(60, cols.get(i).length());
      for (Map<String, Object> row : r.rows()) {
        w[i] = Math.min(60, Math.max(w[i], text(row.get(cols.get(i))).length()));
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cols.size(); i++) {
      sb.append(pad(cols.get(i), w[i])).append("  ");
    }
    out.println(sb.toString().stripTrailing());
    for (Map<String, Object> row : r.rows()) {
      sb.setLength(0);
      for (int i = 0; i < cols.size(); i++) {
        Object v = row.get(cols.get(i));
        String t = text(v);
        sb.append(v instanceof Number ? padLeft(t, w[i]) : pad(t, w[i])).append("  ");
      }
      out.println(sb.toString().stripTrailing());
    }
  }

  /** One line per event: time, id, host, log type, then field=value pairs. */
  private static void events(SearchResult r, PrintStream out, Long highlight) {
    for (Map<String, Object> row : r.rows()) {
      StringBuilder sb = new StringBuilder();
      Object id = row.get("_id");
      sb.append(highlight != null && highlight.equals(id) ? "> " : highlight != null ? "  " : "");
      sb.append(row.get("@timestamp")).append("  ").append(id).append("  ");
      Object host = row.getOrDefault("rampart.host", row.get("host.name"));
      sb.append(host == null ? "-" : host).append("  ");
      sb.append(row.getOrDefault("rampart.log_type", "-")).append("  ");
      int start = sb.length();
      for (var e : Rows.summaryOrder(row)) {
        String k = e.getKey();
        if (k.equals("message")) {
          sb.append(text(e.getValue())).append("  ");
          continue;
        }
        // the columns above show Rampart's own fields; the original line repeats the fields
        if (k.startsWith("rampart.") || k.equals("event.original")) {
          continue;
        }
        sb.append(k).append('=').append(text(e.getValue())).append(' ');
        if (sb.length() - start > 400) {
          sb.append("...");
          break;
        }
      }
      out.println(sb.toString().stripTrailing());
    }
  }

  private static String pad(String s, int w) {
    if (s.length() > w) {
      return s.substring(0, Math.max(0, w - 1)) + "…";
    }
    return s + " ".repeat(w - s.length());
  }

  private static String padLeft(String s, int w) {
    return s.length() >= w ? s : " ".repeat(w - s.length()) + s;
  }
}
