package dev.rampart.alerting.anomaly;

import dev.rampart.alerting.alert.Alert;
import dev.rampart.alerting.alert.AlertBuilder;
import dev.rampart.core.event.Event;
import dev.rampart.core.event.EventSource;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** What the detectors share: the tenant of an event, the eviction count, how an alert looks. */
final class Shared {
  final Function<EventSource, String> tenantOf;
  long evicted;

  Shared(Function<EventSource, String> tenantOf) {
    this.tenantOf = tenantOf;
  }

  String tenant(Event e) {
    return tenantOf.apply(e.source());
  }

  /** The first present, non-empty value of {@code fields} (Windows writes "-" for none). */
  static String first(Event e, List<String> fields) {
    for (String f : fields) {
      String v = e.getText(f);
      if (v != null && !v.isEmpty() && !v.equals("-")) {
        return v;
      }
    }
    return null;
  }

  static String host(Event e) {
    return first(e, List.of("host.name", "Computer"));
  }

  static String user(Event e) {
    return first(e, List.of("user.name", "TargetUserName"));
  }

  /**
   * An anomaly alert: id {@code anomaly:NAME:KEY@OFFSET} (deterministic, so a replay after a crash
   * adds nothing), the event's entities with the host and user the detector names.
   */
  Alert alert(
      String name,
      String title,
      String level,
      Event e,
      long offset,
      String key,
      Map<String, List<String>> matched,
      String host,
      String user) {
    Alert.Entities x = AlertBuilder.entities(e);
    return new Alert(
        "anomaly:" + name + ":" + key + "@" + offset,
        "anomaly:" + name,
        title,
        level,
        List.of("anomaly"),
        List.of(),
        List.of(offset),
        e.timestamp(),
        System.currentTimeMillis() * 1_000_000,
        matched,
        new Alert.Entities(host, user, x.sourceIp(), x.process()),
        tenant(e));
  }
}
