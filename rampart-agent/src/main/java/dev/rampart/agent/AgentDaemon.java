package dev.rampart.agent;

import dev.rampart.agent.fim.Fim;
import dev.rampart.agent.fim.FimDb;
import dev.rampart.agent.fim.FimWatcher;
import dev.rampart.agent.fim.PackageDigests;
import dev.rampart.agent.inventory.HostInventory;
import dev.rampart.agent.logs.JournalInput;
import dev.rampart.agent.response.Exec;
import dev.rampart.agent.response.Responder;
import dev.rampart.agent.sca.Sca;
import dev.rampart.agent.transport.CertificateRenewal;
import dev.rampart.agent.transport.Identity;
import dev.rampart.agent.transport.Protocol;
import dev.rampart.agent.transport.Sender;
import dev.rampart.agent.transport.ServerLink;
import dev.rampart.agent.wal.AgentWal;
import dev.rampart.core.event.Event;
import dev.rampart.core.event.IpAddress;
import dev.rampart.core.io.DurableFiles;
import dev.rampart.ingest.input.FileTailInput;
import dev.rampart.ingest.pipeline.Pipeline;
import java.io.Closeable;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The running agent ({@code rampart agent run}): every record it makes — file changes, forwarded
 * log lines and journal entries, inventories, check results — goes into the write-ahead log and is
 * forced to disk, and a sender moves the log to the server over mutual TLS; heartbeats report
 * uptime, the log's fill, the watch mode, CPU and memory. Each part runs on its own thread, so a
 * server that is away only makes the log grow, up to its bound.
 *
 * <pre>{@code
 * try (AgentDaemon a = AgentDaemon.start(AgentConfig.load(Path.of("agent.yml")), System.err::println)) {
 *   a.awaitStop();
 * }
 * }</pre>
 */
public final class AgentDaemon implements Closeable {
  public static final String VERSION = "0.1.0";

  private final AgentConfig config;
  private final Consumer<String> say;
  private final AgentWal wal;
  private final ServerLink link;
  private final CertificateRenewal renewal;
  private final Sender sender;
  private final Responder responder;
  private final String host;
  private final long started = System.currentTimeMillis();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();
  private final List<Pipeline> pipelines = new ArrayList<>();
  private final List<FileTailInput> tails = new ArrayList<>();
  private FimWatcher watcher;
  private JournalInput journal;
  private volatile boolean logsPaused;
  public final AtomicLong records = new AtomicLong();
  public final AtomicLong refused = new AtomicLong();
  public final AtomicLong heartbeatsFailed = new AtomicLong();

  private AgentDaemon(AgentConfig config, Consumer<String> say)
      throws IOException, GeneralSecurityException {
    this.config = config;
    this.say = say;
    Identity id = Identity.load(config.data());
    this.host = hostname();
    this.wal =
        AgentWal.open(config.data().resolve("wal"), config.wal(), p -> say.accept("wal: " + p));
    this.link = ServerLink.of(id);
    this.renewal = new CertificateRenewal(id, link, config.data(), java.time.Clock.systemUTC());
    this.sender = new Sender(wal, link, Sender.Options.DEFAULTS);
    this.responder =
        new Responder(
            new Responder.Options(config.allow(), config.data().resolve("response"), Path.of("/")),
            id.caCertificate().getPublicKey(),
            id.agentId(),
            addresses(id.server().getHost()),
            Exec.PROCESS,
            this::record,
            host);
  }

  // the server's addresses, resolved now: isolation must keep them reachable without DNS
  private static List<IpAddress> addresses(String host) {
    List<IpAddress> out = new ArrayList<>();
    try {
      for (java.net.InetAddress a : java.net.InetAddress.getAllByName(host)) {
        out.add(IpAddress.of(a.getAddress()));
      }
    } catch (java.net.UnknownHostException e) {
      // resolved again at the next start; isolation refuses meanwhile
    }
    return out;
  }

  /** Starts every configured part; the identity must exist (rampart agent enroll). */
  public static AgentDaemon start(AgentConfig config, Consumer<String> say)
      throws IOException, GeneralSecurityException {
    AgentDaemon a = new AgentDaemon(config, say);
    try {
      a.startParts();
    } catch (IOException | RuntimeException e) {
      a.close();
      throw e;
    }
    return a;
  }

