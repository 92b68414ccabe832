package dev.rampart.cases.rules;

import dev.rampart.cases.db.Db;
import dev.rampart.cases.incident.CaseException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which detection rules are switched off. Kept in the case database (so a restart, a second console
 * or the CLI see the same), audited, and cached in memory for the detector's path, where a lookup
 * is one set probe.
 */
public final class RuleSwitches {
  /** A change, as listed. */
  public record State(
      String ruleId, boolean enabled, String changedBy, long changedAt, String reason) {}

  private final Db db;
  private volatile Set<String> disabled;

  public RuleSwitches(Db db) throws CaseException {
    this.db = db;
    this.disabled = load();
  }

  private Set<String> load() throws CaseException {
    return Set.copyOf(
        db.tx(
            c ->
                Db.query(
                    c, "SELECT rule_id FROM rule_states WHERE enabled = 0", r -> r.getString(1))));
  }

  /** Whether the rule is switched off. */
  public boolean isDisabled(String ruleId) {
    return disabled.contains(ruleId);
  }

  /** The rules switched off now. */
  public Set<String> disabled() {
    return disabled;
  }

  /** Every recorded switch, most recent first. */
  public List<State> states() throws CaseException {
    return db.tx(
        c ->
            Db.query(
                c,
                "SELECT rule_id, enabled, changed_by, changed_at, reason FROM rule_states"
                    + " ORDER BY changed_at DESC, rule_id",
                r ->
                    new State(
                        r.getString(1),
                        r.getInt(2) != 0,
                        r.getString(3),
                        r.getLong(4),
                        r.getString(5))));
  }

  /** Switches a rule on or off, with the reason, audited; takes effect for the next events. */
  public void set(String ruleId, boolean enabled, String reason, String actor)
      throws CaseException {
    if (ruleId == null || ruleId.isBlank() || ruleId.length() > 500) {
      throw new CaseException(CaseException.Kind.INVALID, "a rule id of 1 to 500 characters");
    }
    if (reason != null && reason.length() > 2000) {
      throw new CaseException(CaseException.Kind.INVALID, "a reason of at most 2000 characters");
    }
    long now = db.now();
    db.tx(
        c -> {
          if (Db.exists(c, "SELECT 1 FROM rule_states WHERE rule_id = ?", ruleId)) {
            Db.update(
                c,
                "UPDATE rule_states SET enabled = ?, changed_by = ?, changed_at = ?, reason = ?"
                    + " WHERE rule_id = ?",
                enabled ? 1 : 0,
                actor,
                now,
                reason,
                ruleId);
          } else {
            Db.update(
                c,
                "INSERT INTO rule_states (rule_id, enabled, changed_by, changed_at, reason)"
                    + " VALUES (?, ?, ?, ?, ?)",
                ruleId,
                enabled ? 1 : 0,
                actor,
                now,
                reason);
          }
          db.audit(
              c,
              actor,
              enabled ? "rule.enable" : "rule.disable",
              ruleId,
              reason == null ? "" : reason);
          return null;
        });
    Set<String> next = new HashSet<>(disabled);
    if (enabled) {
      next.remove(ruleId);
    } else {
      next.add(ruleId);
    }
    disabled = Set.copyOf(next);
  }
}
