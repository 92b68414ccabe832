package dev.rampart.cli.bench;

import picocli.CommandLine.Command;

/** {@code rampart bench}: the project's measured figures, reproducible by anyone. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measure Rampart on this machine; --json prints one JSON object for scripts.",
    subcommands = {
      ParseCommand.class,
      DetectCommand.class,
      EvtxCommand.class,
      IngestCommand.class,
      StoreCommand.class,
      PipelineCommand.class,
      CasesCommand.class,
      ConsoleCommand.class,
      IntelCommand.class,
      VulnCommand.class,
      AgentCommand.class,
      ScaleoutCommand.class
    })
public final class BenchCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
