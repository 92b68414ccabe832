package dev.rampart.vuln.inventory;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURLBuilder;
import dev.rampart.vuln.version.Ecosystem;

/** Builds packages with their purl (percent-encoded by packageurl-java, never by hand). */
final class Purl {
  private Purl() {}

  /**
   * A package of a language ecosystem. Maven names are {@code group:artifact}; npm and Go names may
   * carry a namespace before the last {@code /}.
   */
  static Package language(Ecosystem e, String name, String version)
      throws MalformedPackageURLException {
    PackageURLBuilder b =
        PackageURLBuilder.aPackageURL().withType(e.purlType()).withVersion(version);
    String ns = null;
    String n = name;
    if (e == Ecosystem.MAVEN) {
      int colon = name.indexOf(':');
      ns = colon > 0 ? name.substring(0, colon) : null;
      n = colon > 0 ? name.substring(colon + 1) : name;
    } else if (e == Ecosystem.NPM || e == Ecosystem.GO) {
      int slash = name.lastIndexOf('/');
      ns = slash > 0 ? name.substring(0, slash) : null;
      n = slash > 0 ? name.substring(slash + 1) : name;
    }
    if (ns != null) {
      b.withNamespace(ns);
    }
    String purl = b.withName(n).build().canonicalize();
    return new Package(name, version, e, purl, name, version, null);
  }

  /** A distribution package, with its source package and release in the purl's qualifiers. */
  static Package distro(
      Ecosystem e,
      String namespace,
      String name,
      String version,
      String arch,
      String source,
      String sourceVersion,
      String distro)
      throws MalformedPackageURLException {
    // purl's rpm type states the epoch as a qualifier, not in the version
    int colon = e == Ecosystem.RPM ? version.indexOf(':') : -1;
    PackageURLBuilder b =
        PackageURLBuilder.aPackageURL()
            .withType(e.purlType())
            .withNamespace(namespace)
            .withName(name)
            .withVersion(colon > 0 ? version.substring(colon + 1) : version);
    if (colon > 0) {
      b.withQualifier("epoch", version.substring(0, colon));
    }
    if (arch != null && !arch.isEmpty()) {
      b.withQualifier("arch", arch);
    }
    if (source != null && !source.equals(name)) {
      b.withQualifier("upstream", source);
    }
    if (distro != null) {
      b.withQualifier("distro", distro);
    }
    return new Package(
        name,
        version,
        e,
        b.build().canonicalize(),
        source == null ? name : source,
        sourceVersion == null ? version : sourceVersion,
        distro);
  }
}
