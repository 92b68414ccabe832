package dev.rampart.auth;

import dev.rampart.cases.db.Db;
import dev.rampart.cases.incident.CaseException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Users, roles and API tokens in the case database, every change and every login in the
 * hash-chained audit trail.
 *
 * <ul>
 *   <li>Passwords are Argon2id ({@link Passwords}); five wrong passwords in a row lock the account
 *       for fifteen minutes; the caller is told only "wrong name or password" either way, the audit
 *       trail says which.
 *   <li>A token is shown once when made; only its SHA-256 is stored. It carries scopes (a subset of
 *       its user's permissions, which it can never exceed even if the role later grows) and an
 *       expiry of at most a year. A disabled user's tokens stop working.
 * </ul>
 *
 * <pre>{@code
 * AccessStore access = new AccessStore(cases.db());
 * String password = access.ensureAdmin();              // first start: the one-time admin password
 * AccessStore.NewToken t = access.createToken("admin", "ci", Set.of(Permission.INCIDENTS_READ),
 *     Instant.now().plus(Duration.ofDays(90)), "admin");
 * Principal p = access.authenticate(t.token());         // per request
 * }</pre>
 */
public final class AccessStore {
  public static final int MAX_FAILURES = 5;
  public static final Duration LOCKOUT = Duration.ofMinutes(15);
  public static final Duration MAX_TOKEN_LIFE = Duration.ofDays(366);

  /** Tokens start with this, so secret scanners and people recognise them. */
  public static final String TOKEN_PREFIX = "rpt_";

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._@-]{0,63}");
  private static final SecureRandom RANDOM = new SecureRandom();
  // A token's last use is written (and audited) at most this often, not on every request.
  private static final long TOUCH_MILLIS = 3_600_000L;

  private final Db db;

  public AccessStore(Db db) {
    this.db = db;
  }

  /** A user as listed (never with the password hash). */
  public record User(
      String name,
      String role,
      long createdAt,
      int failedLogins,
      Long lockedUntil,
      boolean disabled) {}

  /** A token as listed (never with the token). */
  public record TokenInfo(
      String id,
      String user,
      String name,
      Set<Permission> scopes,
      long createdAt,
      long expiresAt,
      Long lastUsedAt,
      Long revokedAt) {}

  /** A token just made: {@code token} is shown this once and never stored. */
  public record NewToken(String token, TokenInfo info) {}

  // ---- roles ----

  /** The role called {@code name}: built-in or custom; null when there is none. */
  public Role role(String name) throws CaseException {
    for (Role r : Role.BUILT_IN) {
      if (r.name().equals(name)) {
        return r;
      }
    }
    return db.tx(
        c -> {
          List<Role> found =
              Db.query(
                  c,
                  "SELECT name, permissions FROM roles WHERE name = ?",
                  r -> new Role(r.getString(1), permissions(r.getString(2)), false),
                  name);
          return found.isEmpty() ? null : found.get(0);
        });
  }

  /** Every role, built-in first. */
  public List<Role> roles() throws CaseException {
    List<Role> out = new ArrayList<>(Role.BUILT_IN);
    out.addAll(
        db.tx(
            c ->
                Db.query(
                    c,
                    "SELECT name, permissions FROM roles ORDER BY name",
                    r -> new Role(r.getString(1), permissions(r.getString(2)), false))));
    return out;
  }

  /** Makes a custom role from permissions (e.g. a "responder" who may run playbooks). */
  public Role createRole(String name, Set<Permission> permissions, String actor)
      throws CaseException {
    checkName(name, "role");
    if (role(name) != null) {
      throw new CaseException(CaseException.Kind.CONFLICT, "there is already a role " + name);
    }
    if (permissions.isEmpty()) {
      throw invalid("a role needs at least one permission");
    }
    Role r = new Role(name, permissions, false);
    db.tx(
        c -> {
          Db.update(
              c,
              "INSERT INTO roles (name, permissions, created_at) VALUES (?, ?, ?)",
              name,
              codes(r.permissions()),
              db.now());
          db.audit(c, actor, "role.create", name, codes(r.permissions()));
          return null;
        });
    return r;
  }

  // ---- users ----

  /** Adds a user; {@code password} must pass {@link Passwords#weakness}. */
  public User createUser(String name, String role, String password, String actor)
      throws CaseException {
    checkName(name, "user");
    if (role(role) == null) {
      throw invalid("no role " + role + "; roles: " + roleNames());
    }
    String weak = Passwords.weakness(password);
    if (weak != null) {
      throw invalid(weak);
    }
    String hash = Passwords.hash(password);
    return db.tx(
        c -> {
          if (Db.exists(c, "SELECT 1 FROM users WHERE name = ?", name)) {
            throw new CaseException(CaseException.Kind.CONFLICT, "there is already a user " + name);
          }
          Db.update(
              c,
              "INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)",
              name,
              role,
              hash,
              db.now());
          db.audit(c, actor, "user.create", name, "role " + role);
          return user(c, name);
        });
  }

  /**
   * On first start (no users at all): makes {@code admin} with a random password and returns it, to
   * be shown once; null when users already exist.
   */
  public String ensureAdmin() throws CaseException {
    boolean none = db.tx(c -> !Db.exists(c, "SELECT 1 FROM users"));
    if (!none) {
      return null;
    }
    String password = Passwords.generate();
    createUser("admin", Role.ADMIN.name(), password, "server");
    return password;
  }

  public List<User> users() throws CaseException {
    return db.tx(
        c -> Db.query(c, "SELECT " + USER + " FROM users ORDER BY name", AccessStore::user));
  }

  public User setRole(String name, String role, String actor) throws CaseException {
    if (role(role) == null) {
      throw invalid("no role " + role + "; roles: " + roleNames());
    }
    return db.tx(
        c -> {
          User u = user(c, name);
          Db.update(c, "UPDATE users SET role = ? WHERE name = ?", role, name);
          db.audit(c, actor, "user.role", name, u.role() + " -> " + role);
          return user(c, name);
        });
  }

  public User setPassword(String name, String password, String actor) throws CaseException {
    String weak = Passwords.weakness(password);
    if (weak != null) {
      throw invalid(weak);
    }
    String hash = Passwords.hash(password);
    return db.tx(
        c -> {
          user(c, name);
          Db.update(
              c,
              "UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL WHERE"
                  + " name = ?",
              hash,
              name);
          db.audit(c, actor, "user.password", name, "changed");
          return user(c, name);
        });
  }

  /** Disables (or enables) a user: no login, and their tokens stop working. */
  public User setDisabled(String name, boolean disabled, String actor) throws CaseException {
    return db.tx(
        c -> {
          user(c, name);
          Db.update(c, "UPDATE users SET disabled = ? WHERE name = ?", disabled ? 1 : 0, name);
          db.audit(c, actor, disabled ? "user.disable" : "user.enable", name, "");
          return user(c, name);
        });
  }

  /**
   * Checks a name and password; the principal, or null ("wrong name or password" to the caller
   * whatever the reason; the audit trail records it). {@code source} is where the attempt came from
   * (an address), for the audit trail.
   */
  public Principal login(String presented, String password, String source) throws CaseException {
    // No account has a longer name; keep a hostile one out of the audit trail's rows.
    String name =
        presented != null && presented.length() > 200 ? presented.substring(0, 200) : presented;
    long now = db.now();
    String[] row =
        db.tx(
            c -> {
              List<String[]> r =
                  Db.query(
                      c,
                      "SELECT password_hash, role, disabled, locked_until FROM users WHERE name = ?",
                      x ->
                          new String[] {
                            x.getString(1),
                            x.getString(2),
                            Integer.toString(x.getInt(3)),
                            x.getObject(4) == null ? null : Long.toString(x.getLong(4))
                          },
                      name == null ? "" : name);
              return r.isEmpty() ? null : r.get(0);
            });
    boolean ok = Passwords.check(password == null ? "" : password, row == null ? null : row[0]);
    String why =
        row == null
            ? "no such user"
            : row[2].equals("1")
                ? "disabled"
                : row[3] != null && Long.parseLong(row[3]) > now
                    ? "locked until " + Instant.ofEpochMilli(Long.parseLong(row[3]))
                    : ok ? null : "wrong password";
    String who = name == null ? "-" : name;
    if (why != null) {
      db.tx(
          c -> {
            if (row != null && why.equals("wrong password")) {
              Db.update(
                  c, "UPDATE users SET failed_logins = failed_logins + 1 WHERE name = ?", name);
              int failed =
                  Db.query(
                          c,
                          "SELECT failed_logins FROM users WHERE name = ?",
                          r -> r.getInt(1),
                          name)
                      .get(0);
              if (failed >= MAX_FAILURES) {
                Db.update(
                    c,
                    "UPDATE users SET locked_until = ?, failed_logins = 0 WHERE name = ?",
                    now + LOCKOUT.toMillis(),
                    name);
                db.audit(c, who, "login.lockout", who, failed + " wrong passwords from " + source);
              }
            }
            db.audit(c, who, "login.failure", who, why + " (from " + source + ")");
            return null;
          });
      return null;
    }
    Role role = role(row[1]);
    Set<String> tenants =
        db.tx(
            c -> {
              Db.update(
                  c,
                  "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE name = ?",
                  name);
              db.audit(c, who, "login.success", who, "from " + source);
              return tenants(c, name);
            });
    return new Principal(
        name, row[1], role == null ? Set.of() : role.permissions(), "password", tenants);
  }

  /**
   * The principal {@code user} is now (their current role; null when disabled or gone), for a
   * session made earlier: a role change or a disable, even from the CLI, applies at the next
   * request.
   */
  public Principal current(String user, String via) throws CaseException {
    return db.tx(
        c -> {
          List<String[]> r =
              Db.query(
                  c,
                  "SELECT role, disabled FROM users WHERE name = ?",
                  x -> new String[] {x.getString(1), Integer.toString(x.getInt(2))},
                  user);
          if (r.isEmpty() || !r.get(0)[1].equals("0")) {
            return null;
          }
          Role role = role(c, r.get(0)[0]);
          return new Principal(
              user,
              r.get(0)[0],
              role == null ? Set.of() : role.permissions(),
              via,
              tenants(c, user));
        });
  }

  /**
   * A user who signed in through the identity provider: made on first login (without a password:
   * they cannot sign in with one), their role kept in step with their groups at every login.
   */
  public Principal externalLogin(String name, String role, String source, String detail)
      throws CaseException {
    checkName(name, "user");
    Role r = role(role);
    if (r == null) {
      throw invalid("the identity provider mapping names no role " + role);
    }
    return db.tx(
        c -> {
          List<User> u =
              Db.query(c, "SELECT " + USER + " FROM users WHERE name = ?", AccessStore::user, name);
          if (u.isEmpty()) {
            Db.update(
                c,
                "INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, NULL, ?)",
                name,
                role,
                db.now());
            db.audit(
                c, "oidc", "user.create", name, "role " + role + " from the identity provider");
          } else if (u.get(0).disabled()) {
            db.audit(c, name, "login.failure", name, "disabled (oidc, from " + source + ")");
            return null;
          } else if (!u.get(0).role().equals(role)) {
            Db.update(c, "UPDATE users SET role = ? WHERE name = ?", role, name);
            db.audit(c, "oidc", "user.role", name, u.get(0).role() + " -> " + role + " (groups)");
          }
          db.audit(c, name, "login.success", name, "oidc from " + source + ": " + detail);
          return new Principal(name, role, r.permissions(), "oidc", tenants(c, name));
        });
  }

  // ---- tokens ----

  /**
   * Makes a token for {@code user} with {@code scopes} (empty: everything the user's role allows)
   * until {@code expiresAt} (at most a year away).
   */
  public NewToken createToken(
      String user, String name, Set<Permission> scopes, Instant expiresAt, String actor)
      throws CaseException {
    if (name == null || name.isBlank() || name.length() > 100) {
      throw invalid("a token's name (what it is for) has 1 to 100 characters");
    }
    long now = db.now();
    if (expiresAt.toEpochMilli() <= now
        || expiresAt.toEpochMilli() - now > MAX_TOKEN_LIFE.toMillis()) {
      throw invalid("a token expires in the future, at most 366 days from now");
    }
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    String token = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    String id = Db.newId();
    return db.tx(
        c -> {
          User u = user(c, user);
          Role r = role(u.role());
          Set<Permission> granted = scopes.isEmpty() ? r.permissions() : scopes;
          for (Permission p : granted) {
            if (!r.allows(p)) {
              throw invalid("role " + r.name() + " of " + user + " does not allow " + p.code());
            }
          }
          Db.update(
              c,
              "INSERT INTO api_tokens (id, user_name, name, token_hash, scopes, created_at,"
                  + " expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
              id,
              user,
              name,
              sha256(token),
              codes(granted),
              now,
              expiresAt.toEpochMilli());
          db.audit(
              c, actor, "token.create", id, "for " + user + " (" + name + "): " + codes(granted));
          return new NewToken(token, token(c, id));
        });
  }

  /** Tokens of {@code user} (null: everyone's), newest first. */
  public List<TokenInfo> tokens(String user) throws CaseException {
    return db.tx(
        c ->
            Db.query(
                c,
                "SELECT "
                    + TOKEN
                    + " FROM api_tokens"
                    + (user == null ? " WHERE 1 = ?" : " WHERE user_name = ?")
                    + " ORDER BY created_at DESC, id",
                AccessStore::token,
                user == null ? (Object) 1 : user));
  }

  public TokenInfo revokeToken(String id, String actor) throws CaseException {
    return db.tx(
        c -> {
          TokenInfo t = token(c, id);
          if (t.revokedAt() != null) {
            throw new CaseException(
                CaseException.Kind.CONFLICT, "token " + id + " is already revoked");
          }
          Db.update(c, "UPDATE api_tokens SET revoked_at = ? WHERE id = ?", db.now(), id);
          db.audit(c, actor, "token.revoke", id, "of " + t.user() + " (" + t.name() + ")");
          return token(c, id);
        });
  }

  /** The principal a presented token stands for; null when it is unknown, expired or revoked. */
  public Principal authenticate(String presented) throws CaseException {
    if (presented == null || !presented.startsWith(TOKEN_PREFIX) || presented.length() > 200) {
      return null;
    }
    String hash = sha256(presented);
    long now = db.now();
    return db.tx(
        c -> {
          List<Object[]> rows =
              Db.query(
                  c,
                  "SELECT t.id, t.user_name, t.scopes, t.expires_at, t.revoked_at, t.last_used_at,"
                      + " u.role, u.disabled FROM api_tokens t JOIN users u ON u.name = t.user_name"
                      + " WHERE t.token_hash = ?",
                  r ->
                      new Object[] {
                        r.getString(1), r.getString(2), r.getString(3), r.getLong(4),
                        Db.nullableLong(r, 5), Db.nullableLong(r, 6), r.getString(7), r.getInt(8)
                      },
                  hash);
          if (rows.isEmpty()) {
            return null;
          }
          Object[] t = rows.get(0);
          if (t[4] != null || (Long) t[3] <= now || (Integer) t[7] != 0) {
            return null;
          }
          Role role = role(c, (String) t[6]);
          Set<Permission> perms = EnumSet.noneOf(Permission.class);
          if (role != null) {
            for (Permission p : permissions((String) t[2])) {
              if (role.allows(p)) {
                perms.add(p); // a token never exceeds its user's current role
              }
            }
          }
          Long last = (Long) t[5];
          if (last == null || now - last > TOUCH_MILLIS) {
            Db.update(c, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", now, t[0]);
            db.audit(c, (String) t[1], "token.use", (String) t[0], "first use this hour");
          }
          return new Principal(
              (String) t[1], (String) t[6], perms, "token:" + t[0], tenants(c, (String) t[1]));
        });
  }

  // ---- tenants ----

  private static Set<String> tenants(Connection c, String user) throws SQLException {
    return new java.util.TreeSet<>(
        Db.query(
            c, "SELECT tenant FROM user_tenants WHERE user_name = ?", r -> r.getString(1), user));
  }

  /** The tenants {@code user} is assigned (empty: they see every tenant). */
  public Set<String> tenantsOf(String user) throws CaseException {
    return db.tx(c -> tenants(c, user));
  }

  /**
   * Assigns {@code user} exactly {@code tenants} (empty: every tenant), audited. Applies at their
   * next request.
   */
  public Set<String> setTenants(String user, Set<String> tenants, String actor)
      throws CaseException {
    for (String t : tenants) {
      checkName(t, "tenant");
    }
    return db.tx(
        c -> {
          if (!Db.exists(c, "SELECT 1 FROM users WHERE name = ?", user)) {
            throw new CaseException(CaseException.Kind.NOT_FOUND, "no user " + user);
          }
          Set<String> before = tenants(c, user);
          Db.update(c, "DELETE FROM user_tenants WHERE user_name = ?", user);
          for (String t : new java.util.TreeSet<>(tenants)) {
            Db.update(c, "INSERT INTO user_tenants (user_name, tenant) VALUES (?, ?)", user, t);
          }
          Set<String> after = tenants(c, user);
          db.audit(
              c,
              actor,
              "user.tenants",
              user,
              (before.isEmpty() ? "all" : String.join(",", before))
                  + " -> "
                  + (after.isEmpty() ? "all" : String.join(",", after)));
          return after;
        });
  }

  // ---- helpers ----

  private Role role(Connection c, String name) throws SQLException {
    for (Role r : Role.BUILT_IN) {
      if (r.name().equals(name)) {
        return r;
      }
    }
    List<Role> found =
        Db.query(
            c,
            "SELECT name, permissions FROM roles WHERE name = ?",
            r -> new Role(r.getString(1), permissions(r.getString(2)), false),
            name);
    return found.isEmpty() ? null : found.get(0);
  }

  private String roleNames() throws CaseException {
    return String.join(", ", roles().stream().map(Role::name).toList());
  }

  private static final String USER =
      "name, role, created_at, failed_logins, locked_until, disabled";

  private static User user(java.sql.ResultSet r) throws SQLException {
    return new User(
        r.getString(1),
        r.getString(2),
        r.getLong(3),
        r.getInt(4),
        Db.nullableLong(r, 5),
        r.getInt(6) != 0);
  }

  private static User user(Connection c, String name) throws SQLException, CaseException {
    List<User> u =
        Db.query(c, "SELECT " + USER + " FROM users WHERE name = ?", AccessStore::user, name);
    if (u.isEmpty()) {
      throw new CaseException(CaseException.Kind.NOT_FOUND, "no user " + name);
    }
    return u.get(0);
  }

  private static final String TOKEN =
      "id, user_name, name, scopes, created_at, expires_at, last_used_at, revoked_at";

  private static TokenInfo token(java.sql.ResultSet r) throws SQLException {
    return new TokenInfo(
        r.getString(1),
        r.getString(2),
        r.getString(3),
        permissions(r.getString(4)),
        r.getLong(5),
        r.getLong(6),
        Db.nullableLong(r, 7),
        Db.nullableLong(r, 8));
  }

  private static TokenInfo token(Connection c, String id) throws SQLException, CaseException {
    List<TokenInfo> t =
        Db.query(c, "SELECT " + TOKEN + " FROM api_tokens WHERE id = ?", AccessStore::token, id);
    if (t.isEmpty()) {
      throw new CaseException(CaseException.Kind.NOT_FOUND, "no token " + id);
    }
    return t.get(0);
  }

  static String codes(Set<Permission> ps) {
    Set<String> out = new TreeSet<>();
    ps.forEach(p -> out.add(p.code()));
    return String.join(",", out);
  }

  static Set<Permission> permissions(String codes) {
    Set<Permission> out = new LinkedHashSet<>();
    for (String s : codes.split(",")) {
      Permission p = s.isBlank() ? null : Permission.parse(s);
      if (p != null) {
        out.add(p);
      }
    }
    return out;
  }

  /** Parses permission codes, refusing unknown ones. */
  public static Set<Permission> parsePermissions(List<String> codes) throws CaseException {
    Set<Permission> out = EnumSet.noneOf(Permission.class);
    for (String s : codes) {
      Permission p = Permission.parse(s);
      if (p == null) {
        List<String> known = new ArrayList<>();
        for (Permission x : Permission.values()) {
          known.add(x.code());
        }
        throw invalid("unknown permission '" + s + "'; permissions: " + String.join(", ", known));
      }
      out.add(p);
    }
    return out;
  }

  /** The SHA-256 of a secret's text, in hex: how tokens are stored. */
  public static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void checkName(String name, String what) throws CaseException {
    if (name == null || !NAME.matcher(name).matches()) {
      throw invalid(
          "a "
              + what
              + " name is 1 to 64 lower-case letters, digits or . _ @ -, starting with a"
              + " letter or digit");
    }
  }

  private static CaseException invalid(String m) {
    return new CaseException(CaseException.Kind.INVALID, m);
  }
}
