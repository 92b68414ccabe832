package dev.rampart.agent.transport;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Keeps the agent's certificate from expiring: once two thirds of its lifetime have passed (about
 * 132 days before the end of a 397-day certificate, cert-manager's rule), the agent makes a new key
 * and has the server certify it over the current link, saves it, then switches the link to it. The
 * server keeps the current certificate good until the new one is used, so a crash anywhere in
 * between leaves a working identity on disk; a failure is kept for the heartbeat and retried ten
 * minutes later. An expired certificate cannot be renewed (the server no longer accepts it): the
 * agent must enrol again.
 */
public final class CertificateRenewal {
  /** Retry after a failed renewal. */
  static final Duration RETRY = Duration.ofMinutes(10);

  private final ServerLink link;
  private final Path dir;
  private final Clock clock;
  private volatile Identity identity;
  private volatile Instant nextTry = Instant.MIN;
  private volatile String lastError;

  /**
   * @param dir where the identity is saved (the agent's data folder)
   */
  public CertificateRenewal(Identity identity, ServerLink link, Path dir, Clock clock) {
    this.identity = identity;
    this.link = link;
    this.dir = dir;
    this.clock = clock;
  }

  /** When {@code c} is due for renewal: two thirds into its validity. */
  public static Instant due(X509Certificate c) {
    long from = c.getNotBefore().getTime();
    long to = c.getNotAfter().getTime();
    return Instant.ofEpochMilli(from + (to - from) / 3 * 2);
  }

  /** The identity in use (the renewed one after a renewal). */
  public Identity identity() {
    return identity;
  }

  /** When the certificate in use ends. */
  public Instant expires() throws GeneralSecurityException {
    return identity.certificate().getNotAfter().toInstant();
  }

  /** The last renewal's failure, null after a success or before any attempt. */
  public String lastError() {
    return lastError;
  }

  /**
   * Renews when due and not failed in the last ten minutes; true when it renewed. Never throws: the
   * agent goes on with its current certificate, and the heartbeat carries the error.
   */
  public boolean renewIfDue() throws InterruptedException {
    Instant now = clock.instant();
    try {
      X509Certificate c = identity.certificate();
      if (now.isBefore(due(c)) || now.isBefore(nextTry)) {
        return false;
      }
      if (now.isAfter(c.getNotAfter().toInstant())) {
        lastError =
            "the agent certificate expired at "
                + c.getNotAfter().toInstant()
                + "; enrol the agent again (rampart agent enroll)";
        nextTry = now.plus(RETRY);
        return false;
      }
      renew();
      return true;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      lastError = "certificate renewal failed: " + e.getMessage();
      nextTry = now.plus(RETRY);
      return false;
    }
  }

  /**
   * Takes the identity saved in the data folder when it holds another certificate than the one in
   * use (renewed meanwhile by {@code rampart agent renew}): true when it switched. Called when the
   * server refuses the current certificate.
   */
  public synchronized boolean reloadIfChanged() throws IOException, GeneralSecurityException {
    Identity saved = Identity.load(dir);
    if (!saved.agentId().equals(identity.agentId())
        || saved.certificate().equals(identity.certificate())) {
      return false;
    }
    link.use(saved);
    identity = saved;
    return true;
  }

  /**
   * Renews now, due or not: the new identity is saved in the data folder before the link uses it.
   */
  public synchronized Identity renew()
      throws IOException, GeneralSecurityException, InterruptedException {
    Identity next = link.renew(identity);
    next.save(dir);
    link.use(next);
    identity = next;
    lastError = null;
    nextTry = Instant.MIN;
    return next;
  }
}
