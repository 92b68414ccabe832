package dev.rampart.prevention.reviews;

import dev.rampart.cases.db.Db;
import dev.rampart.cases.incident.CaseException;
import dev.rampart.prevention.identity.Directory;
import dev.rampart.prevention.identity.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a change to a privileged group seen in the logs was approved: a change recorded ahead of
 * time (an account, a group, a reason, until when), or the membership confirmed in an access
 * review. The change is read from the alert's fields: Windows 4728/4732/4756 name the group in
 * {@code TargetUserName} and the member in {@code MemberName} (a DN); Linux {@code usermod} and
 * {@code gpasswd} say it in their message.
 */
public final class ApprovedChanges {
  /** A change someone approved. */
  public record Approval(
      String id,
      String account,
      String group,
      String reason,
      String approvedBy,
      long approvedAt,
      long until) {}

  /** A group change an event describes: who was added to what. */
  public record Change(String member, String group) {}

  private static final Pattern USERMOD =
      Pattern.compile("add '([^']+)' to (?:shadow )?group '([^']+)'");
  private static final Pattern GPASSWD =
      Pattern.compile("user (\\S+) added by \\S+ to group (\\S+)");

  private final Directory directory;
  private final Db db;

  public ApprovedChanges(Directory directory) {
    this.directory = directory;
    this.db = directory.db();
  }

  /** Records an approval of adding {@code account} to {@code group} until {@code until}. */
  public Approval approve(String account, String group, String reason, long until, String actor)
      throws CaseException {
    if (reason == null || reason.isBlank()) {
      throw new CaseException(CaseException.Kind.INVALID, "an approval needs a reason (a ticket)");
    }
    Directory.Person p = directory.byAccount(account);
    return db.tx(
        c -> {
          String id = Db.newId();
          long now = db.now();
          Db.update(
              c,
              "INSERT INTO prev_approved_changes(id, person, account_key, account, group_key,"
                  + " group_name, reason, approved_by, approved_at, until_at) VALUES"
                  + " (?,?,?,?,?,?,?,?,?,?)",
              id,
              p == null ? null : p.id(),
              Names.accountKeys(account).get(0),
              account,
              Names.key(Names.groupName(group)),
              Names.groupName(group),
              reason.strip(),
              actor,
              now,
              until);
          db.audit(c, actor, "changes.approve", id, account + " to " + group + ": " + reason);
          return new Approval(
              id, account, Names.groupName(group), reason.strip(), actor, now, until);
        });
  }

  public List<Approval> list() throws CaseException {
    return db.tx(
        c ->
            Db.query(
                c,
                "SELECT id, account, group_name, reason, approved_by, approved_at, until_at FROM"
                    + " prev_approved_changes ORDER BY approved_at DESC",
                r ->
                    new Approval(
                        r.getString(1),
                        r.getString(2),
                        r.getString(3),
                        r.getString(4),
                        r.getString(5),
                        r.getLong(6),
                        r.getLong(7))));
  }

  /** The group change an alert's fields describe, or null when they describe none. */
  public static Change change(Map<String, List<String>> fields) {
    String group = first(fields, "TargetUserName");
    String member = first(fields, "MemberName");
    if (group != null && member != null && !member.equals("-")) {
      return new Change(Names.groupName(member), group);
    }
    String message = first(fields, "message");
    if (message != null) {
      for (Pattern p : List.of(USERMOD, GPASSWD)) {
        Matcher m = p.matcher(message);
        if (m.find()) {
          return new Change(m.group(1), m.group(2));
        }
      }
    }
    return null;
  }

  /**
   * Why the change is expected, or null: an approval of that account (or another account of the
   * same person) into that group still running at {@code at}, or the membership confirmed in a
   * review.
   */
  public String approved(Change change, long at) throws CaseException {
    String group = Names.key(Names.groupName(change.group()));
    Directory.Person p = directory.byAccount(change.member());
    if (p == null) {
      // a DN's common name is a display name
      p = directory.byDisplayName(change.member());
    }
    List<String> keys = new ArrayList<>(Names.accountKeys(change.member()));
    if (p != null) {
      for (String a : p.accounts()) {
        keys.addAll(Names.accountKeys(a));
      }
    }
    String person = p == null ? null : p.id();
    return db.tx(
        c -> {
          for (String k : keys) {
            List<String> why =
                Db.query(
                    c,
                    "SELECT reason || ' (approved by ' || approved_by || ')' FROM"
                        + " prev_approved_changes WHERE account_key = ? AND group_key = ? AND"
                        + " until_at >= ? ORDER BY approved_at DESC",
                    r -> r.getString(1),
                    k,
                    group,
                    at);
            if (!why.isEmpty()) {
              return "approved change: " + why.get(0);
            }
          }
          if (person != null) {
            // approved under another of the person's names (their email, say)
            List<String> why =
                Db.query(
                    c,
                    "SELECT reason || ' (approved by ' || approved_by || ')' FROM"
                        + " prev_approved_changes WHERE person = ? AND group_key = ? AND until_at"
                        + " >= ? ORDER BY approved_at DESC",
                    r -> r.getString(1),
                    person,
                    group,
                    at);
            if (!why.isEmpty()) {
              return "approved change: " + why.get(0);
            }
            List<String> confirmed =
                Db.query(
                    c,
                    "SELECT c.name || ' (confirmed by ' || i.decided_by || ')' FROM prev_review_items"
                        + " i JOIN prev_campaigns c ON c.id = i.campaign WHERE i.person = ? AND"
                        + " i.group_key = ? AND i.decision = 'confirm' ORDER BY i.decided_at DESC",
                    r -> r.getString(1),
                    person,
                    group);
            if (!confirmed.isEmpty()) {
              return "membership confirmed in access review " + confirmed.get(0);
            }
          }
          return null;
        });
  }

  private static String first(Map<String, List<String>> fields, String name) {
    List<String> v = fields.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }
}
