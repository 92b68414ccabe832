package dev.rampart.prevention.identity;

import dev.rampart.cases.db.Db;
import dev.rampart.cases.incident.CaseException;
import dev.rampart.core.io.Problem;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The people and accounts of the organisation, in the case database (SQLite or PostgreSQL), merged
 * across imports: a person in a file is the directory's person when they share a merge key (email,
 * employee id, an account), within the file too, and each merge is reported. An import adds and
 * updates; it removes people only when asked ({@code prune}: those of the same source the file no
 * longer lists). A person's group memberships are what their latest import from a source says.
 */
public final class Directory {
  /** What people are matched on, in order. */
  public enum MergeKey {
    EMAIL,
    EMPLOYEE_ID,
    ACCOUNT;

    public static MergeKey parse(String s) {
      return switch (s.strip().toLowerCase(Locale.ROOT).replace('-', '_')) {
        case "email", "mail" -> EMAIL;
        case "employee_id", "employee", "id" -> EMPLOYEE_ID;
        case "account", "login", "username" -> ACCOUNT;
        default ->
            throw new IllegalArgumentException(
                "merge key '" + s + "': email, employee_id or account");
      };
    }
  }

  /** Groups whose members hold privileged access, unless configured otherwise. */
  public static final Set<String> DEFAULT_PRIVILEGED =
      Set.of(
          "domain admins",
          "enterprise admins",
          "schema admins",
          "administrators",
          "account operators",
          "backup operators",
          "server operators",
          "group policy creator owners",
          "dnsadmins",
          "global administrator",
          "privileged role administrator",
          "super administrator",
          "sudo",
          "wheel",
          "admin",
          "root");

  /**
   * @param source the file's name, recorded with what it brought
   * @param mergeOn keys that make two records one person
   * @param privileged group names (folded) that count as privileged
   * @param prune remove people of this source the file no longer lists
   */
  public record ImportOptions(
      String source, List<MergeKey> mergeOn, Set<String> privileged, boolean prune, String actor) {
    public static ImportOptions of(String source, String actor) {
      return new ImportOptions(
          source,
          List.of(MergeKey.EMAIL, MergeKey.EMPLOYEE_ID, MergeKey.ACCOUNT),
          DEFAULT_PRIVILEGED,
          false,
          actor);
    }
  }

  /** What an import did. */
  public record ImportReport(
      int added, int updated, int removed, List<String> merges, List<Problem> problems) {}

  /** A person as the directory keeps them. */
  public record Person(
      String id,
      String displayName,
      String email,
      String employeeId,
      String department,
      String title,
      String manager,
      boolean active,
      List<String> accounts,
      List<Membership> memberships) {
    public boolean privileged() {
      return memberships.stream().anyMatch(Membership::privileged);
    }

    /** The best name to show: the display name, else the email, else an account. */
    public String label() {
      return displayName != null
          ? displayName
          : email != null ? email : accounts.isEmpty() ? id : accounts.get(0);
    }
  }

  public record Membership(String group, boolean privileged) {}

  private final Db db;

  private Directory(Db db) {
    this.db = db;
  }

  public static Directory open(Db db) {
    db.migrate("classpath:db/prevention", "flyway_prevention_history");
    return new Directory(db);
  }

  public Db db() {
    return db;
  }

