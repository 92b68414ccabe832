package dev.rampart.vuln;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.io.Problem;
import dev.rampart.core.testing.Corpora;
import dev.rampart.vuln.advisory.Advisories;
import dev.rampart.vuln.advisory.Advisory;
import dev.rampart.vuln.inventory.Inventory;
import dev.rampart.vuln.inventory.Package;
import dev.rampart.vuln.inventory.Purls;
import dev.rampart.vuln.inventory.Sboms;
import dev.rampart.vuln.match.Finding;
import dev.rampart.vuln.match.VulnDb;
import dev.rampart.vuln.version.Vectors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OSV, Alpine secdb and Node.js security WG data as published, and matching against them. */
class AdvisoryFeedsTest {
  @TempDir Path dir;

  static VulnDb db(String... corpora) throws Exception {
    VulnDb db = new VulnDb();
    for (String c : corpora) {
      Advisories.Loaded l = Advisories.load(Corpora.require(c));
      assertThat(l.problems()).as(c).isEmpty();
      l.advisories().forEach(db::add);
    }
    return db;
  }

  static Inventory inventory(String... purls) throws Exception {
    List<Package> ps = new ArrayList<>();
    for (String p : purls) {
      ps.add(Purls.parse(p, null, null));
    }
    return new Inventory("test", ps, List.of());
  }

  static Set<String> found(VulnDb db, Inventory inv) {
    Set<String> out = new HashSet<>();
    for (Finding f : db.match(inv).findings()) {
      out.add(f.pkg().name() + "@" + f.pkg().version() + " " + f.advisory().id());
    }
    return out;
  }

  @Test
  void juiceShopAgainstTheNodeSecurityWgReproducesTheOracleRowForRow() throws Exception {
    VulnDb db = db("vuln/nodejs-security-wg/vuln.zip");
    Inventory inv =
        Sboms.read(
            Corpora.require("cyclonedx-bom-examples/SBOM/juice-shop/v11.1.2/bom.json.gz"),
            "juice-shop");
    Set<String> found = found(db, inv);
    List<Map<String, String>> oracle =
        Vectors.read(Corpora.require("vuln/oracles/juice-shop-v11.1.2_vs_nodejs-security-wg.tsv"));
    assertThat(oracle).hasSizeGreaterThan(40);
    List<String> wrong = new ArrayList<>();
    for (Map<String, String> row : oracle) {
      String key =
          row.get("package") + "@" + row.get("version") + " NSWG-ECO-" + row.get("advisory_id");
      if (found.contains(key) != Boolean.parseBoolean(row.get("affected"))) {
        wrong.add(key + " expected affected=" + row.get("affected"));
      }
      // every oracle row names a package that is in the SBOM
      assertThat(inv.packages())
          .anyMatch(
              p -> p.name().equals(row.get("package")) && p.version().equals(row.get("version")));
    }
    assertThat(wrong).isEmpty();
    System.out.println("juice-shop: " + found.size() + " findings; " + found);
  }

  @Test
  void osvDumpsLoadAsPublishedAndMatchByTheirEcosystemsOrder() throws Exception {
    VulnDb db = db("osv-golang-vulndb/osv.zip", "osv-pypa/vulns.zip", "osv-rustsec/osv.zip");
    assertThat(db.advisories()).isGreaterThan(7000);
    Set<String> f =
        found(
            db,
            inventory(
                "pkg:golang/github.com/gin-gonic/gin@v1.5.0",
                "pkg:golang/github.com/gin-gonic/gin@v1.6.0",
                "pkg:pypi/admesh@0.98.4",
                "pkg:pypi/ADMesh@0.98a1",
                "pkg:pypi/admesh@0.98.5"));
    assertThat(f)
        .contains("github.com/gin-gonic/gin@v1.5.0 GO-2020-0001", "admesh@0.98.4 PYSEC-2022-182")
        .contains("admesh@0.98a1 PYSEC-2022-182") // purls lower-case PyPI names; the version list
        .noneMatch(s -> s.equals("github.com/gin-gonic/gin@v1.6.0 GO-2020-0001"))
        .noneMatch(s -> s.startsWith("admesh@0.98.5 "));
  }

