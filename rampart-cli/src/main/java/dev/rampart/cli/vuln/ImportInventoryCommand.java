package dev.rampart.cli.vuln;

import dev.rampart.cli.DataOptions;
import dev.rampart.cli.UsageException;
import dev.rampart.core.io.Problem;
import dev.rampart.vuln.inventory.Inventory;
import dev.rampart.vuln.inventory.InventoryFormat;
import dev.rampart.vuln.match.VulnDb;
import dev.rampart.vuln.track.SlaPolicy;
import dev.rampart.vuln.track.VulnStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rampart vuln import-inventory}: an asset's software, matched and tracked over time. */
@Command(
    name = "import-inventory",
    mixinStandardHelpOptions = true,
    description = {
      "Record what an asset runs and bring its findings up to date: new ones open with a",
      "deadline (SLA per severity, or KEV's due date), those gone since the last inventory close",
      "as fixed. The format is recognised from the file; --format names it otherwise.",
      "Distribution package lists do not say their release: give --distro (debian-12,",
      "ubuntu-22.04, alpine-3.19, rhel-9)."
    },
    footer = {
      "",
      "Formats:",
      "  dpkg, apk, rpm, sbom, maven, npm, pip, go, cargo (see rampart vuln import-inventory",
      "  --format with a wrong name for the list)",
      "",
      "Examples:",
      "  rampart vuln import-inventory /var/lib/dpkg/status --asset web-01 --distro debian-12",
      "  rampart vuln import-inventory bom.cdx.json --asset shop --internet-facing",
      "  rpm -qa --qf '%%{NAME}\\t%%{EPOCH}\\t%%{VERSION}\\t%%{RELEASE}\\t%%{ARCH}\\t%%{SOURCERPM}\\n' \\",
      "      > db-02.rpm && rampart vuln import-inventory db-02.rpm --asset db-02 --distro rhel-9"
    })
public final class ImportInventoryCommand implements Callable<Integer> {
  @Mixin DataOptions data;

  @Parameters(paramLabel = "FILE")
  Path file;

  @Option(names = "--asset", required = true, description = "The asset's name (a host, an app).")
  String asset;

  @Option(names = "--format", description = "The inventory format, when not recognised.")
  String format;

  @Option(names = "--distro", description = "The distribution release of a package list.")
  String distro;

  @Option(
      names = "--internet-facing",
      description = "The asset is reachable from the internet (alert policies weigh it).")
  boolean internetFacing;

  @Option(
      names = "--criticality",
      defaultValue = "medium",
      description = "low, medium, high or critical (default: ${DEFAULT-VALUE}).")
  String criticality;

  @Option(
      names = "--at",
      paramLabel = "TIME",
      description = "When the inventory was taken (ISO-8601; default: now).")
  String at;

  @Option(
      names = "--sla",
      paramLabel = "SPEC",
      description = "Deadlines for findings opened now, e.g. critical=3d,high=14d.")
  String sla;

  @Option(names = "--json", description = "Print the outcome as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    InventoryFormat f = null;
    if (format != null) {
      f = InventoryFormat.of(format);
      if (f == null) {
        throw new UsageException(
            "unknown --format " + format + "; one of:\n" + InventoryFormat.list());
      }
    }
    if (!java.util.List.of("low", "medium", "high", "critical").contains(criticality)) {
      throw new UsageException("--criticality is low, medium, high or critical");
    }
    Instant when = null;
    if (at != null) {
      try {
        when = Instant.parse(at);
      } catch (DateTimeParseException e) {
        throw new UsageException("--at is an instant such as 2026-11-01T00:00:00Z");
      }
    }
    Inventory inv;
    try {
      inv = InventoryFormat.read(file, f, asset, distro);
    } catch (IOException e) {
      throw new UsageException(e.getMessage());
    }
    for (Problem p : inv.problems()) {
      System.err.println(p);
    }
    InventoryFormat detected = f != null ? f : InventoryFormat.detect(file);
    if (detected != null && detected.needsDistro() && distro == null) {
      System.err.println(
          "rampart: warning: no --distro: distribution packages cannot be matched without their"
              + " release (say --distro debian-12, alpine-3.19, rhel-9)");
    }
    try (Workspace w = Workspace.open(data)) {
      if (sla != null) {
        try {
          w.store.sla(SlaPolicy.DEFAULTS.with(sla));
        } catch (IllegalArgumentException e) {
          throw new UsageException("--sla " + e.getMessage());
        }
      }
      VulnDb db = w.advisories(json);
      VulnStore.ImportResult r =
          w.store.importInventory(
              inv,
              new VulnStore.ImportOptions(
                  distro, internetFacing, criticality, when, file.getFileName().toString()),
              db,
              dev.rampart.cli.Actor.name());
      if (json) {
        System.out.printf(
            Locale.ROOT,
            "{\"asset\":%s,\"packages\":%d,\"opened\":%d,\"reopened\":%d,\"still_open\":%d,"
                + "\"fixed\":%d,\"problems\":%d}%n",
            FeedsCommand.quote(asset),
            inv.packages().size(),
            r.opened(),
            r.reopened(),
            r.stillOpen(),
            r.fixed(),
            inv.problems().size());
      } else {
        System.out.printf(
            "%s: %,d packages; findings: %,d new, %,d reopened, %,d still open, %,d fixed%n",
            asset, inv.packages().size(), r.opened(), r.reopened(), r.stillOpen(), r.fixed());
      }
    }
    return 0;
  }
}
