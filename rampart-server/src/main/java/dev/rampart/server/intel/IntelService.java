package dev.rampart.server.intel;

import dev.rampart.alerting.alert.Alert;
import dev.rampart.core.event.Event;
import dev.rampart.core.event.Timestamps;
import dev.rampart.intel.Indicator;
import dev.rampart.intel.feed.Feeds;
import dev.rampart.intel.index.IntelIndex;
import dev.rampart.intel.match.IntelMatcher;
import dev.rampart.intel.store.IntelStore;
import dev.rampart.store.EventStore;
import dev.rampart.store.mapping.FieldType;
import dev.rampart.store.search.SearchRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Threat intelligence in the running platform: the indicators of DATA/intel (imported by {@code
 * rampart intel import} or {@code POST /api/intel}) held in an index that the detector consults for
 * every event; a match is an alert naming the indicator and its source. New indicators are also
 * searched for in the stored events of the last days (the retro-hunt), so an address learnt today
 * finds yesterday's connection. The index is swapped whole after an import, never changed in use.
 */
public final class IntelService {
  /** What an import did. */
  public record Imported(int added, List<String> problems, int held, int retroAlerts) {}

  private final IntelStore store;
  private final EventStore events;
  private final Function<Event, String> tenantOf;
  private final Consumer<List<Alert>> alerts;
  private final Duration retro;
  private volatile IntelIndex index;
  private long fileSize;

  /**
   * @param alerts where retro-hunt alerts go (the same way as the detector's)
   * @param retro how far back a new indicator is searched
   */
  public IntelService(
      Path data,
      EventStore events,
      Function<Event, String> tenantOf,
      Consumer<List<Alert>> alerts,
      Duration retro)
      throws IOException {
    this.store = new IntelStore(data);
    this.events = events;
    this.tenantOf = tenantOf;
    this.alerts = alerts;
    this.retro = retro;
    this.index = store.load().index();
    this.fileSize = size();
  }

  private long size() throws IOException {
    return Files.exists(store.file()) ? Files.size(store.file()) : 0;
  }

  public IntelIndex index() {
    return index;
  }

  /** The detector's hook: alerts for the event's fields that an indicator in force matches. */
  public void match(Event e, long eventId, List<Alert> out) {
    IntelIndex idx = index;
    if (idx.size() == 0) {
      return;
    }
    long now = System.currentTimeMillis();
    IntelMatcher.match(
        e, idx, now, (field, value, i) -> out.add(alert(idx, i, e, eventId, field, value, now)));
  }

  private Alert alert(
      IntelIndex idx, int i, Event e, long eventId, String field, String value, long nowMillis) {
    Indicator ind = idx.indicator(i);
    String source = ind.source().isEmpty() ? "intel" : ind.source();
    return new Alert(
        "intel:" + ind.type().label() + ":" + ind.value() + "@" + eventId,
        "intel:" + source,
        "Threat intel: "
            + ind.type().label()
            + " "
            + ind.value()
            + " ("
            + source
            + ")"
            + (ind.name().isEmpty() ? "" : ": " + ind.name()),
        IntelMatcher.level(ind),
        List.of("intel", "intel.source." + source),
        List.of(),
        List.of(eventId),
        e.timestamp(),
        nowMillis * 1_000_000,
        Map.of(field, List.of(value)),
        dev.rampart.alerting.alert.AlertBuilder.entities(e),
        tenantOf.apply(e));
  }

  /**
   * Imports a feed: its indicators are appended to DATA/intel (durable), the index rebuilt and
   * swapped in, and the new ones searched for in the stored events of the last days.
   */
  public synchronized Imported importFeed(
      String name, String text, Feeds.Format format, String source) throws IOException {
    Feeds.Result r = Feeds.parse(name, text, format, source, System.currentTimeMillis());
    store.append(r.indicators());
    reload();
    int retroAlerts = retroHunt(r.indicators());
    List<String> problems = r.problems().stream().limit(100).map(Feeds.Problem::toString).toList();
    return new Imported(r.indicators().size(), problems, index.size(), retroAlerts);
  }

