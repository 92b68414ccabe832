package dev.rampart.server.console;

import dev.rampart.auth.AccessStore;
import dev.rampart.auth.Permission;
import dev.rampart.auth.Role;
import dev.rampart.cases.incident.CaseException;
import dev.rampart.cases.yaml.Doc;
import dev.rampart.playbooks.playbook.Playbook;
import dev.rampart.server.Platform;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The settings pages: users (role, tenants, disable), roles (custom ones from permissions), the
 * signed-in user's API tokens (made, shown once, revoked), the inputs listening, the playbooks
 * loaded. Every change goes through the same stores as the API, so it is checked and audited the
 * same way.
 */
final class SettingsPages {
  private final Console console;
  private final Platform platform;
  private final AccessStore access;

  SettingsPages(Console console, Platform platform, AccessStore access) {
    this.console = console;
    this.platform = platform;
    this.access = access;
  }

  void register(JavalinConfig config) {
    config.routes.get("/settings", ctx -> show(ctx, null, null, null));
    config.routes.post("/settings/users", this::addUser);
    config.routes.post("/settings/users/role", this::setRole);
    config.routes.post("/settings/users/tenants", this::setTenants);
    config.routes.post("/settings/users/disabled", this::setDisabled);
    config.routes.post("/settings/roles", this::addRole);
    config.routes.post("/settings/tokens", this::addToken);
    config.routes.post("/settings/tokens/revoke", this::revokeToken);
    config.routes.get("/audit", this::audit);
  }

  /** Audit entries on one page. */
  private static final int AUDIT_PAGE = 100;

  /**
   * The audit trail, newest first: who did what to what, by actor and by action (a prefix such as
   * {@code incident.}), a page at a time; with {@code verify}, the hash chain recomputed and the
   * first broken entry named.
   */
  private void audit(Context ctx) throws CaseException {
    Views.User u = console.user(ctx, Permission.AUDIT_READ);
    if (u == null) {
      return;
    }
    String actor = strip(ctx.queryParam("actor"));
    String action = strip(ctx.queryParam("action"));
    Long before = null;
    try {
      String b = strip(ctx.queryParam("before"));
      before = b.isEmpty() ? null : Long.valueOf(b);
    } catch (NumberFormatException e) {
      // a hand-edited address: the newest page
    }
    var entries =
        platform
            .cases()
            .db()
            .audit(
                before,
                actor.isEmpty() ? null : actor,
                action.isEmpty() ? null : action,
                AUDIT_PAGE);
    List<Views.AuditRow> rows = new ArrayList<>();
    for (var e : entries) {
      rows.add(
          new Views.AuditRow(e.seq(), time(e.at()), e.actor(), e.action(), e.target(), e.detail()));
    }
    String filters =
        "actor="
            + dev.rampart.server.search.SearchWindow.encode(actor)
            + "&action="
            + dev.rampart.server.search.SearchWindow.encode(action);
    String older =
        entries.size() < AUDIT_PAGE
            ? null
            : "/audit?" + filters + "&before=" + entries.getLast().seq();
    String check = null;
    if (ctx.queryParam("verify") != null) {
      var c = platform.cases().db().verifyAudit();
      check =
          c.intact()
              ? "Intact: the hash chain of all " + c.entries() + " entries checks out."
              : "Broken at entry " + c.brokenAt() + ": " + c.problem();
    }
    console.render(ctx, "audit.jte", new Views.Audit(u, rows, actor, action, older, check));
  }

  private static String strip(String s) {
    return s == null ? "" : s.strip();
  }

  private static String time(Long ms) {
    return ms == null ? "" : Console.TIME.format(Instant.ofEpochMilli(ms));
  }

  private static String codes(Set<Permission> ps) {
    List<String> out = new ArrayList<>();
    for (Permission p : EnumSet.copyOf(ps.isEmpty() ? EnumSet.noneOf(Permission.class) : ps)) {
      out.add(p.code());
    }
    return String.join(" ", out);
  }

  private void show(Context ctx, String newToken, String message, String error)
      throws CaseException {
    Views.User u = console.user(ctx, null);
    if (u == null) {
      return;
    }
    boolean admin = u.may(Permission.USERS_ADMIN);
    long now = platform.cases().now();
    List<Views.UserRow> users = new ArrayList<>();
    List<Views.RoleRow> roles = new ArrayList<>();
    List<String> inputs = new ArrayList<>();
    if (admin) {
      for (AccessStore.User x : access.users()) {
        Set<String> t = access.tenantsOf(x.name());
        String state =
            x.disabled()
                ? "disabled"
                : x.lockedUntil() != null && x.lockedUntil() > now
                    ? "locked until " + time(x.lockedUntil())
                    : "active";
        users.add(
            new Views.UserRow(
                x.name(), x.role(), t.isEmpty() ? "all" : String.join(", ", t), state));
      }
      for (Role r : access.roles()) {
        roles.add(new Views.RoleRow(r.name(), codes(r.permissions()), r.builtIn()));
      }
      inputs.addAll(platform.describe());
      var tenants = new java.util.TreeMap<>(platform.config().tenants());
      tenants.forEach(
          (input, tenant) -> inputs.add("input " + input + " belongs to tenant " + tenant));
    }
    List<Views.TokenRow> tokens = new ArrayList<>();
    for (AccessStore.TokenInfo t : access.tokens(u.name())) {
      String state =
          t.revokedAt() != null ? "revoked" : t.expiresAt() <= now ? "expired" : "active";
      tokens.add(
          new Views.TokenRow(
              t.id(),
              t.name(),
              t.scopes().isEmpty() ? "all of your role's" : codes(t.scopes()),
              time(t.createdAt()),
              time(t.expiresAt()),
              t.lastUsedAt() == null ? "never" : time(t.lastUsedAt()),
              state));
    }
    List<Views.PlaybookRow> playbooks = new ArrayList<>();
    if (u.may(Permission.PLAYBOOKS_READ)) {
      for (Playbook b : platform.playbooks().playbooks()) {
        List<String> on = new ArrayList<>();
        if (b.on().alerts()) {
          on.add("alerts" + (b.on().minLevel() == null ? "" : " ≥ " + b.on().minLevel()));
        }
        if (!b.on().incident().isEmpty()) {
          on.add("incident " + String.join(", ", new TreeSet<>(b.on().incident())));
        }
        playbooks.add(
            new Views.PlaybookRow(
                b.name(),
                b.file(),
                b.enabled(),
                String.join("; ", on),
                String.join(" → ", b.steps().stream().map(s -> s.action()).toList())));
      }
    }
    List<String> permissions = new ArrayList<>();
    for (Permission x : Permission.values()) {
      if (u.may(x)) {
        permissions.add(x.code());
      }
    }
    console.render(
        ctx,
        "settings.jte",
        new Views.Settings(
            u,
            admin,
            users,
            roles,
            tokens,
            inputs,
            playbooks,
            permissions,
            newToken,
            message,
            error));
  }

