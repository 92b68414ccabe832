package dev.rampart.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rampart agent fim init|check} end to end, as the offline AIDE-like audit; inventory and
 * configuration checks offline; enrolment and certificate renewal against a real server.
 */
class AgentCliTest {
  @TempDir Path dir;

  @Test
  void enrolThenShowAndRenewTheCertificate() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path config = dir.resolve("rampart.yaml");
    Files.writeString(
        config,
        """
        data: %s
        inputs:
          - {type: syslog-tcp, bind: 127.0.0.1, port: 0}
        api: {port: 0, token_file: api-token.txt}
        agents: {enabled: true, bind: 127.0.0.1, port: %d}
        """
            .formatted(dir.resolve("data"), port));
    Files.writeString(dir.resolve("api-token.txt"), "test-token-0123456789abcdef\n");
    try (dev.rampart.server.Platform p =
        dev.rampart.server.Platform.start(
            new dev.rampart.server.Platform.Options(
                dev.rampart.ingest.server.IngestConfig.load(config),
                dev.rampart.server.ServerConfig.load(config),
                java.util.List.of(),
                line -> {}))) {
      String fp = dev.rampart.server.tls.Certificates.selfSigned(dir.resolve("data")).fingerprint();
      String token = p.agents().registry().createToken("test", java.time.Duration.ofMinutes(5));
      String data = dir.resolve("agent").toString();
      String server = "https://127.0.0.1:" + port;
      Run enrol =
          Run.of(
              "agent",
              "enroll",
              "--server",
              server,
              "--fingerprint",
              fp,
              "--token",
              token,
              "--name",
              "cli-01",
              "--data",
              data);
      assertThat(enrol.code()).as(enrol.err()).isZero();
      Run show = Run.of("agent", "renew", "--data", data);
      assertThat(show.code()).as(show.err()).isZero();
      assertThat(show.out()).contains("certificate valid").contains("renews from");
      Run now = Run.of("agent", "renew", "--data", data, "--now");
      assertThat(now.code()).as(now.err()).isZero();
      assertThat(now.out()).contains("renewed; certificate valid to");
      String id = show.out().replaceAll("(?s)^agent (\\S+):.*", "$1");
      assertThat(p.agents().registry().find(id).pendingSerial()).isNotNull();
      Run none = Run.of("agent", "renew", "--data", dir.resolve("nothing").toString());
      assertThat(none.code()).isNotZero();
      assertThat(none.err()).contains("rampart agent enroll");
    }
  }

  @Test
  void initThenCheckNamesEachChange() throws Exception {
    Path t = Files.createDirectories(dir.resolve("t"));
    Files.writeString(t.resolve("a.txt"), "alpha\n");
    Files.writeString(t.resolve("b.txt"), "beta\n");
    Files.writeString(t.resolve("c.txt"), "gamma\n");
    Files.writeString(t.resolve("d.txt"), "delta\n");
    String db = dir.resolve("fim.db").toString();
    Run init = Run.of("agent", "fim", "init", "--db", db, t.toString());
    assertThat(init.code()).as(init.err()).isZero();
    assertThat(init.err()).contains("5 entries");
    Run clean = Run.of("agent", "fim", "check", "--db", db, t.toString(), "--json");
    assertThat(clean.code()).isZero();
    Thread.sleep(20);
    Files.writeString(t.resolve("a.txt"), "ALPHA\n");
    Files.setPosixFilePermissions(
        t.resolve("b.txt"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    Files.delete(t.resolve("c.txt"));
    Files.move(t.resolve("d.txt"), t.resolve("d2.txt"));
    Files.writeString(t.resolve("n.txt"), "new\n");
    Run r = Run.of("agent", "fim", "check", "--db", db, t.toString(), "--json");
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.FINDINGS);
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("added").toString()).contains("n.txt").doesNotContain("d2.txt");
    assertThat(j.get("removed").toString()).contains("c.txt").doesNotContain("d.txt");
    assertThat(j.at("/renamed/0/from").asText()).endsWith("d.txt");
    assertThat(j.at("/renamed/0/to").asText()).endsWith("d2.txt");
    assertThat(j.get("changed").get(t.resolve("a.txt").toString()).toString()).contains("content");
    assertThat(j.get("changed").get(t.resolve("b.txt").toString()).toString()).contains("mode");
    Run missing =
        Run.of("agent", "fim", "check", "--db", dir.resolve("none.db").toString(), t.toString());
    assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err()).contains("rampart agent fim init");
  }

  @Test
  void inventoryOfAMountedTreeFeedsTheVulnerabilityModule() throws Exception {
    Path root = dir.resolve("image");
    Files.createDirectories(root.resolve("etc"));
    Files.createDirectories(root.resolve("var/lib/dpkg"));
    Files.writeString(
        root.resolve("etc/os-release"), "ID=debian\nVERSION_ID=\"9\"\nPRETTY_NAME=\"Debian 9\"\n");
    Files.writeString(root.resolve("etc/hostname"), "old-db\n");
    Files.writeString(
        root.resolve("var/lib/dpkg/status"),
        "Package: tzdata\nStatus: install ok installed\nVersion: 2021a-0+deb9u3\n\n");
    Run json = Run.of("agent", "inventory", "--root", root.toString(), "--json");
    assertThat(json.code()).as(json.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(json.out());
    assertThat(j.get("distro").asText()).isEqualTo("debian-9");
    assertThat(j.at("/packages/0/purl").asText()).startsWith("pkg:deb/debian/tzdata@");
    String data = dir.resolve("data").toString();
    Run feeds = VulnCliTest.registerDebianTracker(data);
    assertThat(feeds.code()).as(feeds.err()).isZero();
    Run imported =
        Run.of(
            "agent", "inventory", "--root", root.toString(), "--asset", "old-db", "--data", data);
    assertThat(imported.code()).as(imported.err()).isZero();
    assertThat(imported.err()).contains("old-db: 1 packages; findings: 1 new");
  }

  @Test
  void scaReportsEachCheckWithEvidenceAndFailsWhenOneFails() throws Exception {
    Path root = dir.resolve("host");
    Files.createDirectories(root.resolve("etc/ssh"));
    Files.writeString(root.resolve("etc/debian_version"), "12.7\n");
    Files.writeString(root.resolve("etc/ssh/sshd_config"), "PermitRootLogin yes\n");
    Run r = Run.of("agent", "sca", "--root", root.toString(), "--json");
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.FINDINGS);
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("policy").asText()).isEqualTo("rampart-debian12");
    assertThat(j.get("fail").asInt()).isPositive();
    JsonNode root0 = null;
    for (JsonNode c : j.get("checks")) {
      if (c.get("id").asText().equals("deb12-ssh-root-login")) {
        root0 = c;
      }
    }
    assertThat(root0.get("outcome").asText()).isEqualTo("fail");
    assertThat(root0.get("evidence").toString()).contains("PermitRootLogin");
    Path bad = Files.writeString(dir.resolve("bad.yml"), "checks: [{id: 1, rules: ['x:y']}]\n");
    Run b = Run.of("agent", "sca", "--policy", bad.toString());
    assertThat(b.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(b.err()).contains("bad.yml: checks[0]", "rule type x is not supported");
  }
}
