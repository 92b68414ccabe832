package dev.rampart.server.console;

import java.util.List;

/** What the console's templates show: plain values, formatted for people, built per request. */
public final class Views {
  private Views() {}

  /** Who is signed in, and the CSRF token their forms carry. */
  public record User(
      String name,
      String role,
      String csrf,
      java.util.Set<String> tenants,
      String eventScope,
      java.util.Set<dev.rampart.auth.Permission> permissions) {
    /** Whether the signed-in user has {@code p} (as of this request). */
    public boolean may(dev.rampart.auth.Permission p) {
      return permissions.contains(p);
    }

    /** May work incidents (status, owner, notes). */
    public boolean mayWrite() {
      return may(dev.rampart.auth.Permission.INCIDENTS_WRITE);
    }

    /** May acknowledge and assign alerts. */
    public boolean mayAck() {
      return may(dev.rampart.auth.Permission.ALERTS_WRITE);
    }
  }

  /** One incident in the queue. */
  public record Row(
      String id,
      String title,
      String status,
      String priority,
      String owner,
      String updated,
      String age,
      boolean breached,
      List<String> tags,
      String due) {}

  /** The incident queue with its filter. */
  /**
   * The incident queue with its filter.
   *
   * @param filters the filter as a query string, for the live refresh and the next page
   * @param paged whether this is a later page (which does not refresh itself)
   * @param older the next page's address, null on the last
   */
  public record Queue(
      User user,
      List<Row> rows,
      String status,
      String priority,
      int open,
      boolean mine,
      String tag,
      boolean breached,
      String filters,
      boolean paged,
      String older) {}

  /** One line of the timeline or one alert or one note. */
  public record Line(String at, String who, String kind, String text) {}

  /** The incident page. */
  public record Incident(
      User user,
      Row incident,
      String host,
      String account,
      List<String> nextStatuses,
      List<IncidentAlert> alerts,
      List<Line> evidence,
      List<Line> notes,
      List<Line> timeline,
      String message,
      String identity,
      List<Pivot> pivots,
      List<Technique> techniques,
      String due,
      List<Choice> mergeInto,
      String mergedInto) {}

  /** The login page. */
  public record Login(String error, String notice, boolean sso) {}

  /** A page that does not exist (or is another tenant's): what was looked for, and a way back. */
  public record NotFound(User user, String message, String back, String backLabel) {}

  /** One bar of the histogram: a label, the count, and its height in percent of the tallest. */
  public record Bar(String label, long count, int percent) {}

  /** A field's most frequent values among the matches. */
  public record Facet(String field, List<FacetValue> values) {}

  /** One of a field's top values, with the search narrowed to it. */
  public record FacetValue(String value, long count, String href) {}

  /**
   * The event search page.
   *
   * @param range a relative range (24h), or custom when from and to name the window
   * @param window how the page names the window searched
   * @param skipped events on the pages before this one
   * @param older the next page's address, null on the last
   */
  public record Search(
      User user,
      String query,
      String range,
      String from,
      String to,
      String window,
      String error,
      long matched,
      long tookMillis,
      List<String> columns,
      List<List<String>> rows,
      List<String> ids,
      List<Bar> histogram,
      List<Facet> facets,
      List<String> notes,
      int skipped,
      String older,
      String csv,
      String ndjson,
      String savedAs,
      List<SavedRow> saved) {}

  /** A saved search, with where it runs. */
  public record SavedRow(
      String id,
      String name,
      String query,
      String window,
      String description,
      String owner,
      boolean shared,
      String updated,
      String href,
      boolean mine,
      String alerting) {}

  /** The saved searches page. */
  public record SavedList(User user, List<SavedRow> rows, String message, String error) {}

  /** A labelled count with its bar width in percent of the largest in its group. */
  public record Stat(String label, long count, int percent) {}

  /** The console page of host or user {@code name} ({@code kind}: host or user). */
  /** The page of a host, user or address, or null when no page can be about it (bad address). */
  static String entityLink(String kind, String name) {
    if (dev.rampart.server.entity.EntityProfiles.problem(
            dev.rampart.cases.entity.EntityKind.parse(kind), name)
        != null) {
      return null;
    }
    return entityHref(kind, name);
  }

