package dev.rampart.playbooks.run;

import dev.rampart.cases.db.Db;
import dev.rampart.cases.incident.CaseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Playbook runs and their step results in the case database, so an analyst sees what ran, when, and
 * what each step answered. A trigger (playbook, kind, subject) runs at most once.
 */
public final class RunLog {
  private final Db db;

  public RunLog(Db db) {
    this.db = db;
  }

  /** One step's outcome. */
  public record StepRecord(
      int index,
      String name,
      String action,
      String status,
      int attempts,
      String detail,
      long startedAt,
      Long finishedAt) {}

  /** One run with its steps; {@code status} is running, ok, failed or skipped. */
  public record Run(
      String id,
      String playbook,
      String trigger,
      String subject,
      long startedAt,
      Long finishedAt,
      String status,
      List<StepRecord> steps) {
    public Run {
      steps = List.copyOf(steps);
    }
  }

  /** Records a new run; null when this trigger already ran this playbook (a replay). */
  public String start(String playbook, String trigger, String subject, String status)
      throws CaseException {
    String id = Db.newId();
    long now = db.now();
    return db.tx(
        c -> {
          if (Db.exists(
              c,
              "SELECT 1 FROM playbook_runs WHERE playbook = ? AND trigger_kind = ? AND subject = ?",
              playbook,
              trigger,
              subject)) {
            return null;
          }
          Db.update(
              c,
              "INSERT INTO playbook_runs (id, playbook, trigger_kind, subject, started_at, status)"
                  + " VALUES (?, ?, ?, ?, ?, ?)",
              id,
              playbook,
              trigger,
              subject,
              now,
              status);
          return id;
        });
  }

  public void step(String runId, StepRecord s) throws CaseException {
    db.tx(
        c ->
            Db.update(
                c,
                "INSERT INTO playbook_steps (run_id, idx, name, action, status, attempts, detail,"
                    + " started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                runId,
                s.index(),
                s.name(),
                s.action(),
                s.status(),
                s.attempts(),
                s.detail(),
                s.startedAt(),
                s.finishedAt() == null ? Db.Null.BIGINT : (Object) s.finishedAt()));
  }

  public void finish(String runId, String status) throws CaseException {
    long now = db.now();
    db.tx(
        c ->
            Db.update(
                c,
                "UPDATE playbook_runs SET status = ?, finished_at = ? WHERE id = ?",
                status,
                now,
                runId));
  }

  /** The newest runs (at most {@code limit}, 1..1000), optionally of one playbook, with steps. */
  public List<Run> recent(String playbook, int limit) throws CaseException {
    if (limit < 1 || limit > 1000) {
      throw new CaseException(CaseException.Kind.INVALID, "limit is 1..1000");
    }
    return db.tx(
        c -> {
          Map<String, Run> runs = new LinkedHashMap<>();
          for (Run r :
              Db.query(
                  c,
                  "SELECT id, playbook, trigger_kind, subject, started_at, finished_at, status"
                      + " FROM playbook_runs"
                      + (playbook == null ? " WHERE 1 = ?" : " WHERE playbook = ?")
                      + " ORDER BY started_at DESC, id DESC LIMIT ?",
                  x ->
                      new Run(
                          x.getString(1),
                          x.getString(2),
                          x.getString(3),
                          x.getString(4),
                          x.getLong(5),
                          Db.nullableLong(x, 6),
                          x.getString(7),
                          List.of()),
                  playbook == null ? (Object) 1 : playbook,
                  limit)) {
            runs.put(r.id(), r);
          }
          List<Run> out = new ArrayList<>();
          for (Run r : runs.values()) {
            List<StepRecord> steps =
                Db.query(
                    c,
                    "SELECT idx, name, action, status, attempts, detail, started_at, finished_at"
                        + " FROM playbook_steps WHERE run_id = ? ORDER BY idx",
                    x ->
                        new StepRecord(
                            x.getInt(1),
                            x.getString(2),
                            x.getString(3),
                            x.getString(4),
                            x.getInt(5),
                            x.getString(6),
                            x.getLong(7),
                            Db.nullableLong(x, 8)),
                    r.id());
            out.add(
                new Run(
                    r.id(),
                    r.playbook(),
                    r.trigger(),
                    r.subject(),
                    r.startedAt(),
                    r.finishedAt(),
                    r.status(),
                    steps));
          }
          return out;
        });
  }
}
