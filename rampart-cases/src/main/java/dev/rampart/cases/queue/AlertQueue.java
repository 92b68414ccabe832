package dev.rampart.cases.queue;

import dev.rampart.alerting.alert.Alert;
import dev.rampart.cases.db.Db;
import dev.rampart.cases.incident.CaseException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The alert queue: every alert that reached triage, with what triage did with it (filed into an
 * incident, suppressed, silenced by an exception) and what analysts did (acknowledged, assigned).
 * Pages by index, newest first, so the console's list costs the same at a hundred or a million
 * alerts. Times are epoch milliseconds.
 */
public final class AlertQueue {
  public static final String FILED = "filed";
  public static final String SUPPRESSED = "suppressed";
  public static final String EXCEPTED = "excepted";
  public static final String NEW = "new";
  public static final String ACKNOWLEDGED = "acknowledged";

  /** Levels, least first; an alert's rank is its index. */
  public static final List<String> LEVELS =
      List.of("informational", "low", "medium", "high", "critical");

  /** Most alerts one bulk action may touch. */
  public static final int MAX_BULK = 1000;

  /** One alert as queued. */
  public record Row(
      String id,
      String tenant,
      String ruleId,
      String title,
      String level,
      String host,
      String user,
      String sourceIp,
      List<String> techniques,
      List<Long> eventIds,
      long eventTime,
      long detectedAt,
      String outcome,
      String incidentId,
      String state,
      String assignee,
      Long acknowledgedAt,
      String acknowledgedBy) {}

  /**
   * What to list: tenants (empty: every tenant), the least level, host, rule id, state, user (null:
   * any); host and user in any case.
   */
  public record Filter(
      Set<String> tenants,
      String minLevel,
      String host,
      String rule,
      String state,
      String user,
      String sourceIp) {
    public Filter {
      tenants = Set.copyOf(tenants);
    }

    /** Of any source address. */
    public Filter(
        Set<String> tenants, String minLevel, String host, String rule, String state, String user) {
      this(tenants, minLevel, host, rule, state, user, null);
    }

    /** Of any user and source address. */
    public Filter(Set<String> tenants, String minLevel, String host, String rule, String state) {
      this(tenants, minLevel, host, rule, state, null, null);
    }

    public static Filter any() {
      return new Filter(Set.of(), null, null, null, null);
    }
  }

  /** A page, newest first, and the cursor of the next (older) page; null at the end. */
  public record Page(List<Row> alerts, String next) {}

  /** Counts for the dashboard since a time: per hour, per level, top rules and hosts. */
  public record Summary(
      long[] perHour,
      long[][] perHourByLevel,
      Map<String, Long> levels,
      Map<String, Long> rules,
      Map<String, Long> hosts,
      long total) {}

  private final Db db;

  public AlertQueue(Db db) {
    this.db = db;
  }

  /**
   * Queues {@code a} with its outcome inside the caller's transaction (the incident link's, so an
   * alert is never in an incident without being queued); a replayed alert keeps its row.
   */
  public static void record(Connection c, Alert a, String outcome, String incidentId)
      throws SQLException {
    if (Db.exists(c, "SELECT 1 FROM alerts WHERE id = ?", a.id())) {
      Db.update(
          c,
          "UPDATE alerts SET outcome = ?, incident_id = ? WHERE id = ?",
          outcome,
          incidentId,
          a.id());
      return;
    }
    Db.update(
        c,
        "INSERT INTO alerts (id, tenant, rule_id, title, level, level_rank, host, user_name,"
            + " source_ip, techniques, event_ids, event_time, detected_at, outcome, incident_id,"
            + " state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        a.id(),
        a.tenant(),
        a.ruleId(),
        a.title(),
        a.level(),
        Math.max(0, LEVELS.indexOf(a.level())),
        a.entities().host(),
        a.entities().user(),
        a.entities().sourceIp(),
        String.join(" ", a.techniques()),
        String.join(" ", a.eventIds().stream().map(String::valueOf).toList()),
        a.eventTime() / 1_000_000,
        a.detectedAt() / 1_000_000,
        outcome,
        incidentId,
        NEW);
    long hour = a.detectedAt() / 1_000_000 / 3_600_000L;
    count(c, a.tenant(), hour, "level", Integer.toString(Math.max(0, LEVELS.indexOf(a.level()))));
    count(c, a.tenant(), hour, "rule", a.title());
    if (a.entities().host() != null) {
      count(c, a.tenant(), hour, "host", a.entities().host());
    }
  }

