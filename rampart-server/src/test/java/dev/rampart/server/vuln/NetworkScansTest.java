package dev.rampart.server.vuln;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rampart.cases.CaseStore;
import dev.rampart.cases.incident.CaseException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scanner's queue is bounded, and a stop leaves no run looking as if it were still going. */
class NetworkScansTest {
  @TempDir Path dir;

  @Test
  void aFullQueueRefusesAndARestartMarksUnfinishedRunsInterrupted() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("cases.db");
    // a service that answers the connection and then says nothing: each scan waits for a banner
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        CaseStore cases = CaseStore.open(url)) {
      VulnService vuln =
          new VulnService(
              cases,
              dev.rampart.vuln.track.SlaPolicy.DEFAULTS,
              VulnService.AlertPolicy.DEFAULTS,
              alerts -> {});
      String target = "127.0.0.1:" + silent.getLocalPort();
      try (NetworkScans scans =
          new NetworkScans(cases.db(), vuln, NetworkScans.Policy.DEFAULTS, line -> {})) {
        for (int i = 0; i < NetworkScans.MAX_WAITING; i++) {
          scans.submit("queue-" + i, target, "test");
        }
        // the first may have started (no longer waiting); two more fill the queue either way
        assertThatThrownBy(
                () -> {
                  scans.submit("one-more", target, "test");
                  scans.submit("and-another", target, "test");
                })
            .isInstanceOf(CaseException.class)
            .hasMessageContaining("scans are waiting already");
        assertThat(scans.list(50))
            .hasSizeBetween(NetworkScans.MAX_WAITING, NetworkScans.MAX_WAITING + 1);
      }
      // stopped with scans queued and one running: the next start says so
      try (NetworkScans again =
          new NetworkScans(cases.db(), vuln, NetworkScans.Policy.DEFAULTS, line -> {})) {
        List<NetworkScans.Run> runs = again.list(50);
        assertThat(runs).extracting(NetworkScans.Run::status).doesNotContain("queued", "running");
        assertThat(runs).anySatisfy(r -> assertThat(r.status()).isEqualTo("interrupted"));
      }
    }
  }
}
