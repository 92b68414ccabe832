package dev.rampart.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rampart.agent.wal.AgentWal;
import dev.rampart.core.io.ProblemSink;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's write-ahead log: acknowledgements, restarts, the size bound, kill -9. */
class AgentWalTest {
  @TempDir Path dir;

  static byte[] rec(int i) {
    return ("record-" + i + "-" + "x".repeat(40)).getBytes(StandardCharsets.UTF_8);
  }

  static String text(AgentWal.Record r) {
    return new String(r.data(), StandardCharsets.UTF_8);
  }

  @Test
  void whatIsAcknowledgedIsFreedAndTheRestSurvivesARestart() throws Exception {
    AgentWal.Options o = new AgentWal.Options(1 << 20, AgentWal.WhenFull.REFUSE, 1024);
    long ackAt;
    try (AgentWal wal = AgentWal.open(dir, o, ProblemSink.IGNORE)) {
      for (int i = 0; i < 100; i++) {
        wal.append(rec(i));
      }
      wal.sync();
      List<AgentWal.Record> all = wal.read(0, 1000);
      assertThat(all).hasSize(100);
      ackAt = all.get(49).next();
      long before = wal.bytes();
      wal.ack(ackAt);
      assertThat(wal.bytes()).isLessThan(before); // whole segments before the ack are freed
      wal.ack(ackAt - 1); // acknowledgements only move forward
      assertThat(wal.acked()).isEqualTo(ackAt);
    }
    try (AgentWal wal = AgentWal.open(dir, o, ProblemSink.IGNORE)) {
      List<AgentWal.Record> rest = wal.read(0, 1000);
      assertThat(rest).hasSize(50);
      assertThat(text(rest.get(0))).startsWith("record-50-");
      assertThatThrownBy(() -> wal.ack(wal.end() + 100)).hasMessageContaining("beyond");
    }
  }

  @Test
  void aFullLogRefusesAndCountsUntilTheServerAcknowledges() throws Exception {
    AgentWal.Options o = new AgentWal.Options(4096, AgentWal.WhenFull.REFUSE, 1024);
    try (AgentWal wal = AgentWal.open(dir, o, ProblemSink.IGNORE)) {
      int kept = 0;
      for (int i = 0; i < 200; i++) {
        try {
          wal.append(rec(i));
          kept++;
        } catch (AgentWal.FullException e) {
          assertThat(e.getMessage()).contains("write-ahead log full", "max 4096");
        }
      }
      assertThat(wal.refused()).isEqualTo(200 - kept);
      assertThat(wal.dropped()).isZero();
      wal.sync();
      List<AgentWal.Record> held = wal.read(0, 1000);
      assertThat(held).hasSize(kept); // nothing held was lost
      wal.ack(held.get(held.size() - 1).next());
      wal.append(rec(1000)); // room again
    }
  }

  @Test
  void dropOldestGivesUpWholeOldSegmentsAndCountsTheRecords() throws Exception {
    AgentWal.Options o = new AgentWal.Options(4096, AgentWal.WhenFull.DROP_OLDEST, 1024);
    try (AgentWal wal = AgentWal.open(dir, o, ProblemSink.IGNORE)) {
      for (int i = 0; i < 200; i++) {
        wal.append(rec(i));
      }
      wal.sync();
      List<AgentWal.Record> held = wal.read(0, 1000);
      assertThat(wal.dropped() + held.size()).isEqualTo(200);
      assertThat(wal.dropped()).isPositive();
      assertThat(text(held.get(held.size() - 1))).startsWith("record-199-");
      assertThat(wal.bytes()).isLessThanOrEqualTo(4096);
    }
  }

  @Test
  void killMinusNineLosesNothingThatWasSynced() throws Exception {
    Path wal = dir.resolve("wal");
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                WalCrashChild.class.getName(),
                wal.toString())
            .redirectErrorStream(true)
            .start();
    int synced = 0;
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("synced ")) {
          synced = Integer.parseInt(line.substring(7));
          if (synced >= 2000) {
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close
            break;
          }
        }
      }
    }
    child.waitFor();
    assertThat(synced).as("the child reported syncs").isGreaterThanOrEqualTo(2000);
    try (AgentWal w = AgentWal.open(wal, AgentWal.Options.DEFAULTS, ProblemSink.IGNORE)) {
      List<AgentWal.Record> all = w.read(0, Integer.MAX_VALUE);
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < all.size(); i++) {
        assertThat(text(all.get(i))).isEqualTo("record-" + i); // in order, no gap, no duplicate
        seen.add(text(all.get(i)));
      }
      assertThat(all.size()).isGreaterThanOrEqualTo(synced);
      assertThat(seen).hasSize(all.size());
    }
  }
}
