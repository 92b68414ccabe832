package dev.rampart.vuln;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rampart.cases.CaseStore;
import dev.rampart.cases.DatabaseTest;
import dev.rampart.core.testing.Corpora;
import dev.rampart.vuln.advisory.Advisories;
import dev.rampart.vuln.inventory.Inventory;
import dev.rampart.vuln.inventory.Package;
import dev.rampart.vuln.inventory.Sboms;
import dev.rampart.vuln.match.VulnDb;
import dev.rampart.vuln.track.VulnStore;
import dev.rampart.vuln.vex.Vex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Patch tracking over time on both databases: open, still open, fixed, reopened, suppressed. */
class VulnStoreTest extends DatabaseTest {
  static VulnDb tracker;
  static Inventory stretch;
  static final long DAY = 86_400_000L;

  @BeforeAll
  static void load() throws Exception {
    tracker = new VulnDb();
    Advisories.load(Corpora.require("vuln/debian-security-tracker"))
        .advisories()
        .forEach(tracker::add);
    stretch =
        Sboms.read(
            Corpora.require("vuln/osv-scanner-groundtruth/sbom-insecure/postgres-stretch.cdx.xml"),
            "db-01");
  }

  static Inventory without(Inventory inv, String name) {
    return new Inventory(
        inv.asset(),
        inv.packages().stream().filter(p -> !p.name().equals(name)).toList(),
        List.of());
  }

