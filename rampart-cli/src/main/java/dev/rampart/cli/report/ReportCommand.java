package dev.rampart.cli.report;

import dev.rampart.cases.CaseStore;
import dev.rampart.cli.DataOptions;
import dev.rampart.cli.UsageException;
import dev.rampart.server.ServerConfig;
import dev.rampart.server.report.EventCounts;
import dev.rampart.server.report.ReportFormat;
import dev.rampart.server.report.ReportPeriod;
import dev.rampart.server.report.SocReport;
import dev.rampart.server.tenant.Tenancy;
import dev.rampart.store.EventStore;
import dev.rampart.store.StoreOptions;
import dev.rampart.vuln.track.VulnStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rampart report}: the SOC lead's report of a period, against the period before. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "The SOC report of a period (DATA/cases.db), beside the same length before it: alerts by",
      "level and per day, what triage did with them, events stored (DATA/store), incidents",
      "opened, closed and still open,",
      "MTTD, MTTA and MTTR, acknowledgement and resolution SLAs met, the rules, hosts and ATT&CK",
      "techniques with the most alerts, the rules whose closed incidents were false positives,",
      "and vulnerability findings opened, fixed, open and overdue. Markdown by default (a ticket,",
      "a chat, an e-mail), self-contained HTML with a chart, or JSON. The server's console shows",
      "it at /report and can send it by e-mail on a schedule (reports: in the config)."
    },
    footer = {
      "",
      "Examples:",
      "  rampart report                                  # the last 7 days up to now",
      "  rampart report --last 30d --end today --format html --out month.html",
      "  rampart report --last 1w --end 2026-01-12       # the week before Monday 12 January",
      "  rampart report --tenant acme --format json      # one tenant's (no vulnerabilities)"
    })
public final class ReportCommand implements Callable<Integer> {
  @Mixin DataOptions data;

  @Mixin ReportOutput output;

  @Option(
      names = "--last",
      paramLabel = "DURATION",
      defaultValue = "7d",
      description =
          "The period's length, whole hours: 24h, 7d, 4w, 30d (default: ${DEFAULT-VALUE}).")
  String last;

  @Option(
      names = "--end",
      paramLabel = "WHEN",
      defaultValue = "now",
      description =
          "Where it ends: now (the end of this hour), today (midnight UTC: whole days), a date"
              + " (2026-01-12: up to its start) or an instant (default: ${DEFAULT-VALUE}).")
  String end;

  @Option(
      names = "--tenant",
      paramLabel = "NAME",
      description =
          "Only this tenant's alerts, incidents and events stored (repeatable); leaves out"
              + " findings. Which inputs are whose is the server's config (--config).")
  List<String> tenants;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "The server's config, for its tenants: which inputs' events are a tenant's"
              + " (default: DATA/rampart.yaml, which the server writes).")
  Path config;

  @Override
  public Integer call() throws Exception {
    ReportFormat f = output.format();
    Path db = data.existingCaseDatabase();
    try (CaseStore cases = CaseStore.open("jdbc:sqlite:" + db)) {
      ReportPeriod period;
      try {
        period = ReportPeriod.parse(last, end, cases.now());
      } catch (IllegalArgumentException e) {
        throw new UsageException("--" + e.getMessage());
      }
      Set<String> only = tenants == null ? Set.of() : Set.copyOf(tenants);
      // the store's events by day; a tenant's are known to the server's config alone
      Path storeDir = data.dataDir().resolve("store");
      String scope = only.isEmpty() ? null : scope(only);
      SocReport r;
      // no vulnerability tables: no findings to report, and a report does not make them
      VulnStore vulns =
          cases.db().hasTable("flyway_vuln_history") ? VulnStore.open(cases.db()) : null;
      if ((only.isEmpty() || scope != null) && Files.isDirectory(storeDir)) {
        try (EventStore store = EventStore.open(storeDir, StoreOptions.defaults())) {
          r = SocReport.build(cases, vulns, EventCounts.of(store, scope), period, only);
        }
      } else {
        r = SocReport.build(cases, vulns, period, only);
      }
      output.write(f.render(r), "the report of " + r.periodLabel());
      return 0;
    }
  }

  /**
   * The store scope of {@code only}'s events by the server's config; null, said on stderr, when no
   * config can be read (the report then leaves the events out rather than count another's).
   */
  private String scope(Set<String> only) {
    Path file = config != null ? config : data.dataDir().resolve("rampart.yaml");
    if (!Files.isRegularFile(file)) {
      if (config != null) {
        throw new UsageException("--config " + file + ": no such file");
      }
      System.err.println(
          "note: events stored left out: no server config at "
              + file
              + " says which inputs are whose (--config)");
      return null;
    }
    try {
      return Tenancy.eventScope(only, ServerConfig.load(file));
    } catch (ServerConfig.ConfigException | java.io.IOException e) {
      throw new UsageException("--config " + file + ": " + e.getMessage());
    }
  }
}