  private static void count(Connection c, String tenant, long hour, String dim, String value)
      throws SQLException {
    Db.update(
        c,
        "INSERT INTO alert_counts (tenant, hour, dim, value, n) VALUES (?, ?, ?, ?, 1)"
            + " ON CONFLICT (tenant, hour, dim, value) DO UPDATE SET n = alert_counts.n + 1",
        tenant,
        hour,
        dim,
        value);
  }

  /** Queues an alert triage kept out of incidents ({@link #SUPPRESSED}, {@link #EXCEPTED}). */
  public void record(Alert a, String outcome) throws CaseException {
    db.tx(
        c -> {
          record(c, a, outcome, null);
          return null;
        });
  }

  /** Whether triage has seen the alert (a replay after a crash). */
  /**
   * Alerts since {@code sinceMillis} whose user is one of {@code users} (compared without case),
   * whatever triage did with them: how often a person's accounts are in alerts.
   */
  public int countAbout(java.util.Collection<String> users, long sinceMillis) throws CaseException {
    if (users.isEmpty()) {
      return 0;
    }
    StringBuilder in = new StringBuilder();
    List<Object> args = new ArrayList<>();
    for (String u : users) {
      in.append(in.isEmpty() ? "?" : ",?");
      args.add(u.toLowerCase(java.util.Locale.ROOT));
    }
    args.add(sinceMillis);
    return db.tx(
        c ->
            Db.query(
                    c,
                    "SELECT COUNT(*) FROM alerts WHERE LOWER(user_name) IN ("
                        + in
                        + ") AND detected_at >= ?",
                    r -> r.getInt(1),
                    args.toArray())
                .get(0));
  }

  public boolean has(String id) throws CaseException {
    return db.tx(c -> Db.exists(c, "SELECT 1 FROM alerts WHERE id = ?", id));
  }

  private static final String COLUMNS =
      "id, tenant, rule_id, title, level, host, user_name, source_ip, techniques, event_ids,"
          + " event_time, detected_at, outcome, incident_id, state, assignee, acknowledged_at,"
          + " acknowledged_by";

  private static Row row(ResultSet r) throws SQLException {
    String ids = r.getString(10);
    return new Row(
        r.getString(1),
        r.getString(2),
        r.getString(3),
        r.getString(4),
        r.getString(5),
        r.getString(6),
        r.getString(7),
        r.getString(8),
        words(r.getString(9)),
        ids.isBlank() ? List.of() : Arrays.stream(ids.split(" ")).map(Long::valueOf).toList(),
        r.getLong(11),
        r.getLong(12),
        r.getString(13),
        r.getString(14),
        r.getString(15),
        r.getString(16),
        Db.nullableLong(r, 17),
        r.getString(18));
  }

  private static List<String> words(String s) {
    return s == null || s.isBlank() ? List.of() : List.of(s.split(" "));
  }

  /**
   * The alerts that cite event {@code eventId} (of {@code tenants}; empty: every tenant), newest
   * first, at most {@code limit}. They are looked for among the alerts about the event's hosts (its
   * {@code host.name} and its sender's name, any case; none: every host) detected from an hour
   * before the event's time on, which the host index finds without reading the whole table.
   */
  public List<Row> citing(
      long eventId, Set<String> hosts, long eventTimeMillis, Set<String> tenants, int limit)
      throws CaseException {
    if (limit < 1 || limit > 1000) {
      throw new CaseException(CaseException.Kind.INVALID, "limit is 1..1000");
    }
    StringBuilder where = new StringBuilder(" FROM alerts WHERE detected_at >= ?");
    List<Object> args = new ArrayList<>(List.of(eventTimeMillis - 3_600_000L));
    if (!hosts.isEmpty()) {
      where.append(" AND LOWER(host) IN (");
      int k = 0;
      for (String h : new TreeSet<>(hosts)) {
        where.append(k++ == 0 ? "?" : ", ?");
        args.add(h.toLowerCase(java.util.Locale.ROOT));
      }
      where.append(")");
    }
    // event_ids holds the ids separated by spaces
    where.append(" AND (' ' || event_ids || ' ') LIKE ?");
    args.add("% " + eventId + " %");
    tenants(where, args, tenants);
    args.add(limit);
    return db.tx(
        c ->
            Db.query(
                c,
                "SELECT " + COLUMNS + where + " ORDER BY detected_at DESC, id DESC LIMIT ?",
                AlertQueue::row,
                args.toArray()));
  }

