package dev.rampart.cli;

import dev.rampart.cli.bench.BenchCommand;
import dev.rampart.cli.demo.DemoCommand;
import dev.rampart.cli.events.EventsCommand;
import dev.rampart.cli.hunt.HuntCommand;
import dev.rampart.cli.rules.RulesCommand;
import dev.rampart.cli.simulate.SimulateCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rampart} command: the only {@code main} in the project. */
@Command(
    name = "rampart",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Rampart: collect, search, detect and respond — a Security Operations platform in one program.",
      ""
    },
    subcommands = {
      DemoCommand.class,
      EventsCommand.class,
      dev.rampart.cli.evtx.EvtxCommand.class,
      dev.rampart.cli.parse.ParseCommand.class,
      dev.rampart.cli.ingest.IngestCommand.class,
      dev.rampart.cli.parse.ParsersCommand.class,
      dev.rampart.cli.serve.ServeCommand.class,
      dev.rampart.cli.store.StoreCommand.class,
      dev.rampart.cli.search.SearchCommand.class,
      dev.rampart.cli.alerts.AlertsCommand.class,
      dev.rampart.cli.incidents.IncidentsCommand.class,
      dev.rampart.cli.entity.EntityCommand.class,
      dev.rampart.cli.report.ReportCommand.class,
      dev.rampart.cli.exceptions.ExceptionsCommand.class,
      dev.rampart.cli.playbooks.PlaybooksCommand.class,
      dev.rampart.cli.access.UsersCommand.class,
      dev.rampart.cli.intel.IntelCommand.class,
      dev.rampart.cli.vuln.VulnCommand.class,
      dev.rampart.cli.prevention.IdentitiesCommand.class,
      dev.rampart.cli.prevention.TrainingCommand.class,
      dev.rampart.cli.prevention.ReviewsCommand.class,
      dev.rampart.cli.agent.AgentCommand.class,
      dev.rampart.cli.access.AuditCommand.class,
      HuntCommand.class,
      RulesCommand.class,
      SimulateCommand.class,
      BenchCommand.class,
      dev.rampart.cli.flink.FlinkCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Examples:",
      "  rampart demo",
      "  rampart simulate --scenario all --events 100000 --seed 7 --out sim.ndjson",
      "  rampart events stats sim.ndjson",
      "  rampart events cat sim.ndjson --where EventID=1 --fields @timestamp,host.name,CommandLine",
      "  rampart hunt logs/ --rules sigma/rules --min-level high",
      "  rampart rules validate sigma/rules --json",
      "  rampart bench parse --json",
      "  rampart serve --config rampart.yaml",
      "",
      "Exit codes: 0 success, 1 findings, 2 usage or input error.",
      "Run 'rampart COMMAND --help' for a command's options and examples."
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  // Lucene logs through java.util.logging that it would vectorise with jdk.incubator.vector; we
  // do not enable an incubator module (the JVM would warn on every run instead). Held strongly:
  // java.util.logging keeps loggers weakly, and a collected logger forgets its level.
  private static final java.util.logging.Logger LUCENE_VECTORS =
      java.util.logging.Logger.getLogger("org.apache.lucene.internal.vectorization");

  public static void main(String[] args) {
    LUCENE_VECTORS.setLevel(java.util.logging.Level.SEVERE);
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code (tests call this instead of main). */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler(Main::handle);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setUsageHelpWidth(100);
    cl.setUsageHelpAutoWidth(true);
    reflowDescriptions(cl);
    return cl;
  }

  /**
   * Command descriptions are written as source lines of paragraphs, but picocli keeps every array
   * element as a hard line break and then wraps each one again, which leaves ragged half-lines.
   * Joining the lines of each paragraph (an empty element separates paragraphs) lets picocli wrap
   * them to the terminal width.
   */
  static void reflowDescriptions(CommandLine cl) {
    CommandLine.Model.UsageMessageSpec usage = cl.getCommandSpec().usageMessage();
    String[] lines = usage.description();
    if (lines.length > 1) {
      java.util.List<String> paragraphs = new java.util.ArrayList<>();
      StringBuilder p = new StringBuilder();
      for (String line : lines) {
        if (line.isBlank()) {
          if (!p.isEmpty()) {
            paragraphs.add(p.toString());
            p.setLength(0);
          }
          paragraphs.add("");
        } else {
          p.append(p.isEmpty() ? "" : " ").append(line.strip());
        }
      }
      if (!p.isEmpty()) {
        paragraphs.add(p.toString());
      }
      usage.description(paragraphs.toArray(String[]::new));
    }
    cl.getSubcommands().values().forEach(Main::reflowDescriptions);
  }

  private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
    PrintWriter err = cl.getErr();
    if (e instanceof UsageException) {
      err.println("rampart: " + e.getMessage());
      err.flush();
      return ExitCodes.USAGE;
    }
    if (e instanceof dev.rampart.ingest.spool.Spool.InUseException inUse) {
      err.println("rampart: " + inUse.getMessage());
      err.flush();
      return ExitCodes.USAGE;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof org.apache.lucene.store.LockObtainFailedException) {
        // a day of the store is being written by another process (a running rampart serve)
        err.println(
            "rampart: the event store is being written by another Rampart process (a running"
                + " rampart serve indexes it itself); stop that process first");
        err.flush();
        return ExitCodes.USAGE;
      }
    }
    if (e instanceof dev.rampart.cases.incident.CaseException ce) {
      err.println("rampart: " + ce.getMessage());
      err.flush();
      return ExitCodes.USAGE;
    }
    if (e instanceof java.nio.file.NoSuchFileException nsf) {
      err.println("rampart: no such file: " + nsf.getFile());
      err.flush();
      return ExitCodes.USAGE;
    }
    if (e instanceof java.nio.file.AccessDeniedException denied) {
      err.println(
          "rampart: permission denied: " + denied.getFile() + " (run as a user who may read it)");
      err.flush();
      return ExitCodes.USAGE;
    }
    if (e instanceof java.io.UncheckedIOException io) {
      err.println("rampart: " + io.getMessage());
      err.flush();
      return ExitCodes.USAGE;
    }
    if (e instanceof java.io.IOException io) {
      // the input or the disk, not a bug: what and where, without a stack trace
      err.println("rampart: " + io.getMessage());
      err.flush();
      return ExitCodes.USAGE;
    }
    err.println("rampart: " + e);
    e.printStackTrace(err);
    err.flush();
    return ExitCodes.USAGE;
  }

  /** The version from the jar manifest (or "dev" when run from classes). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"rampart " + (v == null ? "dev" : v), "JVM " + Runtime.version()};
    }
  }
}
