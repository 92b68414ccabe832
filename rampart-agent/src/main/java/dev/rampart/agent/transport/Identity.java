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
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    Certificate cert =
        cf.generateCertificate(
            new java.io.ByteArrayInputStream(r.certificate().getBytes(StandardCharsets.US_ASCII)));
    Certificate ca =
        cf.generateCertificate(
            new java.io.ByteArrayInputStream(r.ca().getBytes(StandardCharsets.US_ASCII)));
    ((X509Certificate) cert).verify(ca.getPublicKey()); // the answer is the CA's, for our key
    if (!cert.getPublicKey().equals(kp.getPublic())) {
      throw new GeneralSecurityException("the server certified another key than ours");
    }
    byte[] r0 = new byte[24];
    new SecureRandom().nextBytes(r0);
    char[] password = Base64.getUrlEncoder().withoutPadding().encodeToString(r0).toCharArray();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry(ALIAS, kp.getPrivate(), password, new Certificate[] {cert, ca});
    return new Identity(r.agentId(), server, fingerprint, ks, password);
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
