package dev.rampart.server.agents;

import dev.rampart.cases.db.Db;
import dev.rampart.cases.incident.CaseException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * Enrolled agents and enrolment tokens, in the case database. A token is random, shown once, stored
 * as its SHA-256, expires, and enrols one agent; an agent's row holds the serial of the certificate
 * it was given (a certificate whose serial no longer matches, or whose agent is revoked, is
 * refused) and when it expires, the serial of a renewed certificate not used yet, the point below
 * which all its records were accepted ({@code next_seq}, the deduplication point), and its last
 * heartbeat. Every change is in the audit chain.
 */
public final class AgentRegistry {
  /** An agent as the registry holds it; {@code heartbeat} is the last one's JSON, or null. */
  public record Agent(
      String id,
      String name,
      String version,
      String certSerial,
      long enrolledAt,
      String status,
      long nextSeq,
      long records,
      long duplicates,
      Long lastSeen,
      String heartbeat,
      Long silentSince,
      String pendingSerial,
      Long certExpiresAt) {
    public boolean active() {
      return status.equals("active");
    }

    /** What lists show: active, silent (no heartbeat for too long), or revoked. */
    public String health() {
      return active() ? (silentSince != null ? "silent" : "active") : status;
    }

    /** Whether {@code serial} (hex) is this agent's certificate or its renewed, unused one. */
    public boolean holds(String serial) {
      return serial.equals(certSerial) || serial.equals(pendingSerial);
    }
  }

  /** A certificate the CA signed: its serial (hex) and end (epoch ms). */
  public record Issued(String serial, long expiresAt) {}

  /** What enrolment and renewal need from the caller once the request is good: a certificate. */
  public interface Issuer {
    Issued issue(String agentId) throws java.security.GeneralSecurityException;
  }

  static final String PREFIX = "rae_";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String COLUMNS =
      "id, name, version, cert_serial, enrolled_at, status, next_seq, records, duplicates,"
          + " last_seen, heartbeat, silent_since, pending_serial, cert_expires_at";

  private final Db db;

  public AgentRegistry(Db db) {
    this.db = db;
    db.migrate("classpath:db/agents", "flyway_agents_history");
  }

  /** A new one-time enrolment token valid for {@code ttl}; its text is returned once. */
  public String createToken(String actor, Duration ttl) throws CaseException {
    byte[] r = new byte[32];
    RANDOM.nextBytes(r);
    String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(r);
    long now = db.now();
    db.tx(
        c -> {
          Db.update(
              c,
              "INSERT INTO agent_tokens (hash, created_by, created_at, expires_at) VALUES (?,?,?,?)",
              hash(token),
              actor,
              now,
              now + ttl.toMillis());
          db.audit(
              c,
              actor,
              "agent.token",
              hash(token).substring(0, 12),
              "valid " + ttl.toMinutes() + " min");
          return null;
        });
    return token;
  }

  /**
   * Redeems {@code token} for a new agent called {@code name}: refused (INVALID) when unknown, used
   * or expired; otherwise the token is spent, the issuer signs the certificate, and the agent is
   * recorded, all in one transaction.
   */
  public Agent enroll(String token, String name, String version, Issuer issuer)
      throws CaseException {
    long now = db.now();
    String h = hash(token == null ? "" : token);
    return db.tx(
        c -> {
          // the lookup is by hash: comparing a stored hash leaks nothing about the token's text
          List<long[]> t =
              Db.query(
                  c,
                  "SELECT expires_at, CASE WHEN used_at IS NULL THEN 0 ELSE 1 END"
                      + " FROM agent_tokens WHERE hash = ?",
                  r -> new long[] {r.getLong(1), r.getLong(2)},
                  h);
          if (t.isEmpty() || t.get(0)[1] == 1 || t.get(0)[0] < now) {
            throw new CaseException(
                CaseException.Kind.INVALID,
                "the enrolment token is unknown, already used or expired; ask an admin for a new"
                    + " one (POST /api/agents/tokens)");
          }
          String id = "agt-" + Db.newId().substring(0, 8);
          Issued cert = issue(issuer, id);
          Db.update(
              c, "UPDATE agent_tokens SET used_at = ?, used_by = ? WHERE hash = ?", now, id, h);
          Db.update(
              c,
              "INSERT INTO agents (id, name, version, cert_serial, enrolled_at, status, next_seq,"
                  + " records, duplicates, cert_expires_at) VALUES (?,?,?,?,?,'active',0,0,0,?)",
              id,
              name,
              version,
              cert.serial(),
              now,
              cert.expiresAt());
          db.audit(c, "agent:" + id, "agent.enroll", id, name + " " + version);
          return new Agent(
              id,
              name,
              version,
              cert.serial(),
              now,
              "active",
              0,
              0,
              0,
              null,
              null,
              null,
              null,
              cert.expiresAt());
        });
  }

  /**
   * Renews the certificate of active agent {@code id}, which called with its current one: the new
   * one is pending, and the current one stays good until the new one is first used ({@link
   * #promote}), so an agent that fails to keep the answer renews again with the old. A second
   * renewal before that replaces the pending one.
   */
  public Issued renew(String id, Issuer issuer) throws CaseException {
    return db.tx(
        c -> {
          Agent a = find(c, id);
          if (a == null || !a.active()) {
            throw new CaseException(
                CaseException.Kind.CONFLICT, "agent " + id + " is revoked or unknown");
          }
          Issued cert = issue(issuer, id);
          Db.update(c, "UPDATE agents SET pending_serial = ? WHERE id = ?", cert.serial(), id);
          db.audit(
              c,
              "agent:" + id,
              "agent.renew",
              id,
              "serial "
                  + cert.serial()
                  + " until "
                  + java.time.Instant.ofEpochMilli(cert.expiresAt()));
          return cert;
        });
  }

