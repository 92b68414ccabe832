package dev.rampart.cli.agent;

import dev.rampart.agent.AgentDaemon;
import dev.rampart.agent.transport.Identity;
import dev.rampart.agent.transport.ServerLink;
import dev.rampart.cli.ExitCodes;
import dev.rampart.cli.UsageException;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rampart agent enroll}: a one-time token for a certificate from the server's agent CA. */
@Command(
    name = "enroll",
    mixinStandardHelpOptions = true,
    description = {
      "Enrol this host with a Rampart server: makes a key here, has the server's agent CA certify",
      "it in exchange for a one-time token, and keeps the identity in the data folder (owner-only).",
      "The server is trusted by the SHA-256 fingerprint of its certificate, which it prints at",
      "start ('agents: ... fingerprint'); it is pinned from then on. Tokens come from an admin:",
      "POST /api/agents/tokens, or the console's Agents page."
    },
    footer = {
      "",
      "Examples:",
      "  rampart agent enroll --server https://soc.example:8444 --token rae_... \\",
      "      --fingerprint AB:CD:...:EF --data /var/lib/rampart-agent",
      "  rampart agent enroll --server https://10.0.0.5:8444 --token \"$TOKEN\" --fingerprint \"$FP\" \\",
      "      --name web-01 --data /var/lib/rampart-agent"
    })
public final class EnrollCommand implements Callable<Integer> {
  @Option(names = "--server", required = true, description = "The server's agents address.")
  URI server;

  @Option(
      names = "--token",
      description = "The one-time enrolment token (or set RAMPART_ENROLL_TOKEN).")
  String token;

  @Option(
      names = "--fingerprint",
      required = true,
      description = "SHA-256 of the server's certificate (AB:CD:... or plain hex).")
  String fingerprint;

  @Option(names = "--name", description = "This agent's name (default: the host name).")
  String name;

  @Option(names = "--data", required = true, description = "The agent's state folder.")
  Path data;

  @Option(names = "--force", description = "Replace an existing identity (enrol again).")
  boolean force;

  @Override
  public Integer call() throws Exception {
    if (!"https".equals(server.getScheme())) {
      throw new UsageException("--server must be an https:// address (the agents' port)");
    }
    String t = token != null ? token : System.getenv("RAMPART_ENROLL_TOKEN");
    if (t == null || t.isBlank()) {
      throw new UsageException("give --token or set RAMPART_ENROLL_TOKEN");
    }
    if (Identity.exists(data) && !force) {
      throw new UsageException(
          data
              + " already holds an enrolled identity; --force replaces it (the server keeps the"
              + " old agent until an admin revokes it)");
    }
    String n = name != null ? name : AgentDaemon.hostname();
    Identity id;
    try {
      id =
          ServerLink.forEnrolment(server, fingerprint)
              .enroll(t.strip(), n, AgentDaemon.VERSION, fingerprint);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    id.save(data);
    System.err.printf("enrolled as %s (%s); identity in %s%n", id.agentId(), n, data);
    return ExitCodes.OK;
  }
}
