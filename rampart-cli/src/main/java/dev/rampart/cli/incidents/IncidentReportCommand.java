package dev.rampart.cli.incidents;

import dev.rampart.cases.CaseStore;
import dev.rampart.cases.incident.CaseException;
import dev.rampart.cases.incident.Incident;
import dev.rampart.cli.DataOptions;
import dev.rampart.cli.UsageException;
import dev.rampart.server.report.IncidentReport;
import dev.rampart.server.report.ReportFormat;
import dev.rampart.store.EventStore;
import dev.rampart.store.StoreOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code rampart incidents report ID}: one incident written up for a handover. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Write up one incident for a handover (the next shift, management, counsel, an insurer):",
      "status, owner, SLAs met or missed, ATT&CK techniques, its alerts, the analysts' notes, the",
      "timeline, and the stored events it rests on (its alerts' events and those linked as",
      "evidence, from DATA/store). Markdown by default, self-contained HTML, or JSON. Each export",
      "is in the audit trail."
    },
    footer = {
      "",
      "Examples:",
      "  rampart incidents report 3f9c...                        # Markdown on standard output",
      "  rampart incidents report 3f9c... --format html --out incident.html"
    })
public final class IncidentReportCommand implements Callable<Integer> {
  @Mixin DataOptions data;

  @Mixin dev.rampart.cli.report.ReportOutput output;

  @Parameters(
      index = "0",
      paramLabel = "ID",
      description = "The incident's id (rampart incidents).")
  String id;

  @Override
  public Integer call() throws Exception {
    ReportFormat f = output.format();
    Path db = data.existingCaseDatabase();
    try (CaseStore cases = CaseStore.open("jdbc:sqlite:" + db)) {
      Incident i;
      try {
        i = cases.get(id);
      } catch (CaseException e) {
        throw new UsageException(e.getMessage() + " (rampart incidents lists them)");
      }
      Path storeDir = data.dataDir().resolve("store");
      IncidentReport r;
      if (Files.isDirectory(storeDir)) {
        try (EventStore store = EventStore.open(storeDir, StoreOptions.defaults())) {
          r = IncidentReport.build(cases, i, store, null);
        }
      } else {
        r = IncidentReport.build(cases, i, null, null);
      }
      cases.audit(dev.rampart.cli.Actor.name(), "incident.export", i.id(), f.extension());
      output.write(f.render(r), "incident " + i.id());
      return 0;
    }
  }
}
