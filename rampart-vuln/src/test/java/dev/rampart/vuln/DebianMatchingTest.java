package dev.rampart.vuln;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.io.Problem;
import dev.rampart.core.testing.Corpora;
import dev.rampart.vuln.advisory.Advisories;
import dev.rampart.vuln.advisory.Advisory;
import dev.rampart.vuln.advisory.DebianTracker;
import dev.rampart.vuln.inventory.DpkgStatus;
import dev.rampart.vuln.inventory.Inventory;
import dev.rampart.vuln.inventory.Sboms;
import dev.rampart.vuln.match.Finding;
import dev.rampart.vuln.match.VulnDb;
import dev.rampart.vuln.version.Vectors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Debian packages against the Debian security tracker: by source package and release, on the
 * labelled oracle and on a real Debian 12 system.
 */
class DebianMatchingTest {
  static Path tracker;
  static VulnDb db;

  @BeforeAll
  static void load() throws Exception {
    tracker = Corpora.require("vuln/debian-security-tracker");
    Advisories.Loaded loaded = Advisories.load(tracker);
    db = new VulnDb();
    loaded.advisories().forEach(db::add);
    assertThat(loaded.kind()).isEqualTo("debian-tracker");
    assertThat(loaded.advisories()).hasSizeGreaterThan(8000);
  }

  @Test
  void theTrackerListsReadAsTheCorpusOwnTableSaysRowForRow() throws Exception {
    // The corpus carries its own flattening of the same lists: one row per advisory, release and
    // source package with a fixed version. Ours must give exactly those rows.
    Set<String> expected = new HashSet<>();
    for (Map<String, String> r : Vectors.read(tracker.resolve("fixed_versions.tsv.gz"))) {
      if (r.get("fixed_version").startsWith("<")) {
        continue; // <not-affected>, <unfixed>, <end-of-life>: no fixed version (read apart)
      }
      expected.add(
          r.get("advisory")
              + " "
              + r.get("suite")
              + " "
              + r.get("source_package")
              + " "
              + r.get("fixed_version"));
    }
    Set<String> ours = new HashSet<>();
    List<Problem> problems = new ArrayList<>();
    for (Path list : DebianTracker.lists(tracker)) {
      for (Advisory a : DebianTracker.read(list, problems)) {
        for (Advisory.Affected af : a.affected()) {
          if (af.ranges().get(0) instanceof Advisory.Events ev && ev.fixed() != null) {
            ours.add(a.id() + " " + af.release() + " " + af.packageName() + " " + ev.fixed());
          }
        }
      }
    }
    assertThat(problems).isEmpty();
    Set<String> missing = new HashSet<>(expected);
    missing.removeAll(ours);
    Set<String> extra = new HashSet<>(ours);
    extra.removeAll(expected);
    // Three advisories have a header without a package name ("DSA-1727-1  - SQL injection");
    // the table files their fixes under the advisory before, we under their own. Two entries have
    // two spaces before the version ("[wheezy] - curl  7.26.0-1+wheezy5"); the table lacks them.
    assertThat(missing)
        .as("rows we did not read")
        .containsExactlyInAnyOrder(
            "DSA-1728-1 lenny proftpd-dfsg 1.3.1-17lenny1",
            "DSA-1725-1 etch moodle 1.6.3-2+etch2",
            "DSA-2093-1 lenny lxr-cvs 0.9.5+cvs20071020-1+lenny1");
    assertThat(extra)
        .as("rows the table does not have")
        .containsExactlyInAnyOrder(
            "DSA-1727-1 lenny proftpd-dfsg 1.3.1-17lenny1",
            "DSA-1724-1 etch moodle 1.6.3-2+etch2",
            "DSA-2092-1 lenny lxr-cvs 0.9.5+cvs20071020-1+lenny1",
            "DSA-2798-1 wheezy curl 7.26.0-1+wheezy5",
            "DSA-307 woody gps 0.9.4-1woody1");
  }

  @Test
  void postgresStretchReproducesTheOracleIncludingBinaryPackagesNamedApartFromTheirSource()
      throws Exception {
    Inventory inv =
        Sboms.read(
            Corpora.require("vuln/osv-scanner-groundtruth/sbom-insecure/postgres-stretch.cdx.xml"),
            "postgres-stretch");
    assertThat(inv.packages()).hasSizeGreaterThan(100);
    VulnDb.Result r = db.match(inv);
    assertThat(r.notAssessed()).isEmpty();
    Set<String> found = new HashSet<>();
    for (Finding f : r.findings()) {
      found.add(
          f.pkg().name()
              + " "
              + f.pkg().version()
              + " "
              + f.comparedName()
              + " "
              + f.advisory().id()
              + " "
              + f.fixedVersion());
    }
    List<Map<String, String>> oracle =
        Vectors.read(Corpora.require("vuln/oracles/debian9_postgres-stretch_vs_tracker.tsv"));
    assertThat(oracle).isNotEmpty();
    for (Map<String, String> row : oracle) {
      assertThat(found)
          .contains(
              row.get("component")
                  + " "
                  + row.get("component_version")
                  + " "
                  + row.get("source_package")
                  + " "
                  + row.get("advisory")
                  + " "
                  + row.get("fixed_version"));
    }
    // every finding is a stretch advisory whose fixed version is above the installed source
    for (Finding f : r.findings()) {
      assertThat(f.explanation()).contains(" for stretch (debian-tracker)");
      assertThat(
              dev.rampart.vuln.version.Ecosystem.DEBIAN.compare(
                  f.comparedVersion(), f.fixedVersion()))
          .isNegative();
    }
    Finding libssl =
        r.findings().stream()
            .filter(f -> f.pkg().name().equals("libssl1.1"))
            .findFirst()
            .orElseThrow();
    assertThat(libssl.explanation())
        .isEqualTo(
            "openssl 1.1.0l-1~deb9u5 (source of libssl1.1 1.1.0l-1~deb9u5) < 1.1.0l-1~deb9u6 fixed"
                + " in DLA-3008-1 for stretch (debian-tracker)");
    System.out.println(
        "postgres-stretch: " + r.findings().size() + " findings, oracle rows " + oracle.size());
  }

  @Test
  void aDebian12SystemHasNoFindingsFromDataThatPredatesIt() throws Exception {
    Inventory inv =
        DpkgStatus.read(
            Corpora.require("vuln/debian12-dpkg-status/status.gz"), "this-machine", "debian-12");
    assertThat(inv.problems()).isEmpty();
    assertThat(inv.packages()).hasSize(836);
    assertThat(inv.packages().stream().map(p -> p.sourceName()).distinct().count()).isEqualTo(485);
    // the tracker snapshot has no bookworm rows: older releases' fixed versions must not be used
    assertThat(db.match(inv).findings()).isEmpty();
    // and the source packages agree with the corpus's own table
    for (Map<String, String> row :
        Vectors.read(Corpora.require("vuln/debian12-dpkg-status/packages.tsv"))) {
      if (!row.get("status").endsWith(" installed")) {
        continue;
      }
      assertThat(inv.packages())
          .anyMatch(
              p ->
                  p.name().equals(row.get("package"))
                      && p.version().equals(row.get("version"))
                      && p.sourceName().equals(row.get("source"))
                      && p.sourceVersion().equals(row.get("source_version")));
    }
  }
}
