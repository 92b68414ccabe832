package dev.rampart.alerting.alert;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.EventSource;
import dev.rampart.sigma.eval.Explainer;
import dev.rampart.sigma.mapping.LogsourceMapping;
import dev.rampart.sigma.rule.SigmaRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds the alert for a rule that matched an event. The matched fields come from the reference
 * explainer, which runs only for matches (rare next to events), so the engine's hot path stays as
 * it is; the rule's {@code fields:} follow them. One per thread.
 */
public final class AlertBuilder {

  // Entity fields in order of preference: ECS first, then the native names of Windows events.
  private static final List<String> HOST = List.of("host.name", "Computer", "host.hostname");
  private static final List<String> USER =
      List.of("user.name", "TargetUserName", "SubjectUserName", "User");
  private static final List<String> SOURCE_IP =
      List.of("source.ip", "IpAddress", "client.ip", "src_ip");
  private static final List<String> PROCESS =
      List.of("process.executable", "Image", "process.name", "exe");

  private final Explainer explainer;
  private final Function<EventSource, String> tenantOf;

  /** Alerts of the default tenant. */
  public AlertBuilder(LogsourceMapping mapping) {
    this(mapping, s -> Alert.DEFAULT_TENANT);
  }

  /**
   * @param tenantOf the tenant of an event, from where it came (the input that owns it)
   */
  public AlertBuilder(LogsourceMapping mapping, Function<EventSource, String> tenantOf) {
    this.explainer = new Explainer(mapping);
    this.tenantOf = tenantOf;
  }

  public Alert build(SigmaRule rule, Event e, long eventId, long now) {
    List<String> techniques = rule.techniques();
    String ruleId = rule.id() != null ? rule.id() : rule.file();
    return new Alert(
        ruleId + "@" + eventId,
        ruleId,
        rule.title(),
        rule.level() == null ? "medium" : rule.level().label(),
        rule.tags(),
        techniques,
        List.of(eventId),
        e.timestamp(),
        now,
        matched(rule, e),
        entities(e),
        tenantOf.apply(e.source()));
  }

  private Map<String, List<String>> matched(SigmaRule rule, Event e) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    Explainer.Explanation x = explainer.explain(rule, e);
    for (Explainer.SearchResult s : x.searches()) {
      if (!s.matched()) {
        continue;
      }
      for (Explainer.ItemResult item : s.items()) {
        if (item.matched()) {
          for (String f : item.eventFields()) {
            List<String> values = item.eventValues();
            out.merge(
                f,
                values,
                (a, b) -> {
                  List<String> all = new ArrayList<>(a);
                  b.stream().filter(v -> !all.contains(v)).forEach(all::add);
                  return all;
                });
          }
        }
      }
    }
    // and the fields the rule names as worth seeing (Sigma's fields:), such as the member a
    // group change added: what the analyst and the preventive controls need about the event
    for (String f : rule.fields()) {
      if (!out.containsKey(f)) {
        String v = e.getText(f);
        if (v != null) {
          out.put(f, List.of(v));
        }
      }
    }
    return out;
  }

  /**
   * Who and what an event is about: its host (else its source host), user, source address and
   * process, ECS names first, then the native Windows ones. For every kind of alert built from an
   * event (rules, intel, anomalies).
   */
  public static Alert.Entities entities(Event e) {
    return new Alert.Entities(
        first(e, HOST, e.source().host()),
        first(e, USER, null),
        first(e, SOURCE_IP, null),
        first(e, PROCESS, null));
  }

  private static String first(Event e, List<String> names, String fallback) {
    for (String n : names) {
      String v = e.getText(n);
      if (v != null && !v.isEmpty() && !v.equals("-")) {
        return v;
      }
    }
    return fallback == null || fallback.isEmpty() ? null : fallback;
  }
}
