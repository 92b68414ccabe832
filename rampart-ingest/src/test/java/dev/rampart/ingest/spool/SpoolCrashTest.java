package dev.rampart.ingest.spool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.event.FieldNames;
import dev.rampart.core.io.Problems;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 during load: a separate JVM appends and acknowledges (after fsync) until it is killed at
 * a random moment; after a restart every acknowledged event is in the spool exactly once, in order,
 * and a second writer continues after them. Three rounds on the same spool, each killed.
 */
class SpoolCrashTest {
  @TempDir Path dir;

  @Test
  void acknowledgedEventsSurviveKillNine() throws Exception {
    long seed = new Random().nextLong();
    Random rnd = new Random(seed);
    System.out.println("spool crash test seed " + seed);
    long next = 0;
    long totalAcked = -1;
    for (int round = 0; round < 3; round++) {
      Process p =
          new ProcessBuilder(
                  ProcessHandle.current().info().command().orElse("java"),
                  "-cp",
                  System.getProperty("java.class.path"),
                  SpoolCrashWriter.class.getName(),
                  dir.toString(),
                  Long.toString(next))
              .redirectErrorStream(true)
              .start();
      long acked = -1;
      int wanted = 20 + rnd.nextInt(200); // acknowledgements before the kill
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        int acks = 0;
        while ((line = r.readLine()) != null) {
          if (line.startsWith("ack ")) {
            acked = Long.parseLong(line.substring(4));
            if (++acks >= wanted) {
              break;
            }
          }
        }
        Thread.sleep(rnd.nextInt(4)); // land the kill anywhere in the next batch, even mid-write
        p.destroyForcibly(); // SIGKILL: no shutdown hooks, no close
        p.waitFor();
      }
      assertThat(acked)
          .as("the writer acknowledged something before the kill")
          .isGreaterThanOrEqualTo(next);
      Problems problems = new Problems(10);
      List<Long> seqs = new ArrayList<>();
      try (Spool s = Spool.open(dir, Spool.Options.defaults(), problems)) {
        int seqId = FieldNames.id("seq");
        s.read(s.start(), (e, off, n) -> seqs.add(e.longValue(e.indexOf(seqId))));
      }
      // Everything acknowledged is there, exactly once and in order; unacknowledged events may
      // or may not be (they were never promised), but never half of one.
      assertThat(seqs.size()).isGreaterThan((int) acked);
      for (int i = 0; i < seqs.size(); i++) {
        assertThat(seqs.get(i)).as("seed %d, position %d", seed, i).isEqualTo((long) i);
      }
      System.out.printf(
          "round %d: acknowledged up to %d, found %d events after kill -9 (%s)%n",
          round,
          acked,
          seqs.size(),
          problems.kept().isEmpty() ? "clean end" : problems.kept().get(0).message());
      next = seqs.size();
      totalAcked = acked;
    }
    assertThat(totalAcked).isPositive();
  }
}
