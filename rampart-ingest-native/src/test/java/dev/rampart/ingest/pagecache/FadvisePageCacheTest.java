package dev.rampart.ingest.pagecache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.EventSource;
import dev.rampart.core.io.Problems;
import dev.rampart.ingest.spool.PageCache;
import dev.rampart.ingest.spool.Spool;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The advice measured where it lands: {@code fincore} (util-linux) reads how much of a file is in
 * the page cache. The files live under {@code target/}, on the disk: a {@code /tmp} on tmpfs keeps
 * every page whatever it is told.
 */
class FadvisePageCacheTest {
  Path dir;

  @BeforeEach
  void needFincore() throws IOException {
    boolean fincore =
        Stream.of(System.getenv("PATH").split(":"))
            .anyMatch(p -> Files.isExecutable(Path.of(p, "fincore")));
    if (!fincore) {
      System.err.println("SKIPPED: no fincore (util-linux) to see the page cache with");
    }
    assumeTrue(fincore, "fincore (util-linux) shows the page cache");
    Files.createDirectories(Path.of("target"));
    dir = Files.createTempDirectory(Path.of("target"), "pagecache");
  }

  @AfterEach
  void clean() throws IOException {
    if (dir != null) {
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  static long resident(Path... files) throws Exception {
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of("fincore", "--bytes", "--noheadings", "--raw", "--output", "RES"));
    for (Path f : files) {
      cmd.add(f.toString());
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    return out.lines().mapToLong(l -> Long.parseLong(l.trim())).sum();
  }

  @Test
  void theSpoolFindsItOnTheClassPath() {
    assertThat(PageCache.system()).isInstanceOf(FadvisePageCache.class);
    assertThat(PageCache.system().name()).isEqualTo("posix_fadvise");
  }

  @Test
  void dropsTheCachedPagesOfARangeOnceOnDisk() throws Exception {
    Path f = dir.resolve("data");
    try (FileChannel ch =
        FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer mib = ByteBuffer.allocate(1 << 20);
      for (int i = 0; i < 8; i++) {
        mib.clear();
        ch.write(mib);
      }
      ch.force(false); // clean pages: the advice frees them at once
    }
    assertThat(resident(f)).isEqualTo(8L << 20);
    PageCache cache = new FadvisePageCache();
    cache.drop(f, 0, 4L << 20);
    assertThat(resident(f)).isEqualTo(4L << 20);
    cache.drop(f, 4L << 20, 4L << 20);
    assertThat(resident(f)).isZero();
    assertThat(Files.size(f)).isEqualTo(8L << 20); // advice, not deletion
    assertThatCode(() -> cache.drop(dir.resolve("gone"), 0, 4096)).doesNotThrowAnyException();
  }

  @Test
  void aSpoolKeepsAboutItsWindowInThePageCache() throws Exception {
    long window = 4L << 20;
    Spool.Options o = new Spool.Options(1L << 20, true, 1L << 30, Duration.ofDays(1), window);
    String text = "x".repeat(900);
    try (Spool s = Spool.open(dir.resolve("spool"), o, new Problems(10))) {
      for (int i = 0; i < 30_000; i++) { // about 27 MiB
        Event e = new Event();
        e.timestamp(1_700_000_000_000_000_000L + i);
        e.source(new EventSource("test", "h", "linux/syslog"));
        e.addString("message", text + i);
        s.append(e);
        if (i % 500 == 499) {
          s.syncTo(s.end());
        }
      }
      s.sync();
      Path[] segments;
      try (Stream<Path> list = Files.list(dir.resolve("spool"))) {
        segments = list.filter(p -> p.toString().endsWith(".seg")).toArray(Path[]::new);
      }
      long total = 0;
      for (Path seg : segments) {
        total += Files.size(seg);
      }
      assertThat(total).isGreaterThan(25L << 20);
      // the window, a step of it (1/8) not yet dropped, and page rounding at segment edges
      assertThat(resident(segments)).isLessThanOrEqualTo(window + (window / 8) + (64L << 10));
    }
  }
}
