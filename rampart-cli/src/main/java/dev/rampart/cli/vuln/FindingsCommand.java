package dev.rampart.cli.vuln;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.cli.DataOptions;
import dev.rampart.cli.ExitCodes;
import dev.rampart.cli.UsageException;
import dev.rampart.core.io.Csv;
import dev.rampart.vuln.track.VulnStore;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rampart vuln findings}: what is vulnerable where, most urgent first. */
@Command(
    name = "findings",
    mixinStandardHelpOptions = true,
    description = {
      "List findings, most urgent first (exploited in the wild, then by CVSS score, then by",
      "deadline). Suppressed findings (an exception or a VEX statement) are left out unless",
      "--suppressed. Exit 1 when any listed finding is open."
    },
    footer = {
      "",
      "Examples:",
      "  rampart vuln findings --severity high",
      "  rampart vuln findings --kev --overdue",
      "  rampart vuln findings --asset web-01 --status all --format csv > web-01.csv"
    })
public final class FindingsCommand implements Callable<Integer> {
  static final ObjectMapper JSON = new ObjectMapper();

  @Mixin DataOptions data;

  @Option(names = "--asset", description = "Only this asset.")
  String asset;

  @Option(
      names = "--severity",
      description =
          "At least this severity: critical, high, medium, low (unknown counts as medium).")
  String severity;

  @Option(names = "--kev", description = "Only known exploited vulnerabilities (CISA KEV).")
  boolean kev;

  @Option(
      names = "--status",
      defaultValue = "open",
      description = "open, fixed or all (default: ${DEFAULT-VALUE}).")
  String status;

  @Option(names = "--overdue", description = "Only open findings past their deadline.")
  boolean overdue;

  @Option(names = "--suppressed", description = "Include findings under an exception or VEX.")
  boolean suppressed;

  @Option(names = "--limit", defaultValue = "1000", description = "At most this many rows.")
  int limit;

  @Option(
      names = "--format",
      defaultValue = "table",
      description = "table, json (one object per line) or csv (default: ${DEFAULT-VALUE}).")
  String format;

  @Override
  public Integer call() throws Exception {
    if (!List.of("open", "fixed", "all").contains(status)) {
      throw new UsageException("--status is open, fixed or all");
    }
    if (severity != null && !VulnStore.severities().contains(severity.toLowerCase(Locale.ROOT))) {
      throw new UsageException("--severity is one of " + VulnStore.severities());
    }
    if (!List.of("table", "json", "csv").contains(format)) {
      throw new UsageException("--format is table, json or csv");
    }
    List<VulnStore.FindingRow> rows;
    long now = System.currentTimeMillis();
    try (Workspace w = Workspace.open(data)) {
      rows =
          w.store.findings(
              new VulnStore.Filter(
                  asset,
                  severity == null ? null : severity.toLowerCase(Locale.ROOT),
                  kev,
                  status,
                  overdue,
                  suppressed,
                  limit));
    }
    switch (format) {
      case "json" -> {
        for (VulnStore.FindingRow r : rows) {
          System.out.println(JSON.writeValueAsString(map(r, now)));
        }
      }
      case "csv" -> {
        boolean header = true;
        for (VulnStore.FindingRow r : rows) {
          Map<String, Object> m = map(r, now);
          if (header) {
            System.out.println(String.join(",", m.keySet()));
            header = false;
          }
          System.out.println(Csv.row(new java.util.ArrayList<>(m.values())));
        }
      }
      default -> {
        System.out.printf(
            "%-8s %-4s %-3s %-10s %-14s %-24s %-22s %-16s %-20s %s%n",
            "SEVERITY",
            "CVSS",
            "KEV",
            "DUE",
            "ASSET",
            "PACKAGE",
            "VERSION",
            "ADVISORY",
            "FIXED IN",
            "STATUS");
        for (VulnStore.FindingRow r : rows) {
          System.out.printf(
              "%-8s %-4s %-3s %-10s %-14s %-24s %-22s %-16s %-20s %s%n",
              r.severity(),
              r.cvss() == null ? "-" : String.format(Locale.ROOT, "%.1f", r.cvss()),
              r.kev() ? "yes" : "",
              day(r.dueAt()),
              r.asset(),
              r.packageName(),
              r.version(),
              r.advisory(),
              r.fixedVersion() == null ? "(no fix)" : r.fixedVersion(),
              r.status()
                  + (r.overdue(now) ? ", OVERDUE" : "")
                  + (r.suppressedBy() == null ? "" : ", suppressed: " + r.suppressedBy()));
        }
        System.err.printf("%,d findings%n", rows.size());
      }
    }
    return rows.stream().anyMatch(r -> r.status().equals("open") && r.suppressedBy() == null)
        ? ExitCodes.FINDINGS
        : ExitCodes.OK;
  }

  static String day(long ms) {
    return Instant.ofEpochMilli(ms).atOffset(ZoneOffset.UTC).toLocalDate().toString();
  }

  static Map<String, Object> map(VulnStore.FindingRow r, long now) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.id());
    m.put("asset", r.asset());
    m.put("package", r.packageName());
    m.put("ecosystem", r.ecosystem().toLowerCase(Locale.ROOT));
    m.put("version", r.version());
    m.put("purl", r.purl());
    m.put("advisory", r.advisory());
    m.put("aliases", String.join(" ", r.aliases()));
    m.put("fixed_version", r.fixedVersion());
    m.put("source", r.source());
    m.put("severity", r.severity());
    m.put("cvss", r.cvss());
    m.put("cvss_vector", r.cvssVector());
    m.put("kev", r.kev());
    m.put("kev_due_date", r.kevDue());
    m.put("status", r.status());
    m.put("first_seen", Instant.ofEpochMilli(r.firstSeen()).toString());
    m.put("due", Instant.ofEpochMilli(r.dueAt()).toString());
    m.put("overdue", r.overdue(now));
    m.put("fixed_at", r.fixedAt() == null ? null : Instant.ofEpochMilli(r.fixedAt()).toString());
    m.put("reopened", r.reopened());
    m.put("suppressed_by", r.suppressedBy());
    m.put("explanation", r.explanation());
    return m;
  }
}