  public ImportReport importPeople(List<ImportedPerson> people, ImportOptions o)
      throws CaseException {
    List<String> merges = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    List<ImportedPerson> merged = mergeWithin(people, o, merges);
    return db.tx(
        c -> {
          long now = db.now();
          int added = 0;
          int updated = 0;
          Set<String> seen = new LinkedHashSet<>();
          Map<String, ImportedPerson> byId = new LinkedHashMap<>();
          for (ImportedPerson p : merged) {
            Set<String> matches = new LinkedHashSet<>();
            Map<String, String> why = new LinkedHashMap<>();
            for (MergeKey k : o.mergeOn()) {
              for (String id : existing(c, k, p)) {
                if (matches.add(id)) {
                  why.put(id, k.name().toLowerCase(Locale.ROOT));
                }
              }
            }
            if (matches.size() > 1) {
              problems.add(
                  Problem.error(
                      o.source(),
                      p.line(),
                      -1,
                      "matches "
                          + matches.size()
                          + " people already in the directory ("
                          + why
                          + "): not imported; make the keys agree in the source or merge on"
                          + " fewer keys"));
              continue;
            }
            String id;
            if (matches.isEmpty()) {
              id = Db.newId();
              Db.update(
                  c,
                  "INSERT INTO prev_people(id, display_name, email, email_key, employee_id,"
                      + " department, title, manager_ref, status, source, created_at, updated_at)"
                      + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                  id,
                  p.displayName(),
                  p.email(),
                  Names.key(p.email()),
                  p.employeeId(),
                  p.department(),
                  p.title(),
                  p.managerRef(),
                  p.active() ? "active" : "disabled",
                  o.source(),
                  now,
                  now);
              added++;
            } else {
              id = matches.iterator().next();
              if (seen.contains(id)) {
                merges.add(
                    "line "
                        + p.line()
                        + " merged into an earlier record of this file ("
                        + why.get(id)
                        + ")");
              }
              Db.update(
                  c,
                  "UPDATE prev_people SET display_name = COALESCE(?, display_name),"
                      + " email = COALESCE(?, email), email_key = COALESCE(?, email_key),"
                      + " employee_id = COALESCE(?, employee_id), department = COALESCE(?,"
                      + " department), title = COALESCE(?, title), manager_ref = COALESCE(?,"
                      + " manager_ref), status = ?, source = ?, updated_at = ? WHERE id = ?",
                  p.displayName(),
                  p.email(),
                  Names.key(p.email()),
                  p.employeeId(),
                  p.department(),
                  p.title(),
                  p.managerRef(),
                  p.active() ? "active" : "disabled",
                  o.source(),
                  now,
                  id);
              updated++;
            }
            seen.add(id);
            byId.put(id, p);
            for (String a : p.accounts()) {
              String key = Names.key(a);
              List<String> owner =
                  Db.query(
                      c,
                      "SELECT person FROM prev_accounts WHERE account_key = ?",
                      r -> r.getString(1),
                      key);
              if (owner.isEmpty()) {
                Db.update(
                    c,
                    "INSERT INTO prev_accounts(account_key, account, person, source) VALUES"
                        + " (?,?,?,?)",
                    key,
                    a,
                    id,
                    o.source());
              } else if (!owner.get(0).equals(id)) {
                problems.add(
                    Problem.warning(
                        o.source(),
                        p.line(),
                        -1,
                        "account '" + a + "' belonged to another person: it is this one's now"));
                Db.update(
                    c,
                    "UPDATE prev_accounts SET person = ?, source = ? WHERE account_key = ?",
                    id,
                    o.source(),
                    key);
              }
            }
            // memberships are what this source says now
            Db.update(
                c, "DELETE FROM prev_memberships WHERE person = ? AND source = ?", id, o.source());
            for (String g : new LinkedHashSet<>(p.groups())) {
              String gk = Names.key(g);
              Db.update(
                  c,
                  "INSERT INTO prev_memberships(person, group_key, group_name, privileged, source,"
                      + " seen_at) VALUES (?,?,?,?,?,?) ON CONFLICT(person, group_key) DO UPDATE"
                      + " SET source = excluded.source, seen_at = excluded.seen_at,"
                      + " privileged = excluded.privileged",
                  id,
                  gk,
                  g,
                  o.privileged().contains(gk) ? 1 : 0,
                  o.source(),
                  now);
            }
          }
          int removed = 0;
          if (o.prune()) {
            List<String> gone =
                Db.query(
                    c,
                    "SELECT id FROM prev_people WHERE source = ?",
                    r -> r.getString(1),
                    o.source());
            for (String id : gone) {
              if (!seen.contains(id)) {
                removed += Db.update(c, "DELETE FROM prev_people WHERE id = ?", id);
              }
            }
          }
          resolveManagers(c);
          db.audit(
              c,
              o.actor(),
              "identities.import",
              o.source(),
              added
                  + " added, "
                  + updated
                  + " updated, "
                  + removed
                  + " removed, "
                  + merges.size()
                  + " merged");
          return new ImportReport(added, updated, removed, merges, problems);
        });
  }

