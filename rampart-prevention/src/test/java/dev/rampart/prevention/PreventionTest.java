package dev.rampart.prevention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rampart.cases.CaseStore;
import dev.rampart.cases.incident.CaseException;
import dev.rampart.core.io.Problem;
import dev.rampart.prevention.identity.Directory;
import dev.rampart.prevention.identity.IdentityReader;
import dev.rampart.prevention.reviews.AccessReviews;
import dev.rampart.prevention.risk.IdentityRisk;
import dev.rampart.prevention.training.Awareness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Identities from CSV, LDIF and IdP JSON into a real SQLite case database: bad rows reported with
 * file and line while the rest load, duplicates merged with a report, nothing deleted unless asked;
 * accounts in events linked to people; training and phishing imports and their rates; the risk
 * score with its reasons; an access-review campaign from start to the revoked-but-still-present
 * report.
 */
class PreventionTest {
  @TempDir Path dir;
  CaseStore cases;
  Directory directory;
  static final long MARCH = Instant.parse("2026-03-15T00:00:00Z").toEpochMilli();

  @BeforeEach
  void open() {
    cases = CaseStore.open("jdbc:sqlite:" + dir.resolve("cases.db"));
    directory = Directory.open(cases.db());
  }

  @AfterEach
  void close() throws Exception {
    cases.close();
  }

  static Path file(String name) throws Exception {
    return Path.of(PreventionTest.class.getResource("/imports/" + name).toURI());
  }

  Directory.ImportReport load(String name) throws Exception {
    Path f = file(name);
    IdentityReader.Result r = IdentityReader.read(f, IdentityReader.Format.of(f));
    Directory.ImportReport rep =
        directory.importPeople(r.people(), Directory.ImportOptions.of(name, "test"));
    return new Directory.ImportReport(
        rep.added(),
        rep.updated(),
        rep.removed(),
        rep.merges(),
        concat(r.problems(), rep.problems()));
  }

