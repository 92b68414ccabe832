package dev.rampart.cli.rules;

import dev.rampart.cli.ExitCodes;
import dev.rampart.cli.UsageException;
import dev.rampart.sigma.mapping.LogsourceMapping;
import dev.rampart.sigma.pack.RulePackCheck;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rampart rules check}: run a rule pack's own test events. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Run every rule of a pack against the test events beside it (rule.yml ->",
      "rule.tests.json with \"match\" and \"no_match\" event lists) in both the reference",
      "interpreter and the compiled engine. Lists each failing expectation with the searches",
      "that decided it; use 'rampart rules test RULE EVENTS' for the value-by-value story.",
      "Exit code 1 when any rule fails."
    },
    footer = {
      "",
      "Examples:",
      "  rampart rules check                 # the project's own pack under ./rules",
      "  rampart rules check my-rules/ --verbose",
    })
public final class CheckCommand implements Callable<Integer> {
  @Parameters(
      arity = "0..*",
      paramLabel = "DIR",
      description = "Rule pack folders (default: rules).")
  List<Path> dirs;

  @Option(
      names = "--mapping",
      paramLabel = "NAME|FILE",
      defaultValue = "default",
      description = "Log source mapping: default, ecs, universal or a YAML file.")
  String mapping;

  @Option(names = "--verbose", description = "Also list the rules that pass.")
  boolean verbose;

  @Override
  public Integer call() throws IOException {
    List<Path> folders = dirs == null || dirs.isEmpty() ? List.of(RuleOptions.ownPack()) : dirs;
    LogsourceMapping m = LogsourceMapping.named(mapping);
    PrintStream out = System.out;
    long failed = 0;
    int rules = 0;
    int cases = 0;
    for (Path dir : folders) {
      if (!Files.isDirectory(dir)) {
        throw new UsageException(dir + ": not a folder; give the folder that holds the pack");
      }
      RulePackCheck.Report report = RulePackCheck.check(dir, m);
      for (RulePackCheck.RuleResult r : report.rules()) {
        if (!r.passed()) {
          out.printf("FAIL %s  %s%n", r.file(), r.title());
          r.failures().forEach(f -> out.printf("     %s%n", f));
        } else if (verbose) {
          out.printf(
              "ok   %s  %s (%d match, %d no_match)%n",
              r.file(), r.title(), r.matchCases(), r.noMatchCases());
        }
      }
      report.problems().forEach(p -> out.printf("FAIL %s%n", p));
      failed += report.failed();
      rules += report.rules().size();
      cases += report.cases();
    }
    out.printf("%d rules, %d test events, %d failing%n", rules, cases, failed);
    return failed > 0 ? ExitCodes.FINDINGS : ExitCodes.OK;
  }
}