  static Inventory upgraded(Inventory inv, String name, String version) {
    List<Package> ps = new ArrayList<>();
    for (Package p : inv.packages()) {
      ps.add(
          p.name().equals(name)
              ? new Package(
                  p.name(),
                  version,
                  p.ecosystem(),
                  p.purl().replace(p.version(), version),
                  p.sourceName(),
                  version,
                  p.distro())
              : p);
    }
    return new Inventory(inv.asset(), ps, List.of());
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void findingsOpenStayGetFixedAndComeBackWithDeadlinesAndMttr(String kind) throws Exception {
    TestClock clock = new TestClock();
    try (CaseStore cases = store(kind, clock)) {
      VulnStore store = VulnStore.open(cases.db());
      List<VulnStore.Change> changes = new ArrayList<>();
      store.onChange(changes::add);
      VulnStore.ImportOptions o =
          new VulnStore.ImportOptions("debian-9", true, "high", null, "postgres-stretch.cdx.xml");

      VulnStore.ImportResult first = store.importInventory(stretch, o, tracker, "alice");
      assertThat(first.opened()).isEqualTo(9);
      assertThat(changes).hasSize(9).allMatch(c -> c.kind().equals("opened"));
      assertThat(changes.get(0).asset().internetFacing()).isTrue();
      List<VulnStore.FindingRow> open = store.findings(VulnStore.Filter.OPEN);
      assertThat(open).hasSize(9);
      // the tracker gives no scores: unknown severity, the medium deadline of 90 days
      assertThat(open).allMatch(f -> f.dueAt() == clock.millis() + 90 * DAY);

      clock.advance(DAY);
      VulnStore.ImportResult same = store.importInventory(stretch, o, tracker, "alice");
      assertThat(same.stillOpen()).isEqualTo(9);
      assertThat(same.opened() + same.fixed()).isZero();

      clock.advance(9 * DAY);
      Inventory patched = upgraded(stretch, "tzdata", "2021a-0+deb9u4");
      VulnStore.ImportResult fix = store.importInventory(patched, o, tracker, "bob");
      assertThat(fix.fixed()).isEqualTo(1);
      VulnStore.FindingRow tz =
          store
              .findings(new VulnStore.Filter("db-01", null, false, "fixed", false, true, 100))
              .get(0);
      assertThat(tz.packageName()).isEqualTo("tzdata");
      assertThat(tz.fixedAt() - tz.firstSeen()).isEqualTo(10 * DAY);
      VulnStore.SlaRow unknown =
          store.slaReport().stream()
              .filter(r -> r.severity().equals("unknown"))
              .findFirst()
              .orElseThrow();
      assertThat(unknown.open()).isEqualTo(8);
      assertThat(unknown.fixed()).isEqualTo(1);
      assertThat(unknown.mttrDays()).isEqualTo(10.0);

      clock.advance(DAY);
      VulnStore.ImportResult back = store.importInventory(stretch, o, tracker, "bob");
      assertThat(back.reopened()).isEqualTo(1);

      // removing a package fixes its findings too
      VulnStore.ImportResult removed =
          store.importInventory(without(stretch, "dpkg"), o, tracker, "bob");
      assertThat(removed.fixed()).isEqualTo(1);

      // past the deadline: overdue
      clock.advance(100 * DAY);
      assertThat(store.findings(new VulnStore.Filter(null, null, false, "open", true, false, 100)))
          .hasSize(8);
      assertThat(store.trend(120)).hasSize(120);
      assertThat(store.trend(120).get(0).open().get("unknown")).isZero();
      assertThat(store.trend(120).get(119).open().get("unknown")).isEqualTo(8);
      // a period report: the first 12 days saw 9 opened and dpkg fixed after 11 days (tzdata's
      // fix was undone by its reopening); the next 100 days nothing new, and all 8 overdue
      long t0 = clock.millis() - 111 * DAY;
      VulnStore.Period early = store.period(t0, t0 + 12 * DAY);
      assertThat(early.opened()).isEqualTo(9);
      assertThat(early.fixed()).isEqualTo(1);
      assertThat(early.mttrDays()).isEqualTo(11.0);
      assertThat(early.openAtEnd()).isEqualTo(8);
      assertThat(early.overdueAtEnd()).isZero();
      VulnStore.Period late = store.period(t0 + 12 * DAY, t0 + 112 * DAY);
      assertThat(late.opened() + late.fixed()).isZero();
      assertThat(late.mttrDays()).isNull();
      assertThat(late.overdueAtEnd()).isEqualTo(8);
      assertThat(late.openAtEndBySeverity()).containsEntry("unknown", 8);
      assertThat(cases.db().verifyAudit().intact()).isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void exceptionsAndVexSuppressWithoutClosing(String kind) throws Exception {
    TestClock clock = new TestClock();
    try (CaseStore cases = store(kind, clock)) {
      VulnStore store = VulnStore.open(cases.db());
      store.importInventory(stretch, VulnStore.ImportOptions.DEFAULT, tracker, "alice");
      store.addException(
          "CVE-2022-1292",
          null,
          "libssl1.1",
          "carol",
          "no c_rehash on this host",
          Instant.ofEpochMilli(clock.millis() + 30 * DAY),
          "alice");
      Path vex =
          Files.writeString(
              dir.resolve("dpkg.openvex.json"),
              """
          {"@context": "https://openvex.dev/ns/v0.2.0", "statements": [
            {"vulnerability": {"name": "CVE-2022-1664"},
             "products": [{"@id": "pkg:deb/debian/dpkg"}],
             "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"}]}
          """);
      assertThat(store.importVex(Vex.read(vex), vex.getFileName().toString(), "alice"))
          .isEqualTo(1);

      List<VulnStore.FindingRow> open = store.findings(VulnStore.Filter.OPEN);
      assertThat(open)
          .extracting(VulnStore.FindingRow::packageName)
          .doesNotContain("libssl1.1", "dpkg")
          .contains("openssl");
      List<VulnStore.FindingRow> all =
          store.findings(new VulnStore.Filter(null, null, false, "open", false, true, 100));
      assertThat(all).hasSize(9);
      assertThat(
              all.stream()
                  .filter(f -> f.packageName().equals("dpkg"))
                  .findFirst()
                  .orElseThrow()
                  .suppressedBy())
          .contains("VEX not_affected", "vulnerable_code_not_in_execute_path");
      assertThat(
              all.stream()
                  .filter(f -> f.packageName().equals("libssl1.1"))
                  .findFirst()
                  .orElseThrow()
                  .suppressedBy())
          .contains("carol", "no c_rehash");

      clock.advance(31 * DAY); // the exception expired: counted again
      assertThat(store.findings(VulnStore.Filter.OPEN))
          .extracting(VulnStore.FindingRow::packageName)
          .contains("libssl1.1");
      assertThatThrownBy(
              () -> store.addException("CVE-1", null, null, "", "x", Instant.now(), "alice"))
          .hasMessageContaining("owner");
    }
  }
}
