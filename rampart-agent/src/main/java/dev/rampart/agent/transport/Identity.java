package dev.rampart.agent.transport;

import dev.rampart.core.io.DurableFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Properties;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Who the agent is to its server: its id, its key and certificate (DATA/identity.p12, owner-only,
 * password beside it), the server's address and the SHA-256 fingerprint of the server certificate
 * it was enrolled against (DATA/agent.properties). The private key never leaves the host: the
 * server signs a request made from it.
 */
public record Identity(
    String agentId, URI server, String fingerprint, KeyStore keys, char[] password) {
  static final String ALIAS = "agent";

  /** A fresh key pair and a PEM certificate request for it. */
  public static KeyPair newKey() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  public static String csr(KeyPair kp, String name) throws GeneralSecurityException {
    try {
      var req =
          new JcaPKCS10CertificationRequestBuilder(
                  new X500Name("CN=" + name.replaceAll("[,=+<>#;\"\\\\]", "_")), kp.getPublic())
              .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
      StringWriter w = new StringWriter();
      try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
        pw.writeObject(req);
      }
      return w.toString();
    } catch (OperatorCreationException | IOException e) {
      throw new GeneralSecurityException(e);
    }
  }

  /** The identity made from an enrolment answer. */
  public static Identity of(Protocol.EnrollResponse r, KeyPair kp, URI server, String fingerprint)
      throws GeneralSecurityException, IOException {
    byte[] r0 = new byte[24];
    new SecureRandom().nextBytes(r0);
    char[] password = Base64.getUrlEncoder().withoutPadding().encodeToString(r0).toCharArray();
    return new Identity(r.agentId(), server, fingerprint, keys(r, kp, password), password);
  }

  /**
   * This identity with the renewed certificate in {@code r} for the new key {@code kp}: the same
   * agent, server and key store password, so saving it replaces the key store file alone (one
   * atomic rename) and a crash leaves either identity, whole.
   */
  public Identity renewed(Protocol.EnrollResponse r, KeyPair kp)
      throws GeneralSecurityException, IOException {
    if (!agentId.equals(r.agentId())) {
      throw new GeneralSecurityException(
          "the server renewed agent " + r.agentId() + ", not this one (" + agentId + ")");
    }
    if (!caCertificate().equals(parse(r.ca()))) {
      throw new GeneralSecurityException("the renewed certificate comes from another agent CA");
    }
    return new Identity(agentId, server, fingerprint, keys(r, kp, password), password);
  }

  private static KeyStore keys(Protocol.EnrollResponse r, KeyPair kp, char[] password)
      throws GeneralSecurityException, IOException {
    Certificate cert = parse(r.certificate());
    Certificate ca = parse(r.ca());
    ((X509Certificate) cert).verify(ca.getPublicKey()); // the answer is the CA's, for our key
    if (!cert.getPublicKey().equals(kp.getPublic())) {
      throw new GeneralSecurityException("the server certified another key than ours");
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry(ALIAS, kp.getPrivate(), password, new Certificate[] {cert, ca});
    return ks;
  }

  private static Certificate parse(String pem) throws GeneralSecurityException {
    return CertificateFactory.getInstance("X.509")
        .generateCertificate(
            new java.io.ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }

  /** The agent's own certificate. */
  public X509Certificate certificate() throws GeneralSecurityException {
    return (X509Certificate) keys.getCertificateChain(ALIAS)[0];
  }

  /** The agent CA's certificate (from enrolment): its key verifies the server's commands. */
  public X509Certificate caCertificate() throws GeneralSecurityException {
    Certificate[] chain = keys.getCertificateChain(ALIAS);
    return (X509Certificate) chain[chain.length - 1];
  }

  public static boolean exists(Path dir) {
    return Files.exists(dir.resolve("agent.properties"));
  }

  public void save(Path dir) throws IOException, GeneralSecurityException {
    Files.createDirectories(dir);
    DurableFiles.writePrivately(
        dir.resolve("identity.p12.password"),
        new String(password).getBytes(StandardCharsets.UTF_8));
    java.io.ByteArrayOutputStream ks = new java.io.ByteArrayOutputStream();
    keys.store(ks, password);
    DurableFiles.writePrivately(dir.resolve("identity.p12"), ks.toByteArray());
    Properties p = new Properties();
    p.setProperty("agent.id", agentId);
    p.setProperty("server", server.toString());
    p.setProperty("server.fingerprint", fingerprint);
    StringWriter w = new StringWriter();
    p.store(w, "rampart agent identity (the key is in identity.p12)");
    DurableFiles.writePrivately(
        dir.resolve("agent.properties"), w.toString().getBytes(StandardCharsets.UTF_8));
  }

  public static Identity load(Path dir) throws IOException, GeneralSecurityException {
    Properties p = new Properties();
    Path file = dir.resolve("agent.properties");
    if (!Files.exists(file)) {
      throw new IOException(
          "this agent is not enrolled (no " + file + "); run rampart agent enroll first");
    }
    p.load(new StringReader(Files.readString(file)));
    char[] password = Files.readString(dir.resolve("identity.p12.password")).strip().toCharArray();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(dir.resolve("identity.p12"))) {
      ks.load(in, password);
    }
    return new Identity(
        p.getProperty("agent.id"),
        URI.create(p.getProperty("server")),
        p.getProperty("server.fingerprint"),
        ks,
        password);
  }

  @Override
  public String toString() {
    return "Identity[" + agentId + " -> " + server + "]"; // never the password
  }
}
