package dev.rampart.server.vuln;

import dev.rampart.cases.db.Db;
import dev.rampart.cases.incident.CaseException;
import dev.rampart.vuln.netscan.Banners;
import dev.rampart.vuln.netscan.NetScan;
import dev.rampart.vuln.track.VulnStore;
import java.io.Closeable;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Network scans run by the server: the jobs of the config's {@code vulnerabilities.scans} section
 * on their schedule, and scans asked for through the API. Every target must lie in the allowed
 * networks (loopback, plus what the config allows), checked before anything is queued; scans run
 * one at a time on their own thread, paced and bounded as the config says, and their issues become
 * the asset's network findings ({@link VulnStore#importScan}: what a later scan no longer sees is
 * fixed), with the advisories that affect what a banner claims ({@link Banners}: Debian's OpenSSH
 * names its package revision) by the registered feeds. Each run is logged in the case database with
 * who asked, and audited.
 */
public final class NetworkScans implements Closeable {
  /** A scheduled scan: the asset its findings belong to, the target, how often. */
  public record Job(String asset, String target, Duration every) {}

  /**
   * The {@code vulnerabilities.scans} section.
   *
   * @param allow networks (CIDR) the server may scan besides loopback
   * @param rate connections per second
   * @param maxTime a scan stops after this long, saying so
   */
  public record Policy(List<String> allow, int rate, Duration maxTime, List<Job> jobs) {
    public static final Policy DEFAULTS =
        new Policy(List.of(), 200, Duration.ofMinutes(5), List.of());

    /** The scanner's options: loopback and the allowed networks. */
    public NetScan.Options options() {
      List<String> all = new ArrayList<>(NetScan.Options.DEFAULTS.allowed());
      all.addAll(allow);
      NetScan.Options d = NetScan.Options.DEFAULTS;
      return new NetScan.Options(
          all, d.connectTimeout(), d.bannerWait(), d.concurrency(), rate, maxTime);
    }
  }

  /**
   * One run: {@code status} is queued, running, done, incomplete (stopped at the time limit),
   * failed or interrupted (the server stopped); {@code detail} says what went wrong.
   */
  public record Run(
      String id,
      String asset,
      String target,
      String requestedBy,
      long requestedAt,
      Long startedAt,
      Long finishedAt,
      String status,
      int probed,
      int openPorts,
      int issues,
      int opened,
      int fixed,
      String detail) {}

  /** Who scheduled runs are recorded as. */
  public static final String SCHEDULE = "schedule";

  /** Scans waiting at most: more are refused (a busy scanner is not a queue without end). */
  public static final int MAX_WAITING = 16;

  private static final String COLUMNS =
      "id, asset, target, requested_by, requested_at, started_at, finished_at, status, probed,"
          + " open_ports, issues, opened, fixed, detail";

  private final Db db;
  private final VulnService vuln;
  private final Policy policy;
  private final Consumer<String> say;
  private final ExecutorService runner =
      Executors.newSingleThreadExecutor(Thread.ofVirtual().name("vuln-scan").factory());
  private final Thread scheduler;
  private final java.util.concurrent.atomic.AtomicInteger waiting =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile boolean stopping;

  public NetworkScans(Db db, VulnService vuln, Policy policy, Consumer<String> say)
      throws CaseException {
    this.db = db;
    this.vuln = vuln;
    this.policy = policy;
    this.say = say;
    db.migrate("classpath:db/scans", "flyway_scans_history");
    // runs the last server left unfinished will not finish
    db.tx(
        c ->
            Db.update(
                c,
                "UPDATE vuln_scans SET status = 'interrupted', finished_at = ?,"
                    + " detail = 'the server stopped before the scan finished'"
                    + " WHERE status IN ('queued', 'running')",
                db.now()));
    this.scheduler =
        policy.jobs().isEmpty()
            ? null
            : Thread.ofVirtual().name("vuln-scan-schedule").start(this::schedule);
  }

  public Policy policy() {
    return policy;
  }

  /**
   * Queues a scan of {@code target} for {@code asset}, asked by {@code actor}.
   *
   * @throws CaseException INVALID when the target cannot be read or lies outside the allowed
   *     networks (nothing is sent then); CONFLICT when {@link #MAX_WAITING} scans already wait
   */
  public Run submit(String asset, String target, String actor) throws CaseException {
    if (asset == null || asset.isBlank() || asset.length() > 200) {
      throw new CaseException(CaseException.Kind.INVALID, "asset: a name of 1 to 200 characters");
    }
    NetScan.Options o = policy.options();
    NetScan.Targets t;
    try {
      t = NetScan.targets(target == null ? "" : target, o);
    } catch (NetScan.Refused e) {
      throw new CaseException(
          CaseException.Kind.INVALID,
          "target: "
              + e.getMessage()
              + " (the server scans loopback and the networks in vulnerabilities.scans.allow)");
    }
    if (waiting.incrementAndGet() > MAX_WAITING) {
      waiting.decrementAndGet();
      throw new CaseException(
          CaseException.Kind.CONFLICT,
          MAX_WAITING
              + " scans are waiting already; ask again when they have run (GET"
              + " /api/vuln/scans)");
    }
    String id = "scan-" + Db.newId().substring(0, 12);
    long now = db.now();
    try {
      db.tx(
          c -> {
            Db.update(
                c,
                "INSERT INTO vuln_scans ("
                    + COLUMNS
                    + ") VALUES (?,?,?,?,?,NULL,NULL,'queued',0,0,0,0,0,NULL)",
                id,
                asset,
                target,
                actor,
                now);
            db.audit(
                c,
                actor,
                "vuln.scan",
                id,
                asset
                    + " "
                    + target
                    + " ("
                    + t.addresses().size()
                    + " addresses x "
                    + t.ports().size()
                    + " ports)");
            return null;
          });
    } catch (CaseException | RuntimeException e) {
      waiting.decrementAndGet();
      throw e;
    }
    runner.submit(
        () -> {
          waiting.decrementAndGet();
          run(id, asset, target, t, o);
        });
    return find(id);
  }

