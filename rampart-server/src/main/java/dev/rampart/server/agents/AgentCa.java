package dev.rampart.server.agents;

import dev.rampart.core.io.DurableFiles;
import dev.rampart.server.tls.Certificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * The server's own certificate authority for agents: an ECDSA P-256 key and a self-signed CA
 * certificate (ten years) made at first start in DATA/agents/ca.p12, owner-only. It signs an
 * enrolling agent's certificate request with the agent's id as the subject and client
 * authentication as the only use; the agent listener trusts this CA and nothing else.
 */
public final class AgentCa {
  static final Duration AGENT_VALIDITY = Duration.ofDays(397);

  private final PrivateKey key;
  private final X509Certificate cert;

  private AgentCa(PrivateKey key, X509Certificate cert) {
    this.key = key;
    this.cert = cert;
  }

  /** DATA/agents/ca.p12, made on first use. */
  public static AgentCa open(Path data) throws IOException, GeneralSecurityException {
    Path dir = data.resolve("agents");
    Path file = dir.resolve("ca.p12");
    Path pw = dir.resolve("ca.p12.password");
    if (Files.exists(file) && Files.exists(pw)) {
      char[] password = Files.readString(pw).strip().toCharArray();
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(file)) {
        ks.load(in, password);
      }
      return new AgentCa(
          (PrivateKey) ks.getKey("ca", password), (X509Certificate) ks.getCertificate("ca"));
    }
    Files.createDirectories(dir);
    byte[] r = new byte[24];
    new SecureRandom().nextBytes(r);
    char[] password = Base64.getUrlEncoder().withoutPadding().encodeToString(r).toCharArray();
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair kp = g.generateKeyPair();
    X500Name name = new X500Name("CN=Rampart agent CA");
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            name,
            new BigInteger(128, new SecureRandom()),
            Date.from(now.minus(Duration.ofMinutes(5))),
            Date.from(now.plus(Duration.ofDays(3650))),
            name,
            kp.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    X509Certificate ca = sign(b, kp.getPrivate());
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("ca", kp.getPrivate(), password, new X509Certificate[] {ca});
    DurableFiles.writePrivately(pw, new String(password).getBytes(StandardCharsets.UTF_8));
    Certificates.storePrivate(file, ks, password);
    return new AgentCa(kp.getPrivate(), ca);
  }

  public X509Certificate certificate() {
    return cert;
  }

  /** A key store holding only the CA certificate: what the agent listener trusts. */
  public KeyStore trustStore() throws GeneralSecurityException, IOException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setCertificateEntry("agent-ca", cert);
    return ks;
  }

  /**
   * Signs a PEM certificate request for agent {@code agentId} after checking the request's own
   * signature (proof that the caller holds the private key).
   *
   * @throws IllegalArgumentException when the request does not parse or its signature is wrong
   */
  public X509Certificate sign(String csrPem, String agentId) throws GeneralSecurityException {
    JcaPKCS10CertificationRequest csr;
    try (PEMParser p = new PEMParser(new StringReader(csrPem))) {
      Object o = p.readObject();
      if (!(o instanceof org.bouncycastle.pkcs.PKCS10CertificationRequest req)) {
        throw new IllegalArgumentException("csr: not a PEM certificate request");
      }
      csr = new JcaPKCS10CertificationRequest(req);
      if (!csr.isSignatureValid(
          new JcaContentVerifierProviderBuilder().build(csr.getPublicKey()))) {
        throw new IllegalArgumentException("csr: its signature does not match its key");
      }
    } catch (IOException | OperatorCreationException | PKCSException e) {
      throw new IllegalArgumentException("csr: " + e.getMessage(), e);
    }
    PublicKey pub = csr.getPublicKey();
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            cert,
            new BigInteger(128, new SecureRandom()),
            Date.from(now.minus(Duration.ofMinutes(5))),
            Date.from(now.plus(AGENT_VALIDITY)),
            new X500Name("CN=" + agentId + ",O=Rampart agent"),
            pub);
    try {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
    } catch (org.bouncycastle.cert.CertIOException e) {
      throw new GeneralSecurityException(e);
    }
    return sign(b, key);
  }

  /** Signs a response command's bytes; agents verify with the CA certificate they hold. */
  public byte[] signCommand(byte[] payload) throws GeneralSecurityException {
    java.security.Signature s = java.security.Signature.getInstance("SHA256withECDSA");
    s.initSign(key);
    s.update(payload);
    return s.sign();
  }

  /** A certificate in PEM. */
  public static String pem(X509Certificate c) {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
      pw.writeObject(c);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return w.toString();
  }

  private static X509Certificate sign(JcaX509v3CertificateBuilder b, PrivateKey signer)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    } catch (OperatorCreationException | java.security.cert.CertificateException e) {
      throw new GeneralSecurityException(e);
    }
  }
}
