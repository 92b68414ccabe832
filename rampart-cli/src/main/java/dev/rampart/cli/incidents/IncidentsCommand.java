package dev.rampart.cli.incidents;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.cases.CaseStore;
import dev.rampart.cases.incident.Incident;
import dev.rampart.cases.incident.Status;
import dev.rampart.cli.DataOptions;
import dev.rampart.cli.UsageException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rampart incidents}: the incidents alerts were grouped into, most recently updated first.
 */
@Command(
    name = "incidents",
    mixinStandardHelpOptions = true,
    subcommands = IncidentReportCommand.class,
    description = {
      "List incidents (DATA/cases.db; rampart serve groups alerts about one host within an hour",
      "into one), most recently updated first, with status, priority, owner and the metrics a",
      "SOC lead watches (MTTD, MTTA, MTTR)."
    },
    footer = {
      "",
      "Examples:",
      "  rampart incidents",
      "  rampart incidents --status new --status acknowledged --priority high",
      "  rampart incidents --json --limit 500",
      "  rampart incidents --breached          # past their SLA (marked ! in the list)",
      "  rampart incidents --outcomes          # true and false positives per rule",
      "  rampart incidents report ID --format html --out incident.html   # a write-up"
    })
public final class IncidentsCommand implements Callable<Integer> {
  @Mixin DataOptions data;

  @Option(
      names = "--status",
      paramLabel = "STATUS",
      description = "Only these statuses (repeatable).")
  List<String> statuses;

  @Option(names = "--priority", paramLabel = "P", description = "critical, high, medium or low.")
  String priority;

  @Option(names = "--owner", paramLabel = "NAME", description = "Only this owner's.")
  String owner;

  @Option(names = "--tag", paramLabel = "TAG", description = "Only incidents with this tag.")
  String tag;

  @Option(
      names = "--breached",
      description = "Only incidents past an SLA due time (unacknowledged or unresolved).")
  boolean breached;

  @Option(
      names = "--outcomes",
      description =
          "Instead of incidents, per rule: alerts in incidents, true positives (resolved),"
              + " false positives. Noisy rules first.")
  boolean outcomes;

  @Option(
      names = "--limit",
      defaultValue = "50",
      description = "Most shown (default 50, at most 1000).")
  int limit;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Set<Status> wanted = new HashSet<>();
    for (String s : statuses == null ? List.<String>of() : statuses) {
      Status st = Status.parse(s);
      if (st == null) {
        throw new UsageException(
            "--status is one of new, acknowledged, investigating, contained, resolved,"
                + " false_positive; not '"
                + s
                + "'");
      }
      wanted.add(st);
    }
    if (limit < 1 || limit > 1000) {
      throw new UsageException("--limit is 1..1000");
    }
    try (CaseStore cases = CaseStore.open("jdbc:sqlite:" + data.dataDir().resolve("cases.db"))) {
      if (outcomes) {
        List<CaseStore.RuleOutcome> rows = cases.ruleOutcomes();
        if (json) {
          System.out.println(new ObjectMapper().writeValueAsString(rows));
          return 0;
        }
        System.out.printf("%8s %8s %8s  %s%n", "ALERTS", "TP", "FP", "RULE");
        for (CaseStore.RuleOutcome r : rows) {
          System.out.printf(
              "%8d %8d %8d  %s (%s)%n",
              r.alerts(), r.truePositives(), r.falsePositives(), r.title(), r.ruleId());
        }
        return 0;
      }
      CaseStore.Page page =
          cases.list(new CaseStore.Filter(wanted, priority, owner, tag, breached), limit, null);
      CaseStore.Metrics m = cases.metrics();
      if (json) {
        System.out.println(
            new ObjectMapper()
                .writeValueAsString(java.util.Map.of("incidents", page.incidents(), "metrics", m)));
        return 0;
      }
      long now = cases.now();
      for (Incident i : page.incidents()) {
        System.out.printf(
            "%s  %-36s %-14s %-8s%s %-10s %s%s%n",
            Instant.ofEpochMilli(i.updatedAt()),
            i.id(),
            i.status().label(),
            i.priority(),
            i.breached(now) ? "!" : " ",
            i.owner() == null ? "-" : i.owner(),
            i.title(),
            i.tags().isEmpty() ? "" : " " + i.tags());
      }
      System.err.printf(
          "%d incidents in all; MTTD %s, MTTA %s, MTTR %s%n",
          m.incidents(),
          dev.rampart.core.time.Durations.readable(m.mttdMillis()),
          dev.rampart.core.time.Durations.readable(m.mttaMillis()),
          dev.rampart.core.time.Durations.readable(m.mttrMillis()));
      return 0;
    }
  }
}
