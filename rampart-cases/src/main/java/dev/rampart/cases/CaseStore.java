package dev.rampart.cases;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.rampart.alerting.alert.Alert;
import dev.rampart.cases.incident.CaseException;
import dev.rampart.cases.incident.Incident;
import dev.rampart.cases.incident.Status;
import java.io.Closeable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.flywaydb.core.Flyway;

/**
 * Incidents in a relational database: SQLite by default (a file), PostgreSQL in production, one
 * code path. Opening migrates the schema (Flyway, {@code db/migration}). Every change is one
 * transaction, so nothing half-written is ever visible; every change also adds a timeline entry.
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

  private final HikariDataSource pool;
  private final Clock clock;

  private CaseStore(String jdbcUrl, String user, String password, Clock clock) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(jdbcUrl);
    if (user != null) {
      c.setUsername(user);
      c.setPassword(password);
    }
    boolean sqlite = jdbcUrl.startsWith("jdbc:sqlite:");
    // SQLite has one writer: one connection avoids SQLITE_BUSY between our own threads.
    c.setMaximumPoolSize(sqlite ? 1 : 8);
    c.setAutoCommit(true);
    if (sqlite) {
      c.addDataSourceProperty("foreign_keys", "true");
      c.setConnectionInitSql("PRAGMA journal_mode=WAL");
    }
    this.pool = new HikariDataSource(c);
    this.clock = clock;
    Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
  }

  /** Opens (and migrates) the database at {@code jdbcUrl}. */
  public static CaseStore open(String jdbcUrl) {
    return new CaseStore(jdbcUrl, null, null, Clock.systemUTC());
  }

  public static CaseStore open(String jdbcUrl, String user, String password, Clock clock) {
    return new CaseStore(jdbcUrl, user, password, clock);
  }

  private interface Tx<T> {
    T run(Connection c) throws SQLException, CaseException;
  }

  /** Runs {@code work} in one transaction: all of it or none. */
  private <T> T tx(Tx<T> work) throws CaseException {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        T out = work.run(c);
        c.commit();
        return out;
      } catch (SQLException | CaseException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("case store: " + e.getMessage(), e);
    }
  }

  /** Opens a new incident from {@code alerts} (at least one), with its first timeline entry. */
  public Incident open(String title, String priority, List<Alert> alerts, String actor)
      throws CaseException {
    if (title == null || title.isBlank() || title.length() > 500) {
      throw new CaseException(CaseException.Kind.INVALID, "a title of 1 to 500 characters");
    }
    if (!PRIORITIES.contains(priority)) {
      throw new CaseException(
          CaseException.Kind.INVALID, "priority is one of " + PRIORITIES + ", not " + priority);
    }
    if (alerts.isEmpty()) {
      throw new CaseException(CaseException.Kind.INVALID, "an incident needs an alert");
    }
    String id = UUID.randomUUID().toString();
    long now = clock.millis();
    Alert first = alerts.get(0);
    return tx(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO incidents (id, title, status, priority, owner, host, user_name,"
                      + " created_at, updated_at) VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?)")) {
            s.setString(1, id);
            s.setString(2, title);
            s.setString(3, Status.NEW.label());
            s.setString(4, priority);
            s.setString(5, first.entities().host());
            s.setString(6, first.entities().user());
            s.setLong(7, now);
            s.setLong(8, now);
            s.executeUpdate();
          }
          for (Alert a : alerts) {
            link(c, id, a);
          }
          event(c, id, now, actor, "opened", alerts.size() + " alerts; priority " + priority);
          return get(c, id);
        });
  }

  /** Adds alerts to an incident (an alert already in it is an error: nothing is added). */
  public Incident addAlerts(String id, List<Alert> alerts, String actor) throws CaseException {
    long now = clock.millis();
    return tx(
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
    if (exists(
        c, "SELECT 1 FROM incident_alerts WHERE incident_id = ? AND alert_id = ?", id, a.id())) {
      throw new CaseException(
          CaseException.Kind.CONFLICT, "alert " + a.id() + " is already in incident " + id);
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO incident_alerts (incident_id, alert_id, rule_id, title, level,"
                + " event_time, detected_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, id);
      s.setString(2, a.id());
      s.setString(3, a.ruleId());
      s.setString(4, a.title());
      s.setString(5, a.level());
      s.setLong(6, a.eventTime() / 1_000_000);
      s.setLong(7, a.detectedAt() / 1_000_000);
      s.executeUpdate();
    }
  }

  private static boolean exists(Connection c, String sql, String... args) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setString(i + 1, args[i]);
      }
      try (ResultSet r = s.executeQuery()) {
        return r.next();
      }
    }
  }

  /**
   * Moves an incident to {@code to} when its lifecycle allows it; the first acknowledgement and the
   * closing time are recorded for MTTA and MTTR.
   */
  public Incident transition(String id, Status to, String actor) throws CaseException {
    long now = clock.millis();
    return tx(
        c -> {
          Incident i = get(c, id);
          Set<Status> allowed = i.status().next();
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
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE incidents SET status = ?, updated_at = ?,"
                      + " acknowledged_at = COALESCE(acknowledged_at, ?), resolved_at = ?"
                      + " WHERE id = ?")) {
            s.setString(1, to.label());
            s.setLong(2, now);
            if (to == Status.ACKNOWLEDGED) {
              s.setLong(3, now);
            } else {
              s.setNull(3, Types.BIGINT);
            }
            if (to.closed()) {
              s.setLong(4, now);
            } else {
              s.setNull(4, Types.BIGINT);
            }
            s.setString(5, id);
            s.executeUpdate();
          }
          event(c, id, now, actor, "status", i.status().label() + " -> " + to.label());
          return get(c, id);
        });
  }

  /** Gives the incident an owner (null: nobody). */
  public Incident assign(String id, String owner, String actor) throws CaseException {
    long now = clock.millis();
    return tx(
        c -> {
          Incident i = get(c, id);
          try (PreparedStatement s =
              c.prepareStatement("UPDATE incidents SET owner = ?, updated_at = ? WHERE id = ?")) {
            s.setString(1, owner);
            s.setLong(2, now);
            s.setString(3, id);
            s.executeUpdate();
          }
          event(c, id, now, actor, "owner", (i.owner() == null ? "-" : i.owner()) + " -> " + owner);
          return get(c, id);
        });
  }

  /** Adds a Markdown comment; returns its id. */
  public String comment(String id, String author, String markdown) throws CaseException {
    if (markdown == null || markdown.isBlank() || markdown.length() > 100_000) {
      throw new CaseException(CaseException.Kind.INVALID, "a comment of 1 to 100,000 characters");
    }
    long now = clock.millis();
    String cid = UUID.randomUUID().toString();
    return tx(
        c -> {
          get(c, id);
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO comments (id, incident_id, at, author, markdown) VALUES (?, ?, ?,"
                      + " ?, ?)")) {
            s.setString(1, cid);
            s.setString(2, id);
            s.setLong(3, now);
            s.setString(4, author);
            s.setString(5, markdown);
            s.executeUpdate();
          }
          touch(c, id, now);
          event(c, id, now, author, "comment", cid);
          return cid;
        });
  }

  /** One timeline entry. */
  public record Entry(long at, String actor, String kind, String detail) {}

  /** Everything that happened to an incident, oldest first. */
  public List<Entry> timeline(String id) throws CaseException {
    return tx(
        c -> {
          get(c, id);
          List<Entry> out = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT at, actor, kind, detail FROM timeline WHERE incident_id = ? ORDER BY"
                      + " seq")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                out.add(new Entry(r.getLong(1), r.getString(2), r.getString(3), r.getString(4)));
              }
            }
          }
          return out;
        });
  }

  private static void touch(Connection c, String id, long now) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("UPDATE incidents SET updated_at = ? WHERE id = ?")) {
      s.setLong(1, now);
      s.setString(2, id);
      s.executeUpdate();
    }
  }

  private static void event(
      Connection c, String id, long now, String actor, String kind, String detail)
      throws SQLException {
    long seq = 0;
    try (PreparedStatement s =
        c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM timeline WHERE incident_id = ?")) {
      s.setString(1, id);
      try (ResultSet r = s.executeQuery()) {
        if (r.next()) {
          seq = r.getLong(1);
        }
      }
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO timeline (incident_id, seq, at, actor, kind, detail) VALUES (?, ?, ?, ?,"
                + " ?, ?)")) {
      s.setString(1, id);
      s.setLong(2, seq + 1);
      s.setLong(3, now);
      s.setString(4, actor == null ? "-" : actor);
      s.setString(5, kind);
      s.setString(6, detail);
      s.executeUpdate();
    }
  }

  /**
   * The most recently updated open incident about {@code host} (or, when host is null, {@code
   * user}) updated at or after {@code sinceMillis}; null when there is none.
   */
  public Incident findOpen(String host, String user, long sinceMillis) throws CaseException {
    if (host == null && user == null) {
      return null;
    }
    String column = host != null ? "host" : "user_name";
    return tx(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM incidents WHERE "
                      + column
                      + " = ? AND updated_at >= ? AND status NOT IN (?, ?)"
                      + " ORDER BY updated_at DESC, id DESC LIMIT 1")) {
            s.setString(1, host != null ? host : user);
            s.setLong(2, sinceMillis);
            s.setString(3, Status.RESOLVED.label());
            s.setString(4, Status.FALSE_POSITIVE.label());
            try (ResultSet r = s.executeQuery()) {
              return r.next() ? incident(r) : null;
            }
          }
        });
  }

  /** Whether the alert is already part of some incident (a replayed alert). */
  public boolean hasAlert(String alertId) throws CaseException {
    return tx(c -> exists(c, "SELECT 1 FROM incident_alerts WHERE alert_id = ?", alertId));
  }

  /** The current time of this store's clock, epoch milliseconds. */
  public long now() {
    return clock.millis();
  }

  public Incident get(String id) throws CaseException {
    return tx(c -> get(c, id));
  }

  private static Incident get(Connection c, String id) throws SQLException, CaseException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT " + COLUMNS + " FROM incidents WHERE id = ?")) {
      s.setString(1, id);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          throw new CaseException(CaseException.Kind.NOT_FOUND, "no incident " + id);
        }
        return incident(r);
      }
    }
  }

  private static final String COLUMNS =
      "id, title, status, priority, owner, host, user_name, created_at, updated_at,"
          + " acknowledged_at, resolved_at";

  private static Incident incident(ResultSet r) throws SQLException {
    long ack = r.getLong(10);
    boolean noAck = r.wasNull();
    long res = r.getLong(11);
    boolean noRes = r.wasNull();
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
        noAck ? null : ack,
        noRes ? null : res);
  }

  /** A filter for {@link #list}: statuses (empty: any), priority and owner (null: any). */
  public record Filter(Set<Status> statuses, String priority, String owner) {
    public static Filter any() {
      return new Filter(Set.of(), null, null);
    }
  }

  /** A page of incidents, most recently updated first, and the cursor of the next page. */
  public record Page(List<Incident> incidents, String next) {}

  /**
   * Incidents matching {@code f}, most recently updated first, {@code limit} (1..1000) at a time;
   * {@code after} is the previous page's {@link Page#next} (keyset paging: as fast on page 1000 as
   * on page 1).
   */
  public Page list(Filter f, int limit, String after) throws CaseException {
    if (limit < 1 || limit > 1000) {
      throw new CaseException(CaseException.Kind.INVALID, "limit is 1..1000");
    }
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM incidents WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (!f.statuses().isEmpty()) {
      sql.append(" AND status IN (");
      int k = 0;
      for (Status s : f.statuses()) {
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
    return tx(
        c -> {
          List<Incident> out = new ArrayList<>();
          try (PreparedStatement s = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
              Object a = args.get(i);
              if (a instanceof Long l) {
                s.setLong(i + 1, l);
              } else if (a instanceof Integer n) {
                s.setInt(i + 1, n);
              } else {
                s.setString(i + 1, (String) a);
              }
            }
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                out.add(incident(r));
              }
            }
          }
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
    return tx(
        c -> {
          Double mttd = avg(c, "SELECT AVG(detected_at - event_time) FROM incident_alerts");
          Double mtta =
              avg(
                  c,
                  "SELECT AVG(acknowledged_at - created_at) FROM incidents WHERE acknowledged_at"
                      + " IS NOT NULL");
          Double mttr =
              avg(
                  c,
                  "SELECT AVG(resolved_at - created_at) FROM incidents WHERE resolved_at IS NOT"
                      + " NULL");
          long n;
          try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM incidents");
              ResultSet r = s.executeQuery()) {
            r.next();
            n = r.getLong(1);
          }
          return new Metrics(mttd, mtta, mttr, n);
        });
  }

  private static Double avg(Connection c, String sql) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql);
        ResultSet r = s.executeQuery()) {
      if (!r.next()) {
        return null;
      }
      double v = r.getDouble(1);
      return r.wasNull() ? null : v;
    }
  }

  @Override
  public void close() {
    pool.close();
  }
}
