package dev.rampart.cli.rules;

import picocli.CommandLine.Command;

/** {@code rampart rules}: validate, list, test and install Sigma rules. */
@Command(
    name = "rules",
    mixinStandardHelpOptions = true,
    description =
        "Work with Sigma rules: validate, list, see their ATT&CK coverage, test against events,"
            + " install packs.",
    subcommands = {
      ValidateCommand.class,
      ListCommand.class,
      CoverageCommand.class,
      TestCommand.class,
      ImportCommand.class,
      ImportAttackCommand.class,
      CheckCommand.class
    })
public final class RulesCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
