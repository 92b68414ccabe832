package dev.rampart.bench;

import dev.rampart.core.io.ProblemSink;
import dev.rampart.ingest.input.SyslogTcpInput;
import dev.rampart.ingest.pipeline.Pipeline;
import dev.rampart.ingest.spool.Spool;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The workload behind {@code rampart bench ingest}: syslog over TCP on 127.0.0.1 (RFC 5424,
 * newline-framed) from several connections, through the pipeline (bounded queue, syslog parser
 * workers) into a spool on disk with fsync per batch; messages/s counted when spooled.
 */
public final class IngestBench {
  public record Result(double syslogTcpPerSecond, long messages, double seconds, long dropped) {}

  /** HTTP bulk: events/s spooled, requests sent, and how many were refused (429) or failed. */
  public record BulkResult(double eventsPerSecond, long events, long requests, long refused) {}

  private IngestBench() {}

  /** What a counter advanced by in a measured window. */
  private record Window(long count, double seconds) {
    double perSecond() {
      return count / seconds;
    }
  }

  /** A count read at scrape time: spooled events, or bytes rsyslog wrote. */
  @FunctionalInterface
  private interface Counter {
    long get() throws java.io.IOException;
  }

  /** Counts what {@code counter} gains over {@code seconds} (after the caller's warm-up). */
  private static Window measure(Counter counter, double seconds) throws Exception {
    long c0 = counter.get();
    long t0 = System.nanoTime();
    Thread.sleep((long) (seconds * 1000));
    long c1 = counter.get();
    return new Window(c1 - c0, (System.nanoTime() - t0) / 1e9);
  }

  /** The pipeline every phase feeds: a parser on all cores, big batches, into {@code spool}. */
  private static Pipeline pipeline(Spool spool, Path dir, String parser) {
    return new Pipeline(
        spool,
        dir.resolve("dead-letter.ndjson"),
        new Pipeline.Options(
            parser, 65_536, Math.max(1, Runtime.getRuntime().availableProcessors()), 4096));
  }

