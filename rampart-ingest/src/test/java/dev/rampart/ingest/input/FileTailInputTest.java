package dev.rampart.ingest.input;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.io.Problems;
import dev.rampart.ingest.pipeline.Pipeline;
import dev.rampart.ingest.spool.Spool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tailing real files: growth, rotation by rename, copytruncate, a restart with a checkpoint, a
 * checkpoint that lags the spool (a crash between the two), and multi-line events. Every line
 * reaches the spool exactly once.
 */
class FileTailInputTest {
  @TempDir Path dir;

  private static void append(Path f, String... lines) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (String l : lines) {
      sb.append(l).append('\n');
    }
    Files.writeString(
        f, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private static void await(Spool spool, long expected) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (count(spool) != expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    if (count(spool) != expected) {
      try {
        spool.read(
            spool.start(),
            (e, off, next) ->
                System.out.println(
                    e.getText("message")
                        + " inode="
                        + e.getText("log.file.inode")
                        + " off="
                        + e.getText("log.offset")
                        + " end="
                        + e.getText("rampart.tail.end")
                        + " path="
                        + e.getText("log.file.path")));
      } catch (IOException x) {
        throw new java.io.UncheckedIOException(x);
      }
    }
    assertThat(count(spool)).as("events in the spool").isEqualTo(expected);
  }

  private List<String> spooled(Spool spool) throws IOException {
    List<String> out = new ArrayList<>();
    spool.read(spool.start(), (e, off, next) -> out.add(e.getText("message")));
    return out;
  }

  @Test
  void everyLineExactlyOnceThroughRotationTruncationAndRestarts() throws Exception {
    Path logs = Files.createDirectories(dir.resolve("logs"));
    Path log = logs.resolve("app.log");
    Path checkpoints = dir.resolve("tail.properties");
    FileTailInput.Options options =
        new FileTailInput.Options(logs.resolve("app.log*").toString(), checkpoints, null, 10);
    List<String> expected = new ArrayList<>();
    int n = 0;
    try (Spool spool =
        Spool.open(dir.resolve("spool"), Spool.Options.defaults(), new Problems(10))) {
      Pipeline pipeline =
          new Pipeline(spool, dir.resolve("dl.ndjson"), new Pipeline.Options("kv", 1024, 1, 64));
      try (pipeline) {
        for (int i = 0; i < 50; i++, n++) {
          append(log, "line=" + n);
          expected.add("line=" + n);
        }
        try (FileTailInput tail = new FileTailInput(options, pipeline, spool)) {
          Thread.sleep(500);
          if (tail.lastError != null) {
            throw new AssertionError(tail.lastError);
          }
          assertThat(count(spool)).as("lines read %s", tail.lines).isEqualTo(50);
          // Rotation by rename, with lines still unread in the old file.
          append(log, "line=" + n);
          expected.add("line=" + n++);
          Files.move(log, logs.resolve("app.log.1"));
          append(log, "line=" + n);
          expected.add("line=" + n++);
          await(spool, 52);
          // copytruncate: emptied in place and refilled.
          Files.writeString(log, "", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
          append(log, "line=" + n);
          expected.add("line=" + n++);
          await(spool, 53);
        }
        // Stopped; lines keep arriving; a restart resumes at the checkpoint.
        append(log, "line=" + n);
        expected.add("line=" + n++);
        try (FileTailInput tail = new FileTailInput(options, pipeline, spool)) {
          await(spool, 54);
        }
        // A crash between spooling and checkpointing: the checkpoint lags the spool.
        Files.delete(checkpoints);
        append(log, "line=" + n);
        expected.add("line=" + n++);
        try (FileTailInput tail = new FileTailInput(options, pipeline, spool)) {
          await(spool, 55);
          Thread.sleep(200); // nothing more may come
        }
      }
      assertThat(spooled(spool)).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  @Test
  void multiLineEventsAreJoined() throws Exception {
    Path logs = Files.createDirectories(dir.resolve("ml"));
    Path log = logs.resolve("java.log");
    append(
        log,
        "2026-11-28 08:00:00 ERROR boom",
        "java.lang.IllegalStateException: x",
        "\tat a.b.C.d(C.java:1)",
        "2026-11-28 08:00:01 INFO fine");
    FileTailInput.Options options =
        new FileTailInput.Options(
            logs.resolve("*.log").toString(),
            dir.resolve("ml.properties"),
            "^\\d{4}-\\d\\d-\\d\\d ",
            10);
    try (Spool spool =
        Spool.open(dir.resolve("spool2"), Spool.Options.defaults(), new Problems(10))) {
      Pipeline pipeline =
          new Pipeline(spool, dir.resolve("dl2.ndjson"), new Pipeline.Options("raw", 1024, 1, 64));
      try (pipeline;
          FileTailInput tail = new FileTailInput(options, pipeline, spool)) {
        await(spool, 2);
      }
      List<String> originals = new ArrayList<>();
      spool.read(0, (e, off, next) -> originals.add(e.getText("event.original")));
      assertThat(originals)
          .containsExactly(
              "2026-11-28 08:00:00 ERROR boom\njava.lang.IllegalStateException: x\n\tat a.b.C.d(C.java:1)",
              "2026-11-28 08:00:01 INFO fine");
    }
  }

  private static long count(Spool spool) {
    try {
      long[] n = {0};
      spool.read(spool.start(), (e, off, next) -> n[0]++);
      return n[0];
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
