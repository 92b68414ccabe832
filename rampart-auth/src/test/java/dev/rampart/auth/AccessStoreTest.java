package dev.rampart.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rampart.cases.CaseStore;
import dev.rampart.cases.DatabaseTest;
import dev.rampart.cases.db.Db;
import dev.rampart.cases.incident.CaseException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Users, lockout, roles and tokens, on SQLite and PostgreSQL, with the audit trail they leave. */
class AccessStoreTest extends DatabaseTest {
  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void passwordsLockoutAndTheAuditTrail(String db) throws Exception {
    TestClock clock = new TestClock();
    try (CaseStore cases = store(db, clock)) {
      AccessStore a = new AccessStore(cases.db());
      String admin = a.ensureAdmin();
      assertThat(admin).hasSizeGreaterThanOrEqualTo(20);
      assertThat(a.ensureAdmin()).isNull(); // only on first start
      assertThat(a.login("admin", admin, "127.0.0.1").permissions())
          .containsAll(Set.of(Permission.values()));
      a.createUser("alice", "analyst", "correct horse battery", "admin");
      assertThatThrownBy(() -> a.createUser("bob", "analyst", "short", "admin"))
          .hasMessageContaining("at least 12 characters");
      assertThatThrownBy(
              () -> a.createUser("Bob Smith", "analyst", "long enough password", "admin"))
          .extracting(e -> ((CaseException) e).kind())
          .isEqualTo(CaseException.Kind.INVALID);
      assertThatThrownBy(() -> a.createUser("carol", "root", "long enough password", "admin"))
          .hasMessageContaining("no role root");
      Principal p = a.login("alice", "correct horse battery", "10.0.0.1");
      assertThat(p.may(Permission.INCIDENTS_WRITE)).isTrue();
      assertThat(p.may(Permission.USERS_ADMIN)).isFalse();
      assertThat(a.login("nobody", "whatever it is", "10.0.0.1")).isNull();
      for (int i = 0; i < AccessStore.MAX_FAILURES; i++) {
        assertThat(a.login("alice", "wrong " + i, "10.0.0.66")).isNull();
      }
      // locked: even the right password is refused, for fifteen minutes
      assertThat(a.login("alice", "correct horse battery", "10.0.0.1")).isNull();
      clock.advance(AccessStore.LOCKOUT.toMillis() + 1);
      assertThat(a.login("alice", "correct horse battery", "10.0.0.1")).isNotNull();
      a.setDisabled("alice", true, "admin");
      assertThat(a.login("alice", "correct horse battery", "10.0.0.1")).isNull();
      List<String> actions =
          cases.db().audit(100).stream().map(e -> e.actor() + " " + e.action()).toList();
      assertThat(actions)
          .contains(
              "alice login.lockout",
              "nobody login.failure",
              "admin user.create",
              "alice login.success",
              "admin user.disable");
      assertThat(cases.db().audit(100))
          .filteredOn(e -> e.action().equals("login.failure"))
          .extracting(Db.AuditEntry::detail)
          .anySatisfy(d -> assertThat(d).contains("locked until"))
          .anySatisfy(d -> assertThat(d).contains("no such user"));
      assertThat(cases.db().verifyAudit().intact()).isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void tokensAreHashedScopedExpiringAndNeverExceedTheirUser(String db) throws Exception {
    TestClock clock = new TestClock();
    try (CaseStore cases = store(db, clock)) {
      AccessStore a = new AccessStore(cases.db());
      a.createUser("alice", "analyst", "correct horse battery", "admin");
      Instant in90 = clock.instant().plusSeconds(90 * 86400);
      AccessStore.NewToken all = a.createToken("alice", "laptop", Set.of(), in90, "alice");
      assertThat(all.token()).startsWith("rpt_");
      assertThat(all.info().scopes()).isEqualTo(Role.ANALYST.permissions());
      AccessStore.NewToken ro =
          a.createToken("alice", "dashboard", Set.of(Permission.INCIDENTS_READ), in90, "alice");
      assertThatThrownBy(
              () -> a.createToken("alice", "x", Set.of(Permission.USERS_ADMIN), in90, "alice"))
          .hasMessageContaining("does not allow users:admin");
      assertThatThrownBy(
              () ->
                  a.createToken(
                      "alice", "x", Set.of(), clock.instant().plusSeconds(400 * 86400), "alice"))
          .hasMessageContaining("at most 366 days");
      // stored as a hash only
      boolean plain =
          cases
              .db()
              .tx(c -> Db.exists(c, "SELECT 1 FROM api_tokens WHERE token_hash = ?", all.token()));
      assertThat(plain).isFalse();
      Principal p = a.authenticate(ro.token());
      assertThat(p.user()).isEqualTo("alice");
      assertThat(p.permissions()).containsExactly(Permission.INCIDENTS_READ);
      assertThat(p.via()).isEqualTo("token:" + ro.info().id());
      assertThat(a.authenticate(ro.token() + "x")).isNull();
      assertThat(a.authenticate("not-a-token")).isNull();
      // a role change narrows the token at once
      a.setRole("alice", "viewer", "admin");
      assertThat(a.authenticate(all.token()).may(Permission.INCIDENTS_WRITE)).isFalse();
      assertThat(a.authenticate(all.token()).may(Permission.INCIDENTS_READ)).isTrue();
      a.revokeToken(ro.info().id(), "alice");
      assertThat(a.authenticate(ro.token())).isNull();
      assertThatThrownBy(() -> a.revokeToken(ro.info().id(), "alice"))
          .extracting(e -> ((CaseException) e).kind())
          .isEqualTo(CaseException.Kind.CONFLICT);
      clock.advance(91L * 86_400_000);
      assertThat(a.authenticate(all.token())).isNull(); // expired
      assertThat(a.tokens("alice")).hasSize(2);
      assertThat(cases.db().audit(100))
          .extracting(Db.AuditEntry::action)
          .contains("token.create", "token.use", "token.revoke", "user.role");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite"})
  void customRolesAreBuiltFromPermissions(String db) throws Exception {
    try (CaseStore cases = store(db, new TestClock())) {
      AccessStore a = new AccessStore(cases.db());
      a.createRole(
          "responder",
          AccessStore.parsePermissions(
              List.of("incidents:read", "incidents:write", "playbooks:write")),
          "admin");
      assertThatThrownBy(() -> AccessStore.parsePermissions(List.of("incidents:delete")))
          .hasMessageContaining("unknown permission 'incidents:delete'");
      assertThatThrownBy(() -> a.createRole("admin", Set.of(Permission.EVENTS_READ), "x"))
          .extracting(e -> ((CaseException) e).kind())
          .isEqualTo(CaseException.Kind.CONFLICT);
      a.createUser("rita", "responder", "a long enough passphrase", "admin");
      Principal p = a.login("rita", "a long enough passphrase", "-");
      assertThat(p.permissions())
          .containsExactlyInAnyOrder(
              Permission.INCIDENTS_READ, Permission.INCIDENTS_WRITE, Permission.PLAYBOOKS_WRITE);
      assertThat(a.roles())
          .extracting(Role::name)
          .containsExactly("admin", "analyst", "viewer", "responder");
    }
  }
}
