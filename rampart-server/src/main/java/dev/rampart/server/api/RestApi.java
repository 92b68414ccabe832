package dev.rampart.server.api;

import static dev.rampart.server.api.Route.integer;
import static dev.rampart.server.api.Route.q;
import static dev.rampart.server.api.Route.str;
import static dev.rampart.server.api.Route.strings;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.rampart.auth.AccessStore;
import dev.rampart.auth.Permission;
import dev.rampart.auth.Principal;
import dev.rampart.auth.Role;
import dev.rampart.auth.Sessions;
import dev.rampart.auth.oidc.Oidc;
import dev.rampart.cases.CaseStore;
import dev.rampart.cases.incident.CaseException;
import dev.rampart.cases.incident.Incident;
import dev.rampart.cases.incident.Status;
import dev.rampart.cases.queue.AlertQueue;
import dev.rampart.cases.yaml.Doc;
import dev.rampart.playbooks.playbook.Playbook;
import dev.rampart.server.Platform;
import dev.rampart.server.ServerConfig;
import dev.rampart.server.console.Console;
import dev.rampart.server.console.SessionCookie;
import dev.rampart.server.tls.Certificates;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API for alerts, incidents, comments, exceptions and playbooks: JSON, bearer-token
 * authentication on every endpoint (compared in constant time), keyset paging, filters, 4xx with a
 * message for bad input, and an OpenAPI 3.1 document at {@code /api/openapi.json} generated from
 * the same route table that registers the handlers. Store errors map to statuses in one place.
 */
