package dev.rampart.agent.transport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The agent's HTTPS connection to its server. The server is trusted by the SHA-256 fingerprint of
 * its certificate, given at enrolment (the server prints it at start) and pinned from then on, so
 * neither a public CA nor a host name is involved; after enrolment the agent presents its own
 * certificate, and after a renewal ({@link #renew}, {@link #use}) the new one.
 */
public final class ServerLink {
  private static final ObjectMapper JSON =
      new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final URI server;
  private final String fingerprint;
  private volatile HttpClient http;

  private ServerLink(URI server, String fingerprint, HttpClient http) {
    this.server = server;
    this.fingerprint = fingerprint;
    this.http = http;
  }

  /** A link for enrolment: the server pinned, no client certificate. */
  public static ServerLink forEnrolment(URI server, String fingerprint)
      throws GeneralSecurityException {
    return new ServerLink(server, fingerprint, client(fingerprint, null));
  }

  /** A link with the agent's certificate. */
  public static ServerLink of(Identity id) throws GeneralSecurityException {
    return new ServerLink(id.server(), id.fingerprint(), client(id));
  }

  /**
   * Has the server certify a new key for this agent, over this link (so with the current
   * certificate): the renewed identity, to save before {@link #use}. The server keeps accepting the
   * current certificate until the new one is first used.
   */
  public Identity renew(Identity current)
      throws IOException, GeneralSecurityException, InterruptedException {
    KeyPair kp = Identity.newKey();
    Protocol.RenewRequest req = new Protocol.RenewRequest(Identity.csr(kp, current.agentId()));
    HttpResponse<byte[]> r = post(Protocol.RENEW, "application/json", JSON.writeValueAsBytes(req));
    return current.renewed(JSON.readValue(r.body(), Protocol.EnrollResponse.class), kp);
  }

  /**
   * Presents {@code id}'s certificate from the next request on; requests under way finish with the
   * one before.
   */
  public void use(Identity id) throws GeneralSecurityException {
    if (!id.server().equals(server) || !id.fingerprint().equals(fingerprint)) {
      throw new IllegalArgumentException("an identity for another server");
    }
    HttpClient old = http;
    http = client(id);
    old.shutdown();
  }

  private static HttpClient client(Identity id) throws GeneralSecurityException {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(id.keys(), id.password());
    return client(id.fingerprint(), kmf.getKeyManagers());
  }

  /**
   * Enrols with a one-time token: makes a key, has the server certify it, and returns the identity
   * to save.
   */
  public Identity enroll(String token, String name, String version, String fingerprint)
      throws IOException, GeneralSecurityException, InterruptedException {
    KeyPair kp = Identity.newKey();
    Protocol.EnrollRequest req =
        new Protocol.EnrollRequest(token, name, version, Identity.csr(kp, name));
    HttpResponse<byte[]> r = post(Protocol.ENROLL, "application/json", JSON.writeValueAsBytes(req));
    return Identity.of(
        JSON.readValue(r.body(), Protocol.EnrollResponse.class), kp, server, fingerprint);
  }

  /** Sends a batch; returns the server's acknowledgement. */
  public Protocol.Ack send(List<Protocol.Item> items) throws IOException, InterruptedException {
    HttpResponse<byte[]> r =
        post(Protocol.BATCH, "application/octet-stream", Protocol.encode(items));
    return JSON.readValue(r.body(), Protocol.Ack.class);
  }

  /** Sends a heartbeat; returns the server's answer (its time, the agent's deduplication point). */
  public Map<String, Object> heartbeat(Map<String, Object> beat)
      throws IOException, InterruptedException {
    HttpResponse<byte[]> r =
        post(Protocol.HEARTBEAT, "application/json", JSON.writeValueAsBytes(beat));
    @SuppressWarnings("unchecked")
    Map<String, Object> out = JSON.readValue(r.body(), Map.class);
    return out;
  }

  private HttpResponse<byte[]> post(String path, String type, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest req =
        HttpRequest.newBuilder(server.resolve(path))
            .timeout(TIMEOUT)
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() / 100 != 2) {
      String msg = new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
      try {
        msg = JSON.readTree(r.body()).path("error").asText(msg);
      } catch (IOException notJson) {
        // the body as it is
      }
      throw new Refused(r.statusCode(), path + ": " + r.statusCode() + " " + msg);
    }
    return r;
  }

  /** The server answered with an error status. */
  public static final class Refused extends IOException {
    private static final long serialVersionUID = 1L;
    public final int status;

    Refused(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  /** {@code AB:CD:...} or plain hex, any case, to bytes. */
  static byte[] fingerprintBytes(String fp) {
    String hex = fp.replace(":", "").strip().toLowerCase(Locale.ROOT);
    if (hex.length() != 64) {
      throw new IllegalArgumentException(
          "a server fingerprint is the SHA-256 of its certificate: 64 hex digits (the server"
              + " prints it at start)");
    }
    return HexFormat.of().parseHex(hex);
  }

  private static HttpClient client(String fingerprint, KeyManager[] keys)
      throws GeneralSecurityException {
    byte[] pin = fingerprintBytes(fingerprint);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(keys, new TrustManager[] {new Pinned(pin)}, null);
    return HttpClient.newBuilder()
        .sslContext(ctx)
        .connectTimeout(Duration.ofSeconds(10))
        .version(HttpClient.Version.HTTP_1_1)
        .build();
  }

  /**
   * Trusts exactly the certificate with the pinned digest. An extended trust manager, so the JDK
   * adds no host-name check: the pin is stronger than a name.
   */
  private static final class Pinned extends X509ExtendedTrustManager {
    private final byte[] pin;

    Pinned(byte[] pin) {
      this.pin = pin;
    }

    private void check(X509Certificate[] chain) throws CertificateException {
      if (chain == null || chain.length == 0) {
        throw new CertificateException("the server sent no certificate");
      }
      chain[0].checkValidity();
      byte[] d;
      try {
        d = MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded());
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new CertificateException(e);
      }
      if (!MessageDigest.isEqual(d, pin)) {
        throw new CertificateException(
            "the server's certificate is not the pinned one (SHA-256 "
                + HexFormat.ofDelimiter(":").withUpperCase().formatHex(d)
                + ")");
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket s)
        throws CertificateException {
      check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine e)
        throws CertificateException {
      check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket s)
        throws CertificateException {
      throw new CertificateException("the agent accepts no clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine e)
        throws CertificateException {
      throw new CertificateException("the agent accepts no clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("the agent accepts no clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
