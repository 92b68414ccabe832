package dev.rampart.vuln.version;

import java.util.Locale;
import java.util.function.BiFunction;
import org.apache.maven.artifact.versioning.ComparableVersion;

/**
 * The ecosystems Rampart matches, each with its version order: the single place that says how an
 * ecosystem compares versions, which OSV ecosystem name and purl type it answers to.
 */
public enum Ecosystem {
  DEBIAN("Debian", "deb", "dpkg order (epoch, upstream, revision; ~ before all)", Dpkg::compare),
  UBUNTU("Ubuntu", "deb", "dpkg order", Dpkg::compare),
  ALPINE("Alpine", "apk", "apk-tools order", Apk::compare),
  RPM("Red Hat", "rpm", "rpmvercmp over epoch:version-release", Rpm::compare),
  MAVEN(
      "Maven",
      "maven",
      "Maven's ComparableVersion (maven-artifact)",
      (a, b) -> Integer.signum(new ComparableVersion(a).compareTo(new ComparableVersion(b)))),
  NPM("npm", "npm", "Semantic Versioning 2.0 (node-semver, loose)", Semver::compare),
  PYPI("PyPI", "pypi", "PEP 440 (invalid versions first)", Pep440::compare),
  GO("Go", "golang", "Go module semver (invalid versions first)", GoSemver::compare),
  CRATES(
      "crates.io",
      "cargo",
      "Semantic Versioning 2.0 (Cargo; invalid versions first)",
      (a, b) -> Semver.compare(a, b, false)),
  PACKAGIST(
      "Packagist", "composer", "PHP version_compare, as Composer uses it", MoreOrders::packagist),
  RUBYGEMS("RubyGems", "gem", "Gem::Version", MoreOrders::rubygems),
  NUGET("NuGet", "nuget", "NuGet (four parts, pre-release without case)", MoreOrders::nuget),
  PUB("Pub", "pub", "Dart pub_semver (build metadata counts)", MoreOrders::pub),
  CRAN("CRAN", "cran", "R package_version", MoreOrders::cran),
  HACKAGE("Hackage", "hackage", "Haskell Data.Version", MoreOrders::hackage);

  private final String osvName;
  private final String purlType;
  private final String order;
  private final BiFunction<String, String, Integer> compare;

  Ecosystem(
      String osvName, String purlType, String order, BiFunction<String, String, Integer> compare) {
    this.osvName = osvName;
    this.purlType = purlType;
    this.order = order;
    this.compare = compare;
  }

  /** -1, 0 or 1. Never throws: each order documents where strings it cannot parse go. */
  public int compare(String a, String b) {
    return compare.apply(a, b);
  }

  /** The name OSV uses ({@code Debian}, {@code PyPI}; a distro's may carry a release). */
  public String osvName() {
    return osvName;
  }

  public String purlType() {
    return purlType;
  }

  /** How versions are ordered, in a few words (for {@code rampart vuln compare --help}). */
  public String order() {
    return order;
  }

  /**
   * The ecosystem of a name as users and feeds write it: the enum name, the OSV name (before any
   * ":release"), or a purl type; null if none. {@code redhat}, {@code rocky}, {@code fedora} and
   * other RPM distributions are {@link #RPM}.
   */
  public static Ecosystem of(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    int colon = n.indexOf(':');
    if (colon > 0) {
      n = n.substring(0, colon);
    }
    for (Ecosystem e : values()) {
      if (e.name().toLowerCase(Locale.ROOT).equals(n)
          || e.osvName.toLowerCase(Locale.ROOT).equals(n)) {
        return e;
      }
    }
    return switch (n) {
      case "deb", "dpkg" -> DEBIAN;
      case "apk" -> ALPINE;
      case "redhat", "rhel", "rocky", "almalinux", "fedora", "centos", "opensuse", "suse" -> RPM;
      case "golang" -> GO;
      case "python", "pip" -> PYPI;
      case "node", "javascript" -> NPM;
      case "cargo", "rust", "crates" -> CRATES;
      case "composer", "php" -> PACKAGIST;
      case "gem", "ruby" -> RUBYGEMS;
      default -> null;
    };
  }
}
