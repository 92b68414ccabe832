package dev.rampart.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rampart users} and {@code rampart audit}: accounts, and a trail that shows tampering. */
class AccessCliTest {
  @TempDir Path dir;

  @Test
  void usersAreManagedAndTheAuditTrailVerifies() throws Exception {
    String data = dir.resolve("fresh").toString(); // a folder that does not exist yet
    Run add = Run.of("users", "add", "alice", "--role", "analyst", "--data", data);
    assertThat(add.code()).as(add.err()).isZero();
    assertThat(add.out().strip()).hasSizeGreaterThanOrEqualTo(20); // the generated password
    Run bad = Run.of("users", "add", "bob", "--role", "boss", "--data", data);
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("no role boss; roles: admin, analyst, viewer");
    assertThat(Run.of("users", "role", "alice", "viewer", "--data", data).code()).isZero();
    assertThat(Run.of("users", "disable", "alice", "--data", data).code()).isZero();
    Run tenants = Run.of("users", "tenants", "alice", "acme", "globex", "--data", data);
    assertThat(tenants.out()).contains("alice sees acme, globex");
    assertThat(Run.of("users", "list", "--data", data).out())
        .contains("alice", "viewer", "disabled", "tenants=acme,globex");
    assertThat(Run.of("users", "tenants", "alice", "--data", data).code()).isEqualTo(2);
    Run list = Run.of("audit", "list", "--data", data);
    assertThat(list.out()).contains("user.create", "user.role", "user.disable", "user.tenants");
    Run roles = Run.of("audit", "list", "--action", "user.r", "--data", data);
    assertThat(roles.out().lines()).singleElement().asString().contains("user.role");
    // the command line is named as such, apart from any Rampart user of the login's name
    assertThat(roles.out()).contains(Actor.name()).contains(" cli:");
    assertThat(Run.of("audit", "list", "--actor", Actor.name(), "--data", data).out().lines())
        .hasSize(4);
    assertThat(Run.of("audit", "list", "--before", "3", "--limit", "1", "--data", data).out())
        .startsWith("     2 ");
    Run verify = Run.of("audit", "verify", "--data", data);
    assertThat(verify.code()).isZero();
    assertThat(verify.out()).contains("intact: 4 entries");
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + data + "/cases.db");
        var s = c.createStatement()) {
      s.executeUpdate("UPDATE audit SET detail = 'role admin' WHERE seq = 1");
    }
    Run broken = Run.of("audit", "verify", "--data", data);
    assertThat(broken.code()).isEqualTo(1);
    assertThat(broken.out()).contains("BROKEN at entry 1");
  }
}
