package dev.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The platform sections of the server config: defaults, secrets from the environment, lines. */
class ServerConfigTest {
  @Test
  void defaultsAndAFullConfig() throws Exception {
    ServerConfig none = ServerConfig.parse(Path.of("/etc/rampart/r.yaml"), "data: x\n", k -> null);
    assertThat(none.api().port()).isEqualTo(8080);
    assertThat(none.api().bind()).isEqualTo("127.0.0.1");
    assertThat(none.database().url()).isNull();
    ServerConfig c =
        ServerConfig.parse(
            Path.of("/etc/rampart/r.yaml"),
            """
            alerting: alerting.yaml
            playbooks: playbooks
            response:
              allow_commands: true
              smtp: {host: mail, port: 587, from: r@example.org, username: r, password_env: SMTP_PW}
            api: {port: 0, token_env: API_TOKEN, public_url: "https://rampart.example.org/"}
            database: {url: "jdbc:postgresql://db/rampart", user: rampart, password_env: DB_PW}
            """,
            Map.of("SMTP_PW", "pw", "API_TOKEN", "0123456789abcdef0123", "DB_PW", "dbpw")::get);
    assertThat(c.alerting()).isEqualTo(Path.of("/etc/rampart/alerting.yaml"));
    assertThat(c.response().allowCommands()).isTrue();
    assertThat(c.response().smtp().password()).isEqualTo("pw");
    assertThat(c.response().smtp().toString()).doesNotContain("pw");
    assertThat(c.api().token()).isEqualTo("0123456789abcdef0123");
    assertThat(c.api().publicUrl()).isEqualTo("https://rampart.example.org");
    assertThat(none.api().publicUrl()).isNull();
    assertThatThrownBy(
            () ->
                ServerConfig.parse(
                    Path.of("r.yaml"), "api:\n  public_url: rampart.example.org\n", k -> null))
        .hasMessageContaining("r.yaml:2: api.public_url: the console's address");
    assertThat(c.api().toString()).doesNotContain("0123456789");
    assertThat(c.database().password()).isEqualTo("dbpw");
    assertThat(c.database().toString()).doesNotContain("dbpw");
  }

  @Test
  void openSearchAsTheEventStore(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    java.nio.file.Files.writeString(dir.resolve("os-password"), "s3cret\n");
    ServerConfig c =
        ServerConfig.parse(
            dir.resolve("r.yaml"),
            """
            kafka: {bootstrap_servers: "k1:9092"}
            opensearch:
              urls: [https://os-1:9200, https://os-2:9200]
              user: rampart
              password_file: os-password
              replicas: 2
              search: false
            """,
            k -> null);
    assertThat(c.opensearch().urls()).containsExactly("https://os-1:9200", "https://os-2:9200");
    assertThat(c.opensearch().password()).isEqualTo("s3cret");
    assertThat(c.opensearch().index()).isTrue();
    assertThat(c.opensearch().search()).isFalse();
    assertThat(c.opensearch().replicas()).isEqualTo(2);
    assertThat(c.opensearch().indexPrefix()).isEqualTo("rampart-events");
    assertThat(c.opensearch().toString()).doesNotContain("s3cret");
    // fed from the events topic: without kafka it must say so, at the line
    assertThatThrownBy(
            () ->
                ServerConfig.parse(
                    Path.of("r.yaml"),
                    """
                    opensearch:
                      urls: os-1:9200
                      index: true
                    """,
                    k -> null))
        .hasMessageContaining("r.yaml:2")
        .hasMessageContaining("not an http(s) URL")
        .hasMessageContaining("r.yaml:3")
        .hasMessageContaining("add a kafka: section");
  }

