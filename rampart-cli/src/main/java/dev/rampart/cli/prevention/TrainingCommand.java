package dev.rampart.cli.prevention;

import dev.rampart.cli.DataOptions;
import dev.rampart.cli.UsageException;
import dev.rampart.core.io.Problem;
import dev.rampart.prevention.training.Awareness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rampart training}: awareness training and phishing simulations. */
@Command(
    name = "training",
    mixinStandardHelpOptions = true,
    description = {
      "Security-awareness training and phishing simulations: import what the learning platform",
      "and the simulation tool export, see completion, click and report rates per department,",
      "and who is overdue."
    },
    subcommands = {TrainingCommand.Import.class, TrainingCommand.Status.class},
    footer = {
      "",
      "Examples:",
      "  rampart training import lms-completions.csv",
      "  rampart training import phishing-results.json",
      "  rampart training status",
      "  rampart training status --overdue"
    })
public final class TrainingCommand {
  private TrainingCommand() {}

  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description = {
        "Course assignments and completions (CSV: email or user, course, assigned, due, completed,",
        "score) or phishing-simulation results (CSV or JSON: email or user, campaign, sent, opened,",
        "clicked, submitted, reported; yes/no or the time it happened), told apart by their",
        "columns. People are found among the identities; a row for someone unknown is reported",
        "with its line, and the rest load. Import identities first."
      },
      footer = {
        "",
        "Examples:",
        "  rampart training import lms-completions.csv",
        "  rampart training import phishing-results.json",
        "",
        "Exit codes: 0 loaded, 1 loaded with rows refused, 2 usage error."
      })
  static final class Import implements Callable<Integer> {
    @Mixin DataOptions data;

    @Parameters(paramLabel = "FILE")
    Path file;

    @Override
    public Integer call() throws Exception {
      if (!Files.isReadable(file)) {
        throw new UsageException(file + ": not a readable file");
      }
      try (Prevention p = Prevention.open(data)) {
        Awareness.ImportReport r =
            new Awareness(p.directory).importFile(file, dev.rampart.cli.Actor.name());
        for (Problem pr : r.problems()) {
          System.err.println(pr);
        }
        long errors = r.problems().stream().filter(Problem::isError).count();
        System.out.printf(
            Locale.ROOT,
            "%s: %s, %d rows, %d stored, %d refused%n",
            file,
            r.kind() == Awareness.Kind.TRAINING ? "training" : "phishing simulation",
            r.rows(),
            r.stored(),
            errors);
        return errors > 0 ? 1 : 0;
      }
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Rates per department, the simulations' monthly trend, or the overdue list.",
      footer = {
        "",
        "Examples:",
        "  rampart training status",
        "  rampart training status --by-person",
        "  rampart training status --department Finance    # that department's monthly trend",
        "  rampart training status --overdue"
      })
  static final class Status implements Callable<Integer> {
    @Mixin DataOptions data;

    @Option(names = "--overdue", description = "List the courses past due and not completed.")
    boolean overdue;

    @Option(names = "--by-person", description = "Rates per person instead of per department.")
    boolean byPerson;

    @Option(
        names = "--department",
        paramLabel = "NAME",
        description = "The simulations' monthly trend of this department only.")
    String department;

    @Override
    public Integer call() throws Exception {
      long now = System.currentTimeMillis();
      try (Prevention p = Prevention.open(data)) {
        Awareness a = new Awareness(p.directory);
        if (overdue) {
          for (Awareness.Overdue o : a.overdue(now)) {
            System.out.printf(
                Locale.ROOT,
                "%-28s %-14s %-30s due %s%n",
                o.label(),
                o.department() == null ? "" : o.department(),
                o.course(),
                Instant.ofEpochMilli(o.dueAt()).toString().substring(0, 10));
          }
          return 0;
        }
        System.out.printf(
            Locale.ROOT,
            "%-16s %6s %10s %8s %6s %8s %8s%n",
            byPerson ? "PERSON" : "DEPARTMENT",
            "PEOPLE",
            "COMPLETED",
            "OVERDUE",
            "SENT",
            "CLICKED",
            "REPORTED");
        for (Awareness.Rates r : a.rates(now, byPerson)) {
          System.out.printf(
              Locale.ROOT,
              "%-16s %6d %9.0f%% %8d %6d %7.0f%% %7.0f%%%n",
              r.group(),
              r.people(),
              100 * r.completionRate(),
              r.overdue(),
              r.sent(),
              100 * r.clickRate(),
              100 * r.reportRate());
        }
        var trend = a.trend(department);
        if (!trend.isEmpty()) {
          System.out.println();
          System.out.println(
              "MONTH     SENT  CLICKED  REPORTED"
                  + (department == null ? "" : "   (" + department + ")"));
          trend.forEach(
              (m, v) ->
                  System.out.printf(
                      Locale.ROOT,
                      "%-8s %5d %7.0f%% %8.0f%%%n",
                      m,
                      v[0],
                      v[0] == 0 ? 0 : 100.0 * v[1] / v[0],
                      v[0] == 0 ? 0 : 100.0 * v[2] / v[0]));
        }
        return 0;
      }
    }
  }
}
