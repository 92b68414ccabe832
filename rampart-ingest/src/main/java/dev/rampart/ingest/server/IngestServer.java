package dev.rampart.ingest.server;

import dev.rampart.ingest.input.FileTailInput;
import dev.rampart.ingest.input.HttpInput;
import dev.rampart.ingest.input.SyslogTcpInput;
import dev.rampart.ingest.input.SyslogUdpInput;
import dev.rampart.ingest.metrics.IngestMetrics;
import dev.rampart.ingest.pipeline.Pipeline;
import dev.rampart.ingest.spool.Spool;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Runs ingestion as configured: opens the spool under {@code data/spool}, gives every input its own
 * pipeline (so each has its parser and its metrics; all share the spool and its group commit), and
 * starts the inputs. When all are listening it writes {@code data/ports.json} (input name → bound
 * port, which matters when a config asks for port 0) and prints one line per input. {@link #close}
 * stops inputs first, then drains the pipelines into the spool, then closes the spool.
 *
 * <pre>{@code
 * try (IngestServer server = IngestServer.start(IngestConfig.load(Path.of("rampart.yaml")))) {
 *   server.awaitShutdown();
 * }
 * }</pre>
 */
public final class IngestServer implements Closeable {
  private final IngestConfig config;
  private final Spool spool;
  private final IngestMetrics metrics = new IngestMetrics();
  private final List<Pipeline> pipelines = new ArrayList<>();
  private final List<AutoCloseable> inputs = new ArrayList<>();
  private final Map<String, Integer> ports = new LinkedHashMap<>();
  private final Thread retention;
  private final java.util.concurrent.CountDownLatch closed =
      new java.util.concurrent.CountDownLatch(1);

  private IngestServer(IngestConfig config, Spool spool) {
    this.config = config;
    this.spool = spool;
    this.retention = Thread.ofVirtual().name("spool-retention").unstarted(this::retentionLoop);
  }

  /** Starts everything the configuration lists; on any failure, stops what had started. */
  public static IngestServer start(IngestConfig config) throws IOException {
    Files.createDirectories(config.data());
    IngestConfig.Spool sc = config.spool();
    Spool spool =
        Spool.open(
            config.data().resolve("spool"),
            new Spool.Options(
                sc.segmentMb() << 20,
                true,
                (long) (sc.retentionGb() * (1L << 30)),
                Duration.ofSeconds((long) (sc.retentionDays() * 86_400)),
                sc.cacheMb() << 20),
            p -> System.err.println("rampart: " + p));
    IngestServer server = new IngestServer(config, spool);
    try {
      server.metrics.spool(spool);
      for (IngestConfig.Input in : config.inputs()) {
        server.startInput(in);
      }
      server.writePorts();
      server.retention.start();
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  private void startInput(IngestConfig.Input in) throws IOException {
    String name = in.effectiveName();
    IngestConfig.Pipeline pc = config.pipeline();
    String parser = in.parser() != null ? in.parser() : defaultParser(in.type(), pc.parser());
    int workers = pc.workers() > 0 ? pc.workers() : Runtime.getRuntime().availableProcessors();
    Pipeline pipeline =
        new Pipeline(
            spool,
            config.data().resolve("dead-letter.ndjson"),
            new Pipeline.Options(parser, pc.queue(), workers, pc.batch()));
    pipelines.add(pipeline);
    metrics.pipeline(name, parser, pipeline);
    InetAddress bind = InetAddress.getByName(in.effectiveBind());
    switch (in.type()) {
      case "syslog-tcp" -> {
        SyslogTcpInput tcp = new SyslogTcpInput(name, bind, in.port(), pipeline);
        inputs.add(tcp);
        ports.put(name, tcp.port());
      }
      case "syslog-tls" -> {
        SyslogTcpInput tls = new SyslogTcpInput(name, bind, in.port(), tls(in), pipeline);
        inputs.add(tls);
        ports.put(name, tls.port());
      }
      case "syslog-udp" -> {
        SyslogUdpInput udp = new SyslogUdpInput(name, bind, in.port(), pipeline);
        inputs.add(udp);
        ports.put(name, udp.port());
      }
      case "http" -> {
        long maxBody = (in.maxBodyMb() == null ? 16L : in.maxBodyMb()) << 20;
        HttpInput http =
            new HttpInput(
                new HttpInput.Options(
                    in.effectiveBind(),
                    in.port(),
                    secret(in.tokenEnv(), in.tokenFile()),
                    maxBody,
                    metrics),
                pipeline);
        inputs.add(http);
        ports.put(name, http.port());
      }
      case "file" -> {
        Path checkpoints = config.data().resolve("checkpoints").resolve(name + ".properties");
        Files.createDirectories(checkpoints.getParent());
        inputs.add(
            new FileTailInput(
                new FileTailInput.Options(
                    in.paths(),
                    checkpoints,
                    in.firstLine(),
                    in.pollMs() == null ? 500 : in.pollMs(),
                    Map.of(),
                    null,
                    in.maxOpenFiles() == null
                        ? FileTailInput.Options.DEFAULT_MAX_OPEN_FILES
                        : in.maxOpenFiles()),
                pipeline,
                spool));
      }
      default -> throw new IllegalStateException("unchecked input type " + in.type());
    }
  }

  /** Without a parser in the config: syslog inputs parse syslog, HTTP JSON, files guess. */
  private static String defaultParser(String type, String configured) {
    if (!configured.equals("auto")) {
      return configured;
    }
    return switch (type) {
      case "syslog-tcp", "syslog-tls", "syslog-udp" -> "syslog";
      case "http" -> "json";
      default -> "auto";
    };
  }

  /** A secret from an environment variable or a file (trailing newline removed); never logged. */
  private static String secret(String env, Path file) throws IOException {
    if (env != null) {
      String v = System.getenv(env);
      if (v == null || v.isEmpty()) {
        throw new IOException("environment variable " + env + " is not set (it holds a secret)");
      }
      return v;
    }
    return Files.readString(file, StandardCharsets.UTF_8).strip();
  }

  private SSLContext tls(IngestConfig.Input in) throws IOException {
    char[] password = secret(in.keystorePasswordEnv(), in.keystorePasswordFile()).toCharArray();
    Path keystore = Path.of(in.keystore());
    try (InputStream ks = Files.newInputStream(keystore)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(ks, password);
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, password);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot use keystore " + keystore + ": " + e.getMessage(), e);
    } finally {
      java.util.Arrays.fill(password, '\0');
    }
  }

  private void writePorts() throws IOException {
    StringBuilder json = new StringBuilder("{");
    for (Map.Entry<String, Integer> p : ports.entrySet()) {
      json.append(json.length() > 1 ? "," : "")
          .append('"')
          .append(p.getKey().replace("\\", "\\\\").replace("\"", "\\\""))
          .append("\":")
          .append(p.getValue());
    }
    json.append("}\n");
    Path tmp = config.data().resolve("ports.json.tmp");
    Files.writeString(tmp, json);
    Files.move(
        tmp,
        config.data().resolve("ports.json"),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  private void retentionLoop() {
    while (true) {
      try {
        Thread.sleep(60_000);
        spool.applyRetention(Instant.now());
      } catch (InterruptedException e) {
        return; // closing
      } catch (IOException e) {
        // A failed pass (a segment busy or gone) is tried again at the next one.
        System.err.println("rampart: spool retention failed, retrying in a minute: " + e);
      }
    }
  }

  /**
   * Adds a port another part of the platform bound (the REST API, say) to DATA/ports.json, so
   * scripts find every port in one place.
   */
  public synchronized void publishPort(String name, int port) throws IOException {
    ports.put(name, port);
    writePorts();
  }

  /** Bound ports by input name (network inputs only). */
  public Map<String, Integer> ports() {
    return Map.copyOf(ports);
  }

  public IngestMetrics metrics() {
    return metrics;
  }

  public Spool spool() {
    return spool;
  }

  /** One line per input, for the log and the console. */
  public List<String> describe() {
    List<String> lines = new ArrayList<>();
    for (IngestConfig.Input in : config.inputs()) {
      Integer port = ports.get(in.effectiveName());
      lines.add(
          in.effectiveName()
              + " ("
              + in.type()
              + ") "
              + (port != null ? in.effectiveBind() + ":" + port : in.paths()));
    }
    return lines;
  }

  /** Blocks until {@link #close} (from a shutdown hook, say). */
  public void awaitShutdown() throws InterruptedException {
    closed.await();
  }

  @Override
  public void close() throws IOException {
    retention.interrupt();
    IOException first = null;
    for (AutoCloseable in : inputs) {
      try {
        in.close();
      } catch (Exception e) {
        first = first == null ? new IOException("closing an input", e) : first;
      }
    }
    for (Pipeline p : pipelines) {
      p.close();
    }
    spool.close();
    closed.countDown();
    if (first != null) {
      throw first;
    }
  }
}