  static List<Problem> concat(List<Problem> a, List<Problem> b) {
    List<Problem> out = new java.util.ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  @Test
  void csvBadRowsAreReportedWithTheirLinesAndDuplicatesMerged() throws Exception {
    Directory.ImportReport r = load("people.csv");
    assertThat(r.added()).isEqualTo(5); // Grace, Olivia, Mateo, Oskar, Lee
    assertThat(r.problems().stream().filter(Problem::isError).map(Problem::toString))
        .singleElement()
        .asString()
        .contains("people.csv:7")
        .contains("names nobody");
    assertThat(r.problems().stream().map(Problem::toString))
        .anyMatch(p -> p.contains("people.csv:6") && p.contains("not-an-email"));
    assertThat(r.merges()).singleElement().asString().contains("people.csv:9 merged into line 3");
    Directory.Person olivia = directory.byAccount("CORP\\OStone");
    assertThat(olivia.email()).isEqualTo("olivia@corp.example");
    assertThat(olivia.accounts()).containsExactlyInAnyOrder("olivia", "ostone");
    assertThat(olivia.privileged()).isTrue(); // Backup Operators from the merged row
    assertThat(directory.byId(olivia.manager()).displayName()).isEqualTo("Grace Hopper");
    assertThat(directory.byAccount("llee").active()).isFalse();
    assertThat(directory.byAccount("olivia@corp.example").id()).isEqualTo(olivia.id());
    assertThat(directory.byAccount("nobody")).isNull();
  }

  @Test
  void ldifUsersGroupsAndDisabledAccountsAndABrokenEntry() throws Exception {
    Directory.ImportReport r = load("ad-export.ldif");
    assertThat(r.added()).isEqualTo(3);
    assertThat(r.problems()).anyMatch(p -> p.isError() && p.line() > 0);
    Directory.Person ana = directory.byAccount("adiaz");
    assertThat(ana.memberships())
        .containsExactly(new Directory.Membership("Enterprise Admins", true));
    assertThat(directory.byId(ana.manager()).displayName()).isEqualTo("Grace Hopper");
    assertThat(directory.byAccount("CORP\\ghopper").memberships())
        .extracting(Directory.Membership::group)
        .containsExactly("Domain Admins");
    assertThat(directory.byAccount("svc-old").active()).isFalse();
  }

  @Test
  void idpJsonFromOktaAndEntraMergeWithTheDirectory() throws Exception {
    load("ad-export.ldif");
    Directory.ImportReport okta = load("okta.json");
    assertThat(okta.updated()).isEqualTo(1); // Ana, by email
    assertThat(okta.added()).isEqualTo(1); // Kim
    assertThat(okta.problems()).anyMatch(p -> p.isError() && p.message().contains("names nobody"));
    Directory.Person ana = directory.byAccount("adiaz");
    assertThat(ana.title()).isEqualTo("Engineer");
    assertThat(ana.memberships())
        .extracting(Directory.Membership::group)
        .contains("Enterprise Admins", "Super Administrator");
    assertThat(directory.byAccount("kim@corp.example").active()).isFalse();
    Directory.ImportReport entra = load("entra.json");
    assertThat(entra.added()).isEqualTo(2);
    Directory.Person priya = directory.byAccount("priya@corp.example");
    assertThat(priya.privileged()).isTrue();
    assertThat(priya.employeeId()).isEqualTo("E200");
    assertThat(directory.byAccount("sam").active()).isFalse();
  }

  @Test
  void nothingIsDeletedUnlessAskedThenOnlyThatSourcesPeopleThatAreGone() throws Exception {
    load("people.csv");
    Path smaller = dir.resolve("people.csv");
    Files.writeString(
        smaller, "Email,Display Name,sAMAccountName\ngrace@corp.example,Grace Hopper,ghopper\n");
    var rows = IdentityReader.read(smaller, IdentityReader.Format.CSV).people();
    var kept = directory.importPeople(rows, Directory.ImportOptions.of("people.csv", "test"));
    assertThat(kept.removed()).isZero();
    assertThat(directory.people()).hasSize(5);
    Directory.ImportOptions prune =
        new Directory.ImportOptions(
            "people.csv",
            List.of(Directory.MergeKey.EMAIL, Directory.MergeKey.ACCOUNT),
            Directory.DEFAULT_PRIVILEGED,
            true,
            "test");
    assertThat(directory.importPeople(rows, prune).removed()).isEqualTo(4);
    assertThat(directory.people())
        .extracting(Directory.Person::displayName)
        .containsExactly("Grace Hopper");
  }

  @Test
  void trainingAndPhishingImportsRatesAndTheRiskScore() throws Exception {
    load("people.csv");
    Awareness a = new Awareness(directory);
    Awareness.ImportReport t = a.importFile(file("training.csv"), "test");
    assertThat(t.kind()).isEqualTo(Awareness.Kind.TRAINING);
    assertThat(t.stored()).isEqualTo(3);
    assertThat(t.problems())
        .extracting(Problem::toString)
        .anyMatch(p -> p.contains("training.csv:5") && p.contains("no identity for 'stranger"))
        .anyMatch(p -> p.contains("training.csv:6") && p.contains("not-a-date"));
    Awareness.ImportReport f = a.importFile(file("phishing.csv"), "test");
    assertThat(f.kind()).isEqualTo(Awareness.Kind.PHISHING);
    assertThat(f.stored()).isEqualTo(4);
    var all =
        a.rates(MARCH).stream().filter(x -> x.group().equals("all")).findFirst().orElseThrow();
    assertThat(all.assigned()).isEqualTo(3);
    assertThat(all.completed()).isEqualTo(2);
    assertThat(all.overdue()).isEqualTo(1);
    assertThat(all.sent()).isEqualTo(4);
    assertThat(all.clicked()).isEqualTo(2);
    assertThat(all.submitted()).isEqualTo(1);
    assertThat(all.reported()).isEqualTo(1);
    assertThat(a.overdue(MARCH)).extracting(Awareness.Overdue::label).containsExactly("Mateo Ruiz");
    var oliviaRates =
        a.rates(MARCH, true).stream()
            .filter(x -> x.group().equals("Olivia Stone"))
            .findFirst()
            .orElseThrow();
    assertThat(oliviaRates.completionRate()).isEqualTo(1.0);
    assertThat(oliviaRates.sent()).isEqualTo(2);
    assertThat(oliviaRates.clickRate()).isEqualTo(1.0);
    assertThat(oliviaRates.submitted()).isEqualTo(1);
    assertThat(a.trend()).containsKeys("2026-02", "2026-03");
    assertThat(a.trend().get("2026-02")).containsExactly(3, 1, 1);
    var finance = a.trend("finance"); // Olivia: clicked in both months
    assertThat(finance.get("2026-02")).containsExactly(1, 1, 0);
    assertThat(finance.get("2026-03")).containsExactly(1, 1, 0);
    assertThat(a.trend("IT")).containsOnlyKeys("2026-02"); // Mateo reported, Grace ignored it
    assertThat(a.trend("IT").get("2026-02")).containsExactly(2, 0, 1);
    assertThat(a.trend("Legal")).isEmpty();

    Directory.Person olivia = directory.byAccount("olivia");
    IdentityRisk.Score s = IdentityRisk.score(olivia, a.history(olivia.id(), MARCH), 2, MARCH);
    // privileged 25 + submitted 30 + clicked 15 + alerts 10
    assertThat(s.value()).isEqualTo(80);
    assertThat(s.level()).isEqualTo("critical");
    assertThat(s.raisesPriority()).isTrue();
    assertThat(s.reasons())
        .extracting(IdentityRisk.Reason::why)
        .anyMatch(w -> w.contains("Backup Operators"))
        .anyMatch(w -> w.contains("submitted credentials"));
    Directory.Person mateo = directory.byAccount("mateo");
    IdentityRisk.Score m = IdentityRisk.score(mateo, a.history(mateo.id(), MARCH), 0, MARCH);
    // privileged 25 + overdue 10 - reported 5
    assertThat(m.value()).isEqualTo(30);
    assertThat(m.level()).isEqualTo("medium");
  }

  @Test
  void anAccessReviewFromStartToRevokedButStillPresent() throws Exception {
    load("people.csv");
    AccessReviews reviews = new AccessReviews(directory);
    Directory.Person grace = directory.byAccount("ghopper");
    var c = reviews.start("Q1 privileged access", MARCH, grace.id(), "lead");
    List<AccessReviews.Item> items = reviews.items(c.id());
    // Grace (Domain Admins, her own: the fallback is herself, so unassigned), Olivia (Backup
    // Operators), Mateo (sudo)
    assertThat(items)
        .extracting(AccessReviews.Item::group)
        .containsExactlyInAnyOrder("Domain Admins", "Backup Operators", "sudo");
    AccessReviews.Item mateo =
        items.stream().filter(i -> i.group().equals("sudo")).findFirst().orElseThrow();
    assertThat(mateo.reviewerLabel()).isEqualTo("Grace Hopper");
    AccessReviews.Item own =
        items.stream().filter(i -> i.group().equals("Domain Admins")).findFirst().orElseThrow();
    assertThat(own.reviewer()).isNull();
    reviews.decide(mateo.id(), "revoke", "no longer on call", "grace");
    AccessReviews.Item olivia =
        items.stream().filter(i -> i.group().equals("Backup Operators")).findFirst().orElseThrow();
    reviews.decide(olivia.id(), "confirm", null, "grace");
    assertThatThrownBy(() -> reviews.decide(mateo.id(), "confirm", null, "x"))
        .isInstanceOf(CaseException.class)
        .hasMessageContaining("decided already");
    assertThatThrownBy(() -> reviews.decide(own.id(), "maybe", null, "x"))
        .hasMessageContaining("confirm or revoke");
    var status = reviews.status(c.id(), MARCH + 1);
    assertThat(status.items()).isEqualTo(3);
    assertThat(status.open()).isEqualTo(1);
    assertThat(status.revoked()).isEqualTo(1);
    assertThat(status.overdue()).isTrue();
    assertThat(reviews.overdue(MARCH + 1))
        .extracting(AccessReviews.Item::group)
        .containsExactly("Domain Admins");
    assertThat(reviews.revokedButPresent()).isEmpty();
    Thread.sleep(5); // the next import is later than the decision
    load("people.csv"); // the directory still shows Mateo in sudo
    assertThat(reviews.revokedButPresent())
        .extracting(AccessReviews.Item::personLabel)
        .containsExactly("Mateo Ruiz");
  }

  @Test
  void aChangeToAPrivilegedGroupIsApprovedByATicketOrAReviewAndNothingElse() throws Exception {
    load("people.csv");
    var changes = new dev.rampart.prevention.reviews.ApprovedChanges(directory);
    var windows =
        dev.rampart.prevention.reviews.ApprovedChanges.change(
            java.util.Map.of(
                "TargetUserName", List.of("Domain Admins"),
                "MemberName", List.of("CN=Mateo Ruiz,OU=IT,DC=corp,DC=example")));
    assertThat(windows.member()).isEqualTo("Mateo Ruiz");
    assertThat(windows.group()).isEqualTo("Domain Admins");
    var linux =
        dev.rampart.prevention.reviews.ApprovedChanges.change(
            java.util.Map.of("message", List.of("add 'mateo' to group 'sudo'")));
    assertThat(linux)
        .isEqualTo(new dev.rampart.prevention.reviews.ApprovedChanges.Change("mateo", "sudo"));
    assertThat(
            dev.rampart.prevention.reviews.ApprovedChanges.change(
                java.util.Map.of("message", List.of("user mateo added by root to group wheel"))))
        .isEqualTo(new dev.rampart.prevention.reviews.ApprovedChanges.Change("mateo", "wheel"));
    assertThat(
            dev.rampart.prevention.reviews.ApprovedChanges.change(
                java.util.Map.of("CommandLine", List.of("whoami"))))
        .isNull();

    long now = System.currentTimeMillis();
    assertThat(changes.approved(windows, now)).isNull();
    changes.approve("mateo@corp.example", "Domain Admins", "CHG-1042", now + 3_600_000, "lead");
    // the DN's name finds the person, the approval names another of their accounts
    assertThat(changes.approved(windows, now)).contains("CHG-1042", "lead");
    assertThat(changes.approved(windows, now + 7_200_000)).as("expired").isNull();
    assertThatThrownBy(() -> changes.approve("mateo", "sudo", " ", now, "lead"))
        .hasMessageContaining("reason");
    // a membership confirmed in a review is approved too
    assertThat(changes.approved(linux, now)).isNull();
    AccessReviews reviews = new AccessReviews(directory);
    var c = reviews.start("Q1", now + 86_400_000, null, "lead");
    var sudo =
        reviews.items(c.id()).stream()
            .filter(i -> i.group().equals("sudo"))
            .findFirst()
            .orElseThrow();
    reviews.decide(sudo.id(), "confirm", null, "grace");
    assertThat(changes.approved(linux, now)).contains("confirmed in access review Q1", "grace");
  }

  @Test
  void everythingAlsoOnPostgreSQL() throws Exception {
    try (var pg = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.start()) {
      cases.close();
      cases =
          CaseStore.open(
              pg.getJdbcUrl("postgres", "postgres"),
              "postgres",
              "postgres",
              java.time.Clock.systemUTC());
      directory = Directory.open(cases.db());
      Directory.ImportReport r = load("people.csv");
      assertThat(r.added()).isEqualTo(5);
      assertThat(r.merges()).hasSize(1);
      load("ad-export.ldif");
      load("entra.json");
      assertThat(directory.byAccount("CORP\\OStone").accounts())
          .containsExactlyInAnyOrder("olivia", "ostone");
      assertThat(directory.byAccount("sam").active()).isFalse();
      Awareness a = new Awareness(directory);
      assertThat(a.importFile(file("training.csv"), "test").stored()).isEqualTo(3);
      assertThat(a.importFile(file("phishing.csv"), "test").stored()).isEqualTo(4);
      assertThat(a.rates(MARCH)).isNotEmpty();
      AccessReviews reviews = new AccessReviews(directory);
      var c = reviews.start("Q1", MARCH, null, "lead");
      var item = reviews.items(c.id()).get(0);
      reviews.decide(item.id(), "revoke", "gone", "grace");
      assertThat(reviews.status(c.id(), MARCH + 1).revoked()).isEqualTo(1);
      Thread.sleep(5);
      load("people.csv");
      load("ad-export.ldif");
      load("entra.json");
      assertThat(reviews.revokedButPresent()).hasSize(1);
      var changes = new dev.rampart.prevention.reviews.ApprovedChanges(directory);
      changes.approve("mateo", "sudo", "CHG-1", System.currentTimeMillis() + 60_000, "lead");
      assertThat(
              changes.approved(
                  new dev.rampart.prevention.reviews.ApprovedChanges.Change("CORP\\mateo", "SUDO"),
                  System.currentTimeMillis()))
          .contains("CHG-1");
    }
  }
}