  @Test
  void theStoresRetentionMappingAndBuffer() throws Exception {
    ServerConfig none = ServerConfig.parse(Path.of("r.yaml"), "data: x\n", k -> null);
    assertThat(none.store().retains()).isFalse();
    assertThat(none.store().options().indexer().ramBufferMb()).isEqualTo(128);
    ServerConfig c =
        ServerConfig.parse(
            Path.of("r.yaml"),
            """
            store:
              retention: {max_age: 90d, max_size: 1.5GB}
              mapping: {Provider_Guid: none, message: text}
              buffer_mb: 64
            """,
            k -> null);
    assertThat(c.store().maxAge()).isEqualTo(java.time.Duration.ofDays(90));
    assertThat(c.store().maxBytes()).isEqualTo(3L << 29);
    assertThat(c.store().options().mappingOverrides())
        .containsEntry("Provider_Guid", dev.rampart.store.mapping.FieldType.NONE)
        .containsEntry("message", dev.rampart.store.mapping.FieldType.TEXT);
    assertThat(c.store().options().indexer().ramBufferMb()).isEqualTo(64);
    assertThatThrownBy(
            () ->
                ServerConfig.parse(
                    Path.of("r.yaml"),
                    """
                    store:
                      retention: {max_age: forever, max_size: lots}
                      mapping: {message: words}
                      bufer_mb: 64
                    """,
                    k -> null))
        .hasMessageContaining("r.yaml:2: store.retention.max_size: a size such as 500MB")
        .hasMessageContaining("r.yaml:3: store.mapping.message: a type, one of keyword")
        .hasMessageContaining("r.yaml:4:")
        .hasMessageContaining("forever");
  }

  @Test
  void mistakesCarryTheirLines() {
    assertThatThrownBy(
            () ->
                ServerConfig.parse(
                    Path.of("r.yaml"),
                    """
                    api:
                      port: 99999
                      token_env: NOPE
                    response:
                      smtp: {host: mail, from: x, username: u}
                    database: {url: "mysql://x"}
                    """,
                    k -> null))
        .hasMessageContaining("r.yaml:2: 'port' is a number from 0 to 65535")
        .hasMessageContaining("r.yaml:3: environment variable NOPE is not set")
        .hasMessageContaining("r.yaml:5: response.smtp: a username needs password_env")
        .hasMessageContaining("r.yaml:6: database.url is a jdbc:postgresql:");
  }

  @Test
  void tenantsAndAnomalyDetectorsFromTheConfig() throws Exception {
    ServerConfig none = ServerConfig.parse(Path.of("r.yaml"), "data: x\n", k -> null);
    assertThat(none.anomalies().firstSeen())
        .isEqualTo(dev.rampart.alerting.anomaly.Anomalies.FIRST_SEEN);
    assertThat(none.tenantOf("anything")).isEqualTo("default");
    ServerConfig c =
        ServerConfig.parse(
            Path.of("r.yaml"),
            """
            tenants:
              acme: [syslog-acme]
            anomalies:
              first_seen:
                - name: new-vpn-country
                  entity: [user.name]
                  value: [source.geo.country_iso_code]
                  only: {event.category: authentication}
                  learn: 7d
                  level: medium
            """,
            k -> null);
    assertThat(c.tenantOf("syslog-acme")).isEqualTo("acme");
    var f = c.anomalies().firstSeen().get(0);
    assertThat(f.name()).isEqualTo("new-vpn-country");
    assertThat(f.learn()).isEqualTo(java.time.Duration.ofDays(7));
    assertThat(f.only()).containsExactly("event.category", "authentication");
    assertThat(c.anomalies().spikes()).hasSize(1); // not listed: the built-in ones stay
    assertThat(
            ServerConfig.parse(Path.of("r.yaml"), "anomalies: {enabled: false}\n", k -> null)
                .anomalies()
                .firstSeen())
        .isEmpty();
    assertThatThrownBy(
            () ->
                ServerConfig.parse(
                    Path.of("r.yaml"),
                    """
                    tenants:
                      acme: [a]
                      globex: [a]
                    anomalies:
                      spikes:
                        - {name: s, entity: [], z: lots, level: severe}
                      brute_force:
                        - {name: s, source: [source.ip], target: [user.name], failures: 1}
                    """,
                    k -> null))
        .hasMessageContaining("input 'a' is claimed by acme and globex")
        .hasMessageContaining("r.yaml:6: anomalies.spikes.z is a number")
        .hasMessageContaining("r.yaml:6: level is informational, low, medium, high or critical")
        .hasMessageContaining("r.yaml:8: anomaly detector name 's' is used twice")
        .hasMessageContaining("r.yaml:8: 'failures' is a number from 2");
    ServerConfig more =
        ServerConfig.parse(
            Path.of("r.yaml"),
            """
            anomalies:
              brute_force:
                - {name: vpn-guessing, source: [source.ip], target: [user.name], window: 5m, failures: 20, level: high}
              rare:
                - {name: rare-domain, host: [host.name], value: [dns.question.name], max_hosts: 1, min_fleet: 50}
            """,
            k -> null);
    var b = more.anomalies().bruteForce().get(0);
    assertThat(b.window()).isEqualTo(java.time.Duration.ofMinutes(5));
    assertThat(b.failures()).isEqualTo(20);
    assertThat(b.outcome()).isEqualTo("event.outcome");
    var r = more.anomalies().rare().get(0);
    assertThat(r.maxHosts()).isEqualTo(1);
    assertThat(r.learn()).isEqualTo(java.time.Duration.ofHours(24));
    // not listed: the built-in ones stay
    assertThat(more.anomalies().firstSeen())
        .isEqualTo(dev.rampart.alerting.anomaly.Anomalies.FIRST_SEEN);
    assertThat(more.correlation()).isEqualTo(ServerConfig.Correlation.DEFAULTS);
    ServerConfig.Correlation bounded =
        ServerConfig.parse(
                Path.of("r.yaml"),
                "correlation: {max_groups: 5000, max_signals_per_group: 100, lateness: 5m}\n",
                k -> null)
            .correlation();
    assertThat(bounded.options().maxGroups()).isEqualTo(5000);
    assertThat(bounded.options().maxSignalsPerGroup()).isEqualTo(100);
    assertThat(bounded.lateness()).isEqualTo(java.time.Duration.ofMinutes(5));
  }

