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

  /** An idle agent's resident memory and CPU (percent of one core), or why it was not measured. */
  public record Idle(Double rssMb, Double cpuPercent, String problem) {}

  /**
   * Runs {@code rampart agent run} in a child JVM (this one's java and class path, with {@code
   * javaOptions}: none is what the launcher does by default) watching {@code tree}, with a server
   * that is not there (the log grows, sends back off: an agent at rest), and measures it after
   * {@code warmup} over {@code window}. Its identity is made here and trusted by no one.
   */
  public static Idle idle(
      Path tree, List<String> javaOptions, java.time.Duration warmup, java.time.Duration window)
      throws IOException, InterruptedException {
    Path d = Files.createTempDirectory("rampart-agent-idle");
    Process p = null;
    try {
      identity(d);
      Path config = d.resolve("agent.yml");
      Files.writeString(
          config,
          "data: "
              + d.resolve("data")
              + "\nfim: {paths: ["
              + tree.toAbsolutePath()
              + "]}\nheartbeat_every: 30s\n");
      String java = ProcessHandle.current().info().command().orElse("java");
      List<String> argv = new java.util.ArrayList<>();
      argv.add(java);
      argv.addAll(javaOptions);
      argv.addAll(
          List.of(
              "--enable-native-access=ALL-UNNAMED",
              "-cp",
              System.getProperty("java.class.path"),
              "dev.rampart.cli.Main",
              "agent",
              "run",
              "--config",
              config.toString()));
      p =
          new ProcessBuilder(argv)
              .redirectErrorStream(true)
              .redirectOutput(d.resolve("agent.log").toFile())
              .start();
      Thread.sleep(warmup.toMillis());
      if (!p.isAlive()) {
        return new Idle(
            null, null, "the agent exited: " + Files.readString(d.resolve("agent.log")).strip());
      }
      long t0 = cpuTicks(p.pid());
      long w0 = System.nanoTime();
      Thread.sleep(window.toMillis());
      long t1 = cpuTicks(p.pid());
      double secs = (System.nanoTime() - w0) / 1e9;
      double rss = rssMb(p.pid());
      // clock ticks are 1/100 s on Linux (USER_HZ)
      return new Idle(rss, (t1 - t0) / 100.0 / secs * 100, null);
    } catch (IOException | java.security.GeneralSecurityException e) {
      return new Idle(null, null, e.getMessage());
    } finally {
      if (p != null) {
        p.destroy();
        p.waitFor(10, TimeUnit.SECONDS);
        p.destroyForcibly();
      }
      try (var s = Files.walk(d)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  // an enrolled-looking identity: a key and a self-signed certificate pinned to a server that is
  // not there (port 9, discard)
  private static void identity(Path d) throws java.security.GeneralSecurityException, IOException {
    java.security.KeyPair kp = dev.rampart.agent.transport.Identity.newKey();
    var name = new org.bouncycastle.asn1.x500.X500Name("CN=agt-bench");
    java.time.Instant now = java.time.Instant.now();
    java.security.cert.X509Certificate cert;
    try {
      cert =
          new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter()
              .getCertificate(
                  new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(
                          name,
                          java.math.BigInteger.ONE,
                          java.util.Date.from(now),
                          java.util.Date.from(now.plus(java.time.Duration.ofDays(1))),
                          name,
                          kp.getPublic())
                      .build(
                          new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder(
                                  "SHA256withECDSA")
                              .build(kp.getPrivate())));
    } catch (org.bouncycastle.operator.OperatorCreationException e) {
      throw new java.security.GeneralSecurityException(e);
    }
    java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    char[] pw = "bench".toCharArray();
    ks.setKeyEntry("agent", kp.getPrivate(), pw, new java.security.cert.Certificate[] {cert});
    new dev.rampart.agent.transport.Identity(
            "agt-bench", java.net.URI.create("https://127.0.0.1:9"), "00".repeat(32), ks, pw)
        .save(d.resolve("data"));
  }

  private static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    // fields after the command name (which may hold spaces) in parentheses
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
  }

  private static double rssMb(long pid) throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (l.startsWith("VmRSS:")) {
        return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0;
      }
    }
    return -1;
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
