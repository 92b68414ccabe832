package dev.rampart.server.entity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.auth.Permission;
import dev.rampart.cases.CaseStore;
import dev.rampart.cases.entity.EntityKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a page does when a part cannot be read, and what a viewer without a permission sees. */
class EntityProfilesTest {
  @TempDir Path dir;

  @Test
  void aPartThatCannotBeReadIsANoteAndTheRestIsShown() throws Exception {
    try (CaseStore cases = CaseStore.open("jdbc:sqlite:" + dir.resolve("cases.db"))) {
      EntityProfiles profiles =
          new EntityProfiles(
              cases,
              r -> {
                throw new IOException("the store is closed");
              },
              new EntityProfiles.Sources(
                  () -> {
                    throw new IllegalStateException("vulnerability tables damaged");
                  },
                  () -> null, // the agents' port is off
                  () -> null,
                  () -> null));
      var p =
          profiles.profile(
              EntityKind.HOST,
              "ws-07",
              0,
              1_000_000_000L,
              new EntityProfiles.Viewer(EnumSet.allOf(Permission.class), Set.of(), null));
      assertThat(p.notes())
          .containsExactly(
              "events: not searched (the store is closed)",
              "vulnerabilities: not read (vulnerability tables damaged)");
      assertThat(p.events()).isNull();
      assertThat(p.alerts().total()).isZero();
      assertThat(p.incidents()).isEmpty();
      assertThat(p.agent()).isNull();

      // a viewer of alerts alone is asked nothing else, and gets nothing else
      var alertsOnly =
          profiles.profile(
              EntityKind.HOST,
              "ws-07",
              0,
              1_000_000_000L,
              new EntityProfiles.Viewer(Set.of(Permission.ALERTS_READ), Set.of(), null));
      assertThat(alertsOnly.notes()).isEmpty();
      assertThat(alertsOnly.events()).isNull();
      assertThat(alertsOnly.incidents()).isNull();
      assertThat(alertsOnly.vulns()).isNull();
    }
  }

  @Test
  void namesAreCheckedAndFiltersQuoteThem() {
    assertThat(EntityProfiles.problem(EntityKind.IP, "203.0.113.7")).isNull();
    assertThat(EntityProfiles.problem(EntityKind.IP, "2001:db8::1")).isNull();
    assertThat(EntityProfiles.problem(EntityKind.IP, "ws-07")).contains("not an IPv4 or IPv6");
    assertThat(EntityProfiles.problem(EntityKind.HOST, " ")).contains("1 to 256");
    assertThat(EntityProfiles.problem(EntityKind.USER, "x".repeat(257))).contains("1 to 256");
    assertThat(EntityProfiles.filter(EntityKind.USER, "CORP\\\"olivia"))
        .isEqualTo("user.name:\"CORP\\\\\\\"olivia\"");
  }
}
