package dev.rampart.vuln.netscan;

import dev.rampart.vuln.inventory.Inventory;
import dev.rampart.vuln.inventory.Package;
import dev.rampart.vuln.match.Finding;
import dev.rampart.vuln.match.VulnDb;
import dev.rampart.vuln.version.Ecosystem;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a service's banner says about the package behind it, when it says enough to match
 * advisories: Debian's OpenSSH names its package revision ({@code SSH-2.0-OpenSSH_7.4p1
 * Debian-10+deb9u3} is openssh {@code 1:7.4p1-10+deb9u3} of Debian 9), which Debian's security
 * tracker fixes by. Other banners name an upstream version only (Apache, nginx, Postfix), which a
 * distribution's backported fixes make meaningless for matching, so they are shown, not matched. A
 * banner is what the service says about itself: an inventory from the host is the authority.
 */
public final class Banners {
  private Banners() {}

  /** A service's banner read as an installed package. */
  public record Claim(String address, int port, String banner, Package pkg) {}

  /** A finding of an advisory against a claimed package, with the service that claimed it. */
  public record Matched(Claim claim, Finding finding) {}

  private static final Pattern DEBIAN_SSH =
      Pattern.compile("^SSH-[0-9.]+-OpenSSH_([0-9][0-9A-Za-z.]*) Debian-([0-9][0-9A-Za-z.+~]*)");

  // a stable update's revision names the release: 10+deb9u3 is Debian 9
  private static final Pattern RELEASE = Pattern.compile("\\+deb(\\d+)u\\d+$");

  /**
   * Debian's openssh source package carries epoch 1 in every release (1:7.4p1-10+deb9u7), and the
   * banner leaves the epoch out; comparing without it would find every version affected.
   */
  private static final String OPENSSH_EPOCH = "1:";

  /**
   * The package {@code s}'s banner names, or null when it names none precisely enough: not Debian's
   * OpenSSH, or a revision that does not say its release (the first upload of a release, {@code
   * Debian-10}, is the same in several).
   */
  public static Claim claim(NetScan.Service s) {
    if (s.banner() == null) {
      return null;
    }
    Matcher m = DEBIAN_SSH.matcher(s.banner().strip());
    if (!m.find()) {
      return null;
    }
    String revision = m.group(2);
    Matcher r = RELEASE.matcher(revision);
    if (!r.find()) {
      return null;
    }
    String version = OPENSSH_EPOCH + m.group(1) + "-" + revision;
    String distro = "debian-" + r.group(1);
    Package p =
        new Package(
            "openssh-server",
            version,
            Ecosystem.DEBIAN,
            "pkg:deb/debian/openssh-server@" + version.replace(":", "%3A") + "?distro=" + distro,
            "openssh",
            version,
            distro);
    return new Claim(s.address(), s.port(), s.banner().strip(), p);
  }

  /** The advisories that affect what the services' banners claim, by {@code db}. */
  public static List<Matched> match(String asset, List<NetScan.Service> services, VulnDb db) {
    Map<Package, Claim> claims = new IdentityHashMap<>();
    List<Package> packages = new ArrayList<>();
    for (NetScan.Service s : services) {
      Claim c = claim(s);
      if (c != null) {
        claims.put(c.pkg(), c);
        packages.add(c.pkg());
      }
    }
    List<Matched> out = new ArrayList<>();
    if (packages.isEmpty()) {
      return out;
    }
    for (Finding f : db.match(new Inventory(asset, packages, List.of())).findings()) {
      out.add(new Matched(claims.get(f.pkg()), f));
    }
    return out;
  }
}
