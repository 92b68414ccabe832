package dev.rampart.vuln.inventory;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import dev.rampart.vuln.version.Ecosystem;
import java.util.Locale;
import java.util.Map;

/** A package from its purl (packageurl-java parses it), with what distro purls carry. */
public final class Purls {
  private Purls() {}

  /**
   * The package a purl names, with {@code name}/{@code version} as fallbacks when the purl lacks
   * them; null when the purl is malformed or of a type Rampart does not match (the caller reports
   * it). Debian purls say their source package in {@code upstream=name[@version]} and their release
   * in {@code distro=debian-9}; Alpine's in {@code upstream} and {@code distro=alpine-3.17}.
   */
  public static Package parse(String purl, String name, String version)
      throws MalformedPackageURLException {
    PackageURL p = new PackageURL(purl);
    Ecosystem e = ecosystem(p);
    if (e == null) {
      return null;
    }
    String n =
        switch (e) {
          case MAVEN -> (p.getNamespace() == null ? "" : p.getNamespace() + ":") + p.getName();
          case NPM, GO -> (p.getNamespace() == null ? "" : p.getNamespace() + "/") + p.getName();
          default -> p.getName();
        };
    String v = p.getVersion() != null ? p.getVersion() : version;
    if (n == null || n.isEmpty()) {
      n = name;
    }
    Map<String, String> q = p.getQualifiers() == null ? Map.of() : p.getQualifiers();
    if (e == Ecosystem.RPM && q.get("epoch") != null && v != null && v.indexOf(':') < 0) {
      v = q.get("epoch") + ":" + v; // rpm purls carry the epoch apart; versions compare with it
    }
    String srcName = n;
    String srcVersion = v;
    String upstream = q.get("upstream");
    if (upstream != null && !upstream.isEmpty()) {
      int at = upstream.indexOf('@');
      srcName = at < 0 ? upstream : upstream.substring(0, at);
      if (at >= 0) {
        srcVersion = upstream.substring(at + 1);
      }
    }
    String distro = q.get("distro");
    if (distro == null && (e == Ecosystem.DEBIAN || e == Ecosystem.ALPINE || e == Ecosystem.RPM)) {
      distro = p.getNamespace(); // pkg:deb/debian/... without a release: the family only
    }
    return new Package(n, v, e, purl, srcName, srcVersion, distro);
  }

  static Ecosystem ecosystem(PackageURL p) {
    String ns = p.getNamespace() == null ? "" : p.getNamespace().toLowerCase(Locale.ROOT);
    return switch (p.getType()) {
      case "deb" -> ns.equals("ubuntu") ? Ecosystem.UBUNTU : Ecosystem.DEBIAN;
      case "apk" -> Ecosystem.ALPINE;
      case "rpm" -> Ecosystem.RPM;
      case "maven" -> Ecosystem.MAVEN;
      case "npm" -> Ecosystem.NPM;
      case "pypi" -> Ecosystem.PYPI;
      case "golang" -> Ecosystem.GO;
      case "cargo" -> Ecosystem.CRATES;
      case "composer" -> Ecosystem.PACKAGIST;
      case "gem" -> Ecosystem.RUBYGEMS;
      case "nuget" -> Ecosystem.NUGET;
      case "pub" -> Ecosystem.PUB;
      case "cran" -> Ecosystem.CRAN;
      case "hackage" -> Ecosystem.HACKAGE;
      default -> null;
    };
  }
}
