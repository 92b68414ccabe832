package dev.rampart.cli.entity;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rampart.auth.Permission;
import dev.rampart.cases.CaseStore;
import dev.rampart.cases.entity.EntityKind;
import dev.rampart.cases.incident.Incident;
import dev.rampart.cases.queue.AlertQueue;
import dev.rampart.cli.DataOptions;
import dev.rampart.cli.UsageException;
import dev.rampart.core.event.Timestamps;
import dev.rampart.intel.store.IntelStore;
import dev.rampart.server.agents.AgentRegistry;
import dev.rampart.server.entity.EntityProfiles;
import dev.rampart.server.prevention.PreventionService;
import dev.rampart.store.EventStore;
import dev.rampart.store.StoreOptions;
import dev.rampart.vuln.track.VulnStore;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rampart entity host|user|ip NAME}: the console's host, user and address pages in a
 * terminal, read from a data folder (the server's, or one an investigation built with {@code
 * rampart ingest}).
 */
@Command(
    name = "entity",
    mixinStandardHelpOptions = true,
    description = {
      "One host, user or IP address as the data folder knows it over a window (the last 7 days by",
      "default): its events (count, last seen, activity per hour or day, log types, the users",
      "seen on a host or the hosts a user or address was on, its processes, source addresses or",
      "the users an address named), its alerts by level and the newest, its incidents (open",
      "first), and a host's agent and open vulnerabilities, the person behind a user name, or the",
      "threat-intel indicator an address matches. Names match in any case. The console shows",
      "the same at /entities/host/NAME, the API at GET /api/entities/host/NAME."
    },
    footer = {
      "",
      "Examples:",
      "  rampart entity host ws-07",
      "  rampart entity user 'CORP\\olivia' --from -30d",
      "  rampart entity ip 203.0.113.7                 # who it reached, which users it tried",
      "  rampart entity host web-01 --from 2026-11-01T00:00:00Z --to 2026-12-01T00:00:00Z --json"
    })
public final class EntityCommand implements Callable<Integer> {
  @Mixin DataOptions data;

  @Parameters(index = "0", paramLabel = "KIND", description = "host, user or ip.")
  String kind;

  @Parameters(index = "1", paramLabel = "NAME", description = "The name or address.")
  String name;

  @Option(
      names = "--from",
      paramLabel = "TIME",
      description = "Start: ISO-8601 or relative to now (-24h, -30d); default -7d.")
  String from;

  @Option(names = "--to", paramLabel = "TIME", description = "End (exclusive); default now.")
  String to;

