package dev.rampart.cases.triage;

import dev.rampart.cases.incident.Sla;
import dev.rampart.cases.yaml.Doc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How alerts are handled before they reach incidents: suppression windows, per-rule severity,
 * grouping, the SLA per priority, and exceptions kept as code. Read from YAML (docs/alerting.md); a
 * file with mistakes is rejected as a whole, with every problem's line, and the previous policy
 * stays in force.
 *
 * @param groupWindow how long an incident keeps collecting related alerts after its last change
 * @param groupBy the entities that relate alerts: the first of them an alert has decides ({@code
 *     host}, {@code user})
 * @param suppress suppression rules, the first that applies wins
 * @param severity rule id to the level its alerts get instead of the rule's own
 * @param sla per priority
 */
public record AlertPolicy(
    Duration groupWindow,
    List<String> groupBy,
    List<Suppression> suppress,
    Map<String, String> severity,
    Map<String, Sla> sla,
    List<FileException> exceptions) {
  public AlertPolicy {
    groupBy = List.copyOf(groupBy);
    suppress = List.copyOf(suppress);
    severity = Map.copyOf(severity);
    sla = Map.copyOf(sla);
    exceptions = List.copyOf(exceptions);
  }

  /**
   * An exception kept as code in the policy file (reviewed like rules, versioned with the file),
   * beside the ones analysts add at run time. Same meaning: silences a rule for a host or user
   * until it expires.
   *
   * @param line where it is written, for messages and the audit trail
   */
  public record FileException(
      String rule, String host, String user, String reason, long expiresAt, String by, int line) {
    boolean covers(String ruleId, String h, String u, long now) {
      return now < expiresAt
          && rule.equals(ruleId)
          && (host == null || host.equalsIgnoreCase(h == null ? "" : h))
          && (user == null || user.equalsIgnoreCase(u == null ? "" : u));
    }
  }

  /** Levels, least severe first. */
  public static final List<String> LEVELS =
      List.of("informational", "low", "medium", "high", "critical");

  /** The entities alerts can be grouped by. */
  public static final List<String> GROUP_KEYS = List.of("host", "user");

  /**
   * After one alert of {@code rule} (or any rule: {@code *}) with given values of {@code by}, more
   * such alerts within {@code window} are suppressed: kept in the alert log, not filed again.
   *
   * @param by alert entities ({@code host}, {@code user}, {@code source.ip}, {@code process}) or
   *     matched field names; empty: the rule alone
   */
  public record Suppression(String rule, List<String> by, Duration window) {
    public Suppression {
      by = List.copyOf(by);
    }

    boolean appliesTo(String ruleId) {
      return rule.equals("*") || rule.equals(ruleId);
    }
  }

  public static AlertPolicy defaults() {
    return new AlertPolicy(
        Duration.ofHours(1),
        List.of("host", "user"),
        List.of(),
        Map.of(),
        Sla.defaults(),
        List.of());
  }

  /** A policy file with mistakes: every problem, with its line. */
  public static final class PolicyException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<Doc.Problem> problems;

    public PolicyException(List<Doc.Problem> problems) {
      super(
          problems.size()
              + " problem(s):\n  "
              + String.join("\n  ", problems.stream().map(Doc.Problem::toString).toList()));
      this.problems = List.copyOf(problems);
    }

    public List<Doc.Problem> problems() {
      return problems;
    }
  }

  public static AlertPolicy load(Path file) throws IOException, PolicyException {
    return parse(file.toString(), Files.readString(file));
  }

  /** Parses a policy; {@code file} names it in problems. */
  public static AlertPolicy parse(String file, String yaml) throws PolicyException {
    Doc d = new Doc(file);
    Doc.Obj root = d.parse(yaml);
    if (root == null) {
      throw new PolicyException(d.problems());
    }
    d.onlyKeys(
        root,
        "the alerting policy",
        Set.of("grouping", "suppress", "severity", "sla", "exceptions"));
    AlertPolicy def = defaults();
    Duration window = def.groupWindow();
    List<String> by = def.groupBy();
    Doc.Obj g = d.obj(root, "grouping");
    if (g != null) {
      d.onlyKeys(g, "grouping", Set.of("window", "by"));
      window = d.duration(g, "window", window);
      if (g.entries().containsKey("by")) {
        by = d.strings(g, "by");
        for (String k : by) {
          if (!GROUP_KEYS.contains(k)) {
            d.error(Doc.line(g, "by"), "grouping.by lists " + GROUP_KEYS + ", not '" + k + "'");
          }
        }
      }
    }
    List<Suppression> suppress = new ArrayList<>();
    for (Doc.Node n : d.list(root, "suppress")) {
      if (!(n instanceof Doc.Obj s)) {
        d.error(n.line(), "each suppress entry is a mapping with rule, by and window");
        continue;
      }
      d.onlyKeys(s, "a suppress entry", Set.of("rule", "by", "window"));
      String rule = d.string(s, "rule", true);
      if (!s.entries().containsKey("window")) {
        d.error(s.line(), "missing key 'window' (how long to suppress, e.g. 10m)");
      }
      Duration w = d.duration(s, "window", Duration.ofMinutes(10));
      if (rule != null) {
        suppress.add(new Suppression(rule, d.strings(s, "by"), w));
      }
    }
    Map<String, String> severity = new LinkedHashMap<>();
    Doc.Obj sev = d.obj(root, "severity");
    if (sev != null) {
      for (String rule : sev.entries().keySet()) {
        String level = d.string(sev, rule, true);
        if (level != null && !LEVELS.contains(level)) {
          d.error(
              Doc.line(sev, rule),
              "severity of " + rule + " is one of " + LEVELS + ", not '" + level + "'");
        } else if (level != null) {
          severity.put(rule, level);
        }
      }
    }
    Map<String, Sla> sla = new LinkedHashMap<>(def.sla());
    Doc.Obj s = d.obj(root, "sla");
    if (s != null) {
      d.onlyKeys(s, "sla", Set.of("critical", "high", "medium", "low"));
      for (String p : s.entries().keySet()) {
        Doc.Obj one = d.obj(s, p);
        if (one == null || !sla.containsKey(p)) {
          continue;
        }
        d.onlyKeys(one, "sla." + p, Set.of("acknowledge", "resolve"));
        Sla old = sla.get(p);
        Duration ack = d.duration(one, "acknowledge", old.acknowledge());
        Duration res = d.duration(one, "resolve", old.resolve());
        if (res.compareTo(ack) < 0) {
          d.error(one.line(), "sla." + p + ": resolve comes before acknowledge");
        }
        sla.put(p, new Sla(ack, res));
      }
    }
    List<FileException> exceptions = new ArrayList<>();
    for (Doc.Node n : d.list(root, "exceptions")) {
      if (!(n instanceof Doc.Obj e)) {
        d.error(
            n.line(), "each exception is a mapping with rule, reason, expires and host or user");
        continue;
      }
      d.onlyKeys(e, "an exception", Set.of("rule", "host", "user", "reason", "expires", "by"));
      String rule = d.string(e, "rule", true);
      String reason = d.string(e, "reason", true);
      String expires = d.string(e, "expires", true);
      long at = 0;
      if (expires != null) {
        try {
          at =
              expires.length() == 10
                  ? java.time.LocalDate.parse(expires)
                      .atStartOfDay(java.time.ZoneOffset.UTC)
                      .toInstant()
                      .toEpochMilli()
                  : java.time.Instant.parse(expires).toEpochMilli();
        } catch (java.time.DateTimeException x) {
          d.error(
              Doc.line(e, "expires"),
              "expires is a date (2026-12-31) or an instant (2026-12-31T18:00:00Z), not '"
                  + expires
                  + "'");
        }
      }
      if (reason != null && reason.isBlank()) {
        d.error(Doc.line(e, "reason"), "reason: say why the rule is silenced");
      }
      if (rule != null && reason != null && expires != null) {
        exceptions.add(
            new FileException(
                rule,
                d.string(e, "host", false),
                d.string(e, "user", false),
                reason,
                at,
                d.string(e, "by", false),
                e.line()));
      }
    }
    if (!d.problems().isEmpty()) {
      throw new PolicyException(d.problems());
    }
    return new AlertPolicy(window, by, suppress, severity, sla, exceptions);
  }
}
