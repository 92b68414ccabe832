package dev.rampart.vuln;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rampart.cases.CaseStore;
import dev.rampart.cases.DatabaseTest;
import dev.rampart.vuln.netscan.NetScan;
import dev.rampart.vuln.track.VulnStore;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The network scan against real servers on 127.0.0.1: banners, HTTP, TLS facts, bounds. */
class NetScanTest extends DatabaseTest {
  @TempDir Path keys;
  final List<AutoCloseable> servers = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : servers) {
      c.close();
    }
  }

  /** A server that greets each connection with {@code banner} (null: waits for the client). */
  int plain(String banner, String answer) throws Exception {
    ServerSocket ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    servers.add(ss);
    Thread.ofVirtual()
        .start(
            () -> {
              while (!ss.isClosed()) {
                try (Socket s = ss.accept()) {
                  OutputStream out = s.getOutputStream();
                  if (banner != null) {
                    out.write((banner + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                  } else {
                    s.setSoTimeout(3000);
                    InputStream in = s.getInputStream();
                    if (in.read(new byte[512]) > 0 && answer != null) {
                      out.write(answer.getBytes(StandardCharsets.US_ASCII));
                      out.flush();
                    }
                  }
                  Thread.sleep(50);
                } catch (Exception e) {
                  // next connection
                }
              }
            });
    return ss.getLocalPort();
  }

  /** A TLS server with an expired self-signed certificate, accepting the given protocols. */
  int tls(String[] protocols, String[] suites) throws Exception {
    Path ks = keys.resolve("server-" + servers.size() + ".p12");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "s",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=old.test",
                "-startdate",
                "-30d",
                "-validity",
                "2",
                "-keystore",
                ks.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor())
        .as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .isZero();
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = java.nio.file.Files.newInputStream(ks)) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, "changeit".toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    SSLServerSocket ss =
        (SSLServerSocket)
            ctx.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    ss.setEnabledProtocols(protocols);
    if (suites != null) {
      ss.setEnabledCipherSuites(suites);
    }
    servers.add(ss);
    Thread.ofVirtual()
        .start(
            () -> {
              while (!ss.isClosed()) {
                try (Socket s = ss.accept()) {
                  s.setSoTimeout(3000);
                  ((javax.net.ssl.SSLSocket) s).startHandshake();
                  Thread.sleep(20);
                } catch (Exception e) {
                  // a probe that gave up, or was refused: next
                }
              }
            });
    return ss.getLocalPort();
  }

  static final NetScan.Options FAST =
      new NetScan.Options(
          NetScan.Options.DEFAULTS.allowed(),
          Duration.ofMillis(500),
          Duration.ofMillis(400),
          16,
          500,
          Duration.ofSeconds(60));

  @Test
  void bannersHttpAndTlsFactsBecomeFindingsOfTheSameModel() throws Exception {
    int ssh = plain("SSH-2.0-OpenSSH_7.4", null);
    int web = plain(null, "HTTP/1.0 200 OK\r\nServer: test\r\n\r\n");
    int modern = tls(new String[] {"TLSv1.2", "TLSv1.3"}, null);
    int legacy =
        tls(
            new String[] {"TLSv1", "TLSv1.1", "TLSv1.2"},
            new String[] {
              "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
              "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
              "TLS_RSA_WITH_AES_128_CBC_SHA",
              "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
            });
    ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    int nothing = closed.getLocalPort();
    closed.close();
    NetScan.Targets t =
        NetScan.targets(
            "127.0.0.1:" + ssh + "," + web + "," + modern + "," + legacy + "," + nothing, FAST);
    NetScan.Result r = NetScan.scan(t, FAST);
    assertThat(r.complete()).isTrue();
    assertThat(r.probed()).isEqualTo(5);
    assertThat(r.services())
        .extracting(NetScan.Service::port)
        .containsExactlyInAnyOrder(ssh, web, modern, legacy);
    NetScan.Service sshService =
        r.services().stream().filter(s -> s.port() == ssh).findFirst().orElseThrow();
    assertThat(sshService.kind()).isEqualTo("ssh");
    assertThat(sshService.banner()).isEqualTo("SSH-2.0-OpenSSH_7.4");
    assertThat(r.services().stream().filter(s -> s.port() == web).findFirst().orElseThrow().kind())
        .isEqualTo("http");
    NetScan.Tls m =
        r.services().stream().filter(s -> s.port() == modern).findFirst().orElseThrow().tls();
    assertThat(m.selfSigned()).isTrue();
    assertThat(m.legacyProtocols()).isEmpty();
    assertThat(m.weakCiphers()).isEmpty();
    NetScan.Tls l =
        r.services().stream().filter(s -> s.port() == legacy).findFirst().orElseThrow().tls();
    assertThat(l.legacyProtocols()).containsExactly("TLSv1", "TLSv1.1");
    assertThat(l.weakCiphers()).containsExactly("TLS_RSA_WITH_3DES_EDE_CBC_SHA");
    assertThat(r.issues())
        .filteredOn(i -> i.port() == modern)
        .extracting(NetScan.Issue::id)
        .containsExactlyInAnyOrder("RAMPART-NET-TLS-EXPIRED", "RAMPART-NET-TLS-SELF-SIGNED");
    assertThat(r.issues())
        .filteredOn(i -> i.port() == legacy)
        .extracting(NetScan.Issue::id)
        .contains("RAMPART-NET-TLS-LEGACY-PROTOCOL", "RAMPART-NET-TLS-WEAK-CIPHER");

    // recorded into the findings model: a later clean scan fixes them, packages untouched
    try (CaseStore cases = store("sqlite", new TestClock())) {
      VulnStore store = VulnStore.open(cases.db());
      VulnStore.ImportResult first = store.importScan("lb-01", r.issues(), "127.0.0.1", "test");
      assertThat(first.opened()).isEqualTo(r.issues().size());
      List<VulnStore.FindingRow> open = store.findings(VulnStore.Filter.OPEN);
      assertThat(open).allMatch(f -> f.ecosystem().equals(VulnStore.NETWORK));
      assertThat(open)
          .anyMatch(f -> f.packageName().equals("tcp/" + legacy) && f.severity().equals("high"));
      VulnStore.ImportResult again = store.importScan("lb-01", List.of(), "127.0.0.1", "test");
      assertThat(again.fixed()).isEqualTo(r.issues().size());
    }
  }

  @Test
  void targetsOutsideTheAllowedNetworksAreRefusedAndSpecsChecked() throws Exception {
    assertThatThrownBy(() -> NetScan.targets("192.0.2.10:22", NetScan.Options.DEFAULTS))
        // the networks it may reach; how to add one is the caller's to say (CLI flag, config key)
        .hasMessageContaining("outside the networks a scan may reach (127.0.0.0/8, ::1/128)");
    assertThatThrownBy(() -> NetScan.targets("127.0.0.0/8", NetScan.Options.DEFAULTS))
        .hasMessageContaining("more than 4096 addresses");
    assertThatThrownBy(() -> NetScan.targets("127.0.0.1:0-70000", NetScan.Options.DEFAULTS))
        .hasMessageContaining("ports are 1-65535");
    NetScan.Targets t = NetScan.targets("127.0.0.0/30:22,80-81", NetScan.Options.DEFAULTS);
    assertThat(t.addresses()).hasSize(4);
    assertThat(t.ports()).containsExactly(22, 80, 81);
    assertThat(NetScan.targets("[::1]:443", NetScan.Options.DEFAULTS).ports()).containsExactly(443);
    // the time bound: a scan that cannot finish says so
    NetScan.Options tight =
        new NetScan.Options(
            List.of("127.0.0.0/8"),
            Duration.ofMillis(200),
            Duration.ofMillis(100),
            1,
            5,
            Duration.ofMillis(300));
    NetScan.Result r = NetScan.scan(NetScan.targets("127.0.0.1:1-50", tight), tight);
    assertThat(r.complete()).isFalse();
    assertThat(r.probed()).isLessThan(50);
  }
}
