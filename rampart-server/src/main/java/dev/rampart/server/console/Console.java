package dev.rampart.server.console;

import dev.rampart.auth.AccessStore;
import dev.rampart.auth.Permission;
import dev.rampart.auth.Principal;
import dev.rampart.auth.Sessions;
import dev.rampart.cases.CaseStore;
import dev.rampart.cases.incident.CaseException;
import dev.rampart.cases.incident.Incident;
import dev.rampart.cases.incident.Status;
import dev.rampart.core.io.Csv;
import dev.rampart.server.Platform;
import dev.rampart.server.tenant.Tenancy;
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
  static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);
  private static final String HTMX = "META-INF/resources/webjars/htmx.org/2.0.4/dist/htmx.min.js";
  private static final String ECHARTS =
      "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";
  private static final DateTimeFormatter HOUR =
      DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final com.fasterxml.jackson.databind.ObjectMapper CHART_JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private final Platform platform;
  private final CaseStore cases;
  private final AccessStore access;
  private final Sessions sessions;
  private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
  private final dev.rampart.store.EventStore store;
  // where searches run: the embedded store, or OpenSearch when configured
  private final dev.rampart.store.search.EventSearch events;
  private final boolean sso;

  public Console(Platform platform, AccessStore access, Sessions sessions) {
    this.platform = platform;
    this.store = platform.store();
    this.events = platform.search();
    this.sso = platform.config().oidc() != null;
    this.cases = platform.cases();
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
    config.routes.get("/assets/echarts.min.js", ctx -> asset(ctx, ECHARTS, "text/javascript"));
    config.routes.get("/assets/console.css", ctx -> asset(ctx, "console/console.css", "text/css"));
    config.routes.get(
        "/assets/console.js", ctx -> asset(ctx, "console/console.js", "text/javascript"));
    config.routes.get("/login", ctx -> render(ctx, "login.jte", new Views.Login(null, null, sso)));
    config.routes.get("/dashboard", this::dashboard);
    config.routes.get("/report", this::report);
    config.routes.get("/report/download", this::reportDownload);
    config.routes.get("/alerts", this::alertList);
    config.routes.get("/console/alerts/newer", this::newerAlerts);
    config.routes.post("/alerts/bulk", this::alertBulk);
    config.routes.get("/events/{id}", this::event);
    config.routes.post("/events/{id}/evidence", this::evidence);
    config.routes.get("/rules", this::rules);
    config.routes.get("/vulnerabilities", this::vulnerabilities);
    config.routes.get("/vulnerabilities/sla", this::vulnSla);
    config.routes.post("/vulnerabilities/scan", this::vulnScan);
    config.routes.get("/rules/view", this::rule);
    config.routes.get("/rules/coverage", this::coverage);
    config.routes.get("/rules/coverage.csv", this::coverageCsv);
    config.routes.post("/rules/enabled", this::ruleSwitch);
    config.routes.post("/rules/backfill", this::ruleBackfill);
    new SettingsPages(this, platform, access).register(config);
    new AgentPages(this, platform).register(config);
    new PreventionPages(this, platform).register(config);
    new EntityPages(this, platform).register(config);
    new SearchPages(this, platform).register(config);
    config.routes.post("/login", this::login);
    config.routes.post("/logout", this::logout);
    config.routes.get("/", this::queue);
    config.routes.get("/console/queue/rows", this::queueRows);
    config.routes.get("/incidents/{id}", this::incident);
    config.routes.get("/incidents/{id}/report", this::incidentReport);
    config.routes.post("/incidents/{id}/status", this::status);
    config.routes.post("/incidents/{id}/owner", this::owner);
    config.routes.post("/incidents/{id}/priority", this::priority);
    config.routes.post("/incidents/{id}/tags", this::tags);
    config.routes.post("/incidents/{id}/merge", this::merge);
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

  void render(Context ctx, String template, Object model) {
    StringOutput out = new StringOutput();
    templates.render(template, model, out);
    ctx.contentType("text/html; charset=utf-8");
    ctx.header("Cache-Control", "no-store");
    ctx.result(out.toString());
  }

  /** The signed-in user, or null after redirecting to the login page. */
  Views.User user(Context ctx, Permission needed) throws CaseException {
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
    return new Views.User(
        p.user(),
        p.role(),
        s.csrf(),
        p.tenants(),
        Tenancy.eventScope(p, platform.config()),
        p.permissions());
  }

  /** The incident, or null after a 404 when it does not exist or is another tenant's. */
  private Incident visible(Context ctx, Views.User u, String id) {
    try {
      Incident i = cases.get(id);
      if (u.tenants().isEmpty() || u.tenants().contains(i.tenant())) {
        return i;
      }
    } catch (CaseException e) {
      // the same answer as for another tenant's
    }
    notFound(ctx, u, "No incident " + id + ".", "/", "The incident queue");
    return null;
  }

  /**
   * A 404 as a console page, saying what was not found and linking back to where such things are
   * listed; a line of text for htmx requests (their answer lands inside a page).
   */
  void notFound(Context ctx, Views.User u, String message, String back, String backLabel) {
    ctx.status(404);
    if (u == null || ctx.header("HX-Request") != null) {
      ctx.contentType("text/plain; charset=utf-8");
      ctx.result(message);
      return;
    }
    render(ctx, "notfound.jte", new Views.NotFound(u, message, back, backLabel));
  }

  /** A change: signed in, allowed, and carrying the session's CSRF token. */
  private Views.User changer(Context ctx) throws CaseException {
    return changer(ctx, Permission.INCIDENTS_WRITE);
  }

  Views.User changer(Context ctx, Permission needed) throws CaseException {
    Views.User u = user(ctx, needed);
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
    boolean mine = "me".equals(ctx.queryParam("owner"));
    String tag = ctx.queryParam("tag");
    tag = tag == null || tag.isBlank() ? null : tag.strip();
    boolean breached = ctx.queryParam("breached") != null;
    String after = ctx.queryParam("after");
    after = after == null || after.isBlank() ? null : after;
    // the filters again, for the live refresh and the next page
    StringBuilder filters =
        new StringBuilder("status=").append(dev.rampart.server.search.SearchWindow.encode(status));
    filters.append("&priority=").append(pr == null ? "" : pr);
    if (mine) {
      filters.append("&owner=me");
    }
    if (tag != null) {
      filters.append("&tag=").append(dev.rampart.server.search.SearchWindow.encode(tag));
    }
    if (breached) {
      filters.append("&breached=1");
    }
    long now = cases.now();
    List<Views.Row> rows = new ArrayList<>();
    CaseStore.Page page =
        cases.list(
            new CaseStore.Filter(statuses, pr, mine ? u.name() : null, tag, breached)
                .withTenants(u.tenants()),
            QUEUE_PAGE,
            after);
    for (Incident i : page.incidents()) {
      rows.add(row(i, now));
    }
    return new Views.Queue(
        u,
        rows,
        status,
        pr == null ? "" : pr,
        rows.size(),
        mine,
        tag == null ? "" : tag,
        breached,
        filters.toString(),
        after != null,
        page.next() == null
            ? null
            : "/?"
                + filters
                + "&after="
                + dev.rampart.server.search.SearchWindow.encode(page.next()));
  }

  /** Incidents on one page of the queue: a shift's worth; older ones a link away. */
  private static final int QUEUE_PAGE = 100;

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

  /** The page of the host, user or address a field names, or null. */
  static String entityPage(String field, String value) {
    String kind =
        switch (field) {
          case "host.name", "rampart.host" -> "host";
          case "user.name" -> "user";
          case "source.ip", "destination.ip" -> "ip";
          default -> null;
        };
    return kind == null ? null : Views.entityLink(kind, value);
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
        i.tags(),
        dueShort(i, now));
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

  /** The incident's write-up as a file (Markdown, HTML or JSON); exports are audited. */
  private void incidentReport(Context ctx) throws CaseException {
    Views.User u = user(ctx, Permission.INCIDENTS_READ);
    if (u == null) {
      return;
    }
    Incident i = visible(ctx, u, ctx.pathParam("id"));
    if (i == null) {
      return;
    }
    var format = dev.rampart.server.report.ReportFormat.parse(param(ctx, "format", "md"));
    if (format == null) {
      ctx.status(400).contentType("text/plain; charset=utf-8").result("format: md, html or json");
      return;
    }
    var report =
        dev.rampart.server.report.IncidentReport.build(
            cases, i, u.may(Permission.EVENTS_READ) ? events : null, u.eventScope());
    cases.audit(u.name(), "incident.export", i.id(), format.extension());
    ctx.header(
        "Content-Disposition",
        "attachment; filename=\"incident-" + i.id() + "." + format.extension() + "\"");
    ctx.header("Cache-Control", "no-store");
    ctx.contentType(format.mediaType()).result(format.render(report));
  }

  private void renderIncident(Context ctx, Views.User u, String id, String message)
      throws CaseException {
    Incident i = visible(ctx, u, id);
    if (i == null) {
      return;
    }
    long now = cases.now();
    List<Views.IncidentAlert> alerts = new ArrayList<>();
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    var catalog = platform.rules().attack();
    java.util.Map<String, Views.Technique> techniques = new java.util.LinkedHashMap<>();
    for (CaseStore.LinkedAlert a : cases.alerts(id)) {
      List<String> eventIds = new ArrayList<>();
      List<Views.Technique> alertTechniques = new ArrayList<>();
      try {
        // the incident is the user's to see, and with it its alerts: no tenant filter here
        var queued = cases.queue().get(a.alertId(), java.util.Set.of());
        for (Long e : queued.eventIds()) {
          eventIds.add(Long.toString(e));
        }
        for (String t : queued.techniques()) {
          alertTechniques.add(techniques.computeIfAbsent(t, x -> technique(catalog, x)));
        }
      } catch (CaseException e) {
        // alerts filed before the queue existed have no row there; the alert still shows
      }
      alerts.add(
          new Views.IncidentAlert(
              TIME.format(Instant.ofEpochMilli(a.eventTime())),
              a.level(),
              a.ruleId(),
              a.title(),
              eventIds,
              alertTechniques));
      first = Math.min(first, a.eventTime());
      last = Math.max(last, a.eventTime());
    }
    // the hunt from here: the incident's host and user an hour either side of its alerts
    List<Views.Pivot> pivots = new ArrayList<>();
    if (u.may(Permission.EVENTS_READ) && first <= last) {
      var around =
          dev.rampart.server.search.SearchWindow.between(
              (first - 3_600_000L) * 1_000_000L, (last + 3_600_000L) * 1_000_000L);
      if (i.host() != null && !i.host().isBlank()) {
        pivots.add(
            new Views.Pivot("Events on " + i.host(), around.href(SearchPages.onHost(i.host()))));
      }
      if (i.user() != null && !i.user().isBlank()) {
        pivots.add(
            new Views.Pivot(
                "Events of " + i.user(), around.href(SearchPages.term("user.name", i.user()))));
      }
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
    // where it can be merged: the user's other open incidents of its tenant
    List<Views.Choice> mergeInto = new ArrayList<>();
    if (u.mayWrite() && i.mergedInto() == null) {
      for (Incident o :
          cases
              .list(
                  new CaseStore.Filter(OPEN, null, null, null, false)
                      .withTenants(java.util.Set.of(i.tenant())),
                  100,
                  null)
              .incidents()) {
        if (!o.id().equals(i.id()) && o.mergedInto() == null) {
          mergeInto.add(new Views.Choice(o.id(), o.title() + " (" + o.status().label() + ")"));
        }
      }
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
            i.user() == null ? "" : i.user(),
            next,
            alerts,
            evidence,
            notes,
            timeline,
            message,
            u.may(Permission.IDENTITIES_READ) ? identity(i.user()) : null,
            pivots,
            List.copyOf(techniques.values()),
            due(i, now),
            mergeInto,
            i.mergedInto()));
  }

  /**
   * A technique id as a link to MITRE's page, named from the imported catalogue if there is one.
   */
  static Views.Technique technique(dev.rampart.sigma.coverage.AttackCatalog catalog, String id) {
    var t = catalog == null ? null : catalog.technique(id);
    String path = id.toUpperCase(java.util.Locale.ROOT).replace('.', '/');
    return new Views.Technique(
        id, t == null ? "" : t.name(), "https://attack.mitre.org/techniques/" + path + "/");
  }

  /**
   * The SLA timer that runs now: acknowledge by, then resolve by, each with how long is left or how
   * long ago it ran out; null once resolved or without SLAs.
   */
  static String due(Incident i, long now) {
    Timer t = timer(i);
    if (t == null) {
      return null;
    }
    String when = TIME.format(Instant.ofEpochMilli(t.at()));
    return t.at() >= now
        ? t.what() + " by " + when + " (in " + age(t.at() - now) + ")"
        : t.what() + " was due " + when + " (" + age(now - t.at()) + " ago)";
  }

  /** The same in a few words for the queue: "ack in 12 min", "resolve 3 h overdue"; "" if none. */
  static String dueShort(Incident i, long now) {
    Timer t = timer(i);
    if (t == null) {
      return "";
    }
    String what = t.what().equals("acknowledge") ? "ack" : t.what();
    return t.at() >= now
        ? what + " in " + age(t.at() - now)
        : what + " " + age(now - t.at()) + " overdue";
  }

  /** An SLA timer: what must happen by when. */
  private record Timer(String what, long at) {}

  /** The timer that runs: acknowledgement until acknowledged, then resolution; null if none. */
  private static Timer timer(Incident i) {
    if (i.resolvedAt() != null) {
      return null;
    }
    if (i.acknowledgedAt() == null && i.ackDueAt() != null) {
      return new Timer("acknowledge", i.ackDueAt());
    }
    return i.resolveDueAt() == null ? null : new Timer("resolve", i.resolveDueAt());
  }

  /**
   * Who an incident's user is in the directory, with their risk and its reasons; null if nobody.
   */
  private String identity(String account) throws CaseException {
    if (account == null || account.isBlank()) {
      return null;
    }
    var p = platform.prevention().directory().byAccount(account);
    if (p == null) {
      return null;
    }
    var s = platform.prevention().risk(p);
    List<String> why = new ArrayList<>();
    for (var r : s.reasons()) {
      why.add(r.why());
    }
    return p.label()
        + (p.department() == null ? "" : " (" + p.department() + ")")
        + (p.active() ? "" : ", disabled")
        + " — identity risk "
        + s.value()
        + ", "
        + s.level()
        + (why.isEmpty() ? "" : ": " + String.join("; ", why));
  }

  /** A move in the incident's lifecycle, if its status allows it. */
  private void status(Context ctx) throws CaseException {
    change(
        ctx,
        (id, u) -> {
          Status to = Status.parse(String.valueOf(ctx.formParam("status")));
          if (to == null) {
            throw new CaseException(CaseException.Kind.INVALID, "unknown status");
          }
          cases.transition(id, to, u.name());
        });
  }

  /** The owner set, or cleared when blank. */
  private void owner(Context ctx) throws CaseException {
    String owner = ctx.formParam("owner");
    change(
        ctx,
        (id, u) ->
            cases.assign(id, owner == null || owner.isBlank() ? null : owner.strip(), u.name()));
  }

  /** A change of priority; its SLAs follow (CaseStore.prioritize). */
  private void priority(Context ctx) throws CaseException {
    change(ctx, (id, u) -> cases.prioritize(id, ctx.formParam("priority"), u.name()));
  }

  /** A tag added ({@code add}) or removed ({@code remove}). */
  private void tags(Context ctx) throws CaseException {
    change(
        ctx,
        (id, u) ->
            cases.tag(id, words(ctx.formParam("add")), words(ctx.formParam("remove")), u.name()));
  }

  /** Merges this incident into another the user may see; the page that remains is the other. */
  private void merge(Context ctx) throws CaseException {
    Views.User u = changer(ctx);
    if (u == null) {
      return;
    }
    String id = ctx.pathParam("id");
    if (visible(ctx, u, id) == null) {
      return;
    }
    Incident into = visible(ctx, u, String.valueOf(ctx.formParam("into")));
    if (into == null) {
      return;
    }
    try {
      cases.merge(id, into.id(), u.name());
    } catch (CaseException e) {
      ctx.status(dev.rampart.server.http.Statuses.of(e.kind()));
      renderIncident(ctx, u, id, e.getMessage());
      return;
    }
    ctx.redirect("/incidents/" + into.id(), HttpStatus.SEE_OTHER);
  }

  /** A change of one incident by a form: allowed, visible, done, and the page shown again. */
  private void change(Context ctx, Change c) throws CaseException {
    Views.User u = changer(ctx);
    if (u == null) {
      return;
    }
    String id = ctx.pathParam("id");
    if (visible(ctx, u, id) == null) {
      return;
    }
    String message = null;
    try {
      c.apply(id, u);
    } catch (CaseException e) {
      ctx.status(dev.rampart.server.http.Statuses.of(e.kind()));
      message = e.getMessage();
    }
    renderIncident(ctx, u, id, message);
  }

  @FunctionalInterface
  private interface Change {
    void apply(String incident, Views.User u) throws CaseException;
  }

  private static java.util.Set<String> words(String s) {
    return s == null || s.isBlank()
        ? java.util.Set.of()
        : java.util.Set.of(s.strip().split("[\\s,]+"));
  }

  /** An analyst's note (Markdown). */
  private void note(Context ctx) throws CaseException {
    change(ctx, (id, u) -> cases.comment(id, u.name(), String.valueOf(ctx.formParam("markdown"))));
  }

  /** The dashboard: alerts over the last 24 hours, top rules and hosts, open incidents, metrics. */
  private void dashboard(Context ctx) throws CaseException {
    Views.User u = user(ctx, Permission.INCIDENTS_READ);
    if (u == null) {
      return;
    }
    long nowMs = cases.now();
    // Whole hours, so the bars line up with the clock.
    long since = (nowMs / 3_600_000L - 23) * 3_600_000L;
    var summary = cases.queue().summary(since, 24, u.tenants());
    long max = 1;
    for (long h : summary.perHour()) {
      max = Math.max(max, h);
    }
    List<Views.Bar> byHour = new ArrayList<>();
    for (int h = 0; h < 24; h++) {
      long n = summary.perHour()[h];
      byHour.add(
          new Views.Bar(
              TIME.format(Instant.ofEpochMilli(since + h * 3_600_000L)), n, (int) (n * 100 / max)));
    }
    java.util.Map<String, Long> levels = new java.util.LinkedHashMap<>();
    for (String l : LEVELS.reversed()) {
      levels.put(l, summary.levels().getOrDefault(l, 0L));
    }
    java.util.Map<String, Long> rules = summary.rules();
    java.util.Map<String, Long> hosts = summary.hosts();
    CaseStore.OpenCounts open = cases.openCounts(u.tenants());
    java.util.Map<String, Long> priorities = open.byPriority();
    java.util.Map<String, Long> ages = open.byAge();
    CaseStore.Metrics m = cases.metrics(u.tenants());
    // the SOC lead's times of the last 7 days (whole hours), beside the 7 days before them
    var week = dev.rampart.server.report.ReportPeriod.parse("7d", "now", nowMs);
    long len = week.toMillis() - week.fromMillis();
    var thisWeek = cases.times(week.fromMillis(), week.toMillis(), u.tenants());
    var lastWeek = cases.times(week.fromMillis() - len, week.fromMillis(), u.tenants());
    List<Views.Stat> lag = new ArrayList<>();
    java.util.Map<String, Long> behind = platform.lag();
    long most = 1;
    for (long b : behind.values()) {
      most = Math.max(most, b);
    }
    for (var e : behind.entrySet()) {
      lag.add(
          new Views.Stat(
              e.getKey().equals("store") ? "indexing" : e.getKey(),
              e.getValue(),
              (int) (Math.max(0, e.getValue()) * 100 / most)));
    }
    // The chart's data, for ECharts (console.js); the CSS bars above it work without scripts.
    java.util.Map<String, Object> data = new java.util.LinkedHashMap<>();
    List<String> hourLabels = new ArrayList<>();
    for (int h = 0; h < 24; h++) {
      hourLabels.add(HOUR.format(Instant.ofEpochMilli(since + h * 3_600_000L)));
    }
    data.put("hours", hourLabels);
    java.util.Map<String, long[]> series = new java.util.LinkedHashMap<>();
    for (int l = 0; l < LEVELS.size(); l++) {
      long[] counts = new long[24];
      for (int h = 0; h < 24; h++) {
        counts[h] = summary.perHourByLevel()[h][l];
      }
      series.put(LEVELS.get(l), counts);
    }
    data.put("series", series);
    String chart;
    try {
      chart = CHART_JSON.writeValueAsString(data).replace("</", "<\\/");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      chart = "{}";
    }
    render(
        ctx,
        "dashboard.jte",
        new Views.Dashboard(
            u,
            byHour,
            stats(levels, 10),
            stats(new java.util.LinkedHashMap<>(rules), 8),
            stats(new java.util.LinkedHashMap<>(hosts), 8),
            stats(priorities, 10),
            stats(ages, 10),
            dev.rampart.core.time.Durations.readable(thisWeek.mttdMillis()),
            dev.rampart.core.time.Durations.readable(thisWeek.mttaMillis()),
            dev.rampart.core.time.Durations.readable(thisWeek.mttrMillis()),
            dev.rampart.core.time.Durations.readable(lastWeek.mttdMillis()),
            dev.rampart.core.time.Durations.readable(lastWeek.mttaMillis()),
            dev.rampart.core.time.Durations.readable(lastWeek.mttrMillis()),
            m.incidents(),
            String.format(Locale.ROOT, "%,.1f events/s", platform.ingestRate()),
            lag,
            chart));
  }

  static List<Views.Stat> stats(java.util.Map<String, Long> counts, int top) {
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

  private static final List<String> LEVELS = dev.rampart.cases.queue.AlertQueue.LEVELS;

  static String param(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null) {
      v = ctx.formParam(name);
    }
    return v == null || v.isBlank() ? null : v.strip();
  }

  /** The alert list's filter from the request: least level, host, user, source address, state. */
  private static dev.rampart.cases.queue.AlertQueue.Filter alertFilter(Context ctx, Views.User u) {
    String level = param(ctx, "level");
    String state = param(ctx, "state");
    return new dev.rampart.cases.queue.AlertQueue.Filter(
        u.tenants(),
        level != null && LEVELS.contains(level) ? level : null,
        param(ctx, "host"),
        null,
        state != null && (state.equals("new") || state.equals("acknowledged")) ? state : null,
        param(ctx, "user"),
        param(ctx, "ip"));
  }

  static Views.AlertRow alertRow(dev.rampart.cases.queue.AlertQueue.Row a) {
    return new Views.AlertRow(
        a.id(),
        TIME.format(Instant.ofEpochMilli(a.detectedAt())),
        a.level(),
        a.title(),
        a.ruleId(),
        a.host() == null ? "" : a.host(),
        a.user() == null ? "" : a.user(),
        a.techniques().stream().map(t -> technique(null, t)).toList(),
        a.incidentId() == null ? "" : a.incidentId(),
        a.outcome(),
        a.state(),
        a.assignee() == null ? "" : a.assignee(),
        a.eventIds().isEmpty() ? "" : Long.toString(a.eventIds().getFirst()));
  }

  private Views.Alerts alertsView(Context ctx, Views.User u, String message) throws CaseException {
    var f = alertFilter(ctx, u);
    var page = cases.queue().list(f, 200, param(ctx, "before"));
    List<Views.AlertRow> rows = new ArrayList<>();
    for (var a : page.alerts()) {
      rows.add(alertRow(a));
    }
    String newest =
        page.alerts().isEmpty()
            ? "0:"
            : dev.rampart.cases.queue.AlertQueue.cursor(page.alerts().get(0));
    if (param(ctx, "before") != null) {
      newest = ""; // an older page does not go live
    }
    return new Views.Alerts(
        u,
        rows,
        f.minLevel() == null ? "informational" : f.minLevel(),
        f.host() == null ? "" : f.host(),
        f.user() == null ? "" : f.user(),
        f.sourceIp() == null ? "" : f.sourceIp(),
        f.state() == null ? "" : f.state(),
        newest,
        page.next() == null ? "" : page.next(),
        message);
  }

  /** The alert queue: newest first, filtered, live, with bulk acknowledge and assign. */
  private void alertList(Context ctx) throws CaseException {
    Views.User u = user(ctx, Permission.ALERTS_READ);
    if (u != null) {
      render(ctx, "alerts.jte", alertsView(ctx, u, null));
    }
  }

  /**
   * The live part of the alert list: alerts newer than the page's newest, as rows to put on top,
   * and the poller for the next round; 204 (nothing to swap) when none arrived.
   */
  private void newerAlerts(Context ctx) throws CaseException {
    Views.User u = user(ctx, Permission.ALERTS_READ);
    if (u == null) {
      return;
    }
    String after = param(ctx, "after");
    if (after == null || after.indexOf(':') < 0) {
      ctx.status(400);
      return;
    }
    var f = alertFilter(ctx, u);
    List<dev.rampart.cases.queue.AlertQueue.Row> found = cases.queue().newer(f, 200, after);
    if (found.isEmpty()) {
      ctx.status(204);
      return;
    }
    List<Views.AlertRow> rows = new ArrayList<>();
    for (var a : found) {
      rows.add(alertRow(a));
    }
    Views.Alerts filter =
        new Views.Alerts(
            u,
            List.of(),
            f.minLevel() == null ? "informational" : f.minLevel(),
            f.host() == null ? "" : f.host(),
            f.user() == null ? "" : f.user(),
            f.sourceIp() == null ? "" : f.sourceIp(),
            f.state() == null ? "" : f.state(),
            after,
            "",
            null);
    render(
        ctx,
        "alerts_newer.jte",
        new Views.Newer(filter, rows, dev.rampart.cases.queue.AlertQueue.cursor(found.get(0))));
  }

  /** Acknowledge or assign the checked alerts, then show the list again with what changed. */
  private void alertBulk(Context ctx) throws CaseException {
    Views.User u = changer(ctx, Permission.ALERTS_WRITE);
    if (u == null) {
      return;
    }
    List<String> ids = ctx.formParams("ids");
    String action = String.valueOf(ctx.formParam("action"));
    String message;
    try {
      if (action.equals("acknowledge")) {
        int n = cases.queue().acknowledge(ids, u.tenants(), u.name());
        message = n + (n == 1 ? " alert" : " alerts") + " acknowledged.";
      } else if (action.equals("assign")) {
        String to = param(ctx, "assignee");
        int n = cases.queue().assign(ids, to, u.tenants(), u.name());
        message =
            n
                + (n == 1 ? " alert" : " alerts")
                + " assigned to "
                + (to == null ? "nobody" : to)
                + ".";
      } else {
        ctx.status(400);
        message = "Choose Acknowledge or Assign.";
      }
    } catch (CaseException e) {
      ctx.status(400);
      message =
          e.getMessage().substring(0, 1).toUpperCase(Locale.ROOT)
              + e.getMessage().substring(1)
              + ".";
    }
    render(ctx, "alerts.jte", alertsView(ctx, u, message));
  }

  /** An event with every field, and the events around it on the same host. */
  private void event(Context ctx) throws Exception {
    Views.User u = user(ctx, Permission.EVENTS_READ);
    if (u == null) {
      return;
    }
    long id = eventId(ctx);
    List<java.util.Map<String, Object>> rows =
        id < 0 ? List.of() : store.context(id, 10, u.eventScope());
    java.util.Map<String, Object> event = null;
    List<Views.Around> around = new ArrayList<>();
    for (var r : rows) {
      String rid = String.valueOf(r.get("_id"));
      boolean current = rid.equals(Long.toString(id));
      if (current) {
        event = r;
      }
      java.util.Map<String, Object> rest = new java.util.LinkedHashMap<>(r);
      Object ts = rest.remove("@timestamp");
      rest.remove("_id");
      around.add(
          new Views.Around(
              rid, SearchPages.shortTime(String.valueOf(ts)), SearchPages.compact(rest), current));
    }
    if (event == null) {
      notFound(ctx, u, "No event " + ctx.pathParam("id") + ".", "/search", "Search events");
      return;
    }
    // every value a search for itself within a day either side; the host's hour around it
    long at = dev.rampart.core.event.Timestamps.parse(String.valueOf(event.get("@timestamp")));
    boolean timed = at != dev.rampart.core.event.Timestamps.UNSET;
    List<Views.Field> fields = new ArrayList<>();
    for (var e : new java.util.TreeMap<>(event).entrySet()) {
      String value = String.valueOf(e.getValue());
      boolean searchable =
          timed
              && !NOT_SEARCHED.contains(e.getKey())
              && !(e.getValue() instanceof java.util.Collection<?>)
              && !(e.getValue() instanceof java.util.Map<?, ?>)
              && value.length() <= 1000;
      fields.add(
          new Views.Field(
              e.getKey(),
              value,
              searchable
                  ? dev.rampart.server.search.SearchWindow.between(at - DAY_NANOS, at + DAY_NANOS)
                      .href(SearchPages.term(e.getKey(), value))
                  : null,
              entityPage(e.getKey(), value)));
    }
    Object host = event.getOrDefault("rampart.host", event.get("host.name"));
    String hostName = host == null ? "" : String.valueOf(host);
    List<Views.Pivot> pivots = new ArrayList<>();
    if (timed && !hostName.isEmpty()) {
      pivots.add(
          new Views.Pivot(
              "Everything on " + hostName + " an hour either side",
              dev.rampart.server.search.SearchWindow.between(
                      at - DAY_NANOS / 24, at + DAY_NANOS / 24)
                  .href(SearchPages.onHost(hostName))));
    }
    // the open incidents it could be evidence for, most recently worked first
    List<Views.Choice> incidents = new ArrayList<>();
    if (u.mayWrite()) {
      for (Incident i :
          cases
              .list(
                  new CaseStore.Filter(OPEN, null, null, null, false).withTenants(u.tenants()),
                  100,
                  null)
              .incidents()) {
        incidents.add(new Views.Choice(i.id(), i.title() + " (" + i.status().label() + ")"));
      }
    }
    // the alerts it fired: from the event to the rule, the incident, the rest of the story
    List<Views.Cited> cited = new ArrayList<>();
    if (timed && u.may(Permission.ALERTS_READ)) {
      java.util.Set<String> hosts = new java.util.TreeSet<>();
      for (String k : List.of("host.name", "rampart.host")) {
        if (event.get(k) instanceof String h && !h.isBlank()) {
          hosts.add(h);
        }
      }
      for (var a : cases.queue().citing(id, hosts, at / 1_000_000L, u.tenants(), 50)) {
        cited.add(
            new Views.Cited(
                TIME.format(Instant.ofEpochMilli(a.detectedAt())),
                a.level(),
                a.title(),
                a.incidentId() == null ? "" : a.incidentId(),
                a.outcome()));
      }
    }
    render(
        ctx,
        "event.jte",
        new Views.Event(u, Long.toString(id), hostName, fields, around, pivots, incidents, cited));
  }

  private static final java.util.Set<Status> OPEN =
      java.util.EnumSet.complementOf(java.util.EnumSet.of(Status.RESOLVED, Status.FALSE_POSITIVE));

  /**
   * Links the event as evidence of an incident the user may work, with their note. Only an event
   * the user can see: another tenant's id is "no event", as on its page.
   */
  private void evidence(Context ctx) throws Exception {
    Views.User u = changer(ctx);
    if (u == null) {
      return;
    }
    Incident i = visible(ctx, u, String.valueOf(ctx.formParam("incident")));
    if (i == null) {
      return;
    }
    long id = eventId(ctx);
    if (id < 0 || store.context(id, 0, u.eventScope()).isEmpty()) {
      notFound(ctx, u, "No event " + ctx.pathParam("id") + ".", "/search", "Search events");
      return;
    }
    String note = ctx.formParam("note");
    try {
      cases.addEvidence(i.id(), id, note == null || note.isBlank() ? null : note.strip(), u.name());
    } catch (CaseException e) {
      ctx.status(dev.rampart.server.http.Statuses.of(e.kind()));
      renderIncident(ctx, u, i.id(), e.getMessage());
      return;
    }
    ctx.redirect("/incidents/" + i.id(), HttpStatus.SEE_OTHER);
  }

  /** The path's event id, or -1 when it is not a number (an event no one has). */
  private static long eventId(Context ctx) {
    try {
      return Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static final long DAY_NANOS = 86_400_000_000_000L;

  // fields an event page does not offer to search for: ids and times, and the original line,
  // which is stored but not indexed
  private static final java.util.Set<String> NOT_SEARCHED =
      java.util.Set.of("_id", "@timestamp", "event.original");

  /** Vulnerability findings with filters, the assets, and the network scans. */
  private void vulnerabilities(Context ctx) throws CaseException {
    Views.User u = user(ctx, Permission.VULNS_READ);
    if (u != null) {
      showVulnerabilities(ctx, u, null);
    }
  }

  /** A configured scan job, now (vulns:write). */
  private void vulnScan(Context ctx) throws CaseException {
    Views.User u = changer(ctx, Permission.VULNS_WRITE);
    if (u == null) {
      return;
    }
    int job;
    try {
      job = Integer.parseInt(String.valueOf(ctx.formParam("job")));
    } catch (NumberFormatException e) {
      job = -1;
    }
    var jobs = platform.scans().policy().jobs();
    String message;
    if (job < 0 || job >= jobs.size()) {
      ctx.status(400);
      message = "No such scan job; the jobs are in the config's vulnerabilities.scans section.";
    } else {
      var j = jobs.get(job);
      try {
        var run = platform.scans().submit(j.asset(), j.target(), u.name());
        message =
            "Scan " + run.id() + " of " + j.target() + " queued; its findings go to " + j.asset();
      } catch (CaseException full) { // the queue is full: say so on the page
        ctx.status(dev.rampart.server.http.Statuses.of(full.kind()));
        message = full.getMessage();
      }
    }
    showVulnerabilities(ctx, u, message);
  }

  private void showVulnerabilities(Context ctx, Views.User u, String message) throws CaseException {
    String asset = param(ctx, "asset");
    String severity = param(ctx, "severity");
    if (severity != null && !List.of("critical", "high", "medium", "low").contains(severity)) {
      severity = null;
    }
    String status = param(ctx, "status");
    if (status == null || !List.of("open", "fixed", "all").contains(status)) {
      status = "open";
    }
    boolean kev = "true".equals(param(ctx, "kev"));
    boolean overdue = "true".equals(param(ctx, "overdue"));
    var store = platform.vuln().store();
    render(
        ctx,
        "vulns.jte",
        new Views.Vulns(
            u,
            asset == null ? "" : asset,
            severity == null ? "" : severity,
            kev,
            status,
            overdue,
            store.findings(
                new dev.rampart.vuln.track.VulnStore.Filter(
                    asset, severity, kev, status, overdue, false, 500)),
            store.assets(),
            System.currentTimeMillis(),
            platform.scans().policy().jobs(),
            platform.scans().list(20),
            message));
  }

  /** Patch SLAs per severity and the open findings of the last 30 days. */
  /**
   * The SOC report of a period (default: the last 7 days): figures against the period before, the
   * chart, the rules to tune; vulnerabilities for those who may read them and see every tenant.
   */
  private void report(Context ctx) throws CaseException {
    Views.User u = user(ctx, Permission.INCIDENTS_READ);
    if (u == null) {
      return;
    }
    String last = param(ctx, "last", "7d");
    String end = param(ctx, "end", "now");
    String error = null;
    dev.rampart.server.report.ReportPeriod period;
    try {
      period = dev.rampart.server.report.ReportPeriod.parse(last, end, cases.now());
    } catch (IllegalArgumentException e) {
      error = e.getMessage();
      ctx.status(400);
      last = "7d";
      end = "now";
      period = dev.rampart.server.report.ReportPeriod.parse(last, end, cases.now());
    }
    render(ctx, "report.jte", new Views.Report(u, socReport(u, period), last, end, error));
  }

  /** The report as a file to keep or send on: Markdown, self-contained HTML or JSON. */
  private void reportDownload(Context ctx) throws CaseException {
    Views.User u = user(ctx, Permission.INCIDENTS_READ);
    if (u == null) {
      return;
    }
    var format = dev.rampart.server.report.ReportFormat.parse(param(ctx, "format", "md"));
    dev.rampart.server.report.ReportPeriod period;
    try {
      if (format == null) {
        throw new IllegalArgumentException("format: md, html or json");
      }
      period =
          dev.rampart.server.report.ReportPeriod.parse(
              param(ctx, "last", "7d"), param(ctx, "end", "now"), cases.now());
    } catch (IllegalArgumentException e) {
      ctx.status(400).contentType("text/plain; charset=utf-8").result(e.getMessage());
      return;
    }
    var r = socReport(u, period);
    String name =
        "rampart-report-"
            + java.time.LocalDate.ofEpochDay(Math.floorDiv(r.fromMillis(), 86_400_000L))
            + "-"
            + r.length().replace(' ', '-')
            + "."
            + format.extension();
    ctx.header("Content-Disposition", "attachment; filename=\"" + name + "\"");
    ctx.header("Cache-Control", "no-store");
    ctx.contentType(format.mediaType()).result(format.render(r));
  }

  private dev.rampart.server.report.SocReport socReport(
      Views.User u, dev.rampart.server.report.ReportPeriod period) throws CaseException {
    return dev.rampart.server.report.SocReport.build(
        cases,
        u.may(Permission.VULNS_READ) ? platform.vuln().store() : null,
        u.may(Permission.EVENTS_READ)
            ? dev.rampart.server.report.EventCounts.of(events, u.eventScope())
            : null,
        period,
        u.tenants());
  }

  private static String param(Context ctx, String name, String otherwise) {
    String v = param(ctx, name);
    return v == null ? otherwise : v;
  }

  private void vulnSla(Context ctx) throws CaseException {
    Views.User u = user(ctx, Permission.VULNS_READ);
    if (u == null) {
      return;
    }
    var store = platform.vuln().store();
    var trend = store.trend(30);
    long max = 1;
    for (var t : trend) {
      max = Math.max(max, t.open().values().stream().mapToLong(Integer::longValue).sum());
    }
    List<Views.Bar> bars = new ArrayList<>();
    java.util.Map<String, Object> data = new java.util.LinkedHashMap<>();
    List<String> days = new ArrayList<>();
    java.util.Map<String, List<Integer>> series = new java.util.LinkedHashMap<>();
    for (var t : trend) {
      long n = t.open().values().stream().mapToLong(Integer::longValue).sum();
      bars.add(new Views.Bar(t.day(), n, (int) (n * 100 / max)));
      days.add(t.day());
      t.open().forEach((sev, c) -> series.computeIfAbsent(sev, k -> new ArrayList<>()).add(c));
    }
    data.put("days", days);
    data.put("series", series);
    String chart;
    try {
      chart = CHART_JSON.writeValueAsString(data).replace("</", "<\\/");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      chart = "{}";
    }
    render(ctx, "vuln_sla.jte", new Views.VulnSla(u, store.slaReport(), bars, chart));
  }

  /**
   * The rules in force, searchable; with {@code hunt=1}, the whole pack run over the stored events
   * of {@code range} that {@code hq} matches, the rules that matched first.
   */
  private void rules(Context ctx) throws Exception {
    Views.User u = user(ctx, Permission.RULES_READ);
    if (u == null) {
      return;
    }
    String q = param(ctx, "q");
    String hq = param(ctx, "hq");
    var window = ruleWindow(ctx);
    dev.rampart.server.rules.RuleCatalog.PackHunt hunt = null;
    String error = null;
    if ("1".equals(param(ctx, "hunt"))) {
      if (!u.may(Permission.EVENTS_READ)) {
        error = "A hunt reads stored events: you need the permission events:read.";
      } else {
        try {
          hunt =
              platform.rules().huntPack(hq, window.fromNanos(), window.toNanos(), u.eventScope());
        } catch (dev.rampart.store.query.QueryException e) {
          error = e.render(hq == null ? "*" : hq);
        }
      }
    }
    var found = platform.rules().search(q);
    long off = found.stream().filter(r -> !r.enabled()).count();
    render(
        ctx,
        "rules.jte",
        new Views.Rules(
            u, q == null ? "" : q, found, off, hq == null ? "" : hq, window.range(), hunt, error));
  }

  /** ATT&CK coverage: the rules' techniques by tactic, with the user's alerts of 30 days. */
  private dev.rampart.sigma.coverage.AttackCoverage.Coverage coverageOf(Views.User u)
      throws CaseException {
    return platform
        .rules()
        .coverage(cases.queue(), cases.now(), u.tenants(), u.may(Permission.ALERTS_READ));
  }

  private void coverage(Context ctx) throws CaseException {
    Views.User u = user(ctx, Permission.RULES_READ);
    if (u != null) {
      render(ctx, "coverage.jte", new Views.Coverage(u, coverageOf(u)));
    }
  }

  /** The coverage as CSV: one row per tactic and technique. */
  private void coverageCsv(Context ctx) throws CaseException {
    Views.User u = user(ctx, Permission.RULES_READ);
    if (u == null) {
      return;
    }
    var c = coverageOf(u);
    StringBuilder out =
        new StringBuilder("tactic,technique,name,rules,rules_on,alerts_30d,rule_titles,problem\n");
    for (var t : c.tactics()) {
      for (var x : t.techniques()) {
        out.append(t.tag())
            .append(',')
            .append(x.id())
            .append(',')
            .append(Csv.cell(x.name() == null ? "" : x.name()))
            .append(',')
            .append(x.rules())
            .append(',')
            .append(x.enabled())
            .append(',')
            .append(c.alerts() == null ? "" : String.valueOf(x.alerts()))
            .append(',')
            .append(Csv.cell(String.join("; ", x.titles())))
            .append(',')
            .append(Csv.cell(x.problem() == null ? "" : x.problem()))
            .append('\n');
      }
      for (var g : t.gaps()) { // what ATT&CK has here and no rule covers
        out.append(t.tag())
            .append(',')
            .append(g.id())
            .append(',')
            .append(Csv.cell(g.name()))
            .append(",0,0,")
            .append(c.alerts() == null ? "" : "0")
            .append(",,no rule\n");
      }
    }
    ctx.contentType("text/csv; charset=utf-8");
    ctx.header("Content-Disposition", "attachment; filename=\"rampart-attack-coverage.csv\"");
    ctx.header("Cache-Control", "no-store");
    ctx.result(out.toString());
  }

  /**
   * One rule; with {@code test=1}, tested against recent events (or one event) and explained; with
   * {@code backtest=1}, run over every stored event of the window (what it would have fired on).
   */
  private void rule(Context ctx) throws Exception {
    Views.User u = user(ctx, Permission.RULES_READ);
    if (u != null) {
      renderRule(ctx, u, null);
    }
  }

  private void renderRule(Context ctx, Views.User u, String message) throws Exception {
    String key = param(ctx, "id");
    dev.rampart.server.rules.RuleCatalog.Info info;
    try {
      info = platform.rules().get(String.valueOf(key));
    } catch (CaseException e) {
      notFound(ctx, u, "No rule " + key + ".", "/rules", "All rules");
      return;
    }
    String q = param(ctx, "q");
    var window = ruleWindow(ctx);
    String range = window.range();
    String eventParam = param(ctx, "event");
    dev.rampart.server.rules.RuleCatalog.Test test = null;
    dev.rampart.server.rules.RuleCatalog.Backtest backtest = null;
    String backtestChart = null;
    String error = null;
    if ("1".equals(param(ctx, "backtest"))) {
      if (!u.may(Permission.EVENTS_READ)) {
        error = "A backtest reads stored events: you need the permission events:read.";
      } else {
        try {
          backtest =
              platform
                  .rules()
                  .backtest(info.key(), q, window.fromNanos(), window.toNanos(), u.eventScope());
          java.util.Map<String, Object> chart = new java.util.LinkedHashMap<>();
          chart.put(
              "days",
              backtest.days().stream()
                  .map(dev.rampart.server.rules.RuleCatalog.Count::key)
                  .toList());
          chart.put(
              "series",
              java.util.Map.of(
                  info.level(),
                  backtest.days().stream()
                      .map(dev.rampart.server.rules.RuleCatalog.Count::count)
                      .toList()));
          backtestChart = CHART_JSON.writeValueAsString(chart).replace("</", "<\\/");
        } catch (dev.rampart.store.query.QueryException e) {
          error = e.render(q == null ? "*" : q);
        } catch (CaseException e) {
          error = e.getMessage();
        }
      }
    } else if ("1".equals(param(ctx, "test"))) {
      if (!u.may(Permission.EVENTS_READ)) {
        error = "Testing reads stored events: you need the permission events:read.";
      } else {
        long to = window.toNanos();
        long from = window.fromNanos();
        try {
          Long event = eventParam == null ? null : Long.valueOf(eventParam);
          test = platform.rules().test(info.key(), q, from, to, 1000, event, u.eventScope());
        } catch (NumberFormatException e) {
          error = "An event id is a number.";
        } catch (dev.rampart.store.query.QueryException e) {
          error = e.render(q == null ? "*" : q);
        } catch (CaseException e) {
          error = e.getMessage();
        }
      }
    }
    render(
        ctx,
        "rule.jte",
        new Views.Rule(
            u,
            info,
            platform.rules().yaml(info.key()),
            u.may(Permission.RULES_WRITE),
            q == null ? "" : q,
            range,
            eventParam == null ? "" : eventParam,
            test,
            backtest,
            backtestChart,
            error,
            message));
  }

  /** The window a rule's test, backtest or backfill reads: its {@code range}, up to now. */
  private static dev.rampart.server.search.SearchWindow ruleWindow(Context ctx) {
    return dev.rampart.server.search.SearchWindow.of(
        param(ctx, "range"),
        null,
        null,
        dev.rampart.core.event.Timestamps.fromInstant(Instant.now()) + 1);
  }

  /**
   * Files the alerts a backtest found (admins: rules:write, and events:read for the events), then
   * shows the rule again with what was filed.
   */
  private void ruleBackfill(Context ctx) throws Exception {
    Views.User u = changer(ctx, Permission.RULES_WRITE);
    if (u == null) {
      return;
    }
    String message;
    if (!u.may(Permission.EVENTS_READ)) {
      ctx.status(403);
      message = "A backfill reads stored events: you need the permission events:read.";
    } else {
      var window = ruleWindow(ctx);
      String q = param(ctx, "q");
      try {
        var done =
            platform
                .rules()
                .backfill(
                    String.valueOf(param(ctx, "id")),
                    q,
                    window.fromNanos(),
                    window.toNanos(),
                    u.eventScope(),
                    u.name());
        message =
            "Filed "
                + done.filed()
                + " alerts of "
                + done.matched()
                + " matches"
                + (done.already() > 0 ? " (" + done.already() + " were filed before)" : "")
                + ": they are in the alert list and their incidents.";
      } catch (dev.rampart.store.query.QueryException e) {
        ctx.status(400);
        message = e.render(q == null ? "*" : q);
      } catch (CaseException e) {
        ctx.status(dev.rampart.server.http.Statuses.of(e.kind()));
        message = e.getMessage();
      }
    }
    renderRule(ctx, u, message);
  }

  /** Switches a rule off or on (admins: rules:write), then shows it again. */
  private void ruleSwitch(Context ctx) throws Exception {
    Views.User u = changer(ctx, Permission.RULES_WRITE);
    if (u == null) {
      return;
    }
    boolean on = "true".equals(ctx.formParam("enabled"));
    String message;
    try {
      platform.rules().enable(String.valueOf(param(ctx, "id")), on, param(ctx, "reason"), u.name());
      message =
          on ? "The rule is on: its alerts flow again." : "The rule is off: its alerts stop here.";
    } catch (CaseException e) {
      ctx.status(dev.rampart.server.http.Statuses.of(e.kind()));
      message = e.getMessage();
    }
    renderRule(ctx, u, message);
  }
}
