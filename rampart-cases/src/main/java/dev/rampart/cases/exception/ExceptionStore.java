package dev.rampart.cases.exception;

import dev.rampart.cases.db.Db;
import dev.rampart.cases.incident.CaseException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * Alert exceptions in the case database. Adding and revoking are audited (who, when, why); every
 * silenced alert counts a hit. The active set is cached (reloaded after each change and every five
 * seconds), so the alert path asks {@link #match} without a query per alert.
 */
public final class ExceptionStore {
  /** The longest an exception may last: a silenced rule must come back for review. */
  public static final Duration MAX_DURATION = Duration.ofDays(365);

  private final Db db;
  private volatile List<AlertException> active;
  private volatile long loadedAt;
  private static final long RELOAD_NANOS = 5_000_000_000L;

  public ExceptionStore(Db db) {
    this.db = db;
  }

  /**
   * Adds an exception; {@code actor} is recorded in the audit trail.
   *
   * @param host null or blank: every host
   * @param user null or blank: every user
   */
  public AlertException add(
      String ruleId, String host, String user, String reason, long expiresAt, String actor)
      throws CaseException {
    long now = db.now();
    if (ruleId == null || ruleId.isBlank() || ruleId.length() > 200) {
      throw invalid("rule: the id of the rule to silence (1 to 200 characters)");
    }
    if (reason == null || reason.isBlank() || reason.length() > 2000) {
      throw invalid("reason: why the rule is silenced (1 to 2,000 characters)");
    }
    if (actor == null || actor.isBlank()) {
      throw invalid("an exception needs the analyst who adds it");
    }
    if (expiresAt <= now) {
      throw invalid("expires: a time in the future");
    }
    if (expiresAt - now > MAX_DURATION.toMillis()) {
      throw invalid("expires: at most " + MAX_DURATION.toDays() + " days from now");
    }
    String h = blankToNull(host);
    String u = blankToNull(user);
    String id = Db.newId();
    AlertException out =
        db.tx(
            c -> {
              Db.update(
                  c,
                  "INSERT INTO alert_exceptions (id, rule_id, host, user_name, reason, created_by,"
                      + " created_at, expires_at, hits) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)",
                  id,
                  ruleId,
                  h,
                  u,
                  reason,
                  actor,
                  now,
                  expiresAt);
              db.audit(
                  c,
                  actor,
                  "exception.add",
                  id,
                  "rule "
                      + ruleId
                      + " host "
                      + (h == null ? "*" : h)
                      + " user "
                      + (u == null ? "*" : u)
                      + " until "
                      + java.time.Instant.ofEpochMilli(expiresAt)
                      + ": "
                      + reason);
              return get(c, id);
            });
    active = null;
    return out;
  }

  /** Revokes an exception (it stays listed, with who revoked it). */
  public AlertException revoke(String id, String actor) throws CaseException {
    long now = db.now();
    AlertException out =
        db.tx(
            c -> {
              AlertException e = get(c, id);
              if (e.revokedAt() != null) {
                throw new CaseException(
                    CaseException.Kind.CONFLICT, "exception " + id + " is already revoked");
              }
              Db.update(
                  c,
                  "UPDATE alert_exceptions SET revoked_at = ?, revoked_by = ? WHERE id = ?",
                  now,
                  actor,
                  id);
              db.audit(c, actor, "exception.revoke", id, "rule " + e.ruleId());
              return get(c, id);
            });
    active = null;
    return out;
  }

  /** All exceptions, newest first (expired and revoked ones too, for the record). */
  public List<AlertException> list() throws CaseException {
    return db.tx(
        c ->
            Db.query(
                c,
                "SELECT " + COLUMNS + " FROM alert_exceptions ORDER BY created_at DESC, id",
                ExceptionStore::row));
  }

  /**
   * The exception that silences an alert of {@code ruleId} on {@code host}/{@code user} now, with
   * its hit counted; null when none does.
   */
  public AlertException match(String ruleId, String host, String user) throws CaseException {
    long now = db.now();
    List<AlertException> a = active;
    // Reloaded after our own changes at once, and every few seconds for other processes' (the
    // CLI adds exceptions beside a running server).
    if (a == null || System.nanoTime() - loadedAt > RELOAD_NANOS) {
      a =
          db.tx(
              c ->
                  Db.query(
                      c,
                      "SELECT "
                          + COLUMNS
                          + " FROM alert_exceptions WHERE revoked_at IS NULL AND expires_at > ?",
                      ExceptionStore::row,
                      now));
      active = a;
      loadedAt = System.nanoTime();
    }
    for (AlertException e : a) {
      if (e.covers(ruleId, host, user, now)) {
        db.tx(
            c -> Db.update(c, "UPDATE alert_exceptions SET hits = hits + 1 WHERE id = ?", e.id()));
        return e;
      }
    }
    return null;
  }

  private static AlertException get(java.sql.Connection c, String id)
      throws SQLException, CaseException {
    List<AlertException> found =
        Db.query(
            c,
            "SELECT " + COLUMNS + " FROM alert_exceptions WHERE id = ?",
            ExceptionStore::row,
            id);
    if (found.isEmpty()) {
      throw new CaseException(CaseException.Kind.NOT_FOUND, "no exception " + id);
    }
    return found.get(0);
  }

  private static final String COLUMNS =
      "id, rule_id, host, user_name, reason, created_by, created_at, expires_at, revoked_at,"
          + " revoked_by, hits";

  private static AlertException row(ResultSet r) throws SQLException {
    return new AlertException(
        r.getString(1),
        r.getString(2),
        r.getString(3),
        r.getString(4),
        r.getString(5),
        r.getString(6),
        r.getLong(7),
        r.getLong(8),
        Db.nullableLong(r, 9),
        r.getString(10),
        r.getLong(11));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static CaseException invalid(String message) {
    return new CaseException(CaseException.Kind.INVALID, message);
  }
}
