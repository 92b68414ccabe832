package dev.rampart.cli.events;

import picocli.CommandLine.Command;

/** {@code rampart events}: look at log files as Rampart sees them. */
@Command(
    name = "events",
    description = "Profile and print log files as Rampart reads and normalizes them.",
    mixinStandardHelpOptions = true,
    subcommands = {StatsCommand.class, CatCommand.class})
public final class EventsCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