  @Option(names = "--json", description = "Print the API's JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    EntityKind k = EntityKind.parse(kind.toLowerCase(Locale.ROOT));
    if (k == null) {
      throw new UsageException("KIND is host, user or ip, not '" + kind + "'");
    }
    String n = name.strip();
    String problem = EntityProfiles.problem(k, n);
    if (problem != null) {
      throw new UsageException("NAME: " + problem);
    }
    long now = Timestamps.fromInstant(Instant.now());
    long toNs = to == null ? now + 1 : dev.rampart.cli.search.SearchCommand.time(to, now, "--to");
    long fromNs =
        from == null
            ? toNs - 7 * 86_400_000_000_000L
            : dev.rampart.cli.search.SearchCommand.time(from, now, "--from");
    if (fromNs >= toNs) {
      throw new UsageException("--from must be before --to");
    }
    if (!Files.isDirectory(data.dataDir().resolve("store"))) {
      throw new UsageException(
          "no event store in "
              + data.dataDir()
              + ": give the server's data folder with --data (or set RAMPART_DATA)");
    }
    // A folder of imported events alone (rampart store import, no server ever ran on it) has no
    // case database: its events are shown, from an empty one made aside, and the rest said absent.
    java.nio.file.Path db = data.dataDir().resolve("cases.db");
    boolean caseless = !Files.exists(db);
    java.nio.file.Path aside = caseless ? Files.createTempDirectory("rampart-entity") : null;
    try (CaseStore cases =
            CaseStore.open("jdbc:sqlite:" + (caseless ? aside.resolve("cases.db") : db));
        EventStore store =
            EventStore.open(data.dataDir().resolve("store"), StoreOptions.defaults())) {
      // whoever runs it on the folder reads it all, as every other command does
      Set<Permission> all =
          caseless
              ? EnumSet.of(Permission.EVENTS_READ, Permission.RULES_READ)
              : EnumSet.allOf(Permission.class);
      if (caseless) {
        System.err.println(
            "no case database in "
                + data.dataDir()
                + ": events only (alerts, incidents, agents and vulnerabilities are the server's)");
      }
      EntityProfiles.Profile p =
          new EntityProfiles(
                  cases,
                  store,
                  new EntityProfiles.Sources(
                      // a part whose tables were never made has nothing to show, and a read
                      // must not make them (the folder may be a copy kept as evidence)
                      () -> has(cases, "flyway_vuln_history") ? VulnStore.open(cases.db()) : null,
                      () ->
                          has(cases, "flyway_agents_history")
                              ? new AgentRegistry(cases.db())
                              : null,
                      () ->
                          has(cases, "flyway_prevention_history")
                              ? new PreventionService(cases)
                              : null,
                      () -> {
                        try {
                          return new IntelStore(data.dataDir()).load().index();
                        } catch (java.io.IOException e) {
                          throw new java.io.UncheckedIOException(e);
                        }
                      }))
              .profile(k, n, fromNs, toNs, new EntityProfiles.Viewer(all, Set.of(), null));
      if (json) {
        System.out.println(
            new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(dev.rampart.server.api.RestApi.entityView(p, cases.now())));
      } else {
        print(p, System.out, cases.now());
      }
      return 0;
    } finally {
      if (aside != null) {
        try (var files = Files.walk(aside)) {
          for (java.nio.file.Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(f);
          }
        }
      }
    }
  }

  /** The page as text: a headline per part, a sparkline of the activity, the top lists. */
  static void print(EntityProfiles.Profile p, PrintStream out, long nowMillis) {
    out.printf(
        "%s %s, %s to %s%n",
        switch (p.kind()) {
          case HOST -> "Host";
          case USER -> "User";
          case IP -> "Address";
        },
        p.name(),
        seconds(p.fromNanos()),
        seconds(p.toNanos()));
    p.notes().forEach(x -> out.println("  note: " + x));
    if (p.intel() != null) {
      var i = p.intel().indicator();
      out.printf(
          "  THREAT INTEL: %s %s from %s%s, confidence %d%s%n",
          i.type().label(),
          i.value(),
          i.source(),
          i.name() == null || i.name().isEmpty() ? "" : " (" + i.name() + ")",
          i.confidence(),
          p.intel().live() ? "" : ", expired");
    }
    out.printf(
        "%nEvents     %,d%s%n",
        p.events(), p.lastSeenNanos() == null ? "" : ", last " + seconds(p.lastSeenNanos()));
    if (p.events() > 0) {
      out.printf("  activity  %s%n", spark(p.activity(), SPARK_WIDTH));
      top(out, "log types", p.logTypes());
      top(out, p.kind() == EntityKind.HOST ? "users" : "hosts", p.related());
      top(
          out,
          switch (p.kind()) {
            case HOST -> "processes";
            case USER -> "from";
            case IP -> "users";
          },
          p.detail());
    }
    AlertQueue.About a = p.alerts();
    if (a == null) {
      return; // a folder of events alone
    }
    StringBuilder levels = new StringBuilder();
    a.byLevel()
        .forEach(
            (l, c) -> levels.append(levels.isEmpty() ? "" : ", ").append(l).append(' ').append(c));
    out.printf(
        "%nAlerts     %,d%s%s%n",
        a.total(),
        a.total() == 0 ? "" : " (" + levels + ")",
        a.unacknowledged() == 0 ? "" : ", " + a.unacknowledged() + " not acknowledged");
    for (AlertQueue.Row r : a.newest().subList(0, Math.min(10, a.newest().size()))) {
      out.printf(
          "  %s  %-8s %s%s%n",
          Instant.ofEpochMilli(r.detectedAt()),
          r.level(),
          r.title(),
          r.incidentId() == null ? "" : "  [incident " + r.incidentId() + "]");
    }
    out.printf("%nIncidents  %d%n", p.incidents().size());
    for (Incident i : p.incidents()) {
      out.printf(
          "  %-36s %-14s %-8s%s %s%n",
          i.id(), i.status().label(), i.priority(), i.breached(nowMillis) ? "!" : " ", i.title());
    }
    if (p.agent() != null) {
      AgentRegistry.Agent g = p.agent();
      out.printf(
          "%nAgent      %s %s, version %s, last seen %s%n",
          g.id(),
          g.health(),
          g.version(),
          g.lastSeen() == null ? "never" : Instant.ofEpochMilli(g.lastSeen()));
    }
    if (p.vulns() != null) {
      EntityProfiles.Vulns v = p.vulns();
      long open = v.openBySeverity().values().stream().mapToLong(Long::longValue).sum();
      out.printf(
          "%nVulnerabilities  %d open %s, %d known exploited, %d overdue (asset %s)%n",
          open, v.openBySeverity(), v.kev(), v.overdue(), v.asset());
      for (VulnStore.FindingRow f : v.mostUrgent()) {
        out.printf(
            "  %-20s %-9s %s %s -> %s%s%n",
            f.advisory(),
            f.severity(),
            f.packageName(),
            f.version(),
            f.fixedVersion() == null ? "no fix yet" : f.fixedVersion(),
            f.kev() ? "  KEV" : "");
      }
    }
    if (p.identity() != null) {
      var who = p.identity().person();
      out.printf(
          "%nPerson     %s <%s>, %s, %s; risk %s %d%n",
          who.displayName(),
          who.email(),
          who.department(),
          who.active() ? "active" : "inactive",
          p.identity().risk().level(),
          p.identity().risk().value());
    }
  }