  /** Runs an admin's change; shows the page again with what happened. */
  private interface Change {
    String run(Views.User u) throws CaseException;
  }

  private void change(Context ctx, Permission needed, Change c) throws CaseException {
    Views.User u = console.changer(ctx, needed);
    if (u == null) {
      return;
    }
    try {
      show(ctx, null, c.run(u), null);
    } catch (CaseException e) {
      ctx.status(e.kind() == CaseException.Kind.NOT_FOUND ? 404 : 400);
      show(ctx, null, null, e.getMessage());
    }
  }

  private static String form(Context ctx, String name) {
    String v = ctx.formParam(name);
    return v == null ? "" : v.strip();
  }

  private void addUser(Context ctx) throws CaseException {
    change(
        ctx,
        Permission.USERS_ADMIN,
        u -> {
          access.createUser(
              form(ctx, "name"), form(ctx, "role"), ctx.formParam("password"), u.name());
          return "User " + form(ctx, "name") + " added.";
        });
  }

  private void setRole(Context ctx) throws CaseException {
    change(
        ctx,
        Permission.USERS_ADMIN,
        u -> {
          access.setRole(form(ctx, "name"), form(ctx, "role"), u.name());
          return form(ctx, "name") + " is now " + form(ctx, "role") + ".";
        });
  }

  private void setTenants(Context ctx) throws CaseException {
    change(
        ctx,
        Permission.USERS_ADMIN,
        u -> {
          Set<String> tenants = new LinkedHashSet<>();
          for (String t : form(ctx, "tenants").split("[,\\s]+")) {
            if (!t.isBlank()) {
              tenants.add(t);
            }
          }
          Set<String> now = access.setTenants(form(ctx, "name"), tenants, u.name());
          return form(ctx, "name")
              + " sees "
              + (now.isEmpty() ? "every tenant" : "tenants " + String.join(", ", now))
              + ".";
        });
  }

  private void setDisabled(Context ctx) throws CaseException {
    change(
        ctx,
        Permission.USERS_ADMIN,
        u -> {
          boolean off = "true".equals(ctx.formParam("disabled"));
          if (off && form(ctx, "name").equals(u.name())) {
            throw new CaseException(CaseException.Kind.INVALID, "you cannot disable yourself");
          }
          access.setDisabled(form(ctx, "name"), off, u.name());
          return form(ctx, "name") + (off ? " can no longer sign in." : " can sign in again.");
        });
  }

  private void addRole(Context ctx) throws CaseException {
    change(
        ctx,
        Permission.USERS_ADMIN,
        u -> {
          Set<Permission> ps = AccessStore.parsePermissions(ctx.formParams("permissions"));
          access.createRole(form(ctx, "name"), ps, u.name());
          return "Role " + form(ctx, "name") + " added.";
        });
  }

  private void addToken(Context ctx) throws CaseException {
    Views.User u = console.changer(ctx, null);
    if (u == null) {
      return;
    }
    try {
      Duration d = Doc.duration(form(ctx, "expires_in"));
      if (d == null) {
        throw new CaseException(
            CaseException.Kind.INVALID, "the lifetime is a duration such as 90d");
      }
      Set<Permission> scopes = AccessStore.parsePermissions(ctx.formParams("scopes"));
      for (Permission x : scopes) {
        if (!u.may(x)) {
          throw new CaseException(
              CaseException.Kind.INVALID, "you cannot grant " + x.code() + ": you do not have it");
        }
      }
      AccessStore.NewToken t =
          access.createToken(
              u.name(),
              form(ctx, "name"),
              scopes,
              Instant.ofEpochMilli(platform.cases().now()).plus(d),
              u.name());
      show(
          ctx,
          t.token(),
          "Token " + t.info().name() + " made; copy it now, it is not shown again.",
          null);
    } catch (CaseException e) {
      ctx.status(400);
      show(ctx, null, null, e.getMessage());
    }
  }

  private void revokeToken(Context ctx) throws CaseException {
    Views.User u = console.changer(ctx, null);
    if (u == null) {
      return;
    }
    String id = form(ctx, "id");
    boolean mine = access.tokens(u.name()).stream().anyMatch(t -> t.id().equals(id));
    if (!mine) {
      ctx.status(404);
      show(ctx, null, null, "no token " + id + " of yours");
      return;
    }
    access.revokeToken(id, u.name());
    show(ctx, null, "Token revoked.", null);
  }
}
