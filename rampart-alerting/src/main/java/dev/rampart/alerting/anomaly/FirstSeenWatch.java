package dev.rampart.alerting.anomaly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.alerting.alert.Alert;
import dev.rampart.core.event.Event;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** A value never seen before for an entity, after the learning period. */
final class FirstSeenWatch implements Watch {
  private final Anomalies.FirstSeen d;
  private final Shared shared;
  private long startedAt = Long.MIN_VALUE;
  // tenant -> entity (lower-cased) -> values seen (lower-cased)
  private final Entities<Set<String>> seen;

  FirstSeenWatch(Anomalies.FirstSeen d, Shared shared) {
    this.d = d;
    this.shared = shared;
    this.seen = new Entities<>(d.maxEntities(), shared);
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
    String entity = Shared.first(e, d.entity());
    String value = Shared.first(e, d.value());
    if (entity == null || value == null) {
      return;
    }
    if (startedAt == Long.MIN_VALUE) {
      startedAt = e.timestamp();
    }
    Set<String> values = seen.get(shared.tenant(e), entity, HashSet::new);
    String v = value.toLowerCase(Locale.ROOT);
    if (values.contains(v)) {
      return;
    }
    boolean learning = e.timestamp() - startedAt < d.learn().toNanos();
    if (!learning && !values.isEmpty()) {
      Map<String, List<String>> matched = new LinkedHashMap<>();
      matched.put(d.entity().get(0), List.of(entity));
      matched.put(d.value().get(0), List.of(value));
      List<String> known = values.stream().sorted().limit(10).toList();
      matched.put(
          "baseline",
          List.of(
              values.size()
                  + " value(s) seen before"
                  + (known.isEmpty() ? "" : ": " + String.join(", ", known))
                  + (values.size() > 10 ? ", …" : "")));
      boolean hostEntity = d.entity().get(0).startsWith("host");
      out.add(
          shared.alert(
              d.name(),
              d.title() + ": " + value + " (" + entity + ")",
              d.level(),
              e,
              offset,
              entity + ":" + value,
              matched,
              hostEntity ? entity : Shared.host(e),
              hostEntity ? Shared.user(e) : entity));
    }
    if (values.size() < d.maxValuesPerEntity()) {
      values.add(v);
    }
  }

  @Override
  public JsonNode save() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("started", startedAt);
    o.set(
        "seen",
        seen.save(
            values -> {
              ArrayNode a = JsonNodeFactory.instance.arrayNode();
              values.forEach(a::add);
              return a;
            }));
    return o;
  }

  @Override
  public void load(JsonNode state) {
    startedAt = state.path("started").asLong(Long.MIN_VALUE);
    seen.load(
        state.get("seen"),
        a -> {
          Set<String> s = new HashSet<>();
          a.forEach(v -> s.add(v.asText()));
          return s;
        });
  }
}
