package dev.rampart.alerting.anomaly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.rampart.alerting.alert.Alert;
import dev.rampart.core.event.Event;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Rarity across the fleet: a value (a program, a domain) that, after the learning period, shows up
 * on a host while the whole fleet has seen it on at most {@code maxHosts} hosts. Unlike first seen
 * per host, a program every machine runs never fires, however new it is to one host.
 */
final class RareWatch implements Watch {
  // A value seen on more than maxHosts hosts: its hosts are no longer kept.
  private static final Set<String> COMMON = Set.of();
  private static final int MAX_FLEET = 1_000_000;
  private final Anomalies.Rare d;
  private final Shared shared;
  private long startedAt = Long.MIN_VALUE;
  // tenant -> value (lower-cased) -> hosts seen with it (lower-cased), or COMMON
  private final Entities<Set<String>> values;
  private final Map<String, Set<String>> fleet = new HashMap<>();

  RareWatch(Anomalies.Rare d, Shared shared) {
    this.d = d;
    this.shared = shared;
    this.values = new Entities<>(d.maxValues(), shared);
  }

  @Override
  public String name() {
    return d.name();
  }

  @Override
  public void observe(Event e, long offset, List<Alert> out) {
    if (d.only() != null && !d.only()[1].equals(e.getText(d.only()[0]))) {
      return;
    }
    String host = Shared.first(e, d.host());
    String value = Shared.first(e, d.value());
    if (host == null || value == null) {
      return;
    }
    if (startedAt == Long.MIN_VALUE) {
      startedAt = e.timestamp();
    }
    String tenant = shared.tenant(e);
    String h = host.toLowerCase(Locale.ROOT);
    Set<String> hosts = fleet.computeIfAbsent(tenant, t -> new HashSet<>());
    if (hosts.size() < MAX_FLEET) {
      hosts.add(h);
    }
    Set<String> on = values.get(tenant, value, LinkedHashSet::new);
    if (on == COMMON || on.contains(h)) {
      return;
    }
    if (on.size() >= d.maxHosts()) {
      values.replace(tenant, value, COMMON); // no longer rare: its hosts are forgotten
      return;
    }
    on.add(h);
    boolean learning = e.timestamp() - startedAt < d.learn().toNanos();
    if (learning || hosts.size() < d.minFleet()) {
      return;
    }
    Map<String, List<String>> matched = new LinkedHashMap<>();
    matched.put(d.host().get(0), List.of(host));
    matched.put(d.value().get(0), List.of(value));
    matched.put(
        "baseline",
        List.of(
            "seen on "
                + on.size()
                + " of "
                + hosts.size()
                + " hosts since "
                + Instant.ofEpochSecond(0, startedAt)
                    .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                + " ("
                + String.join(", ", on)
                + "); rare means at most "
                + d.maxHosts()));
    out.add(
        shared.alert(
            d.name(),
            d.title() + ": " + value + " on " + host,
            d.level(),
            e,
            offset,
            host + ":" + value,
            matched,
            host,
            Shared.user(e)));
  }

  @Override
  public JsonNode save() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("started", startedAt);
    ObjectNode f = o.putObject("fleet");
    fleet.forEach(
        (tenant, hosts) -> {
          ArrayNode a = f.putArray(tenant);
          hosts.forEach(a::add);
        });
    o.set(
        "values",
        values.save(
            on -> {
              if (on == COMMON) {
                return TextNode.valueOf("common");
              }
              ArrayNode a = JsonNodeFactory.instance.arrayNode();
              on.forEach(a::add);
              return a;
            }));
    return o;
  }

  @Override
  public void load(JsonNode state) {
    startedAt = state.path("started").asLong(Long.MIN_VALUE);
    fleet.clear();
    state
        .path("fleet")
        .properties()
        .forEach(
            t -> {
              Set<String> hosts = new HashSet<>();
              t.getValue().forEach(x -> hosts.add(x.asText()));
              fleet.put(t.getKey(), hosts);
            });
    values.load(
        state.get("values"),
        x -> {
          if (x.isTextual()) {
            return COMMON;
          }
          Set<String> on = new LinkedHashSet<>();
          x.forEach(v -> on.add(v.asText()));
          return on;
        });
  }
}
