package dev.rampart.vuln.track;

import dev.rampart.cases.db.Db;
import dev.rampart.cases.incident.CaseException;
import dev.rampart.vuln.advisory.Advisories;
import dev.rampart.vuln.advisory.Advisory;
import dev.rampart.vuln.inventory.Inventory;
import dev.rampart.vuln.inventory.Package;
import dev.rampart.vuln.match.Finding;
import dev.rampart.vuln.match.VulnDb;
import dev.rampart.vuln.priority.Kev;
import dev.rampart.vuln.priority.Priority;
import dev.rampart.vuln.version.Ecosystem;
import dev.rampart.vuln.vex.Vex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Assets, their inventories and their findings over time, in the case database (SQLite or
 * PostgreSQL). Importing an inventory matches it, opens findings that are new, keeps those still
 * there, and closes as fixed those a later inventory no longer shows (the package upgraded past the
 * fix, or removed); a finding that comes back is reopened. Every finding has a deadline from the
 * {@link SlaPolicy} (or KEV's due date) set when it opened. Exceptions (accepted risk, with owner,
 * reason and expiry) and VEX statements do not close findings: they mark them suppressed, so the
 * record of exposure stays whole.
 */
public final class VulnStore {
  private final Db db;
  private volatile SlaPolicy sla = SlaPolicy.DEFAULTS;
  private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();

  private VulnStore(Db db) {
    this.db = db;
  }

  /** The store on a case database, its tables migrated. */
  public static VulnStore open(Db db) {
    db.migrate("classpath:db/vuln", "flyway_vuln_history");
    return new VulnStore(db);
  }

  public Db db() {
    return db;
  }

  /** The deadlines of findings opened from now on. */
  public void sla(SlaPolicy policy) {
    this.sla = policy;
  }

  public SlaPolicy sla() {
    return sla;
  }

  /** Findings opened or reopened by an import, after it committed (alert policies listen). */
  public record Change(String kind, FindingRow finding, Asset asset) {}

  public void onChange(Consumer<Change> listener) {
    listeners.add(listener);
  }

  // ---------------------------------------------------------------- values

  /** An asset and its latest inventory. */
  public record Asset(
      String name,
      String distro,
      boolean internetFacing,
      String criticality,
      int packages,
      String source,
      long firstSeen,
      long inventoryAt) {}

  /**
   * How an inventory is recorded.
   *
   * @param at when the inventory was taken (null: now); importing older inventories in order
   *     rebuilds a history
   * @param source where it came from (the file), for the record
   */
  public record ImportOptions(
      String distro, boolean internetFacing, String criticality, Instant at, String source) {
    public static final ImportOptions DEFAULT =
        new ImportOptions(null, false, "medium", null, null);
  }

  /** What an import changed. */
  public record ImportResult(
      String asset, int packages, int opened, int reopened, int stillOpen, int fixed) {}

  /** A finding as stored, with what suppresses it (exception or VEX), if anything. */
  public record FindingRow(
      String id,
      String asset,
      String packageName,
      String ecosystem,
      String purl,
      String version,
      String advisory,
      List<String> aliases,
      String source,
      String fixedVersion,
      String explanation,
      String severity,
      Double cvss,
      String cvssVector,
      boolean kev,
      String kevDue,
      String status,
      long firstSeen,
      long lastSeen,
      long dueAt,
      Long fixedAt,
      int reopened,
      String suppressedBy) {
    public boolean overdue(long now) {
      return status.equals("open") && suppressedBy == null && dueAt < now;
    }
  }

  /**
   * Which findings to list.
   *
   * @param minSeverity at least this severity (unknown counts as medium); null for all
   * @param status open, fixed or all
   */
  public record Filter(
      String asset,
      String minSeverity,
      boolean kevOnly,
      String status,
      boolean overdueOnly,
      boolean withSuppressed,
      int limit) {
    public static final Filter OPEN = new Filter(null, null, false, "open", false, false, 10_000);
  }

  /** An accepted risk. */
  public record ExceptionRow(
      String id,
      String advisory,
      String asset,
      String packageName,
      String owner,
      String reason,
      long expiresAt,
      String createdBy,
      long createdAt) {}

  /** A registered advisory feed. */
  public record Feed(
      String path,
      String kind,
      int advisories,
      int problems,
      String newest,
      long loadedAt,
      String addedBy) {}

  /** Remediation per severity: open, overdue, fixed, mean time to remediate. */
  public record SlaRow(
      String severity, int open, int overdue, int fixed, Double mttrDays, double slaDays) {}

