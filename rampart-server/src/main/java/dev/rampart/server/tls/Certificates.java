package dev.rampart.server.tls;

import dev.rampart.core.io.DurableFiles;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The key and certificate the API serves TLS with: a PKCS#12 file the config names, or one made at
 * first start (an ECDSA P-256 key and a self-signed certificate for localhost, 127.0.0.1, ::1 and
 * this host's name, valid 825 days) in DATA/tls/, with its password beside it, both owner-only. The
 * certificate's SHA-256 fingerprint is printed at start so clients can pin it.
 */
public final class Certificates {
  /** A key store ready for the server, with where it came from. */
  public record Loaded(
      KeyStore store, char[] password, String fingerprint, Path file, boolean made) {}

  private Certificates() {}

  /** Loads {@code file} (PKCS#12) with {@code password}. */
  public static Loaded load(Path file, String password)
      throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      ks.load(in, password.toCharArray());
    }
    return new Loaded(ks, password.toCharArray(), fingerprint(ks), file, false);
  }

  /** DATA/tls/api.p12, made on first use. */
  public static Loaded selfSigned(Path data) throws IOException, GeneralSecurityException {
    Path dir = data.resolve("tls");
    Path file = dir.resolve("api.p12");
    Path pw = dir.resolve("api.p12.password");
    if (Files.exists(file) && Files.exists(pw)) {
      return load(file, Files.readString(pw).strip());
    }
    Files.createDirectories(dir);
    byte[] r = new byte[24];
    new SecureRandom().nextBytes(r);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(r);
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair kp = g.generateKeyPair();
    X509Certificate cert = certificate(kp);
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry(
        "rampart", kp.getPrivate(), password.toCharArray(), new X509Certificate[] {cert});
    DurableFiles.writePrivately(pw, password.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    storePrivate(file, ks, password.toCharArray());
    return new Loaded(ks, password.toCharArray(), fingerprint(ks), file, true);
  }

  private static X509Certificate certificate(KeyPair kp)
      throws GeneralSecurityException, IOException {
    Instant now = Instant.now();
    X500Name name = new X500Name("CN=rampart,O=Rampart self-signed");
    List<GeneralName> alt = new ArrayList<>();
    alt.add(new GeneralName(GeneralName.dNSName, "localhost"));
    alt.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
    alt.add(new GeneralName(GeneralName.iPAddress, "::1"));
    try {
      String host = InetAddress.getLocalHost().getHostName();
      if (!host.isBlank() && !host.equals("localhost")) {
        alt.add(new GeneralName(GeneralName.dNSName, host));
      }
    } catch (IOException unknown) {
      // no host name: localhost and the loopback addresses only
    }
    JcaX509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            name,
            new BigInteger(128, new SecureRandom()),
            Date.from(now.minus(Duration.ofMinutes(5))),
            Date.from(now.plus(Duration.ofDays(825))),
            name,
            kp.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(
        Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
    b.addExtension(
        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    b.addExtension(
        Extension.subjectAlternativeName, false, new GeneralNames(alt.toArray(GeneralName[]::new)));
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static String fingerprint(KeyStore ks) throws GeneralSecurityException {
    String alias = ks.aliases().nextElement();
    byte[] d = MessageDigest.getInstance("SHA-256").digest(ks.getCertificate(alias).getEncoded());
    return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
  }

  /**
   * The only connector of a TLS server (no plain port): TLS 1.2 and 1.3 with {@code tls}'s key; SNI
   * is not checked (clients reach servers by address as often as by name). With {@code clients},
   * client certificates are asked for (not required: the handlers decide) and any one presented is
   * verified against it.
   */
  public static org.eclipse.jetty.server.ServerConnector connector(
      org.eclipse.jetty.server.Server server,
      org.eclipse.jetty.server.HttpConfiguration http,
      Loaded tls,
      KeyStore clients,
      String bind,
      int port) {
    http.addCustomizer(new org.eclipse.jetty.server.SecureRequestCustomizer(false));
    org.eclipse.jetty.util.ssl.SslContextFactory.Server ssl =
        new org.eclipse.jetty.util.ssl.SslContextFactory.Server();
    ssl.setKeyStore(tls.store());
    ssl.setKeyStorePassword(new String(tls.password()));
    ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
    if (clients != null) {
      ssl.setTrustStore(clients);
      ssl.setWantClientAuth(true);
    }
    org.eclipse.jetty.server.ServerConnector c =
        new org.eclipse.jetty.server.ServerConnector(
            server,
            new org.eclipse.jetty.server.SslConnectionFactory(ssl, "http/1.1"),
            new org.eclipse.jetty.server.HttpConnectionFactory(http));
    c.setHost(bind);
    c.setPort(port);
    return c;
  }

  /** Writes a key store owner-only, replacing {@code file} atomically. */
  public static void storePrivate(Path file, KeyStore ks, char[] password)
      throws IOException, GeneralSecurityException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    ks.store(out, password);
    DurableFiles.writePrivately(file, out.toByteArray());
  }
}