  public static String entityHref(String kind, String name) {
    return "/entities/"
        + kind
        + "/"
        + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8)
            .replace("+", "%20");
  }

  /** A bar of a top list that leads to another entity's page ({@code href} null: none). */
  public record EntityLink(String label, long count, int percent, String href) {}

  /**
   * One host's or user's page ({@code kind}: host or user). Parts the user may not see, or that
   * could not be read, are null ({@code notes} says why for the latter).
   *
   * @param ranges the window choices, each {@code [range, label]}
   */
  public record Entity(
      User user,
      String kind,
      String name,
      String range,
      List<String[]> ranges,
      String window,
      List<String> notes,
      Long events,
      String lastSeen,
      String searchHref,
      String chartJson,
      List<Stat> logTypes,
      String relatedTitle,
      List<EntityLink> related,
      String detailTitle,
      List<EntityLink> detail,
      Long alertsTotal,
      long alertsNew,
      String alertsHref,
      List<Stat> alertsByLevel,
      List<AlertRow> alerts,
      List<Row> incidents,
      AgentRow agent,
      dev.rampart.server.entity.EntityProfiles.Vulns vulns,
      dev.rampart.server.entity.EntityProfiles.Identity identity,
      dev.rampart.server.entity.EntityProfiles.Intel intel) {}

  /** The SOC lead's page. */
  public record Dashboard(
      User user,
      List<Bar> alertsByHour,
      List<Stat> alertsByLevel,
      List<Stat> topRules,
      List<Stat> topHosts,
      List<Stat> openByPriority,
      List<Stat> openByAge,
      String mttd,
      String mtta,
      String mttr,
      String mttdBefore,
      String mttaBefore,
      String mttrBefore,
      long incidents,
      String ingestRate,
      List<Stat> lag,
      String chartJson) {}

  /** One alert in the alert list, with the incident it went into (empty: none). */
  public record AlertRow(
      String id,
      String time,
      String level,
      String title,
      String rule,
      String host,
      String user,
      List<Technique> techniques,
      String incident,
      String outcome,
      String state,
      String assignee,
      String event) {}

  /**
   * The alert list with its filter; {@code newest} is the cursor the live poll asks after, {@code
   * older} the next page's (empty: none).
   */
  public record Alerts(
      User user,
      List<AlertRow> rows,
      String level,
      String host,
      String account,
      String address,
      String state,
      String newest,
      String older,
      String message) {}

  /** New alerts for the live list, and the cursor of the next poll. */
  public record Newer(Alerts filter, List<AlertRow> rows, String newest) {}

  /** One field of an event. */
  /**
   * One field of an event: {@code href} searches for its value, {@code page} (or null) is the host,
   * user or address page it names.
   */
  public record Field(String name, String value, String href, String page) {}

  /** A search to run from an incident or an event, with what it looks for. */
  public record Pivot(String label, String href) {}

  /** One alert of an incident, with the stored events it fired on. */
  public record IncidentAlert(
      String at,
      String level,
      String ruleId,
      String title,
      List<String> eventIds,
      List<Technique> techniques) {}

  /**
   * An ATT&CK technique as a link to MITRE's page, with its name when the catalogue was imported
   * ({@code rampart rules import-attack}).
   */
  public record Technique(String id, String name, String href) {}

  /** One event around the one shown (same host), marked when it is that one. */
  public record Around(String id, String time, String summary, boolean current) {}

  /** The event page: every field, and its neighbours on the same host. */
  public record Event(
      User user,
      String id,
      String host,
      List<Field> fields,
      List<Around> around,
      List<Pivot> pivots,
      List<Choice> incidents,
      List<Cited> alerts) {}

  /** An alert that cites the event shown: when, how bad, which rule, and its incident if any. */
  public record Cited(String at, String level, String title, String incident, String outcome) {}

  /** One option of a list to pick from: its value and what the user reads. */
  public record Choice(String value, String label) {}

  /** The rule list. */
  /**
   * The rules, and a hunt with the whole pack when one was asked ({@code hunt} null otherwise): its
   * filter, range and result or error.
   */
  public record Rules(
      User user,
      String query,
      List<dev.rampart.server.rules.RuleCatalog.Info> rules,
      long off,
      String huntQuery,
      String huntRange,
      dev.rampart.server.rules.RuleCatalog.PackHunt hunt,
      String huntError) {}

  /** ATT&CK coverage of the rules, with the alerts of the last {@code days}. */
  public record Coverage(User user, dev.rampart.sigma.coverage.AttackCoverage.Coverage coverage) {}

  /**
   * A rule: facts, YAML, the switch, and the test form with its result (null before a test).
   *
   * @param mayEdit whether the user may switch rules
   */
  public record Rule(
      User user,
      dev.rampart.server.rules.RuleCatalog.Info rule,
      String yaml,
      boolean mayEdit,
      String testQuery,
      String testRange,
      String testEvent,
      dev.rampart.server.rules.RuleCatalog.Test test,
      dev.rampart.server.rules.RuleCatalog.Backtest backtest,
      String backtestChart,
      String error,
      String message) {}

  /** A user in the settings: role, tenants (empty: all), and whether they can sign in. */
  public record UserRow(String name, String role, String tenants, String state) {}

  /** A role and what it allows. */
  public record RoleRow(String name, String permissions, boolean builtIn) {}

  /** One of the signed-in user's API tokens (never the token itself). */
  public record TokenRow(
      String id,
      String name,
      String scopes,
      String created,
      String expires,
      String used,
      String state) {}

  /** A playbook as loaded. */
  public record PlaybookRow(String name, String file, boolean enabled, String on, String steps) {}

  /** One audit entry as the audit page shows it. */
  public record AuditRow(
      long seq, String at, String actor, String action, String target, String detail) {}

  /**
   * The audit page: entries newest first with the filter, the next page's address (null on the
   * last), and the outcome of a chain check when one was asked for.
   */
  public record Audit(
      User user, List<AuditRow> rows, String actor, String action, String older, String check) {}

  /**
   * The settings page; sections the user may not see are empty.
   *
   * @param newToken a token just made, shown this once
   */
  public record Settings(
      User user,
      boolean admin,
      List<UserRow> users,
      List<RoleRow> roles,
      List<TokenRow> tokens,
      List<String> inputs,
      List<PlaybookRow> playbooks,
      List<String> permissions,
      String newToken,
      String message,
      String error) {}

  /**
   * Vulnerability findings with their filters, and the assets.
   *
   * @param now for "overdue", in epoch milliseconds
   */
  /** An agent on the agents page. */
  public record AgentRow(
      String id,
      String name,
      String version,
      String status,
      String lastSeen,
      String uptime,
      String walFill,
      String watchMode,
      String cpu,
      String memory,
      long records,
      long duplicates,
      long lost,
      String certExpires,
      boolean certWarning,
      String certNote) {}

  /** The agents page; {@code enroll} is the command with a fresh token, shown once. */
  public record Agents(
      User user,
      boolean enabled,
      List<AgentRow> agents,
      String enroll,
      String message,
      String error) {}

  public record Vulns(
      User user,
      String asset,
      String severity,
      boolean kev,
      String status,
      boolean overdue,
      List<dev.rampart.vuln.track.VulnStore.FindingRow> findings,
      List<dev.rampart.vuln.track.VulnStore.Asset> assets,
      long now,
      List<dev.rampart.server.vuln.NetworkScans.Job> jobs,
      List<dev.rampart.server.vuln.NetworkScans.Run> scans,
      String message) {
    /** A time as the console shows it, or "-". */
    public String time(Long millis) {
      return millis == null ? "-" : Console.TIME.format(java.time.Instant.ofEpochMilli(millis));
    }

    public String day(long millis) {
      return java.time.Instant.ofEpochMilli(millis)
          .atOffset(java.time.ZoneOffset.UTC)
          .toLocalDate()
          .toString();
    }
  }

  /** Patch SLAs: per severity, and open findings per day (bars, and the chart's JSON). */
  public record VulnSla(
      User user,
      List<dev.rampart.vuln.track.VulnStore.SlaRow> rows,
      List<Bar> trend,
      String chartJson) {
    public String days(Double d) {
      return d == null ? "-" : String.format(java.util.Locale.ROOT, "%.1f d", d);
    }
  }

  public record RateRow(
      String group,
      int people,
      String completion,
      int overdue,
      int sent,
      String clicked,
      String reported) {}

  public record TrendRow(String month, int sent, int clickedPct, int reportedPct) {}

  public record SlaLine(String severity, int open, int overdue, int fixed, String withinSla) {}

  public record Prevention(
      User user,
      boolean printable,
      int people,
      int privileged,
      int highRisk,
      List<RateRow> rates,
      List<TrendRow> trend,
      List<dev.rampart.prevention.reviews.AccessReviews.Status> campaigns,
      List<dev.rampart.prevention.reviews.AccessReviews.Item> revokedButPresent,
      List<dev.rampart.prevention.training.Awareness.Overdue> overdue,
      List<SlaLine> sla,
      String mttd,
      String mttr,
      long incidents,
      String generatedAt,
      String message,
      String error) {}

  public record Review(
      User user,
      dev.rampart.prevention.reviews.AccessReviews.Status status,
      String due,
      List<dev.rampart.prevention.reviews.AccessReviews.Item> items,
      String message,
      String error) {}

  /** The SOC report page: the report, the period options as given, and what was wrong with them. */
  public record Report(
      User user,
      dev.rampart.server.report.SocReport report,
      String last,
      String end,
      String error) {
    /** The period options as a query string, for the download links. */
    public String query() {
      return "last="
          + java.net.URLEncoder.encode(last, java.nio.charset.StandardCharsets.UTF_8)
          + "&end="
          + java.net.URLEncoder.encode(end, java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