  /** Open findings per severity at the end of a day ({@code yyyy-mm-dd}, UTC). */
  public record TrendPoint(String day, Map<String, Integer> open) {}

  static final List<String> SEVERITIES =
      List.of("critical", "high", "medium", "low", "none", "unknown");

  /** A severity's rank for "at least": critical 4 ... low 1, none 0; unknown counts as medium. */
  public static int rank(String severity) {
    return switch (severity) {
      case "critical" -> 4;
      case "high" -> 3;
      case "medium", "unknown" -> 2;
      case "low" -> 1;
      default -> 0;
    };
  }

  // ---------------------------------------------------------------- imports

  /** Records an asset's inventory and brings its findings up to date. */
  public ImportResult importInventory(
      Inventory inv, ImportOptions o, VulnDb advisories, String actor) throws CaseException {
    if (inv.asset() == null || inv.asset().isBlank()) {
      throw new CaseException(CaseException.Kind.INVALID, "an inventory needs an asset name");
    }
    List<Finding> found = advisories.match(inv).findings();
    long at = o.at() != null ? o.at().toEpochMilli() : db.now();
    List<Change> changes = new ArrayList<>();
    ImportResult r =
        db.tx(
            c -> {
              Asset before = asset(c, inv.asset());
              long first = before == null ? at : Math.min(before.firstSeen(), at);
              Db.update(c, "DELETE FROM vuln_packages WHERE asset = ?", inv.asset());
              if (before == null) {
                Db.update(
                    c,
                    "INSERT INTO vuln_assets(name, distro, internet_facing, criticality, packages,"
                        + " inventory_source, first_seen, inventory_at) VALUES (?,?,?,?,?,?,?,?)",
                    inv.asset(),
                    o.distro(),
                    o.internetFacing() ? 1 : 0,
                    o.criticality(),
                    inv.packages().size(),
                    o.source(),
                    first,
                    at);
              } else {
                Db.update(
                    c,
                    "UPDATE vuln_assets SET distro = ?, internet_facing = ?, criticality = ?,"
                        + " packages = ?, inventory_source = ?, first_seen = ?, inventory_at = ?"
                        + " WHERE name = ?",
                    o.distro() != null ? o.distro() : before.distro(),
                    o.internetFacing() || before.internetFacing() ? 1 : 0,
                    o.criticality(),
                    inv.packages().size(),
                    o.source(),
                    first,
                    at,
                    inv.asset());
              }
              Map<String, Package> seen = new LinkedHashMap<>();
              for (Package p : inv.packages()) {
                seen.putIfAbsent(p.purl(), p);
              }
              for (Package p : seen.values()) {
                Db.update(
                    c,
                    "INSERT INTO vuln_packages(asset, purl, name, version, ecosystem, source_name,"
                        + " source_version, distro) VALUES (?,?,?,?,?,?,?,?)",
                    inv.asset(),
                    p.purl(),
                    p.name(),
                    p.version(),
                    p.ecosystem().name(),
                    p.sourceName(),
                    p.sourceVersion(),
                    p.distro());
              }
              ImportResult out = apply(c, inv.asset(), observed(found), at, changes, false);
              db.audit(
                  c,
                  actor,
                  "vuln.inventory",
                  inv.asset(),
                  inv.packages().size()
                      + " packages from "
                      + (o.source() == null ? "(unnamed)" : o.source())
                      + "; opened "
                      + out.opened()
                      + ", reopened "
                      + out.reopened()
                      + ", fixed "
                      + out.fixed());
              return out;
            });
    notify(changes);
    return r;
  }

  /**
   * Records a network scan of an asset: its issues become findings (ecosystem {@code NETWORK},
   * package {@code tcp/PORT}); issues a later scan no longer sees are fixed. A scan never touches
   * the asset's package findings, nor an inventory its network findings.
   */
  public ImportResult importScan(
      String asset,
      List<dev.rampart.vuln.netscan.NetScan.Issue> issues,
      String target,
      String actor)
      throws CaseException {
    return importScan(asset, issues, List.of(), target, actor);
  }

