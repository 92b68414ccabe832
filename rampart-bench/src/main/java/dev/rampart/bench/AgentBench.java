package dev.rampart.bench;

import dev.rampart.agent.fim.Fim;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The FIM baseline against AIDE on the same tree: both after the tree has been read once (warm page
 * cache for both), AIDE with the same attributes (permissions, inode, links, owner, group, size,
 * mtime, ctime, SHA-256), when Debian's {@code aide} is installed.
 */
public final class AgentBench {
  private AgentBench() {}

  /**
   * The time from a write to its report by the real-time watcher, over {@code changes} writes to
   * files of a fresh tree: the 50th and 99th percentiles in milliseconds.
   */
  public record Latency(int changes, double p50Ms, double p99Ms, String mode) {}

  public static Latency changeToAlert(int changes) throws IOException, InterruptedException {
    Path t = Files.createTempDirectory("rampart-fim-latency");
    try {
      for (int i = 0; i < 50; i++) {
        Files.writeString(t.resolve("f" + i), "v0\n");
      }
      Fim.State base = Fim.scan(List.of(t), Fim.Options.DEFAULTS, null, n -> {});
      java.util.concurrent.ConcurrentHashMap<String, Long> seen =
          new java.util.concurrent.ConcurrentHashMap<>();
      long[] lat = new long[changes];
      String mode;
      try (dev.rampart.agent.fim.FimWatcher w =
          new dev.rampart.agent.fim.FimWatcher(
              List.of(t),
              base.entries(),
              Fim.Options.DEFAULTS,
              c -> seen.putIfAbsent(c.path() + "#" + c.kind(), c.seenNanos()))) {
        mode = w.mode();
        for (int i = 0; i < changes; i++) {
          Path f = t.resolve("f" + (i % 50));
          seen.remove(f + "#changed");
          long t0 = System.nanoTime();
          Files.writeString(f, "v" + (i + 1) + "\n");
          long deadline = t0 + 5_000_000_000L;
          Long at;
          while ((at = seen.get(f + "#changed")) == null && System.nanoTime() < deadline) {
            Thread.onSpinWait();
          }
          lat[i] = at == null ? 5_000_000_000L : at - t0;
        }
      }
      java.util.Arrays.sort(lat);
      return new Latency(
          changes,
          lat[changes / 2] / 1e6,
          lat[Math.min(changes - 1, (int) (changes * 0.99))] / 1e6,
          mode);
    } finally {
      try (var s = Files.walk(t)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  /**
   * @param aideEntriesPerSecond null when AIDE is not installed (or failed: {@code aideProblem})
   */
  public record Result(
      Path tree,
      long entries,
      long bytes,
      double seconds,
      double entriesPerSecond,
      double mbPerSecond,
      Long aideEntries,
      Double aideSeconds,
      Double aideEntriesPerSecond,
      String aideProblem) {}

  static final Path AIDE = Path.of("/usr/bin/aide");

  public static Result run(Path tree, LongConsumer progress)
      throws IOException, InterruptedException {
    // a first pass reads the tree into the page cache, so neither side pays for the disk alone
    Fim.scan(List.of(tree), Fim.Options.DEFAULTS, null, n -> {});
    Long aideEntries = null;
    Double aideSeconds = null;
    String aideProblem = null;
    if (Files.isExecutable(AIDE)) {
      Path dir = Files.createTempDirectory("rampart-aide");
      Path conf = dir.resolve("aide.conf");
      Files.writeString(
          conf,
          "database_out=file:"
              + dir.resolve("aide.db.gz")
              + "\ngzip_dbout=yes\nreport_url=stdout\nRampart = p+i+n+u+g+s+m+c+sha256\n"
              + tree.toAbsolutePath()
              + " Rampart\n");
      long t0 = System.nanoTime();
      Process p =
          new ProcessBuilder(AIDE.toString(), "--init", "--config=" + conf)
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        aideProblem = "aide --init did not finish in 30 minutes";
      } else {
        aideSeconds = (System.nanoTime() - t0) / 1e9;
        Matcher m = Pattern.compile("Number of entries:\\s*(\\d+)").matcher(out);
        if (m.find()) {
          aideEntries = Long.parseLong(m.group(1));
        } else if (p.exitValue() != 0) {
          aideProblem = "aide --init exited " + p.exitValue() + ": " + out.strip();
          aideSeconds = null;
        }
      }
      try (var s = Files.walk(dir)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    } else {
      aideProblem = "aide is not installed (apt-get install aide)";
    }
    long t0 = System.nanoTime();
    Fim.State s = Fim.scan(List.of(tree), Fim.Options.DEFAULTS, null, progress);
    double secs = (System.nanoTime() - t0) / 1e9;
    long bytes = 0;
    for (Fim.Entry e : s.entries().values()) {
      if (e.ftype().equals("file")) {
        bytes += e.size();
      }
    }
    long n = s.entries().size();
    if (aideEntries == null && aideSeconds != null) {
      aideEntries = n; // same tree; AIDE did not print its count
    }
    return new Result(
        tree,
        n,
        bytes,
        secs,
        n / secs,
        bytes / 1e6 / secs,
        aideEntries,
        aideSeconds,
        aideSeconds == null ? null : aideEntries / aideSeconds,
        aideProblem);
  }
}
