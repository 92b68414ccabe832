package dev.rampart.vuln.advisory;

import dev.rampart.core.io.InputFiles;
import dev.rampart.core.io.Problem;
import dev.rampart.vuln.version.Ecosystem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Debian security tracker's advisory lists ({@code data/DSA/list}, {@code data/DLA/list}, as
 * published in the tracker's repository, plain or gzipped): per advisory, the CVEs and, per
 * release, the source package's fixed version. {@code <not-affected>} entries are left out; an
 * {@code <unfixed>} or {@code <end-of-life>} entry affects every version.
 */
public final class DebianTracker {
  private DebianTracker() {}

  private static final Pattern HEAD =
      Pattern.compile("^\\[(\\d{1,2} \\w{3} \\d{4})\\]\\s+(D[SL]A-[\\w-]+)\\s+(\\S+)\\s*(.*)$");
  private static final Pattern FIX =
      Pattern.compile("^\\[([a-z-]+)\\]\\s+-\\s+(\\S+)\\s+(\\S+)(.*)$");
  private static final Pattern CVES = Pattern.compile("^\\{(.*)\\}$");

  /** Whether {@code dir} holds a tracker checkout (its {@code data/DSA} or {@code data/DLA}). */
  public static boolean isTracker(Path dir) {
    return Files.isDirectory(dir.resolve("data").resolve("DSA"))
        || Files.isDirectory(dir.resolve("data").resolve("DLA"));
  }

  /** The list files of a tracker checkout. */
  public static List<Path> lists(Path dir) {
    List<Path> out = new ArrayList<>();
    for (String kind : new String[] {"DSA", "DLA"}) {
      for (String n : new String[] {"list", "list.gz"}) {
        Path p = dir.resolve("data").resolve(kind).resolve(n);
        if (Files.isRegularFile(p)) {
          out.add(p);
          break;
        }
      }
    }
    return out;
  }

  /** Reads one list file; lines it cannot read are problems with their line, the rest loads. */
  public static List<Advisory> read(Path list, List<Problem> problems) throws IOException {
    List<Advisory> out = new ArrayList<>();
    String name = list.toString();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(InputFiles.open(list), StandardCharsets.UTF_8))) {
      String id = null;
      String date = null;
      String summary = null;
      List<String> cves = new ArrayList<>();
      List<Advisory.Affected> affected = new ArrayList<>();
      String l;
      long line = 0;
      while (true) {
        l = r.readLine();
        line++;
        Matcher h = l == null ? null : HEAD.matcher(l);
        if (l == null || h.matches()) {
          if (id != null) {
            out.add(
                new Advisory(
                    id,
                    List.copyOf(cves),
                    summary,
                    date,
                    "debian-tracker",
                    List.copyOf(affected),
                    List.of()));
          }
          if (l == null) {
            break;
          }
          date = h.group(1);
          id = h.group(2);
          summary = (h.group(3) + " " + h.group(4)).strip();
          cves.clear();
          affected.clear();
          continue;
        }
        String t = l.strip();
        if (t.isEmpty() || t.startsWith("NOTE:")) {
          continue;
        }
        if (id == null) {
          problems.add(Problem.warning(name, line, -1, "text before the first advisory; skipped"));
          continue;
        }
        Matcher c = CVES.matcher(t);
        if (c.matches()) {
          for (String cve : c.group(1).strip().split("\\s+")) {
            if (!cve.isEmpty()) {
              cves.add(cve);
            }
          }
          continue;
        }
        Matcher f = FIX.matcher(t);
        if (!f.matches()) {
          problems.add(Problem.warning(name, line, -1, id + ": cannot read '" + t + "'; skipped"));
          continue;
        }
        String release = f.group(1);
        String pkg = f.group(2);
        String version = f.group(3);
        if (version.equals("<not-affected>")) {
          continue;
        }
        Advisory.Range range =
            version.startsWith("<")
                ? new Advisory.Events("0", null, null) // <unfixed>, <end-of-life>: no fix
                : new Advisory.Events("0", version, null);
        affected.add(
            new Advisory.Affected(Ecosystem.DEBIAN, release, pkg, List.of(range), List.of()));
      }
    }
    return out;
  }

  /** Debian's release numbers and code names (a purl's {@code distro=debian-9} is stretch). */
  public static String codename(String distro) {
    if (distro == null) {
      return null;
    }
    String d = distro.toLowerCase(java.util.Locale.ROOT);
    if (!d.startsWith("debian-")) {
      return null;
    }
    String n = d.substring("debian-".length());
    int dot = n.indexOf('.');
    String major = dot < 0 ? n : n.substring(0, dot);
    return switch (major) {
      case "3" -> n.startsWith("3.1") ? "sarge" : "woody";
      case "4" -> "etch";
      case "5" -> "lenny";
      case "6" -> "squeeze";
      case "7" -> "wheezy";
      case "8" -> "jessie";
      case "9" -> "stretch";
      case "10" -> "buster";
      case "11" -> "bullseye";
      case "12" -> "bookworm";
      case "13" -> "trixie";
      case "14" -> "forky";
      default -> major.matches("[a-z]+") ? major : null; // debian-bookworm
    };
  }
}
