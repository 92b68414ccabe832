package dev.rampart.vuln.track;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Remediation deadlines per severity, and the KEV due date when it comes first. The defaults follow
 * common practice (and CISA BOD 19-02's 15/30 days for critical/high on internet-facing systems,
 * tightened for critical): critical 7 days, high 30, medium 90, low 180; a finding without a score
 * counts as medium.
 */
public record SlaPolicy(Map<String, Duration> bySeverity) {
  public static final SlaPolicy DEFAULTS =
      new SlaPolicy(
          Map.of(
              "critical", Duration.ofDays(7),
              "high", Duration.ofDays(30),
              "medium", Duration.ofDays(90),
              "low", Duration.ofDays(180),
              "none", Duration.ofDays(365),
              "unknown", Duration.ofDays(90)));

  public SlaPolicy {
    bySeverity = Map.copyOf(bySeverity);
  }

  public Duration of(String severity) {
    Duration d = bySeverity.get(severity);
    return d != null ? d : bySeverity.getOrDefault("medium", Duration.ofDays(90));
  }

  /** The deadline of a finding first seen at {@code firstSeen}: its SLA, or KEV's due date. */
  public long due(String severity, long firstSeen, LocalDate kevDue) {
    long due = firstSeen + of(severity).toMillis();
    if (kevDue != null) {
      long kev = kevDue.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli() - 1;
      due = Math.min(due, kev);
    }
    return due;
  }

  /**
   * The policy with changes like {@code critical=3d,high=14d} (days or hours: {@code 12h}).
   *
   * @throws IllegalArgumentException naming the part that is wrong
   */
  public SlaPolicy with(String spec) {
    Map<String, Duration> m = new LinkedHashMap<>(bySeverity);
    for (String part : spec.split(",")) {
      String[] kv = part.strip().split("=", 2);
      String sev = kv[0].strip().toLowerCase(Locale.ROOT);
      if (kv.length != 2 || !DEFAULTS.bySeverity.containsKey(sev)) {
        throw new IllegalArgumentException(
            "'"
                + part
                + "': give SEVERITY=DURATION with a severity of critical, high, medium,"
                + " low, none, unknown");
      }
      String v = kv[1].strip().toLowerCase(Locale.ROOT);
      try {
        long n = Long.parseLong(v.substring(0, v.length() - 1));
        m.put(
            sev,
            switch (v.charAt(v.length() - 1)) {
              case 'd' -> Duration.ofDays(n);
              case 'h' -> Duration.ofHours(n);
              default -> throw new NumberFormatException();
            });
      } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
        throw new IllegalArgumentException(
            "'" + part + "': the duration is days (30d) or hours (12h)");
      }
    }
    return new SlaPolicy(m);
  }
}
