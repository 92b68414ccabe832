package dev.rampart.ingest.input;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.event.Event;
import dev.rampart.core.io.Problems;
import dev.rampart.ingest.pipeline.Pipeline;
import dev.rampart.ingest.spool.Spool;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Syslog over TLS (RFC 5425) with a certificate generated for the test by the JDK's keytool. */
class SyslogTlsTest {
  @TempDir Path dir;

  @Test
  void octetCountedMessagesOverTls() throws Exception {
    Path store = dir.resolve("server.p12");
    String javaCmd = ProcessHandle.current().info().command().orElseThrow();
    Path keytool = Path.of(javaCmd).resolveSibling("keytool");
    Process p =
        new ProcessBuilder(
                keytool.toString(),
                "-genkeypair",
                "-alias",
                "rampart",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = java.nio.file.Files.newInputStream(store)) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext server = SSLContext.getInstance("TLS");
    server.init(kmf.getKeyManagers(), null, null);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext client = SSLContext.getInstance("TLS");
    client.init(null, tmf.getTrustManagers(), null);

    InetAddress lo = InetAddress.getLoopbackAddress();
    List<String> messages = new ArrayList<>();
    try (Spool spool =
        Spool.open(dir.resolve("spool"), Spool.Options.defaults(), new Problems(10))) {
      Pipeline pipeline =
          new Pipeline(
              spool, dir.resolve("dl.ndjson"), new Pipeline.Options("syslog", 1024, 1, 64));
      try (pipeline;
          SyslogTcpInput tls = new SyslogTcpInput("syslog-tls", lo, 0, server, pipeline)) {
        try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket(lo, tls.port())) {
          s.startHandshake();
          assertThat(s.getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
          OutputStream o = s.getOutputStream();
          for (int i = 0; i < 100; i++) {
            String m = "<13>1 2026-11-28T08:15:32Z host app - - - over TLS " + i;
            byte[] b = m.getBytes(StandardCharsets.UTF_8);
            o.write((b.length + " ").getBytes(StandardCharsets.US_ASCII));
            o.write(b);
          }
          o.flush();
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (pipeline.parsed.get() < 100 && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
      }
      spool.read(0, (Event e, long off, long next) -> messages.add(e.getText("message")));
    }
    assertThat(messages).hasSize(100).contains("over TLS 0", "over TLS 99");
  }
}
