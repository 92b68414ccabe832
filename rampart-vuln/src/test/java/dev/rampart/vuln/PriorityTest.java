package dev.rampart.vuln;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.testing.Corpora;
import dev.rampart.vuln.advisory.Advisories;
import dev.rampart.vuln.advisory.Advisory;
import dev.rampart.vuln.inventory.Inventory;
import dev.rampart.vuln.inventory.Purls;
import dev.rampart.vuln.inventory.Sboms;
import dev.rampart.vuln.match.Finding;
import dev.rampart.vuln.match.VulnDb;
import dev.rampart.vuln.priority.Kev;
import dev.rampart.vuln.priority.Priority;
import dev.rampart.vuln.version.Ecosystem;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CVSS scores and the KEV catalog on findings. */
class PriorityTest {
  @Test
  void kevLoadsEveryEntryWithItsDueDate() throws Exception {
    Kev kev = Kev.load(Corpora.require("vuln/cisa-kev/known_exploited_vulnerabilities.json.gz"));
    assertThat(kev.size()).isEqualTo(1404);
    assertThat(kev.problems()).isEmpty();
    assertThat(kev.version()).isEqualTo("2025.08.25");
    Kev.Entry git = kev.find("GHSA-vwqx-4fm8-6qc9", List.of("CVE-2025-48384"));
    assertThat(git.product()).isEqualTo("Git");
    assertThat(git.dueDate()).isEqualTo(LocalDate.of(2025, 9, 15));
    assertThat(kev.find("CVE-1999-0001", List.of())).isNull();
  }

  @Test
  void theNewestVectorIsScoredAndBadOnesArePassedOver() {
    Priority p =
        Priority.of(
            List.of(
                "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:H/VA:L/SC:N/SI:H/SA:L",
                "CVSS:3.1/AV:X"));
    assertThat(p.vector()).startsWith("CVSS:4.0/");
    assertThat(p.score()).isEqualTo(9.2);
    assertThat(p.severity()).isEqualTo("critical");
    assertThat(Priority.of(List.of("nonsense"))).isEqualTo(Priority.UNKNOWN);
  }

  @Test
  void findingsCarryTheFeedsScoreAndTheKevFlag() throws Exception {
    VulnDb db = new VulnDb();
    Advisories.load(Corpora.require("vuln/nodejs-security-wg/vuln.zip"))
        .advisories()
        .forEach(db::add);
    db.add(
        new Advisory(
            "GHSA-vwqx-4fm8-6qc9",
            List.of("CVE-2025-48384"),
            "git link following",
            null,
            "test",
            List.of(
                new Advisory.Affected(
                    Ecosystem.NPM,
                    null,
                    "demo-git-wrapper",
                    List.of(new Advisory.Events("0", "2.0.0", null)),
                    List.of())),
            List.of()));
    db.kev(Kev.load(Corpora.require("vuln/cisa-kev/known_exploited_vulnerabilities.json.gz")));
    Inventory juice =
        Sboms.read(
            Corpora.require("cyclonedx-bom-examples/SBOM/juice-shop/v11.1.2/bom.json.gz"), "js");
    Finding jwt =
        db.match(juice).findings().stream()
            .filter(f -> f.advisory().id().equals("NSWG-ECO-17"))
            .findFirst()
            .orElseThrow();
    assertThat(jwt.priority().score()).isEqualTo(7.5);
    assertThat(jwt.priority().severity()).isEqualTo("high");
    assertThat(jwt.priority().kev()).isNull();
    Finding git =
        db.match(
                new Inventory(
                    "a",
                    List.of(Purls.parse("pkg:npm/demo-git-wrapper@1.0.0", null, null)),
                    List.of()))
            .findings()
            .get(0);
    assertThat(git.priority().kev().dueDate()).isEqualTo(LocalDate.of(2025, 9, 15));
    assertThat(git.priority().severity()).isEqualTo("unknown");
  }
}
