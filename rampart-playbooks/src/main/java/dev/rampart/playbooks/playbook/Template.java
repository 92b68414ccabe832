package dev.rampart.playbooks.playbook;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text with {@code {{name}}} placeholders, checked against the names a trigger provides when the
 * playbook loads (a typo is a load error with its line, not an empty field at 3 a.m.).
 */
public record Template(String source, List<Object> parts) {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-z_.]+)\\s*}}");

  /** The names a trigger fills in; absent values render as {@code -}. */
  public static final Set<String> NAMES =
      new TreeSet<>(
          Set.of(
              "alert.id",
              "alert.rule_id",
              "alert.title",
              "alert.level",
              "alert.tags",
              "alert.techniques",
              "alert.host",
              "alert.user",
              "alert.source_ip",
              "alert.process",
              "alert.event_time",
              "alert.identity_risk",
              "incident.id",
              "incident.title",
              "incident.status",
              "incident.priority",
              "incident.owner",
              "incident.host",
              "incident.user",
              "incident.tags",
              "incident.url",
              "change.kind",
              "change.actor",
              "change.detail",
              "playbook",
              "trigger"));

  private record Name(String name) {}

  /** Compiles {@code source}; unknown names are returned through {@code unknown}. */
  public static Template of(String source, List<String> unknown) {
    List<Object> parts = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(source);
    int at = 0;
    while (m.find()) {
      if (m.start() > at) {
        parts.add(source.substring(at, m.start()));
      }
      if (!NAMES.contains(m.group(1))) {
        unknown.add(m.group(1));
      }
      parts.add(new Name(m.group(1)));
      at = m.end();
    }
    if (at < source.length()) {
      parts.add(source.substring(at));
    }
    return new Template(source, List.copyOf(parts));
  }

  /** Fills in the placeholders from {@code values}. */
  public String render(Map<String, String> values) {
    StringBuilder sb = new StringBuilder();
    for (Object p : parts) {
      if (p instanceof Name n) {
        String v = values.get(n.name());
        sb.append(v == null ? "-" : v);
      } else {
        sb.append((String) p);
      }
    }
    return sb.toString();
  }
}
