package dev.rampart.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.alerting.alert.Alert;
import dev.rampart.alerting.alert.AlertLog;
import dev.rampart.alerting.detect.StreamingDetector;
import dev.rampart.ingest.server.IngestConfig;
import dev.rampart.ingest.server.IngestServer;
import dev.rampart.sigma.Sigma;
import dev.rampart.sigma.compile.SigmaEngine;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live path: sshd lines sent over syslog TCP on 127.0.0.1 to the ingestion server reach the
 * spool, the streaming detector follows it with Rampart's pack, and the alerts name the user, the
 * source address and the technique, while the sender is still connected.
 */
class SyslogToAlertTest {
  @TempDir Path dir;

  @Test
  void sshFailuresOverTcpBecomeAlerts() throws Exception {
    Path config = dir.resolve("rampart.yaml");
    Files.writeString(
        config,
        "data: " + dir.resolve("data") + "\ninputs:\n  - {type: syslog-tcp, port: 0}\n",
        StandardCharsets.UTF_8);
    SigmaEngine engine = Sigma.compile(Sigma.load(Path.of("..", "rules")));
    List<Alert> seen = new CopyOnWriteArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    try (IngestServer server = IngestServer.start(IngestConfig.load(config));
        AlertLog log = AlertLog.open(dir.resolve("data/alerts/alerts.ndjson"))) {
      StreamingDetector detector = new StreamingDetector(server.spool(), engine, log, seen::addAll);
      Thread follower =
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      detector.run(stop::get, 10);
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  });
      int port = server.ports().values().iterator().next();
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
          OutputStream out = s.getOutputStream()) {
        for (int i = 0; i < 5; i++) {
          out.write(
              ("<38>1 2026-11-28T10:00:0"
                      + i
                      + "Z web-01 sshd 4242 - - Failed password for invalid user oracle"
                      + i
                      + " from 203.0.113.7 port 5022"
                      + i
                      + " ssh2\n")
                  .getBytes(StandardCharsets.UTF_8));
        }
        out.flush();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (seen.size() < 5 && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
      }
      stop.set(true);
      follower.join(5_000);
    }
    assertThat(seen).hasSize(5);
    assertThat(seen)
        .allSatisfy(
            a -> {
              assertThat(a.title()).contains("Does Not Exist");
              assertThat(a.entities().host()).isEqualTo("web-01");
              assertThat(a.entities().sourceIp()).isEqualTo("203.0.113.7");
              assertThat(a.entities().user()).startsWith("oracle");
              assertThat(a.techniques()).contains("T1110.001");
            });
    assertThat(AlertLog.read(dir.resolve("data/alerts/alerts.ndjson"))).hasSize(5);
  }
}
