package dev.rampart.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.core.testing.Corpora;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rampart vuln ...} end to end on the corpora. */
class VulnCliTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void compareTwoVersionsPrintsTheOrder() {
    assertThat(Run.of("vuln", "compare", "debian", "2.2~rc-4", "2.2-1").out().strip())
        .isEqualTo("-1");
    assertThat(Run.of("vuln", "compare", "pypi", "1.0", "1.0.0").out().strip()).isEqualTo("0");
    assertThat(Run.of("vuln", "compare", "rpm", "1:1.0-1", "2.0-1").out().strip()).isEqualTo("1");
    Run bad = Run.of("vuln", "compare", "cobol", "1", "2");
    assertThat(bad.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(bad.err()).contains("unknown ecosystem 'cobol'", "debian");
  }

  @Test
  void compareTsvCountsRowsAndNamesEachDisagreementByLine() throws IOException {
    Path tsv = dir.resolve("v.tsv");
    Files.writeString(tsv, "a\tb\tcmp\n1.0\t1.1\t-1\n1.0~rc1\t1.0\t-1\n2.0\t1.0\t-1\n");
    Run r = Run.of("vuln", "compare", "debian", "--tsv", tsv.toString(), "--json");
    assertThat(r.code()).isZero();
    assertThat(Run.of("vuln", "compare", "debian", "--tsv", tsv.toString(), "--strict").code())
        .isEqualTo(ExitCodes.FINDINGS);
    JsonNode j = JSON.readTree(r.out());
    assertThat(j.get("rows").asInt()).isEqualTo(3);
    assertThat(j.get("agree").asInt()).isEqualTo(2);
    assertThat(j.get("disagreements").get(0).get("line").asInt()).isEqualTo(4);
    Run real =
        Run.of(
            "vuln",
            "compare",
            "debian",
            "--tsv",
            Corpora.require("vuln/version-vectors/osv_debian-versions-generated.tsv.gz")
                .toString());
    assertThat(real.code()).as(real.out()).isZero();
    assertThat(real.out()).contains("(100.000%)");
  }

