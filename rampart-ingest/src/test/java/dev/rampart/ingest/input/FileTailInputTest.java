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
    assertThat(joined(logs, "^\\d{4}-\\d\\d-\\d\\d ", 2))
        .containsExactly(
            "2026-11-28 08:00:00 ERROR boom\njava.lang.IllegalStateException: x\n\tat a.b.C.d(C.java:1)",
            "2026-11-28 08:00:01 INFO fine");
  }

  /** The events a tail of {@code logs/*.log} with the multi-line rule spools, once there are n. */
  private List<String> joined(Path logs, String firstLine, int n) throws Exception {
    String name = logs.getFileName().toString();
    FileTailInput.Options options =
        new FileTailInput.Options(
            logs.resolve("*.log").toString(), dir.resolve(name + ".properties"), firstLine, 10);
    try (Spool spool =
        Spool.open(dir.resolve("spool-" + name), Spool.Options.defaults(), new Problems(10))) {
      Pipeline pipeline =
          new Pipeline(
              spool,
              dir.resolve("dl-" + name + ".ndjson"),
              new Pipeline.Options("raw", 1024, 1, 64));
      try (pipeline;
          FileTailInput tail = new FileTailInput(options, pipeline, spool)) {
        await(spool, n);
      }
      List<String> originals = new ArrayList<>();
      spool.read(0, (e, off, next) -> originals.add(e.getText("event.original")));
      return originals;
    }
  }

  /**
   * Whoever writes to a log controls its lines, and the multi-line rule runs on every one: with a
   * backtracking engine, {@code ^(.*a){12}$} takes about n^12 steps on n a's and a '!'
   * (java.util.regex: 11 s for n = 32 here, so years for 64). RE2 takes time linear in the line.
   * The timeout only keeps a regression from hanging the build.
   */
  @Test
  @org.junit.jupiter.api.Timeout(120)
  void aLineCraftedAgainstTheMultiLineRuleDoesNotStallTheTail() throws Exception {
    Path logs = Files.createDirectories(dir.resolve("redos"));
    Path log = logs.resolve("app.log");
    String first = "a".repeat(12);
    append(log, first, "continued", "a".repeat(64) + "!", first, "done");
    assertThat(joined(logs, "^(.*a){12}$", 2))
        .containsExactly(first + "\ncontinued\n" + "a".repeat(64) + "!", first + "\ndone");
  }

  @Test
  void anAuditLogIsJoinedBySerialAcrossPollsAndRestartsExactlyOnce() throws Exception {
    Path logs = Files.createDirectories(dir.resolve("audit"));
    Path log = logs.resolve("audit.log");
    Path checkpoints = dir.resolve("audit.properties");
    // A long poll, so that the second half of event 901 comes before the tail calls the file idle
    // (and would send what it holds as it is).
    FileTailInput.Options options =
        new FileTailInput.Options(logs.resolve("audit.log").toString(), checkpoints, null, 2000);
    append(
        log,
        "type=SYSCALL msg=audit(1700000000.123:900): arch=c000003e syscall=59 success=yes pid=200"
            + " comm=\"arecord\" exe=\"/usr/bin/arecord\"",
        "type=SYSCALL msg=audit(1700000000.124:901): arch=c000003e syscall=2 success=no pid=300",
        "type=EXECVE msg=audit(1700000000.123:900): argc=2 a0=\"arecord\" a1=\"-vv\"",
        "type=EOE msg=audit(1700000000.123:900):");
    try (Spool spool =
        Spool.open(dir.resolve("spool3"), Spool.Options.defaults(), new Problems(10))) {
      Pipeline pipeline =
          new Pipeline(spool, dir.resolve("dl3.ndjson"), new Pipeline.Options("auto", 1024, 1, 64));
      try (pipeline) {
        try (FileTailInput tail = new FileTailInput(options, pipeline, spool)) {
          Thread.sleep(300);
          // 901 is still open: nothing may be sent past its first line yet
          assertThat(count(spool)).isZero();
          append(
              log,
              "type=PATH msg=audit(1700000000.124:901): item=0 name=\"/etc/shadow\"",
              "type=EOE msg=audit(1700000000.124:901):",
              "type=USER_LOGIN msg=audit(1700000001.000:902): pid=1 uid=0 auid=1000 res=success");
          await(spool, 3);
        }
        append(
            log,
            "type=SYSCALL msg=audit(1700000002.000:903): arch=c000003e syscall=59 success=yes pid=9",
            "type=EOE msg=audit(1700000002.000:903):");
        try (FileTailInput tail = new FileTailInput(options, pipeline, spool)) {
          await(spool, 4);
        }
        // a crash between spooling and checkpointing: the spool says how far the file was read
        Files.delete(checkpoints);
        append(log, "type=USER_END msg=audit(1700000003.000:904): pid=1 uid=0 res=success");
        try (FileTailInput tail = new FileTailInput(options, pipeline, spool)) {
          await(spool, 5);
          Thread.sleep(200);
        }
      }
      List<String> originals = new ArrayList<>();
      List<String> types = new ArrayList<>();
      spool.read(
          0,
          (e, off, next) -> {
            originals.add(e.getText("event.original"));
            types.add(e.source().logType());
          });
      assertThat(types).containsOnly("linux/auditd");
      assertThat(originals).hasSize(5);
      assertThat(originals.get(0)).contains(":900", "EXECVE").doesNotContain(":901");
      assertThat(originals.get(1)).contains(":901", "/etc/shadow").doesNotContain(":900");
      assertThat(originals.get(2)).contains(":902");
      assertThat(originals.get(3)).contains(":903");
      assertThat(originals.get(4)).contains(":904");
    }
  }

  @Test
  void zeekLinesFollowedAfterARestartAreReadUnderTheFilesHeader() throws Exception {
    Path logs = Files.createDirectories(dir.resolve("zeek"));
    Path log = logs.resolve("conn.log");
    String header =
        String.join(
            "\n",
            "#separator \\x09",
            "#set_separator\t,",
            "#empty_field\t(empty)",
            "#unset_field\t-",
            "#path\tconn",
            "#open\t2026-11-28-08-00-00",
            "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto",
            "#types\ttime\tstring\taddr\tport\taddr\tport\tenum");
    append(log, header, "1764316800.000000\tC1\t10.0.0.1\t50000\t10.0.0.2\t22\ttcp");
    FileTailInput.Options options =
        new FileTailInput.Options(
            logs.resolve("*.log").toString(), dir.resolve("zeek.properties"), null, 10);
    try (Spool spool =
        Spool.open(dir.resolve("spool4"), Spool.Options.defaults(), new Problems(10))) {
      Pipeline pipeline =
          new Pipeline(spool, dir.resolve("dl4.ndjson"), new Pipeline.Options("auto", 1024, 1, 64));
      try (pipeline) {
        try (FileTailInput tail = new FileTailInput(options, pipeline, spool)) {
          await(spool, 1);
        }
        append(log, "1764316801.000000\tC2\t10.0.0.3\t50001\t10.0.0.2\t443\ttcp");
        try (FileTailInput tail = new FileTailInput(options, pipeline, spool)) {
          await(spool, 2);
        }
      }
      List<String> seen = new ArrayList<>();
      spool.read(
          0,
          (e, off, next) ->
              seen.add(
                  e.source().logType() + " " + e.getText("uid") + " " + e.getText("id.resp_p")));
      assertThat(seen).containsExactly("zeek/conn C1 22", "zeek/conn C2 443");
      assertThat(dir.resolve("dl4.ndjson")).doesNotExist();
    }
  }

  @Test
  void aLineLongerThanAReadIsPassedOnInPiecesNotReadForEver() throws Exception {
    Path logs = Files.createDirectories(dir.resolve("long"));
    Path log = logs.resolve("dump.log");
    int length = FileTailInput.MAX_READ + FileTailInput.MAX_READ / 2;
    append(log, "x".repeat(length), "after=1");
    FileTailInput.Options options =
        new FileTailInput.Options(
            logs.resolve("*.log").toString(), dir.resolve("long.properties"), null, 10);
    try (Spool spool =
        Spool.open(dir.resolve("spool5"), Spool.Options.defaults(), new Problems(10))) {
      Pipeline pipeline =
          new Pipeline(spool, dir.resolve("dl5.ndjson"), new Pipeline.Options("raw", 1024, 1, 64));
      try (pipeline;
          FileTailInput tail = new FileTailInput(options, pipeline, spool)) {
        await(spool, 3);
      }
      List<Integer> lengths = new ArrayList<>();
      spool.read(0, (e, off, next) -> lengths.add(e.getText("event.original").length()));
      assertThat(lengths)
          .containsExactly(
              FileTailInput.MAX_READ, length - FileTailInput.MAX_READ, "after=1".length());
    }
  }

  @Test
  void anIisLogsLaterHeaderBlockRulesTheLinesAfterItAcrossRestarts() throws Exception {
    Path logs = Files.createDirectories(dir.resolve("iis"));
    Path log = logs.resolve("u_ex261128.log");
    append(
        log,
        "#Software: Microsoft Internet Information Services 10.0",
        "#Fields: date time c-ip cs-method cs-uri-stem sc-status",
        "2026-11-28 08:00:01 192.0.2.1 GET /a 200");
    FileTailInput.Options options =
        new FileTailInput.Options(
            logs.resolve("*.log").toString(), dir.resolve("iis.properties"), null, 10);
    try (Spool spool =
        Spool.open(dir.resolve("spool8"), Spool.Options.defaults(), new Problems(10))) {
      Pipeline pipeline =
          new Pipeline(spool, dir.resolve("dl8.ndjson"), new Pipeline.Options("auto", 1024, 1, 64));
      try (pipeline) {
        try (FileTailInput tail = new FileTailInput(options, pipeline, spool)) {
          await(spool, 1);
          // IIS restarted with other fields, in another order
          append(
              log,
              "#Software: Microsoft Internet Information Services 10.0",
              "#Fields: date time sc-status cs-method cs-uri-stem c-ip",
              "2026-11-28 09:00:01 404 POST /b 192.0.2.2");
          await(spool, 2);
          append(log, "2026-11-28 09:00:02 500 PUT /c 192.0.2.3"); // read after that block
          await(spool, 3);
        }
        append(log, "2026-11-28 09:00:03 302 GET /d 192.0.2.4"); // and after a restart
        try (FileTailInput tail = new FileTailInput(options, pipeline, spool)) {
          await(spool, 4);
        }
      }
      List<String> seen = new ArrayList<>();
      spool.read(0, (e, off, next) -> seen.add(e.getText("c-ip") + " " + e.getText("sc-status")));
      assertThat(seen)
          .containsExactly("192.0.2.1 200", "192.0.2.2 404", "192.0.2.3 500", "192.0.2.4 302");
      assertThat(dir.resolve("dl8.ndjson")).doesNotExist();
    }
  }

  @Test
  void linesAnotherParsesAreStillJoinedHere() throws Exception {
    // an agent's parse_on: server: its pipeline keeps text (raw), the server parses with auditd
    Path logs = Files.createDirectories(dir.resolve("raw-audit"));
    append(
        logs.resolve("audit.log"),
        "type=SYSCALL msg=audit(1700000000.123:900): arch=c000003e syscall=59 success=yes pid=1",
        "type=EXECVE msg=audit(1700000000.123:900): argc=1 a0=\"id\"",
        "type=EOE msg=audit(1700000000.123:900):");
    FileTailInput.Options options =
        new FileTailInput.Options(
            logs.resolve("audit.log").toString(),
            dir.resolve("raw.properties"),
            null,
            10,
            java.util.Map.of(),
            "auditd");
    try (Spool spool =
        Spool.open(dir.resolve("spool7"), Spool.Options.defaults(), new Problems(10))) {
      Pipeline pipeline =
          new Pipeline(spool, dir.resolve("dl7.ndjson"), new Pipeline.Options("raw", 1024, 1, 64));
      try (pipeline;
          FileTailInput tail = new FileTailInput(options, pipeline, spool)) {
        await(spool, 1);
      }
      List<String> originals = new ArrayList<>();
      spool.read(0, (e, off, next) -> originals.add(e.getText("event.original")));
      assertThat(originals)
          .singleElement()
          .satisfies(o -> assertThat(o).contains("SYSCALL", "EXECVE").doesNotContain("EOE"));
    }
  }

  @Test
  void aCompressedRotationTheGlobMatchesIsPassedOver() throws Exception {
    Path logs = Files.createDirectories(dir.resolve("rot"));
    append(logs.resolve("app.log"), "line=1", "line=2");
    try (var gz =
        new java.util.zip.GZIPOutputStream(Files.newOutputStream(logs.resolve("app.log.2.gz")))) {
      gz.write("line=old1\nline=old2\nline=old3\n".getBytes(StandardCharsets.UTF_8));
    }
    FileTailInput.Options options =
        new FileTailInput.Options(
            logs.resolve("app.log*").toString(), dir.resolve("rot.properties"), null, 10);
    try (Spool spool =
        Spool.open(dir.resolve("spool6"), Spool.Options.defaults(), new Problems(10))) {
      Pipeline pipeline =
          new Pipeline(spool, dir.resolve("dl6.ndjson"), new Pipeline.Options("kv", 1024, 1, 64));
      try (pipeline;
          FileTailInput tail = new FileTailInput(options, pipeline, spool)) {
        await(spool, 2);
        Thread.sleep(200); // nothing more may come
      }
      assertThat(spooled(spool)).containsExactly("line=1", "line=2");
      assertThat(dir.resolve("dl6.ndjson")).doesNotExist();
    }
  }

  @Test
  void linesWrittenJustBeforeARotationThatCompressesAtOnceAreStillRead() throws Exception {
    // logrotate without delaycompress: app.log becomes app.log.1, which is compressed into
    // app.log.1.gz and removed, all between two polls. The lines written to app.log after the
    // last poll exist only in the removed file (and in the .gz, which the tail passes over).
    Path logs = Files.createDirectories(dir.resolve("rotgone"));
    Path live = logs.resolve("app.log");
    append(live, "line=1", "line=2");
    FileTailInput.Options options =
        new FileTailInput.Options(
            logs.resolve("app.log*").toString(), dir.resolve("rotgone.properties"), null, 1500);
    try (Spool spool =
        Spool.open(dir.resolve("spool9"), Spool.Options.defaults(), new Problems(10))) {
      Pipeline pipeline =
          new Pipeline(spool, dir.resolve("dl9.ndjson"), new Pipeline.Options("kv", 1024, 1, 64));
      try (pipeline;
          FileTailInput tail = new FileTailInput(options, pipeline, spool)) {
        await(spool, 2);
        Thread.sleep(300); // the tail is asleep until its next poll
        append(live, "line=3", "line=4");
        Path rotated = logs.resolve("app.log.1");
        Files.move(live, rotated);
        try (var gz =
            new java.util.zip.GZIPOutputStream(
                Files.newOutputStream(logs.resolve("app.log.1.gz")))) {
          gz.write(Files.readAllBytes(rotated));
        }
        Files.delete(rotated);
        append(live, "line=5");
        await(spool, 5);
        Thread.sleep(200); // nothing more may come
      }
      assertThat(spooled(spool))
          .containsExactlyInAnyOrder("line=1", "line=2", "line=3", "line=4", "line=5");
      assertThat(dir.resolve("dl9.ndjson")).doesNotExist();
    }
  }

  @Test
  void beyondTheOpenFileBudgetTheFilesReadLeastRecentlyGiveTheirHandlesBack() throws Exception {
    // One handle for three files: the one kept is the one that grew last, so a rotation that
    // compresses it at once (as above) still loses nothing, and the others open again by name.
    Path logs = Files.createDirectories(dir.resolve("budget"));
    append(logs.resolve("a.log"), "a=1");
    append(logs.resolve("b.log"), "b=1");
    append(logs.resolve("c.log"), "c=1");
    FileTailInput.Options options =
        new FileTailInput.Options(
            logs.resolve("*.log*").toString(),
            dir.resolve("budget.properties"),
            null,
            1500,
            java.util.Map.of(),
            null,
            1);
    try (Spool spool =
        Spool.open(dir.resolve("spool10"), Spool.Options.defaults(), new Problems(10))) {
      Pipeline pipeline =
          new Pipeline(spool, dir.resolve("dl10.ndjson"), new Pipeline.Options("kv", 1024, 1, 64));
      try (pipeline;
          FileTailInput tail = new FileTailInput(options, pipeline, spool)) {
        await(spool, 3);
        append(logs.resolve("a.log"), "a=2");
        await(spool, 4);
        Thread.sleep(300); // the tail is asleep until its next poll
        assertThat(tail.openFiles()).isEqualTo(1);
        Path live = logs.resolve("a.log");
        append(live, "a=3");
        Path rotated = logs.resolve("a.log.1");
        Files.move(live, rotated);
        try (var gz =
            new java.util.zip.GZIPOutputStream(Files.newOutputStream(logs.resolve("a.log.1.gz")))) {
          gz.write(Files.readAllBytes(rotated));
        }
        Files.delete(rotated);
        append(logs.resolve("c.log"), "c=2");
        await(spool, 6);
        Thread.sleep(200); // nothing more may come
        assertThat(tail.openFiles()).isLessThanOrEqualTo(1);
      }
      assertThat(spooled(spool))
          .containsExactlyInAnyOrder("a=1", "b=1", "c=1", "a=2", "a=3", "c=2");
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
