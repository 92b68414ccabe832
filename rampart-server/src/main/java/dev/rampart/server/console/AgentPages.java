package dev.rampart.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.auth.Permission;
import dev.rampart.cases.incident.CaseException;
import dev.rampart.server.Platform;
import dev.rampart.server.agents.AgentRegistry;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The console's agents page: every enrolled agent with its status (active, silent, revoked),
 * version, last contact and last heartbeat (uptime, write-ahead log fill, watch mode, CPU, memory);
 * for those allowed, a one-time enrolment token with the command that uses it, and revocation.
 */
final class AgentPages {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Console console;
  private final Platform platform;

  AgentPages(Console console, Platform platform) {
    this.console = console;
    this.platform = platform;
  }

  void register(JavalinConfig config) {
    config.routes.get("/agents", ctx -> show(ctx, null, null, null));
    config.routes.post("/agents/tokens", this::token);
    config.routes.post("/agents/revoke", this::revoke);
  }

  private void show(Context ctx, String enroll, String message, String error) throws CaseException {
    Views.User u = console.user(ctx, Permission.AGENTS_READ);
    if (u == null) {
      return;
    }
    var agents = platform.agents();
    List<Views.AgentRow> rows = new ArrayList<>();
    if (agents != null) {
      for (AgentRegistry.Agent a : agents.registry().list()) {
        rows.add(row(a));
      }
    }
    console.render(
        ctx, "agents.jte", new Views.Agents(u, agents != null, rows, enroll, message, error));
  }

  static Views.AgentRow row(AgentRegistry.Agent a) {
    JsonNode hb = null;
    try {
      hb = a.heartbeat() == null ? null : JSON.readTree(a.heartbeat());
    } catch (IOException damaged) {
      // shown without heartbeat details
    }
    // the console tells an agent never heard from (its command not yet run) from a working one
    String status = a.health().equals("active") && a.lastSeen() == null ? "enrolled" : a.health();
    return new Views.AgentRow(
        a.id(),
        a.name(),
        a.version() == null ? "" : a.version(),
        status,
        a.lastSeen() == null ? "never" : Console.TIME.format(Instant.ofEpochMilli(a.lastSeen())),
        hb == null ? "" : uptime(hb.path("uptime_s").asLong()),
        hb == null
            ? ""
            : String.format(Locale.ROOT, "%.0f%%", hb.path("wal_fill").asDouble() * 100),
        hb == null ? "" : hb.path("watch_mode").asText(""),
        hb == null ? "" : String.format(Locale.ROOT, "%.1f%%", hb.path("cpu").asDouble()),
        hb == null ? "" : String.format(Locale.ROOT, "%.0f MB", hb.path("rss_mb").asDouble()),
        a.records(),
        a.duplicates(),
        hb == null ? 0 : hb.path("wal_refused").asLong() + hb.path("wal_dropped").asLong(),
        a.certExpiresAt() == null
            ? ""
            : Instant.ofEpochMilli(a.certExpiresAt())
                .atOffset(ZoneOffset.UTC)
                .toLocalDate()
                .toString(),
        a.active()
            && a.certExpiresAt() != null
            && a.certExpiresAt() - System.currentTimeMillis()
                <= dev.rampart.server.agents.AgentService.CERT_WARNING.toMillis(),
        certNote(a, hb));
  }

  // what the certificate column says under the date: a renewal under way or failing
  private static String certNote(AgentRegistry.Agent a, JsonNode hb) {
    String error = hb == null ? "" : hb.path("cert_renewal_error").asText("");
    if (!error.isEmpty() && !error.equals("null")) {
      return error;
    }
    return a.pendingSerial() != null ? "renewed, not used yet" : "";
  }

  private static String uptime(long s) {
    return s >= 86_400 ? s / 86_400 + " d" : s >= 3600 ? s / 3600 + " h" : s / 60 + " min";
  }

  private void token(Context ctx) throws CaseException {
    Views.User u = console.changer(ctx, Permission.AGENTS_WRITE);
    if (u == null) {
      return;
    }
    var agents = platform.agents();
    if (agents == null) {
      ctx.status(409);
      show(ctx, null, null, "The agents' port is off: set agents: {enabled: true} in the config.");
      return;
    }
    String t = agents.registry().createToken(u.name(), Duration.ofHours(1));
    String command =
        "rampart agent enroll --server https://"
            + ctx.host().replaceAll(":\\d+$", "")
            + ":"
            + agents.port()
            + " --fingerprint "
            + agents.fingerprint()
            + " --token "
            + t
            + " --data /var/lib/rampart-agent";
    show(
        ctx,
        command,
        "Enrolment token made, valid one hour for one agent; it is not shown again.",
        null);
  }

  private void revoke(Context ctx) throws CaseException {
    Views.User u = console.changer(ctx, Permission.AGENTS_WRITE);
    if (u == null) {
      return;
    }
    var agents = platform.agents();
    String id = ctx.formParam("id");
    if (agents == null || id == null) {
      ctx.status(400);
      show(ctx, null, null, "No such agent.");
      return;
    }
    try {
      agents.registry().revoke(id, u.name());
      show(ctx, null, "Agent " + id + " revoked: its certificate is refused from now on.", null);
    } catch (CaseException e) {
      ctx.status(404);
      show(ctx, null, null, e.getMessage());
    }
  }
}
