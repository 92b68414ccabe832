package dev.rampart.vuln;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rampart.core.io.Problem;
import dev.rampart.core.testing.Corpora;
import dev.rampart.vuln.advisory.Advisories;
import dev.rampart.vuln.inventory.Inventory;
import dev.rampart.vuln.inventory.InventoryFormat;
import dev.rampart.vuln.inventory.Package;
import dev.rampart.vuln.match.Finding;
import dev.rampart.vuln.match.VulnDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every inventory format, recognised by name or content, read into purls, bad lines reported. */
class InventoriesTest {
  @TempDir Path dir;

  static Path fixture(String name) throws Exception {
    return Path.of(InventoriesTest.class.getResource("/inventories/" + name).toURI());
  }

  static Inventory read(String name, String distro) throws Exception {
    return InventoryFormat.read(fixture(name), null, "host", distro);
  }

  static List<String> purls(Inventory inv) {
    return inv.packages().stream().map(Package::purl).toList();
  }

  @Test
  void rpmListsKeepEpochsAndSourcePackages() throws Exception {
    assertThat(InventoryFormat.detect(fixture("rpm-qa.tsv"))).isEqualTo(InventoryFormat.RPM);
    Inventory inv = read("rpm-qa.tsv", "rhel-9");
    Package ssl = inv.packages().get(0);
    assertThat(ssl.name()).isEqualTo("openssl-libs");
    assertThat(ssl.version()).isEqualTo("1:3.0.7-16.el9_2");
    assertThat(ssl.sourceName()).isEqualTo("openssl");
    assertThat(ssl.sourceVersion()).isEqualTo("1:3.0.7-16.el9_2");
    assertThat(ssl.purl())
        .isEqualTo(
            "pkg:rpm/rhel/openssl-libs@3.0.7-16.el9_2?arch=x86_64&distro=rhel-9&epoch=1&upstream=openssl");
    assertThat(inv.packages()).extracting(Package::name).contains("bash", "gpg-pubkey");
    assertThat(inv.problems()).extracting(Problem::line).containsExactly(3L);
  }

  @Test
  void apkDatabaseNamesTheOriginAndReportsAStanzaWithoutName() throws Exception {
    assertThat(InventoryFormat.detect(fixture("installed"))).isEqualTo(InventoryFormat.APK);
    Inventory inv = read("installed", "alpine-3.10.4");
    assertThat(inv.packages()).hasSize(2);
    assertThat(inv.packages().get(0).sourceName()).isEqualTo("openssl");
    assertThat(inv.problems()).hasSize(1);
    assertThat(inv.problems().get(0).line()).isEqualTo(14);
    // matched by origin against the branch's secdb
    VulnDb db = new VulnDb();
    Advisories.load(Corpora.require("vuln/alpine-secdb/secdb-yaml.zip"))
        .advisories()
        .forEach(db::add);
    Set<String> found =
        db.match(inv).findings().stream()
            .map(f -> f.pkg().name() + " " + f.advisory().id())
            .collect(Collectors.toSet());
    assertThat(found).contains("libcrypto1.1 CVE-2019-1547");
  }

  @Test
  void mavenListLeavesTestScopeOutAndKeepsClassifiedArtifacts() throws Exception {
    assertThat(InventoryFormat.detect(fixture("dependency-list.txt")))
        .isEqualTo(InventoryFormat.MAVEN);
    Inventory inv = read("dependency-list.txt", null);
    assertThat(purls(inv))
        .containsExactly(
            "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.10.1",
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
            "pkg:maven/io.netty/netty-transport-native-epoll@4.1.100.Final");
    assertThat(inv.packages().get(1).name()).isEqualTo("org.apache.logging.log4j:log4j-core");
  }

  @Test
  void npmLockfilesOfEveryVersion() throws Exception {
    Inventory v3 = read("package-lock.json", null);
    assertThat(purls(v3))
        .containsExactly(
            "pkg:npm/lodash@4.17.4", "pkg:npm/%40babel/core@7.0.0", "pkg:npm/ms@0.7.0");
    assertThat(v3.problems()).singleElement().asString().contains("node_modules/broken");
    Inventory v1 = InventoryFormat.read(fixture("package-lock-v1.json"), null, "h", null);
    assertThat(purls(v1))
        .containsExactly("pkg:npm/ms@0.7.0", "pkg:npm/debug@2.2.0", "pkg:npm/ms@0.7.1");
    assertThat(v1.problems()).singleElement().asString().contains("mine");
  }

  @Test
  void pinnedRequirementsGoSumAndCargoLockMatchOsvData() throws Exception {
    Inventory pip = read("requirements.txt", null);
    assertThat(purls(pip)).containsExactly("pkg:pypi/admesh@0.98.4", "pkg:pypi/django@3.2.0");
    assertThat(pip.problems()).singleElement().asString().contains(":7:", "requests>=2.0");
    Inventory go = read("go.sum", null);
    assertThat(purls(go)).containsExactly("pkg:golang/github.com/gin-gonic/gin@v1.5.0");
    assertThat(go.problems()).singleElement().asString().contains(":4:");
    Inventory cargo = read("Cargo.lock", null);
    assertThat(purls(cargo)).containsExactly("pkg:cargo/openssl@0.8.3");

    VulnDb db = new VulnDb();
    for (String feed :
        List.of("osv-golang-vulndb/osv.zip", "osv-pypa/vulns.zip", "osv-rustsec/osv.zip")) {
      Advisories.load(Corpora.require(feed)).advisories().forEach(db::add);
    }
    for (Inventory inv : List.of(pip, go, cargo)) {
      assertThat(db.match(inv).findings())
          .as(inv.packages().toString())
          .extracting(Finding::explanation)
          .isNotEmpty();
    }
    assertThat(db.match(cargo).findings())
        .extracting(f -> f.advisory().id())
        .contains("RUSTSEC-2016-0001");
  }

  @Test
  void badPurlsAreReportedWithTheirLineAndTheRestIsKept() throws Exception {
    Inventory inv =
        InventoryFormat.read(
            Corpora.require("vuln/osv-scanner-groundtruth/sbom-insecure/bad-purls.cdx.xml"),
            null,
            "img",
            null);
    assertThat(inv.packages()).hasSize(8);
    assertThat(inv.problems())
        .extracting(Problem::toString)
        .anySatisfy(p -> assertThat(p).contains("bad-purls.cdx.xml:223:", "ca-certificates-bundle"))
        .anySatisfy(p -> assertThat(p).contains(":481:", "ssl_client", "name"));
  }

  @Test
  void anUnrecognisedFileSaysWhichFormatsThereAre() throws Exception {
    Path odd = Files.writeString(dir.resolve("inventory.txt"), "hello\n");
    assertThatThrownBy(() -> InventoryFormat.read(odd, null, "h", null))
        .hasMessageContaining("--format")
        .hasMessageContaining("go.sum")
        .hasMessageContaining("rpm -qa");
  }
}