  @Test
  void vulnerabilityDeadlinesAndAlertPolicy() throws Exception {
    ServerConfig d = ServerConfig.parse(Path.of("r.yaml"), "data: d\n", k -> null);
    assertThat(d.vulnerabilities()).isEqualTo(ServerConfig.Vulnerabilities.DEFAULTS);
    ServerConfig v =
        ServerConfig.parse(
            Path.of("r.yaml"),
            """
            vulnerabilities:
              sla: {critical: 3d, high: 14d}
              alerts: {kev_internet_facing: false, min_severity_internet_facing: none, min_severity: high}
            """,
            k -> null);
    assertThat(v.vulnerabilities().sla().of("critical")).isEqualTo(java.time.Duration.ofDays(3));
    assertThat(v.vulnerabilities().sla().of("medium")).isEqualTo(java.time.Duration.ofDays(90));
    assertThat(v.vulnerabilities().alerts())
        .isEqualTo(new dev.rampart.server.vuln.VulnService.AlertPolicy(false, null, "high"));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                ServerConfig.parse(
                    Path.of("r.yaml"),
                    "vulnerabilities:\n  alerts: {min_severity: urgent}\n  slas: {}\n",
                    k -> null))
        .hasMessageContaining("r.yaml:2")
        .hasMessageContaining("critical, high, medium, low or none")
        .hasMessageContaining("slas");
  }

  @Test
  void scheduledReportsNeedAMailServerAndSayWhatIsWrong() throws Exception {
    assertThat(ServerConfig.parse(Path.of("r.yaml"), "data: d\n", k -> null).reports()).isEmpty();
    ServerConfig c =
        ServerConfig.parse(
            Path.of("r.yaml"),
            """
            response:
              smtp: {host: 127.0.0.1, port: 2525, from: rampart@example.org}
            reports:
              - to: [soc-lead@example.org, ciso@example.org]
              - {to: acme-soc@example.org, every: 1d, tenants: [acme]}
            """,
            k -> null);
    assertThat(c.reports())
        .containsExactly(
            new dev.rampart.server.report.ScheduledReports.Schedule(
                java.util.List.of("soc-lead@example.org", "ciso@example.org"),
                java.time.Duration.ofDays(7),
                java.util.List.of()),
            new dev.rampart.server.report.ScheduledReports.Schedule(
                java.util.List.of("acme-soc@example.org"),
                java.time.Duration.ofDays(1),
                java.util.List.of("acme")));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                ServerConfig.parse(
                    Path.of("r.yaml"),
                    """
                    reports:
                      - to: [not-an-address]
                        every: 36h
                        tenants: ["a b"]
                        format: pdf
                    """,
                    k -> null))
        .hasMessageContaining("r.yaml:2: reports.to: 'not-an-address' is not an e-mail address")
        .hasMessageContaining("r.yaml:3: reports.every: whole days from 1d to 366d")
        .hasMessageContaining("r.yaml:4: reports.tenants: 'a b' is not a tenant name")
        .hasMessageContaining("unknown key 'format' in reports")
        .hasMessageContaining("reports: e-mailing a report needs response.smtp");
  }

  @Test
  void networkScansAreCheckedAgainstTheAllowedNetworksAtStart() throws Exception {
    ServerConfig v =
        ServerConfig.parse(
            Path.of("r.yaml"),
            """
            vulnerabilities:
              scans:
                allow: [10.0.5.0/24, "fd00::/8"]
                rate: 50
                max_time: 10m
                jobs:
                  - {asset: web-01, target: "10.0.5.10:22,443", every: 12h}
                  - {asset: self, target: "127.0.0.1"}
            """,
            k -> null);
    var scans = v.vulnerabilities().scans();
    assertThat(scans.allow()).containsExactly("10.0.5.0/24", "fd00::/8");
    assertThat(scans.rate()).isEqualTo(50);
    assertThat(scans.maxTime()).isEqualTo(java.time.Duration.ofMinutes(10));
    assertThat(scans.jobs())
        .containsExactly(
            new dev.rampart.server.vuln.NetworkScans.Job(
                "web-01", "10.0.5.10:22,443", java.time.Duration.ofHours(12)),
            new dev.rampart.server.vuln.NetworkScans.Job(
                "self", "127.0.0.1", java.time.Duration.ofDays(1)));
    assertThat(scans.options().allowed()).contains("127.0.0.0/8", "10.0.5.0/24");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                ServerConfig.parse(
                    Path.of("r.yaml"),
                    """
                    vulnerabilities:
                      scans:
                        allow: [10.0.5.0/33]
                        jobs:
                          - {asset: db, target: "192.0.2.7:5432"}
                          - {asset: fast, target: "127.0.0.1:22", every: 10s}
                          - {target: "127.0.0.1"}
                    """,
                    k -> null))
        .hasMessageContaining("r.yaml:3: vulnerabilities.scans.allow: '10.0.5.0/33'")
        .hasMessageContaining("r.yaml:5: vulnerabilities.scans.jobs.target: 192.0.2.7 is outside")
        .hasMessageContaining("add its network to vulnerabilities.scans.allow")
        .hasMessageContaining("r.yaml:6: vulnerabilities.scans.jobs.every: at least 1m")
        .hasMessageContaining("r.yaml:7: missing key 'asset'");
  }

  @Test
  void theAgentsPortIsOffUntilEnabled() throws Exception {
    ServerConfig d = ServerConfig.parse(Path.of("r.yaml"), "data: d\n", k -> null);
    assertThat(d.agents()).isEqualTo(ServerConfig.Agents.DEFAULTS);
    assertThat(d.agents().enabled()).isFalse();
    ServerConfig a =
        ServerConfig.parse(
            Path.of("r.yaml"),
            "agents: {enabled: true, bind: 10.0.0.5, port: 1515, silent_after: 2m}\n",
            k -> null);
    assertThat(a.agents())
        .isEqualTo(
            new ServerConfig.Agents(true, "10.0.0.5", 1515, java.time.Duration.ofMinutes(2), 16));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                ServerConfig.parse(
                    Path.of("r.yaml"),
                    "agents: {enabled: true, port: 70000, silent: 5m}\n",
                    k -> null))
        .hasMessageContaining("r.yaml:1")
        .hasMessageContaining("port")
        .hasMessageContaining("silent");
  }
}
