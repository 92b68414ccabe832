package dev.rampart.vuln.inventory;

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
 * A Debian or Ubuntu {@code /var/lib/dpkg/status} file: one stanza per package; those whose {@code
 * Status} ends in {@code installed} are kept, with their source package ({@code Source: name
 * [(version)]}, else the package itself).
 */
public final class DpkgStatus {
  private DpkgStatus() {}

  /**
   * @param distro the release, such as {@code debian-12} (a status file does not say it)
   */
  public static Inventory read(Path file, String asset, String distro) throws IOException {
    List<Package> out = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    String name = file.toString();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(InputFiles.open(file), StandardCharsets.UTF_8))) {
      Map<String, String> stanza = new HashMap<>();
      long line = 0;
      long start = 1;
      String l;
      while (true) {
        l = r.readLine();
        line++;
        if (l == null || l.isEmpty()) {
          if (!stanza.isEmpty()) {
            add(stanza, name, start, distro, out, problems);
            stanza.clear();
          }
          if (l == null) {
            break;
          }
          start = line + 1;
          continue;
        }
        if (l.charAt(0) == ' ' || l.charAt(0) == '\t') {
          continue; // a continuation (descriptions, conffiles)
        }
        int colon = l.indexOf(':');
        if (colon <= 0) {
          problems.add(Problem.warning(name, line, -1, "not a 'Field: value' line; skipped"));
          continue;
        }
        stanza.put(l.substring(0, colon), l.substring(colon + 1).strip());
      }
    }
    return new Inventory(asset, out, problems);
  }

  private static void add(
      Map<String, String> s,
      String file,
      long line,
      String distro,
      List<Package> out,
      List<Problem> problems) {
    String pkg = s.get("Package");
    String version = s.get("Version");
    String status = s.getOrDefault("Status", "");
    if (!status.endsWith(" installed")) {
      return; // removed, config-files only, half-installed: nothing runs
    }
    if (pkg == null || version == null || pkg.isEmpty() || version.isEmpty()) {
      problems.add(Problem.error(file, line, -1, "a stanza without Package or Version; skipped"));
      return;
    }
    String src = pkg;
    String srcVersion = version;
    String source = s.get("Source");
    if (source != null && !source.isEmpty()) {
      int paren = source.indexOf('(');
      if (paren > 0 && source.endsWith(")")) {
        src = source.substring(0, paren).strip();
        srcVersion = source.substring(paren + 1, source.length() - 1).strip();
      } else {
        src = source.strip();
      }
    }
    String arch = s.getOrDefault("Architecture", "");
    String family = distro != null && distro.startsWith("ubuntu") ? "ubuntu" : "debian";
    String purl =
        "pkg:deb/"
            + family
            + "/"
            + pkg
            + "@"
            + version
            + "?arch="
            + arch
            + (src.equals(pkg) ? "" : "&upstream=" + src)
            + (distro == null ? "" : "&distro=" + distro);
    out.add(
        new Package(
            pkg,
            version,
            family.equals("ubuntu") ? Ecosystem.UBUNTU : Ecosystem.DEBIAN,
            purl,
            src,
            srcVersion,
            distro));
  }
}