  private static void top(PrintStream out, String title, List<EntityProfiles.Count> counts) {
    if (counts.isEmpty()) {
      return;
    }
    StringBuilder sb = new StringBuilder();
    for (EntityProfiles.Count c : counts) {
      sb.append(sb.isEmpty() ? "" : ", ").append(c.value()).append(' ').append(c.count());
    }
    out.printf("  %-9s %s%n", title, sb);
  }

  private static final String BARS = "▁▂▃▄▅▆▇█";

  /** Columns of the activity line: a terminal's width less the labels. */
  static final int SPARK_WIDTH = 60;

  private static String seconds(long nanos) {
    return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L)).toString();
  }

  /**
   * Counts as a line of at most {@code width} block characters (adjacent buckets summed), a space
   * for none, between the first bucket's day and the last's.
   */
  public static String spark(List<EntityProfiles.Bucket> buckets, int width) {
    if (buckets.isEmpty()) {
      return "";
    }
    int per = (buckets.size() + width - 1) / width;
    long[] sums = new long[(buckets.size() + per - 1) / per];
    for (int i = 0; i < buckets.size(); i++) {
      sums[i / per] += buckets.get(i).count();
    }
    long max = 1;
    for (long s : sums) {
      max = Math.max(max, s);
    }
    StringBuilder sb = new StringBuilder();
    sb.append(seconds(buckets.getFirst().timeNanos()), 0, 10).append(' ');
    for (long s : sums) {
      sb.append(s == 0 ? ' ' : BARS.charAt((int) ((s * (BARS.length() - 1)) / max)));
    }
    return sb.append(' ').append(seconds(buckets.getLast().timeNanos()), 0, 10).toString();
  }

  /** Whether the case database has {@code table}: the part that makes it ran there once. */
  private static boolean has(CaseStore cases, String table) {
    try {
      return cases.db().hasTable(table);
    } catch (dev.rampart.cases.incident.CaseException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