  private void run(String id, String asset, String target, NetScan.Targets t, NetScan.Options o) {
    try {
      db.tx(
          c ->
              Db.update(
                  c,
                  "UPDATE vuln_scans SET status = 'running', started_at = ? WHERE id = ?",
                  db.now(),
                  id));
      NetScan.Result r = NetScan.scan(t, o);
      List<Banners.Matched> banners = banners(id, asset, r);
      VulnStore.ImportResult ir =
          vuln.store().importScan(asset, r.issues(), banners, target, "scan " + id);
      db.tx(
          c ->
              Db.update(
                  c,
                  "UPDATE vuln_scans SET status = ?, finished_at = ?, probed = ?, open_ports = ?,"
                      + " issues = ?, opened = ?, fixed = ?, detail = ? WHERE id = ?",
                  r.complete() ? "done" : "incomplete",
                  db.now(),
                  r.probed(),
                  r.services().size(),
                  r.issues().size() + banners.size(),
                  ir.opened() + ir.reopened(),
                  ir.fixed(),
                  r.complete()
                      ? null
                      : "stopped after " + o.maxTime() + ": not every port was tried",
                  id));
    } catch (InterruptedException e) {
      finish(id, "interrupted", "the server stopped before the scan finished");
    } catch (CaseException | RuntimeException e) {
      say.accept("scan " + id + " of " + target + " failed: " + e.getMessage());
      finish(id, "failed", e.getMessage());
    }
  }

  // what the services' banners claim, matched by the registered feeds; none when they cannot load
  private List<Banners.Matched> banners(String id, String asset, NetScan.Result r)
      throws CaseException {
    try {
      return Banners.match(asset, r.services(), vuln.advisories());
    } catch (java.io.IOException e) {
      say.accept(
          "scan " + id + ": banners not matched, the feeds cannot be read: " + e.getMessage());
      return List.of();
    }
  }

  private void finish(String id, String status, String detail) {
    try {
      db.tx(
          c ->
              Db.update(
                  c,
                  "UPDATE vuln_scans SET status = ?, finished_at = ?, detail = ? WHERE id = ?",
                  status,
                  db.now(),
                  detail,
                  id));
    } catch (CaseException | RuntimeException e) {
      say.accept("scan " + id + ": " + e.getMessage());
    }
  }

  /** The run {@code id}, or null. */
  public Run find(String id) throws CaseException {
    return db.tx(
        c -> {
          List<Run> r =
              Db.query(
                  c, "SELECT " + COLUMNS + " FROM vuln_scans WHERE id = ?", NetworkScans::row, id);
          return r.isEmpty() ? null : r.get(0);
        });
  }

  /** The latest runs, newest first. */
  public List<Run> list(int limit) throws CaseException {
    return db.tx(
        c ->
            Db.query(
                c,
                "SELECT "
                    + COLUMNS
                    + " FROM vuln_scans ORDER BY requested_at DESC, id DESC LIMIT ?",
                NetworkScans::row,
                limit));
  }

  /** Queues each job whose last run is older than its interval (or that never ran). */
  public void runDueJobs() throws CaseException {
    long now = db.now();
    for (Job j : policy.jobs()) {
      Long last =
          db.tx(
              c -> {
                List<Long> l =
                    Db.query(
                        c,
                        "SELECT MAX(requested_at) FROM vuln_scans WHERE asset = ? AND target = ?",
                        r -> Db.nullableLong(r, 1),
                        j.asset(),
                        j.target());
                return l.isEmpty() ? null : l.get(0);
              });
      if (last == null || now - last >= j.every().toMillis()) {
        submit(j.asset(), j.target(), SCHEDULE);
      }
    }
  }

  private void schedule() {
    while (!stopping) {
      try {
        runDueJobs();
        Thread.sleep(30_000);
      } catch (InterruptedException e) {
        return;
      } catch (CaseException | RuntimeException e) {
        say.accept("scheduled scans: " + e.getMessage());
        try {
          Thread.sleep(30_000);
        } catch (InterruptedException stop) {
          return;
        }
      }
    }
  }

  private static Run row(ResultSet r) throws SQLException {
    return new Run(
        r.getString(1),
        r.getString(2),
        r.getString(3),
        r.getString(4),
        r.getLong(5),
        Db.nullableLong(r, 6),
        Db.nullableLong(r, 7),
        r.getString(8),
        r.getInt(9),
        r.getInt(10),
        r.getInt(11),
        r.getInt(12),
        r.getInt(13),
        r.getString(14));
  }

  @Override
  public void close() {
    stopping = true;
    if (scheduler != null) {
      scheduler.interrupt();
    }
    runner.shutdownNow();
  }
}
