package dev.rampart.server.console;

import dev.rampart.auth.AccessStore;
import dev.rampart.auth.Permission;
import dev.rampart.auth.Principal;
import dev.rampart.auth.Sessions;
import dev.rampart.cases.CaseStore;
import dev.rampart.cases.incident.CaseException;
import dev.rampart.cases.incident.Incident;
import dev.rampart.cases.incident.Status;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The web console: server-rendered pages (JTE, precompiled) with htmx for live parts, on the API's
 * port. Sign-in is the API's session (HttpOnly cookie); every form carries the session's CSRF
 * token; pages need the same permissions as the API calls behind them; a strict
 * Content-Security-Policy allows only our own scripts and styles.
 */
public final class Console {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);
  private static final String HTMX = "META-INF/resources/webjars/htmx.org/2.0.4/dist/htmx.min.js";

  private final CaseStore cases;
  private final AccessStore access;
  private final Sessions sessions;
  private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
  private final dev.rampart.store.EventStore store;
  private final boolean sso;
  private final java.util.function.Supplier<List<dev.rampart.alerting.alert.Alert>> alerts;

  public Console(
      CaseStore cases,
      AccessStore access,
      Sessions sessions,
      dev.rampart.store.EventStore store,
      boolean sso,
      java.util.function.Supplier<List<dev.rampart.alerting.alert.Alert>> alerts) {
    this.alerts = alerts;
    this.store = store;
    this.sso = sso;
    this.cases = cases;
    this.access = access;
    this.sessions = sessions;
  }

  /** Registers the console's routes. */
  public void register(JavalinConfig config) {
    config.routes.before(
        ctx -> {
          if (!ctx.path().startsWith("/api/")) {
            ctx.header(
                "Content-Security-Policy",
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                    + " frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("Referrer-Policy", "no-referrer");
          }
        });
    config.routes.get("/assets/htmx.min.js", ctx -> asset(ctx, HTMX, "text/javascript"));
    config.routes.get("/assets/console.css", ctx -> asset(ctx, "console/console.css", "text/css"));
    config.routes.get(
        "/assets/console.js", ctx -> asset(ctx, "console/console.js", "text/javascript"));
    config.routes.get("/login", ctx -> render(ctx, "login.jte", new Views.Login(null, null, sso)));
    config.routes.get("/search", this::search);
    config.routes.get("/dashboard", this::dashboard);
    config.routes.get("/alerts", this::alertList);
    config.routes.post("/login", this::login);
    config.routes.post("/logout", this::logout);
    config.routes.get("/", this::queue);
    config.routes.get("/console/queue/rows", this::queueRows);
    config.routes.get("/incidents/{id}", this::incident);
    config.routes.post("/incidents/{id}/status", this::status);
    config.routes.post("/incidents/{id}/owner", this::owner);
    config.routes.post("/incidents/{id}/notes", this::note);
  }

  private static void asset(Context ctx, String resource, String type) throws IOException {
    try (InputStream in = Console.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        ctx.status(404);
        return;
      }
      ctx.contentType(type + "; charset=utf-8");
      ctx.header("Cache-Control", "public, max-age=3600");
      ctx.result(in.readAllBytes());
    }
  }

  private void render(Context ctx, String template, Object model) {
    StringOutput out = new StringOutput();
    templates.render(template, model, out);
    ctx.contentType("text/html; charset=utf-8");
    ctx.header("Cache-Control", "no-store");
    ctx.result(out.toString());
  }

  /** The signed-in user, or null after redirecting to the login page. */
  private Views.User user(Context ctx, Permission needed) throws CaseException {
    Sessions.Session s = sessions.get(ctx.cookie(SessionCookie.NAME));
    Principal p = s == null ? null : access.current(s.principal().user(), "session");
    if (p == null) {
      if (ctx.header("HX-Request") != null) {
        ctx.header("HX-Redirect", "/login");
        ctx.status(401);
      } else {
        ctx.redirect("/login", HttpStatus.SEE_OTHER);
      }
      return null;
    }
    if (needed != null && !p.may(needed)) {
      ctx.status(403);
      ctx.contentType("text/plain; charset=utf-8");
      ctx.result(
          "You need the permission " + needed.code() + " for this (your role: " + p.role() + ").");
      return null;
    }
    return new Views.User(p.user(), p.role(), s.csrf(), p.may(Permission.INCIDENTS_WRITE));
  }

  /** A change: signed in, allowed, and carrying the session's CSRF token. */
  private Views.User changer(Context ctx) throws CaseException {
    Views.User u = user(ctx, Permission.INCIDENTS_WRITE);
    if (u == null) {
      return null;
    }
    String presented = ctx.formParam("csrf");
    if (presented == null) {
      presented = ctx.header("X-CSRF-Token");
    }
    Sessions.Session s = sessions.get(ctx.cookie(SessionCookie.NAME));
    if (s == null || !Sessions.csrfMatches(s, presented)) {
      ctx.status(403);
      ctx.contentType("text/plain; charset=utf-8");
      ctx.result(
          "This form is stale or was not sent by the console (CSRF check); reload the page.");
      return null;
    }
    return u;
  }

  private void login(Context ctx) throws CaseException {
    String name = ctx.formParam("name");
    String password = ctx.formParam("password");
    if (!sessions.allowLogin(ctx.ip())) {
      ctx.status(429);
      render(
          ctx,
          "login.jte",
          new Views.Login("Too many attempts from your address; wait a minute.", null, sso));
      return;
    }
    Principal p =
        name == null || password == null ? null : access.login(name.strip(), password, ctx.ip());
    if (p == null) {
      ctx.status(401);
      render(ctx, "login.jte", new Views.Login("Wrong name or password.", null, sso));
      return;
    }
    Sessions.Started st = sessions.start(p);
    SessionCookie.set(ctx, st.id(), "Strict");
    ctx.redirect("/", HttpStatus.SEE_OTHER);
  }

  private void logout(Context ctx) throws CaseException {
    if (changer(ctx) == null) {
      return;
    }
    sessions.end(ctx.cookie(SessionCookie.NAME));
    SessionCookie.clear(ctx);
    render(ctx, "login.jte", new Views.Login(null, "Signed out.", sso));
  }

  private Views.Queue queueView(Context ctx, Views.User u) throws CaseException {
    String status = ctx.queryParam("status");
    String priority = ctx.queryParam("priority");
    Set<Status> statuses;
    if (status == null || status.isBlank() || status.equals("open")) {
      statuses =
          EnumSet.of(Status.NEW, Status.ACKNOWLEDGED, Status.INVESTIGATING, Status.CONTAINED);
      status = "open";
    } else if (status.equals("all")) {
      statuses = Set.of();
    } else {
      Status s = Status.parse(status);
      statuses = s == null ? Set.of() : Set.of(s);
    }
    String pr =
        priority == null || priority.isBlank() || !CaseStore.PRIORITIES.contains(priority)
            ? null
            : priority;
    long now = cases.now();
    List<Views.Row> rows = new ArrayList<>();
    for (Incident i :
        cases.list(new CaseStore.Filter(statuses, pr, null, null, false), 100, null).incidents()) {
      rows.add(row(i, now));
    }
    return new Views.Queue(u, rows, status, pr == null ? "" : pr, rows.size());
  }

  private void queue(Context ctx) throws CaseException {
    Views.User u = user(ctx, Permission.INCIDENTS_READ);
    if (u != null) {
      render(ctx, "queue.jte", queueView(ctx, u));
    }
  }

  private void queueRows(Context ctx) throws CaseException {
    Views.User u = user(ctx, Permission.INCIDENTS_READ);
    if (u != null) {
      render(ctx, "queue_rows.jte", queueView(ctx, u));
    }
  }

  static Views.Row row(Incident i, long now) {
    return new Views.Row(
        i.id(),
        i.title(),
        i.status().label().replace('_', ' '),
        i.priority(),
        i.owner() == null ? "" : i.owner(),
        TIME.format(Instant.ofEpochMilli(i.updatedAt())),
        age(now - i.createdAt()),
        i.breached(now),
        i.tags());
  }

  static String age(long ms) {
    Duration d = Duration.ofMillis(Math.max(0, ms));
    if (d.toMinutes() < 60) {
      return d.toMinutes() + " min";
    }
    if (d.toHours() < 48) {
      return d.toHours() + " h";
    }
    return d.toDays() + " d";
  }

  private void incident(Context ctx) throws CaseException {
    Views.User u = user(ctx, Permission.INCIDENTS_READ);
    if (u != null) {
      renderIncident(ctx, u, ctx.pathParam("id"), null);
    }
  }

  private void renderIncident(Context ctx, Views.User u, String id, String message)
      throws CaseException {
    Incident i;
    try {
      i = cases.get(id);
    } catch (CaseException e) {
      ctx.status(404);
      ctx.contentType("text/plain; charset=utf-8");
      ctx.result("No incident " + id + ".");
      return;
    }
    long now = cases.now();
    List<Views.Line> alerts = new ArrayList<>();
    for (CaseStore.LinkedAlert a : cases.alerts(id)) {
      alerts.add(
          new Views.Line(
              TIME.format(Instant.ofEpochMilli(a.eventTime())), a.level(), a.ruleId(), a.title()));
    }
    List<Views.Line> evidence = new ArrayList<>();
    for (CaseStore.Evidence e : cases.evidence(id)) {
      evidence.add(
          new Views.Line(
              TIME.format(Instant.ofEpochMilli(e.addedAt())),
              e.addedBy(),
              Long.toString(e.eventId()),
              e.note() == null ? "" : e.note()));
    }
    List<Views.Line> notes = new ArrayList<>();
    for (CaseStore.Comment c : cases.comments(id)) {
      notes.add(
          new Views.Line(
              TIME.format(Instant.ofEpochMilli(c.at())), c.author(), "note", c.markdown()));
    }
    List<Views.Line> timeline = new ArrayList<>();
    for (CaseStore.Entry e : cases.timeline(id)) {
      timeline.add(
          new Views.Line(
              TIME.format(Instant.ofEpochMilli(e.at())), e.actor(), e.kind(), e.detail()));
    }
    List<String> next = new ArrayList<>();
    if (i.mergedInto() == null) {
      for (Status s : i.status().next()) {
        next.add(s.label());
      }
    }
    render(
        ctx,
        "incident.jte",
        new Views.Incident(
            u,
            row(i, now),
            i.host() == null ? "" : i.host(),
            next,
            alerts,
            evidence,
            notes,
            timeline,
            message));
  }

  private void status(Context ctx) throws CaseException {
    Views.User u = changer(ctx);
    if (u == null) {
      return;
    }
    String id = ctx.pathParam("id");
    Status to = Status.parse(String.valueOf(ctx.formParam("status")));
    String message = null;
    try {
      if (to == null) {
        throw new CaseException(CaseException.Kind.INVALID, "unknown status");
      }
      cases.transition(id, to, u.name());
    } catch (CaseException e) {
      ctx.status(e.kind() == CaseException.Kind.NOT_FOUND ? 404 : 409);
      message = e.getMessage();
    }
    renderIncident(ctx, u, id, message);
  }

  private void owner(Context ctx) throws CaseException {
    Views.User u = changer(ctx);
    if (u == null) {
      return;
    }
    String id = ctx.pathParam("id");
    String owner = ctx.formParam("owner");
    String message = null;
    try {
      cases.assign(id, owner == null || owner.isBlank() ? null : owner.strip(), u.name());
    } catch (CaseException e) {
      ctx.status(400);
      message = e.getMessage();
    }
    renderIncident(ctx, u, id, message);
  }

  private void note(Context ctx) throws CaseException {
    Views.User u = changer(ctx);
    if (u == null) {
      return;
    }
    String id = ctx.pathParam("id");
    String message = null;
    try {
      cases.comment(id, u.name(), String.valueOf(ctx.formParam("markdown")));
    } catch (CaseException e) {
      ctx.status(400);
      message = e.getMessage();
    }
    renderIncident(ctx, u, id, message);
  }

  private static final java.util.Map<String, Duration> RANGES =
      java.util.Map.of(
          "15m", Duration.ofMinutes(15),
          "1h", Duration.ofHours(1),
          "24h", Duration.ofHours(24),
          "7d", Duration.ofDays(7),
          "30d", Duration.ofDays(30),
          "all", Duration.ofDays(36_500));
  private static final List<String> FACETS =
      List.of("host.name", "event.code", "user.name", "rampart.log_type");

  /** Event search: the query language, a time range, a histogram, top values, results. */
  private void search(Context ctx) throws Exception {
    Views.User u = user(ctx, Permission.EVENTS_READ);
    if (u == null) {
      return;
    }
    String q = ctx.queryParam("q");
    q = q == null || q.isBlank() ? "*" : q.strip();
    String range =
        RANGES.containsKey(String.valueOf(ctx.queryParam("range")))
            ? ctx.queryParam("range")
            : "24h";
    Duration d = RANGES.get(range);
    long to = dev.rampart.core.event.Timestamps.fromInstant(Instant.now()) + 1;
    long from = range.equals("all") ? Long.MIN_VALUE : to - d.toNanos();
    List<String> columns = new ArrayList<>();
    List<List<String>> rows = new ArrayList<>();
    List<Views.Bar> bars = new ArrayList<>();
    List<Views.Facet> facets = new ArrayList<>();
    String error = null;
    long matched = 0;
    long took = 0;
    List<String> notes = List.of();
    try {
      dev.rampart.store.search.SearchResult r =
          store.search(dev.rampart.store.search.SearchRequest.of(q).range(from, to).withLimit(100));
      matched = r.matched();
      took = r.tookMillis();
      notes = r.notes();
      if (r.isTable()) {
        columns.addAll(r.columns());
        for (var row : r.rows()) {
          List<String> cells = new ArrayList<>();
          for (String c : r.columns()) {
            cells.add(String.valueOf(row.get(c)));
          }
          rows.add(cells);
        }
      } else {
        columns.addAll(List.of("@timestamp", "host", "event"));
        for (var row : r.rows()) {
          java.util.Map<String, Object> rest = new java.util.LinkedHashMap<>(row);
          Object ts = rest.remove("@timestamp");
          rest.remove("_id");
          Object host = row.getOrDefault("host.name", row.get("rampart.host"));
          rows.add(
              List.of(String.valueOf(ts), host == null ? "" : String.valueOf(host), compact(rest)));
        }
        if (!q.contains("|")) {
          String span = d.toHours() <= 1 ? "1m" : d.toHours() <= 24 ? "1h" : "1d";
          var h =
              store.search(
                  dev.rampart.store.search.SearchRequest.of(
                          q + " | timechart span=" + span + " count()")
                      .range(from, to)
                      .withLimit(1000));
          long max = 1;
          for (var row : h.rows()) {
            max = Math.max(max, ((Number) row.getOrDefault("count()", 0)).longValue());
          }
          for (var row : h.rows()) {
            long c = ((Number) row.getOrDefault("count()", 0)).longValue();
            bars.add(new Views.Bar(String.valueOf(row.get("_time")), c, (int) (c * 100 / max)));
          }
          for (var f : store.facets(q, from, to, FACETS, 5).entrySet()) {
            List<Views.Line> values = new ArrayList<>();
            for (var v : f.getValue()) {
              values.add(
                  new Views.Line(
                      "", "", String.valueOf(v.get(f.getKey())), String.valueOf(v.get("count()"))));
            }
            if (!values.isEmpty()) {
              facets.add(new Views.Facet(f.getKey(), values));
            }
          }
        }
      }
    } catch (dev.rampart.store.query.QueryException e) {
      ctx.status(400);
      error = e.render(q);
    }
    render(
        ctx,
        "search.jte",
        new Views.Search(u, q, range, error, matched, took, columns, rows, bars, facets, notes));
  }

  private static String compact(java.util.Map<String, Object> fields) {
    StringBuilder sb = new StringBuilder();
    for (var e : fields.entrySet()) {
      if (sb.length() > 600) {
        sb.append(" …");
        break;
      }
      sb.append(sb.isEmpty() ? "" : "  ").append(e.getKey()).append('=').append(e.getValue());
    }
    return sb.toString();
  }

  /** The dashboard: alerts over the last 24 hours, top rules and hosts, open incidents, metrics. */
  private void dashboard(Context ctx) throws CaseException {
    Views.User u = user(ctx, Permission.INCIDENTS_READ);
    if (u == null) {
      return;
    }
    long nowMs = cases.now();
    long since = (nowMs - Duration.ofHours(24).toMillis()) * 1_000_000L;
    long[] hours = new long[24];
    java.util.Map<String, Long> levels = new java.util.TreeMap<>();
    java.util.Map<String, Long> rules = new java.util.HashMap<>();
    java.util.Map<String, Long> hosts = new java.util.HashMap<>();
    for (dev.rampart.alerting.alert.Alert a : alerts.get()) {
      if (a.detectedAt() < since) {
        continue;
      }
      int h = (int) Math.min(23, (a.detectedAt() - since) / 3_600_000_000_000L);
      hours[h]++;
      levels.merge(a.level(), 1L, Long::sum);
      rules.merge(a.title(), 1L, Long::sum);
      if (a.entities().host() != null) {
        hosts.merge(a.entities().host(), 1L, Long::sum);
      }
    }
    long max = 1;
    for (long h : hours) {
      max = Math.max(max, h);
    }
    List<Views.Bar> byHour = new ArrayList<>();
    for (int h = 0; h < 24; h++) {
      byHour.add(
          new Views.Bar(
              TIME.format(Instant.ofEpochMilli(since / 1_000_000 + h * 3_600_000L)),
              hours[h],
              (int) (hours[h] * 100 / max)));
    }
    java.util.Map<String, Long> priorities = new java.util.LinkedHashMap<>();
    CaseStore.PRIORITIES.forEach(p -> priorities.put(p, 0L));
    java.util.Map<String, Long> ages = new java.util.LinkedHashMap<>();
    for (String k : List.of("under 1 h", "1 to 24 h", "1 to 7 d", "over 7 d")) {
      ages.put(k, 0L);
    }
    Set<Status> open =
        EnumSet.of(Status.NEW, Status.ACKNOWLEDGED, Status.INVESTIGATING, Status.CONTAINED);
    String after = null;
    int pages = 0;
    do {
      CaseStore.Page page =
          cases.list(new CaseStore.Filter(open, null, null, null, false), 1000, after);
      for (Incident i : page.incidents()) {
        priorities.merge(i.priority(), 1L, Long::sum);
        long age = nowMs - i.createdAt();
        String k =
            age < 3_600_000L
                ? "under 1 h"
                : age < 86_400_000L ? "1 to 24 h" : age < 7 * 86_400_000L ? "1 to 7 d" : "over 7 d";
        ages.merge(k, 1L, Long::sum);
      }
      after = page.next();
    } while (after != null && ++pages < 100);
    CaseStore.Metrics m = cases.metrics();
    render(
        ctx,
        "dashboard.jte",
        new Views.Dashboard(
            u,
            byHour,
            stats(levels, 10),
            stats(rules, 8),
            stats(hosts, 8),
            stats(priorities, 10),
            stats(ages, 10),
            duration(m.mttdMillis()),
            duration(m.mttaMillis()),
            duration(m.mttrMillis()),
            m.incidents()));
  }

  private static List<Views.Stat> stats(java.util.Map<String, Long> counts, int top) {
    List<java.util.Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
    if (!(counts instanceof java.util.LinkedHashMap) && !(counts instanceof java.util.TreeMap)) {
      entries.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
    }
    long max = 1;
    for (var e : entries) {
      max = Math.max(max, e.getValue());
    }
    List<Views.Stat> out = new ArrayList<>();
    for (var e : entries.subList(0, Math.min(top, entries.size()))) {
      out.add(new Views.Stat(e.getKey(), e.getValue(), (int) (e.getValue() * 100 / max)));
    }
    return out;
  }

  private static String duration(Double ms) {
    if (ms == null) {
      return "-";
    }
    if (ms < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", ms / 1000);
    }
    if (ms < 3_600_000) {
      return String.format(Locale.ROOT, "%.1f min", ms / 60_000);
    }
    return String.format(Locale.ROOT, "%.1f h", ms / 3_600_000);
  }

  /** The newest alerts (200), filtered by least level and host, each linked to its incident. */
  private void alertList(Context ctx) throws CaseException {
    Views.User u = user(ctx, Permission.ALERTS_READ);
    if (u == null) {
      return;
    }
    String level = ctx.queryParam("level");
    List<String> levels = List.of("informational", "low", "medium", "high", "critical");
    int least = level == null ? 0 : Math.max(0, levels.indexOf(level));
    String host = ctx.queryParam("host");
    host = host == null || host.isBlank() ? null : host.strip();
    List<dev.rampart.alerting.alert.Alert> all = alerts.get();
    List<dev.rampart.alerting.alert.Alert> shown = new ArrayList<>();
    for (int i = all.size() - 1; i >= 0 && shown.size() < 200; i--) {
      dev.rampart.alerting.alert.Alert a = all.get(i);
      if (levels.indexOf(a.level()) < least
          || (host != null && !host.equalsIgnoreCase(String.valueOf(a.entities().host())))) {
        continue;
      }
      shown.add(a);
    }
    java.util.Map<String, String> incidents =
        cases.incidentsOf(shown.stream().map(dev.rampart.alerting.alert.Alert::id).toList());
    List<Views.AlertRow> rows = new ArrayList<>();
    for (dev.rampart.alerting.alert.Alert a : shown) {
      rows.add(
          new Views.AlertRow(
              TIME.format(Instant.ofEpochSecond(0, a.detectedAt())),
              a.level(),
              a.title(),
              a.ruleId(),
              a.entities().host() == null ? "" : a.entities().host(),
              a.entities().user() == null ? "" : a.entities().user(),
              String.join(" ", a.techniques()),
              incidents.getOrDefault(a.id(), "")));
    }
    render(
        ctx,
        "alerts.jte",
        new Views.Alerts(u, rows, levels.get(least), host == null ? "" : host, all.size()));
  }
}
