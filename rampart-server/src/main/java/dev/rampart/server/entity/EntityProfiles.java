package dev.rampart.server.entity;

import dev.rampart.auth.Permission;
import dev.rampart.cases.CaseStore;
import dev.rampart.cases.entity.EntityKind;
import dev.rampart.cases.incident.CaseException;
import dev.rampart.cases.incident.Incident;
import dev.rampart.cases.queue.AlertQueue;
import dev.rampart.core.event.Timestamps;
import dev.rampart.prevention.identity.Directory;
import dev.rampart.prevention.risk.IdentityRisk;
import dev.rampart.server.agents.AgentRegistry;
import dev.rampart.server.prevention.PreventionService;
import dev.rampart.store.query.QueryException;
import dev.rampart.store.search.EventSearch;
import dev.rampart.store.search.SearchRequest;
import dev.rampart.store.search.SearchResult;
import dev.rampart.vuln.track.VulnStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Everything Rampart knows of one host, user or IP address over a time window, for the analyst an
 * alert about it just woke: its events (how many, when, which log types, the users or hosts and the
 * processes or addresses they name), its alerts and incidents, and for a host its agent and open
 * vulnerabilities, for a user the person the directory says it is, for an address the threat-intel
 * indicator it matches. Each part is what the viewer may see (its permissions and tenants); a part
 * that could not be read (the store away, a feature off) is left out with a note saying so, never
 * failing the rest.
 */
public final class EntityProfiles {
  /** Rows of each top list. */
  public static final int TOP = 10;

  /** Newest alerts shown. */
  public static final int NEWEST_ALERTS = 20;

  /** Incidents shown, open ones first. */
  public static final int INCIDENTS = 10;

  /** Open findings shown, most urgent first. */
  public static final int FINDINGS = 10;

  private static final long HOUR_NANOS = 3_600_000_000_000L;

  /** Who is asking: what they may see, and whose events and alerts. */
  public record Viewer(Set<Permission> permissions, Set<String> tenants, String eventScope) {
    public Viewer {
      permissions = Set.copyOf(permissions);
      tenants = Set.copyOf(tenants);
    }

    boolean may(Permission p) {
      return permissions.contains(p);
    }
  }

  /** One value of a top list and how many events name it. */
  public record Count(String value, long count) {}

  /** Events in one bucket of the activity chart, starting at {@code timeNanos}. */
  public record Bucket(long timeNanos, long count) {}

  /** A host's open vulnerabilities: per severity, known exploited, overdue, the most urgent. */
  public record Vulns(
      String asset,
      Map<String, Long> openBySeverity,
      long kev,
      long overdue,
      List<VulnStore.FindingRow> mostUrgent) {}

  /** The person behind a user name, and their risk score. */
  public record Identity(Directory.Person person, IdentityRisk.Score risk) {}

  /** The threat-intel indicator an address matches, and whether it is still live (not expired). */
  public record Intel(dev.rampart.intel.Indicator indicator, boolean live) {}

  /**
   * Where the parts beyond events, alerts and incidents come from; a supplier gives null when that
   * part is off (no agents' port, say), and is asked only for entities and viewers that need it.
   */
  public record Sources(
      Supplier<VulnStore> vulns,
      Supplier<AgentRegistry> agents,
      Supplier<PreventionService> prevention,
      Supplier<dev.rampart.intel.index.IntelIndex> intel) {}

  /**
   * One entity's profile; a part is null when the viewer may not see it or it could not be read
   * ({@code notes} says which).
   *
   * @param span the activity chart's bucket: {@code 1h}, {@code 1d} or {@code 7d}
   * @param related users seen on a host; hosts a user or an address was seen on
   * @param detail processes run on a host; addresses a user came from; users an address tried
   */
  public record Profile(
      EntityKind kind,
      String name,
      long fromNanos,
      long toNanos,
      Long events,
      Long lastSeenNanos,
      String span,
      List<Bucket> activity,
      List<Count> logTypes,
      List<Count> related,
      List<Count> detail,
      AlertQueue.About alerts,
      List<Incident> incidents,
      AgentRegistry.Agent agent,
      Vulns vulns,
      Identity identity,
      Intel intel,
      List<String> notes) {}

