package dev.rampart.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.EventSource;
import dev.rampart.core.io.ProblemSink;
import dev.rampart.ingest.spool.Spool;
import dev.rampart.store.index.SpoolIndexer;
import dev.rampart.store.search.SearchRequest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 of a separate JVM while it indexes the spool, three times at random moments, then a
 * restart: every spooled event is in the store exactly once.
 */
class StoreCrashTest {
  @TempDir Path dir;

  static long committed(Path offsetFile) {
    try {
      return Long.parseLong(java.nio.file.Files.readString(offsetFile).trim());
    } catch (java.io.IOException | NumberFormatException notYet) {
      return 0;
    }
  }

  @Test
  void killedWhileIndexingLosesAndDuplicatesNothing() throws Exception {
    long seed = new Random().nextLong();
    System.out.println("store crash test seed " + seed);
    Random rnd = new Random(seed);
    Path spoolDir = dir.resolve("spool");
    Path storeDir = dir.resolve("store");
    int n = 200_000;
    try (Spool spool = Spool.open(spoolDir, Spool.Options.defaults(), ProblemSink.IGNORE)) {
      Event e = new Event();
      for (int i = 0; i < n; i++) {
        e.clear();
        // three days, so commits span partitions
        e.timestamp(1_767_571_200_000_000_000L + i * 1_300_000_000L);
        e.source(new EventSource("test", "h" + (i % 7), "linux/auth"));
        e.addLong("seq", i);
        e.addString("user.name", "user" + (i % 13));
        e.addString("message", "event number " + i + " of the crash test");
        spool.append(e);
      }
      spool.sync();
    }
    long lastCommitted = 0;
    for (int round = 0; round < 3; round++) {
      Process p =
          new ProcessBuilder(
                  ProcessHandle.current().info().command().orElse("java"),
                  "-cp",
                  System.getProperty("java.class.path"),
                  StoreIndexProcess.class.getName(),
                  spoolDir.toString(),
                  storeDir.toString())
              .redirectErrorStream(true)
              .start();
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
        assertThat(out.readLine()).isEqualTo("ready");
        // wait for a commit beyond the last round's, then kill at a random moment after it
        Path offset = spoolDir.resolve("consumers").resolve(SpoolIndexer.CONSUMER + ".offset");
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline && committed(offset) <= lastCommitted) {
          Thread.sleep(20);
        }
        Thread.sleep(rnd.nextInt(400));
        p.destroyForcibly(); // SIGKILL
        p.waitFor(10, TimeUnit.SECONDS);
      }
      long committed;
      try (Spool spool = Spool.open(spoolDir, Spool.Options.defaults(), ProblemSink.IGNORE)) {
        committed = spool.committed(SpoolIndexer.CONSUMER);
      }
      System.out.println("round " + round + ": killed with the spool committed at " + committed);
      lastCommitted = committed;
    }
    try (Spool spool = Spool.open(spoolDir, Spool.Options.defaults(), ProblemSink.IGNORE);
        EventStore store = EventStore.open(storeDir, StoreOptions.defaults())) {
      store.indexSpool(spool, x -> {});
      var count = store.search(SearchRequest.of("* | stats count(), dc(seq), dc(_id)"));
      System.out.println(
          "after restart: "
              + count.rows()
              + "; re-indexed "
              + store.indexer().indexed.get()
              + ", skipped (already committed) "
              + store.indexer().skipped.get());
      assertThat(count.rows().get(0))
          .containsEntry("count()", (long) n)
          .containsEntry("dc(seq)", (long) n)
          .containsEntry("dc(_id)", (long) n);
    }
  }
}
