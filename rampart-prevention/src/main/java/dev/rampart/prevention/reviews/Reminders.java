package dev.rampart.prevention.reviews;

import dev.rampart.cases.db.Db;
import dev.rampart.cases.incident.CaseException;
import dev.rampart.prevention.identity.Directory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reminders due now: one mail per reviewer listing their open review items past due (again
 * after a day at the earliest), and one per person listing their overdue courses (again after a
 * week). Who has no email in the directory cannot be reminded and is counted. The caller sends the
 * mails and then calls {@link #sent}, so a mail that could not go is tried again next time.
 */
public final class Reminders {
  static final long REVIEW_AGAIN_MS = 86_400_000L;
  static final long TRAINING_AGAIN_MS = 7 * 86_400_000L;

  /** One mail: to whom, what it says, and what it reminds of. */
  public record Reminder(
      String to,
      String subject,
      String body,
      List<String> reviewItems,
      List<String> trainingPeople,
      List<String> trainingCourses) {}

  /** The mails due, and how many reminders had nobody to go to. */
  public record Due(List<Reminder> mails, int unreachable) {}

  private final Db db;

  public Reminders(Directory directory) {
    this.db = directory.db();
  }

  /**
   * @param console the console's address for links ({@code https://rampart:8443}), or null
   */
  public Due due(long now, String console) throws CaseException {
    return db.tx(
        c -> {
          List<Reminder> out = new ArrayList<>();
          int unreachable = 0;
          record R(
              String item,
              String campaign,
              String name,
              String person,
              String group,
              String email,
              long due) {}
          List<R> items =
              Db.query(
                  c,
                  "SELECT i.id, c.id, c.name, COALESCE(p.display_name, p.email, i.person),"
                      + " i.group_name, r.email, c.due_at FROM prev_review_items i JOIN"
                      + " prev_campaigns c ON c.id = i.campaign LEFT JOIN prev_people p ON p.id ="
                      + " i.person LEFT JOIN prev_people r ON r.id = i.reviewer WHERE i.decision IS"
                      + " NULL AND c.closed_at IS NULL AND c.due_at < ? AND (i.reminded_at IS NULL"
                      + " OR i.reminded_at < ?) ORDER BY r.email, c.name, i.group_key",
                  x ->
                      new R(
                          x.getString(1),
                          x.getString(2),
                          x.getString(3),
                          x.getString(4),
                          x.getString(5),
                          x.getString(6),
                          x.getLong(7)),
                  now,
                  now - REVIEW_AGAIN_MS);
          Map<String, List<R>> byReviewer = new LinkedHashMap<>();
          for (R r : items) {
            if (r.email() == null) {
              unreachable++;
            } else {
              byReviewer.computeIfAbsent(r.email(), k -> new ArrayList<>()).add(r);
            }
          }
          byReviewer.forEach(
              (to, rs) -> {
                StringBuilder b =
                    new StringBuilder(
                        "These privileged memberships are waiting for your decision (confirm or"
                            + " revoke), past their review's due date:\n\n");
                for (R r : rs) {
                  b.append("- ")
                      .append(r.person())
                      .append(" in ")
                      .append(r.group())
                      .append(" (")
                      .append(r.name())
                      .append(", due ")
                      .append(Instant.ofEpochMilli(r.due()).toString(), 0, 10)
                      .append(")");
                  if (console != null) {
                    b.append("\n  ").append(console).append("/reviews/").append(r.campaign());
                  }
                  b.append('\n');
                }
                out.add(
                    new Reminder(
                        to,
                        "Access review: " + rs.size() + " decision(s) overdue",
                        b.toString(),
                        rs.stream().map(R::item).toList(),
                        List.of(),
                        List.of()));
              });
          record T(String person, String email, String course, long due) {}
          List<T> courses =
              Db.query(
                  c,
                  "SELECT p.id, p.email, t.course, t.due_at FROM prev_training t JOIN prev_people p"
                      + " ON p.id = t.person WHERE t.completed_at IS NULL AND t.due_at IS NOT NULL"
                      + " AND t.due_at < ? AND p.status = 'active' AND (t.reminded_at IS NULL OR"
                      + " t.reminded_at < ?) ORDER BY p.email, t.due_at",
                  x -> new T(x.getString(1), x.getString(2), x.getString(3), x.getLong(4)),
                  now,
                  now - TRAINING_AGAIN_MS);
          Map<String, List<T>> byPerson = new LinkedHashMap<>();
          for (T t : courses) {
            if (t.email() == null) {
              unreachable++;
            } else {
              byPerson.computeIfAbsent(t.email(), k -> new ArrayList<>()).add(t);
            }
          }
          byPerson.forEach(
              (to, ts) -> {
                StringBuilder b =
                    new StringBuilder("These security courses are past their due date:\n\n");
                for (T t : ts) {
                  b.append("- ")
                      .append(t.course())
                      .append(" (due ")
                      .append(Instant.ofEpochMilli(t.due()).toString(), 0, 10)
                      .append(")\n");
                }
                out.add(
                    new Reminder(
                        to,
                        "Security training: " + ts.size() + " course(s) overdue",
                        b.toString(),
                        List.of(),
                        ts.stream().map(T::person).toList(),
                        ts.stream().map(T::course).toList()));
              });
          return new Due(out, unreachable);
        });
  }

  /** Marks what a mail reminded of, once it went. */
  public void sent(Reminder r, long now) throws CaseException {
    db.tx(
        c -> {
          for (String id : r.reviewItems()) {
            Db.update(c, "UPDATE prev_review_items SET reminded_at = ? WHERE id = ?", now, id);
          }
          for (int i = 0; i < r.trainingPeople().size(); i++) {
            Db.update(
                c,
                "UPDATE prev_training SET reminded_at = ? WHERE person = ? AND course = ?",
                now,
                r.trainingPeople().get(i),
                r.trainingCourses().get(i));
          }
          return null;
        });
  }
}
