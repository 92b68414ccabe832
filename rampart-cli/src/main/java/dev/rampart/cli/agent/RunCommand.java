package dev.rampart.cli.agent;

import dev.rampart.agent.AgentConfig;
import dev.rampart.agent.AgentDaemon;
import dev.rampart.cli.ExitCodes;
import dev.rampart.cli.UsageException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rampart agent run}: the agent itself, until stopped. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run the agent: real-time file integrity monitoring, log files and the systemd journal,",
      "inventory and configuration checks, all through an on-disk write-ahead log to the server",
      "over mutual TLS, with heartbeats. Enrol first (rampart agent enroll). The configuration is",
      "described in docs/agent.md; --check only validates it."
    },
    footer = {
      "",
      "Examples:",
      "  rampart agent run --config /etc/rampart/agent.yml",
      "  rampart agent run --config agent.yml --check"
    })
public final class RunCommand implements Callable<Integer> {
  @Option(names = "--config", required = true, description = "The agent's YAML configuration.")
  Path config;

  @Option(names = "--check", description = "Validate the configuration and exit.")
  boolean check;

  @Override
  public Integer call() throws Exception {
    AgentConfig c;
    try {
      c = AgentConfig.load(config);
    } catch (AgentConfig.ConfigException e) {
      throw new UsageException(String.join("\n", e.problems));
    }
    if (check) {
      System.err.println(config + ": ok");
      return ExitCodes.OK;
    }
    try (AgentDaemon a = AgentDaemon.start(c, m -> System.err.println("rampart agent: " + m))) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      a.close();
                    } catch (java.io.IOException e) {
                      System.err.println("rampart agent: " + e.getMessage());
                    }
                  }));
      System.err.println("rampart agent: running; " + a.status());
      a.awaitStop();
    }
    return ExitCodes.OK;
  }
}
