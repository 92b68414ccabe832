package dev.rampart.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rampart.cases.db.Db;
import dev.rampart.cases.incident.CaseException;
import dev.rampart.cases.search.SavedSearches;
import dev.rampart.cases.search.SavedSearches.Draft;
import dev.rampart.cases.search.SavedSearches.SavedSearch;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Saved searches: own and shared, replaced by name, tenants kept apart, audited. */
class SavedSearchesTest extends DatabaseTest {
  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void analystsKeepTheirOwnAndShareWithTheirTenants(String db) throws Exception {
    try (CaseStore cases = store(db, new TestClock())) {
      SavedSearches s = cases.searches();
      SavedSearch mine =
          s.save(
              "alice",
              Set.of(),
              new Draft(" Encoded PowerShell ", "CommandLine:*-enc*", "7d", "", false));
      assertThat(mine.name()).isEqualTo("Encoded PowerShell");
      SavedSearch team =
          s.save(
              "alice",
              Set.of(),
              new Draft(
                  "Failed logons",
                  "event.code:4625 | stats count() by host.name",
                  "24h",
                  "morning check",
                  true));
      SavedSearch acme =
          s.save(
              "bob",
              Set.of("acme"),
              new Draft("acme admins", "user.name:adm*", "-2h..now", "", true));
      s.save("carol", Set.of("globex"), new Draft("globex only", "*", "all", "", true));
      s.save("dave", Set.of("acme"), new Draft("dave's own", "*", "1h", "", false));

      // alice sees every tenant: her own, and every shared one
      assertThat(s.list("alice", Set.of()))
          .extracting(SavedSearch::name)
          .containsExactly("acme admins", "Encoded PowerShell", "Failed logons", "globex only");
      // dave (acme) sees his own and acme's shared ones; not globex's, nor those saved by
      // someone of every tenant (they may name any tenant's hosts and people)
      assertThat(s.list("dave", Set.of("acme")))
          .extracting(SavedSearch::name)
          .containsExactly("acme admins", "dave's own");
      assertThat(s.list("erin", Set.of("acme", "globex")))
          .extracting(SavedSearch::name)
          .containsExactly("acme admins", "globex only");
      assertThat(s.get(acme.id(), "dave", Set.of("acme")).range()).isEqualTo("-2h..now");
      assertThat(acme.tenants()).containsExactly("acme");
      assertThatThrownBy(() -> s.get(mine.id(), "dave", Set.of("acme")))
          .isInstanceOf(CaseException.class)
          .hasMessageContaining("no saved search");

      // the command line, reading the file, sees everything
      assertThat(s.all()).hasSize(5);

      // the same name replaces the owner's search
      SavedSearch again =
          s.save("alice", Set.of(), new Draft("Failed logons", "event.code:4625", "7d", "", false));
      assertThat(again.id()).isEqualTo(team.id());
      assertThat(again.query()).isEqualTo("event.code:4625");
      assertThat(again.shared()).isFalse();
      assertThat(s.list("bob", Set.of("acme")))
          .extracting(SavedSearch::name)
          .containsExactly("acme admins");

      // only the owner deletes
      assertThatThrownBy(() -> s.delete(acme.id(), "alice", Set.of()))
          .isInstanceOf(CaseException.class)
          .hasMessageContaining("bob's to delete");
      s.delete(mine.id(), "alice", Set.of());
      assertThat(s.list("alice", Set.of()))
          .extracting(SavedSearch::name)
          .doesNotContain("Encoded PowerShell");
      assertThat(cases.db().audit(20))
          .extracting(Db.AuditEntry::action)
          .contains("search.save", "search.delete");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void mistakesSayWhatToFix(String db) throws Exception {
    try (CaseStore cases = store(db, new TestClock())) {
      SavedSearches s = cases.searches();
      assertThatThrownBy(() -> s.save("a", Set.of(), new Draft(" ", "*", "24h", "", false)))
          .hasMessageContaining("name: 1 to 200 characters");
      assertThatThrownBy(() -> s.save("a", Set.of(), new Draft("n", "", "24h", "", false)))
          .hasMessageContaining("query: 1 to 4,000 characters");
      assertThatThrownBy(() -> s.save("a", Set.of(), new Draft("n", "*", "last week", "", false)))
          .hasMessageContaining("range: as the console names one");
      assertThat(s.save("a", Set.of(), new Draft("n", "*", null, null, false)).range())
          .isEqualTo("24h");
      assertThatThrownBy(() -> s.delete("nope", "a", Set.of()))
          .hasMessageContaining("no saved search nope");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void aSearchThatAlertsStartsFromWhenItWasAskedAndKeepsItsPlace(String db) throws Exception {
    TestClock clock = new TestClock();
    try (CaseStore cases = store(db, clock)) {
      SavedSearches s = cases.searches();
      long asked = clock.millis();
      SavedSearch a =
          s.save(
              "alice",
              Set.of("acme"),
              new Draft(
                  "Logons at night",
                  "event.code:4624",
                  "1h",
                  "",
                  false,
                  SavedSearches.Alerting.of(900_000, "high", 0)));
      s.save("alice", Set.of(), new Draft("quiet", "*", "1h", "", false));
      assertThat(s.alerting())
          .singleElement()
          .extracting(SavedSearch::name)
          .isEqualTo("Logons at night");
      assertThat(a.alerting()).isEqualTo(new SavedSearches.Alerting(900_000, "high", 0, asked, 0));
      s.checked(a.id(), new SavedSearches.Window(asked, asked + 900_000), 4242);
      assertThat(s.alerting().get(0).alerting().seen()).isEqualTo(4242);
      // a run over three periods at once (after a stop) keeps its window; one of a period does not
      s.checked(a.id(), new SavedSearches.Window(asked + 900_000, asked + 3_600_000), 4300);
      assertThat(s.windows(a.id(), 0))
          .containsExactly(new SavedSearches.Window(asked + 900_000, asked + 3_600_000));
      assertThat(s.windows(a.id(), asked + 3_600_000)).isEmpty();
      // saved again unchanged, it keeps its place; changed, it starts afresh
      clock.millis.addAndGet(3_600_000);
      assertThat(
              s.save(
                      "alice",
                      Set.of("acme"),
                      new Draft(
                          "Logons at night",
                          "event.code:4624",
                          "1h",
                          "now with a description",
                          false,
                          SavedSearches.Alerting.of(900_000, "high", 0)))
                  .alerting())
          .isEqualTo(new SavedSearches.Alerting(900_000, "high", 0, asked + 3_600_000, 4300));
      assertThat(
              s.save(
                      "alice",
                      Set.of("acme"),
                      new Draft(
                          "Logons at night",
                          "event.code:4624",
                          "1h",
                          "",
                          false,
                          SavedSearches.Alerting.of(900_000, "critical", 5)))
                  .alerting())
          .isEqualTo(new SavedSearches.Alerting(900_000, "critical", 5, clock.millis(), 0));
      assertThat(s.windows(a.id(), 0)).as("changed alerting starts without windows").isEmpty();
      // and without alerting, it stops
      s.save(
          "alice",
          Set.of("acme"),
          new Draft("Logons at night", "event.code:4624", "1h", "", false));
      assertThat(s.alerting()).isEmpty();
      assertThatThrownBy(
              () ->
                  s.save(
                      "a",
                      Set.of(),
                      new Draft(
                          "n", "*", "1h", "", false, SavedSearches.Alerting.of(1_000, "high", 0))))
          .hasMessageContaining("alert every: from 1 minute to 1 day");
      assertThatThrownBy(
              () ->
                  s.save(
                      "a",
                      Set.of(),
                      new Draft(
                          "n",
                          "*",
                          "1h",
                          "",
                          false,
                          SavedSearches.Alerting.of(60_000, "urgent", 0))))
          .hasMessageContaining("alert level: low, medium, high or critical");
    }
  }
}