  /**
   * {@link #importScan(String, List, String, String)} with the advisories that affect what the
   * services' banners claim ({@link dev.rampart.vuln.netscan.Banners}): network findings too (the
   * port's), with the advisory's own id, aliases, CVSS and KEV, fixed when a later scan's banner no
   * longer claims an affected version.
   */
  public ImportResult importScan(
      String asset,
      List<dev.rampart.vuln.netscan.NetScan.Issue> issues,
      List<dev.rampart.vuln.netscan.Banners.Matched> banners,
      String target,
      String actor)
      throws CaseException {
    long at = db.now();
    List<Observed> found = new ArrayList<>();
    for (dev.rampart.vuln.netscan.Banners.Matched m : banners) {
      var c = m.claim();
      found.add(
          new Observed(
              NETWORK,
              "tcp/" + c.port(),
              c.address(),
              "tcp://"
                  + (c.address().contains(":") ? "[" + c.address() + "]" : c.address())
                  + ":"
                  + c.port(),
              false,
              m.finding().advisory().id(),
              m.finding().advisory().aliases(),
              "rampart-netscan banner",
              m.finding().fixedVersion(),
              "the banner '"
                  + c.banner()
                  + "' claims "
                  + c.pkg().name()
                  + " "
                  + c.pkg().version()
                  + " ("
                  + c.pkg().distro()
                  + "): "
                  + m.finding().explanation()
                  + "; a banner can be changed, an inventory from the host decides",
              m.finding().priority()));
    }
    for (dev.rampart.vuln.netscan.NetScan.Issue i : issues) {
      found.add(
          new Observed(
              NETWORK,
              "tcp/" + i.port(),
              i.address(),
              "tcp://"
                  + (i.address().contains(":") ? "[" + i.address() + "]" : i.address())
                  + ":"
                  + i.port(),
              false,
              i.id(),
              List.of(),
              "rampart-netscan",
              null,
              i.title() + ": " + i.detail(),
              new Priority(null, null, i.severity(), null)));
    }
    List<Change> changes = new ArrayList<>();
    ImportResult r =
        db.tx(
            c -> {
              if (asset(c, asset) == null) {
                Db.update(
                    c,
                    "INSERT INTO vuln_assets(name, distro, internet_facing, criticality, packages,"
                        + " inventory_source, first_seen, inventory_at) VALUES (?,?,0,'medium',0,?,?,?)",
                    asset,
                    null,
                    "scan " + target,
                    at,
                    at);
              }
              ImportResult out = apply(c, asset, found, at, changes, true);
              db.audit(
                  c,
                  actor,
                  "vuln.scan",
                  asset,
                  "scanned "
                      + target
                      + ": "
                      + issues.size()
                      + " issues; opened "
                      + out.opened()
                      + ", fixed "
                      + out.fixed());
              return out;
            });
    notify(changes);
    return r;
  }

  /**
   * Re-matches every asset's stored inventory against the advisories (after a feed update):
   * findings the new data adds open, those it withdraws close.
   */
  public List<ImportResult> rematch(VulnDb advisories, String actor) throws CaseException {
    List<ImportResult> out = new ArrayList<>();
    for (Asset a : assets()) {
      Inventory inv = storedInventory(a.name());
      List<Finding> found = advisories.match(inv).findings();
      List<Change> changes = new ArrayList<>();
      out.add(
          db.tx(
              c -> {
                ImportResult r = apply(c, a.name(), observed(found), db.now(), changes, false);
                if (r.opened() + r.reopened() + r.fixed() > 0) {
                  db.audit(
                      c,
                      actor,
                      "vuln.rematch",
                      a.name(),
                      "opened "
                          + r.opened()
                          + ", reopened "
                          + r.reopened()
                          + ", fixed "
                          + r.fixed());
                }
                return r;
              }));
      notify(changes);
    }
    return out;
  }

  private void notify(List<Change> changes) {
    for (Change ch : changes) {
      for (Consumer<Change> l : listeners) {
        l.accept(ch);
      }
    }
  }

  /**
   * What a source saw on an asset: a package finding from matching, or a network finding from a
   * scan. {@code versioned}: the version is part of the finding's identity.
   */
  record Observed(
      String ecosystem,
      String name,
      String version,
      String purl,
      boolean versioned,
      String advisory,
      List<String> aliases,
      String source,
      String fixedVersion,
      String explanation,
      Priority priority) {
    static Observed of(Finding f) {
      Ecosystem e = f.pkg().ecosystem();
      boolean distro =
          e == Ecosystem.DEBIAN
              || e == Ecosystem.UBUNTU
              || e == Ecosystem.ALPINE
              || e == Ecosystem.RPM;
      return new Observed(
          e.name(),
          f.pkg().name(),
          f.pkg().version(),
          f.pkg().purl(),
          !distro,
          f.advisory().id(),
          f.advisory().aliases(),
          f.advisory().source(),
          f.fixedVersion(),
          f.explanation(),
          f.priority());
    }
  }

