package dev.rampart.vuln.inventory;

import com.github.packageurl.MalformedPackageURLException;
import dev.rampart.core.io.InputFiles;
import dev.rampart.core.io.Problem;
import dev.rampart.vuln.version.Ecosystem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Installed-package lists of RPM and Alpine systems.
 *
 * <p>RPM: the output of {@code rpm -qa --qf
 * '%{NAME}\t%{EPOCH}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\t%{SOURCERPM}\n'} (the source RPM names the
 * source package advisories use; an epoch of {@code (none)} is none), or plain {@code rpm -qa}
 * lines ({@code name-version-release.arch}, without source packages).
 *
 * <p>Alpine: {@code /lib/apk/db/installed}, stanzas of {@code P:} name, {@code V:} version, {@code
 * A:} arch and {@code o:} origin (the source package secdb names).
 */
public final class OsPackages {
  private OsPackages() {}

  /** The rpm query format Rampart reads, for help texts. */
  public static final String RPM_QUERY_FORMAT =
      "%{NAME}\\t%{EPOCH}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\t%{SOURCERPM}\\n";

  /**
   * @param distro the release, such as {@code rhel-9} or {@code rocky-9} (the list does not say)
   */
  public static Inventory rpm(Path file, String asset, String distro) throws IOException {
    List<Package> out = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    String src = file.toString();
    long line = 0;
    try (BufferedReader r = reader(file)) {
      String l;
      while ((l = r.readLine()) != null) {
        line++;
        if (l.isBlank() || l.startsWith("#")) {
          continue;
        }
        try {
          Package p = l.indexOf('\t') >= 0 ? rpmTabbed(l, distro) : rpmNevra(l.strip(), distro);
          if (p == null) {
            problems.add(Problem.warning(src, line, -1, "not an rpm package line; skipped"));
          } else {
            out.add(p);
          }
        } catch (MalformedPackageURLException e) {
          problems.add(Problem.warning(src, line, -1, "no purl: " + e.getMessage() + "; skipped"));
        }
      }
    }
    return new Inventory(asset, out, problems);
  }

  private static Package rpmTabbed(String l, String distro) throws MalformedPackageURLException {
    String[] f = l.split("\t", -1);
    if (f.length < 4 || f[0].isEmpty() || f[2].isEmpty() || f[3].isEmpty()) {
      return null;
    }
    String epoch = f[1].equals("(none)") || f[1].isEmpty() ? null : f[1];
    String version = (epoch == null ? "" : epoch + ":") + f[2] + "-" + f[3];
    String arch = f.length > 4 ? f[4] : null;
    String source = null;
    String sourceVersion = null;
    if (f.length > 5 && f[5].endsWith(".src.rpm")) {
      // name-version-release.src.rpm: the source's version-release are the last two dashes
      String s = f[5].substring(0, f[5].length() - ".src.rpm".length());
      int rel = s.lastIndexOf('-');
      int ver = rel > 0 ? s.lastIndexOf('-', rel - 1) : -1;
      if (ver > 0) {
        source = s.substring(0, ver);
        sourceVersion = (epoch == null ? "" : epoch + ":") + s.substring(ver + 1);
      }
    }
    return Purl.distro(
        Ecosystem.RPM, namespace(distro), f[0], version, arch, source, sourceVersion, distro);
  }

  private static Package rpmNevra(String l, String distro) throws MalformedPackageURLException {
    // name-[epoch:]version-release.arch
    int dot = l.lastIndexOf('.');
    int rel = l.lastIndexOf('-');
    int ver = rel > 0 ? l.lastIndexOf('-', rel - 1) : -1;
    if (ver <= 0 || dot < rel || l.contains(" ")) {
      return null;
    }
    String arch = l.substring(dot + 1);
    String version = l.substring(ver + 1, dot);
    return Purl.distro(
        Ecosystem.RPM, namespace(distro), l.substring(0, ver), version, arch, null, null, distro);
  }

  private static String namespace(String distro) {
    if (distro == null) {
      return "redhat";
    }
    int dash = distro.indexOf('-');
    return dash > 0 ? distro.substring(0, dash) : distro;
  }

  /**
   * @param distro the release, such as {@code alpine-3.17.2} (from {@code /etc/alpine-release})
   */
  public static Inventory apk(Path file, String asset, String distro) throws IOException {
    List<Package> out = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    String src = file.toString();
    try (BufferedReader r = reader(file)) {
      Map<Character, String> st = new HashMap<>();
      long line = 0;
      long start = 1;
      String l;
      while (true) {
        l = r.readLine();
        line++;
        if (l == null || l.isEmpty()) {
          if (!st.isEmpty()) {
            String name = st.get('P');
            String version = st.get('V');
            if (name == null || version == null) {
              problems.add(Problem.warning(src, start, -1, "a stanza without P: or V:; skipped"));
            } else {
              try {
                out.add(
                    Purl.distro(
                        Ecosystem.ALPINE,
                        "alpine",
                        name,
                        version,
                        st.get('A'),
                        st.getOrDefault('o', name),
                        version,
                        distro));
              } catch (MalformedPackageURLException e) {
                problems.add(Problem.warning(src, start, -1, "no purl: " + e.getMessage()));
              }
            }
            st.clear();
          }
          if (l == null) {
            break;
          }
          start = line + 1;
          continue;
        }
        if (l.length() < 2 || l.charAt(1) != ':') {
          problems.add(Problem.warning(src, line, -1, "not an 'X:value' line; skipped"));
          continue;
        }
        st.putIfAbsent(l.charAt(0), l.substring(2));
      }
    }
    return new Inventory(asset, out, problems);
  }

  static BufferedReader reader(Path file) throws IOException {
    return new BufferedReader(new InputStreamReader(InputFiles.open(file), StandardCharsets.UTF_8));
  }
}
