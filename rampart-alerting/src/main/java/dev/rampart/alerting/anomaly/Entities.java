package dev.rampart.alerting.anomaly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Per-entity state in one map per tenant, at most {@code max} entities in all: the least recently
 * active entity of the tenant at hand is evicted (counted). Entities compare without case; no key
 * string is built per event.
 */
final class Entities<V> {
  private final int max;
  private final Shared shared;
  private final Map<String, LinkedHashMap<String, V>> byTenant = new HashMap<>();
  private int size;

  Entities(int max, Shared shared) {
    this.max = max;
    this.shared = shared;
  }

  V get(String tenant, String entity, Supplier<V> fresh) {
    LinkedHashMap<String, V> m =
        byTenant.computeIfAbsent(tenant, t -> new LinkedHashMap<>(16, 0.75f, true));
    String k = entity.toLowerCase(Locale.ROOT); // the same string when already lower-case
    V v = m.get(k);
    if (v == null) {
      if (size >= max && !m.isEmpty()) {
        Iterator<Map.Entry<String, V>> it = m.entrySet().iterator();
        it.next();
        it.remove();
        size--;
        shared.evicted++;
      }
      v = fresh.get();
      m.put(k, v);
      size++;
    }
    return v;
  }

  /** Replaces the state of an entity {@link #get} made. */
  void replace(String tenant, String entity, V v) {
    byTenant.get(tenant).put(entity.toLowerCase(Locale.ROOT), v);
  }

  /** The entities of {@code tenant} (no entry is made), for reading. */
  V peek(String tenant, String entity) {
    LinkedHashMap<String, V> m = byTenant.get(tenant);
    return m == null ? null : m.get(entity.toLowerCase(Locale.ROOT));
  }

  /** {tenant: {entity: state}} in least-recently-active order, so a reload keeps the order. */
  ObjectNode save(Function<V, JsonNode> one) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    byTenant.forEach(
        (tenant, m) -> {
          ObjectNode t = out.putObject(tenant);
          m.forEach((entity, v) -> t.set(entity, one.apply(v)));
        });
    return out;
  }

  void load(JsonNode saved, Function<JsonNode, V> one) {
    byTenant.clear();
    size = 0;
    if (saved == null) {
      return;
    }
    saved
        .properties()
        .forEach(
            t -> {
              LinkedHashMap<String, V> m = new LinkedHashMap<>(16, 0.75f, true);
              t.getValue()
                  .properties()
                  .forEach(
                      e -> {
                        if (size < max) {
                          m.put(e.getKey(), one.apply(e.getValue()));
                          size++;
                        }
                      });
              byTenant.put(t.getKey(), m);
            });
  }
}