  /**
   * Records that agent {@code id} now uses certificate {@code serial} ending at {@code expiresAt}:
   * a pending (renewed) one becomes its certificate and the one before is refused from now on; for
   * its current one this only fills in a missing end.
   */
  public void promote(String id, String serial, long expiresAt) throws CaseException {
    db.tx(
        c -> {
          Agent a = find(c, id);
          if (a == null) {
            return null;
          }
          if (serial.equals(a.pendingSerial())) {
            Db.update(
                c,
                "UPDATE agents SET cert_serial = ?, pending_serial = NULL, cert_expires_at = ?"
                    + " WHERE id = ? AND pending_serial = ?",
                serial,
                expiresAt,
                id,
                serial);
            db.audit(
                c,
                "agent:" + id,
                "agent.cert",
                id,
                "now uses serial " + serial + "; serial " + a.certSerial() + " is refused");
          } else if (serial.equals(a.certSerial()) && a.certExpiresAt() == null) {
            Db.update(c, "UPDATE agents SET cert_expires_at = ? WHERE id = ?", expiresAt, id);
          }
          return null;
        });
  }

  private static Issued issue(Issuer issuer, String id) throws CaseException {
    try {
      return issuer.issue(id);
    } catch (java.security.GeneralSecurityException e) {
      throw new CaseException(CaseException.Kind.INVALID, e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new CaseException(CaseException.Kind.INVALID, e.getMessage());
    }
  }

  private static Agent find(java.sql.Connection c, String id) throws SQLException {
    List<Agent> a =
        Db.query(c, "SELECT " + COLUMNS + " FROM agents WHERE id = ?", AgentRegistry::row, id);
    return a.isEmpty() ? null : a.get(0);
  }

  /** The agent, or null. */
  public Agent find(String id) throws CaseException {
    return db.tx(c -> find(c, id));
  }

  /** Every agent, by name. */
  public List<Agent> list() throws CaseException {
    return db.tx(
        c ->
            Db.query(
                c, "SELECT " + COLUMNS + " FROM agents ORDER BY name, id", AgentRegistry::row));
  }

  /**
   * Records that the agent's records up to {@code next} (exclusive) are in: {@code accepted} new
   * ones, {@code duplicates} already held. The point only moves forward.
   */
  public void advance(String id, long next, long accepted, long duplicates) throws CaseException {
    long now = db.now();
    db.tx(
        c ->
            Db.update(
                c,
                "UPDATE agents SET next_seq = CASE WHEN next_seq > ? THEN next_seq ELSE ? END,"
                    + " records = records + ?, duplicates = duplicates + ?, last_seen = ?,"
                    + " silent_since = NULL WHERE id = ?",
                next,
                next,
                accepted,
                duplicates,
                now,
                id));
  }

  /** The agent's last heartbeat (JSON) and version; it is no longer silent. */
  public void heartbeat(String id, String json, String version) throws CaseException {
    long now = db.now();
    db.tx(
        c ->
            Db.update(
                c,
                "UPDATE agents SET heartbeat = ?, version = ?, last_seen = ?, silent_since = NULL"
                    + " WHERE id = ?",
                json,
                version,
                now,
                id));
  }

  /**
   * Active agents not heard from since {@code cutoff} that were not yet marked silent: marked now
   * (so each silence is reported once) and returned.
   */
  public List<Agent> markSilent(long cutoff) throws CaseException {
    long now = db.now();
    return db.tx(
        c -> {
          List<Agent> silent =
              Db.query(
                  c,
                  "SELECT "
                      + COLUMNS
                      + " FROM agents WHERE status = 'active' AND silent_since IS NULL"
                      + " AND COALESCE(last_seen, enrolled_at) < ?",
                  AgentRegistry::row,
                  cutoff);
          for (Agent a : silent) {
            Db.update(c, "UPDATE agents SET silent_since = ? WHERE id = ?", now, a.id());
          }
          return silent;
        });
  }

  /** Revokes an agent: its certificate is refused from now on. */
  public void revoke(String id, String actor) throws CaseException {
    db.tx(
        c -> {
          if (Db.update(c, "UPDATE agents SET status = 'revoked' WHERE id = ?", id) == 0) {
            throw new CaseException(CaseException.Kind.NOT_FOUND, "no agent " + id);
          }
          db.audit(c, actor, "agent.revoke", id, "");
          return null;
        });
  }

  private static Agent row(ResultSet r) throws SQLException {
    return new Agent(
        r.getString(1),
        r.getString(2),
        r.getString(3),
        r.getString(4),
        r.getLong(5),
        r.getString(6),
        r.getLong(7),
        r.getLong(8),
        r.getLong(9),
        Db.nullableLong(r, 10),
        r.getString(11),
        Db.nullableLong(r, 12),
        r.getString(13),
        Db.nullableLong(r, 14));
  }

  static String hash(String token) {
    return dev.rampart.auth.AccessStore.sha256(token);
  }
}