  public static Result syslogTcp(Path dir, int connections, double seconds) throws Exception {
    Files.createDirectories(dir);
    InetAddress lo = InetAddress.getLoopbackAddress();
    byte[] block = block();
    try (Spool spool =
        Spool.open(dir.resolve("spool"), Spool.Options.defaults(), ProblemSink.IGNORE)) {
      Pipeline pipeline = pipeline(spool, dir, "syslog");
      try (pipeline;
          SyslogTcpInput tcp = new SyslogTcpInput("bench", lo, 0, pipeline)) {
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> senders = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
          senders.add(
              Thread.ofPlatform()
                  .daemon(true)
                  .start(
                      () -> {
                        try (Socket s = new Socket(lo, tcp.port());
                            OutputStream out = s.getOutputStream()) {
                          while (!stop.get()) {
                            out.write(block);
                          }
                        } catch (Exception e) {
                          // the input closed
                        }
                      }));
        }
        Thread.sleep(2000); // warm-up
        Window w = measure(pipeline.parsed::get, seconds);
        stop.set(true);
        for (Thread t : senders) {
          t.join(5000);
        }
        return new Result(w.perSecond(), w.count(), w.seconds(), pipeline.dropped.get());
      }
    }
  }

  /**
   * Elasticsearch {@code _bulk} over HTTP on 127.0.0.1, as Filebeat sends it: {@code clients}
   * connections each posting 1,000 JSON documents per request and waiting for the answer (which
   * comes after the fsync), through the JSON parser into the spool; events/s counted when spooled.
   */
  public static BulkResult httpBulk(Path dir, int clients, double seconds) throws Exception {
    Files.createDirectories(dir);
    byte[] body = bulkBody();
    try (Spool spool =
        Spool.open(dir.resolve("spool"), Spool.Options.defaults(), ProblemSink.IGNORE)) {
      Pipeline pipeline = pipeline(spool, dir, "json");
      try (pipeline;
          dev.rampart.ingest.input.HttpInput http =
              new dev.rampart.ingest.input.HttpInput(
                  new dev.rampart.ingest.input.HttpInput.Options(
                      "127.0.0.1", 0, "bench-token", 16 << 20),
                  pipeline)) {
        java.net.http.HttpClient client =
            java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .build();
        java.net.http.HttpRequest request =
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + http.port() + "/_bulk"))
                .header("Authorization", "ApiKey bench-token")
                .header("Content-Type", "application/x-ndjson")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        AtomicBoolean stop = new AtomicBoolean();
        java.util.concurrent.atomic.AtomicLong requests =
            new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong refused =
            new java.util.concurrent.atomic.AtomicLong();
        List<Thread> senders = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
          senders.add(
              Thread.ofVirtual()
                  .start(
                      () -> {
                        while (!stop.get()) {
                          try {
                            var r =
                                client.send(
                                    request, java.net.http.HttpResponse.BodyHandlers.discarding());
                            requests.incrementAndGet();
                            if (r.statusCode() != 200) {
                              refused.incrementAndGet();
                            }
                          } catch (Exception e) {
                            refused.incrementAndGet();
                          }
                        }
                      }));
        }
        Thread.sleep(2000); // warm-up
        long r0 = requests.get();
        Window w = measure(pipeline.parsed::get, seconds);
        long r1 = requests.get();
        stop.set(true);
        for (Thread t : senders) {
          t.join(10_000);
        }
        return new BulkResult(w.perSecond(), w.count(), r1 - r0, refused.get());
      }
    }
  }

  /**
   * Deletes {@code dir} (when not null) and waits until the system has written dirty pages back
   * ({@code sync}, where there is one), so the next measurement does not pay for the last one's
   * writeback.
   */
  public static void settleDisk(Path dir) throws Exception {
    if (dir != null && Files.exists(dir)) {
      try (var walk = Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    try {
      new ProcessBuilder("sync").redirectErrorStream(true).start().waitFor();
    } catch (java.io.IOException noSync) {
      // not a Unix: nothing to wait for
    }
  }

  /** 1,000 Filebeat-like documents behind {@code index} actions. */
  static byte[] bulkBody() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      sb.append("{\"create\":{\"_index\":\"filebeat-8.11.0\"}}\n")
          .append("{\"@timestamp\":\"2026-11-28T08:15:")
          .append(String.format("%02d.%03dZ", i % 60, i))
          .append("\",\"message\":\"Accepted publickey for user")
          .append(i % 17)
          .append(" from 10.0.")
          .append(i % 250)
          .append(".7 port ")
          .append(30000 + i)
          .append(" ssh2\",\"host\":{\"name\":\"host-")
          .append(i % 50)
          .append("\"},\"log\":{\"file\":{\"path\":\"/var/log/auth.log\"},\"offset\":")
          .append(1000L * i)
          .append("},\"agent\":{\"type\":\"filebeat\",\"version\":\"8.11.0\"},")
          .append("\"event\":{\"dataset\":\"system.auth\",\"module\":\"system\"}}\n");
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The same load against rsyslog (Debian's {@code rsyslog}: imtcp in, omfile out), run in the
   * foreground with its own configuration on a free loopback port; messages/s counted as the bytes
   * it wrote in the window over its bytes per line. Returns -1 when rsyslogd is not installed.
   */
  public static double rsyslog(Path dir, int connections, double seconds) throws Exception {
    Path rsyslogd = Path.of("/usr/sbin/rsyslogd");
    if (!Files.isExecutable(rsyslogd)) {
      return -1;
    }
    Files.createDirectories(dir);
    int port;
    try (java.net.ServerSocket probe =
        new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Path out = dir.resolve("rsyslog-out.log");
    Path conf = dir.resolve("rsyslog.conf");
    Files.writeString(
        conf,
        "global(workDirectory=\""
            + dir
            + "\")\n"
            + "module(load=\"imtcp\" MaxSessions=\"64\")\n"
            + "input(type=\"imtcp\" address=\"127.0.0.1\" port=\""
            + port
            + "\")\n"
            + "*.* action(type=\"omfile\" file=\""
            + out
            + "\" asyncWriting=\"on\" ioBufferSize=\"256k\" flushOnTXEnd=\"off\")\n");
    Process p =
        new ProcessBuilder(
                rsyslogd.toString(),
                "-n",
                "-f",
                conf.toString(),
                "-i",
                dir.resolve("rsyslog.pid").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("rsyslog.stdout").toFile())
            .start();
    try {
      InetAddress lo = InetAddress.getLoopbackAddress();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (true) {
        try (Socket probe = new Socket(lo, port)) {
          break;
        } catch (java.io.IOException e) {
          if (System.nanoTime() > deadline || !p.isAlive()) {
            return -1;
          }
          Thread.sleep(50);
        }
      }
      byte[] block = block();
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> senders = new ArrayList<>();
      for (int c = 0; c < connections; c++) {
        senders.add(
            Thread.ofPlatform()
                .daemon(true)
                .start(
                    () -> {
                      try (Socket s = new Socket(lo, port);
                          OutputStream o = s.getOutputStream()) {
                        while (!stop.get()) {
                          o.write(block);
                        }
                      } catch (Exception e) {
                        // stopped
                      }
                    }));
      }
      Thread.sleep(2000); // warm-up
      // Counting lines by reading the file at the window's end took a core from rsyslog while it
      // was measured (2.7 s of CPU in a 10 s window): the window counts the bytes it wrote, turned
      // into lines by the whole file's bytes per line, counted once the senders stopped.
      Window bytes = measure(() -> Files.size(out), seconds);
      stop.set(true);
      for (Thread t : senders) {
        t.join(5000);
      }
      long size = Files.size(out);
      long lines = lines(out);
      return size == 0 ? 0 : bytes.count() * ((double) lines / size) / bytes.seconds();
    } finally {
      p.destroy();
      p.waitFor();
    }
  }

  private static long lines(Path f) throws java.io.IOException {
    if (!Files.exists(f)) {
      return 0;
    }
    long n = 0;
    byte[] buf = new byte[1 << 20];
    try (java.io.InputStream in = Files.newInputStream(f)) {
      int r;
      while ((r = in.read(buf)) > 0) {
        for (int i = 0; i < r; i++) {
          if (buf[i] == '\n') {
            n++;
          }
        }
      }
    }
    return n;
  }

  /** 1,000 realistic RFC 5424 lines (varying host, app, pid, text), newline-framed. */
  public static byte[] block() {
    StringBuilder sb = new StringBuilder();
    String[] apps = {"sshd", "sudo", "nginx", "kernel", "CRON", "systemd"};
    for (int i = 0; i < 1000; i++) {
      sb.append("<")
          .append(8 + i % 100)
          .append(">1 2026-11-28T08:15:")
          .append(String.format("%02d.%06d", i % 60, i))
          .append("Z host-")
          .append(i % 50)
          .append(".corp.example ")
          .append(apps[i % apps.length])
          .append(' ')
          .append(1000 + i)
          .append(" - [meta sequenceId=\"")
          .append(i)
          .append("\"] Accepted publickey for user")
          .append(i % 17)
          .append(" from 10.0.")
          .append(i % 250)
          .append(".7 port ")
          .append(30000 + i)
          .append(" ssh2\n");
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }
}