public final class RestApi implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(RestApi.class);
  static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .registerModule(
              new SimpleModule()
                  .addSerializer(
                      new StdSerializer<>(Status.class) {
                        @Override
                        public void serialize(Status s, JsonGenerator g, SerializerProvider p)
                            throws IOException {
                          g.writeString(s.label());
                        }
                      }));

  /** The operations that answer 201 Created (the rest answer 200). */
  static final Set<String> CREATED =
      Set.of(
          "post /api/users",
          "post /api/tokens",
          "post /api/incidents/{id}/comments",
          "post /api/incidents/{id}/evidence",
          "post /api/exceptions",
          "post /api/vuln/exceptions",
          "post /api/vuln/scans",
          "post /api/agents/tokens",
          "post /api/agents/{id}/actions",
          "post /api/reviews",
          "post /api/changes");

  /**
   * The permission each operation needs, by "method path". Every route must be listed: the server
   * refuses to start otherwise, so no endpoint is left open by omission.
   */
  static final Map<String, Permission> NEEDS =
      Map.ofEntries(
          Map.entry("get /api/alerts", Permission.ALERTS_READ),
          Map.entry("get /api/alerts/{id}", Permission.ALERTS_READ),
          Map.entry("post /api/alerts/acknowledge", Permission.ALERTS_WRITE),
          Map.entry("post /api/alerts/assign", Permission.ALERTS_WRITE),
          Map.entry("get /api/events", Permission.EVENTS_READ),
          Map.entry("get /api/events/{id}", Permission.EVENTS_READ),
          Map.entry("get /api/searches", Permission.EVENTS_READ),
          Map.entry("post /api/searches", Permission.SEARCHES_WRITE),
          Map.entry("get /api/searches/{id}", Permission.EVENTS_READ),
          Map.entry("delete /api/searches/{id}", Permission.SEARCHES_WRITE),
          Map.entry("get /api/searches/{id}/events", Permission.EVENTS_READ),
          Map.entry("get /api/intel", Permission.RULES_READ),
          Map.entry("post /api/intel", Permission.RULES_WRITE),
          Map.entry("get /api/intel/check", Permission.RULES_READ),
          Map.entry("get /api/rules", Permission.RULES_READ),
          Map.entry("get /api/coverage", Permission.RULES_READ),
          Map.entry("get /api/rules/{id}", Permission.RULES_READ),
          Map.entry("post /api/rules/{id}/enabled", Permission.RULES_WRITE),
          Map.entry("get /api/rules/{id}/test", Permission.RULES_READ),
          Map.entry("get /api/rules/{id}/backtest", Permission.RULES_READ),
          Map.entry("get /api/hunt", Permission.RULES_READ),
          Map.entry("post /api/rules/{id}/backfill", Permission.RULES_WRITE),
          Map.entry("get /api/incidents", Permission.INCIDENTS_READ),
          Map.entry("get /api/incidents/{id}", Permission.INCIDENTS_READ),
          Map.entry("post /api/incidents/{id}/status", Permission.INCIDENTS_WRITE),
          Map.entry("post /api/incidents/{id}/owner", Permission.INCIDENTS_WRITE),
          Map.entry("post /api/incidents/{id}/priority", Permission.INCIDENTS_WRITE),
          Map.entry("post /api/incidents/{id}/tags", Permission.INCIDENTS_WRITE),
          Map.entry("post /api/incidents/{id}/evidence", Permission.INCIDENTS_WRITE),
          Map.entry("post /api/incidents/{id}/merge", Permission.INCIDENTS_WRITE),
          Map.entry("get /api/incidents/{id}/comments", Permission.INCIDENTS_READ),
          Map.entry("post /api/incidents/{id}/comments", Permission.INCIDENTS_WRITE),
          Map.entry("get /api/incidents/{id}/timeline", Permission.INCIDENTS_READ),
          Map.entry("get /api/incidents/{id}/report", Permission.INCIDENTS_READ),
          Map.entry("get /api/metrics", Permission.INCIDENTS_READ),
          Map.entry("get /api/report", Permission.INCIDENTS_READ),
          Map.entry("get /api/exceptions", Permission.ALERTS_READ),
          Map.entry("get /api/entities/{kind}/{name}", Permission.ALERTS_READ),
          Map.entry("post /api/exceptions", Permission.EXCEPTIONS_WRITE),
          Map.entry("delete /api/exceptions/{id}", Permission.EXCEPTIONS_WRITE),
          Map.entry("get /api/vuln/assets", Permission.VULNS_READ),
          Map.entry("post /api/vuln/assets/{name}/inventory", Permission.VULNS_WRITE),
          Map.entry("get /api/vuln/findings", Permission.VULNS_READ),
          Map.entry("get /api/vuln/sla", Permission.VULNS_READ),
          Map.entry("get /api/vuln/feeds", Permission.VULNS_READ),
          Map.entry("post /api/vuln/feeds/reload", Permission.VULNS_WRITE),
          Map.entry("get /api/vuln/exceptions", Permission.VULNS_READ),
          Map.entry("post /api/vuln/exceptions", Permission.VULNS_WRITE),
          Map.entry("get /api/vuln/scans", Permission.VULNS_READ),
          Map.entry("post /api/vuln/scans", Permission.VULNS_WRITE),
          Map.entry("get /api/identities", Permission.IDENTITIES_READ),
          Map.entry("get /api/identities/{account}", Permission.IDENTITIES_READ),
          Map.entry("post /api/identities/import", Permission.IDENTITIES_WRITE),
          Map.entry("get /api/training", Permission.IDENTITIES_READ),
          Map.entry("post /api/training/import", Permission.IDENTITIES_WRITE),
          Map.entry("get /api/reviews", Permission.IDENTITIES_READ),
          Map.entry("post /api/reviews", Permission.IDENTITIES_WRITE),
          Map.entry("get /api/reviews/report", Permission.IDENTITIES_READ),
          Map.entry("get /api/reviews/{id}", Permission.IDENTITIES_READ),
          Map.entry("post /api/reviews/items/{id}/decision", Permission.REVIEWS_DECIDE),
          Map.entry("get /api/changes", Permission.IDENTITIES_READ),
          Map.entry("post /api/changes", Permission.IDENTITIES_WRITE),
          Map.entry("get /api/agents", Permission.AGENTS_READ),
          Map.entry("post /api/agents/tokens", Permission.AGENTS_WRITE),
          Map.entry("delete /api/agents/{id}", Permission.AGENTS_WRITE),
          Map.entry("get /api/agents/{id}/actions", Permission.AGENTS_READ),
          Map.entry("post /api/agents/{id}/actions", Permission.AGENTS_WRITE),
          Map.entry("get /api/playbooks", Permission.PLAYBOOKS_READ),
          Map.entry("post /api/playbooks/reload", Permission.PLAYBOOKS_WRITE),
          Map.entry("get /api/playbooks/runs", Permission.PLAYBOOKS_READ),
          Map.entry("get /api/audit", Permission.AUDIT_READ),
          Map.entry("get /api/audit/verify", Permission.AUDIT_READ),
          Map.entry("get /api/users", Permission.USERS_ADMIN),
          Map.entry("post /api/users", Permission.USERS_ADMIN),
          Map.entry("post /api/users/{name}/role", Permission.USERS_ADMIN),
          Map.entry("post /api/users/{name}/disabled", Permission.USERS_ADMIN),
          Map.entry("post /api/users/{name}/tenants", Permission.USERS_ADMIN));

  /** Operations any signed-in principal may call (they check ownership themselves). */
  static final Set<String> SIGNED_IN =
      Set.of(
          "get /api/me",
          "get /api/session",
          "get /api/tokens",
          "post /api/tokens",
          "delete /api/tokens/{id}");

  /** The principal of the request, set by {@link #authenticate}. */
  static Principal principal(Context ctx) {
    return ctx.attribute("principal");
  }

  /** Who a change is recorded as. */
  static String actor(Context ctx) {
    return principal(ctx).user();
  }

  /** The session cookie's name. */
  static final String COOKIE = SessionCookie.NAME;

  private final Platform platform;
  private final AccessStore access;
  private final Sessions sessions = new Sessions(java.time.Clock.systemUTC());
  private final Oidc oidc;
  private final byte[] configToken;
  private final List<Route> routes;
  private final Javalin app;
  private final String scheme;

  /**
   * @param configToken a token the server config names (accepted as an admin called "config"), or
   *     null: then only the users' API tokens are accepted
   */
  public RestApi(
      Platform platform, AccessStore access, ServerConfig.Api options, String configToken) {
    this(platform, access, options, configToken, null);
  }

  /**
   * @param tls the key store to serve TLS with, or null for plain HTTP
   */
  public RestApi(
      Platform platform,
      AccessStore access,
      ServerConfig.Api options,
      String configToken,
      Certificates.Loaded tls) {
    this.platform = platform;
    this.access = access;
    this.configToken = configToken == null ? null : configToken.getBytes(StandardCharsets.UTF_8);
    this.oidc =
        platform.config().oidc() == null
            ? null
            : new Oidc(platform.config().oidc(), java.time.Clock.systemUTC());
    List<Route> table = routes();
    for (Route r : table) {
      String key = r.method() + " " + r.path();
      if (!NEEDS.containsKey(key) && !SIGNED_IN.contains(key)) {
        throw new IllegalStateException("no permission declared for " + key);
      }
    }
    this.routes = table;
    String spec;
    try {
      spec = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(OpenApi.document(routes));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    this.app =
        Javalin.create(
            config -> {
              config.http.maxRequestSize = options.maxBodyKb() * 1024L;
              config.concurrency.useVirtualThreads = true;
              config.startup.showJavalinBanner = false;
              if (tls != null) {
                // The only connector: with it, Javalin opens no plain HTTP port.
                config.jetty.addConnector(
                    (server, http) ->
                        Certificates.connector(
                            server, http, tls, null, options.bind(), options.port()));
              }
              config.routes.before("/api/*", this::authenticate);
              config.routes.post("/api/login", this::login);
              config.routes.post("/api/logout", this::logout);
              config.routes.get("/api/oidc/login", this::oidcLogin);
              config.routes.get("/api/oidc/callback", this::oidcCallback);
              // The console shares the port, the sessions and the permissions.
              new Console(platform, access, sessions).register(config);
              config.routes.get(
                  "/api/openapi.json", ctx -> ctx.contentType("application/json").result(spec));
              for (Route r : routes) {
                Permission needed = NEEDS.get(r.method() + " " + r.path());
                io.javalin.http.Handler guarded =
                    ctx -> {
                      authorize(ctx, needed);
                      if (r.path().startsWith("/api/incidents/{id}")) {
                        visibleIncident(ctx, ctx.pathParam("id"));
                      }
                      r.handler().handle(ctx);
                    };
                switch (r.method()) {
                  case "get" -> config.routes.get(r.path(), guarded);
                  case "post" -> config.routes.post(r.path(), guarded);
                  case "delete" -> config.routes.delete(r.path(), guarded);
                  default -> throw new IllegalArgumentException(r.method());
                }
              }
              // The one place errors become statuses.
              config.routes.exception(
                  CaseException.class,
                  (e, ctx) ->
                      error(ctx, dev.rampart.server.http.Statuses.of(e.kind()), e.getMessage()));
              config.routes.exception(
                  ApiException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
              // a request body that does not parse is the caller's mistake; an answer that does
              // not serialise is ours (InvalidDefinitionException), and is a 500 below
              config.routes.exception(
                  com.fasterxml.jackson.core.JsonParseException.class,
                  (e, ctx) ->
                      error(ctx, 400, "the body is not valid JSON: " + e.getOriginalMessage()));
              config.routes.exception(
                  com.fasterxml.jackson.databind.exc.MismatchedInputException.class,
                  (e, ctx) ->
                      error(ctx, 400, "the body is not valid JSON: " + e.getOriginalMessage()));
              config.routes.exception(
                  Exception.class,
                  (e, ctx) -> {
                    LOG.warn("API {} {} failed", ctx.method(), ctx.path(), e);
                    error(ctx, 500, "internal error; the server log has the details");
                  });
              config.routes.error(
                  404,
                  ctx -> {
                    if (ctx.result() == null) {
                      error(
                          ctx,
                          404,
                          "no such endpoint: "
                              + ctx.method()
                              + " "
                              + ctx.path()
                              + " (see /api/openapi.json)");
                    }
                  });
              config.routes.error(
                  413,
                  ctx -> error(ctx, 413, "the body is larger than " + options.maxBodyKb() + " KB"));
            });
    if (tls != null) {
      app.start();
    } else {
      app.start(options.bind(), options.port());
    }
    this.scheme = tls != null ? "https" : "http";
  }

  public int port() {
    return app.port();
  }

  /** {@code https} or {@code http}. */
  public String scheme() {
    return scheme;
  }

  /** The operations, for the OpenAPI document and tests. */
  List<Route> table() {
    return routes;
  }

  private void authenticate(Context ctx) throws CaseException {
    if (ctx.path().equals("/api/login") && ctx.method().name().equals("POST")
        || ctx.path().startsWith("/api/oidc/") && ctx.method().name().equals("GET")) {
      return; // the doors in: password login (rate-limited) and the identity provider's
    }
    String h = ctx.header("Authorization");
    if (h == null && ctx.cookie(COOKIE) != null) {
      Sessions.Session s = sessions.get(ctx.cookie(COOKIE));
      if (s != null) {
        // A browser session: every change must carry the CSRF token the login returned.
        boolean reads = ctx.method().name().equals("GET") || ctx.method().name().equals("HEAD");
        if (!reads && !Sessions.csrfMatches(s, ctx.header("X-CSRF-Token"))) {
          error(ctx, 403, "missing or wrong X-CSRF-Token header (the login answer has the token)");
          ctx.skipRemainingHandlers();
          return;
        }
        Principal now = access.current(s.principal().user(), "session");
        if (now != null) {
          ctx.attribute("principal", now);
          return;
        }
        sessions.end(ctx.cookie(COOKIE));
      }
    }
    String presented =
        h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).trim() : null;
    Principal p = null;
    if (presented != null) {
      if (configToken != null
          && MessageDigest.isEqual(configToken, presented.getBytes(StandardCharsets.UTF_8))) {
        p = new Principal("config", "admin", Role.ADMIN.permissions(), "config-token");
      } else {
        p = access.authenticate(presented);
      }
    }
    if (p == null) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"rampart\"");
      error(
          ctx,
          401,
          "missing, wrong, expired or revoked token (Authorization: Bearer TOKEN; the server's"
              + " first start writes an admin token to DATA/api-token)");
      ctx.skipRemainingHandlers();
      return;
    }
    ctx.attribute("principal", p);
  }

  private void login(Context ctx) throws Exception {
    String source = ctx.ip();
    if (!sessions.allowLogin(source)) {
      ctx.header("Retry-After", "60");
      error(ctx, 429, "too many login attempts from " + source + "; wait a minute");
      return;
    }
    JsonNode b = JSON.readTree(ctx.body().isBlank() ? "{}" : ctx.body());
    String name = b.path("name").isTextual() ? b.get("name").asText() : null;
    String password = b.path("password").isTextual() ? b.get("password").asText() : null;
    if (name == null || password == null || name.length() > 200 || password.length() > 1024) {
      throw new ApiException(400, "send {\"name\": ..., \"password\": ...}");
    }
    Principal p = access.login(name, password, source);
    if (p == null) {
      error(ctx, 401, "wrong name or password");
      return;
    }
    Sessions.Started st = sessions.start(p);
    SessionCookie.set(ctx, st.id(), "Strict");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("user", p.user());
    body.put("role", p.role());
    body.put("csrf_token", st.csrf());
    json(ctx, body);
  }

  private void oidcLogin(Context ctx) throws Exception {
    if (oidc == null) {
      throw new ApiException(404, "single sign-on is not configured (oidc in the server config)");
    }
    if (!sessions.allowLogin(ctx.ip())) {
      error(ctx, 429, "too many login attempts from " + ctx.ip() + "; wait a minute");
      return;
    }
    Oidc.Start st;
    try {
      st = oidc.begin();
    } catch (Oidc.OidcException e) {
      LOG.warn("oidc: {}", e.getMessage());
      throw new ApiException(
          502, "the identity provider cannot be reached; the server log says why");
    }
    ctx.header("Cache-Control", "no-store");
    ctx.redirect(st.authorizationUrl(), io.javalin.http.HttpStatus.FOUND);
  }

  private void oidcCallback(Context ctx) throws Exception {
    if (oidc == null) {
      throw new ApiException(404, "single sign-on is not configured (oidc in the server config)");
    }
    Oidc.Identity id;
    try {
      id = oidc.finish(ctx.queryParam("code"), ctx.queryParam("state"));
    } catch (Oidc.OidcException e) {
      platform
          .cases()
          .audit("-", "login.failure", "oidc", e.getMessage() + " (from " + ctx.ip() + ")");
      error(
          ctx, 401, "sign-in through the identity provider failed; the audit trail has the reason");
      return;
    }
    Principal p = access.externalLogin(id.user(), id.role(), ctx.ip(), "groups " + id.groups());
    if (p == null) {
      error(ctx, 401, "this account is disabled");
      return;
    }
    Sessions.Started st = sessions.start(p);
    SessionCookie.set(ctx, st.id(), "Lax");
    // Lax, not Strict: the browser arrives here from the provider's site and must keep the cookie
    // on the redirect that follows. Changes still need the CSRF token (GET /api/session).
    ctx.redirect("/", io.javalin.http.HttpStatus.FOUND); // the console's queue
  }

  private void logout(Context ctx) throws Exception {
    sessions.end(ctx.cookie(COOKIE));
    SessionCookie.clear(ctx);
    json(ctx, Map.of("signed_out", true));
  }

  /** 403 unless the principal holds {@code needed} (null: signed in is enough). */
  /**
   * The incident, when the principal's tenants include its tenant; otherwise the same 404 as for an
   * incident that does not exist, so ids of other tenants cannot be probed.
   */
  /** The {@code format} query parameter of the report routes; 400 when it is none of them. */
  private static dev.rampart.server.report.ReportFormat reportFormat(
      Context ctx, String otherwise) {
    String asked = ctx.queryParam("format");
    var f = dev.rampart.server.report.ReportFormat.parse(asked == null ? otherwise : asked);
    if (f == null) {
      throw new ApiException(400, "format: md, html or json; not '" + asked + "'");
    }
    return f;
  }

  private Incident visibleIncident(Context ctx, String id) throws CaseException {
    Incident i = platform.cases().get(id);
    if (!principal(ctx).sees(i.tenant())) {
      throw new CaseException(CaseException.Kind.NOT_FOUND, "no incident " + id);
    }
    return i;
  }

  private static void authorize(Context ctx, Permission needed) {
    Principal p = principal(ctx);
    if (needed != null && !p.may(needed)) {
      throw new ApiException(
          403,
          "this needs the permission "
              + needed.code()
              + "; "
              + p.user()
              + " (role "
              + p.role()
              + (p.via().startsWith("token:") ? ", through a token's scopes" : "")
              + ") does not have it");
    }
  }

  private static void error(Context ctx, int status, String message) {
    ctx.status(status);
    if (!ctx.path().startsWith("/api/") && !ctx.path().equals("/api")) {
      // a console page (a link edited by hand, an old bookmark): a page, not the API's JSON
      gg.jte.output.StringOutput page = new gg.jte.output.StringOutput();
      page.writeContent("<!doctype html><meta charset=utf-8><title>Rampart</title><p id=error>");
      gg.jte.html.escape.Escape.htmlContent(message, page);
      page.writeContent("</p><p><a href=\"/\">Back to the incident queue</a></p>");
      ctx.contentType("text/html; charset=utf-8");
      ctx.result(page.toString());
      return;
    }
    ctx.contentType("application/json");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    body.put("status", status);
    try {
      ctx.result(JSON.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      ctx.result("{\"status\":" + status + "}");
    }
  }

  private static void json(Context ctx, Object value) throws JsonProcessingException {
    ctx.contentType("application/json");
    ctx.result(JSON.writeValueAsString(value));
  }

  /** A saved search's {@code alert} object, or null when the body has none. */
  private static dev.rampart.cases.search.SavedSearches.Alerting alertingOf(JsonNode a)
      throws CaseException {
    if (a == null || a.isNull()) {
      return null;
    }
    if (!a.isObject()) {
      throw new ApiException(400, "'alert' is an object: {every, level, threshold}");
    }
    return dev.rampart.server.search.SavedSearchService.alerting(
        a.path("every").asText(""), a.path("level").asText(""), a.path("threshold").asText(""));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static void created(Context ctx, Object value) throws JsonProcessingException {
    json(ctx, value);
    ctx.status(201);
  }

  // ---- vulnerability management ----

  private static boolean flag(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null || v.equals("false")) {
      return false;
    }
    if (v.equals("true") || v.isEmpty()) {
      return true;
    }
    throw new ApiException(400, name + " is true or false, not '" + v + "'");
  }

  private dev.rampart.server.agents.AgentService agents() {
    if (platform.agents() == null) {
      throw new ApiException(
          409, "the agents' port is off; set agents: {enabled: true} in the server config");
    }
    return platform.agents();
  }

  private void entityRoutes(List<Route> out) {
    out.add(
        new Route(
            "get",
            "/api/entities/{kind}/{name}",
            "alerts",
            "One host, user or IP address (kind: host, user or ip) over a time window: its events"
                + " (count, last seen, activity per hour or day, top log types, users or hosts,"
                + " processes, source addresses or users tried), alerts per level with the newest,"
                + " incidents (open first), and a host's agent and open vulnerabilities, a user's"
                + " directory entry and risk, or the threat-intel indicator an address matches;"
                + " parts the caller may not see are left out",
            List.of(
                q("from", "string", "ISO-8601 instant (default: 7 days before to)"),
                q("to", "string", "ISO-8601 instant (default: now)")),
            null,
            List.of(),
            this::entity));
  }

  private void entity(Context ctx) throws Exception {
    dev.rampart.cases.entity.EntityKind kind =
        dev.rampart.cases.entity.EntityKind.parse(ctx.pathParam("kind"));
    if (kind == null) {
      throw new ApiException(
          404, "an entity is a host, a user or an ip, not " + ctx.pathParam("kind"));
    }
    String name = ctx.pathParam("name").strip();
    String problem = dev.rampart.server.entity.EntityProfiles.problem(kind, name);
    if (problem != null) {
      throw new ApiException(400, problem);
    }
    long now = dev.rampart.core.event.Timestamps.fromInstant(Instant.now());
    long to = instant(ctx, "to", now + 1);
    long from = instant(ctx, "from", to - 7 * 86_400_000_000_000L);
    if (from >= to) {
      throw new ApiException(400, "from must be before to");
    }
    Principal p = principal(ctx);
    var profile =
        platform
            .entities()
            .profile(
                kind,
                name,
                from,
                to,
                new dev.rampart.server.entity.EntityProfiles.Viewer(
                    p.permissions(),
                    p.tenants(),
                    dev.rampart.server.tenant.Tenancy.eventScope(p, platform.config())));
    json(ctx, entityView(profile, platform.cases().now()));
  }

  /** One host's or user's profile as the API answers it (and {@code rampart entity --json}). */
  public static Map<String, Object> entityView(
      dev.rampart.server.entity.EntityProfiles.Profile p, long now) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", p.kind().label());
    m.put("name", p.name());
    m.put("from", dev.rampart.core.event.Timestamps.format(p.fromNanos()));
    m.put("to", dev.rampart.core.event.Timestamps.format(p.toNanos()));
    if (p.events() != null) {
      Map<String, Object> ev = new LinkedHashMap<>();
      ev.put("count", p.events());
      ev.put(
          "last_seen",
          p.lastSeenNanos() == null
              ? null
              : dev.rampart.core.event.Timestamps.format(p.lastSeenNanos()));
      ev.put("span", p.span());
      List<Map<String, Object>> buckets = new ArrayList<>();
      for (var b : p.activity()) {
        buckets.add(
            Map.of(
                "time",
                dev.rampart.core.event.Timestamps.format(b.timeNanos()),
                "count",
                b.count()));
      }
      ev.put("activity", buckets);
      ev.put("log_types", counts(p.logTypes()));
      ev.put(
          p.kind() == dev.rampart.cases.entity.EntityKind.HOST ? "users" : "hosts",
          counts(p.related()));
      ev.put(
          switch (p.kind()) {
            case HOST -> "processes";
            case USER -> "source_ips";
            case IP -> "users";
          },
          counts(p.detail()));
      m.put("events", ev);
    }
    if (p.alerts() != null) {
      Map<String, Object> al = new LinkedHashMap<>();
      al.put("total", p.alerts().total());
      al.put("unacknowledged", p.alerts().unacknowledged());
      al.put("by_level", p.alerts().byLevel());
      al.put("newest", p.alerts().newest().stream().map(RestApi::alertView).toList());
      m.put("alerts", al);
    }
    if (p.incidents() != null) {
      m.put("incidents", p.incidents().stream().map(i -> view(i, now)).toList());
    }
    if (p.agent() != null) {
      Map<String, Object> ag = new LinkedHashMap<>();
      ag.put("id", p.agent().id());
      ag.put("status", p.agent().health());
      ag.put("version", p.agent().version());
      ag.put(
          "last_seen",
          p.agent().lastSeen() == null
              ? null
              : Instant.ofEpochMilli(p.agent().lastSeen()).toString());
      m.put("agent", ag);
    }
    if (p.vulns() != null) {
      Map<String, Object> vu = new LinkedHashMap<>();
      vu.put("asset", p.vulns().asset());
      vu.put("open_by_severity", p.vulns().openBySeverity());
      vu.put("kev", p.vulns().kev());
      vu.put("overdue", p.vulns().overdue());
      vu.put("most_urgent", p.vulns().mostUrgent());
      m.put("vulnerabilities", vu);
    }
    if (p.identity() != null) {
      m.put("identity", person(p.identity().person(), p.identity().risk(), true));
    }
    if (p.intel() != null) {
      var i = p.intel().indicator();
      Map<String, Object> in = new LinkedHashMap<>();
      in.put("type", i.type().label());
      in.put("value", i.value());
      in.put("source", i.source());
      in.put("confidence", i.confidence());
      in.put("name", i.name());
      in.put("live", p.intel().live());
      m.put("intel", in);
    }
    m.put("notes", p.notes());
    return m;
  }

  private static List<Map<String, Object>> counts(
      List<dev.rampart.server.entity.EntityProfiles.Count> counts) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (var c : counts) {
      out.add(Map.of("value", c.value(), "count", c.count()));
    }
    return out;
  }

  private void agentRoutes(List<Route> out) {
    out.add(
        new Route(
            "get",
            "/api/agents",
            "agents",
            "Enrolled agents: status, version, last seen, records received and duplicates skipped,"
                + " when the certificate ends (and whether a renewed one waits for its first use),"
                + " and the last heartbeat (uptime, log fill, watch mode, CPU, memory)",
            List.of(),
            null,
            List.of(),
            ctx -> {
              List<Map<String, Object>> list = new ArrayList<>();
              for (var a : agents().registry().list()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", a.id());
                m.put("name", a.name());
                m.put("version", a.version());
                m.put("status", a.health());
                m.put("enrolled_at", a.enrolledAt());
                m.put("last_seen", a.lastSeen());
                m.put("records", a.records());
                m.put("duplicates", a.duplicates());
                m.put("cert_expires_at", a.certExpiresAt());
                m.put("cert_renewal_pending", a.pendingSerial() != null);
                m.put("heartbeat", a.heartbeat() == null ? null : JSON.readTree(a.heartbeat()));
                list.add(m);
              }
              json(ctx, Map.of("agents", list));
            }));
    Route token =
        new Route(
            "post",
            "/api/agents/tokens",
            "agents",
            "A one-time enrolment token (shown once) for rampart agent enroll",
            List.of(),
            Map.of("ttl_minutes", Route.integer("validity, 1..10080 minutes, default 60")),
            List.of(),
            null);
    out.add(
        new Route(
            token.method(),
            token.path(),
            token.tag(),
            token.summary(),
            token.query(),
            token.body(),
            token.required(),
            ctx -> {
              JsonNode b = body(ctx, token);
              long ttl = b.path("ttl_minutes").asLong(60);
              if (ttl < 1 || ttl > 10_080) {
                throw new ApiException(400, "ttl_minutes is 1..10080");
              }
              String t =
                  agents().registry().createToken(actor(ctx), java.time.Duration.ofMinutes(ttl));
              ctx.status(201);
              json(ctx, Map.of("token", t, "expires_in_minutes", ttl, "port", agents().port()));
            }));
    out.add(
        new Route(
            "delete",
            "/api/agents/{id}",
            "agents",
            "Revoke an agent: its certificate is refused from now on",
            List.of(),
            null,
            List.of(),
            ctx -> {
              agents().registry().revoke(ctx.pathParam("id"), actor(ctx));
              json(ctx, Map.of("revoked", ctx.pathParam("id")));
            }));
  }

  private void agentActionRoutes(List<Route> out) {
    out.add(
        new Route(
            "get",
            "/api/agents/{id}/actions",
            "agents",
            "An agent's response actions, newest first, with the outcome it reported",
            List.of(q("limit", "integer", "1..1000, default 50")),
            null,
            List.of(),
            ctx ->
                json(
                    ctx,
                    Map.of("actions", agents().actions().list(ctx.pathParam("id"), limit(ctx))))));
    Route order =
        new Route(
            "post",
            "/api/agents/{id}/actions",
            "agents",
            "Order a response action (block_ip, kill_process, disable_user, isolate), signed by the"
                + " agent CA; the agent runs it only if its allow-list permits",
            List.of(),
            Map.of(
                "action", str("block_ip, kill_process, disable_user or isolate"),
                "args",
                    Map.of(
                        "type",
                        "object",
                        "additionalProperties",
                        Map.of("type", "string"),
                        "description",
                        "ip; pid and exe; user"),
                "dry_run", Map.of("type", "boolean", "description", "report what would run"),
                "undo_after_s", Route.integer("undo this long after (0: never)"),
                "ttl_s", Route.integer("the order expires after this, default 600")),
            List.of("action"),
            null);
    out.add(
        new Route(
            order.method(),
            order.path(),
            order.tag(),
            order.summary(),
            order.query(),
            order.body(),
            order.required(),
            ctx -> {
              JsonNode b = body(ctx, order);
              Map<String, String> args = new LinkedHashMap<>();
              JsonNode a = b.path("args");
              if (!a.isMissingNode() && !a.isObject()) {
                throw new ApiException(400, "args is an object of strings");
              }
              for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!a.get(k).isValueNode()) {
                  throw new ApiException(400, "args." + k + " must be a string");
                }
                args.put(k, a.get(k).asText());
              }
              var row =
                  agents()
                      .actions()
                      .issue(
                          ctx.pathParam("id"),
                          text(b, "action"),
                          args,
                          b.path("dry_run").asBoolean(false),
                          java.time.Duration.ofSeconds(b.path("undo_after_s").asLong(0)),
                          java.time.Duration.ofSeconds(b.path("ttl_s").asLong(600)),
                          actor(ctx));
              ctx.status(201);
              json(ctx, row);
            }));
  }

  private void preventionRoutes(List<Route> out) {
    var prevention = platform.prevention();
    out.add(
        new Route(
            "get",
            "/api/identities",
            "prevention",
            "People with their department, status, privileged groups and risk score",
            List.of(q("privileged", "boolean", "only people in a privileged group")),
            null,
            List.of(),
            ctx -> {
              boolean only = flag(ctx, "privileged");
              List<Map<String, Object>> rows = new ArrayList<>();
              for (var p : prevention.directory().people()) {
                if (only && !p.privileged()) {
                  continue;
                }
                rows.add(person(p, prevention.risk(p), false));
              }
              json(ctx, Map.of("identities", rows));
            }));
    out.add(
        new Route(
            "get",
            "/api/identities/{account}",
            "prevention",
            "One person by an account as events name it (CORP\\olivia, a UPN) or email: accounts,"
                + " groups, manager, the risk score with its reasons",
            List.of(),
            null,
            List.of(),
            ctx -> {
              var p = prevention.directory().byAccount(ctx.pathParam("account"));
              if (p == null) {
                throw new ApiException(404, "no identity for '" + ctx.pathParam("account") + "'");
              }
              json(ctx, person(p, prevention.risk(p), true));
            }));
    out.add(
        new Route(
            "post",
            "/api/identities/import",
            "prevention",
            "Import people from an export (the body: CSV, LDIF, or Okta / Entra ID JSON, as text);"
                + " bad rows are reported with their line and the rest load (422 when any was"
                + " refused); duplicates merge by email, employee id and account",
            List.of(
                q("filename", "string", "the file's name, which tells its format"),
                q("format", "string", "csv, ldif or json (default: recognised)"),
                q(
                    "prune",
                    "boolean",
                    "remove people this file brought before and no longer lists")),
            null,
            List.of(),
            ctx -> {
              dev.rampart.prevention.identity.IdentityReader.Format f = null;
              String fmt = ctx.queryParam("format");
              if (fmt != null) {
                try {
                  f =
                      dev.rampart.prevention.identity.IdentityReader.Format.valueOf(
                          fmt.toUpperCase(java.util.Locale.ROOT));
                } catch (IllegalArgumentException e) {
                  throw new ApiException(400, "format is csv, ldif or json");
                }
              }
              var r =
                  prevention.importIdentities(
                      ctx.queryParam("filename"), ctx.body(), f, flag(ctx, "prune"), actor(ctx));
              Map<String, Object> body = new LinkedHashMap<>(r.summary());
              body.put("problems", r.problems());
              ctx.status(r.refusedRows() ? 422 : 200);
              json(ctx, body);
            }));
    out.add(
        new Route(
            "post",
            "/api/training/import",
            "prevention",
            "Import training assignments and completions, or phishing-simulation results (the body:"
                + " CSV, or JSON for simulations); rows for unknown people are reported (422)",
            List.of(q("filename", "string", "the file's name (.csv or .json)")),
            null,
            List.of(),
            ctx -> {
              var r =
                  prevention.importAwareness(ctx.queryParam("filename"), ctx.body(), actor(ctx));
              Map<String, Object> body = new LinkedHashMap<>(r.summary());
              body.put("problems", r.problems());
              ctx.status(r.refusedRows() ? 422 : 200);
              json(ctx, body);
            }));
    out.add(
        new Route(
            "get",
            "/api/training",
            "prevention",
            "Training completion, overdue courses and phishing click and report rates per"
                + " department (or per person), the simulations' monthly trend, and the overdue"
                + " list",
            List.of(
                q("by", "string", "department (default) or person"),
                q("department", "string", "the monthly trend of this department only")),
            null,
            List.of(),
            ctx -> {
              long now = System.currentTimeMillis();
              Map<String, Object> body = new LinkedHashMap<>();
              String by = ctx.queryParam("by");
              if (by != null && !by.equals("department") && !by.equals("person")) {
                throw new ApiException(400, "by is department or person");
              }
              body.put("rates", prevention.awareness().rates(now, "person".equals(by)));
              Map<String, Object> trend = new LinkedHashMap<>();
              prevention
                  .awareness()
                  .trend(ctx.queryParam("department"))
                  .forEach(
                      (m, v) ->
                          trend.put(m, Map.of("sent", v[0], "clicked", v[1], "reported", v[2])));
              body.put("trend", trend);
              body.put("overdue", prevention.awareness().overdue(now));
              json(ctx, body);
            }));
    Route start =
        new Route(
            "post",
            "/api/reviews",
            "prevention",
            "Start an access-review campaign over every privileged membership of active people",
            List.of(),
            Map.of(
                "name", str("the campaign's name"),
                "due_days", Map.of("type", "integer", "description", "days to decide (default 14)"),
                "fallback_reviewer",
                    str("account or email of who reviews people without a manager")),
            List.of("name"),
            null);
    out.add(
        start.with(
            ctx -> {
              JsonNode b = body(ctx, start);
              String name = text(b, "name");
              if (name == null || name.isBlank() || name.length() > 200) {
                throw new ApiException(400, "name is 1 to 200 characters");
              }
              long days = b.path("due_days").asLong(14);
              if (days < 1 || days > 365) {
                throw new ApiException(400, "due_days is 1..365");
              }
              String fallback = null;
              String who = text(b, "fallback_reviewer");
              if (who != null) {
                var r = prevention.directory().byAccount(who);
                if (r == null) {
                  throw new ApiException(400, "fallback_reviewer: no identity for '" + who + "'");
                }
                fallback = r.id();
              }
              created(
                  ctx,
                  prevention
                      .reviews()
                      .start(
                          name,
                          System.currentTimeMillis() + days * 86_400_000L,
                          fallback,
                          actor(ctx)));
            }));
    out.add(
        new Route(
            "get",
            "/api/reviews",
            "prevention",
            "Access-review campaigns with their progress (items open, confirmed, revoked, overdue)",
            List.of(),
            null,
            List.of(),
            ctx -> {
              List<Object> rows = new ArrayList<>();
              for (var c : prevention.reviews().campaigns()) {
                rows.add(prevention.reviews().status(c.id(), System.currentTimeMillis()));
              }
              json(ctx, Map.of("campaigns", rows));
            }));
    out.add(
        new Route(
            "get",
            "/api/reviews/report",
            "prevention",
            "Memberships revoked in a review that a later import still shows, and open items past"
                + " due",
            List.of(),
            null,
            List.of(),
            ctx ->
                json(
                    ctx,
                    Map.of(
                        "revoked_but_present", prevention.reviews().revokedButPresent(),
                        "overdue", prevention.reviews().overdue(System.currentTimeMillis())))));
    out.add(
        new Route(
            "get",
            "/api/reviews/{id}",
            "prevention",
            "A campaign's items: person, group, reviewer, decision with who and when",
            List.of(),
            null,
            List.of(),
            ctx -> {
              String id = ctx.pathParam("id");
              var status = prevention.reviews().status(id, System.currentTimeMillis());
              json(ctx, Map.of("campaign", status, "items", prevention.reviews().items(id)));
            }));
    Route decide =
        new Route(
            "post",
            "/api/reviews/items/{id}/decision",
            "prevention",
            "Confirm or revoke one membership under review (recorded with who and when, audited;"
                + " 409 when already decided)",
            List.of(),
            Map.of(
                "decision", str("confirm or revoke"),
                "comment", str("why")),
            List.of("decision"),
            null);
    out.add(
        decide.with(
            ctx -> {
              JsonNode b = body(ctx, decide);
              json(
                  ctx,
                  prevention
                      .reviews()
                      .decide(
                          ctx.pathParam("id"),
                          text(b, "decision"),
                          text(b, "comment"),
                          actor(ctx)));
            }));
  }

  private void changeRoutes(List<Route> out) {
    var prevention = platform.prevention();
    out.add(
        new Route(
            "get",
            "/api/changes",
            "prevention",
            "Approved changes to privileged groups (alerts about exactly these are expected)",
            List.of(),
            null,
            List.of(),
            ctx -> json(ctx, Map.of("changes", prevention.changes().list()))));
    Route approve =
        new Route(
            "post",
            "/api/changes",
            "prevention",
            "Approve adding an account to a privileged group ahead of time: until it runs out, an"
                + " alert about that change (Windows 4728/4732/4756, usermod, gpasswd) leaves the"
                + " queue with the approval in the audit trail",
            List.of(),
            Map.of(
                "account", str("the account, as the directory or the logs name it"),
                "group", str("the group's name"),
                "reason", str("why: the change ticket"),
                "days", Map.of("type", "integer", "description", "how long it holds (default 7)")),
            List.of("account", "group", "reason"),
            null);
    out.add(
        approve.with(
            ctx -> {
              JsonNode b = body(ctx, approve);
              long days = b.path("days").asLong(7);
              if (days < 1 || days > 365) {
                throw new ApiException(400, "days is 1..365");
              }
              String account = text(b, "account");
              String group = text(b, "group");
              if (account == null || account.isBlank() || group == null || group.isBlank()) {
                throw new ApiException(400, "account and group are required");
              }
              created(
                  ctx,
                  prevention
                      .changes()
                      .approve(
                          account,
                          group,
                          text(b, "reason"),
                          System.currentTimeMillis() + days * 86_400_000L,
                          actor(ctx)));
            }));
  }

  private static Map<String, Object> person(
      dev.rampart.prevention.identity.Directory.Person p,
      dev.rampart.prevention.risk.IdentityRisk.Score s,
      boolean reasons) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", p.id());
    m.put("name", p.displayName());
    m.put("email", p.email());
    m.put("employee_id", p.employeeId());
    m.put("department", p.department());
    m.put("title", p.title());
    m.put("manager", p.manager());
    m.put("active", p.active());
    m.put("accounts", p.accounts());
    m.put("groups", p.memberships());
    Map<String, Object> risk = new LinkedHashMap<>();
    risk.put("score", s.value());
    risk.put("level", s.level());
    if (reasons) {
      risk.put("reasons", s.reasons());
    }
    m.put("risk", risk);
    return m;
  }

  private void vulnRoutes(List<Route> out) {
    dev.rampart.server.vuln.VulnService vuln = platform.vuln();
    out.add(
        new Route(
            "get",
            "/api/vuln/assets",
            "vulnerabilities",
            "Assets with their latest inventory (packages, when, distribution, exposure)",
            List.of(),
            null,
            List.of(),
            ctx -> json(ctx, Map.of("assets", vuln.store().assets()))));
    out.add(
        new Route(
            "post",
            "/api/vuln/assets/{name}/inventory",
            "vulnerabilities",
            "Record an asset's inventory (the body: an SBOM, a dpkg status file, an apk database,"
                + " rpm -qa output or a lockfile, as text) and bring its findings up to date",
            List.of(
                q(
                    "format",
                    "string",
                    "dpkg, apk, rpm, sbom, maven, npm, pip, go, cargo (default:" + " recognised)"),
                q("filename", "string", "the file's name, which helps recognise the format"),
                q("distro", "string", "the release of a package list: debian-12, alpine-3.19..."),
                q("internet_facing", "boolean", "the asset is reachable from the internet"),
                q("criticality", "string", "low, medium (default), high or critical")),
            null,
            List.of(),
            ctx -> {
              String name = ctx.pathParam("name");
              if (name.isBlank() || name.length() > 200) {
                throw new ApiException(400, "an asset name is 1 to 200 characters");
              }
              dev.rampart.vuln.inventory.InventoryFormat f = null;
              String fmt = ctx.queryParam("format");
              if (fmt != null) {
                f = dev.rampart.vuln.inventory.InventoryFormat.of(fmt);
                if (f == null) {
                  throw new ApiException(
                      400,
                      "format is one of:\n" + dev.rampart.vuln.inventory.InventoryFormat.list());
                }
              }
              String crit = ctx.queryParam("criticality");
              if (crit != null && !List.of("low", "medium", "high", "critical").contains(crit)) {
                throw new ApiException(400, "criticality is low, medium, high or critical");
              }
              var r =
                  vuln.importInventory(
                      name,
                      ctx.queryParam("filename"),
                      ctx.body(),
                      f,
                      new dev.rampart.vuln.track.VulnStore.ImportOptions(
                          ctx.queryParam("distro"),
                          flag(ctx, "internet_facing"),
                          crit == null ? "medium" : crit,
                          null,
                          ctx.queryParam("filename")),
                      actor(ctx));
              json(ctx, r);
            }));
    out.add(
        new Route(
            "get",
            "/api/vuln/findings",
            "vulnerabilities",
            "Findings, most urgent first (KEV, then CVSS score, then deadline)",
            List.of(
                q("asset", "string", "only this asset"),
                q("severity", "string", "at least this severity (unknown counts as medium)"),
                q("kev", "boolean", "only known exploited vulnerabilities"),
                q("status", "string", "open (default), fixed or all"),
                q("overdue", "boolean", "only open findings past their deadline"),
                q("suppressed", "boolean", "include findings under an exception or VEX"),
                q("limit", "integer", "1..1000, default 50")),
            null,
            List.of(),
            ctx -> {
              String status = ctx.queryParam("status") == null ? "open" : ctx.queryParam("status");
              if (!List.of("open", "fixed", "all").contains(status)) {
                throw new ApiException(400, "status is open, fixed or all");
              }
              String sev = ctx.queryParam("severity");
              if (sev != null && !dev.rampart.vuln.track.VulnStore.severities().contains(sev)) {
                throw new ApiException(
                    400, "severity is one of " + dev.rampart.vuln.track.VulnStore.severities());
              }
              json(
                  ctx,
                  Map.of(
                      "findings",
                      vuln.store()
                          .findings(
                              new dev.rampart.vuln.track.VulnStore.Filter(
                                  ctx.queryParam("asset"),
                                  sev,
                                  flag(ctx, "kev"),
                                  status,
                                  flag(ctx, "overdue"),
                                  flag(ctx, "suppressed"),
                                  limit(ctx)))));
            }));
    out.add(
        new Route(
            "get",
            "/api/vuln/sla",
            "vulnerabilities",
            "Patch tracking per severity (open, overdue, fixed, MTTR in days, the SLA) and open"
                + " findings per day",
            List.of(q("days", "integer", "trend length, 1..365, default 30")),
            null,
            List.of(),
            ctx -> {
              int days = 30;
              String d = ctx.queryParam("days");
              if (d != null) {
                try {
                  days = Integer.parseInt(d);
                } catch (NumberFormatException e) {
                  days = -1;
                }
                if (days < 1 || days > 365) {
                  throw new ApiException(400, "days is 1..365");
                }
              }
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("severities", vuln.store().slaReport());
              body.put("trend", vuln.store().trend(days));
              json(ctx, body);
            }));
    out.add(
        new Route(
            "get",
            "/api/vuln/feeds",
            "vulnerabilities",
            "Registered advisory feeds: kind, advisories, newest advisory, when loaded",
            List.of(),
            null,
            List.of(),
            ctx -> json(ctx, Map.of("feeds", vuln.store().feeds()))));
    out.add(
        new Route(
            "post",
            "/api/vuln/feeds/reload",
            "vulnerabilities",
            "Re-read every registered feed from its path and re-match every asset",
            List.of(),
            null,
            List.of(),
            ctx -> json(ctx, Map.of("assets", vuln.reload(actor(ctx))))));
    out.add(
        new Route(
            "get",
            "/api/vuln/exceptions",
            "vulnerabilities",
            "Accepted risks: advisory, scope, owner, reason, expiry",
            List.of(),
            null,
            List.of(),
            ctx -> json(ctx, Map.of("exceptions", vuln.store().exceptions()))));
    out.add(
        new Route(
            "get",
            "/api/vuln/scans",
            "vulnerabilities",
            "Network scans the server ran, newest first: asset, target, who asked (an actor, or"
                + " schedule), status (queued, running, done, incomplete, failed, interrupted),"
                + " connections, open ports, issues, findings opened and fixed",
            List.of(q("limit", "integer", "at most this many (default 50)")),
            null,
            List.of(),
            ctx -> json(ctx, Map.of("scans", platform.scans().list(limit(ctx))))));
    Route scan =
        new Route(
            "post",
            "/api/vuln/scans",
            "vulnerabilities",
            "Scan a target now (TCP connect: banners, TLS certificates, legacy protocols, weak"
                + " ciphers); its issues become the asset's network findings. Only loopback and the"
                + " networks in vulnerabilities.scans.allow may be scanned; one scan runs at a time",
            List.of(),
            Map.of(
                "asset", str("the asset the findings belong to"),
                "target",
                    str("HOST[:PORTS], [IPv6]:PORTS or CIDR[:PORTS]; ports as 22,443,8000-8100")),
            List.of("asset", "target"),
            null);
    out.add(
        scan.with(
            ctx -> {
              JsonNode b = body(ctx, scan);
              created(
                  ctx, platform.scans().submit(text(b, "asset"), text(b, "target"), actor(ctx)));
            }));
    Route addException =
        new Route(
            "post",
            "/api/vuln/exceptions",
            "vulnerabilities",
            "Accept the risk of an advisory (on an asset or package, or everywhere) until a date",
            List.of(),
            Map.of(
                "advisory", str("advisory id or CVE"),
                "asset", str("only this asset"),
                "package", str("only this package"),
                "owner", str("who owns the risk"),
                "reason", str("why it is accepted"),
                "expires", str("ISO-8601 instant")),
            List.of("advisory", "owner", "reason", "expires"),
            null);
    out.add(
        new Route(
            addException.method(),
            addException.path(),
            addException.tag(),
            addException.summary(),
            addException.query(),
            addException.body(),
            addException.required(),
            ctx -> {
              JsonNode b = body(ctx, addException);
              java.time.Instant expires;
              try {
                expires = java.time.Instant.parse(text(b, "expires"));
              } catch (java.time.format.DateTimeParseException e) {
                throw new ApiException(400, "expires is an instant such as 2027-03-31T00:00:00Z");
              }
              created(
                  ctx,
                  vuln.store()
                      .addException(
                          text(b, "advisory"),
                          text(b, "asset"),
                          text(b, "package"),
                          text(b, "owner"),
                          text(b, "reason"),
                          expires,
                          actor(ctx)));
            }));
  }

  // ---- request helpers ----

  private static int limit(Context ctx) {
    String v = ctx.queryParam("limit");
    if (v == null) {
      return 50;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= 1 && n <= 1000) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new ApiException(400, "limit is 1..1000, not '" + v + "'");
  }

  /** The body as a JSON object with only {@code allowed} fields and all {@code required} ones. */
  private static JsonNode body(Context ctx, Route r) throws JsonProcessingException {
    String text = ctx.body();
    JsonNode n = JSON.readTree(text.isBlank() ? "{}" : text);
    if (!n.isObject()) {
      throw new ApiException(400, "the body must be a JSON object");
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!r.body().containsKey(f)) {
        throw new ApiException(400, "unknown field '" + f + "'; fields: " + r.body().keySet());
      }
    }
    for (String f : r.required()) {
      if (!n.hasNonNull(f)) {
        throw new ApiException(400, "missing field '" + f + "'");
      }
    }
    return n;
  }

  private static String text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new ApiException(400, "'" + field + "' must be a string");
    }
    return v.asText();
  }

  private static Set<String> texts(JsonNode body, String field) {
    JsonNode v = body.get(field);
    Set<String> out = new LinkedHashSet<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      throw new ApiException(400, "'" + field + "' must be an array of strings");
    }
    for (JsonNode x : v) {
      if (!x.isTextual()) {
        throw new ApiException(400, "'" + field + "' must be an array of strings");
      }
      out.add(x.asText());
    }
    return out;
  }

  private static Status status(String s) {
    Status st = s == null ? null : Status.parse(s);
    if (st == null) {
      throw new ApiException(
          400,
          "status is one of new, acknowledged, investigating, contained, resolved, false_positive; not '"
              + s
              + "'");
    }
    return st;
  }

  // ---- the operations ----

  private List<Route> routes() {
    CaseStore cases = platform.cases();
    List<Route> out = new ArrayList<>();
    vulnRoutes(out);
    agentRoutes(out);
    preventionRoutes(out);
    changeRoutes(out);
    agentActionRoutes(out);
    entityRoutes(out);
    out.add(
        new Route(
            "get",
            "/api/alerts",
            "alerts",
            "Alerts triage saw, newest first, with their outcome (filed into an incident,"
                + " suppressed, excepted) and state; 'before' is the previous page's next cursor",
            List.of(
                q("rule", "string", "only this rule id"),
                q("level", "string", "this level or higher"),
                q("host", "string", "only this host (any case)"),
                q("user", "string", "only alerts about this user (any case)"),
                q("state", "string", "new or acknowledged"),
                q("limit", "integer", "1..1000, default 50"),
                q("before", "string", "cursor from the previous page")),
            null,
            List.of(),
            this::alerts));
    out.add(
        new Route(
            "get",
            "/api/alerts/{id}",
            "alerts",
            "One alert",
            List.of(),
            null,
            List.of(),
            ctx ->
                json(
                    ctx,
                    alertView(cases.queue().get(ctx.pathParam("id"), principal(ctx).tenants())))));
    Route ack =
        new Route(
            "post",
            "/api/alerts/acknowledge",
            "alerts",
            "Acknowledge alerts (up to 1000); returns how many changed",
            List.of(),
            Map.of("ids", strings("alert ids")),
            List.of("ids"),
            null);
    out.add(
        ack.with(
            ctx ->
                json(
                    ctx,
                    Map.of(
                        "changed",
                        cases
                            .queue()
                            .acknowledge(
                                texts(body(ctx, ack), "ids"),
                                principal(ctx).tenants(),
                                actor(ctx))))));
    Route assign =
        new Route(
            "post",
            "/api/alerts/assign",
            "alerts",
            "Assign alerts (up to 1000) to someone, or to nobody with null",
            List.of(),
            Map.of("ids", strings("alert ids"), "assignee", str("a user name, or null")),
            List.of("ids"),
            null);
    out.add(
        assign.with(
            ctx -> {
              JsonNode b = body(ctx, assign);
              json(
                  ctx,
                  Map.of(
                      "changed",
                      cases
                          .queue()
                          .assign(
                              texts(b, "ids"),
                              text(b, "assignee"),
                              principal(ctx).tenants(),
                              actor(ctx))));
            }));
    out.add(
        new Route(
            "get",
            "/api/events",
            "events",
            "Search stored events with the query language (docs/query-language.md)",
            List.of(
                q("q", "string", "the query, default *"),
                q("from", "string", "ISO-8601 instant, default 24 hours ago"),
                q("to", "string", "ISO-8601 instant, default now"),
                q("limit", "integer", "1..1000, default 50"),
                q("after", "string", "cursor from the previous page")),
            null,
            List.of(),
            this::events));
    out.add(
        new Route(
            "get",
            "/api/events/{id}",
            "events",
            "An event with the events around it on the same host (the context view)",
            List.of(q("context", "integer", "events before and after, 0..100, default 10")),
            null,
            List.of(),
            this::event));
    out.add(
        new Route(
            "get",
            "/api/searches",
            "events",
            "Saved searches: the caller's own and those shared with them",
            List.of(),
            null,
            List.of(),
            ctx ->
                json(
                    ctx,
                    Map.of(
                        "searches", cases.searches().list(actor(ctx), principal(ctx).tenants())))));
    Route saveSearch =
        new Route(
            "post",
            "/api/searches",
            "events",
            "Save a search under a name (the caller's search of that name is replaced; audited)",
            List.of(),
            Map.of(
                "name", str("1 to 200 characters"),
                "query", str("the query language, default *"),
                "range", str("15m, 1h, 24h (default), 7d, 30d or all, ending when it runs"),
                "from", str("or a window: 2026-12-01T10:00:00Z, 2026-12-01, now, -2h"),
                "to", str("its end, default now"),
                "description", str("what it finds (ATT&CK ids in it tag its alerts)"),
                "shared", Map.of("type", "boolean", "description", "seen by the team"),
                "alert",
                    Map.of(
                        "type",
                        "object",
                        "description",
                        "run it every (15m, 1m..1d) over the events since its last run and file"
                            + " an alert of level (default medium) when more than threshold"
                            + " (default 0) match: {every, level, threshold}")),
            List.of("name"),
            null);
    out.add(
        saveSearch.with(
            ctx -> {
              JsonNode b = body(ctx, saveSearch);
              var window =
                  dev.rampart.server.search.SearchWindow.of(
                      text(b, "range"),
                      text(b, "from"),
                      text(b, "to"),
                      dev.rampart.core.event.Timestamps.fromInstant(Instant.now()) + 1);
              created(
                  ctx,
                  new dev.rampart.server.search.SavedSearchService(cases)
                      .save(
                          actor(ctx),
                          principal(ctx).tenants(),
                          text(b, "name"),
                          text(b, "query"),
                          window,
                          text(b, "description"),
                          b.path("shared").asBoolean(false),
                          alertingOf(b.get("alert"))));
            }));
    out.add(
        new Route(
            "get",
            "/api/searches/{id}",
            "events",
            "One saved search",
            List.of(),
            null,
            List.of(),
            ctx ->
                json(
                    ctx,
                    cases
                        .searches()
                        .get(ctx.pathParam("id"), actor(ctx), principal(ctx).tenants()))));
    out.add(
        new Route(
            "delete",
            "/api/searches/{id}",
            "events",
            "Delete one of the caller's saved searches (audited)",
            List.of(),
            null,
            List.of(),
            ctx -> {
              cases.searches().delete(ctx.pathParam("id"), actor(ctx), principal(ctx).tenants());
              ctx.status(204);
            }));
    out.add(
        new Route(
            "get",
            "/api/searches/{id}/events",
            "events",
            "Run a saved search over its window as of now: the answer of GET /api/events",
            List.of(
                q("limit", "integer", "1..1000, default 50"),
                q("after", "string", "cursor from the previous page")),
            null,
            List.of(),
            ctx -> {
              var s =
                  cases.searches().get(ctx.pathParam("id"), actor(ctx), principal(ctx).tenants());
              var w =
                  dev.rampart.server.search.SearchWindow.parse(
                      s.range(), dev.rampart.core.event.Timestamps.fromInstant(Instant.now()) + 1);
              if (w.error() != null) {
                throw new ApiException(400, w.error());
              }
              events(ctx, s.query(), w.fromNanos(), w.toNanos());
            }));
    out.add(
        new Route(
            "get",
            "/api/intel",
            "intel",
            "Indicators held, by type",
            List.of(),
            null,
            List.of(),
            ctx -> {
              var idx = platform.intel().index();
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("indicators", idx.size());
              Map<String, Integer> byType = new LinkedHashMap<>();
              idx.counts().forEach((t, n) -> byType.put(t.label(), n));
              body.put("by_type", byType);
              json(ctx, body);
            }));
    out.add(
        new Route(
            "get",
            "/api/intel/check",
            "intel",
            "Which indicator, if any, matches a value (an address, a name, a URL or a hash)",
            List.of(q("value", "string", "the value to look up")),
            null,
            List.of(),
            ctx -> {
              String v = ctx.queryParam("value");
              if (v == null || v.isBlank() || v.length() > 8192) {
                throw new ApiException(400, "value is 1 to 8192 characters");
              }
              var idx = platform.intel().index();
              v = v.strip();
              int i = idx.lookup(v);
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("value", v);
              body.put("indicator", i < 0 ? null : idx.indicator(i));
              body.put("live", i >= 0 && idx.live(i, System.currentTimeMillis()));
              json(ctx, body);
            }));
    out.add(
        new Route(
            "post",
            "/api/intel",
            "intel",
            "Import a feed (the body: a STIX 2.1 bundle, MISP event JSON or CSV); new indicators"
                + " are also searched for in the last 30 days of stored events",
            List.of(
                q("format", "string", "auto (default), stix, misp or csv"),
                q("source", "string", "the feed's name in alerts (default: api)")),
            null,
            List.of(),
            ctx -> {
              dev.rampart.intel.feed.Feeds.Format f;
              try {
                String fmt = ctx.queryParam("format");
                f =
                    fmt == null
                        ? dev.rampart.intel.feed.Feeds.Format.AUTO
                        : dev.rampart.intel.feed.Feeds.Format.valueOf(
                            fmt.toUpperCase(java.util.Locale.ROOT));
              } catch (IllegalArgumentException e) {
                throw new ApiException(400, "format is auto, stix, misp or csv");
              }
              String source = ctx.queryParam("source");
              var r =
                  platform
                      .intel()
                      .importFeed("api", ctx.body(), f, source == null ? "api" : source);
              platform
                  .cases()
                  .audit(
                      actor(ctx),
                      "intel.import",
                      source == null ? "api" : source,
                      r.added() + " indicators, " + r.problems().size() + " problems");
              created(ctx, r);
            }));
    out.add(
        new Route(
            "get",
            "/api/rules",
            "rules",
            "The detection rules in force, by title; each says whether it is switched on",
            List.of(q("q", "string", "words the id, title, file, tags or log source contain")),
            null,
            List.of(),
            ctx -> json(ctx, Map.of("rules", platform.rules().search(ctx.queryParam("q"))))));
    out.add(
        new Route(
            "get",
            "/api/coverage",
            "rules",
            "ATT&CK coverage: the rules' techniques by tactic, how many of their rules are on, and"
                + " (with alerts:read) the alerts of the last 30 days naming each",
            List.of(),
            null,
            List.of(),
            ctx -> {
              Principal p = principal(ctx);
              json(
                  ctx,
                  platform
                      .rules()
                      .coverage(
                          cases.queue(), cases.now(), p.tenants(), p.may(Permission.ALERTS_READ)));
            }));
    out.add(
        new Route(
            "get",
            "/api/rules/{id}",
            "rules",
            "A rule and its YAML as written",
            List.of(),
            null,
            List.of(),
            ctx -> {
              String key = ctx.pathParam("id");
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("rule", platform.rules().get(key));
              body.put("yaml", platform.rules().yaml(key));
              json(ctx, body);
            }));
    Route enable =
        new Route(
            "post",
            "/api/rules/{id}/enabled",
            "rules",
            "Switch a rule on or off (audited); its alerts stop or resume at once",
            List.of(),
            Map.of(
                "enabled",
                Map.of("type", "boolean", "description", "false to switch the rule off"),
                "reason",
                str("why (kept in the audit trail)")),
            List.of("enabled"),
            null);
    out.add(
        enable.with(
            ctx -> {
              JsonNode b = body(ctx, enable);
              if (!b.get("enabled").isBoolean()) {
                throw new ApiException(400, "enabled is true or false");
              }
              json(
                  ctx,
                  platform
                      .rules()
                      .enable(
                          ctx.pathParam("id"),
                          b.get("enabled").asBoolean(),
                          text(b, "reason"),
                          actor(ctx)));
            }));
    out.add(
        new Route(
            "get",
            "/api/rules/{id}/test",
            "rules",
            "Test a rule against recent stored events, each match explained; with 'event', why"
                + " that one event matches or not",
            List.of(
                q("q", "string", "only events matching this filter, default *"),
                q("from", "string", "ISO-8601 instant, default 24 hours ago"),
                q("to", "string", "ISO-8601 instant, default now"),
                q("limit", "integer", "events to read, 1..10000, default 1000"),
                q("event", "integer", "explain this one event")),
            null,
            List.of(),
            this::testRule));
    Route backfill =
        new Route(
            "post",
            "/api/rules/{id}/backfill",
            "rules",
            "File the alerts a rule (switched on) would have raised on the stored events of a"
                + " window: alerts as the live detector's, kept once, through triage; refused,"
                + " filing nothing, over 1,000 matches or 30 s of reading (audited)",
            List.of(),
            Map.of(
                "from",
                str("ISO-8601 instant, default 7 days ago"),
                "to",
                str("ISO-8601 instant, default now"),
                "q",
                str("only events matching this filter, default *")),
            List.of(),
            null);
    out.add(
        backfill.with(
            ctx -> {
              authorize(ctx, Permission.EVENTS_READ);
              JsonNode b = body(ctx, backfill);
              long now = dev.rampart.core.event.Timestamps.fromInstant(Instant.now());
              long to = instant(text(b, "to"), "to", now + 1);
              long from = instant(text(b, "from"), "from", to - 7 * 86_400_000_000_000L);
              String q = text(b, "q");
              try {
                json(
                    ctx,
                    platform
                        .rules()
                        .backfill(
                            ctx.pathParam("id"),
                            q,
                            from,
                            to,
                            dev.rampart.server.tenant.Tenancy.eventScope(
                                principal(ctx), platform.config()),
                            actor(ctx)));
              } catch (dev.rampart.store.query.QueryException e) {
                throw new ApiException(400, e.render(q == null ? "*" : q));
              }
            }));
    out.add(
        new Route(
            "get",
            "/api/hunt",
            "rules",
            "What every rule of the pack (on or off) would have fired on: the stored events of the"
                + " window run through them all, the rules that matched with their matches, distinct"
                + " hosts and newest match, most first; at most 30 s of reading, said when cut short"
                + " (rampart hunt --store has no limit)",
            List.of(
                q("q", "string", "only events matching this filter, default *"),
                q("from", "string", "ISO-8601 instant, default 24 hours ago"),
                q("to", "string", "ISO-8601 instant, default now")),
            null,
            List.of(),
            this::huntPack));
    out.add(
        new Route(
            "get",
            "/api/rules/{id}/backtest",
            "rules",
            "What a rule (on or off) would have fired on: every stored event of the window run"
                + " through it, matches per day, the hosts with most, the newest explained; at most"
                + " 30 s of reading, said when cut short",
            List.of(
                q("q", "string", "only events matching this filter, default *"),
                q("from", "string", "ISO-8601 instant, default 7 days ago"),
                q("to", "string", "ISO-8601 instant, default now")),
            null,
            List.of(),
            this::backtestRule));
    out.add(
        new Route(
            "get",
            "/api/incidents",
            "incidents",
            "Incidents, most recently updated first (keyset paging with 'after')",
            List.of(
                q("status", "string", "comma-separated statuses"),
                q("priority", "string", "critical, high, medium or low"),
                q("owner", "string", "only this owner's"),
                q("tag", "string", "only with this tag"),
                q("breached", "boolean", "only those past an SLA due time"),
                q("limit", "integer", "1..1000, default 50"),
                q("after", "string", "cursor from the previous page")),
            null,
            List.of(),
            ctx -> {
              Set<Status> statuses = new HashSet<>();
              String s = ctx.queryParam("status");
              if (s != null && !s.isBlank()) {
                for (String x : s.split(",")) {
                  statuses.add(status(x));
                }
              }
              String breached = ctx.queryParam("breached");
              if (breached != null && !breached.equals("true") && !breached.equals("false")) {
                throw new ApiException(400, "breached is true or false");
              }
              CaseStore.Page page =
                  cases.list(
                      new CaseStore.Filter(
                              statuses,
                              ctx.queryParam("priority"),
                              ctx.queryParam("owner"),
                              ctx.queryParam("tag"),
                              "true".equals(breached))
                          .withTenants(principal(ctx).tenants()),
                      limit(ctx),
                      ctx.queryParam("after"));
              long now = cases.now();
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("incidents", page.incidents().stream().map(i -> view(i, now)).toList());
              body.put("next", page.next());
              json(ctx, body);
            }));
    out.add(
        new Route(
            "get",
            "/api/incidents/{id}",
            "incidents",
            "An incident with its alerts and evidence events",
            List.of(),
            null,
            List.of(),
            ctx -> {
              String id = ctx.pathParam("id");
              Map<String, Object> body = new LinkedHashMap<>(view(cases.get(id), cases.now()));
              body.put("alerts", cases.alerts(id));
              body.put("evidence", cases.evidence(id));
              json(ctx, body);
            }));
    Route statusRoute =
        new Route(
            "post",
            "/api/incidents/{id}/status",
            "incidents",
            "Move an incident along its lifecycle (409 when the move is not allowed)",
            List.of(),
            Map.of("status", str("the new status")),
            List.of("status"),
            null);
    out.add(
        statusRoute.with(
            ctx ->
                json(
                    ctx,
                    view(
                        cases.transition(
                            ctx.pathParam("id"),
                            status(text(body(ctx, statusRoute), "status")),
                            actor(ctx)),
                        cases.now()))));
    Route owner =
        new Route(
            "post",
            "/api/incidents/{id}/owner",
            "incidents",
            "Assign an owner (null: nobody)",
            List.of(),
            Map.of("owner", str("the owner's name, or null")),
            List.of(),
            null);
    out.add(
        owner.with(
            ctx ->
                json(
                    ctx,
                    view(
                        cases.assign(
                            ctx.pathParam("id"), text(body(ctx, owner), "owner"), actor(ctx)),
                        cases.now()))));
    Route priority =
        new Route(
            "post",
            "/api/incidents/{id}/priority",
            "incidents",
            "Change the priority (the SLA due times follow)",
            List.of(),
            Map.of("priority", str("critical, high, medium or low")),
            List.of("priority"),
            null);
    out.add(
        priority.with(
            ctx ->
                json(
                    ctx,
                    view(
                        cases.prioritize(
                            ctx.pathParam("id"), text(body(ctx, priority), "priority"), actor(ctx)),
                        cases.now()))));
    Route tags =
        new Route(
            "post",
            "/api/incidents/{id}/tags",
            "incidents",
            "Add and remove tags",
            List.of(),
            Map.of("add", strings("tags to add"), "remove", strings("tags to remove")),
            List.of(),
            null);
    out.add(
        tags.with(
            ctx -> {
              JsonNode b = body(ctx, tags);
              json(
                  ctx,
                  view(
                      cases.tag(
                          ctx.pathParam("id"), texts(b, "add"), texts(b, "remove"), actor(ctx)),
                      cases.now()));
            }));
    Route evidence =
        new Route(
            "post",
            "/api/incidents/{id}/evidence",
            "incidents",
            "Link a stored event as evidence",
            List.of(),
            Map.of(
                "event_id", integer("the event's id in the store"), "note", str("why it matters")),
            List.of("event_id"),
            null);
    out.add(
        evidence.with(
            ctx -> {
              JsonNode b = body(ctx, evidence);
              if (!b.get("event_id").canConvertToLong() || !b.get("event_id").isIntegralNumber()) {
                throw new ApiException(400, "event_id must be an integer");
              }
              // evidence is an event the caller can see: another tenant's id is no event
              if (platform
                  .store()
                  .context(
                      b.get("event_id").asLong(),
                      0,
                      dev.rampart.server.tenant.Tenancy.eventScope(
                          principal(ctx), platform.config()))
                  .isEmpty()) {
                throw new ApiException(404, "no event " + b.get("event_id").asLong());
              }
              created(
                  ctx,
                  view(
                      cases.addEvidence(
                          ctx.pathParam("id"),
                          b.get("event_id").asLong(),
                          text(b, "note"),
                          actor(ctx)),
                      cases.now()));
            }));
    Route merge =
        new Route(
            "post",
            "/api/incidents/{id}/merge",
            "incidents",
            "Merge this incident into another; returns the target",
            List.of(),
            Map.of("into", str("the id of the incident that remains")),
            List.of("into"),
            null);
    out.add(
        merge.with(
            ctx -> {
              String into = text(body(ctx, merge), "into");
              if (into != null) {
                visibleIncident(ctx, into);
              }
              json(ctx, view(cases.merge(ctx.pathParam("id"), into, actor(ctx)), cases.now()));
            }));
    out.add(
        new Route(
            "get",
            "/api/incidents/{id}/comments",
            "comments",
            "An incident's comments (Markdown), oldest first",
            List.of(),
            null,
            List.of(),
            ctx -> json(ctx, Map.of("comments", cases.comments(ctx.pathParam("id"))))));
    Route comment =
        new Route(
            "post",
            "/api/incidents/{id}/comments",
            "comments",
            "Add a comment in Markdown",
            List.of(),
            Map.of("markdown", str("the comment, 1 to 100,000 characters")),
            List.of("markdown"),
            null);
    out.add(
        comment.with(
            ctx ->
                created(
                    ctx,
                    Map.of(
                        "id",
                        cases.comment(
                            ctx.pathParam("id"),
                            actor(ctx),
                            text(body(ctx, comment), "markdown"))))));
    out.add(
        new Route(
            "get",
            "/api/incidents/{id}/timeline",
            "incidents",
            "Everything that happened to an incident, oldest first",
            List.of(),
            null,
            List.of(),
            ctx -> json(ctx, Map.of("timeline", cases.timeline(ctx.pathParam("id"))))));
    out.add(
        new Route(
            "get",
            "/api/incidents/{id}/report",
            "incidents",
            "An incident written up for a handover: facts and SLAs, ATT&CK techniques, alerts,"
                + " notes, timeline, and its stored events (with events:read); audited",
            List.of(Route.q("format", "string", "md (default), html or json")),
            null,
            List.of(),
            ctx -> {
              Principal p = principal(ctx);
              var format = reportFormat(ctx, "md");
              Incident i = visibleIncident(ctx, ctx.pathParam("id"));
              var report =
                  dev.rampart.server.report.IncidentReport.build(
                      cases,
                      i,
                      p.permissions().contains(Permission.EVENTS_READ) ? platform.search() : null,
                      dev.rampart.server.tenant.Tenancy.eventScope(p, platform.config()));
              cases.audit(actor(ctx), "incident.export", i.id(), format.extension());
              ctx.header("Cache-Control", "no-store");
              ctx.contentType(format.mediaType()).result(format.render(report));
            }));
    out.add(
        new Route(
            "get",
            "/api/metrics",
            "metrics",
            "MTTD, MTTA, MTTR, per-rule true and false positives, triage counts",
            List.of(),
            null,
            List.of(),
            ctx -> {
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("incidents", cases.metrics(principal(ctx).tenants()));
              body.put("rules", cases.ruleOutcomes());
              body.put("triage", platform.triage().counts());
              body.put("suppressed_by_rule", platform.triage().suppressedByRule());
              json(ctx, body);
            }));
    out.add(
        new Route(
            "get",
            "/api/report",
            "metrics",
            "The SOC report of a period against the one before: alerts, incidents, MTTD/MTTA/MTTR,"
                + " SLAs met, top rules, hosts and techniques, rules to tune, events stored (with"
                + " events:read), and vulnerability findings (with vulns:read, for every tenant)",
            List.of(
                Route.q("last", "string", "the period's length: 24h, 7d (default), 4w, 30d"),
                Route.q(
                    "end",
                    "string",
                    "now (default: the end of this hour), today (midnight UTC), a date or an"
                        + " instant"),
                Route.q("format", "string", "json (default), md or html")),
            null,
            List.of(),
            ctx -> {
              Principal p = principal(ctx);
              var format = reportFormat(ctx, "json");
              dev.rampart.server.report.ReportPeriod period;
              try {
                period =
                    dev.rampart.server.report.ReportPeriod.parse(
                        ctx.queryParam("last"), ctx.queryParam("end"), cases.now());
              } catch (IllegalArgumentException e) {
                throw new ApiException(400, e.getMessage());
              }
              var report =
                  dev.rampart.server.report.SocReport.build(
                      cases,
                      p.permissions().contains(Permission.VULNS_READ)
                          ? platform.vuln().store()
                          : null,
                      p.permissions().contains(Permission.EVENTS_READ)
                          ? dev.rampart.server.report.EventCounts.of(
                              platform.search(),
                              dev.rampart.server.tenant.Tenancy.eventScope(p, platform.config()))
                          : null,
                      period,
                      p.tenants());
              ctx.header("Cache-Control", "no-store");
              ctx.contentType(format.mediaType()).result(format.render(report));
            }));
    out.add(
        new Route(
            "get",
            "/api/exceptions",
            "exceptions",
            "Alert exceptions (active, expired and revoked)",
            List.of(),
            null,
            List.of(),
            ctx -> json(ctx, Map.of("exceptions", cases.exceptions().list()))));
    Route addException =
        new Route(
            "post",
            "/api/exceptions",
            "exceptions",
            "Silence a rule for a host or user until a time, with a reason (audited)",
            List.of(),
            Map.of(
                "rule", str("the rule id"),
                "host", str("only this host (default: any)"),
                "user", str("only this user (default: any)"),
                "reason", str("why"),
                "expires_at", str("ISO-8601 instant"),
                "for", str("or a duration such as 7d")),
            List.of("rule", "reason"),
            null);
    out.add(
        addException.with(
            ctx -> {
              JsonNode b = body(ctx, addException);
              String at = text(b, "expires_at");
              String dur = text(b, "for");
              if ((at == null) == (dur == null)) {
                throw new ApiException(400, "give either expires_at or for");
              }
              long expires;
              if (at != null) {
                try {
                  expires = Instant.parse(at).toEpochMilli();
                } catch (DateTimeParseException e) {
                  throw new ApiException(
                      400, "expires_at is an ISO-8601 instant such as 2026-12-31T00:00:00Z");
                }
              } else {
                Duration d = Doc.duration(dur);
                if (d == null) {
                  throw new ApiException(400, "for is a duration such as 12h or 7d");
                }
                expires = cases.now() + d.toMillis();
              }
              created(
                  ctx,
                  cases
                      .exceptions()
                      .add(
                          text(b, "rule"),
                          text(b, "host"),
                          text(b, "user"),
                          text(b, "reason"),
                          expires,
                          actor(ctx)));
            }));
    out.add(
        new Route(
            "delete",
            "/api/exceptions/{id}",
            "exceptions",
            "Revoke an exception (it stays listed)",
            List.of(),
            null,
            List.of(),
            ctx -> json(ctx, cases.exceptions().revoke(ctx.pathParam("id"), actor(ctx)))));
    out.add(
        new Route(
            "get",
            "/api/playbooks",
            "playbooks",
            "The active playbooks",
            List.of(),
            null,
            List.of(),
            ctx ->
                json(
                    ctx,
                    Map.of(
                        "playbooks",
                        platform.playbooks().playbooks().stream().map(RestApi::view).toList()))));
    out.add(
        new Route(
            "post",
            "/api/playbooks/reload",
            "playbooks",
            "Reload playbook files; a file with problems keeps its previous version",
            List.of(),
            null,
            List.of(),
            ctx -> {
              List<Doc.Problem> problems = platform.playbooks().reload();
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("loaded", platform.playbooks().playbooks().size());
              body.put("problems", problems);
              json(ctx, body);
            }));
    out.add(
        new Route(
            "get",
            "/api/playbooks/runs",
            "playbooks",
            "Playbook runs with each step's result, newest first",
            List.of(
                q("playbook", "string", "only this playbook"),
                q("limit", "integer", "1..1000, default 50")),
            null,
            List.of(),
            ctx ->
                json(
                    ctx,
                    Map.of(
                        "runs",
                        platform
                            .playbooks()
                            .runs()
                            .recent(ctx.queryParam("playbook"), limit(ctx))))));
    out.add(
        new Route(
            "get",
            "/api/audit",
            "audit",
            "The audit trail, newest first",
            List.of(
                q("limit", "integer", "1..1000, default 50"),
                q("actor", "string", "only this actor's"),
                q("action", "string", "only actions starting with this (incident.)"),
                q("before", "integer", "older than this sequence number (the previous next)")),
            null,
            List.of(),
            ctx -> {
              Long before = null;
              String b = ctx.queryParam("before");
              if (b != null && !b.isBlank()) {
                try {
                  before = Long.valueOf(b.strip());
                } catch (NumberFormatException e) {
                  throw new ApiException(400, "before is a sequence number (the previous next)");
                }
              }
              int limit = limit(ctx);
              var entries =
                  cases
                      .db()
                      .audit(
                          before,
                          blankToNull(ctx.queryParam("actor")),
                          blankToNull(ctx.queryParam("action")),
                          limit);
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("audit", entries);
              body.put("next", entries.size() < limit ? null : entries.getLast().seq());
              json(ctx, body);
            }));
    out.add(
        new Route(
            "get",
            "/api/audit/verify",
            "audit",
            "Recompute the audit trail's hash chain; the first broken entry if any",
            List.of(),
            null,
            List.of(),
            ctx -> {
              var check = cases.db().verifyAudit();
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("intact", check.intact());
              body.put("entries", check.entries());
              body.put("broken_at", check.brokenAt());
              body.put("problem", check.problem());
              json(ctx, body);
            }));
    out.add(
        new Route(
            "get",
            "/api/me",
            "access",
            "Who the token belongs to and what it may do",
            List.of(),
            null,
            List.of(),
            ctx -> {
              Principal p = principal(ctx);
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("user", p.user());
              body.put("role", p.role());
              body.put(
                  "permissions", p.permissions().stream().map(Permission::code).sorted().toList());
              body.put("via", p.via());
              json(ctx, body);
            }));
    out.add(
        new Route(
            "get",
            "/api/session",
            "access",
            "The browser session's CSRF token (after a single sign-on, which cannot return it)",
            List.of(),
            null,
            List.of(),
            ctx -> {
              Sessions.Session s = sessions.get(ctx.cookie(COOKIE));
              if (s == null) {
                throw new ApiException(400, "this request came with a token, not a session cookie");
              }
              json(ctx, Map.of("user", s.principal().user(), "csrf_token", s.csrf()));
            }));
    out.add(
        new Route(
            "get",
            "/api/users",
            "access",
            "Users (never their password hashes)",
            List.of(),
            null,
            List.of(),
            ctx -> {
              List<Map<String, Object>> users = new ArrayList<>();
              for (AccessStore.User u : access.users()) {
                Map<String, Object> m = JSON.convertValue(u, new TypeReference<>() {});
                m.put("tenants", access.tenantsOf(u.name()));
                users.add(m);
              }
              json(ctx, Map.of("users", users));
            }));
    Route setTenants =
        new Route(
            "post",
            "/api/users/{name}/tenants",
            "access",
            "Set the tenants a user sees (an empty list: every tenant)",
            List.of(),
            Map.of("tenants", strings("tenant names")),
            List.of("tenants"),
            null);
    out.add(
        setTenants.with(
            ctx ->
                json(
                    ctx,
                    Map.of(
                        "user",
                        ctx.pathParam("name"),
                        "tenants",
                        access.setTenants(
                            ctx.pathParam("name"),
                            texts(body(ctx, setTenants), "tenants"),
                            actor(ctx))))));
    Route addUser =
        new Route(
            "post",
            "/api/users",
            "access",
            "Add a user with a role and a password (at least 12 characters)",
            List.of(),
            Map.of(
                "name",
                str("lower-case name"),
                "role",
                str("admin, analyst, viewer or a custom role"),
                "password",
                str("at least 12 characters")),
            List.of("name", "role", "password"),
            null);
    out.add(
        addUser.with(
            ctx -> {
              JsonNode b = body(ctx, addUser);
              created(
                  ctx,
                  access.createUser(
                      text(b, "name"), text(b, "role"), text(b, "password"), actor(ctx)));
            }));
    Route setRole =
        new Route(
            "post",
            "/api/users/{name}/role",
            "access",
            "Change a user's role (their tokens narrow at once)",
            List.of(),
            Map.of("role", str("the new role")),
            List.of("role"),
            null);
    out.add(
        setRole.with(
            ctx ->
                json(
                    ctx,
                    access.setRole(
                        ctx.pathParam("name"), text(body(ctx, setRole), "role"), actor(ctx)))));
    Route disable =
        new Route(
            "post",
            "/api/users/{name}/disabled",
            "access",
            "Disable or enable a user (a disabled user's tokens stop working)",
            List.of(),
            Map.of("disabled", Map.of("type", "boolean", "description", "true to disable")),
            List.of("disabled"),
            null);
    out.add(
        disable.with(
            ctx -> {
              JsonNode b = body(ctx, disable);
              if (!b.get("disabled").isBoolean()) {
                throw new ApiException(400, "disabled is true or false");
              }
              json(
                  ctx,
                  access.setDisabled(
                      ctx.pathParam("name"), b.get("disabled").asBoolean(), actor(ctx)));
            }));
    out.add(
        new Route(
            "get",
            "/api/tokens",
            "access",
            "Your API tokens (an admin with ?all=true: everyone's); never the tokens themselves",
            List.of(q("all", "boolean", "every user's (users:admin)")),
            null,
            List.of(),
            ctx -> {
              Principal p = principal(ctx);
              boolean all = "true".equals(ctx.queryParam("all"));
              if (all && !p.may(Permission.USERS_ADMIN)) {
                throw new ApiException(403, "listing every user's tokens needs users:admin");
              }
              json(ctx, Map.of("tokens", access.tokens(all ? null : p.user())));
            }));
    Route newToken =
        new Route(
            "post",
            "/api/tokens",
            "access",
            "Make a token for yourself; the token is in this answer only",
            List.of(),
            Map.of(
                "name", str("what it is for"),
                "scopes", strings("permissions it carries (default: all your role's)"),
                "expires_in", str("a duration such as 90d (at most 366d)")),
            List.of("name", "expires_in"),
            null);
    out.add(
        newToken.with(
            ctx -> {
              JsonNode b = body(ctx, newToken);
              Principal p = principal(ctx);
              if (p.via().equals("config-token")) {
                throw new ApiException(
                    400, "the config's token belongs to no user; sign in as a user to make tokens");
              }
              Duration d = Doc.duration(text(b, "expires_in"));
              if (d == null) {
                throw new ApiException(400, "expires_in is a duration such as 30d");
              }
              Set<Permission> scopes =
                  AccessStore.parsePermissions(List.copyOf(texts(b, "scopes")));
              for (Permission x : scopes) {
                if (!p.may(x)) {
                  throw new ApiException(
                      403, "you cannot grant " + x.code() + ": you do not have it");
                }
              }
              AccessStore.NewToken t =
                  access.createToken(
                      p.user(),
                      text(b, "name"),
                      scopes,
                      Instant.ofEpochMilli(cases.now()).plus(d),
                      actor(ctx));
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("token", t.token());
              body.put("info", t.info());
              body.put("note", "this is the only time the token is shown");
              created(ctx, body);
            }));
    out.add(
        new Route(
            "delete",
            "/api/tokens/{id}",
            "access",
            "Revoke one of your tokens (an admin: anyone's)",
            List.of(),
            null,
            List.of(),
            ctx -> {
              Principal p = principal(ctx);
              String id = ctx.pathParam("id");
              boolean mine = access.tokens(p.user()).stream().anyMatch(t -> t.id().equals(id));
              if (!mine && !p.may(Permission.USERS_ADMIN)) {
                throw new CaseException(
                    CaseException.Kind.NOT_FOUND, "no token " + id + " of yours");
              }
              json(ctx, access.revokeToken(id, actor(ctx)));
            }));
    return out;
  }

  private void alerts(Context ctx) throws IOException, CaseException {
    AlertQueue.Page page =
        platform
            .cases()
            .queue()
            .list(
                new AlertQueue.Filter(
                    principal(ctx).tenants(),
                    ctx.queryParam("level"),
                    ctx.queryParam("host"),
                    ctx.queryParam("rule"),
                    ctx.queryParam("state"),
                    ctx.queryParam("user"),
                    ctx.queryParam("ip")),
                limit(ctx),
                ctx.queryParam("before"));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("alerts", page.alerts().stream().map(RestApi::alertView).toList());
    body.put("next", page.next());
    json(ctx, body);
  }

  static Map<String, Object> alertView(AlertQueue.Row a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", a.id());
    m.put("tenant", a.tenant());
    m.put("rule_id", a.ruleId());
    m.put("title", a.title());
    m.put("level", a.level());
    m.put("host", a.host());
    m.put("user", a.user());
    m.put("source_ip", a.sourceIp());
    m.put("techniques", a.techniques());
    m.put("event_ids", a.eventIds());
    m.put("event_time", Instant.ofEpochMilli(a.eventTime()).toString());
    m.put("detected_at", Instant.ofEpochMilli(a.detectedAt()).toString());
    m.put("outcome", a.outcome());
    m.put("incident_id", a.incidentId());
    m.put("state", a.state());
    m.put("assignee", a.assignee());
    m.put(
        "acknowledged_at",
        a.acknowledgedAt() == null ? null : Instant.ofEpochMilli(a.acknowledgedAt()).toString());
    m.put("acknowledged_by", a.acknowledgedBy());
    return m;
  }

  private static long instant(Context ctx, String param, long fallback) {
    return instant(ctx.queryParam(param), param, fallback);
  }

  private static long instant(String v, String param, long fallback) {
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      return dev.rampart.core.event.Timestamps.fromInstant(Instant.parse(v));
    } catch (java.time.format.DateTimeParseException e) {
      throw new ApiException(400, param + " is an ISO-8601 instant such as 2026-11-28T10:00:00Z");
    }
  }

  /** The request's {@code q} (null when absent), refused past 10,000 characters. */
  private static String query(Context ctx) {
    String q = ctx.queryParam("q");
    if (q != null && q.length() > 10_000) {
      throw new ApiException(400, "the query is longer than 10,000 characters");
    }
    return q;
  }

  private void events(Context ctx) throws Exception {
    String q = query(ctx);
    q = q == null || q.isBlank() ? "*" : q;
    long now = dev.rampart.core.event.Timestamps.fromInstant(Instant.now());
    long to = instant(ctx, "to", now + 1);
    long from = instant(ctx, "from", to - DAY_NANOS);
    events(ctx, q, from, to);
  }

  /** A page of {@code q}'s events (or its table) in [from, to), scoped to the caller's tenants. */
  private void events(Context ctx, String q, long from, long to) throws Exception {
    dev.rampart.store.search.SearchResult r;
    try {
      r =
          platform
              .search()
              .search(
                  dev.rampart.store.search.SearchRequest.of(q)
                      .range(from, to)
                      .withLimit(limit(ctx))
                      .withAfter(ctx.queryParam("after"))
                      .scoped(
                          dev.rampart.server.tenant.Tenancy.eventScope(
                              principal(ctx), platform.config())));
    } catch (dev.rampart.store.query.QueryException e) {
      throw new ApiException(400, e.render(q));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("matched", r.matched());
    body.put("took_ms", r.tookMillis());
    if (r.isTable()) {
      body.put("columns", r.columns());
    }
    body.put("rows", r.rows());
    body.put("next", r.next());
    body.put("notes", r.notes());
    json(ctx, body);
  }

  private void testRule(Context ctx) throws Exception {
    String id = ctx.pathParam("id");
    overStore(
        ctx,
        DAY_NANOS,
        (q, from, to, scope) -> {
          int limit;
          Long event;
          try {
            String l = ctx.queryParam("limit");
            limit = l == null ? 1000 : Integer.parseInt(l);
            String e = ctx.queryParam("event");
            event = e == null || e.isBlank() ? null : Long.valueOf(e);
          } catch (NumberFormatException e) {
            throw new ApiException(400, "limit and event are numbers");
          }
          return platform.rules().test(id, q, from, to, limit, event, scope);
        });
  }

  /** A run of rules over the stored events of a window, within the caller's tenants. */
  @FunctionalInterface
  private interface OverStore {
    Object run(String filter, long from, long to, String scope) throws Exception;
  }

  /**
   * Answers a run over stored events (a backtest, a hunt): it reads events, so it needs
   * events:read; {@code from} defaults to {@code span} before {@code to}; a bad filter is a 400
   * pointing at its column.
   */
  private void overStore(Context ctx, long span, OverStore run) throws Exception {
    authorize(ctx, Permission.EVENTS_READ);
    long now = dev.rampart.core.event.Timestamps.fromInstant(Instant.now());
    long to = instant(ctx, "to", now + 1);
    long from = instant(ctx, "from", to - span);
    String q = query(ctx);
    try {
      json(
          ctx,
          run.run(
              q,
              from,
              to,
              dev.rampart.server.tenant.Tenancy.eventScope(principal(ctx), platform.config())));
    } catch (dev.rampart.store.query.QueryException e) {
      throw new ApiException(400, e.render(q == null ? "*" : q));
    }
  }

  private static final long DAY_NANOS = 86_400_000_000_000L;

  private void huntPack(Context ctx) throws Exception {
    overStore(ctx, DAY_NANOS, platform.rules()::huntPack);
  }

  private void backtestRule(Context ctx) throws Exception {
    String id = ctx.pathParam("id");
    overStore(
        ctx,
        7 * DAY_NANOS,
        (q, from, to, scope) -> platform.rules().backtest(id, q, from, to, scope));
  }

  private void event(Context ctx) throws Exception {
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw new ApiException(400, "an event id is a number");
    }
    String c = ctx.queryParam("context");
    int n;
    try {
      n = c == null ? 10 : Integer.parseInt(c);
    } catch (NumberFormatException e) {
      n = -1;
    }
    if (n < 0 || n > 100) {
      throw new ApiException(400, "context is 0..100");
    }
    List<Map<String, Object>> rows =
        platform
            .store()
            .context(
                id,
                n,
                dev.rampart.server.tenant.Tenancy.eventScope(principal(ctx), platform.config()));
    if (rows.isEmpty()) {
      throw new ApiException(404, "no event " + id);
    }
    json(ctx, Map.of("id", id, "events", rows));
  }

  static Map<String, Object> view(Incident i, long now) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", i.id());
    m.put("title", i.title());
    m.put("status", i.status().label());
    m.put("priority", i.priority());
    m.put("owner", i.owner());
    m.put("host", i.host());
    m.put("user", i.user());
    m.put("tags", i.tags());
    m.put("created_at", Instant.ofEpochMilli(i.createdAt()).toString());
    m.put("updated_at", Instant.ofEpochMilli(i.updatedAt()).toString());
    m.put(
        "acknowledged_at",
        i.acknowledgedAt() == null ? null : Instant.ofEpochMilli(i.acknowledgedAt()).toString());
    m.put(
        "resolved_at",
        i.resolvedAt() == null ? null : Instant.ofEpochMilli(i.resolvedAt()).toString());
    m.put(
        "ack_due_at", i.ackDueAt() == null ? null : Instant.ofEpochMilli(i.ackDueAt()).toString());
    m.put(
        "resolve_due_at",
        i.resolveDueAt() == null ? null : Instant.ofEpochMilli(i.resolveDueAt()).toString());
    m.put("sla_breached", i.breached(now));
    m.put("merged_into", i.mergedInto());
    m.put("tenant", i.tenant());
    return m;
  }

  static Map<String, Object> view(Playbook p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", p.name());
    m.put("file", p.file());
    m.put("description", p.description());
    m.put("enabled", p.enabled());
    m.put("on", p.on());
    m.put(
        "steps",
        p.steps().stream().map(s -> Map.of("name", s.name(), "action", s.action())).toList());
    return m;
  }

  @Override
  public void close() {
    app.stop();
  }
}
