package dev.rampart.cli.playbooks;

import dev.rampart.cases.CaseStore;
import dev.rampart.cases.yaml.Doc;
import dev.rampart.cli.DataOptions;
import dev.rampart.cli.ExitCodes;
import dev.rampart.cli.UsageException;
import dev.rampart.playbooks.playbook.PlaybookParser;
import dev.rampart.playbooks.playbook.Settings;
import dev.rampart.playbooks.playbook.Step;
import dev.rampart.playbooks.run.RunLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rampart playbooks}: check playbook files, and see what ran. */
@Command(
    name = "playbooks",
    mixinStandardHelpOptions = true,
    description = {
      "Response playbooks (docs/playbooks.md): validate files before the server loads them, and",
      "list the runs the server recorded, with every step's result."
    },
    subcommands = {PlaybooksCommand.Validate.class, PlaybooksCommand.Runs.class},
    footer = {
      "",
      "Examples:",
      "  rampart playbooks validate playbooks/",
      "  rampart playbooks validate playbooks/ --allow-commands --smtp",
      "  rampart playbooks runs --limit 20",
      "  rampart playbooks runs --playbook page-the-soc"
    })
public final class PlaybooksCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UsageException("say what to do: validate or runs (rampart playbooks --help)");
  }

  @Command(
      name = "validate",
      mixinStandardHelpOptions = true,
      description = {
        "Check playbook files; prints file:line: problem for each mistake and exits 2 if any.",
        "Secrets named by secret_env must be set, as they would be for the server."
      },
      footer = {
        "",
        "Examples:",
        "  rampart playbooks validate playbooks/",
        "  rampart playbooks validate page-the-soc.yaml --smtp --allow-commands"
      })
  static final class Validate implements Callable<Integer> {
    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Playbook files or folders.")
    List<Path> paths;

    @Option(
        names = "--allow-commands",
        description = "Validate as for a server with response.allow_commands: true.")
    boolean allowCommands;

    @Option(
        names = "--smtp",
        description = "Validate as for a server with an SMTP server configured.")
    boolean smtp;

    @Override
    public Integer call() throws Exception {
      List<Path> files = new ArrayList<>();
      for (Path p : paths) {
        if (Files.isDirectory(p)) {
          try (Stream<Path> s = Files.list(p)) {
            s.filter(f -> f.toString().matches(".*\\.ya?ml$")).sorted().forEach(files::add);
          }
        } else if (Files.isReadable(p)) {
          files.add(p);
        } else {
          throw new UsageException("cannot read " + p);
        }
      }
      int problems = 0;
      for (Path f : files) {
        Settings settings =
            Settings.of(
                smtp
                    ? new Settings.Smtp("localhost", 25, "rampart@localhost", null, null, false)
                    : null,
                allowCommands,
                Path.of("blocklists"),
                f.toAbsolutePath().getParent());
        PlaybookParser.Result r = PlaybookParser.load(f, settings);
        if (r.playbook() != null) {
          System.out.println(
              "ok  "
                  + f
                  + ": "
                  + r.playbook().name()
                  + " ("
                  + String.join(", ", r.playbook().steps().stream().map(Step::action).toList())
                  + ")");
        }
        for (Doc.Problem p : r.problems()) {
          System.out.println(p);
          problems++;
        }
      }
      System.err.println(files.size() + " files, " + problems + " problems");
      return problems == 0 ? ExitCodes.OK : ExitCodes.USAGE;
    }
  }

  @Command(
      name = "runs",
      mixinStandardHelpOptions = true,
      description = "The playbook runs the server recorded, newest first, with each step.",
      footer = {
        "",
        "Examples:",
        "  rampart playbooks runs",
        "  rampart playbooks runs --playbook page-the-soc --limit 5"
      })
  static final class Runs implements Callable<Integer> {
    @Mixin DataOptions data;

    @Option(names = "--playbook", description = "Only this playbook's runs.")
    String playbook;

    @Option(names = "--limit", defaultValue = "20", description = "Most shown (1..1000).")
    int limit;

    @Override
    public Integer call() throws Exception {
      try (CaseStore cases = CaseStore.open("jdbc:sqlite:" + data.dataDir().resolve("cases.db"))) {
        for (RunLog.Run r : new RunLog(cases.db()).recent(playbook, limit)) {
          System.out.printf(
              "%s  %-8s %-24s %s %s%n",
              Instant.ofEpochMilli(r.startedAt()),
              r.status(),
              r.playbook(),
              r.trigger(),
              r.subject());
          for (RunLog.StepRecord s : r.steps()) {
            System.out.printf(
                "    %d. %-8s %-10s %-20s attempts %d: %s%n",
                s.index() + 1, s.status(), s.action(), s.name(), s.attempts(), s.detail());
          }
        }
      }
      return ExitCodes.OK;
    }
  }
}