  @Test
  void alpineSecdbMatchesOnlyTheBranchItWasWrittenFor() throws Exception {
    VulnDb db = db("vuln/alpine-secdb/secdb-yaml.zip");
    Set<String> f =
        found(
            db,
            inventory(
                "pkg:apk/alpine/ansible@2.8.3-r0?distro=alpine-3.10.4",
                "pkg:apk/alpine/ansible@2.8.4-r0?distro=alpine-3.10.4",
                "pkg:apk/alpine/ansible@2.8.3-r0?distro=alpine-3.17.2"));
    assertThat(f).contains("ansible@2.8.3-r0 CVE-2019-10206");
    assertThat(f).noneMatch(s -> s.startsWith("ansible@2.8.4-r0"));
    // 3.17 has no data in this snapshot: no other branch's fixed versions are used
    assertThat(
            db.match(inventory("pkg:apk/alpine/ansible@2.8.3-r0?distro=alpine-3.17.2")).findings())
        .isEmpty();
  }

  @Test
  void reimportUpdatesWhatChangedAndOneBadRecordStopsNothing() throws Exception {
    Path feed = Files.createDirectories(dir.resolve("feed"));
    String osv =
        """
        {"id": "RAMPART-TEST-1", "modified": "2026-01-01T00:00:00Z",
         "affected": [{"package": {"ecosystem": "PyPI", "name": "demo"},
           "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "%s"}]}]}]}
        """;
    Files.writeString(feed.resolve("good.json"), osv.formatted("1.5"));
    Files.writeString(feed.resolve("broken.json"), "{\"id\": \"X\", \"affected\": [");
    Files.writeString(
        feed.resolve("odd.yaml"),
        """
        id: RAMPART-TEST-2
        modified: "2026-01-01T00:00:00Z"
        affected:
        - package: {ecosystem: npm, name: left-pad}
          ranges:
          - type: SEMVER
            events: [{fixed: 1.0.0}]
        - package: {ecosystem: SwiftURL, name: github.com/apple/swift-nio}
          versions: ["1.0"]
        """);
    Advisories.Loaded l = Advisories.load(feed);
    assertThat(l.advisories())
        .extracting(Advisory::id)
        .containsExactly("RAMPART-TEST-1", "RAMPART-TEST-2");
    assertThat(l.problems())
        .extracting(Problem::toString)
        .anySatisfy(p -> assertThat(p).contains("broken.json", "not valid JSON"))
        .anySatisfy(p -> assertThat(p).contains("odd.yaml", "$.affected[0].ranges[0].events[0]"));
    assertThat(l.skipped()).containsValue(1); // the SwiftURL package

    VulnDb db = new VulnDb();
    l.advisories().forEach(db::add);
    Inventory inv = inventory("pkg:pypi/demo@1.4", "pkg:npm/left-pad@0.9.0");
    assertThat(found(db, inv))
        .containsExactlyInAnyOrder("demo@1.4 RAMPART-TEST-1", "left-pad@0.9.0 RAMPART-TEST-2");

    Files.writeString(feed.resolve("good.json"), osv.formatted("1.3"));
    List<VulnDb.Added> outcomes = new ArrayList<>();
    Advisories.load(feed).advisories().forEach(a -> outcomes.add(db.add(a)));
    assertThat(outcomes).containsExactly(VulnDb.Added.UPDATED, VulnDb.Added.UNCHANGED);
    assertThat(db.advisories()).isEqualTo(2);
    assertThat(found(db, inv)).containsExactly("left-pad@0.9.0 RAMPART-TEST-2");
  }
}
