package dev.rampart.cli.evtx;

import picocli.CommandLine.Command;

/** {@code rampart evtx}: look inside Windows event log files. */
@Command(
    name = "evtx",
    description =
        "Read Windows XML EventLog (.evtx) files: dump records as JSON or XML, show headers.",
    mixinStandardHelpOptions = true,
    subcommands = {DumpCommand.class, InfoCommand.class})
public final class EvtxCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
