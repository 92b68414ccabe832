package dev.rampart.server.vuln;

import dev.rampart.alerting.alert.Alert;
import dev.rampart.cases.CaseStore;
import dev.rampart.cases.incident.CaseException;
import dev.rampart.vuln.inventory.Inventory;
import dev.rampart.vuln.inventory.InventoryFormat;
import dev.rampart.vuln.match.VulnDb;
import dev.rampart.vuln.track.SlaPolicy;
import dev.rampart.vuln.track.VulnStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Vulnerability management in the running server: the store in the case database, the registered
 * advisory feeds loaded once into memory (reloaded on demand), and the alert policy that turns a
 * newly opened finding into an alert through the same pipeline as detections (triage, incidents,
 * playbooks): by default a known exploited vulnerability (KEV) or a critical one on an
 * internet-facing asset.
 */
public final class VulnService {
  /**
   * Which new findings become alerts.
   *
   * @param kevInternetFacing a KEV finding on an internet-facing asset
   * @param minSeverityInternetFacing at least this severity on an internet-facing asset (null:
   *     none)
   * @param minSeverityAnywhere at least this severity on any asset (null: none)
   */
  public record AlertPolicy(
      boolean kevInternetFacing, String minSeverityInternetFacing, String minSeverityAnywhere) {
    public static final AlertPolicy DEFAULTS = new AlertPolicy(true, "critical", null);
  }

  private final VulnStore store;
  private final AlertPolicy policy;
  private final Consumer<List<Alert>> alerts;
  private volatile VulnDb advisories;

  public VulnService(
      CaseStore cases, SlaPolicy sla, AlertPolicy policy, Consumer<List<Alert>> alerts) {
    this.store = VulnStore.open(cases.db());
    this.store.sla(sla);
    this.policy = policy;
    this.alerts = alerts;
    store.onChange(this::onChange);
  }

  public VulnStore store() {
    return store;
  }

  /** The registered feeds, loaded on first use and after {@link #reload}. */
  public synchronized VulnDb advisories() throws IOException, CaseException {
    if (advisories == null) {
      advisories = load();
    }
    return advisories;
  }

  /** Re-reads every registered feed (after a feed update), then re-matches every asset. */
  public synchronized List<VulnStore.ImportResult> reload(String actor)
      throws IOException, CaseException {
    advisories = load();
    return store.rematch(advisories, actor);
  }

  // a registered feed that vanished or broke is the operator's to fix: a 409 that says which
  private VulnDb load() throws CaseException {
    try {
      return store.advisories((f, n) -> {});
    } catch (IOException e) {
      throw new CaseException(
          CaseException.Kind.CONFLICT,
          "a registered feed cannot be read: "
              + e.getMessage()
              + "; restore it, or register it again with rampart vuln feeds add");
    }
  }

  /** The largest inventory accepted over the API. */
  public static final int MAX_INVENTORY_BYTES = 64 << 20;

  /**
   * Imports an inventory sent as text (an SBOM, a dpkg status file, a lockfile...).
   *
   * @param format null: recognised from the name and content
   */
  public VulnStore.ImportResult importInventory(
      String asset,
      String name,
      String text,
      InventoryFormat format,
      VulnStore.ImportOptions options,
      String actor)
      throws IOException, CaseException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_INVENTORY_BYTES) {
      throw new CaseException(
          CaseException.Kind.INVALID,
          "the inventory is larger than " + (MAX_INVENTORY_BYTES >> 20) + " MB");
    }
    if (!store.hasAdvisories()) {
      throw new CaseException(
          CaseException.Kind.CONFLICT,
          "no advisory data registered; add feeds first (rampart vuln feeds add PATH)");
    }
    // the readers work on files (gzip, format recognition by name): a private temporary one
    Path dir = Files.createTempDirectory("rampart-inventory");
    // only the name's letters matter (format recognition); never a path of the caller's choosing
    String file = name == null ? "" : name.replaceAll("[^A-Za-z0-9._-]", "_");
    if (file.isEmpty() || file.startsWith(".") || file.length() > 100) {
      file = "inventory";
    }
    Path tmp = dir.resolve(file);
    try {
      Files.write(tmp, bytes);
      Inventory inv;
      try {
        inv = InventoryFormat.read(tmp, format, asset, options.distro());
      } catch (IOException e) {
        throw new CaseException(
            CaseException.Kind.INVALID, e.getMessage().replace(tmp.toString(), file));
      }
      return store.importInventory(inv, options, advisories(), actor);
    } finally {
      Files.deleteIfExists(tmp);
      Files.deleteIfExists(dir);
    }
  }

  private void onChange(VulnStore.Change ch) {
    VulnStore.FindingRow f = ch.finding();
    VulnStore.Asset a = ch.asset();
    if (a == null) {
      return;
    }
    String rule = null;
    String level = null;
    if (policy.kevInternetFacing() && f.kev() && a.internetFacing()) {
      rule = "vuln:kev-internet-facing";
      level = "critical";
    } else if (policy.minSeverityInternetFacing() != null
        && a.internetFacing()
        && VulnStore.rank(f.severity()) >= VulnStore.rank(policy.minSeverityInternetFacing())) {
      rule = "vuln:severity-internet-facing";
      level = f.severity().equals("critical") ? "critical" : "high";
    } else if (policy.minSeverityAnywhere() != null
        && VulnStore.rank(f.severity()) >= VulnStore.rank(policy.minSeverityAnywhere())) {
      rule = "vuln:severity";
      level = f.severity().equals("critical") ? "high" : "medium";
    }
    if (rule == null) {
      return;
    }
    List<Alert> out = new ArrayList<>();
    out.add(
        new Alert(
            // deterministic: the same opening of the same finding is one alert, even if replayed
            "vuln:" + f.id() + "@" + f.lastSeen(),
            rule,
            (f.kev() ? "Known exploited " : "")
                + f.advisory()
                + " in "
                + f.packageName()
                + " "
                + f.version()
                + " on "
                + f.asset()
                + (a.internetFacing() ? " (internet-facing)" : ""),
            level,
            f.kev() ? List.of("vulnerability", "kev") : List.of("vulnerability"),
            a.internetFacing() ? List.of("T1190") : List.of(),
            List.of(),
            f.lastSeen() * 1_000_000,
            System.currentTimeMillis() * 1_000_000,
            Map.of(
                "package", List.of(f.packageName() + " " + f.version()),
                "advisory", List.of(String.join(" ", concat(f.advisory(), f.aliases()))),
                "fixed_version", List.of(f.fixedVersion() == null ? "(no fix)" : f.fixedVersion()),
                "due", List.of(java.time.Instant.ofEpochMilli(f.dueAt()).toString())),
            new Alert.Entities(f.asset(), null, null, null),
            null));
    alerts.accept(out);
  }

  private static List<String> concat(String first, List<String> rest) {
    List<String> l = new ArrayList<>();
    l.add(first);
    l.addAll(rest);
    return l;
  }
}
