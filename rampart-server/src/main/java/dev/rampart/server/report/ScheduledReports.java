package dev.rampart.server.report;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.cases.CaseStore;
import dev.rampart.cases.incident.CaseException;
import dev.rampart.playbooks.playbook.Settings;
import dev.rampart.playbooks.run.Mailer;
import dev.rampart.vuln.track.VulnStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sends the configured reports once each whole period has ended: the day before just after midnight
 * UTC, the week before on Mondays. What was sent is kept in {@code DATA/reports/sent.json} (the end
 * of the last period sent, per report), so a restart sends nothing twice and a server that was down
 * at midnight sends the missed report when it starts. A mail that cannot go is tried again ten
 * minutes later; each one sent is in the audit trail.
 */
public final class ScheduledReports {
  private static final long RETRY_MILLIS = 600_000L;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(ScheduledReports.class);

  /**
   * A report to e-mail after each whole period it covers ({@code reports:} in the server config):
   * daily just after midnight UTC (the day before), weekly on Mondays (the week before), or every
   * so many days.
   *
   * @param tenants only these tenants' alerts and incidents (empty: all, with vulnerabilities)
   */
  public record Schedule(List<String> to, java.time.Duration every, List<String> tenants) {
    public Schedule {
      to = List.copyOf(to);
      tenants = List.copyOf(tenants);
    }
  }

  private final List<Schedule> reports;
  private final Path state;
  private final CaseStore cases;
  private final VulnStore vulns;
  private final java.util.function.Function<java.util.Set<String>, EventCounts> events;
  private final Settings.Smtp smtp;
  private final String consoleUrl;
  private final Map<String, Long> retryAt = new ConcurrentHashMap<>();

  /**
   * @param vulns findings for reports of every tenant; null leaves them out
   * @param events the stored events' counts of a report's tenants; null leaves the volume out
   * @param consoleUrl the console's public address for a link in the mail; null: no link
   */
  public ScheduledReports(
      List<Schedule> reports,
      Path state,
      CaseStore cases,
      VulnStore vulns,
      java.util.function.Function<java.util.Set<String>, EventCounts> events,
      Settings.Smtp smtp,
      String consoleUrl) {
    this.reports = List.copyOf(reports);
    this.state = state;
    this.cases = cases;
    this.vulns = vulns;
    this.events = events;
    this.smtp = smtp;
    this.consoleUrl = consoleUrl;
  }

  /** One report's round: sent, failed (with why), or nothing due. */
  public record Outcome(Schedule report, String period, boolean sent, String detail) {}

  /** Sends every report whose last whole period ended by {@code now} and was not sent yet. */
  public synchronized List<Outcome> runDue(long now) throws IOException, CaseException {
    Map<String, Long> sent = read();
    List<Outcome> out = new ArrayList<>();
    for (Schedule r : reports) {
      String key = key(r);
      ReportPeriod period = ReportPeriod.lastWhole(r.every(), now);
      if (sent.getOrDefault(key, Long.MIN_VALUE) >= period.toMillis()
          || retryAt.getOrDefault(key, Long.MIN_VALUE) > now) {
        continue;
      }
      SocReport report;
      try {
        report =
            SocReport.build(
                cases,
                vulns,
                events == null ? null : events.apply(Set.copyOf(r.tenants())),
                period,
                new java.util.TreeSet<>(r.tenants()));
      } catch (CaseException | RuntimeException e) {
        // the case database is away: this report waits its ten minutes like a failed mail
        retryAt.put(key, now + RETRY_MILLIS);
        out.add(
            new Outcome(
                r,
                java.time.Instant.ofEpochMilli(period.fromMillis())
                    + " to "
                    + java.time.Instant.ofEpochMilli(period.toMillis()),
                false,
                "not built: " + e.getMessage()));
        continue;
      }
      String body = ReportFormat.MARKDOWN.render(report) + link(report);
      Mailer.Sent s =
          Mailer.send(
              smtp,
              r.to(),
              "Rampart SOC report: " + report.periodLabel(),
              body,
              ReportFormat.HTML.render(report));
      if (s.ok()) {
        sent.put(key, period.toMillis());
        write(sent);
        retryAt.remove(key);
        cases.audit(
            "server",
            "report.sent",
            String.join(", ", r.to()),
            report.periodLabel() + " for " + report.scope());
      } else {
        retryAt.put(key, now + RETRY_MILLIS);
      }
      out.add(new Outcome(r, report.periodLabel(), s.ok(), s.detail()));
    }
    return out;
  }

  private String link(SocReport r) {
    if (consoleUrl == null) {
      return "";
    }
    long hours = (r.toMillis() - r.fromMillis()) / 3_600_000L;
    return "\nIn the console, with the chart: "
        + consoleUrl
        + "/report?last="
        + hours
        + "h&end="
        + java.time.Instant.ofEpochMilli(r.toMillis())
        + "\n";
  }

  /** A report's identity in the state file: who gets it, how often, which tenants. */
  static String key(Schedule r) {
    return String.join(",", new java.util.TreeSet<>(r.to()))
        + " every "
        + r.every().toDays()
        + "d"
        + (r.tenants().isEmpty()
            ? ""
            : " tenants " + String.join(",", new java.util.TreeSet<>(r.tenants())));
  }

  private Map<String, Long> read() throws IOException {
    if (!Files.exists(state)) {
      return new TreeMap<>();
    }
    Map<String, Long> m;
    try {
      m = JSON.readValue(state.toFile(), new TypeReference<TreeMap<String, Long>>() {});
    } catch (com.fasterxml.jackson.core.JacksonException damaged) {
      // kept aside for a look; starting afresh costs at most one repeated mail per report
      Path aside = state.resolveSibling(state.getFileName() + ".damaged");
      Files.move(state, aside, StandardCopyOption.REPLACE_EXISTING);
      LOG.warn(
          "reports: {} could not be read ({}); moved to {}, the last period's reports may go"
              + " again",
          state,
          damaged.getOriginalMessage(),
          aside);
      return new TreeMap<>();
    }
    // forget reports no longer configured, so the file does not grow with every edit
    var keys = new HashSet<String>();
    reports.forEach(r -> keys.add(key(r)));
    m.keySet().retainAll(keys);
    return m;
  }

  private void write(Map<String, Long> sent) throws IOException {
    Files.createDirectories(state.toAbsolutePath().getParent());
    Path tmp = Files.createTempFile(state.toAbsolutePath().getParent(), ".sent", ".tmp");
    JSON.writeValue(tmp.toFile(), sent);
    Files.move(tmp, state, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
