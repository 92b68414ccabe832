package dev.rampart.server.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.auth.Permission;
import dev.rampart.cases.entity.EntityKind;
import dev.rampart.core.event.Timestamps;
import dev.rampart.server.Platform;
import dev.rampart.server.entity.EntityProfiles;
import dev.rampart.server.search.SearchWindow;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The console's entity pages, {@code /entities/host/NAME} and {@code /entities/user/NAME}: one host
 * or user over a window (7 days by default), as {@link EntityProfiles} tells it, with links on to
 * its events, its alerts, and the users or hosts it was seen with. Alerts, incidents and event
 * pages link here from every host and user name they show.
 */
final class EntityPages {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String[]> RANGES =
      List.of(
          new String[] {"24h", "24 hours"},
          new String[] {"7d", "7 days"},
          new String[] {"30d", "30 days"});

  private final Console console;
  private final Platform platform;

  EntityPages(Console console, Platform platform) {
    this.console = console;
    this.platform = platform;
  }

  void register(JavalinConfig config) {
    config.routes.get("/entities/{kind}/{name}", this::show);
  }

  private void show(Context ctx) throws Exception {
    Views.User u = console.user(ctx, Permission.ALERTS_READ);
    if (u == null) {
      return;
    }
    EntityKind kind = EntityKind.parse(ctx.pathParam("kind"));
    String name = ctx.pathParam("name").strip();
    if (kind == null || EntityProfiles.problem(kind, name) != null) {
      console.notFound(
          ctx,
          u,
          "No "
              + ctx.pathParam("kind")
              + " '"
              + name
              + "' to show: hosts, users and addresses have"
              + " pages (/entities/host/NAME, /entities/user/NAME, /entities/ip/ADDRESS).",
          "/search",
          "Search events");
      return;
    }
    String range = ctx.queryParam("range");
    range = range == null || List.of("24h", "30d").indexOf(range) < 0 ? "7d" : range;
    long now = Timestamps.fromInstant(Instant.now());
    SearchWindow w = SearchWindow.of(range, null, null, now);
    EntityProfiles.Profile p =
        platform
            .entities()
            .profile(
                kind,
                name,
                w.fromNanos(),
                w.toNanos(),
                new EntityProfiles.Viewer(u.permissions(), u.tenants(), u.eventScope()));
    boolean host = kind == EntityKind.HOST;
    // what the top lists name, as the kind of page each value has (null: none)
    String relatedKind = host ? "user" : "host";
    String detailKind =
        switch (kind) {
          case HOST -> null;
          case USER -> "ip";
          case IP -> "user";
        };
    List<Views.AlertRow> alerts = new ArrayList<>();
    if (p.alerts() != null) {
      p.alerts().newest().forEach(a -> alerts.add(Console.alertRow(a)));
    }
    List<Views.Row> incidents = new ArrayList<>();
    if (p.incidents() != null) {
      long nowMillis = System.currentTimeMillis();
      p.incidents().forEach(i -> incidents.add(Console.row(i, nowMillis)));
    }
    console.render(
        ctx,
        "entity.jte",
        new Views.Entity(
            u,
            kind.label(),
            name,
            range,
            RANGES,
            w.label(),
            p.notes(),
            p.events(),
            p.lastSeenNanos() == null
                ? "never in this window"
                : Console.TIME.format(Instant.ofEpochMilli(p.lastSeenNanos() / 1_000_000L)),
            u.may(Permission.EVENTS_READ) ? w.href(EntityProfiles.filter(kind, name)) : null,
            p.activity() == null ? null : chart(p),
            p.logTypes() == null ? null : stats(p.logTypes()),
            host ? "Users seen on it" : "Hosts it was seen on",
            links(p.related(), relatedKind),
            switch (kind) {
              case HOST -> "Processes";
              case USER -> "Source addresses";
              case IP -> "Users it named";
            },
            links(p.detail(), detailKind),
            p.alerts() == null ? null : p.alerts().total(),
            p.alerts() == null ? 0 : p.alerts().unacknowledged(),
            switch (kind) {
              case HOST -> "/alerts?host=" + URLEncoder.encode(name, StandardCharsets.UTF_8);
              case USER -> "/alerts?user=" + URLEncoder.encode(name, StandardCharsets.UTF_8);
              case IP -> "/alerts?ip=" + URLEncoder.encode(name, StandardCharsets.UTF_8);
            },
            p.alerts() == null ? List.of() : Console.stats(p.alerts().byLevel(), 10),
            alerts,
            p.incidents() == null ? null : incidents,
            p.agent() == null ? null : AgentPages.row(p.agent()),
            p.vulns(),
            p.identity(),
            p.intel()));
  }

  /** A top list as bars, each a link to its own page when its kind has one. */
  private static List<Views.EntityLink> links(List<EntityProfiles.Count> counts, String kind) {
    if (counts == null) {
      return null;
    }
    long max = Math.max(1, counts.stream().mapToLong(EntityProfiles.Count::count).max().orElse(1));
    List<Views.EntityLink> out = new ArrayList<>();
    for (EntityProfiles.Count c : counts) {
      String href = kind == null ? null : Views.entityLink(kind, c.value());
      out.add(new Views.EntityLink(c.value(), c.count(), (int) (c.count() * 100 / max), href));
    }
    return out;
  }

  private static List<Views.Stat> stats(List<EntityProfiles.Count> counts) {
    Map<String, Long> m = new LinkedHashMap<>();
    counts.forEach(c -> m.put(c.value(), c.count()));
    return Console.stats(m, counts.size());
  }

  /** The activity chart's data: {times: [...], series: {events: [...]}}, as console.js draws. */
  private static String chart(EntityProfiles.Profile p) throws Exception {
    List<String> times = new ArrayList<>();
    List<Long> counts = new ArrayList<>();
    boolean hourly = p.span().equals("1h");
    for (EntityProfiles.Bucket b : p.activity()) {
      String t = Console.TIME.format(Instant.ofEpochMilli(b.timeNanos() / 1_000_000L));
      times.add(hourly ? t.substring(5, 13) + ":00" : t.substring(0, 10));
      counts.add(b.count());
    }
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("times", times);
    d.put("series", Map.of("events", counts));
    // a </script> in the data must not end the element it sits in
    return JSON.writeValueAsString(d).replace("</", "<\\/");
  }
}
