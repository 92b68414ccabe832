package dev.rampart.server.report;

import dev.rampart.cases.CaseStore;
import dev.rampart.cases.incident.CaseException;
import dev.rampart.cases.report.CaseReport;
import dev.rampart.vuln.track.VulnStore;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The SOC lead's report of one period beside the period before it: alerts, incidents, MTTD, MTTA,
 * MTTR, SLAs met, the rules, hosts and techniques behind the alerts, the rules to tune, and (when
 * the reader may see them) vulnerability findings. {@link ReportFormat} writes it as Markdown, HTML
 * or JSON; the CLI, the console, the API and the scheduled e-mails all build it here.
 *
 * @param tenants the tenants it covers; empty: all
 * @param vulns the findings of the period, null when left out (tenant reports, no permission)
 */
public record SocReport(
    long fromMillis,
    long toMillis,
    long generatedAt,
    List<String> tenants,
    CaseReport current,
    CaseReport previous,
    Volume events,
    VulnStore.Period vulns,
    VulnStore.Period previousVulns,
    List<String> notes) {
  public SocReport {
    tenants = List.copyOf(tenants);
    notes = List.copyOf(notes);
  }

  /**
   * Stored events: in the period, per UTC day, and in the period before; {@code partial} when a
   * time limit cut the counting short.
   */
  public record Volume(long total, long previous, Map<String, Long> perDay, boolean partial) {}

  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** Level colours of the chart, most severe first (as {@link CaseReport#LEVELS}). */
  public static final Map<String, String> COLOURS =
      Map.of(
          "critical", "#b91c1c",
          "high", "#ea580c",
          "medium", "#ca8a04",
          "low", "#2563eb",
          "informational", "#6b7280");

  /**
   * Builds the report of {@code period} and the same length before it; {@code vulns} null leaves
   * vulnerabilities out (they belong to no tenant, so a tenant's report never shows them), {@code
   * events} null leaves the log volume out. A volume that cannot be counted is said in the notes;
   * the rest of the report stands.
   */
  public static SocReport build(
      CaseStore cases,
      VulnStore vulns,
      EventCounts events,
      ReportPeriod period,
      Set<String> tenants)
      throws CaseException {
    long len = period.toMillis() - period.fromMillis();
    CaseReport now = cases.report(period.fromMillis(), period.toMillis(), tenants);
    CaseReport before = cases.report(period.fromMillis() - len, period.fromMillis(), tenants);
    boolean withVulns = vulns != null && tenants.isEmpty();
    List<String> notes = new ArrayList<>();
    Volume volume = null;
    if (events != null) {
      try {
        EventCounts.Counted c = events.perDay(now.fromMillis(), now.toMillis());
        EventCounts.Counted p = events.perDay(before.fromMillis(), before.toMillis());
        Map<String, Long> perDay = new java.util.LinkedHashMap<>();
        for (CaseReport.Day d : now.perDay()) {
          perDay.put(d.day(), c.perDay().getOrDefault(java.time.LocalDate.parse(d.day()), 0L));
        }
        volume = new Volume(c.total(), p.total(), perDay, c.partial() || p.partial());
        if (volume.partial()) {
          notes.add("Events were counted partially: the count reached its time limit.");
        }
      } catch (java.io.IOException | RuntimeException e) {
        notes.add("Events were not counted: " + e.getMessage());
      }
    }
    return new SocReport(
        now.fromMillis(),
        now.toMillis(),
        cases.now(),
        List.copyOf(new TreeSet<>(tenants)),
        now,
        before,
        volume,
        withVulns ? vulns.period(now.fromMillis(), now.toMillis()) : null,
        withVulns ? vulns.period(before.fromMillis(), before.toMillis()) : null,
        notes);
  }

  /** {@link #build(CaseStore, VulnStore, EventCounts, ReportPeriod, Set)} without the volume. */
  public static SocReport build(
      CaseStore cases, VulnStore vulns, ReportPeriod period, Set<String> tenants)
      throws CaseException {
    return build(cases, vulns, null, period, tenants);
  }

  /** The period's start as an instant, for scripts reading the JSON. */
  @com.fasterxml.jackson.annotation.JsonProperty("from")
  public String from() {
    return Instant.ofEpochMilli(fromMillis).toString();
  }

  /** The period's end (exclusive) as an instant. */
  @com.fasterxml.jackson.annotation.JsonProperty("to")
  public String to() {
    return Instant.ofEpochMilli(toMillis).toString();
  }

  /** "2026-01-05 00:00 to 2026-01-12 00:00 UTC (7 days)". */
  public String periodLabel() {
    return MINUTE.format(Instant.ofEpochMilli(fromMillis))
        + " to "
        + MINUTE.format(Instant.ofEpochMilli(toMillis))
        + " UTC ("
        + length()
        + ")";
  }

  /** The period's length in words: "7 days", "24 hours". */
  public String length() {
    long hours = (toMillis - fromMillis) / 3_600_000L;
    if (hours % 24 == 0) {
      long d = hours / 24;
      return d + (d == 1 ? " day" : " days");
    }
    return hours + (hours == 1 ? " hour" : " hours");
  }

  public String generated() {
    return MINUTE.format(Instant.ofEpochMilli(generatedAt)) + " UTC";
  }

  public String scope() {
    return tenants.isEmpty() ? "all tenants" : "tenants " + String.join(", ", tenants);
  }

  /** A day's stored events, "-" when they were not counted. */
  public String eventsOn(String day) {
    return events == null
        ? "-"
        : String.format(Locale.ROOT, "%,d", events.perDay().getOrDefault(day, 0L));
  }

  /** One line of the summary: the figure now, before, and the change. */
  public record Row(String label, String now, String before, String change) {}

  /** The summary table, the same in every format. */
  public List<Row> summary() {
    CaseReport.Incidents i = current.incidents();
    CaseReport.Incidents p = previous.incidents();
    List<Row> rows = new ArrayList<>();
    if (events != null) {
      rows.add(count("Events stored", events.total(), events.previous()));
    }
    rows.add(count("Alerts", current.alerts().total(), previous.alerts().total()));
    rows.add(
        count("Alerts filed into incidents", current.alerts().filed(), previous.alerts().filed()));
    rows.add(
        count(
            "Alerts suppressed or excepted",
            current.alerts().suppressed() + current.alerts().excepted(),
            previous.alerts().suppressed() + previous.alerts().excepted()));
    rows.add(count("Incidents opened", i.opened(), p.opened()));
    rows.add(count("Incidents resolved", i.resolved(), p.resolved()));
    rows.add(count("Incidents closed as false positives", i.falsePositives(), p.falsePositives()));
    rows.add(count("Incidents open at the end", i.openAtEnd(), p.openAtEnd()));
    rows.add(time("MTTD (event to alert)", i.mttdMillis(), p.mttdMillis()));
    rows.add(time("MTTA (opened to acknowledged)", i.mttaMillis(), p.mttaMillis()));
    rows.add(time("MTTR (opened to closed)", i.mttrMillis(), p.mttrMillis()));
    rows.add(sla("Acknowledged within SLA", i.acknowledge(), p.acknowledge()));
    rows.add(sla("Closed within SLA", i.resolve(), p.resolve()));
    if (vulns != null) {
      rows.add(count("Vulnerability findings opened", vulns.opened(), previousVulns.opened()));
      rows.add(count("Vulnerability findings fixed", vulns.fixed(), previousVulns.fixed()));
      rows.add(count("Findings open at the end", vulns.openAtEnd(), previousVulns.openAtEnd()));
      rows.add(
          count("Findings overdue at the end", vulns.overdueAtEnd(), previousVulns.overdueAtEnd()));
      rows.add(
          count(
              "Known exploited (KEV) open at the end",
              vulns.kevOpenAtEnd(),
              previousVulns.kevOpenAtEnd()));
    }
    return rows;
  }

  private static Row count(String label, long now, long before) {
    return new Row(
        label,
        String.format(Locale.ROOT, "%,d", now),
        String.format(Locale.ROOT, "%,d", before),
        change(now, before));
  }

  private static Row time(String label, Double now, Double before) {
    return new Row(
        label,
        duration(now),
        duration(before),
        now == null || before == null ? "" : change(now, before));
  }

  private static Row sla(String label, CaseReport.Sla now, CaseReport.Sla before) {
    return new Row(label, percent(now), percent(before), "");
  }

  /** "90% (9 of 10)", or "none due". */
  static String percent(CaseReport.Sla s) {
    Double p = s.percentMet();
    return p == null
        ? "none due"
        : String.format(Locale.ROOT, "%.0f%% (%d of %d)", p, s.met(), s.met() + s.missed());
  }

  /** "+12%", "-3%", "new", "" when both are zero. */
  static String change(double now, double before) {
    if (before == 0) {
      return now == 0 ? "" : "new";
    }
    double pct = 100 * (now - before) / before;
    return String.format(Locale.ROOT, "%+.0f%%", pct);
  }

  /** A duration for people ({@link dev.rampart.core.time.Durations#readable}). */
  public static String duration(Double ms) {
    return dev.rampart.core.time.Durations.readable(ms);
  }

  /** One coloured piece of a day's bar in the chart (SVG user units). */
  public record Segment(
      String level, double x, double y, double width, double height, String colour, long n) {}

  /** A day's label under its bar. */
  public record Label(String text, double x) {}

  /** The alerts-per-day chart as SVG shapes: stacked bars by level, most severe on top. */
  public record Chart(
      int width, int height, long max, List<Segment> segments, List<Label> labels) {}

  public Chart chart() {
    int width = 720;
    int plot = 140;
    List<CaseReport.Day> days = current.perDay();
    long max = 1;
    for (CaseReport.Day d : days) {
      max = Math.max(max, d.total());
    }
    // a year's days still fit: bars narrow down to a fraction of a unit
    double slot = (width - 20) / (double) Math.max(1, days.size());
    double bar = slot * 0.75;
    List<Segment> segments = new ArrayList<>();
    List<Label> labels = new ArrayList<>();
    int every = Math.max(1, (days.size() + 9) / 10); // at most about ten labels
    for (int k = 0; k < days.size(); k++) {
      CaseReport.Day d = days.get(k);
      double x = round(10 + k * slot);
      double top = 10 + plot;
      // least severe at the bottom
      for (String level : CaseReport.LEVELS.reversed()) {
        long n = d.byLevel().getOrDefault(level, 0L);
        if (n == 0) {
          continue;
        }
        double h = Math.max(1, round(n * (double) plot / max));
        top -= h;
        segments.add(new Segment(level, x, round(top), round(bar), h, COLOURS.get(level), n));
      }
      if (k % every == 0) {
        labels.add(new Label(d.day().substring(5), x));
      }
    }
    return new Chart(width, plot + 40, max, segments, labels);
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
