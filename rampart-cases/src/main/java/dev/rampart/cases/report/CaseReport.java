package dev.rampart.cases.report;

import dev.rampart.cases.CaseStore;
import dev.rampart.cases.db.Db;
import dev.rampart.cases.incident.CaseException;
import dev.rampart.cases.incident.Status;
import dev.rampart.cases.queue.AlertQueue;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the SOC saw and did in one period, from the case database: alerts by level and by what
 * triage did with them, per day, the rules, hosts and techniques behind them; incidents opened and
 * closed; MTTD, MTTA and MTTR; how many acknowledgement and resolution SLAs were met; and how the
 * rules' alerts ended. Every figure counts what happened inside {@code [from, to)}: MTTD over the
 * alerts detected in it, MTTA over the incidents first acknowledged in it, MTTR over those closed
 * in it, an SLA where its due time fell in it (due times still ahead of {@code now} are not
 * judged).
 *
 * <p>Alert figures come from the hourly counts the queue keeps beside its alerts, so a period is
 * whole hours ({@link #build} widens it to them) and a month costs a few thousand small rows.
 */
public record CaseReport(
    long fromMillis,
    long toMillis,
    Alerts alerts,
    Incidents incidents,
    List<Day> perDay,
    List<Count> topRules,
    List<Count> topHosts,
    List<Count> topTechniques,
    List<RuleOutcome> ruleOutcomes) {

  private static final long HOUR = 3_600_000L;
  private static final long DAY = 24 * HOUR;
  private static final int TOP = 10;

  /**
   * An alert's detection delay; an event stamped after its alert (a sender's clock ahead of ours)
   * counts as detected at once rather than pulling the mean below zero.
   */
  public static final String DETECTION_DELAY =
      "CASE WHEN a.detected_at > a.event_time THEN a.detected_at - a.event_time ELSE 0 END";

  private static final List<String> PRIORITIES = CaseStore.PRIORITIES;

  /** Alerts: how many, by level (most severe first), and by what triage did. */
  public record Alerts(
      long total, Map<String, Long> byLevel, long filed, long suppressed, long excepted) {}

  /**
   * Incidents: opened (by priority), closed as resolved or as false positives, still open at the
   * end (by priority), the mean times in milliseconds (null: nothing to average) and the SLAs met
   * and missed.
   */
  public record Incidents(
      long opened,
      Map<String, Long> openedByPriority,
      long resolved,
      long falsePositives,
      long openAtEnd,
      Map<String, Long> openAtEndByPriority,
      Double mttdMillis,
      Double mttaMillis,
      Double mttrMillis,
      Sla acknowledge,
      Sla resolve) {}

  /** The mean times of a period in milliseconds (null: nothing to average). */
  public record Times(Double mttdMillis, Double mttaMillis, Double mttrMillis) {}

  /**
   * The mean times of {@code [from, to)} (widened to whole hours) alone, for the dashboard: three
   * averages instead of the whole report.
   */
  public static Times times(Db db, long from, long to, Set<String> tenants) throws CaseException {
    long f = Math.floorDiv(from, HOUR) * HOUR;
    long t = Math.floorDiv(to + HOUR - 1, HOUR) * HOUR;
    return db.tx(c -> new Builder(c, f, t, tenants, db.now()).times());
  }

  /** SLAs whose due time fell in the period: met, and missed (late or still not done). */
  public record Sla(long met, long missed) {
    /** Met as a percentage of those judged; null when none was due. */
    public Double percentMet() {
      long n = met + missed;
      return n == 0 ? null : 100.0 * met / n;
    }
  }

  /** One UTC day's alerts by level, most severe first. */
  public record Day(String day, Map<String, Long> byLevel) {
    public long total() {
      return byLevel.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  public record Count(String name, long count) {}

  /**
   * A rule's alerts in incidents closed in the period: as true positives (resolved) and as false
   * positives. Most false positives first: the tuning list.
   */
  public record RuleOutcome(
      String ruleId, String title, long alerts, long truePositives, long falsePositives) {}

  /** Levels most severe first, as reports list them. */
  public static final List<String> LEVELS = AlertQueue.LEVELS.reversed();

  /**
   * The report of {@code [from, to)} (widened to whole hours) for {@code tenants} (empty: all);
   * {@code now} bounds which SLAs can be judged.
   */
  public static CaseReport build(Db db, long from, long to, Set<String> tenants, long now)
      throws CaseException {
    long f = Math.floorDiv(from, HOUR) * HOUR;
    long t = Math.floorDiv(to + HOUR - 1, HOUR) * HOUR;
    if (t <= f) {
      throw new CaseException(CaseException.Kind.INVALID, "a report's period ends after it starts");
    }
    return db.tx(c -> new Builder(c, f, t, tenants, now).build());
  }

  /** One report's queries, on one connection. */
  private static final class Builder {
    private final Connection c;
    private final long from;
    private final long to;
    private final Set<String> tenants;
    private final long now;

    Builder(Connection c, long from, long to, Set<String> tenants, long now) {
      this.c = c;
      this.from = from;
      this.to = to;
      this.tenants = new TreeSet<>(tenants);
      this.now = now;
    }

    CaseReport build() throws SQLException {
      return new CaseReport(
          from,
          to,
          alerts(),
          incidents(),
          perDay(),
          top("rule"),
          top("host"),
          techniques(),
          ruleOutcomes());
    }

    /** {@code AND <column> IN (?, ...)} for the tenants, with their values added to args. */
    private String tenants(String column, List<Object> args) {
      if (tenants.isEmpty()) {
        return "";
      }
      StringBuilder sb = new StringBuilder(" AND ").append(column).append(" IN (");
      int k = 0;
      for (String t : tenants) {
        sb.append(k++ == 0 ? "?" : ", ?");
        args.add(t);
      }
      return sb.append(')').toString();
    }

    private Alerts alerts() throws SQLException {
      Map<String, Long> byLevel = zeros(LEVELS);
      long total = 0;
      List<Object> args = new ArrayList<>(List.of(from / HOUR, to / HOUR));
      String only = tenants("tenant", args);
      for (Object[] r :
          Db.query(
              c,
              "SELECT value, SUM(n) FROM alert_counts WHERE hour >= ? AND hour < ?"
                  + only
                  + " AND dim = 'level' GROUP BY value",
              x -> new Object[] {x.getString(1), x.getLong(2)},
              args.toArray())) {
        long n = (Long) r[1];
        byLevel.merge(level((String) r[0]), n, Long::sum);
        total += n;
      }
      Map<String, Long> outcomes = new TreeMap<>();
      args = new ArrayList<>(List.of(from, to));
      only = tenants("tenant", args);
      for (Object[] r :
          Db.query(
              c,
              "SELECT outcome, COUNT(*) FROM alerts WHERE detected_at >= ? AND detected_at < ?"
                  + only
                  + " GROUP BY outcome",
              x -> new Object[] {x.getString(1), x.getLong(2)},
              args.toArray())) {
        outcomes.put((String) r[0], (Long) r[1]);
      }
      return new Alerts(
          total,
          byLevel,
          outcomes.getOrDefault(AlertQueue.FILED, 0L),
          outcomes.getOrDefault(AlertQueue.SUPPRESSED, 0L),
          outcomes.getOrDefault(AlertQueue.EXCEPTED, 0L));
    }

    private static String level(String rank) {
      int r = Integer.parseInt(rank);
      return AlertQueue.LEVELS.get(Math.min(AlertQueue.LEVELS.size() - 1, Math.max(0, r)));
    }

    private List<Day> perDay() throws SQLException {
      Map<Long, Map<String, Long>> days = new TreeMap<>();
      for (long d = Math.floorDiv(from, DAY); d * DAY < to; d++) {
        days.put(d, zeros(LEVELS));
      }
      List<Object> args = new ArrayList<>(List.of(from / HOUR, to / HOUR));
      String only = tenants("tenant", args);
      for (Object[] r :
          Db.query(
              c,
              "SELECT hour, value, SUM(n) FROM alert_counts WHERE hour >= ? AND hour < ?"
                  + only
                  + " AND dim = 'level' GROUP BY hour, value",
              x -> new Object[] {x.getLong(1), x.getString(2), x.getLong(3)},
              args.toArray())) {
        long day = Math.floorDiv((Long) r[0], 24L);
        days.get(day).merge(level((String) r[1]), (Long) r[2], Long::sum);
      }
      List<Day> out = new ArrayList<>();
      for (var e : days.entrySet()) {
        out.add(new Day(java.time.LocalDate.ofEpochDay(e.getKey()).toString(), e.getValue()));
      }
      return out;
    }

    private List<Count> top(String dim) throws SQLException {
      List<Object> args = new ArrayList<>(List.of(from / HOUR, to / HOUR, dim));
      String only = tenants("tenant", args);
      return Db.query(
          c,
          "SELECT value, SUM(n) AS total FROM alert_counts WHERE hour >= ? AND hour < ?"
              + " AND dim = ?"
              + only
              + " GROUP BY value ORDER BY total DESC, value LIMIT "
              + TOP,
          x -> new Count(x.getString(1), x.getLong(2)),
          args.toArray());
    }

    private List<Count> techniques() throws SQLException {
      List<Object> args = new ArrayList<>(List.of(from, to));
      String only = tenants("tenant", args);
      Map<String, Long> counts = new TreeMap<>();
      // few distinct sets of techniques: grouped by the database, split here
      for (Object[] r :
          Db.query(
              c,
              "SELECT techniques, COUNT(*) FROM alerts WHERE detected_at >= ? AND detected_at < ?"
                  + only
                  + " GROUP BY techniques",
              x -> new Object[] {x.getString(1), x.getLong(2)},
              args.toArray())) {
        String set = (String) r[0];
        if (set == null || set.isBlank()) {
          continue;
        }
        for (String t : new LinkedHashSet<>(List.of(set.strip().split("\\s+")))) {
          counts.merge(t.toUpperCase(Locale.ROOT), (Long) r[1], Long::sum);
        }
      }
      return counts.entrySet().stream()
          .sorted(
              (a, b) ->
                  a.getValue().equals(b.getValue())
                      ? a.getKey().compareTo(b.getKey())
                      : Long.compare(b.getValue(), a.getValue()))
          .limit(TOP)
          .map(e -> new Count(e.getKey(), e.getValue()))
          .toList();
    }

    private Incidents incidents() throws SQLException {
      Map<String, Long> opened = zeros(PRIORITIES);
      long openedTotal = 0;
      List<Object> args = new ArrayList<>(List.of(from, to));
      String only = tenants("tenant", args);
      for (Object[] r :
          Db.query(
              c,
              "SELECT priority, COUNT(*) FROM incidents WHERE created_at >= ? AND created_at < ?"
                  + " AND merged_into IS NULL"
                  + only
                  + " GROUP BY priority",
              x -> new Object[] {x.getString(1), x.getLong(2)},
              args.toArray())) {
        opened.merge((String) r[0], (Long) r[1], Long::sum);
        openedTotal += (Long) r[1];
      }

      long resolved = 0;
      long falsePositives = 0;
      args = new ArrayList<>(List.of(from, to));
      only = tenants("tenant", args);
      for (Object[] r :
          Db.query(
              c,
              "SELECT status, COUNT(*) FROM incidents WHERE resolved_at >= ? AND resolved_at < ?"
                  + " AND merged_into IS NULL"
                  + only
                  + " GROUP BY status",
              x -> new Object[] {x.getString(1), x.getLong(2)},
              args.toArray())) {
        if (Status.FALSE_POSITIVE.label().equals(r[0])) {
          falsePositives += (Long) r[1];
        } else {
          resolved += (Long) r[1];
        }
      }

      Map<String, Long> open = zeros(PRIORITIES);
      long openTotal = 0;
      args = new ArrayList<>(List.of(to, to));
      only = tenants("tenant", args);
      for (Object[] r :
          Db.query(
              c,
              "SELECT priority, COUNT(*) FROM incidents WHERE created_at < ?"
                  + " AND (resolved_at IS NULL OR resolved_at >= ?) AND merged_into IS NULL"
                  + only
                  + " GROUP BY priority",
              x -> new Object[] {x.getString(1), x.getLong(2)},
              args.toArray())) {
        open.merge((String) r[0], (Long) r[1], Long::sum);
        openTotal += (Long) r[1];
      }

      Times t = times();
      return new Incidents(
          openedTotal,
          opened,
          resolved,
          falsePositives,
          openTotal,
          open,
          t.mttdMillis(),
          t.mttaMillis(),
          t.mttrMillis(),
          sla("acknowledged_at", "ack_due_at"),
          sla("resolved_at", "resolve_due_at"));
    }

    /** MTTD over the alerts detected in the period, MTTA and MTTR over what was done in it. */
    Times times() throws SQLException {
      List<Object> args = new ArrayList<>(List.of(from, to));
      String only = tenants("i.tenant", args);
      // every tenant's: the index alone answers; a tenant's needs its incidents
      Double mttd =
          Db.average(
              c,
              "SELECT AVG("
                  + DETECTION_DELAY
                  + ") FROM incident_alerts a"
                  + (only.isEmpty() ? "" : " JOIN incidents i ON i.id = a.incident_id")
                  + " WHERE a.detected_at >= ? AND a.detected_at < ?"
                  + only,
              args.toArray());
      args = new ArrayList<>(List.of(from, to));
      only = tenants("tenant", args);
      Double mtta =
          Db.average(
              c,
              "SELECT AVG(acknowledged_at - created_at) FROM incidents WHERE acknowledged_at >= ?"
                  + " AND acknowledged_at < ? AND merged_into IS NULL"
                  + only,
              args.toArray());
      args = new ArrayList<>(List.of(from, to));
      only = tenants("tenant", args);
      Double mttr =
          Db.average(
              c,
              "SELECT AVG(resolved_at - created_at) FROM incidents WHERE resolved_at >= ?"
                  + " AND resolved_at < ? AND merged_into IS NULL"
                  + only,
              args.toArray());
      return new Times(mttd, mtta, mttr);
    }

    /** SLAs due in the period (and before now): done by the due time, or not. */
    private Sla sla(String done, String due) throws SQLException {
      long until = Math.min(to, now);
      if (until <= from) {
        return new Sla(0, 0);
      }
      List<Object> args = new ArrayList<>(List.of(from, until));
      String only = tenants("tenant", args);
      List<long[]> r =
          Db.query(
              c,
              "SELECT COUNT(*), SUM(CASE WHEN "
                  + done
                  + " IS NOT NULL AND "
                  + done
                  + " <= "
                  + due
                  + " THEN 1 ELSE 0 END) FROM incidents WHERE "
                  + due
                  + " >= ? AND "
                  + due
                  + " < ? AND merged_into IS NULL"
                  + only,
              x -> new long[] {x.getLong(1), x.getLong(2)},
              args.toArray());
      long all = r.isEmpty() ? 0 : r.get(0)[0];
      long met = r.isEmpty() ? 0 : r.get(0)[1];
      return new Sla(met, all - met);
    }

    private List<RuleOutcome> ruleOutcomes() throws SQLException {
      List<Object> args =
          new ArrayList<>(
              List.of(Status.RESOLVED.label(), Status.FALSE_POSITIVE.label(), from, to));
      String only = tenants("i.tenant", args);
      return Db.query(
          c,
          "SELECT a.rule_id, MAX(a.title), COUNT(*),"
              + " SUM(CASE WHEN i.status = ? THEN 1 ELSE 0 END),"
              + " SUM(CASE WHEN i.status = ? THEN 1 ELSE 0 END)"
              + " FROM incident_alerts a JOIN incidents i ON i.id = a.incident_id"
              + " WHERE i.resolved_at >= ? AND i.resolved_at < ? AND i.merged_into IS NULL"
              + only
              + " GROUP BY a.rule_id ORDER BY 5 DESC, 3 DESC, 1 LIMIT "
              + TOP,
          x ->
              new RuleOutcome(
                  x.getString(1), x.getString(2), x.getLong(3), x.getLong(4), x.getLong(5)),
          args.toArray());
    }
  }

  private static Map<String, Long> zeros(List<String> keys) {
    Map<String, Long> m = new LinkedHashMap<>();
    keys.forEach(k -> m.put(k, 0L));
    return m;
  }
}