  private final CaseStore cases;
  private final EventSearch events;
  private final Sources sources;

  public EntityProfiles(CaseStore cases, EventSearch events, Sources sources) {
    this.cases = cases;
    this.events = events;
    this.sources = sources;
  }

  /** What is wrong with {@code name} as a {@code kind}'s name, or null when nothing is. */
  public static String problem(EntityKind kind, String name) {
    if (name.isBlank() || name.length() > 256) {
      return "a name is 1 to 256 characters";
    }
    if (kind == EntityKind.IP && !dev.rampart.core.event.IpAddress.isLiteral(name.strip())) {
      return "'" + name + "' is not an IPv4 or IPv6 address";
    }
    return null;
  }

  /** The filter of {@code kind} {@code name}'s events, in the query language. */
  public static String filter(EntityKind kind, String name) {
    String v = '"' + name.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    return switch (kind) {
      case HOST -> "host.name:" + v + " OR rampart.host:" + v;
      case USER -> "user.name:" + v;
      case IP -> "source.ip:" + v + " OR destination.ip:" + v;
    };
  }

  /** The profile of {@code kind} {@code name} over {@code [fromNanos, toNanos)}. */
  public Profile profile(EntityKind kind, String name, long fromNanos, long toNanos, Viewer v)
      throws CaseException {
    List<String> notes = new ArrayList<>();
    Long total = null;
    Long lastSeen = null;
    // from about 24 to 700 bars whatever the window
    long hours = (toNanos - fromNanos) / HOUR_NANOS;
    String span = hours <= 48 ? "1h" : hours <= 24 * 700 ? "1d" : "7d";
    List<Bucket> activity = null;
    List<Count> logTypes = null;
    List<Count> related = null;
    List<Count> detail = null;
    if (v.may(Permission.EVENTS_READ)) {
      String f = filter(kind, name);
      try {
        SearchResult newest = search(f, fromNanos, toNanos, 1, v);
        total = newest.matched();
        if (!newest.rows().isEmpty()) {
          long t = Timestamps.parse(String.valueOf(newest.rows().get(0).get("@timestamp")));
          lastSeen = t == Timestamps.UNSET ? null : t;
        }
        activity = new ArrayList<>();
        for (Map<String, Object> row :
            search(f + " | timechart span=" + span + " count()", fromNanos, toNanos, 10_000, v)
                .rows()) {
          long t = Timestamps.parse(String.valueOf(row.get("_time")));
          if (t != Timestamps.UNSET && row.get("count()") instanceof Number n) {
            activity.add(new Bucket(t, n.longValue()));
          }
        }
        logTypes = top(f, "rampart.log_type", fromNanos, toNanos, v);
        related =
            top(f, kind == EntityKind.HOST ? "user.name" : "host.name", fromNanos, toNanos, v);
        String detailField =
            switch (kind) {
              case HOST -> "process.name";
              case USER -> "source.ip";
              case IP -> "user.name";
            };
        detail = top(f, detailField, fromNanos, toNanos, v);
      } catch (IOException | QueryException | RuntimeException e) {
        notes.add("events: not searched (" + e.getMessage() + ")");
      }
    }
    AlertQueue.About alerts = null;
    if (v.may(Permission.ALERTS_READ)) {
      alerts =
          cases
              .queue()
              .about(
                  kind,
                  name,
                  v.tenants(),
                  Math.floorDiv(fromNanos, 1_000_000L),
                  Math.floorDiv(toNanos - 1, 1_000_000L) + 1,
                  NEWEST_ALERTS);
    }
    List<Incident> incidents = null;
    if (v.may(Permission.INCIDENTS_READ)) {
      incidents = cases.incidentsAbout(kind, name, v.tenants(), INCIDENTS);
    }
    AgentRegistry.Agent agent = null;
    Vulns vulns = null;
    Identity identity = null;
    Intel intel = null;
    // the parts of other features: one that cannot be read is a note, not a failed page
    if (kind == EntityKind.HOST && v.may(Permission.AGENTS_READ)) {
      try {
        AgentRegistry a = sources.agents().get();
        for (AgentRegistry.Agent x : a == null ? List.<AgentRegistry.Agent>of() : a.list()) {
          // a re-enrolled host has several: the one heard from last
          if (x.name().equalsIgnoreCase(name) && (agent == null || seen(x) > seen(agent))) {
            agent = x;
          }
        }
      } catch (CaseException | RuntimeException e) {
        notes.add("agents: not read (" + e.getMessage() + ")");
      }
    }
    if (kind == EntityKind.HOST && v.may(Permission.VULNS_READ)) {
      try {
        VulnStore vs = sources.vulns().get();
        vulns = vs == null ? null : vulns(vs, name);
      } catch (CaseException | RuntimeException e) {
        notes.add("vulnerabilities: not read (" + e.getMessage() + ")");
      }
    }
    if (kind == EntityKind.IP && v.may(Permission.RULES_READ)) {
      try {
        var index = sources.intel().get();
        int i = index == null ? -1 : index.lookup(name.strip());
        if (i >= 0) {
          intel = new Intel(index.indicator(i), index.live(i, System.currentTimeMillis()));
        }
      } catch (RuntimeException e) {
        notes.add("threat intel: not read (" + e.getMessage() + ")");
      }
    }
    if (kind == EntityKind.USER && v.may(Permission.IDENTITIES_READ)) {
      try {
        PreventionService p = sources.prevention().get();
        Directory.Person person = p == null ? null : p.directory().byAccount(name);
        if (person != null) {
          identity = new Identity(person, p.risk(person));
        }
      } catch (CaseException | RuntimeException e) {
        notes.add("identities: not read (" + e.getMessage() + ")");
      }
    }
    return new Profile(
        kind,
        name,
        fromNanos,
        toNanos,
        total,
        lastSeen,
        span,
        activity,
        logTypes,
        related,
        detail,
        alerts,
        incidents,
        agent,
        vulns,
        identity,
        intel,
        List.copyOf(notes));
  }

