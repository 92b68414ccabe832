package dev.rampart.cli.vuln;

import dev.rampart.cases.CaseStore;
import dev.rampart.cli.DataOptions;
import dev.rampart.cli.UsageException;
import dev.rampart.vuln.advisory.Advisories;
import dev.rampart.vuln.advisory.Advisory;
import dev.rampart.vuln.match.VulnDb;
import dev.rampart.vuln.priority.Kev;
import dev.rampart.vuln.track.VulnStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * The vulnerability state of a data folder: the case database ({@code DATA/cases.db}) with its
 * vulnerability tables, and the registered feeds loaded into a {@link VulnDb}.
 */
public final class Workspace implements AutoCloseable {
  static final String KEV = VulnStore.KEV;

  final CaseStore cases;
  public final VulnStore store;

  private Workspace(CaseStore cases) {
    this.cases = cases;
    this.store = VulnStore.open(cases.db());
  }

  public static Workspace open(DataOptions data) {
    return new Workspace(CaseStore.open("jdbc:sqlite:" + data.dataDir().resolve("cases.db")));
  }

  /** One feed loaded: its advisories or KEV catalog, and what to record about it. */
  record Loaded(VulnStore.Feed feed, List<Advisory> advisories, Kev kev) {}

  /** Loads a feed from its path: KEV by its file name, advisories by their layout. */
  static Loaded load(Path path, String actor) {
    String name = path.getFileName() == null ? "" : path.getFileName().toString();
    try {
      if (name.startsWith("known_exploited_vulnerabilities")) {
        Kev k = Kev.load(path);
        return new Loaded(
            new VulnStore.Feed(
                path.toAbsolutePath().toString(),
                KEV,
                k.size(),
                k.problems().size(),
                isoDate(k.released()),
                System.currentTimeMillis(),
                actor),
            List.of(),
            k);
      }
      Advisories.Loaded l = Advisories.load(path);
      String newest = null;
      for (Advisory a : l.advisories()) {
        String d = isoDate(a.published());
        if (d != null && (newest == null || d.compareTo(newest) > 0)) {
          newest = d;
        }
      }
      return new Loaded(
          new VulnStore.Feed(
              path.toAbsolutePath().toString(),
              l.kind(),
              l.advisories().size(),
              l.problems().size(),
              newest,
              System.currentTimeMillis(),
              actor),
          l.advisories(),
          null);
    } catch (IOException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private static final DateTimeFormatter TRACKER =
      DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);

  /** A feed's publication date as yyyy-mm-dd: ISO-8601 text or the tracker's "25 May 2022". */
  static String isoDate(String s) {
    if (s == null || s.isBlank()) {
      return null;
    }
    if (s.length() >= 10 && s.charAt(4) == '-' && s.charAt(7) == '-') {
      return s.substring(0, 10);
    }
    try {
      return LocalDate.parse(s.strip(), TRACKER).toString();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Every registered feed loaded into one database; says what to do when there is none. */
  public VulnDb advisories(boolean quiet) throws Exception {
    if (!store.hasAdvisories()) {
      throw new UsageException(
          "no advisory data registered; add some first: rampart vuln feeds add PATH"
              + " (a Debian security-tracker checkout, OSV files or zips, Alpine secdb, the"
              + " Node.js security WG repository)");
    }
    return store.advisories(
        (f, n) -> {
          if (!quiet) {
            System.err.printf("%s: %,d %s%n", f.path(), n, f.kind());
          }
        });
  }

  @Override
  public void close() {
    cases.close();
  }
}
