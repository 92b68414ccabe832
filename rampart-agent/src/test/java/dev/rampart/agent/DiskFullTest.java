package dev.rampart.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rampart.agent.wal.AgentWal;
import dev.rampart.core.io.ProblemSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write-ahead log on a disk that fills up (a 1 MB tmpfs; needs root to mount, skipped with a
 * message otherwise): records are refused with an error, never crash the agent, every record that
 * was kept is read back once and in order, and once the server's acknowledgement frees space the
 * log takes records again.
 */
class DiskFullTest {
  @TempDir Path dir;

  static boolean run(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor() == 0;
  }

  static byte[] rec(int i) {
    return ("record-" + i + "-" + "x".repeat(1000)).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aFullDiskRefusesRecordsKeepsWhatWasKeptAndRecovers() throws Exception {
    Path small = Files.createDirectories(dir.resolve("small"));
    boolean mounted =
        "root".equals(System.getProperty("user.name"))
            && run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", small.toString());
    if (!mounted) {
      System.err.println("DiskFullTest: cannot mount a small tmpfs (needs root); skipped");
    }
    assumeTrue(mounted, "needs root to mount a small tmpfs");
    try {
      AgentWal.Options o = new AgentWal.Options(64L << 20, AgentWal.WhenFull.REFUSE, 128L << 10);
      List<Integer> kept = new ArrayList<>();
      int refused = 0;
      try (AgentWal wal = AgentWal.open(small.resolve("wal"), o, ProblemSink.IGNORE)) {
        for (int i = 0; i < 5000 && refused < 20; i++) {
          try {
            wal.append(rec(i));
            wal.sync();
            kept.add(i);
          } catch (IOException full) {
            refused++;
          }
        }
        assertThat(refused).isPositive();
        assertThat(kept).hasSizeGreaterThan(100);
        List<AgentWal.Record> all = wal.read(0, 100_000);
        assertThat(all.stream().map(r -> new String(r.data(), StandardCharsets.UTF_8)).toList())
            .containsExactlyElementsOf(
                kept.stream().map(i -> new String(rec(i), StandardCharsets.UTF_8)).toList());
        // the server takes everything: whole segments are freed and records are taken again
        wal.ack(all.get(all.size() - 1).next());
        wal.append(rec(-1));
        wal.sync();
        assertThat(wal.read(0, 10)).hasSize(1);
      }
      try (AgentWal again = AgentWal.open(small.resolve("wal"), o, ProblemSink.IGNORE)) {
        assertThat(again.read(0, 10))
            .singleElement()
            .satisfies(r -> assertThat(r.data()).isEqualTo(rec(-1)));
      }
    } finally {
      run("umount", small.toString());
    }
  }
}