  /** One alert; NOT_FOUND also when it belongs to a tenant outside {@code tenants}. */
  public Row get(String id, Set<String> tenants) throws CaseException {
    List<Row> found =
        db.tx(
            c ->
                Db.query(
                    c, "SELECT " + COLUMNS + " FROM alerts WHERE id = ?", AlertQueue::row, id));
    if (found.isEmpty() || !(tenants.isEmpty() || tenants.contains(found.get(0).tenant()))) {
      throw new CaseException(CaseException.Kind.NOT_FOUND, "no alert " + id);
    }
    return found.get(0);
  }

  /**
   * Alerts matching {@code f}, newest first, {@code limit} (1..1000) at a time; {@code before} is
   * the previous page's {@link Page#next} (keyset paging).
   */
  public Page list(Filter f, int limit, String before) throws CaseException {
    return list(f, limit, before, false);
  }

  /**
   * Alerts matching {@code f} newer than {@code after} (a row's {@code detectedAt:id}), newest
   * first, at most {@code limit}: what arrived since a page was drawn.
   */
  public List<Row> newer(Filter f, int limit, String after) throws CaseException {
    List<Row> out = new ArrayList<>(list(f, limit, after, true).alerts());
    java.util.Collections.reverse(out);
    return out;
  }

  /**
   * The alerts about one host or user (its name without regard to case) of {@code tenants} (empty:
   * every tenant) detected in {@code [sinceMillis, untilMillis)}: the newest {@code limit}, and how
   * many there are per level and still new (not acknowledged).
   */
  public About about(
      dev.rampart.cases.entity.EntityKind kind,
      String name,
      Set<String> tenants,
      long sinceMillis,
      long untilMillis,
      int limit)
      throws CaseException {
    if (limit < 1 || limit > 1000) {
      throw new CaseException(CaseException.Kind.INVALID, "limit is 1..1000");
    }
    StringBuilder where =
        new StringBuilder(
            " FROM alerts WHERE LOWER("
                + kind.alertColumn()
                + ") = ? AND detected_at >= ? AND detected_at < ?");
    List<Object> args = new ArrayList<>();
    args.add(name.toLowerCase(java.util.Locale.ROOT));
    args.add(sinceMillis);
    args.add(untilMillis);
    tenants(where, args, tenants);
    return db.tx(
        c -> {
          Map<String, Long> levels = new LinkedHashMap<>();
          long[] fresh = {0};
          Db.query(
              c,
              "SELECT level, state, COUNT(*)" + where + " GROUP BY level, state",
              r -> {
                levels.merge(r.getString(1), r.getLong(3), Long::sum);
                if (NEW.equals(r.getString(2))) {
                  fresh[0] += r.getLong(3);
                }
                return null;
              },
              args.toArray());
          List<Object> page = new ArrayList<>(args);
          page.add(limit);
          List<Row> newest =
              Db.query(
                  c,
                  "SELECT " + COLUMNS + where + " ORDER BY detected_at DESC, id DESC LIMIT ?",
                  AlertQueue::row,
                  page.toArray());
          Map<String, Long> ordered = new LinkedHashMap<>();
          for (int i = LEVELS.size() - 1; i >= 0; i--) {
            Long n = levels.get(LEVELS.get(i));
            if (n != null) {
              ordered.put(LEVELS.get(i), n);
            }
          }
          return new About(ordered, fresh[0], newest);
        });
  }