  private void startParts() throws IOException {
    thread("sender", () -> sender.run(stopping::get));
    thread("heartbeat", this::heartbeats);
    if (!config.fim().paths().isEmpty()) {
      startFim();
    }
    startLogs();
    if (config.journald().enabled()) {
      journal =
          new JournalInput(
              config.journald().command(),
              config.data().resolve("journald.cursor"),
              wal,
              host,
              say);
    }
    thread("inventory", () -> every(config.inventoryEvery().toMillis(), this::inventory));
    thread("sca", () -> every(config.scaEvery().toMillis(), this::sca));
    thread("wal-guard", this::guard);
  }

  /** Appends a record and forces it to disk; a full log refuses it (counted, in heartbeats). */
  public void record(Event e) {
    try {
      synchronized (wal) {
        wal.append(e);
        wal.sync();
      }
      records.incrementAndGet();
    } catch (AgentWal.FullException full) {
      refused.incrementAndGet();
    } catch (IOException io) {
      refused.incrementAndGet();
      say.accept("wal: " + io.getMessage());
    }
  }

  private void startFim() throws IOException {
    Path db = config.data().resolve("fim.db");
    // the agent's own state changes all the time: never a finding (and never a loop of reports)
    List<String> exclude = new ArrayList<>(config.fim().exclude());
    exclude.add(config.data().toAbsolutePath().normalize() + "/**");
    Fim.Options o = new Fim.Options(exclude, Runtime.getRuntime().availableProcessors(), false);
    Map<String, Fim.Entry> baseline;
    if (Files.exists(db)) {
      baseline = FimDb.read(db).entries();
    } else {
      try {
        baseline = Fim.scan(config.fim().paths(), o, null, x -> {}).entries();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      saveBaseline(db, baseline);
    }
    watcher =
        new FimWatcher(
            config.fim().paths(),
            baseline,
            o,
            new FimWatcher.Limits(
                config.fim().maxEventsPerSecond(), 100_000, PackageDigests.live(Path.of("/"))),
            c ->
                record(
                    AgentEvents.fim(
                        host, c, watcher == null ? null : watcher.state().get(c.path()))));
    // the safety net: a full scan against what the watcher holds reports anything it missed, and
    // now and then re-hashes everything rather than trusting size, times and inode
    long[] lastFull = {System.currentTimeMillis()};
    thread(
        "fim-scan",
        () ->
            every(
                config.fim().scanEvery().toMillis(),
                () -> {
                  Map<String, Fim.Entry> before = Map.copyOf(watcher.state());
                  boolean full =
                      System.currentTimeMillis() - lastFull[0]
                          >= config.fim().fullRehashEvery().toMillis();
                  Fim.Options scan = new Fim.Options(o.exclude(), o.threads(), full);
                  Fim.State now = Fim.scan(config.fim().paths(), scan, before, x -> {});
                  if (full) {
                    lastFull[0] = System.currentTimeMillis();
                  }
                  Fim.Diff d = Fim.compare(before, now.entries());
                  d.added().forEach(p -> record(scanned("added", p, List.of(), now)));
                  d.removed().forEach(p -> record(scanned("removed", p, List.of(), now)));
                  d.changed().forEach((p, attrs) -> record(scanned("changed", p, attrs, now)));
                  for (Fim.Rename r : d.renamed()) {
                    Event e = scanned("renamed", r.to(), List.of(), now);
                    e.addString("rampart.fim.from", r.from());
                    record(e);
                  }
                  saveBaseline(db, now.entries());
                }));
  }

  private Event scanned(String kind, String path, List<String> attrs, Fim.State now) {
    return AgentEvents.fim(
        host, new FimWatcher.Change(kind, path, attrs, 0), now.entries().get(path));
  }

  private static void saveBaseline(Path db, Map<String, Fim.Entry> entries) throws IOException {
    FimDb.write(db, new FimDb.Header(1, List.of(), List.of(), System.currentTimeMillis()), entries);
  }

  private synchronized void startLogs() throws IOException {
    for (int i = 0; i < config.logs().size(); i++) {
      AgentConfig.Log l = config.logs().get(i);
      Pipeline p =
          new Pipeline(
              wal.spool(),
              config.data().resolve("dead-letter.ndjson"),
              new Pipeline.Options(l.parseOnServer() ? "raw" : l.parser(), 4096, 1, 256));
      pipelines.add(p);
    }
    if (!logsPaused) {
      openTails();
    }
  }

  private synchronized void openTails() throws IOException {
    for (int i = 0; i < config.logs().size(); i++) {
      tails.add(
          new FileTailInput(
              new FileTailInput.Options(
                  config.logs().get(i).path(),
                  config.data().resolve("checkpoints").resolve("log-" + i + ".properties"),
                  null,
                  500,
                  config.logs().get(i).parseOnServer()
                      ? Map.of(AgentEvents.PARSE, config.logs().get(i).parser())
                      : Map.of(),
                  // lines the server parses are still joined here (an audit log's records)
                  config.logs().get(i).parseOnServer() ? config.logs().get(i).parser() : null),
              pipelines.get(i),
              wal.spool()));
    }
  }

  private synchronized void closeTails() {
    tails.forEach(FileTailInput::close);
    tails.clear();
  }

  /**
   * Holds the tailers to the log's bound: with {@code refuse} they pause while it is full (the log
   * files keep the lines; positions are only checkpointed once spooled), with {@code drop_oldest}
   * the oldest segments go (counted).
   */
  // the log was reopened after a failed write: the tailers' pipelines hold the old spool
  private synchronized void restartLogs() throws IOException {
    closeTails();
    for (Pipeline p : pipelines) {
      p.close();
    }
    pipelines.clear();
    startLogs();
    say.accept("write-ahead log reopened after a failed write; log forwarding restarted");
  }

  private void guard() {
    long generation = wal.generation();
    while (!stopping.get()) {
      try {
        Thread.sleep(1000);
        if (wal.generation() != generation) {
          generation = wal.generation();
          restartLogs();
        }
        if (config.wal().whenFull() == AgentWal.WhenFull.DROP_OLDEST) {
          wal.enforce();
        } else if (wal.overBound() && !logsPaused && !tails.isEmpty()) {
          closeTails();
          logsPaused = true;
          say.accept("wal full: log forwarding paused until the server takes some");
        } else if (logsPaused && wal.bytes() < config.wal().maxBytes() * 3 / 4) {
          openTails();
          logsPaused = false;
          say.accept("log forwarding resumed");
        }
      } catch (InterruptedException e) {
        return;
      } catch (IOException e) {
        say.accept("wal guard: " + e.getMessage());
      }
    }
  }

  private void inventory() throws IOException {
    HostInventory.Inventory inv = HostInventory.read(Path.of("/"));
    Path state = config.data().resolve("inventory.state");
    Set<String> before = new LinkedHashSet<>();
    String packagesBefore = "";
    if (Files.exists(state)) {
      List<String> lines = Files.readAllLines(state, StandardCharsets.UTF_8);
      if (!lines.isEmpty()) {
        packagesBefore = lines.get(0);
        before.addAll(lines.subList(1, lines.size()));
      }
    }
    String packages = inv.packageDb() == null ? null : Files.readString(inv.packageDb());
    List<String> items = new ArrayList<>(AgentEvents.items(inv));
    if (packages != null) {
      items.addAll(AgentEvents.packageItems(inv.packageFormat(), packages));
    }
    Set<String> now = new LinkedHashSet<>(items);
    List<String> added = items.stream().filter(x -> !before.contains(x)).toList();
    List<String> removed = before.stream().filter(x -> !now.contains(x)).toList();
    String digest = packages == null ? "" : sha256(packages);
    boolean packagesChanged = !digest.equals(packagesBefore);
    if (before.isEmpty() || !added.isEmpty() || !removed.isEmpty() || packagesChanged) {
      record(AgentEvents.inventory(inv, added, removed, packagesChanged ? packages : null));
      List<String> out = new ArrayList<>();
      out.add(digest);
      out.addAll(now);
      DurableFiles.writeAtomically(
          state, (String.join("\n", out) + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  private void sca() throws Exception {
    Sca.Policy p = config.scaPolicy() == null ? Sca.debian12() : Sca.read(config.scaPolicy());
    for (Sca.Result r : Sca.run(p, Path.of("/"))) {
      record(AgentEvents.sca(host, p.id(), r));
    }
  }

  /** What heartbeats report, also for the CLI's status line. */
  public Map<String, Object> status() throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", VERSION);
    m.put("host", host);
    m.put("uptime_s", (System.currentTimeMillis() - started) / 1000);
    m.put("wal_bytes", wal.bytes());
    m.put("wal_max_bytes", config.wal().maxBytes());
    m.put("wal_fill", Math.min(1.0, (double) wal.bytes() / config.wal().maxBytes()));
    m.put("wal_when_full", config.wal().whenFull().name().toLowerCase(java.util.Locale.ROOT));
    m.put("wal_refused", wal.refused() + refused.get());
    m.put("wal_dropped", wal.dropped());
    m.put("records", records.get());
    m.put("sent", sender.sent.get());
    m.put("send_failures", sender.failures.get());
    m.put("last_error", sender.lastError);
    m.put("watch_mode", watcher == null ? "off" : watcher.mode());
    m.put("fim_deferred", watcher == null ? 0 : watcher.deferred());
    m.put("fim_rate_limited", watcher == null ? 0 : watcher.rateLimited.get());
    m.put("logs_paused", logsPaused);
    m.put("cpu", cpu());
    m.put("rss_mb", rssMb());
    try {
      m.put("cert_expires", renewal.expires().toString());
    } catch (GeneralSecurityException e) {
      m.put("cert_expires", null);
    }
    m.put("cert_renewal_error", renewal.lastError());
    return m;
  }

  private void heartbeats() {
    while (!stopping.get()) {
      try {
        if (renewal.renewIfDue()) {
          say.accept("certificate renewed for " + renewal.identity().agentId());
        }
        Map<String, Object> answer = link.heartbeat(status());
        if (answer.get("commands") instanceof List<?> commands) {
          for (Object c : commands) {
            if (c instanceof Map<?, ?> m) {
              responder.handle(
                  new Protocol.Envelope(
                      String.valueOf(m.get("payload")), String.valueOf(m.get("signature"))));
            }
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (IOException e) {
        heartbeatsFailed.incrementAndGet();
        if (e instanceof ServerLink.Refused r && r.status == 403) {
          reloadIdentity();
        }
      }
      try {
        Thread.sleep(config.heartbeatEvery().toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  // the server refuses our certificate: renewed by hand (rampart agent renew) since we loaded it?
  private void reloadIdentity() {
    try {
      if (renewal.reloadIfChanged()) {
        say.accept("took the renewed certificate from " + config.data());
      }
    } catch (IOException | GeneralSecurityException e) {
      say.accept("identity: " + e.getMessage());
    }
  }

  /** A task that may fail; failures are said, and the next run comes anyway. */
  private interface Task {
    void run() throws Exception;
  }

  private void every(long millis, Task t) {
    while (!stopping.get()) {
      try {
        t.run();
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        say.accept(e.getClass().getSimpleName() + ": " + e.getMessage());
      }
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void thread(String name, Runnable r) {
    threads.add(Thread.ofPlatform().name("agent-" + name).daemon().start(r));
  }

  private static double cpu() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      double l = os.getProcessCpuLoad();
      return l < 0 ? 0 : Math.round(l * 1000) / 10.0; // percent of the machine
    }
    return 0;
  }

  /** Resident memory from /proc/self/status, or -1 where there is none. */
  static double rssMb() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (l.startsWith("VmRSS:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux
    }
    return -1;
  }

  /** This host's name (the kernel's), as agent records carry it. */
  public static String hostname() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    } catch (IOException e) {
      try {
        return java.net.InetAddress.getLocalHost().getHostName();
      } catch (IOException e2) {
        return "localhost";
      }
    }
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public AgentWal wal() {
    return wal;
  }

  public Sender sender() {
    return sender;
  }

  public void awaitStop() throws InterruptedException {
    for (Thread t : threads) {
      t.join();
    }
  }

  @Override
  public void close() throws IOException {
    stopping.set(true);
    threads.forEach(Thread::interrupt);
    for (Thread t : threads) {
      try {
        t.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    closeTails();
    pipelines.forEach(
        p -> {
          try {
            p.close();
          } catch (IOException e) {
            say.accept("pipeline: " + e.getMessage());
          }
        });
    if (journal != null) {
      journal.close();
    }
    if (watcher != null) {
      watcher.close();
    }
    responder.close();
    wal.close();
  }
}
