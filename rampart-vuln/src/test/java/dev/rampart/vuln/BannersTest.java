package dev.rampart.vuln;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.cases.CaseStore;
import dev.rampart.cases.DatabaseTest;
import dev.rampart.core.testing.Corpora;
import dev.rampart.vuln.advisory.Advisories;
import dev.rampart.vuln.match.VulnDb;
import dev.rampart.vuln.netscan.Banners;
import dev.rampart.vuln.netscan.NetScan;
import dev.rampart.vuln.track.VulnStore;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Debian's OpenSSH banners read as the package they claim, matched against Debian's security
 * tracker (the corpus), and kept as network findings that a later scan fixes.
 */
class BannersTest extends DatabaseTest {
  static VulnDb tracker;

  @BeforeAll
  static void load() throws Exception {
    tracker = new VulnDb();
    Advisories.load(Corpora.require("vuln/debian-security-tracker"))
        .advisories()
        .forEach(tracker::add);
  }

  static NetScan.Service ssh(String banner) {
    return new NetScan.Service("10.0.5.10", 22, "ssh", banner, null);
  }

  @Test
  void onlyABannerNamingItsDebianReleaseClaimsAPackage() {
    Banners.Claim c = Banners.claim(ssh("SSH-2.0-OpenSSH_7.4p1 Debian-10+deb9u3\r\n"));
    assertThat(c.pkg().sourceName()).isEqualTo("openssh");
    assertThat(c.pkg().version()).isEqualTo("1:7.4p1-10+deb9u3");
    assertThat(c.pkg().distro()).isEqualTo("debian-9");
    assertThat(c.banner()).isEqualTo("SSH-2.0-OpenSSH_7.4p1 Debian-10+deb9u3");
    assertThat(Banners.claim(ssh("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3")).pkg().distro())
        .isEqualTo("debian-12");
    for (String unclear :
        new String[] {
          "SSH-2.0-OpenSSH_7.4p1 Debian-10", // the release's first upload: which release?
          "SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.6", // no Ubuntu data to match by
          "SSH-2.0-OpenSSH_9.6", // upstream only
          "220 mail.example.org ESMTP Postfix (Debian/GNU)",
          "SSH-2.0-dropbear_2020.81"
        }) {
      assertThat(Banners.claim(ssh(unclear))).as(unclear).isNull();
    }
    assertThat(Banners.claim(new NetScan.Service("10.0.5.10", 22, "ssh", null, null))).isNull();
  }

  @Test
  void anOldStretchOpenSshIsAffectedByTheAdvisoriesFixedAfterIt() {
    List<Banners.Matched> old =
        Banners.match("bastion", List.of(ssh("SSH-2.0-OpenSSH_7.4p1 Debian-10+deb9u3")), tracker);
    assertThat(old)
        .extracting(m -> m.finding().advisory().id())
        .contains("DSA-4280-1", "DSA-4387-1", "DSA-4387-2");
    Banners.Matched m =
        old.stream()
            .filter(x -> x.finding().advisory().id().equals("DSA-4280-1"))
            .findFirst()
            .orElseThrow();
    assertThat(m.finding().fixedVersion()).isEqualTo("1:7.4p1-10+deb9u4");
    assertThat(m.claim().port()).isEqualTo(22);
    // the last stretch update is past every fix the tracker lists for it
    assertThat(
            Banners.match(
                "bastion", List.of(ssh("SSH-2.0-OpenSSH_7.4p1 Debian-10+deb9u7")), tracker))
        .extracting(x -> x.finding().advisory().id())
        .doesNotContain("DSA-4280-1", "DSA-4387-1", "DSA-4387-2");
  }

  @Test
  void bannerFindingsAreTheAssetsNetworkFindingsUntilAScanNoLongerSeesThem() throws Exception {
    try (CaseStore cases = store("sqlite", new TestClock())) {
      VulnStore store = VulnStore.open(cases.db());
      var matched =
          Banners.match("bastion", List.of(ssh("SSH-2.0-OpenSSH_7.4p1 Debian-10+deb9u3")), tracker);
      VulnStore.ImportResult first =
          store.importScan("bastion", List.of(), matched, "10.0.5.10:22", "test");
      assertThat(first.opened()).isEqualTo(matched.size());
      var rows =
          store.findings(new VulnStore.Filter("bastion", null, false, "open", false, false, 100));
      assertThat(rows)
          .anySatisfy(
              r -> {
                assertThat(r.advisory()).isEqualTo("DSA-4280-1");
                assertThat(r.packageName()).isEqualTo("tcp/22");
                assertThat(r.aliases()).contains("CVE-2018-15473");
                assertThat(r.fixedVersion()).isEqualTo("1:7.4p1-10+deb9u4");
                assertThat(r.explanation()).contains("banner", "1:7.4p1-10+deb9u3", "debian-9");
              });
      // upgraded: the next scan's banner claims a fixed version
      var upgraded =
          Banners.match("bastion", List.of(ssh("SSH-2.0-OpenSSH_7.4p1 Debian-10+deb9u7")), tracker);
      VulnStore.ImportResult second =
          store.importScan("bastion", List.of(), upgraded, "10.0.5.10:22", "test");
      assertThat(second.fixed()).isEqualTo(matched.size() - upgraded.size());
    }
  }
}