  /** Records of one file that share a key become one (the first keeps its line). */
  private static List<ImportedPerson> mergeWithin(
      List<ImportedPerson> people, ImportOptions o, List<String> merges) {
    List<ImportedPerson> out = new ArrayList<>();
    Map<String, Integer> index = new HashMap<>();
    for (ImportedPerson p : people) {
      Integer into = null;
      String because = null;
      for (String k : keys(p, o.mergeOn())) {
        Integer i = index.get(k);
        if (i != null) {
          into = i;
          because = k.substring(0, k.indexOf(':'));
          break;
        }
      }
      if (into == null) {
        out.add(p);
        for (String k : keys(p, o.mergeOn())) {
          index.put(k, out.size() - 1);
        }
        continue;
      }
      ImportedPerson a = out.get(into);
      merges.add(
          o.source()
              + ":"
              + p.line()
              + " merged into line "
              + a.line()
              + " (same "
              + because
              + ")");
      List<String> accounts =
          new ArrayList<>(new LinkedHashSet<>(concat(a.accounts(), p.accounts())));
      List<String> groups = new ArrayList<>(new LinkedHashSet<>(concat(a.groups(), p.groups())));
      ImportedPerson m =
          new ImportedPerson(
              a.line(),
              or(a.employeeId(), p.employeeId()),
              or(a.displayName(), p.displayName()),
              or(a.email(), p.email()),
              or(a.department(), p.department()),
              or(a.title(), p.title()),
              or(a.managerRef(), p.managerRef()),
              a.active() || p.active(),
              accounts,
              groups);
      out.set(into, m);
      for (String k : keys(m, o.mergeOn())) {
        index.put(k, into);
      }
    }
    return out;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static String or(String a, String b) {
    return a != null ? a : b;
  }

  private static List<String> keys(ImportedPerson p, List<MergeKey> on) {
    List<String> out = new ArrayList<>();
    for (MergeKey k : on) {
      switch (k) {
        case EMAIL -> {
          if (p.email() != null) {
            out.add("email:" + Names.key(p.email()));
          }
        }
        case EMPLOYEE_ID -> {
          if (p.employeeId() != null) {
            out.add("employee id:" + Names.key(p.employeeId()));
          }
        }
        case ACCOUNT -> {
          for (String a : p.accounts()) {
            out.add("account:" + Names.key(a));
          }
        }
      }
    }
    return out;
  }

  private static List<String> existing(Connection c, MergeKey k, ImportedPerson p)
      throws SQLException {
    return switch (k) {
      case EMAIL ->
          p.email() == null
              ? List.of()
              : Db.query(
                  c,
                  "SELECT id FROM prev_people WHERE email_key = ?",
                  r -> r.getString(1),
                  Names.key(p.email()));
      case EMPLOYEE_ID ->
          p.employeeId() == null
              ? List.of()
              : Db.query(
                  c,
                  "SELECT id FROM prev_people WHERE employee_id = ?",
                  r -> r.getString(1),
                  p.employeeId());
      case ACCOUNT -> {
        List<String> out = new ArrayList<>();
        for (String a : p.accounts()) {
          out.addAll(
              Db.query(
                  c,
                  "SELECT person FROM prev_accounts WHERE account_key = ?",
                  r -> r.getString(1),
                  Names.key(a)));
        }
        yield out;
      }
    };
  }

  /** Managers named by email, account, employee id or an LDAP DN's common name. */
  private static void resolveManagers(Connection c) throws SQLException {
    record Ref(String id, String ref) {}
    List<Ref> refs =
        Db.query(
            c,
            "SELECT id, manager_ref FROM prev_people WHERE manager_ref IS NOT NULL",
            r -> new Ref(r.getString(1), r.getString(2)));
    for (Ref r : refs) {
      String ref = r.ref().strip();
      String key = Names.key(ref);
      List<String> found = idsNamed(c, ref);
      if (found.isEmpty() && key.startsWith("cn=")) {
        found =
            Db.query(
                c,
                "SELECT id FROM prev_people WHERE LOWER(display_name) = ?",
                x -> x.getString(1),
                Names.key(Names.groupName(ref)));
      }
      if (found.size() == 1 && !found.get(0).equals(r.id())) {
        Db.update(c, "UPDATE prev_people SET manager = ? WHERE id = ?", found.get(0), r.id());
      }
    }
  }

  // ------------------------------------------------------------------ reading

  /**
   * The people a name denotes: by email, else by account ({@code CORP\olivia} and {@code
   * olivia@corp.example} as their folded keys), else by employee id. One way of finding people for
   * events, imports of training results and managers alike.
   */
  public static List<String> idsNamed(Connection c, String name) throws SQLException {
    for (String k : Names.accountKeys(name)) {
      List<String> ids =
          Db.query(c, "SELECT id FROM prev_people WHERE email_key = ?", r -> r.getString(1), k);
      if (ids.isEmpty()) {
        ids =
            Db.query(
                c,
                "SELECT person FROM prev_accounts WHERE account_key = ?",
                r -> r.getString(1),
                k);
      }
      if (!ids.isEmpty()) {
        return ids;
      }
    }
    return Db.query(
        c, "SELECT id FROM prev_people WHERE employee_id = ?", r -> r.getString(1), name.strip());
  }

  /** The person an account name in an event belongs to ({@code CORP\olivia}, a UPN), or null. */
  public Person byAccount(String account) throws CaseException {
    return db.tx(
        c -> {
          List<String> named = idsNamed(c, account);
          if (!named.isEmpty()) {
            return person(c, named.get(0));
          }
          // a bare login of someone known only by a principal name (sam for sam@corp.example),
          // when it names exactly one person
          List<String> keys = Names.accountKeys(account);
          if (!keys.isEmpty() && keys.get(0).indexOf('@') < 0) {
            String local = keys.get(0) + "@";
            Set<String> ids = new LinkedHashSet<>();
            for (String[] row :
                Db.query(
                    c,
                    "SELECT account_key, person FROM prev_accounts WHERE account_key LIKE ?",
                    r -> new String[] {r.getString(1), r.getString(2)},
                    keys.get(0).replace("%", "") + "@%")) {
              if (row[0].startsWith(local)) { // LIKE's _ matches any character: check exactly
                ids.add(row[1]);
              }
            }
            if (ids.size() == 1) {
              return person(c, ids.iterator().next());
            }
          }
          return null;
        });
  }

  /** The one active person with this display name (case aside), or null when none or several. */
  public Person byDisplayName(String name) throws CaseException {
    return db.tx(
        c -> {
          List<String> ids =
              Db.query(
                  c,
                  "SELECT id FROM prev_people WHERE LOWER(display_name) = ? AND status = 'active'",
                  r -> r.getString(1),
                  Names.key(name));
          return ids.size() == 1 ? person(c, ids.get(0)) : null;
        });
  }

  public Person byId(String id) throws CaseException {
    return db.tx(c -> person(c, id));
  }

  /** Everyone, by display name. */
  public List<Person> people() throws CaseException {
    return db.tx(
        c -> {
          List<Person> out = new ArrayList<>();
          for (String id :
              Db.query(
                  c,
                  "SELECT id FROM prev_people ORDER BY LOWER(COALESCE(display_name, email, id))",
                  r -> r.getString(1))) {
            out.add(person(c, id));
          }
          return out;
        });
  }

  static Person person(Connection c, String id) throws SQLException {
    List<Person> p =
        Db.query(
            c,
            "SELECT id, display_name, email, employee_id, department, title, manager, status"
                + " FROM prev_people WHERE id = ?",
            r ->
                new Person(
                    r.getString(1),
                    r.getString(2),
                    r.getString(3),
                    r.getString(4),
                    r.getString(5),
                    r.getString(6),
                    r.getString(7),
                    "active".equals(r.getString(8)),
                    List.of(),
                    List.of()),
            id);
    if (p.isEmpty()) {
      return null;
    }
    List<String> accounts =
        Db.query(
            c,
            "SELECT account FROM prev_accounts WHERE person = ? ORDER BY account_key",
            r -> r.getString(1),
            id);
    List<Membership> groups =
        Db.query(
            c,
            "SELECT group_name, privileged FROM prev_memberships WHERE person = ? ORDER BY"
                + " group_key",
            r -> new Membership(r.getString(1), r.getInt(2) != 0),
            id);
    Person x = p.get(0);
    return new Person(
        x.id(),
        x.displayName(),
        x.email(),
        x.employeeId(),
        x.department(),
        x.title(),
        x.manager(),
        x.active(),
        accounts,
        groups);
  }
}
