package dev.rampart.vuln.match;

import dev.rampart.vuln.advisory.Advisory;
import dev.rampart.vuln.advisory.DebianTracker;
import dev.rampart.vuln.inventory.Inventory;
import dev.rampart.vuln.inventory.Package;
import dev.rampart.vuln.version.Ecosystem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Loaded advisories, indexed by (ecosystem, release, package), and the matching of inventories
 * against them. Distribution packages are matched by their source package against their own
 * release's data only (never upstream ranges, never another release's fixed version); language
 * packages by name against ranges and explicit version lists.
 */
public final class VulnDb {
  private record Entry(Advisory advisory, Advisory.Affected affected) {}

  private final Map<String, List<Entry>> index = new HashMap<>();
  private int advisories;

  private static String key(Ecosystem e, String release, String name) {
    Ecosystem family = e == Ecosystem.UBUNTU ? Ecosystem.DEBIAN : e;
    return family.name()
        + '|'
        + (release == null ? "" : release.toLowerCase(Locale.ROOT))
        + '|'
        + normalize(family, name);
  }

  // PyPI names compare after PEP 503 normalisation; the rest as written (Maven, Go are case
  // sensitive, distributions lower-case already)
  private static String normalize(Ecosystem e, String name) {
    return e == Ecosystem.PYPI ? name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-") : name;
  }

  public void add(Advisory a) {
    advisories++;
    for (Advisory.Affected af : a.affected()) {
      index
          .computeIfAbsent(
              key(af.ecosystem(), af.release(), af.packageName()), k -> new ArrayList<>())
          .add(new Entry(a, af));
    }
  }

  public int advisories() {
    return advisories;
  }

  /** The release an installed package is matched in, or null when it cannot be told. */
  static String release(Package p) {
    return switch (p.ecosystem()) {
      case DEBIAN -> DebianTracker.codename(p.distro());
      case UBUNTU, ALPINE, RPM -> p.distro();
      default -> null;
    };
  }

  private static boolean distribution(Ecosystem e) {
    return e == Ecosystem.DEBIAN
        || e == Ecosystem.UBUNTU
        || e == Ecosystem.ALPINE
        || e == Ecosystem.RPM;
  }

  /** The outcome of matching one inventory. */
  public record Result(List<Finding> findings, List<String> notAssessed) {}

  public Result match(Inventory inv) {
    List<Finding> out = new ArrayList<>();
    List<String> notAssessed = new ArrayList<>();
    for (Package p : inv.packages()) {
      boolean distro = distribution(p.ecosystem());
      String release = distro ? release(p) : null;
      if (distro && release == null) {
        notAssessed.add(p.purl() + ": the distribution release is unknown (" + p.distro() + ")");
        continue;
      }
      String name = distro ? p.sourceName() : p.name();
      String version = distro ? p.sourceVersion() : p.version();
      List<Entry> entries = index.get(key(p.ecosystem(), release, name));
      if (entries == null) {
        continue;
      }
      for (Entry en : entries) {
        String why = affects(p.ecosystem(), en.affected(), version);
        if (why != null) {
          String fixed = fixedVersion(p.ecosystem(), en.affected(), version);
          out.add(
              new Finding(
                  inv.asset(),
                  p,
                  en.advisory(),
                  name,
                  version,
                  fixed,
                  (distro && !name.equals(p.name())
                          ? name
                              + " "
                              + version
                              + " (source of "
                              + p.name()
                              + " "
                              + p.version()
                              + ")"
                          : name + " " + version)
                      + " "
                      + why
                      + " in "
                      + en.advisory().id()
                      + (release == null ? "" : " for " + release)
                      + " ("
                      + en.advisory().source()
                      + ")"));
        }
      }
    }
    return new Result(out, notAssessed);
  }

  /** Why {@code version} is affected ("< 1.2 fixed"), or null when it is not. */
  static String affects(Ecosystem e, Advisory.Affected a, String version) {
    for (String v : a.versions()) {
      if (e.compare(v, version) == 0) {
        return "is listed as affected";
      }
    }
    for (Advisory.Range r : a.ranges()) {
      boolean from =
          r.introduced() == null
              || r.introduced().equals("0")
              || e.compare(version, r.introduced()) >= 0;
      if (!from) {
        continue;
      }
      if (r.fixed() != null) {
        if (e.compare(version, r.fixed()) < 0) {
          return "< " + r.fixed() + " fixed";
        }
      } else if (r.lastAffected() != null) {
        if (e.compare(version, r.lastAffected()) <= 0) {
          return "<= " + r.lastAffected() + " last affected";
        }
      } else {
        return "has no fixed version yet";
      }
    }
    return null;
  }

  /** The lowest fixed version above {@code version} among the ranges, or null. */
  static String fixedVersion(Ecosystem e, Advisory.Affected a, String version) {
    String best = null;
    for (Advisory.Range r : a.ranges()) {
      if (r.fixed() != null
          && e.compare(version, r.fixed()) < 0
          && (best == null || e.compare(r.fixed(), best) < 0)) {
        best = r.fixed();
      }
    }
    return best;
  }
}
