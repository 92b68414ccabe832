package dev.rampart.cli.agent;

import dev.rampart.agent.transport.CertificateRenewal;
import dev.rampart.agent.transport.Identity;
import dev.rampart.agent.transport.ServerLink;
import dev.rampart.cli.ExitCodes;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rampart agent renew}: shows the agent certificate's validity, and renews it now. */
@Command(
    name = "renew",
    mixinStandardHelpOptions = true,
    description = {
      "Show when this agent's certificate expires, and with --now have the server certify a new",
      "key at once. A running agent renews by itself once two thirds of the certificate's",
      "lifetime have passed (its heartbeat carries any failure); this command is for checking",
      "and for renewing by hand, e.g. before a long time offline. The old certificate stays good",
      "until the new one is first used (a running agent takes the new one from the data folder",
      "when the server refuses the old). An expired certificate cannot be renewed: enrol again."
    },
    footer = {
      "",
      "Examples:",
      "  rampart agent renew --data /var/lib/rampart-agent",
      "  rampart agent renew --data /var/lib/rampart-agent --now"
    })
public final class RenewCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, description = "The agent's state folder.")
  Path data;

  @Option(names = "--now", description = "Renew now, due or not.")
  boolean now;

  @Override
  public Integer call() throws Exception {
    Identity id = Identity.load(data);
    X509Certificate c = id.certificate();
    if (!now) {
      System.out.printf(
          "agent %s: certificate valid %s to %s; renews from %s%n",
          id.agentId(),
          c.getNotBefore().toInstant(),
          c.getNotAfter().toInstant(),
          CertificateRenewal.due(c));
      return ExitCodes.OK;
    }
    CertificateRenewal r = new CertificateRenewal(id, ServerLink.of(id), data, Clock.systemUTC());
    Identity next = r.renew();
    System.out.printf(
        "agent %s: renewed; certificate valid to %s, saved in %s%n",
        next.agentId(), next.certificate().getNotAfter().toInstant(), data);
    return ExitCodes.OK;
  }
}
