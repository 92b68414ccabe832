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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
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

  @Parameters(
      index = "0",
      paramLabel = "ID",
      description = "The incident's id (rampart incidents).")
  String id;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "md",
      description = "md, html or json (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Write it to FILE instead of standard output.")
  Path out;

  @Override
  public Integer call() throws Exception {
    ReportFormat f = ReportFormat.parse(format);
    if (f == null) {
      throw new UsageException("--format is md, html or json; not '" + format + "'");
    }
    Path db = data.dataDir().resolve("cases.db");
    if (!Files.exists(db)) {
      throw new UsageException(
          "no case database at "
              + db
              + ": give the server's data folder with --data (or set RAMPART_DATA)");
    }
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
      String text = f.render(r);
      if (out == null) {
        System.out.print(text);
      } else {
        Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), ".incident", ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.err.println("wrote incident " + i.id() + " to " + out);
      }
      return 0;
    }
  }
}
