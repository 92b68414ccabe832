package dev.rampart.prevention.reviews;

import dev.rampart.cases.db.Db;
import dev.rampart.cases.incident.CaseException;
import dev.rampart.prevention.identity.Directory;
import java.util.List;
import java.util.Locale;

/**
 * Access-review campaigns: each privileged membership of an active person becomes an item for their
 * manager (or the campaign's fallback reviewer when the directory names none) to confirm or revoke
 * by a due date. Decisions are recorded with who and when, and audited. A revoked membership that a
 * later directory import still shows is reported: the decision was taken but the access was not
 * removed.
 */
public final class AccessReviews {
  public record Campaign(
      String id, String name, long startedAt, long dueAt, String startedBy, Long closedAt) {}

  public record Item(
      String id,
      String campaign,
      String person,
      String personLabel,
      String group,
      String reviewer,
      String reviewerLabel,
      String decision,
      String decidedBy,
      Long decidedAt,
      String comment) {}

  /** A campaign's progress. */
  public record Status(
      Campaign campaign, int items, int open, int confirmed, int revoked, boolean overdue) {}

  private final Db db;

  public AccessReviews(Directory directory) {
    this.db = directory.db();
  }

  /**
   * Starts a campaign over every privileged membership of active people.
   *
   * @param fallbackReviewer the person id (or name) who reviews memberships of people without a
   *     manager; null leaves them unassigned (shown as such)
   */
  public Campaign start(String name, long dueAt, String fallbackReviewer, String actor)
      throws CaseException {
    return db.tx(
        c -> {
          String id = Db.newId();
          long now = db.now();
          Db.update(
              c,
              "INSERT INTO prev_campaigns(id, name, started_at, due_at, started_by) VALUES"
                  + " (?,?,?,?,?)",
              id,
              name,
              now,
              dueAt,
              actor);
          record M(String person, String groupKey, String group, String manager) {}
          List<M> ms =
              Db.query(
                  c,
                  "SELECT m.person, m.group_key, m.group_name, p.manager FROM prev_memberships m JOIN"
                      + " prev_people p ON p.id = m.person WHERE m.privileged = 1 AND p.status ="
                      + " 'active' ORDER BY m.group_key, m.person",
                  r -> new M(r.getString(1), r.getString(2), r.getString(3), r.getString(4)));
          for (M m : ms) {
            String reviewer = m.manager() != null ? m.manager() : fallbackReviewer;
            if (reviewer != null && reviewer.equals(m.person())) {
              // nobody reviews their own access: the manager, else the fallback, else nobody yet
              reviewer =
                  m.manager() != null && !m.manager().equals(m.person())
                      ? m.manager()
                      : fallbackReviewer != null && !fallbackReviewer.equals(m.person())
                          ? fallbackReviewer
                          : null;
            }
            Db.update(
                c,
                "INSERT INTO prev_review_items(id, campaign, person, group_key, group_name, reviewer)"
                    + " VALUES (?,?,?,?,?,?)",
                Db.newId(),
                id,
                m.person(),
                m.groupKey(),
                m.group(),
                reviewer);
          }
          db.audit(
              c, actor, "reviews.start", id, name + ": " + ms.size() + " memberships to review");
          return new Campaign(id, name, now, dueAt, actor, null);
        });
  }

  /** Records a decision (confirm or revoke) on an open item. */
  public Item decide(String itemId, String decision, String comment, String actor)
      throws CaseException {
    String d = decision.strip().toLowerCase(Locale.ROOT);
    String why = comment == null || comment.isBlank() ? null : comment.strip();
    if (!d.equals("confirm") && !d.equals("revoke")) {
      throw new CaseException(
          CaseException.Kind.INVALID, "decision '" + decision + "': confirm or revoke");
    }
    return db.tx(
        c -> {
          List<Item> found = items(c, "i.id = ?", itemId);
          if (found.isEmpty()) {
            throw new CaseException(CaseException.Kind.NOT_FOUND, "no review item " + itemId);
          }
          Item it = found.get(0);
          if (it.decision() != null) {
            throw new CaseException(
                CaseException.Kind.CONFLICT,
                "item "
                    + itemId
                    + " was decided already ("
                    + it.decision()
                    + " by "
                    + it.decidedBy()
                    + ")");
          }
          Db.update(
              c,
              "UPDATE prev_review_items SET decision = ?, decided_by = ?, decided_at = ?, comment = ?"
                  + " WHERE id = ?",
              d,
              actor,
              db.now(),
              why,
              itemId);
          db.audit(
              c,
              actor,
              "reviews.decide",
              itemId,
              d + ": " + it.personLabel() + " in " + it.group());
          return items(c, "i.id = ?", itemId).get(0);
        });
  }

