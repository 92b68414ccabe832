package dev.rampart.cases;

import dev.rampart.alerting.alert.Alert;
import dev.rampart.cases.db.Db;
import dev.rampart.cases.exception.ExceptionStore;
import dev.rampart.cases.incident.CaseException;
import dev.rampart.cases.incident.Incident;
import dev.rampart.cases.incident.Sla;
import dev.rampart.cases.incident.Status;
import dev.rampart.cases.queue.AlertQueue;
import dev.rampart.cases.rules.RuleSwitches;
import java.io.Closeable;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Incidents in a relational database: SQLite by default (a file), PostgreSQL in production, one
 * code path. Opening migrates the schema (Flyway, {@code db/migration}). Every change is one
 * transaction, so nothing half-written is ever visible; every change also adds a timeline entry,
 * and listeners ({@link #onChange}) hear of it once it has committed.
 *
 * <pre>{@code
 * try (CaseStore cases = CaseStore.open("jdbc:sqlite:data/cases.db")) {
 *   Incident i = cases.open("Brute force on ws-01", "high", alerts, "detector");
 *   cases.transition(i.id(), Status.ACKNOWLEDGED, "alice");
 * }
 * }</pre>
 */
public final class CaseStore implements Closeable {
  /** Priorities, most urgent first. */
  public static final List<String> PRIORITIES = List.of("critical", "high", "medium", "low");

  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:/-]{0,63}");

  private final Db db;
  private final ExceptionStore exceptions;
  private final dev.rampart.cases.search.SavedSearches searches;
  private final AlertQueue queue;
  private final RuleSwitches rules;
  private volatile Map<String, Sla> sla = Sla.defaults();
  private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();

  private CaseStore(Db db) {
    this.db = db;
    this.exceptions = new ExceptionStore(db);
    this.queue = new AlertQueue(db);
    this.searches = new dev.rampart.cases.search.SavedSearches(db);
    try {
      this.rules = new RuleSwitches(db);
    } catch (CaseException e) {
      throw new IllegalStateException("case store: reading rule switches: " + e.getMessage(), e);
    }
  }

  /** Which detection rules an admin switched off. */
  public RuleSwitches rules() {
    return rules;
  }

  /** Opens (and migrates) the database at {@code jdbcUrl}. */
  public static CaseStore open(String jdbcUrl) {
    return open(jdbcUrl, null, null, Clock.systemUTC());
  }

  public static CaseStore open(String jdbcUrl, String user, String password, Clock clock) {
    return new CaseStore(new Db(jdbcUrl, user, password, clock));
  }

  /** The database, for the stores that share it (playbook runs). */
  public Db db() {
    return db;
  }

  /** Every alert triage saw, with analysts' acknowledgements and assignees. */
  public AlertQueue queue() {
    return queue;
  }

  /** The analysts' saved hunting queries, in the same database. */
  public dev.rampart.cases.search.SavedSearches searches() {
    return searches;
  }

  /** The analysts' alert exceptions, in the same database. */
  public ExceptionStore exceptions() {
    return exceptions;
  }

  /** Appends one entry to the audit trail in its own transaction. */
  public void audit(String actor, String action, String target, String detail)
      throws CaseException {
    db.tx(
        c -> {
          db.audit(c, actor, action, target, detail);
          return null;
        });
  }

  /** Sets the SLA per priority for incidents opened (or re-prioritised) from now on. */
  public void sla(Map<String, Sla> perPriority) {
    this.sla = Map.copyOf(perPriority);
  }

  /**
   * A committed change to an incident: its timeline entry.
   *
   * @param kind opened, alerts, status, owner, priority, comment, tags, evidence, merged
   */
  public record Change(String incidentId, long seq, String kind, String actor, String detail) {}

  /** Tells {@code listener} of every change after it commits (on the committing thread). */
  public void onChange(Consumer<Change> listener) {
    listeners.add(listener);
  }

  /** Opens a new incident from {@code alerts} (at least one), with its first timeline entry. */
  public Incident open(String title, String priority, List<Alert> alerts, String actor)
      throws CaseException {
    if (title == null || title.isBlank() || title.length() > 500) {
      throw new CaseException(CaseException.Kind.INVALID, "a title of 1 to 500 characters");
    }
    checkPriority(priority);
    if (alerts.isEmpty()) {
      throw new CaseException(CaseException.Kind.INVALID, "an incident needs an alert");
    }
    String id = Db.newId();
    long now = db.now();
    Alert first = alerts.get(0);
    Sla s = sla.get(priority);
    return db.tx(
        c -> {
          Db.update(
              c,
              "INSERT INTO incidents (id, title, status, priority, owner, host, user_name,"
                  + " created_at, updated_at, ack_due_at, resolve_due_at, tenant)"
                  + " VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?)",
              id,
              title,
              Status.NEW.label(),
              priority,
              first.entities().host(),
              first.entities().user(),
              now,
              now,
              s == null ? Db.Null.BIGINT : (Object) (now + s.acknowledge().toMillis()),
              s == null ? Db.Null.BIGINT : (Object) (now + s.resolve().toMillis()),
              first.tenant());
          for (Alert a : alerts) {
            link(c, id, a);
          }
          event(c, id, now, actor, "opened", alerts.size() + " alerts; priority " + priority);
          return get(c, id);
        });
  }

  private static void checkPriority(String priority) throws CaseException {
    if (!PRIORITIES.contains(priority)) {
      throw new CaseException(
          CaseException.Kind.INVALID, "priority is one of " + PRIORITIES + ", not " + priority);
    }
  }

  /** Adds alerts to an incident (an alert already in it is an error: nothing is added). */
  public Incident addAlerts(String id, List<Alert> alerts, String actor) throws CaseException {
    long now = db.now();
    return db.tx(
        c -> {
          get(c, id);
          for (Alert a : alerts) {
            link(c, id, a);
          }
          touch(c, id, now);
          event(c, id, now, actor, "alerts", "+" + alerts.size() + " alerts");
          return get(c, id);
        });
  }

  private static void link(Connection c, String id, Alert a) throws SQLException, CaseException {
    // Checked first: after a failed statement PostgreSQL refuses the rest of the transaction.
    if (Db.exists(
        c, "SELECT 1 FROM incident_alerts WHERE incident_id = ? AND alert_id = ?", id, a.id())) {
      throw new CaseException(
          CaseException.Kind.CONFLICT, "alert " + a.id() + " is already in incident " + id);
    }
    Db.update(
        c,
        "INSERT INTO incident_alerts (incident_id, alert_id, rule_id, title, level,"
            + " event_time, detected_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        id,
        a.id(),
        a.ruleId(),
        a.title(),
        a.level(),
        a.eventTime() / 1_000_000,
        a.detectedAt() / 1_000_000);
    AlertQueue.record(c, a, AlertQueue.FILED, id);
  }

  /**
   * Moves an incident to {@code to} when its lifecycle allows it; the first acknowledgement and the
   * closing time are recorded for MTTA and MTTR.
   */
  public Incident transition(String id, Status to, String actor) throws CaseException {
    long now = db.now();
    return db.tx(
        c -> {
          Incident i = get(c, id);
          Set<Status> allowed = i.status().next();
          if (i.mergedInto() != null) {
            throw new CaseException(
                CaseException.Kind.CONFLICT,
                "incident " + id + " was merged into " + i.mergedInto() + "; work on that one");
          }
          if (!allowed.contains(to)) {
            throw new CaseException(
                CaseException.Kind.CONFLICT,
                "incident "
                    + id
                    + " is "
                    + i.status().label()
                    + "; it can go to "
                    + allowed.stream().map(Status::label).toList()
                    + ", not "
                    + to.label());
          }
          Db.update(
              c,
              "UPDATE incidents SET status = ?, updated_at = ?,"
                  + " acknowledged_at = COALESCE(acknowledged_at, ?), resolved_at = ?"
                  + " WHERE id = ?",
              to.label(),
              now,
              // Any move past "new" is a human looking at it: it counts as acknowledged.
              to != Status.NEW ? (Object) now : Db.Null.BIGINT,
              to.closed() ? (Object) now : Db.Null.BIGINT,
              id);
          event(c, id, now, actor, "status", i.status().label() + " -> " + to.label());
          return get(c, id);
        });
  }

  /** Gives the incident an owner (null: nobody). */
  public Incident assign(String id, String owner, String actor) throws CaseException {
    if (owner != null && (owner.isBlank() || owner.length() > 200)) {
      throw new CaseException(CaseException.Kind.INVALID, "an owner of 1 to 200 characters");
    }
    long now = db.now();
    return db.tx(
        c -> {
          Incident i = get(c, id);
          Db.update(
              c, "UPDATE incidents SET owner = ?, updated_at = ? WHERE id = ?", owner, now, id);
          event(c, id, now, actor, "owner", (i.owner() == null ? "-" : i.owner()) + " -> " + owner);
          return get(c, id);
        });
  }

  /** Changes the priority; the SLA due times follow the new priority, from the incident's start. */
  public Incident prioritize(String id, String priority, String actor) throws CaseException {
    checkPriority(priority);
    long now = db.now();
    Sla s = sla.get(priority);
    return db.tx(
        c -> {
          Incident i = get(c, id);
          Db.update(
              c,
              "UPDATE incidents SET priority = ?, updated_at = ?, ack_due_at = ?,"
                  + " resolve_due_at = ? WHERE id = ?",
              priority,
              now,
              s == null ? Db.Null.BIGINT : (Object) (i.createdAt() + s.acknowledge().toMillis()),
              s == null ? Db.Null.BIGINT : (Object) (i.createdAt() + s.resolve().toMillis()),
              id);
          event(c, id, now, actor, "priority", i.priority() + " -> " + priority);
          return get(c, id);
        });
  }

  /** Adds a Markdown comment; returns its id. */
  public String comment(String id, String author, String markdown) throws CaseException {
    if (markdown == null || markdown.isBlank() || markdown.length() > 100_000) {
      throw new CaseException(CaseException.Kind.INVALID, "a comment of 1 to 100,000 characters");
    }
    long now = db.now();
    String cid = Db.newId();
    return db.tx(
        c -> {
          get(c, id);
          Db.update(
              c,
              "INSERT INTO comments (id, incident_id, at, author, markdown) VALUES (?, ?, ?, ?, ?)",
              cid,
              id,
              now,
              author,
              markdown);
          touch(c, id, now);
          event(c, id, now, author, "comment", cid);
          return cid;
        });
  }

  /** One comment, Markdown as written (renderers escape HTML). */
  public record Comment(String id, long at, String author, String markdown) {}

  /** An incident's comments, oldest first. */
  public List<Comment> comments(String id) throws CaseException {
    return db.tx(
        c -> {
          get(c, id);
          return Db.query(
              c,
              "SELECT id, at, author, markdown FROM comments WHERE incident_id = ? ORDER BY at, id",
              r -> new Comment(r.getString(1), r.getLong(2), r.getString(3), r.getString(4)),
              id);
        });
  }

  /** Adds and removes tags (letters, digits and {@code _.:/-}, up to 64 characters). */
  public Incident tag(String id, Set<String> add, Set<String> remove, String actor)
      throws CaseException {
    for (String t : add) {
      if (t == null || !TAG.matcher(t).matches()) {
        throw new CaseException(
            CaseException.Kind.INVALID,
            "a tag is 1 to 64 letters, digits or _.:/- starting with a letter or digit, not '"
                + t
                + "'");
      }
    }
    long now = db.now();
    return db.tx(
        c -> {
          Incident i = get(c, id);
          List<String> added = new ArrayList<>();
          for (String t : add) {
            if (!i.tags().contains(t)) {
              Db.update(c, "INSERT INTO incident_tags (incident_id, tag) VALUES (?, ?)", id, t);
              added.add(t);
            }
          }
          List<String> removed = new ArrayList<>();
          for (String t : remove) {
            if (Db.update(c, "DELETE FROM incident_tags WHERE incident_id = ? AND tag = ?", id, t)
                > 0) {
              removed.add(t);
            }
          }
          if (!added.isEmpty() || !removed.isEmpty()) {
            touch(c, id, now);
            event(c, id, now, actor, "tags", "+" + added + " -" + removed);
          }
          return get(c, id);
        });
  }

  /** Links a stored event (its id in the event store) to the incident as evidence. */
  public Incident addEvidence(String id, long eventId, String note, String actor)
      throws CaseException {
    if (note != null && note.length() > 10_000) {
      throw new CaseException(CaseException.Kind.INVALID, "a note of at most 10,000 characters");
    }
    long now = db.now();
    return db.tx(
        c -> {
          get(c, id);
          if (Db.exists(
              c,
              "SELECT 1 FROM incident_events WHERE incident_id = ? AND event_id = ?",
              id,
              eventId)) {
            throw new CaseException(
                CaseException.Kind.CONFLICT, "event " + eventId + " is already evidence of " + id);
          }
          Db.update(
              c,
              "INSERT INTO incident_events (incident_id, event_id, added_at, added_by, note)"
                  + " VALUES (?, ?, ?, ?, ?)",
              id,
              eventId,
              now,
              actor == null ? "-" : actor,
              note);
          touch(c, id, now);
          event(c, id, now, actor, "evidence", "event " + eventId);
          return get(c, id);
        });
  }

  /** An alert of an incident. Times are epoch milliseconds. */
  public record LinkedAlert(
      String alertId, String ruleId, String title, String level, long eventTime, long detectedAt) {}

  /** An event linked as evidence. */
  public record Evidence(long eventId, long addedAt, String addedBy, String note) {}

  /** The alerts of an incident, oldest event first. */
  public List<LinkedAlert> alerts(String id) throws CaseException {
    return db.tx(
        c -> {
          get(c, id);
          return Db.query(
              c,
              "SELECT alert_id, rule_id, title, level, event_time, detected_at FROM"
                  + " incident_alerts WHERE incident_id = ? ORDER BY event_time, alert_id",
              r ->
                  new LinkedAlert(
                      r.getString(1),
                      r.getString(2),
                      r.getString(3),
                      r.getString(4),
                      r.getLong(5),
                      r.getLong(6)),
              id);
        });
  }

  /** The events linked as evidence, oldest link first. */
  public List<Evidence> evidence(String id) throws CaseException {
    return db.tx(
        c -> {
          get(c, id);
          return Db.query(
              c,
              "SELECT event_id, added_at, added_by, note FROM incident_events WHERE incident_id"
                  + " = ? ORDER BY added_at, event_id",
              r -> new Evidence(r.getLong(1), r.getLong(2), r.getString(3), r.getString(4)),
              id);
        });
  }

  /**
   * Merges {@code sourceId} into {@code targetId}: the source's alerts, evidence and tags move to
   * the target; the source is closed as resolved with a pointer to the target; both timelines say
   * so. Comments stay where they were written.
   */
  public Incident merge(String sourceId, String targetId, String actor) throws CaseException {
    if (sourceId.equals(targetId)) {
      throw new CaseException(CaseException.Kind.INVALID, "an incident cannot merge into itself");
    }
    long now = db.now();
    return db.tx(
        c -> {
          Incident source = get(c, sourceId);
          Incident target = get(c, targetId);
          if (!source.tenant().equals(target.tenant())) {
            throw new CaseException(
                CaseException.Kind.CONFLICT,
                "incidents of different tenants cannot be merged ("
                    + source.tenant()
                    + ", "
                    + target.tenant()
                    + ")");
          }
          for (Incident i : List.of(source, target)) {
            if (i.mergedInto() != null) {
              throw new CaseException(
                  CaseException.Kind.CONFLICT,
                  "incident " + i.id() + " was already merged into " + i.mergedInto());
            }
          }
          int moved =
              Db.update(
                  c,
                  "UPDATE incident_alerts SET incident_id = ? WHERE incident_id = ? AND alert_id"
                      + " NOT IN (SELECT alert_id FROM incident_alerts WHERE incident_id = ?)",
                  targetId,
                  sourceId,
                  targetId);
          Db.update(
              c, "UPDATE alerts SET incident_id = ? WHERE incident_id = ?", targetId, sourceId);
          Db.update(
              c,
              "UPDATE incident_events SET incident_id = ? WHERE incident_id = ? AND event_id NOT"
                  + " IN (SELECT event_id FROM incident_events WHERE incident_id = ?)",
              targetId,
              sourceId,
              targetId);
          for (String t : source.tags()) {
            if (!target.tags().contains(t)) {
              Db.update(
                  c, "INSERT INTO incident_tags (incident_id, tag) VALUES (?, ?)", targetId, t);
            }
          }
          Db.update(
              c,
              "UPDATE incidents SET status = ?, merged_into = ?, updated_at = ?,"
                  + " resolved_at = COALESCE(resolved_at, ?) WHERE id = ?",
              Status.RESOLVED.label(),
              targetId,
              now,
              now,
              sourceId);
          touch(c, targetId, now);
          event(c, sourceId, now, actor, "merged", "into " + targetId);
          event(c, targetId, now, actor, "merged", sourceId + " (" + moved + " alerts)");
          return get(c, targetId);
        });
  }

  /** One timeline entry. */
  public record Entry(long at, String actor, String kind, String detail) {}

  /** Everything that happened to an incident, oldest first. */
  public List<Entry> timeline(String id) throws CaseException {
    return db.tx(
        c -> {
          get(c, id);
          return Db.query(
              c,
              "SELECT at, actor, kind, detail FROM timeline WHERE incident_id = ? ORDER BY seq",
              r -> new Entry(r.getLong(1), r.getString(2), r.getString(3), r.getString(4)),
              id);
        });
  }

  private static void touch(Connection c, String id, long now) throws SQLException {
    Db.update(c, "UPDATE incidents SET updated_at = ? WHERE id = ?", now, id);
  }

  private void event(Connection c, String id, long now, String actor, String kind, String detail)
      throws SQLException {
    long seq = 0;
    try (var s =
        c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM timeline WHERE incident_id = ?")) {
      s.setString(1, id);
      try (ResultSet r = s.executeQuery()) {
        if (r.next()) {
          seq = r.getLong(1);
        }
      }
    }
    String who = actor == null ? "-" : actor;
    Db.update(
        c,
        "INSERT INTO timeline (incident_id, seq, at, actor, kind, detail) VALUES (?, ?, ?, ?, ?,"
            + " ?)",
        id,
        seq + 1,
        now,
        who,
        kind,
        detail);
    // People's changes to incidents also go to the hash-chained audit trail; triage's own filing
    // (opened, alerts added) is the machine's and stays in the timeline.
    if (!who.equals("triage")) {
      db.audit(c, who, "incident." + kind, id, detail);
    }
    if (!listeners.isEmpty()) {
      Change change = new Change(id, seq + 1, kind, who, detail);
      db.afterCommit(
          () -> {
            for (Consumer<Change> l : listeners) {
              try {
                l.accept(change);
              } catch (RuntimeException e) {
                // A listener's failure (a playbook, say) must not undo or block the change.
                org.slf4j.LoggerFactory.getLogger(CaseStore.class)
                    .warn("incident listener failed on {}: {}", id, e.toString());
              }
            }
          });
    }
  }

  /**
   * The most recently updated open incident about {@code host} (or, when host is null, {@code
   * user}) of {@code tenant}, updated at or after {@code sinceMillis}; null when there is none.
   */
  public Incident findOpen(String tenant, String host, String user, long sinceMillis)
      throws CaseException {
    if (host == null && user == null) {
      return null;
    }
    String column = host != null ? "host" : "user_name";
    return db.tx(
        c -> {
          List<Incident> found =
              Db.query(
                  c,
                  "SELECT "
                      + COLUMNS
                      + " FROM incidents WHERE "
                      + column
                      + " = ? AND tenant = ? AND updated_at >= ? AND status NOT IN (?, ?)"
                      + " ORDER BY updated_at DESC, id DESC LIMIT 1",
                  CaseStore::incident,
                  host != null ? host : user,
                  tenant,
                  sinceMillis,
                  Status.RESOLVED.label(),
                  Status.FALSE_POSITIVE.label());
          return found.isEmpty() ? null : withTags(c, found).get(0);
        });
  }

  /** The incident each of {@code alertIds} was filed into (absent: none, e.g. suppressed). */
  public Map<String, String> incidentsOf(List<String> alertIds) throws CaseException {
    Map<String, String> out = new HashMap<>();
    for (int from = 0; from < alertIds.size(); from += 500) {
      List<String> part = alertIds.subList(from, Math.min(alertIds.size(), from + 500));
      StringBuilder sql =
          new StringBuilder(
              "SELECT alert_id, incident_id FROM incident_alerts WHERE alert_id IN (");
      for (int i = 0; i < part.size(); i++) {
        sql.append(i == 0 ? "?" : ", ?");
      }
      sql.append(")");
      db.tx(
          c -> {
            for (String[] r :
                Db.query(
                    c,
                    sql.toString(),
                    x -> new String[] {x.getString(1), x.getString(2)},
                    part.toArray())) {
              out.put(r[0], r[1]);
            }
            return null;
          });
    }
    return out;
  }

  /** Whether the alert is already part of some incident (a replayed alert). */
  public boolean hasAlert(String alertId) throws CaseException {
    return db.tx(c -> Db.exists(c, "SELECT 1 FROM incident_alerts WHERE alert_id = ?", alertId));
  }

  /** The current time of this store's clock, epoch milliseconds. */
  public long now() {
    return db.now();
  }

  public Incident get(String id) throws CaseException {
    return db.tx(c -> get(c, id));
  }

  private static Incident get(Connection c, String id) throws SQLException, CaseException {
    List<Incident> found =
        Db.query(c, "SELECT " + COLUMNS + " FROM incidents WHERE id = ?", CaseStore::incident, id);
    if (found.isEmpty()) {
      throw new CaseException(CaseException.Kind.NOT_FOUND, "no incident " + id);
    }
    return withTags(c, found).get(0);
  }

  private static final String COLUMNS =
      "id, title, status, priority, owner, host, user_name, created_at, updated_at,"
          + " acknowledged_at, resolved_at, merged_into, ack_due_at, resolve_due_at, tenant";

  private static Incident incident(ResultSet r) throws SQLException {
    return new Incident(
        r.getString(1),
        r.getString(2),
        Status.parse(r.getString(3)),
        r.getString(4),
        r.getString(5),
        r.getString(6),
        r.getString(7),
        r.getLong(8),
        r.getLong(9),
        Db.nullableLong(r, 10),
        Db.nullableLong(r, 11),
        r.getString(12),
        Db.nullableLong(r, 13),
        Db.nullableLong(r, 14),
        List.of(),
        r.getString(15));
  }

  /** Fills in the tags of {@code incidents} with one query. */
  private static List<Incident> withTags(Connection c, List<Incident> incidents)
      throws SQLException {
    if (incidents.isEmpty()) {
      return incidents;
    }
    StringBuilder sql =
        new StringBuilder("SELECT incident_id, tag FROM incident_tags WHERE incident_id IN (");
    Object[] ids = new Object[incidents.size()];
    for (int i = 0; i < ids.length; i++) {
      sql.append(i == 0 ? "?" : ", ?");
      ids[i] = incidents.get(i).id();
    }
    sql.append(") ORDER BY tag");
    Map<String, List<String>> tags = new HashMap<>();
    for (String[] row :
        Db.query(c, sql.toString(), r -> new String[] {r.getString(1), r.getString(2)}, ids)) {
      tags.computeIfAbsent(row[0], k -> new ArrayList<>()).add(row[1]);
    }
    List<Incident> out = new ArrayList<>(incidents.size());
    for (Incident i : incidents) {
      List<String> t = tags.get(i.id());
      out.add(
          t == null
              ? i
              : new Incident(
                  i.id(),
                  i.title(),
                  i.status(),
                  i.priority(),
                  i.owner(),
                  i.host(),
                  i.user(),
                  i.createdAt(),
                  i.updatedAt(),
                  i.acknowledgedAt(),
                  i.resolvedAt(),
                  i.mergedInto(),
                  i.ackDueAt(),
                  i.resolveDueAt(),
                  t,
                  i.tenant()));
    }
    return out;
  }

  /**
   * A filter for {@link #list}: statuses (empty: any), priority, owner and tag (null: any), and
   * whether only incidents past an SLA due time are wanted.
   */
  public record Filter(
      Set<Status> statuses,
      String priority,
      String owner,
      String tag,
      boolean breached,
      Set<String> tenants) {
    public Filter {
      statuses = Set.copyOf(statuses);
      tenants = Set.copyOf(tenants);
    }

    /** Of every tenant. */
    public Filter(
        Set<Status> statuses, String priority, String owner, String tag, boolean breached) {
      this(statuses, priority, owner, tag, breached, Set.of());
    }

    /** Only incidents of {@code only} (empty: of every tenant). */
    public Filter withTenants(Set<String> only) {
      return new Filter(statuses, priority, owner, tag, breached, only);
    }

    public static Filter any() {
      return new Filter(Set.of(), null, null, null, false);
    }
  }

  /** A page of incidents, most recently updated first, and the cursor of the next page. */
  public record Page(List<Incident> incidents, String next) {}

  /**
   * The incidents about one host or user (its name without regard to case) of {@code tenants}
   * (empty: every tenant): open ones first, then the most recently updated, at most {@code limit}.
   */
  public List<Incident> incidentsAbout(
      dev.rampart.cases.entity.EntityKind kind, String name, Set<String> tenants, int limit)
      throws CaseException {
    if (limit < 1 || limit > 1000) {
      throw new CaseException(CaseException.Kind.INVALID, "limit is 1..1000");
    }
    StringBuilder sql =
        new StringBuilder(
            "SELECT "
                + COLUMNS
                + " FROM incidents WHERE "
                + (kind.incidentColumn() != null
                    ? "LOWER(" + kind.incidentColumn() + ") = ?"
                    : "id IN (SELECT incident_id FROM alerts WHERE LOWER("
                        + kind.alertColumn()
                        + ") = ? AND incident_id IS NOT NULL)"));
    List<Object> args = new ArrayList<>();
    args.add(name.toLowerCase(java.util.Locale.ROOT));
    if (!tenants.isEmpty()) {
      sql.append(" AND tenant IN (");
      int k = 0;
      for (String t : new java.util.TreeSet<>(tenants)) {
        sql.append(k++ == 0 ? "?" : ", ?");
        args.add(t);
      }
      sql.append(")");
    }
    sql.append(
        " ORDER BY CASE WHEN status IN ('resolved', 'false_positive') THEN 1 ELSE 0 END,"
            + " updated_at DESC, id DESC LIMIT ?");
    args.add(limit);
    return db.tx(
        c -> withTags(c, Db.query(c, sql.toString(), CaseStore::incident, args.toArray())));
  }

  /**
   * Incidents matching {@code f}, most recently updated first, {@code limit} (1..1000) at a time;
   * {@code after} is the previous page's {@link Page#next} (keyset paging: as fast on page 1000 as
   * on page 1).
   */
  public Page list(Filter f, int limit, String after) throws CaseException {
    if (limit < 1 || limit > 1000) {
      throw new CaseException(CaseException.Kind.INVALID, "limit is 1..1000");
    }
    if (f.priority() != null) {
      checkPriority(f.priority());
    }
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM incidents WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (!f.statuses().isEmpty()) {
      sql.append(" AND status IN (");
      int k = 0;
      for (Status s : new LinkedHashSet<>(f.statuses())) {
        sql.append(k++ == 0 ? "?" : ", ?");
        args.add(s.label());
      }
      sql.append(")");
    }
    if (f.priority() != null) {
      sql.append(" AND priority = ?");
      args.add(f.priority());
    }
    if (f.owner() != null) {
      sql.append(" AND owner = ?");
      args.add(f.owner());
    }
    if (f.tag() != null) {
      sql.append(" AND id IN (SELECT incident_id FROM incident_tags WHERE tag = ?)");
      args.add(f.tag());
    }
    if (!f.tenants().isEmpty()) {
      sql.append(" AND tenant IN (");
      int k = 0;
      for (String t : new java.util.TreeSet<>(f.tenants())) {
        sql.append(k++ == 0 ? "?" : ", ?");
        args.add(t);
      }
      sql.append(")");
    }
    if (f.breached()) {
      long now = db.now();
      sql.append(
          " AND ((acknowledged_at IS NULL AND ack_due_at < ?)"
              + " OR (resolved_at IS NULL AND resolve_due_at < ?))");
      args.add(now);
      args.add(now);
    }
    if (after != null) {
      int colon = after.indexOf(':');
      long at;
      try {
        at = Long.parseLong(after.substring(0, colon));
      } catch (RuntimeException e) {
        throw new CaseException(
            CaseException.Kind.INVALID, "not a cursor from this list: " + after);
      }
      sql.append(" AND (updated_at < ? OR (updated_at = ? AND id < ?))");
      args.add(at);
      args.add(at);
      args.add(after.substring(colon + 1));
    }
    sql.append(" ORDER BY updated_at DESC, id DESC LIMIT ?");
    args.add(limit);
    return db.tx(
        c -> {
          List<Incident> out =
              withTags(c, Db.query(c, sql.toString(), CaseStore::incident, args.toArray()));
          Incident last = out.isEmpty() ? null : out.get(out.size() - 1);
          return new Page(
              out, out.size() == limit && last != null ? last.updatedAt() + ":" + last.id() : null);
        });
  }

  /**
   * The SOC lead's numbers, in milliseconds: MTTD (event to alert, over incident alerts), MTTA
   * (opened to first acknowledged), MTTR (opened to closed); null when there is nothing to average.
   */
  public record Metrics(Double mttdMillis, Double mttaMillis, Double mttrMillis, long incidents) {}

  public Metrics metrics() throws CaseException {
    return metrics(Set.of());
  }

  /** {@link #metrics()} over the incidents of {@code tenants} (empty: all). */
  public Metrics metrics(Set<String> tenants) throws CaseException {
    String only = tenantClause(tenants);
    String and = only.isEmpty() ? "" : " AND" + only;
    return db.tx(
        c -> {
          Double mttd =
              Db.average(
                  c,
                  only.isEmpty()
                      ? "SELECT AVG("
                          + dev.rampart.cases.report.CaseReport.DETECTION_DELAY
                          + ") FROM incident_alerts a"
                      : "SELECT AVG("
                          + dev.rampart.cases.report.CaseReport.DETECTION_DELAY
                          + ") FROM incident_alerts a JOIN"
                          + " incidents i ON i.id = a.incident_id WHERE"
                          + only.replace("tenant", "i.tenant"));
          Double mtta =
              Db.average(
                  c,
                  "SELECT AVG(acknowledged_at - created_at) FROM incidents WHERE acknowledged_at"
                      + " IS NOT NULL"
                      + and);
          Double mttr =
              Db.average(
                  c,
                  "SELECT AVG(resolved_at - created_at) FROM incidents WHERE resolved_at IS NOT"
                      + " NULL AND merged_into IS NULL"
                      + and);
          long n =
              Db.query(
                      c,
                      "SELECT COUNT(*) FROM incidents" + (only.isEmpty() ? "" : " WHERE" + only),
                      r -> r.getLong(1))
                  .get(0);
          return new Metrics(mttd, mtta, mttr, n);
        });
  }

  /**
   * {@code tenant IN ('a', 'b')} with the names inlined (they are checked names: letters, digits,
   * {@code _ . -}), or empty for every tenant.
   */
  private static String tenantClause(Set<String> tenants) {
    if (tenants.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder(" tenant IN (");
    int k = 0;
    for (String t : new java.util.TreeSet<>(tenants)) {
      if (!t.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
        throw new IllegalArgumentException("not a tenant name: " + t);
      }
      sb.append(k++ == 0 ? "'" : ", '").append(t).append('\'');
    }
    return sb.append(')').toString();
  }

  /** Open incidents by priority and by age (under 1 h, 1 to 24 h, 1 to 7 d, over 7 d). */
  public record OpenCounts(Map<String, Long> byPriority, Map<String, Long> byAge) {}

  public static final List<String> AGES = List.of("under 1 h", "1 to 24 h", "1 to 7 d", "over 7 d");

  /** Counts of open incidents of {@code tenants} (empty: all), in one grouped query. */
  public OpenCounts openCounts(Set<String> tenants) throws CaseException {
    long now = db.now();
    String only = tenantClause(tenants);
    return db.tx(
        c -> {
          Map<String, Long> byPriority = new LinkedHashMap<>();
          PRIORITIES.forEach(p -> byPriority.put(p, 0L));
          Map<String, Long> byAge = new LinkedHashMap<>();
          AGES.forEach(a -> byAge.put(a, 0L));
          for (Object[] r :
              Db.query(
                  c,
                  "SELECT priority, age, COUNT(*) FROM (SELECT priority, CASE WHEN created_at >= ?"
                      + " THEN 0 WHEN created_at >= ? THEN 1 WHEN created_at >= ? THEN 2 ELSE 3"
                      + " END AS age FROM incidents WHERE status IN (?, ?, ?, ?)"
                      + (only.isEmpty() ? "" : " AND" + only)
                      + ") t GROUP BY priority, age",
                  x -> new Object[] {x.getString(1), x.getInt(2), x.getLong(3)},
                  now - 3_600_000L,
                  now - 86_400_000L,
                  now - 7 * 86_400_000L,
                  Status.NEW.label(),
                  Status.ACKNOWLEDGED.label(),
                  Status.INVESTIGATING.label(),
                  Status.CONTAINED.label())) {
            byPriority.merge((String) r[0], (Long) r[2], Long::sum);
            byAge.merge(AGES.get((Integer) r[1]), (Long) r[2], Long::sum);
          }
          return new OpenCounts(byPriority, byAge);
        });
  }

  /**
   * How a rule's alerts ended: in incidents closed as resolved (true positives) or as false
   * positives, and still open. Detection engineers tune the noisy ones first.
   */
  public record RuleOutcome(
      String ruleId, String title, long alerts, long truePositives, long falsePositives) {}

  /**
   * What the SOC saw and did in {@code [from, to)} (epoch milliseconds, widened to whole hours),
   * for {@code tenants} (empty: all).
   */
  public dev.rampart.cases.report.CaseReport report(long from, long to, Set<String> tenants)
      throws CaseException {
    return dev.rampart.cases.report.CaseReport.build(db, from, to, tenants, db.now());
  }

  /** MTTD, MTTA and MTTR of {@code [from, to)} alone (see {@link #report}). */
  public dev.rampart.cases.report.CaseReport.Times times(long from, long to, Set<String> tenants)
      throws CaseException {
    return dev.rampart.cases.report.CaseReport.times(db, from, to, tenants);
  }

  /** Per-rule outcomes, most false positives first. */
  public List<RuleOutcome> ruleOutcomes() throws CaseException {
    return db.tx(
        c ->
            Db.query(
                c,
                "SELECT a.rule_id, MAX(a.title), COUNT(*),"
                    + " SUM(CASE WHEN i.status = ? THEN 1 ELSE 0 END),"
                    + " SUM(CASE WHEN i.status = ? THEN 1 ELSE 0 END)"
                    + " FROM incident_alerts a JOIN incidents i ON i.id = a.incident_id"
                    + " GROUP BY a.rule_id ORDER BY 5 DESC, 3 DESC, 1",
                r ->
                    new RuleOutcome(
                        r.getString(1), r.getString(2), r.getLong(3), r.getLong(4), r.getLong(5)),
                Status.RESOLVED.label(),
                Status.FALSE_POSITIVE.label()));
  }

  @Override
  public void close() {
    db.close();
  }
}