  /** Rebuilds the index when DATA/intel grew (a CLI import); returns true when it did. */
  public synchronized boolean reloadIfChanged() throws IOException {
    long now = size();
    if (now == fileSize) {
      return false;
    }
    long before = fileSize;
    reload();
    // What the CLI appended since: search the stored events for it as well.
    List<Indicator> added = new ArrayList<>();
    if (now > before) {
      try (var ch = java.nio.channels.FileChannel.open(store.file())) {
        ch.position(before);
        var in =
            new java.io.BufferedReader(
                new java.io.InputStreamReader(
                    java.nio.channels.Channels.newInputStream(ch),
                    java.nio.charset.StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && added.size() < RETRO_MAX) {
          try {
            var n = JSON.readTree(line);
            Indicator.Type t = Indicator.Type.parse(n.path("type").asText());
            if (t != null && n.hasNonNull("value")) {
              added.add(
                  new Indicator(
                      t, n.get("value").asText(), n.path("source").asText(""), 50, 0, ""));
            }
          } catch (IOException | RuntimeException e) {
            // a damaged line: the index load counted it
          }
        }
      }
    }
    retroHunt(added);
    return true;
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private void reload() throws IOException {
    this.index = store.load().index();
    this.fileSize = size();
  }

  /** Most indicators one import searches for in stored events (each is one query). */
  static final int RETRO_MAX = 1000;

  /**
   * Searches the stored events of the last days for {@code added} (the first {@link #RETRO_MAX});
   * every event found is matched against the whole index and its alerts sent on.
   */
  int retroHunt(List<Indicator> added) {
    if (events == null || added.isEmpty()) {
      return 0;
    }
    Map<String, FieldType> fields = events.fields();
    long to = Timestamps.fromInstant(java.time.Instant.now()) + 1;
    long from = to - retro.toNanos();
    Map<String, Alert> found = new LinkedHashMap<>();
    for (Indicator ind : added.subList(0, Math.min(RETRO_MAX, added.size()))) {
      String q = query(ind, fields);
      if (q == null) {
        continue;
      }
      try {
        events.events(
            SearchRequest.of(q).range(from, to).withLimit(1000),
            (e, id) -> {
              List<Alert> out = new ArrayList<>();
              match(e, id, out);
              out.forEach(a -> found.putIfAbsent(a.id(), a));
            });
      } catch (IOException | dev.rampart.store.query.QueryException | RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(IntelService.class)
            .warn("intel retro-hunt for {} failed: {}", ind.value(), e.toString());
      }
    }
    if (!found.isEmpty()) {
      alerts.accept(List.copyOf(found.values()));
    }
    return found.size();
  }

  /** The store query that finds events holding the indicator's value, or null. */
  static String query(Indicator ind, Map<String, FieldType> fields) {
    List<String> names =
        switch (ind.type()) {
          case IP -> matcherFields("ip");
          case DOMAIN -> matcherFields("domain");
          case URL -> matcherFields("url");
          default -> matcherFields("hash");
        };
    List<String> clauses = new ArrayList<>();
    String v = ind.value().replace("\\", "\\\\").replace("\"", "\\\"");
    for (String f : names) {
      if (!fields.containsKey(f)) {
        continue;
      }
      switch (ind.type()) {
        case IP -> clauses.add(f + ":" + (v.contains(":") ? "\"" + v + "\"" : v));
        case DOMAIN -> {
          clauses.add(f + ":\"" + v + "\"");
          clauses.add(f + ":*." + v.replace("*", "\\*"));
        }
        default -> clauses.add(f + ":\"" + v + "\"");
      }
    }
    if (ind.type().name().startsWith("SHA") || ind.type() == Indicator.Type.MD5) {
      if (fields.containsKey("Hashes")) {
        clauses.add("Hashes:*" + v + "*");
      }
    }
    return clauses.isEmpty() ? null : String.join(" OR ", clauses);
  }

  private static List<String> matcherFields(String kind) {
    return switch (kind) {
      case "ip" -> IntelMatcher.IP_FIELDS;
      case "domain" -> IntelMatcher.DOMAIN_FIELDS;
      case "url" -> IntelMatcher.URL_FIELDS;
      default -> IntelMatcher.HASH_FIELDS;
    };
  }
}