  public List<Campaign> campaigns() throws CaseException {
    return db.tx(
        c ->
            Db.query(
                c,
                "SELECT id, name, started_at, due_at, started_by, closed_at FROM prev_campaigns ORDER"
                    + " BY started_at DESC",
                r ->
                    new Campaign(
                        r.getString(1),
                        r.getString(2),
                        r.getLong(3),
                        r.getLong(4),
                        r.getString(5),
                        Db.nullableLong(r, 6))));
  }

  public Status status(String campaign, long now) throws CaseException {
    return db.tx(
        c -> {
          List<Campaign> cs =
              Db.query(
                  c,
                  "SELECT id, name, started_at, due_at, started_by, closed_at FROM prev_campaigns"
                      + " WHERE id = ?",
                  r ->
                      new Campaign(
                          r.getString(1),
                          r.getString(2),
                          r.getLong(3),
                          r.getLong(4),
                          r.getString(5),
                          Db.nullableLong(r, 6)),
                  campaign);
          if (cs.isEmpty()) {
            throw new CaseException(CaseException.Kind.NOT_FOUND, "no campaign " + campaign);
          }
          int[] n =
              Db.query(
                      c,
                      "SELECT COUNT(*), SUM(CASE WHEN decision IS NULL THEN 1 ELSE 0 END),"
                          + " SUM(CASE WHEN decision = 'confirm' THEN 1 ELSE 0 END),"
                          + " SUM(CASE WHEN decision = 'revoke' THEN 1 ELSE 0 END)"
                          + " FROM prev_review_items WHERE campaign = ?",
                      r -> new int[] {r.getInt(1), r.getInt(2), r.getInt(3), r.getInt(4)},
                      campaign)
                  .get(0);
          Campaign k = cs.get(0);
          return new Status(k, n[0], n[1], n[2], n[3], n[1] > 0 && now > k.dueAt());
        });
  }

  /** A campaign's items, open first, then by group and person. */
  public List<Item> items(String campaign) throws CaseException {
    return db.tx(c -> items(c, "i.campaign = ?", campaign));
  }

  /** Open items past their campaign's due date, per reviewer (for reminders). */
  public List<Item> overdue(long now) throws CaseException {
    return db.tx(
        c ->
            items(
                c,
                "i.decision IS NULL AND i.campaign IN (SELECT id FROM prev_campaigns WHERE due_at < ?"
                    + " AND closed_at IS NULL)",
                now));
  }

  /**
   * Memberships a reviewer revoked that the directory still shows (imported after the decision):
   * the access was never removed.
   */
  public List<Item> revokedButPresent() throws CaseException {
    return db.tx(
        c ->
            items(
                c,
                "i.decision = 'revoke' AND EXISTS (SELECT 1 FROM prev_memberships m WHERE m.person ="
                    + " i.person AND m.group_key = i.group_key AND m.seen_at > i.decided_at)"));
  }

  private static List<Item> items(java.sql.Connection c, String where, Object... args)
      throws java.sql.SQLException {
    return Db.query(
        c,
        "SELECT i.id, i.campaign, i.person, COALESCE(p.display_name, p.email, i.person), i.group_name,"
            + " i.reviewer, COALESCE(r.display_name, r.email, i.reviewer), i.decision, i.decided_by,"
            + " i.decided_at, i.comment FROM prev_review_items i LEFT JOIN prev_people p ON p.id ="
            + " i.person LEFT JOIN prev_people r ON r.id = i.reviewer WHERE "
            + where
            + " ORDER BY CASE WHEN i.decision IS NULL THEN 0 ELSE 1 END, i.group_key,"
            + " COALESCE(p.display_name, p.email, i.person)",
        r ->
            new Item(
                r.getString(1),
                r.getString(2),
                r.getString(3),
                r.getString(4),
                r.getString(5),
                r.getString(6),
                r.getString(7),
                r.getString(8),
                r.getString(9),
                Db.nullableLong(r, 10),
                r.getString(11)),
        args);
  }
}
