package dev.rampart.server.agents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.rampart.agent.response.Action;
import dev.rampart.agent.transport.Protocol;
import dev.rampart.cases.db.Db;
import dev.rampart.cases.incident.CaseException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Response actions ordered to agents: each is a {@link Protocol.Command} signed with the agent CA's
 * key, kept until its agent reports an outcome or it expires, and handed to the agent with its next
 * heartbeat answers (again until it reports: the agent's nonce makes a repeat harmless). Ordering
 * and every outcome are in the audit chain.
 */
public final class AgentActions {
  /** An action as kept, with what the agent reported. */
  public record Row(
      String id,
      String agentId,
      String action,
      Map<String, String> args,
      boolean dryRun,
      long undoAfterS,
      String issuedBy,
      long issuedAt,
      long expiresAt,
      String outcome,
      String detail,
      Long resultAt,
      Long undoneAt) {}

  static final ObjectMapper JSON =
      new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String COLUMNS =
      "id, agent_id, action, args, dry_run, undo_after_s, issued_by, issued_at, expires_at,"
          + " outcome, detail, result_at, undone_at";

  private final Db db;
  private final AgentRegistry registry;
  private final AgentCa ca;

  public AgentActions(Db db, AgentRegistry registry, AgentCa ca) {
    this.db = db;
    this.registry = registry;
    this.ca = ca;
  }

  /**
   * Orders {@code action} on an active agent.
   *
   * @throws CaseException NOT_FOUND for an unknown agent, INVALID for a revoked one, an unknown
   *     action, or bounds out of range
   */
  public Row issue(
      String agentId,
      String action,
      Map<String, String> args,
      boolean dryRun,
      Duration undoAfter,
      Duration ttl,
      String actor)
      throws CaseException {
    AgentRegistry.Agent a = registry.find(agentId);
    if (a == null) {
      throw new CaseException(CaseException.Kind.NOT_FOUND, "no agent " + agentId);
    }
    if (!a.active()) {
      throw new CaseException(CaseException.Kind.INVALID, "agent " + agentId + " is revoked");
    }
    if (Action.of(action) == null) {
      throw new CaseException(
          CaseException.Kind.INVALID, "action: one of " + String.join(", ", Action.ids()));
    }
    if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(Duration.ofDays(1)) > 0) {
      throw new CaseException(CaseException.Kind.INVALID, "ttl: more than 0, at most a day");
    }
    if (undoAfter.isNegative() || undoAfter.compareTo(Duration.ofDays(30)) > 0) {
      throw new CaseException(CaseException.Kind.INVALID, "undo_after: 0 to 30 days");
    }
    long now = db.now();
    byte[] n = new byte[16];
    RANDOM.nextBytes(n);
    Protocol.Command c =
        new Protocol.Command(
            "act-" + Db.newId().substring(0, 13),
            agentId,
            Action.of(action).id(),
            Map.copyOf(args),
            dryRun,
            undoAfter.toSeconds(),
            now,
            now + ttl.toMillis(),
            HexFormat.of().formatHex(n));
    String envelope;
    String argsJson;
    try {
      byte[] payload = JSON.writeValueAsBytes(c);
      envelope =
          JSON.writeValueAsString(
              new Protocol.Envelope(
                  Base64.getEncoder().encodeToString(payload),
                  Base64.getEncoder().encodeToString(ca.signCommand(payload))));
      argsJson = JSON.writeValueAsString(c.args());
    } catch (JsonProcessingException | GeneralSecurityException e) {
      throw new IllegalStateException("signing a command: " + e.getMessage(), e);
    }
    db.tx(
        x -> {
          Db.update(
              x,
              "INSERT INTO agent_actions (id, agent_id, action, args, dry_run, undo_after_s,"
                  + " issued_by, issued_at, expires_at, envelope) VALUES (?,?,?,?,?,?,?,?,?,?)",
              c.id(),
              agentId,
              c.action(),
              argsJson,
              dryRun ? 1 : 0,
              c.undoAfterS(),
              actor,
              now,
              c.expiresAt(),
              envelope);
          db.audit(
              x,
              actor,
              "agent.action",
              agentId,
              c.id() + " " + c.action() + " " + argsJson + (dryRun ? " (dry run)" : ""));
          return null;
        });
    return find(c.id());
  }

  /** Commands the agent has not reported on and that have not expired, oldest first. */
  public List<Protocol.Envelope> pending(String agentId) throws CaseException {
    long now = db.now();
    return db.tx(
        x ->
            Db.query(
                x,
                "SELECT envelope FROM agent_actions WHERE agent_id = ? AND outcome IS NULL"
                    + " AND expires_at > ? ORDER BY issued_at",
                r -> {
                  try {
                    return JSON.readValue(r.getString(1), Protocol.Envelope.class);
                  } catch (JsonProcessingException e) {
                    throw new java.sql.SQLException("a stored command does not parse", e);
                  }
                },
                agentId,
                now));
  }

  /**
   * Records an outcome the agent reported for one of its own commands (an undo sets undone_at and
   * keeps the first outcome's detail beside it); audited.
   */
  public void result(String agentId, String id, String outcome, String detail)
      throws CaseException {
    long now = db.now();
    db.tx(
        x -> {
          int n =
              outcome.startsWith("undo")
                  ? Db.update(
                      x,
                      "UPDATE agent_actions SET undone_at = ?, detail = ? WHERE id = ? AND agent_id = ?",
                      now,
                      outcome + ": " + detail,
                      id,
                      agentId)
                  : Db.update(
                      x,
                      "UPDATE agent_actions SET outcome = ?, detail = ?, result_at = ?"
                          + " WHERE id = ? AND agent_id = ? AND outcome IS NULL",
                      outcome,
                      detail,
                      now,
                      id,
                      agentId);
          if (n > 0) {
            db.audit(x, "agent:" + agentId, "agent.action." + outcome, id, detail);
          }
          return null;
        });
  }

  public Row find(String id) throws CaseException {
    return db.tx(
        x -> {
          List<Row> r =
              Db.query(
                  x,
                  "SELECT " + COLUMNS + " FROM agent_actions WHERE id = ?",
                  AgentActions::row,
                  id);
          return r.isEmpty() ? null : r.get(0);
        });
  }

  /** An agent's actions, newest first. */
  public List<Row> list(String agentId, int limit) throws CaseException {
    return db.tx(
        x ->
            Db.query(
                x,
                "SELECT "
                    + COLUMNS
                    + " FROM agent_actions WHERE agent_id = ? ORDER BY issued_at DESC LIMIT ?",
                AgentActions::row,
                agentId,
                limit));
  }

  private static Row row(java.sql.ResultSet r) throws java.sql.SQLException {
    Map<String, String> args;
    try {
      args =
          JSON.readValue(
              r.getString(4),
              new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() {});
    } catch (JsonProcessingException e) {
      throw new java.sql.SQLException("stored arguments do not parse", e);
    }
    return new Row(
        r.getString(1),
        r.getString(2),
        r.getString(3),
        args,
        r.getInt(5) == 1,
        r.getLong(6),
        r.getString(7),
        r.getLong(8),
        r.getLong(9),
        r.getString(10),
        r.getString(11),
        Db.nullableLong(r, 12),
        Db.nullableLong(r, 13));
  }
}