  /** The ecosystem network findings are stored under. */
  public static final String NETWORK = "NETWORK";

  private static List<Observed> observed(List<Finding> found) {
    List<Observed> out = new ArrayList<>(found.size());
    for (Finding f : found) {
      out.add(Observed.of(f));
    }
    return out;
  }

  /**
   * Brings an asset's findings of one kind up to date: what {@code found} holds opens (or stays, or
   * reopens); what it does not hold, among the open findings {@code network} says are of the same
   * kind, is fixed. An inventory never closes a scan's findings, nor a scan an inventory's.
   */
  private ImportResult apply(
      Connection c,
      String asset,
      List<Observed> found,
      long at,
      List<Change> changes,
      boolean network)
      throws SQLException {
    Map<String, FindingRow> existing = new HashMap<>();
    for (FindingRow f :
        Db.query(
            c,
            "SELECT " + COLUMNS + " FROM vuln_findings WHERE asset = ?",
            VulnStore::row,
            asset)) {
      if (f.ecosystem().equals(NETWORK) == network) {
        existing.put(f.id(), f);
      }
    }
    Asset a = asset(c, asset);
    Map<String, Observed> now = new LinkedHashMap<>();
    for (Observed f : found) {
      now.putIfAbsent(id(asset, f), f);
    }
    int opened = 0;
    int reopened = 0;
    int still = 0;
    int fixed = 0;
    for (Map.Entry<String, Observed> e : now.entrySet()) {
      Observed f = e.getValue();
      FindingRow old = existing.get(e.getKey());
      Priority p = f.priority();
      String kevDue =
          p.kev() == null || p.kev().dueDate() == null ? null : p.kev().dueDate().toString();
      if (old == null) {
        Db.update(
            c,
            "INSERT INTO vuln_findings(id, asset, package, ecosystem, purl, version, advisory,"
                + " aliases, source, fixed_version, explanation, severity, cvss, cvss_vector, kev,"
                + " kev_due, status, first_seen, last_seen, due_at, fixed_at, reopened)"
                + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'open',?,?,?,?,0)",
            e.getKey(),
            asset,
            f.name(),
            f.ecosystem(),
            f.purl(),
            f.version(),
            f.advisory(),
            String.join(" ", f.aliases()),
            f.source(),
            f.fixedVersion(),
            f.explanation(),
            p.severity(),
            p.score() == null ? Db.Null.DOUBLE : p.score(),
            p.vector(),
            p.kev() != null ? 1 : 0,
            kevDue,
            at,
            at,
            sla.due(p.severity(), at, p.kev() == null ? null : p.kev().dueDate()),
            Db.Null.BIGINT);
        opened++;
        changes.add(new Change("opened", rowById(c, e.getKey()), a));
      } else if (old.status().equals("fixed")) {
        Db.update(
            c,
            "UPDATE vuln_findings SET status = 'open', fixed_at = ?, version = ?, purl = ?,"
                + " explanation = ?, last_seen = ?, reopened = reopened + 1, due_at = ?"
                + " WHERE id = ?",
            Db.Null.BIGINT,
            f.version(),
            f.purl(),
            f.explanation(),
            at,
            sla.due(p.severity(), at, p.kev() == null ? null : p.kev().dueDate()),
            e.getKey());
        reopened++;
        changes.add(new Change("reopened", rowById(c, e.getKey()), a));
      } else {
        Db.update(
            c,
            "UPDATE vuln_findings SET version = ?, purl = ?, explanation = ?, fixed_version = ?,"
                + " last_seen = ?, severity = ?, cvss = ?, cvss_vector = ?, kev = ?, kev_due = ?"
                + " WHERE id = ?",
            f.version(),
            f.purl(),
            f.explanation(),
            f.fixedVersion(),
            Math.max(at, old.lastSeen()),
            p.severity(),
            p.score() == null ? Db.Null.DOUBLE : p.score(),
            p.vector(),
            p.kev() != null ? 1 : 0,
            kevDue,
            e.getKey());
        still++;
      }
    }
    for (FindingRow old : existing.values()) {
      if (old.status().equals("open") && !now.containsKey(old.id())) {
        Db.update(
            c,
            "UPDATE vuln_findings SET status = 'fixed', fixed_at = ? WHERE id = ?",
            Math.max(at, old.firstSeen()),
            old.id());
        fixed++;
      }
    }
    return new ImportResult(asset, a == null ? 0 : a.packages(), opened, reopened, still, fixed);
  }

  // A finding is the same while the asset, the package (by ecosystem and name) and the advisory
  // are: an upgrade of a distribution package that is still affected does not make a new finding.
  // Language packages can be installed in several versions at once (an npm tree), so theirs
  // includes the version.
  static String id(String asset, Observed f) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(
          (asset
                  + '\n'
                  + f.ecosystem()
                  + '\n'
                  + f.name()
                  + (f.versioned() ? "@" + f.version() : "")
                  + '\n'
                  + f.source()
                  + '\n'
                  + f.advisory())
              .getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(md.digest(), 0, 16);
    } catch (NoSuchAlgorithmException x) {
      throw new IllegalStateException(x);
    }
  }

  /** An asset's stored inventory, as imported last. */
  public Inventory storedInventory(String asset) throws CaseException {
    List<Package> ps =
        db.tx(
            c ->
                Db.query(
                    c,
                    "SELECT name, version, ecosystem, purl, source_name, source_version, distro"
                        + " FROM vuln_packages WHERE asset = ? ORDER BY purl",
                    r ->
                        new Package(
                            r.getString(1),
                            r.getString(2),
                            Ecosystem.valueOf(r.getString(3)),
                            r.getString(4),
                            r.getString(5),
                            r.getString(6),
                            r.getString(7)),
                    asset));
    return new Inventory(asset, ps, List.of());
  }

  // ---------------------------------------------------------------- queries

  private static final String COLUMNS =
      "id, asset, package, ecosystem, purl, version, advisory, aliases, source, fixed_version,"
          + " explanation, severity, cvss, cvss_vector, kev, kev_due, status, first_seen,"
          + " last_seen, due_at, fixed_at, reopened";

  private static FindingRow row(ResultSet r) throws SQLException {
    double cvss = r.getDouble(13);
    Double score = r.wasNull() ? null : cvss;
    String aliases = r.getString(8);
    return new FindingRow(
        r.getString(1),
        r.getString(2),
        r.getString(3),
        r.getString(4),
        r.getString(5),
        r.getString(6),
        r.getString(7),
        aliases.isEmpty() ? List.of() : List.of(aliases.split(" ")),
        r.getString(9),
        r.getString(10),
        r.getString(11),
        r.getString(12),
        score,
        r.getString(14),
        r.getInt(15) == 1,
        r.getString(16),
        r.getString(17),
        r.getLong(18),
        r.getLong(19),
        r.getLong(20),
        Db.nullableLong(r, 21),
        r.getInt(22),
        null);
  }

  private static FindingRow rowById(Connection c, String id) throws SQLException {
    return Db.query(c, "SELECT " + COLUMNS + " FROM vuln_findings WHERE id = ?", VulnStore::row, id)
        .get(0);
  }

  private static Asset asset(Connection c, String name) throws SQLException {
    List<Asset> l =
        Db.query(
            c,
            "SELECT name, distro, internet_facing, criticality, packages, inventory_source,"
                + " first_seen, inventory_at FROM vuln_assets WHERE name = ?",
            VulnStore::assetRow,
            name);
    return l.isEmpty() ? null : l.get(0);
  }

  private static Asset assetRow(ResultSet r) throws SQLException {
    return new Asset(
        r.getString(1),
        r.getString(2),
        r.getInt(3) == 1,
        r.getString(4),
        r.getInt(5),
        r.getString(6),
        r.getLong(7),
        r.getLong(8));
  }

  public List<Asset> assets() throws CaseException {
    return db.tx(
        c ->
            Db.query(
                c,
                "SELECT name, distro, internet_facing, criticality, packages, inventory_source,"
                    + " first_seen, inventory_at FROM vuln_assets ORDER BY name",
                VulnStore::assetRow));
  }

  /** Findings by the filter, most urgent first (KEV, then score), with their suppression. */
  public List<FindingRow> findings(Filter f) throws CaseException {
    long now = db.now();
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM vuln_findings WHERE 1=1");
    List<Object> args = new ArrayList<>();
    if (f.asset() != null) {
      sql.append(" AND asset = ?");
      args.add(f.asset());
    }
    if (!f.status().equals("all")) {
      sql.append(" AND status = ?");
      args.add(f.status());
    }
    if (f.kevOnly()) {
      sql.append(" AND kev = 1");
    }
    if (f.minSeverity() != null) {
      List<String> at = SEVERITIES.stream().filter(x -> rank(x) >= rank(f.minSeverity())).toList();
      sql.append(" AND severity IN (").append("?,".repeat(at.size() - 1)).append("?)");
      args.addAll(at);
    }
    if (f.overdueOnly()) {
      sql.append(" AND status = 'open' AND due_at < ?");
      args.add(now);
    }
    // the same order on both databases: PostgreSQL sorts NULLs first when descending, SQLite last
    sql.append(
        " ORDER BY kev DESC, COALESCE(cvss, -1) DESC, due_at, asset, package, advisory, id"
            + " LIMIT ? OFFSET ?");
    List<ExceptionRow> exceptions = exceptions();
    List<Vex.Statement> vex = vex();
    List<FindingRow> out = new ArrayList<>();
    // suppression is judged here, not in SQL: read pages until the limit is filled
    int page = (int) Math.min(Math.max(500L, 2L * f.limit()), 50_000L);
    for (long offset = 0; out.size() < f.limit(); offset += page) {
      List<Object> a = new ArrayList<>(args);
      a.add(page);
      a.add(offset);
      List<FindingRow> rows = db.tx(c -> Db.query(c, sql.toString(), VulnStore::row, a.toArray()));
      for (FindingRow r : rows) {
        String why = suppression(r, exceptions, vex, now);
        if (why != null && !f.withSuppressed()) {
          continue;
        }
        out.add(why == null ? r : withSuppression(r, why));
        if (out.size() >= f.limit()) {
          break;
        }
      }
      if (rows.size() < page) {
        break;
      }
    }
    return out;
  }

  private static FindingRow withSuppression(FindingRow r, String why) {
    return new FindingRow(
        r.id(),
        r.asset(),
        r.packageName(),
        r.ecosystem(),
        r.purl(),
        r.version(),
        r.advisory(),
        r.aliases(),
        r.source(),
        r.fixedVersion(),
        r.explanation(),
        r.severity(),
        r.cvss(),
        r.cvssVector(),
        r.kev(),
        r.kevDue(),
        r.status(),
        r.firstSeen(),
        r.lastSeen(),
        r.dueAt(),
        r.fixedAt(),
        r.reopened(),
        why);
  }

  private static boolean names(FindingRow r, String vulnerability) {
    return r.advisory().equalsIgnoreCase(vulnerability)
        || r.aliases().stream().anyMatch(a -> a.equalsIgnoreCase(vulnerability));
  }

  static String suppression(
      FindingRow r, List<ExceptionRow> exceptions, List<Vex.Statement> vex, long now) {
    for (ExceptionRow e : exceptions) {
      if (e.expiresAt() > now
          && names(r, e.advisory())
          && (e.asset() == null || e.asset().equals(r.asset()))
          && (e.packageName() == null || e.packageName().equals(r.packageName()))) {
        return "exception "
            + e.id()
            + " ("
            + e.owner()
            + ": "
            + e.reason()
            + ") until "
            + Instant.ofEpochMilli(e.expiresAt()).atOffset(ZoneOffset.UTC).toLocalDate();
      }
    }
    for (Vex.Statement s : vex) {
      if ((s.state() == Vex.State.NOT_AFFECTED || s.state() == Vex.State.FIXED)
          && names(r, s.vulnerability())
          && Vex.covers(s.product(), r.purl())) {
        return "VEX "
            + s.state().id()
            + (s.justification() == null ? "" : " (" + s.justification() + ")")
            + " for "
            + s.product();
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- exceptions and VEX

  public ExceptionRow addException(
      String advisory,
      String asset,
      String packageName,
      String owner,
      String reason,
      Instant expires,
      String actor)
      throws CaseException {
    if (advisory == null || advisory.isBlank()) {
      throw new CaseException(CaseException.Kind.INVALID, "an exception names an advisory");
    }
    if (owner == null || owner.isBlank() || reason == null || reason.isBlank()) {
      throw new CaseException(
          CaseException.Kind.INVALID, "an exception needs an owner and a reason");
    }
    long now = db.now();
    if (expires == null || expires.toEpochMilli() <= now) {
      throw new CaseException(CaseException.Kind.INVALID, "an exception expires in the future");
    }
    ExceptionRow e =
        new ExceptionRow(
            Db.newId(),
            advisory,
            asset,
            packageName,
            owner,
            reason,
            expires.toEpochMilli(),
            actor,
            now);
    db.tx(
        c -> {
          Db.update(
              c,
              "INSERT INTO vuln_exceptions(id, advisory, asset, package, owner, reason,"
                  + " expires_at, created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?)",
              e.id(),
              e.advisory(),
              e.asset(),
              e.packageName(),
              e.owner(),
              e.reason(),
              e.expiresAt(),
              e.createdBy(),
              e.createdAt());
          db.audit(
              c,
              actor,
              "vuln.exception",
              advisory,
              "owner "
                  + owner
                  + ", until "
                  + expires
                  + ", asset "
                  + asset
                  + ", package "
                  + packageName
                  + ": "
                  + reason);
          return null;
        });
    return e;
  }

  public List<ExceptionRow> exceptions() throws CaseException {
    return db.tx(
        c ->
            Db.query(
                c,
                "SELECT id, advisory, asset, package, owner, reason, expires_at, created_by,"
                    + " created_at FROM vuln_exceptions ORDER BY created_at",
                r ->
                    new ExceptionRow(
                        r.getString(1),
                        r.getString(2),
                        r.getString(3),
                        r.getString(4),
                        r.getString(5),
                        r.getString(6),
                        r.getLong(7),
                        r.getString(8),
                        r.getLong(9))));
  }

  /** Imports a VEX document's statements; a later statement for the same pair replaces one. */
  public int importVex(Vex.Document d, String document, String actor) throws CaseException {
    long now = db.now();
    return db.tx(
        c -> {
          int n = 0;
          for (Vex.Statement s : d.statements()) {
            Db.update(
                c,
                "DELETE FROM vuln_vex WHERE vulnerability = ? AND product = ?",
                s.vulnerability(),
                s.product());
            Db.update(
                c,
                "INSERT INTO vuln_vex(vulnerability, product, state, justification, document,"
                    + " imported_at) VALUES (?,?,?,?,?,?)",
                s.vulnerability(),
                s.product(),
                s.state().id(),
                s.justification(),
                document,
                now);
            n++;
          }
          db.audit(c, actor, "vuln.vex", document, n + " statements (" + d.format() + ")");
          return n;
        });
  }

  public List<Vex.Statement> vex() throws CaseException {
    return db.tx(
        c ->
            Db.query(
                c,
                "SELECT vulnerability, product, state, justification FROM vuln_vex",
                r ->
                    new Vex.Statement(
                        r.getString(1),
                        r.getString(2),
                        Vex.State.of(r.getString(3)),
                        r.getString(4))));
  }

  // ---------------------------------------------------------------- feeds

  public void recordFeed(Feed f) throws CaseException {
    db.tx(
        c -> {
          Db.update(c, "DELETE FROM vuln_feeds WHERE path = ?", f.path());
          Db.update(
              c,
              "INSERT INTO vuln_feeds(path, kind, advisories, problems, newest, loaded_at,"
                  + " added_by) VALUES (?,?,?,?,?,?,?)",
              f.path(),
              f.kind(),
              f.advisories(),
              f.problems(),
              f.newest(),
              f.loadedAt(),
              f.addedBy());
          db.audit(
              c, f.addedBy(), "vuln.feed", f.path(), f.advisories() + " advisories, " + f.kind());
          return null;
        });
  }

  /** The kind a registered CISA KEV catalog has. */
  public static final String KEV = "cisa-kev";

  /** Whether a feed that holds advisories (not only the KEV catalog) is registered. */
  public boolean hasAdvisories() throws CaseException {
    return feeds().stream().anyMatch(f -> !f.kind().equals(KEV));
  }

  /**
   * Every registered feed read from its path into one database (the KEV catalog flags findings);
   * {@code loaded} hears of each feed with what it held.
   */
  public VulnDb advisories(BiConsumer<Feed, Integer> loaded) throws IOException, CaseException {
    VulnDb db = new VulnDb();
    for (Feed f : feeds()) {
      Path p = Path.of(f.path());
      int n;
      if (f.kind().equals(KEV)) {
        Kev k = Kev.load(p);
        db.kev(k);
        n = k.size();
      } else {
        List<Advisory> a = Advisories.load(p).advisories();
        a.forEach(db::add);
        n = a.size();
      }
      loaded.accept(f, n);
    }
    return db;
  }

  public List<Feed> feeds() throws CaseException {
    return db.tx(
        c ->
            Db.query(
                c,
                "SELECT path, kind, advisories, problems, newest, loaded_at, added_by"
                    + " FROM vuln_feeds ORDER BY path",
                r ->
                    new Feed(
                        r.getString(1),
                        r.getString(2),
                        r.getInt(3),
                        r.getInt(4),
                        r.getString(5),
                        r.getLong(6),
                        r.getString(7))));
  }

  // ---------------------------------------------------------------- patch tracking

  /**
   * Per severity: open (not suppressed), overdue, fixed, and the mean time to remediate (first seen
   * to fixed) in days.
   */
  public List<SlaRow> slaReport() throws CaseException {
    long now = db.now();
    List<FindingRow> all =
        findings(new Filter(null, null, false, "all", false, true, Integer.MAX_VALUE));
    List<SlaRow> out = new ArrayList<>();
    for (String sev : SEVERITIES) {
      int open = 0;
      int overdue = 0;
      int fixed = 0;
      long total = 0;
      for (FindingRow r : all) {
        if (!r.severity().equals(sev)) {
          continue;
        }
        if (r.status().equals("open") && r.suppressedBy() == null) {
          open++;
          if (r.dueAt() < now) {
            overdue++;
          }
        } else if (r.status().equals("fixed") && r.fixedAt() != null) {
          fixed++;
          total += r.fixedAt() - r.firstSeen();
        }
      }
      out.add(
          new SlaRow(
              sev,
              open,
              overdue,
              fixed,
              fixed == 0 ? null : total / (double) fixed / 86_400_000.0,
              sla.of(sev).toHours() / 24.0));
    }
    return out;
  }

  /**
   * Findings in one period {@code [from, to)}, epoch milliseconds, leaving out suppressed ones:
   * first seen in it, fixed in it (with the mean days from first seen to fixed), and at its end
   * still open (per severity, most severe first), past their due time, and in CISA's KEV list.
   */
  public record Period(
      int opened,
      int fixed,
      Double mttrDays,
      int openAtEnd,
      int overdueAtEnd,
      int kevOpenAtEnd,
      Map<String, Integer> openAtEndBySeverity) {}

  public Period period(long from, long to) throws CaseException {
    List<FindingRow> all =
        findings(new Filter(null, null, false, "all", false, false, Integer.MAX_VALUE));
    int opened = 0;
    int fixed = 0;
    long fixTime = 0;
    int open = 0;
    int overdue = 0;
    int kev = 0;
    Map<String, Integer> bySeverity = new LinkedHashMap<>();
    SEVERITIES.forEach(sev -> bySeverity.put(sev, 0));
    for (FindingRow r : all) {
      if (r.firstSeen() >= from && r.firstSeen() < to) {
        opened++;
      }
      if (r.fixedAt() != null && r.fixedAt() >= from && r.fixedAt() < to) {
        fixed++;
        fixTime += r.fixedAt() - r.firstSeen();
      }
      if (r.firstSeen() < to && (r.fixedAt() == null || r.fixedAt() >= to)) {
        open++;
        bySeverity.merge(r.severity(), 1, Integer::sum);
        if (r.dueAt() < to) {
          overdue++;
        }
        if (r.kev()) {
          kev++;
        }
      }
    }
    return new Period(
        opened,
        fixed,
        fixed == 0 ? null : fixTime / (double) fixed / 86_400_000.0,
        open,
        overdue,
        kev,
        bySeverity);
  }

  /** Open findings per severity at the end of each of the last {@code days} days (UTC). */
  public List<TrendPoint> trend(int days) throws CaseException {
    List<FindingRow> all =
        findings(new Filter(null, null, false, "all", false, false, Integer.MAX_VALUE));
    LocalDate today = Instant.ofEpochMilli(db.now()).atOffset(ZoneOffset.UTC).toLocalDate();
    List<TrendPoint> out = new ArrayList<>();
    for (int d = days - 1; d >= 0; d--) {
      LocalDate day = today.minusDays(d);
      long end = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      Map<String, Integer> open = new LinkedHashMap<>();
      for (String s : SEVERITIES) {
        open.put(s, 0);
      }
      for (FindingRow r : all) {
        if (r.firstSeen() < end && (r.fixedAt() == null || r.fixedAt() >= end)) {
          open.merge(r.severity(), 1, Integer::sum);
        }
      }
      out.add(new TrendPoint(day.toString(), open));
    }
    return out;
  }

  /** Lower-cased severity names, most severe first, for option checks and reports. */
  public static List<String> severities() {
    return SEVERITIES;
  }
}
