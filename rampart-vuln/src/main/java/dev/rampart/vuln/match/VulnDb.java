package dev.rampart.vuln.match;

import dev.rampart.vuln.advisory.Advisory;
import dev.rampart.vuln.advisory.DebianTracker;
import dev.rampart.vuln.inventory.Inventory;
import dev.rampart.vuln.inventory.Package;
import dev.rampart.vuln.priority.Kev;
import dev.rampart.vuln.priority.Priority;
import dev.rampart.vuln.version.Ecosystem;
import dev.rampart.vuln.version.NpmRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loaded advisories, indexed by (ecosystem, release, package), and the matching of inventories
 * against them. Distribution packages are matched by their source package against their own
 * release's data only (never upstream ranges, never another release's fixed version); language
 * packages by name against ranges and explicit version lists.
 */
public final class VulnDb {
  // npm expressions parsed once, at load (index i: the affected's range i; null when not npm)
  private record Entry(
      Advisory advisory, Advisory.Affected affected, NpmRange[] npm, Priority priority) {}

  private final Map<String, List<Entry>> index = new HashMap<>();

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

  private final Map<String, Advisory> loaded = new HashMap<>();

  /** What {@link #add} did with an advisory. */
  public enum Added {
    NEW,
    UPDATED,
    UNCHANGED
  }

  // a feed's advisory is known by its source and id (and, for per-release feeds, its release)
  private static String identity(Advisory a) {
    String release = a.affected().isEmpty() ? null : a.affected().get(0).release();
    return a.source() + '|' + a.id() + '|' + (release == null ? "" : release);
  }

  /**
   * Adds an advisory, replacing the one with the same source and id when it changed: re-importing a
   * feed updates what changed and leaves the rest.
   */
  public Added add(Advisory a) {
    String id = identity(a);
    Advisory old = loaded.put(id, a);
    if (old != null) {
      if (old.equals(a)) {
        return Added.UNCHANGED;
      }
      for (Advisory.Affected af : old.affected()) {
        List<Entry> l = index.get(key(af.ecosystem(), af.release(), af.packageName()));
        if (l != null) {
          l.removeIf(en -> en.advisory().equals(old));
        }
      }
    }
    index(a);
    return old == null ? Added.NEW : Added.UPDATED;
  }

  private void index(Advisory a) {
    Priority priority = Priority.of(a.cvss()); // scored once per advisory, not per match
    for (Advisory.Affected af : a.affected()) {
      index
          .computeIfAbsent(
              key(af.ecosystem(), af.release(), af.packageName()), k -> new ArrayList<>())
          .add(new Entry(a, af, compile(af), priority));
    }
  }

  private static NpmRange[] compile(Advisory.Affected af) {
    NpmRange[] out = new NpmRange[af.ranges().size()];
    for (int i = 0; i < out.length; i++) {
      if (af.ranges().get(i) instanceof Advisory.Expression x && af.ecosystem() == Ecosystem.NPM) {
        out[i] = NpmRange.parse(x.affected(), NpmRange.Options.DEFAULT);
      }
    }
    return out;
  }

  private volatile Kev kev = Kev.none();

  /** The KEV catalog that flags findings from now on. */
  public void kev(Kev catalog) {
    this.kev = catalog;
  }

  public int advisories() {
    return loaded.size();
  }

  /** The release an installed package is matched in, or null when it cannot be told. */
  static String release(Package p) {
    return switch (p.ecosystem()) {
      case DEBIAN -> DebianTracker.codename(p.distro());
      case ALPINE -> alpineBranch(p.distro());
      case UBUNTU, RPM -> p.distro();
      default -> null;
    };
  }

  private static final Pattern ALPINE_RELEASE =
      Pattern.compile("^(?:alpine-?)?v?(\\d+)\\.(\\d+)(?:\\.\\d+)*$|^(?:alpine-?)?(edge)$");

  /** Alpine's data is per branch: {@code alpine-3.17.2} is matched in {@code v3.17}. */
  static String alpineBranch(String distro) {
    if (distro == null) {
      return null;
    }
    Matcher m = ALPINE_RELEASE.matcher(distro.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      return null;
    }
    return m.group(3) != null ? "edge" : "v" + m.group(1) + "." + m.group(2);
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
    Kev k = kev;
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
        String why = affects(p.ecosystem(), en, version);
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
                      + ")",
                  en.priority().withKev(k.find(en.advisory().id(), en.advisory().aliases()))));
        }
      }
    }
    return new Result(out, notAssessed);
  }

  /** Why {@code version} is affected ("< 1.2 fixed"), or null when it is not. */
  private static String affects(Ecosystem e, Entry en, String version) {
    Advisory.Affected a = en.affected();
    for (String v : a.versions()) {
      if (e.compare(v, version) == 0) {
        return "is listed as affected";
      }
    }
    for (int i = 0; i < a.ranges().size(); i++) {
      String why =
          switch (a.ranges().get(i)) {
            case Advisory.Events r -> inEvents(e, r, version);
            case Advisory.Expression x ->
                en.npm()[i] != null && en.npm()[i].test(version)
                    ? "satisfies " + x.affected() + " (patched: " + x.patched() + ")"
                    : null;
          };
      if (why != null) {
        return why;
      }
    }
    return null;
  }

  private static String inEvents(Ecosystem e, Advisory.Events r, String version) {
    boolean from =
        r.introduced() == null
            || r.introduced().equals("0")
            || e.compare(version, r.introduced()) >= 0;
    if (!from) {
      return null;
    } else if (r.fixed() != null) {
      return e.compare(version, r.fixed()) < 0 ? "< " + r.fixed() + " fixed" : null;
    } else if (r.lastAffected() != null) {
      return e.compare(version, r.lastAffected()) <= 0
          ? "<= " + r.lastAffected() + " last affected"
          : null;
    }
    return "has no fixed version yet";
  }

  private static final Pattern AT_LEAST = Pattern.compile("^>=?\\s*v?(\\d+\\.\\d+\\.\\d+\\S*)$");

  /**
   * The lowest fixed version above {@code version} among the ranges, or null. For an npm
   * expression: the version of a single {@code >=} bound, else the patched expression as stated.
   */
  static String fixedVersion(Ecosystem e, Advisory.Affected a, String version) {
    String best = null;
    for (Advisory.Range range : a.ranges()) {
      switch (range) {
        case Advisory.Events r -> {
          if (r.fixed() != null
              && e.compare(version, r.fixed()) < 0
              && (best == null || e.compare(r.fixed(), best) < 0)) {
            best = r.fixed();
          }
        }
        case Advisory.Expression x -> {
          if (x.patched() != null && !x.patched().isBlank() && best == null) {
            Matcher m = AT_LEAST.matcher(x.patched().strip());
            best = m.matches() && x.patched().strip().startsWith(">=") ? m.group(1) : x.patched();
          }
        }
      }
    }
    return best;
  }
}