  /**
   * An entity's alerts: how many per level (most severe first; levels without any left out), how
   * many are still new, and the newest.
   */
  public record About(Map<String, Long> byLevel, long unacknowledged, List<Row> newest) {
    public About {
      byLevel = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byLevel));
      newest = List.copyOf(newest);
    }

    public long total() {
      return byLevel.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** The cursor of {@code r}, for {@link #list} and {@link #newer}. */
  public static String cursor(Row r) {
    return r.detectedAt() + ":" + r.id();
  }

  private Page list(Filter f, int limit, String cursor, boolean newer) throws CaseException {
    String before = cursor;
    if (limit < 1 || limit > 1000) {
      throw new CaseException(CaseException.Kind.INVALID, "limit is 1..1000");
    }
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM alerts WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    tenants(sql, args, f.tenants());
    if (f.minLevel() != null) {
      int rank = LEVELS.indexOf(f.minLevel());
      if (rank < 0) {
        throw new CaseException(
            CaseException.Kind.INVALID, "level is one of " + LEVELS + ", not " + f.minLevel());
      }
      if (rank > 0) {
        sql.append(" AND level_rank >= ?");
        args.add(rank);
      }
    }
    if (f.host() != null) {
      sql.append(" AND LOWER(host) = ?");
      args.add(f.host().toLowerCase(java.util.Locale.ROOT));
    }
    if (f.rule() != null) {
      sql.append(" AND rule_id = ?");
      args.add(f.rule());
    }
    if (f.user() != null) {
      sql.append(" AND LOWER(user_name) = ?");
      args.add(f.user().toLowerCase(java.util.Locale.ROOT));
    }
    if (f.sourceIp() != null) {
      sql.append(" AND LOWER(source_ip) = ?"); // IPv6 written in either case; V15's index
      args.add(f.sourceIp().toLowerCase(java.util.Locale.ROOT));
    }
    if (f.state() != null) {
      if (!f.state().equals(NEW) && !f.state().equals(ACKNOWLEDGED)) {
        throw new CaseException(
            CaseException.Kind.INVALID, "state is new or acknowledged, not " + f.state());
      }
      sql.append(" AND state = ?");
      args.add(f.state());
    }
    if (before != null) {
      int colon = before.indexOf(':');
      long at;
      try {
        at = Long.parseLong(before.substring(0, colon));
      } catch (RuntimeException e) {
        throw new CaseException(
            CaseException.Kind.INVALID, "not a cursor from this list: " + before);
      }
      sql.append(
          newer
              ? " AND (detected_at > ? OR (detected_at = ? AND id > ?))"
              : " AND (detected_at < ? OR (detected_at = ? AND id < ?))");
      args.add(at);
      args.add(at);
      args.add(before.substring(colon + 1));
    }
    sql.append(
        newer
            ? " ORDER BY detected_at ASC, id ASC LIMIT ?"
            : " ORDER BY detected_at DESC, id DESC LIMIT ?");
    args.add(limit);
    return db.tx(
        c -> {
          List<Row> out = Db.query(c, sql.toString(), AlertQueue::row, args.toArray());
          Row last = out.isEmpty() ? null : out.get(out.size() - 1);
          return new Page(
              out,
              out.size() == limit && last != null ? last.detectedAt() + ":" + last.id() : null);
        });
  }

  private static void tenants(StringBuilder sql, List<Object> args, Set<String> tenants) {
    if (tenants.isEmpty()) {
      return;
    }
    sql.append(" AND tenant IN (");
    int k = 0;
    for (String t : new TreeSet<>(tenants)) {
      sql.append(k++ == 0 ? "?" : ", ?");
      args.add(t);
    }
    sql.append(")");
  }

  /**
   * Acknowledges the alerts among {@code ids} of {@code tenants} not yet acknowledged; returns how
   * many changed. One audit entry for the whole action.
   */
  public int acknowledge(Collection<String> ids, Set<String> tenants, String actor)
      throws CaseException {
    return bulk(
        ids,
        tenants,
        actor,
        "alert.acknowledge",
        "UPDATE alerts SET state = ?, acknowledged_at = ?, acknowledged_by = ?",
        " AND state = ?",
        List.of(ACKNOWLEDGED, db.now(), actor),
        List.of(NEW),
        "");
  }

  /** Assigns the alerts among {@code ids} of {@code tenants} to {@code assignee} (null: nobody). */
  public int assign(Collection<String> ids, String assignee, Set<String> tenants, String actor)
      throws CaseException {
    if (assignee != null && (assignee.isBlank() || assignee.length() > 200)) {
      throw new CaseException(CaseException.Kind.INVALID, "an assignee of 1 to 200 characters");
    }
    List<Object> set = new ArrayList<>();
    set.add(assignee);
    return bulk(
        ids,
        tenants,
        actor,
        "alert.assign",
        "UPDATE alerts SET assignee = ?",
        "",
        set,
        List.of(),
        " to " + (assignee == null ? "nobody" : assignee));
  }

  private int bulk(
      Collection<String> ids,
      Set<String> tenants,
      String actor,
      String action,
      String update,
      String condition,
      List<Object> setArgs,
      List<Object> conditionArgs,
      String detail)
      throws CaseException {
    Set<String> unique = new LinkedHashSet<>(ids);
    if (unique.isEmpty()) {
      throw new CaseException(CaseException.Kind.INVALID, "no alerts chosen");
    }
    if (unique.size() > MAX_BULK) {
      throw new CaseException(
          CaseException.Kind.INVALID, "at most " + MAX_BULK + " alerts at a time");
    }
    StringBuilder sql = new StringBuilder(update).append(" WHERE id IN (");
    List<Object> args = new ArrayList<>(setArgs);
    int k = 0;
    for (String id : unique) {
      sql.append(k++ == 0 ? "?" : ", ?");
      args.add(id);
    }
    sql.append(")").append(condition);
    args.addAll(conditionArgs);
    tenants(sql, args, tenants);
    return db.tx(
        c -> {
          int n = Db.update(c, sql.toString(), args.toArray());
          String names = String.join(", ", unique);
          db.audit(
              c,
              actor,
              action,
              names.length() > 300 ? names.substring(0, 300) + " …" : names,
              n + " of " + unique.size() + " alerts" + detail);
          return n;
        });
  }

  /**
   * Dashboard counts of the alerts detected in the {@code hours} whole hours from the one that
   * holds {@code sinceMillis}, of {@code tenants} (empty: all), from the hourly counts.
   */
  public Summary summary(long sinceMillis, int hours, Set<String> tenants) throws CaseException {
    long first = Math.floorDiv(sinceMillis, 3_600_000L);
    StringBuilder where = new StringBuilder(" WHERE hour >= ? AND hour < ?");
    List<Object> args = new ArrayList<>(List.of(first, first + hours));
    tenants(where, args, tenants);
    return db.tx(
        c -> {
          long[] perHour = new long[hours];
          long[][] byLevel = new long[hours][LEVELS.size()];
          Map<String, Long> levels = new LinkedHashMap<>();
          long total = 0;
          for (Object[] r :
              Db.query(
                  c,
                  "SELECT hour, value, SUM(n) FROM alert_counts"
                      + where
                      + " AND dim = 'level' GROUP BY hour, value",
                  x -> new Object[] {x.getLong(1), x.getString(2), x.getLong(3)},
                  args.toArray())) {
            int h = (int) ((Long) r[0] - first);
            int rank = Math.min(LEVELS.size() - 1, Math.max(0, Integer.parseInt((String) r[1])));
            long n = (Long) r[2];
            perHour[h] += n;
            byLevel[h][rank] += n;
            levels.merge(LEVELS.get(rank), n, Long::sum);
            total += n;
          }
          return new Summary(
              perHour,
              byLevel,
              levels,
              top(c, "rule", where, args, 8),
              top(c, "host", where, args, 8),
              total);
        });
  }

  /**
   * Alerts per ATT&CK technique detected since {@code sinceMillis}, of {@code tenants} (empty:
   * all): an alert naming two techniques counts for both.
   */
  public Map<String, Long> techniques(long sinceMillis, Set<String> tenants) throws CaseException {
    StringBuilder where = new StringBuilder(" WHERE detected_at >= ?");
    List<Object> args = new ArrayList<>(List.of(sinceMillis));
    tenants(where, args, tenants);
    return db.tx(
        c -> {
          Map<String, Long> out = new java.util.TreeMap<>();
          // few distinct sets of techniques: grouped by the database, split here
          for (Object[] r :
              Db.query(
                  c,
                  "SELECT techniques, COUNT(*) FROM alerts" + where + " GROUP BY techniques",
                  x -> new Object[] {x.getString(1), x.getLong(2)},
                  args.toArray())) {
            String set = (String) r[0];
            if (set == null || set.isBlank()) {
              continue;
            }
            for (String t : new java.util.LinkedHashSet<>(List.of(set.strip().split("\\s+")))) {
              out.merge(t.toUpperCase(java.util.Locale.ROOT), (Long) r[1], Long::sum);
            }
          }
          return out;
        });
  }

  private static Map<String, Long> top(
      Connection c, String dim, StringBuilder where, List<Object> args, int top)
      throws SQLException {
    Map<String, Long> out = new LinkedHashMap<>();
    for (Object[] r :
        Db.query(
            c,
            "SELECT value, SUM(n) AS total FROM alert_counts"
                + where
                + " AND dim = '"
                + dim
                + "' GROUP BY value ORDER BY total DESC, value LIMIT "
                + top,
            x -> new Object[] {x.getString(1), x.getLong(2)},
            args.toArray())) {
      out.put((String) r[0], (Long) r[1]);
    }
    return out;
  }
}