  private static long seen(AgentRegistry.Agent a) {
    return a.lastSeen() == null ? a.enrolledAt() : a.lastSeen();
  }

  private static Vulns vulns(VulnStore store, String host) throws CaseException {
    String asset = null;
    for (VulnStore.Asset a : store.assets()) {
      if (a.name().equalsIgnoreCase(host)) {
        asset = a.name();
        break;
      }
    }
    if (asset == null) {
      return null;
    }
    // most urgent first (KEV, then CVSS, then deadline), as the findings list orders them; every
    // open one, since the counts below are the host's (one host's open findings are thousands at
    // most, and exceptions and VEX are judged per row, so SQL cannot count them)
    List<VulnStore.FindingRow> open =
        store.findings(
            new VulnStore.Filter(asset, null, false, "open", false, false, Integer.MAX_VALUE));
    Map<String, Long> bySeverity = new LinkedHashMap<>();
    for (String s : VulnStore.severities()) { // most severe first
      bySeverity.put(s, 0L);
    }
    long kev = 0;
    long overdue = 0;
    long now = System.currentTimeMillis();
    for (VulnStore.FindingRow f : open) {
      String sev = f.severity() == null ? "unknown" : f.severity().toLowerCase(Locale.ROOT);
      bySeverity.merge(sev, 1L, Long::sum);
      kev += f.kev() ? 1 : 0;
      overdue += f.overdue(now) ? 1 : 0;
    }
    bySeverity.values().removeIf(n -> n == 0);
    return new Vulns(
        asset, bySeverity, kev, overdue, open.subList(0, Math.min(FINDINGS, open.size())));
  }

  private List<Count> top(String filter, String field, long from, long to, Viewer v)
      throws IOException, QueryException {
    List<Count> out = new ArrayList<>();
    for (Map<String, Object> row :
        search(
                filter + " | stats count() by " + field + " | sort -count() | head " + TOP,
                from,
                to,
                TOP,
                v)
            .rows()) {
      if (row.get(field) != null && row.get("count()") instanceof Number n) {
        out.add(new Count(String.valueOf(row.get(field)), n.longValue()));
      }
    }
    return out;
  }

  private SearchResult search(String q, long from, long to, int limit, Viewer v)
      throws IOException, QueryException {
    return events.search(
        SearchRequest.of(q).range(from, to).withLimit(limit).scoped(v.eventScope()));
  }
}