  @Test
  void scanSbomReportsTheOracleRowsAsJsonWithTheirSourcePackages() throws IOException {
    Path sbom =
        Corpora.require("vuln/osv-scanner-groundtruth/sbom-insecure/postgres-stretch.cdx.xml");
    Run r =
        Run.of(
            "vuln",
            "scan-sbom",
            sbom.toString(),
            "--advisories",
            Corpora.require("vuln/debian-security-tracker").toString(),
            "--format",
            "json");
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.FINDINGS);
    JsonNode j = JSON.readTree(r.out());
    List<String> rows = new ArrayList<>();
    for (JsonNode f : j.get("findings")) {
      rows.add(
          f.get("package").asText()
              + " "
              + f.get("source_package").asText()
              + " "
              + f.get("advisory").asText()
              + " "
              + f.get("fixed_version").asText());
      assertThat(f.get("purl").asText()).startsWith("pkg:deb/debian/");
      assertThat(f.get("source").asText()).isEqualTo("debian-tracker");
    }
    assertThat(rows)
        .contains(
            "libssl1.1 openssl DLA-3008-1 1.1.0l-1~deb9u6",
            "libudev1 systemd DLA-3063-1 232-25+deb9u14",
            "tzdata tzdata DLA-3051-1 2021a-0+deb9u4");
    assertThat(r.err()).contains("135 packages", "findings");
  }

  @Test
  void benchVulnReportsTheThreeFiguresTheIssueNames() throws IOException {
    Corpora.require("vuln/debian-security-tracker");
    Run r = Run.of("bench", "vuln", "--hosts", "20", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = JSON.readTree(r.out());
    assertThat(j.get("sbom_scan_ms").asDouble()).isPositive();
    assertThat(j.get("vectors_ms").asDouble()).isPositive();
    assertThat(j.has("fleet_rematch_s")).isTrue();
    assertThat(j.get("hosts").asInt()).isEqualTo(20);
    assertThat(j.get("vector_rows").asLong()).isGreaterThan(40_000);
    assertThat(j.get("sbom_packages").asLong()).isGreaterThan(1_700); // keycloak + juice-shop
    assertThat(j.get("sbom_findings").asLong()).isPositive();
  }

  @Test
  void feedsInventoriesFindingsExceptionsAndSlaEndToEnd() throws IOException {
    String d = dir.resolve("data").toString();
    Run none = Run.of("vuln", "findings", "--data", d);
    assertThat(none.code()).isZero();
    Run noFeeds =
        Run.of(
            "vuln",
            "import-inventory",
            Corpora.require("vuln/osv-scanner-groundtruth/sbom-insecure/postgres-stretch.cdx.xml")
                .toString(),
            "--asset",
            "db-01",
            "--data",
            d);
    assertThat(noFeeds.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(noFeeds.err()).contains("rampart vuln feeds add PATH");

    Run add =
        Run.of(
            "vuln",
            "feeds",
            "add",
            Corpora.require("vuln/debian-security-tracker").toString(),
            Corpora.require("vuln/nodejs-security-wg/vuln.zip").toString(),
            Corpora.require("vuln/cisa-kev/known_exploited_vulnerabilities.json.gz").toString(),
            "--data",
            d);
    assertThat(add.code()).as(add.err()).isZero();
    Run feeds = Run.of("vuln", "feeds", "--json", "--data", d);
    assertThat(feeds.out().lines()).hasSize(3);
    assertThat(feeds.out()).contains("\"kind\":\"cisa-kev\",\"advisories\":1404");

    Run db =
        Run.of(
            "vuln",
            "import-inventory",
            Corpora.require("vuln/osv-scanner-groundtruth/sbom-insecure/postgres-stretch.cdx.xml")
                .toString(),
            "--asset",
            "db-01",
            "--at",
            "2026-11-01T00:00:00Z",
            "--json",
            "--data",
            d);
    assertThat(db.code()).as(db.err()).isZero();
    assertThat(JSON.readTree(db.out()).get("opened").asInt()).isEqualTo(9);
    Run shop =
        Run.of(
            "vuln",
            "import-inventory",
            Corpora.require("cyclonedx-bom-examples/SBOM/juice-shop/v11.1.2/bom.json.gz")
                .toString(),
            "--asset",
            "shop",
            "--internet-facing",
            "--data",
            d);
    assertThat(shop.out()).contains("shop: 840 packages; findings: 9 new");

    Run json = Run.of("vuln", "findings", "--format", "json", "--data", d);
    assertThat(json.code()).isEqualTo(ExitCodes.FINDINGS);
    assertThat(json.out().lines()).hasSize(18);
    JsonNode first = JSON.readTree(json.out().lines().findFirst().orElseThrow());
    assertThat(first.get("severity").asText()).isEqualTo("high");
    assertThat(first.get("cvss").asDouble()).isEqualTo(8.7);
    assertThat(
            Run.of("vuln", "findings", "--severity", "high", "--format", "csv", "--data", d)
                .out()
                .lines())
        .hasSize(5) // a header and jws, jsonwebtoken twice (two versions in the tree), base64url
        .first()
        .asString()
        .startsWith("id,asset,package");

    Run ex =
        Run.of(
            "vuln",
            "exceptions",
            "add",
            "--advisory",
            "DLA-3008-1",
            "--asset",
            "db-01",
            "--owner",
            "carol",
            "--reason",
            "RISK-42",
            "--for",
            "30d",
            "--data",
            d);
    assertThat(ex.code()).as(ex.err()).isZero();
    assertThat(Run.of("vuln", "findings", "--format", "json", "--data", d).out().lines())
        .hasSize(16);
    assertThat(Run.of("vuln", "exceptions", "--data", d).out()).contains("carol", "RISK-42");
    Run vex =
        Run.of(
            "vuln",
            "vex",
            Corpora.require("vuln/nodejs-security-wg/node.openvex.json.gz").toString(),
            "--data",
            d);
    assertThat(vex.err()).contains("476 statements (openvex)"); // 183, each on its products

    Run sla = Run.of("vuln", "sla", "--json", "--data", d);
    JsonNode s = JSON.readTree(sla.out());
    assertThat(s.get("severities").get(1).get("severity").asText()).isEqualTo("high");
    assertThat(s.get("severities").get(1).get("open").asInt()).isEqualTo(4);
    assertThat(s.get("trend")).hasSize(30);
    assertThat(Run.of("vuln", "sla", "--data", d).out()).contains("open findings", "MTTR");
  }

  /** A loopback service that greets every connection with {@code banner}, as sshd does. */
  static java.net.ServerSocket sshd(String banner) throws IOException {
    java.net.ServerSocket ss =
        new java.net.ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress());
    Thread.ofVirtual()
        .start(
            () -> {
              while (!ss.isClosed()) {
                try (java.net.Socket s = ss.accept()) {
                  s.getOutputStream()
                      .write(
                          (banner + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                  Thread.sleep(20);
                } catch (Exception e) {
                  // next
                }
              }
            });
    return ss;
  }

  @Test
  void networkScanReportsServicesRefusesOtherNetworksAndRecordsFindings() throws Exception {
    try (java.net.ServerSocket ss = sshd("SSH-2.0-OpenSSH_7.4")) {
      Run r =
          Run.of(
              "vuln",
              "scan",
              "127.0.0.1:" + ss.getLocalPort(),
              "--json",
              "--asset",
              "bastion",
              "--data",
              dir.resolve("data").toString());
      assertThat(r.code()).as(r.err()).isZero();
      JsonNode j = JSON.readTree(r.out());
      assertThat(j.at("/services/0/kind").asText()).isEqualTo("ssh");
      assertThat(j.at("/services/0/banner").asText()).isEqualTo("SSH-2.0-OpenSSH_7.4");
      assertThat(j.get("complete").asBoolean()).isTrue();
      assertThat(r.err()).contains("bastion: findings 0 new");
      assertThat(j.get("banner_advisories")).isEmpty();
    }
    // with Debian's tracker registered, a banner naming Debian's revision is matched
    try (java.net.ServerSocket debian = sshd("SSH-2.0-OpenSSH_7.4p1 Debian-10+deb9u3")) {
      String data = dir.resolve("data").toString();
      Run add = registerDebianTracker(data);
      assertThat(add.code()).as(add.err()).isZero();
      Run r =
          Run.of(
              "vuln",
              "scan",
              "127.0.0.1:" + debian.getLocalPort(),
              "--asset",
              "old-ssh",
              "--data",
              data);
      assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.FINDINGS);
      assertThat(r.out()).contains("DSA-4280-1", "1:7.4p1-10+deb9u4", "openssh 1:7.4p1-10+deb9u3");
      assertThat(r.err()).contains("old-ssh: findings").doesNotContain("findings 0 new");
    }
    Run refused = Run.of("vuln", "scan", "192.0.2.1:22");
    assertThat(refused.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(refused.err()).contains("outside the networks", "--allow");
  }

  @Test
  void scanSbomSaysWhatToDoWithAdvisoryDataItCannotRead() throws IOException {
    Path sbom = Corpora.require("vuln/osv-scanner-groundtruth/sbom-insecure/alpine.cdx.xml");
    Run r =
        Run.of(
            "vuln", "scan-sbom", sbom.toString(), "--advisories", dir.resolve("nope").toString());
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("no such file or folder");
  }

  /** Registers Debian's security tracker from the corpora as a feed of {@code data}. */
  static Run registerDebianTracker(String data) {
    return Run.of(
        "vuln",
        "feeds",
        "add",
        dev.rampart.core.testing.Corpora.require("vuln/debian-security-tracker").toString(),
        "--data",
        data);
  }
}
