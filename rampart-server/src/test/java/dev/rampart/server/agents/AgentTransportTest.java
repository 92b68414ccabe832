package dev.rampart.server.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rampart.agent.AgentConfig;
import dev.rampart.agent.AgentDaemon;
import dev.rampart.agent.transport.CertificateRenewal;
import dev.rampart.agent.transport.Identity;
import dev.rampart.agent.transport.Protocol;
import dev.rampart.agent.transport.Sender;
import dev.rampart.agent.transport.ServerLink;
import dev.rampart.agent.wal.AgentWal;
import dev.rampart.alerting.alert.AlertLog;
import dev.rampart.core.event.Event;
import dev.rampart.core.event.EventSource;
import dev.rampart.ingest.server.IngestConfig;
import dev.rampart.server.Platform;
import dev.rampart.server.ServerConfig;
import dev.rampart.server.tls.Certificates;
import dev.rampart.store.search.SearchRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agents and the server over real mutual TLS on loopback: enrolment with a one-time token, batches
 * acknowledged cumulatively and deduplicated by (agent, sequence), a server outage and an agent
 * restart in the middle (everything arrives once), refusals (no certificate, revoked agent, used or
 * expired token), the silent-agent alert, and the whole agent forwarding file changes, a log file
 * and the journal.
 */
class AgentTransportTest {
  static final String API_TOKEN = "test-token-0123456789abcdef";

  @TempDir Path dir;
  int agentPort;

  Platform platform() throws Exception {
    Path config = dir.resolve("rampart.yaml");
    Files.writeString(
        config,
        """
        data: %s
        inputs:
          - {type: syslog-tcp, port: 0}
        api: {port: 0, token_file: api-token.txt}
        agents: {enabled: true, bind: 127.0.0.1, port: %d, silent_after: 1s}
        playbooks: playbooks
        """
            .formatted(dir.resolve("data"), agentPort));
    Path playbooks = Files.createDirectories(dir.resolve("playbooks"));
    Files.writeString(
        playbooks.resolve("contain.yaml"),
        """
        description: Block the source of a brute force on the host that saw it
        on:
          alert: {min_level: high}
        steps:
          - agent:
              agent: "{{alert.host}}"
              action: block_ip
              args: {ip: "{{alert.source_ip}}"}
              dry_run: true
        """);
    Files.writeString(dir.resolve("api-token.txt"), API_TOKEN + "\n");
    Platform p =
        Platform.start(
            new Platform.Options(
                IngestConfig.load(config), ServerConfig.load(config), List.of(), line -> {}));
    // The first start takes a free port itself (a port found free and bound later could be taken
    // in between, by any connection's local end); restarts keep it: the agent keeps the address.
    if (agentPort == 0) {
      agentPort = p.agents().port();
    }
    return p;
  }

  String fingerprint() throws Exception {
    return Certificates.selfSigned(dir.resolve("data")).fingerprint();
  }

  URI agentsUri() {
    return URI.create("https://127.0.0.1:" + agentPort);
  }

  HttpResponse<String> api(Platform p, String method, String path, String body) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.apiPort() + path))
                .header("Authorization", "Bearer " + API_TOKEN)
                .method(
                    method,
                    body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  String token(Platform p) throws Exception {
    HttpResponse<String> r = api(p, "POST", "/api/agents/tokens", "{\"ttl_minutes\": 10}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(r.body())
        .get("token")
        .asText();
  }

  Identity enroll(Platform p, String name) throws Exception {
    String fp = fingerprint();
    return ServerLink.forEnrolment(agentsUri(), fp).enroll(token(p), name, "test", fp);
  }

  static Event event(int n) {
    Event e = new Event();
    e.source(new EventSource("agent", "web-01", "test/agent"));
    e.timestamp(System.currentTimeMillis() * 1_000_000L);
    e.addString("message", "record " + n);
    e.addLong("test.n", n);
    return e;
  }

  static void append(AgentWal wal, int from, int to) throws Exception {
    for (int i = from; i < to; i++) {
      wal.append(event(i));
    }
    wal.sync();
  }

  static void drain(Sender s) throws Exception {
    while (s.sendOnce()) {
      // until the log is empty
    }
  }

  long stored(Platform p, String query) throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    long n = -1;
    while (System.currentTimeMillis() < deadline) {
      n = p.store().search(SearchRequest.of(query).range(0, Long.MAX_VALUE)).matched();
      if (n > 0) {
        Thread.sleep(1500); // one more indexing pass: a duplicate would show up now
        return p.store().search(SearchRequest.of(query).range(0, Long.MAX_VALUE)).matched();
      }
      Thread.sleep(200);
    }
    return n;
  }

  @Test
  void everyRecordArrivesOnceThroughAnOutageAndARestart() throws Exception {
    Path agentDir = dir.resolve("agent");
    Identity id;
    Platform p = platform();
    try {
      id = enroll(p, "web-01");
      id.save(agentDir);
      AgentWal wal = AgentWal.open(agentDir.resolve("wal"), AgentWal.Options.DEFAULTS, x -> {});
      append(wal, 0, 500);
      List<AgentWal.Record> first = wal.read(0, 10);
      Sender s = new Sender(wal, ServerLink.of(Identity.load(agentDir)), Sender.Options.DEFAULTS);
      drain(s);
      assertThat(wal.acked()).isEqualTo(wal.end());
      // a lost acknowledgement: the agent sends records the server already holds
      List<Protocol.Item> again = new ArrayList<>();
      for (AgentWal.Record r : first) {
        again.add(new Protocol.Item(r.seq(), r.next(), r.data()));
      }
      Protocol.Ack ack = ServerLink.of(id).send(again);
      assertThat(ack.duplicates()).isEqualTo(10);
      assertThat(ack.accepted()).isZero();
      // the server goes away while the agent keeps recording
      p.close();
      append(wal, 500, 1000);
      assertThatThrownBy(s::sendOnce).isInstanceOf(java.io.IOException.class);
      // and the agent restarts before the server is back
      wal.close();
    } finally {
      p.close();
    }
    p = platform();
    try (AgentWal wal =
        AgentWal.open(agentDir.resolve("wal"), AgentWal.Options.DEFAULTS, x -> {})) {
      assertThat(wal.end() - wal.acked()).isPositive();
      drain(new Sender(wal, ServerLink.of(Identity.load(agentDir)), Sender.Options.DEFAULTS));
      assertThat(wal.acked()).isEqualTo(wal.end());
      AgentRegistry.Agent a = p.agents().registry().find(id.agentId());
      assertThat(a.records()).isEqualTo(1000);
      assertThat(a.duplicates()).isEqualTo(10);
      assertThat(stored(p, "agent.id:" + id.agentId())).isEqualTo(1000);
      assertThat(stored(p, "agent.id:" + id.agentId() + " AND test.n:999")).isEqualTo(1);
    } finally {
      p.close();
    }
  }

  @Test
  void refusesWithoutACertificateARevokedAgentAndASpentOrExpiredToken() throws Exception {
    try (Platform p = platform()) {
      String fp = fingerprint();
      String t = token(p);
      Identity id = ServerLink.forEnrolment(agentsUri(), fp).enroll(t, "db-01", "test", fp);
      // the token is spent
      assertThatThrownBy(
              () -> ServerLink.forEnrolment(agentsUri(), fp).enroll(t, "db-02", "test", fp))
          .isInstanceOf(ServerLink.Refused.class)
          .hasMessageContaining("already used");
      // an expired one
      String expired = p.agents().registry().createToken("test", Duration.ofMillis(1));
      Thread.sleep(5);
      assertThatThrownBy(
              () -> ServerLink.forEnrolment(agentsUri(), fp).enroll(expired, "db-03", "test", fp))
          .isInstanceOf(ServerLink.Refused.class)
          .hasMessageContaining("expired");
      // a wrong pin is refused by the agent before anything is sent
      String wrong = "00".repeat(32);
      assertThatThrownBy(
              () -> ServerLink.forEnrolment(agentsUri(), wrong).enroll(t, "x", "test", wrong))
          .isInstanceOf(java.io.IOException.class);
      // a body that is not the expected JSON is refused with where it breaks, not a 500
      HttpResponse<String> garbled = rawEnroll("{\"token\": \"x\", \"csr\": ");
      assertThat(garbled.statusCode()).isEqualTo(400);
      assertThat(garbled.body()).contains("enrolment: not valid JSON at line 1");
      assertThat(rawEnroll("[1, 2]").body()).contains("a JSON object expected");
      assertThat(rawEnroll("{\"tokn\": 1}").statusCode()).isEqualTo(400);
      // batches need the agent's certificate
      List<Protocol.Item> one = List.of(new Protocol.Item(0, 1, new byte[] {1}));
      assertThatThrownBy(() -> ServerLink.forEnrolment(agentsUri(), fp).send(one))
          .isInstanceOf(ServerLink.Refused.class)
          .satisfies(e -> assertThat(((ServerLink.Refused) e).status).isEqualTo(401));
      // a revoked agent's certificate no longer works
      assertThat(api(p, "DELETE", "/api/agents/" + id.agentId(), null).statusCode()).isEqualTo(200);
      assertThatThrownBy(() -> ServerLink.of(id).send(one))
          .isInstanceOf(ServerLink.Refused.class)
          .satisfies(e -> assertThat(((ServerLink.Refused) e).status).isEqualTo(403));
      // the list shows it, revoked
      assertThat(api(p, "GET", "/api/agents", null).body())
          .contains(id.agentId())
          .contains("\"status\":\"revoked\"");
    }
  }

  @Test
  void aSilentAgentRaisesOneAlertPerSilence() throws Exception {
    try (Platform p = platform()) {
      Identity id = enroll(p, "quiet-01");
      ServerLink link = ServerLink.of(id);
      link.heartbeat(java.util.Map.of("version", "test", "uptime_s", 1));
      assertThat(api(p, "GET", "/api/agents", null).body()).contains("\"uptime_s\":1");
      Thread.sleep(1200);
      p.agents().checkSilent();
      p.agents().checkSilent(); // the same silence: no second alert
      long alerts = silentAlerts(p, id);
      assertThat(alerts).isEqualTo(1);
      assertThat(api(p, "GET", "/api/agents", null).body()).contains("\"status\":\"silent\"");
      // the host's page says so too, beside the alert about it
      String host = api(p, "GET", "/api/entities/host/quiet-01", null).body();
      assertThat(host).contains("\"agent\":{\"id\":\"" + id.agentId(), "\"status\":\"silent\"");
      link.heartbeat(java.util.Map.of("version", "test", "uptime_s", 3)); // back
      assertThat(api(p, "GET", "/api/agents", null).body()).doesNotContain("\"status\":\"silent\"");
      Thread.sleep(1200);
      p.agents().checkSilent(); // a new silence
      assertThat(silentAlerts(p, id)).isEqualTo(2);
    }
  }

  /** An enrolment request as any HTTPS client could send it (the agent's own link checks more). */
  HttpResponse<String> rawEnroll(String body) throws Exception {
    javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
    ctx.init(
        null,
        new javax.net.ssl.TrustManager[] {
          new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] c, String a) {}

            @Override
            public void checkServerTrusted(X509Certificate[] c, String a) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
              return new X509Certificate[0];
            }
          }
        },
        null);
    return HttpClient.newBuilder()
        .sslContext(ctx)
        .build()
        .send(
            HttpRequest.newBuilder(agentsUri().resolve(Protocol.ENROLL))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  static final Map<String, Object> BEAT = Map.of("version", "test", "uptime_s", 1);

  static void refused403(ServerLink link) {
    assertThatThrownBy(() -> link.heartbeat(BEAT))
        .isInstanceOf(ServerLink.Refused.class)
        .satisfies(e -> assertThat(((ServerLink.Refused) e).status).isEqualTo(403));
  }

  @Test
  void anAgentRenewsItsCertificateAndTheOldOneEndsWhenTheNewOneIsFirstUsed() throws Exception {
    Path agentDir = dir.resolve("agent");
    try (Platform p = platform()) {
      Identity id = enroll(p, "app-01");
      id.save(agentDir);
      X509Certificate first = id.certificate();
      Instant born = first.getNotBefore().toInstant();
      AgentRegistry registry = p.agents().registry();
      assertThat(registry.find(id.agentId()).certExpiresAt())
          .isEqualTo(first.getNotAfter().getTime());
      // due two thirds into its 397 days
      assertThat(Duration.between(born, CertificateRenewal.due(first)).toDays()).isEqualTo(264);
      ServerLink link = ServerLink.of(id);
      CertificateRenewal early =
          new CertificateRenewal(id, link, agentDir, at(born.plus(Duration.ofDays(200))));
      assertThat(early.renewIfDue()).isFalse();
      assertThat(Identity.load(agentDir).certificate()).isEqualTo(first);

      // a renewal whose answer is lost (the agent dies before saving it) costs nothing
      Identity lost = link.renew(id);
      assertThat(registry.find(id.agentId()).pendingSerial()).isNotNull();
      assertThat(link.heartbeat(BEAT)).containsKey("server_time");

      // due: a new key, certified, saved, then used
      CertificateRenewal r =
          new CertificateRenewal(id, link, agentDir, at(CertificateRenewal.due(first)));
      assertThat(r.renewIfDue()).isTrue();
      assertThat(r.lastError()).isNull();
      X509Certificate second = Identity.load(agentDir).certificate();
      assertThat(second).isEqualTo(r.identity().certificate()).isNotEqualTo(first);
      assertThat(second.getPublicKey()).isNotEqualTo(first.getPublicKey());
      assertThat(second.getNotAfter()).isAfterOrEqualTo(first.getNotAfter());
      // the replaced pending one is refused; the old one is good until the new one is used
      refused403(ServerLink.of(lost));
      ServerLink old = ServerLink.of(id);
      assertThat(old.heartbeat(BEAT)).containsKey("server_time");
      assertThat(link.heartbeat(BEAT)).containsKey("server_time"); // first use of the new one
      AgentRegistry.Agent a = registry.find(id.agentId());
      assertThat(a.certSerial()).isEqualTo(second.getSerialNumber().toString(16));
      assertThat(a.pendingSerial()).isNull();
      assertThat(a.certExpiresAt()).isEqualTo(second.getNotAfter().getTime());
      refused403(old);
      assertThat(p.cases().db().audit(100))
          .anyMatch(x -> x.action().equals("agent.renew"))
          .anyMatch(x -> x.action().equals("agent.cert"));
      assertThat(api(p, "GET", "/api/agents", null).body())
          .contains("\"cert_expires_at\":" + second.getNotAfter().getTime())
          .contains("\"cert_renewal_pending\":false");

      // renewed by hand (rampart agent renew) while the agent runs: it takes the saved one
      CertificateRenewal byHand =
          new CertificateRenewal(
              Identity.load(agentDir),
              ServerLink.of(Identity.load(agentDir)),
              agentDir,
              Clock.systemUTC());
      byHand.renew();
      ServerLink.of(Identity.load(agentDir)).heartbeat(BEAT); // used elsewhere first
      refused403(link);
      assertThat(r.reloadIfChanged()).isTrue();
      assertThat(r.reloadIfChanged()).isFalse();
      assertThat(link.heartbeat(BEAT)).containsKey("server_time");

      // a revoked agent cannot renew; the renewal says why and is retried later, not at once
      assertThat(api(p, "DELETE", "/api/agents/" + id.agentId(), null).statusCode()).isEqualTo(200);
      CertificateRenewal revoked =
          new CertificateRenewal(
              r.identity(), link, agentDir, at(CertificateRenewal.due(second).plusSeconds(1)));
      assertThat(revoked.renewIfDue()).isFalse();
      assertThat(revoked.lastError()).contains("403");
      assertThat(revoked.renewIfDue()).isFalse();
    }
  }

  @Test
  void aCertificateNearItsEndRaisesOneAlertAndAnExpiredOneIsNotRenewed() throws Exception {
    Path agentDir = dir.resolve("agent");
    try (Platform p = platform()) {
      Identity id = enroll(p, "old-01");
      id.save(agentDir);
      long end = id.certificate().getNotAfter().getTime();
      p.agents().checkCertificates(end - Duration.ofDays(31).toMillis()); // not yet
      p.agents().checkCertificates(end - Duration.ofDays(10).toMillis());
      p.agents().checkCertificates(end - Duration.ofDays(9).toMillis()); // the same certificate
      List<dev.rampart.alerting.alert.Alert> alerts =
          AlertLog.read(dir.resolve("data").resolve("alerts").resolve("alerts.ndjson")).stream()
              .filter(a -> a.ruleId().equals("agent:cert-expiring"))
              .toList();
      assertThat(alerts).hasSize(1);
      assertThat(alerts.get(0).title()).contains("old-01").contains("was not renewed");
      // past its end the server would refuse it: the agent says to enrol again
      CertificateRenewal r =
          new CertificateRenewal(
              id, ServerLink.of(id), agentDir, at(Instant.ofEpochMilli(end).plusSeconds(60)));
      assertThat(r.renewIfDue()).isFalse();
      assertThat(r.lastError()).contains("expired").contains("enrol the agent again");
    }
  }

  static Clock at(Instant t) {
    return Clock.fixed(t, java.time.ZoneOffset.UTC);
  }

  long silentAlerts(Platform p, Identity id) throws Exception {
    return AlertLog.read(dir.resolve("data").resolve("alerts").resolve("alerts.ndjson")).stream()
        .filter(a -> a.ruleId().equals("agent:silent") && a.id().contains(id.agentId()))
        .count();
  }

  @Test
  void anOrderedActionReachesTheAgentSignedAndItsOutcomeIsAuditedOnBothSides() throws Exception {
    Path agentDir = dir.resolve("agent");
    try (Platform p = platform()) {
      Identity id = enroll(p, "web-01");
      id.save(agentDir);
      HttpResponse<String> r =
          api(
              p,
              "POST",
              "/api/agents/" + id.agentId() + "/actions",
              "{\"action\": \"block_ip\", \"args\": {\"ip\": \"203.0.113.9\"}, \"undo_after_s\": 600}");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      assertThat(
              api(p, "POST", "/api/agents/" + id.agentId() + "/actions", "{\"action\": \"reboot\"}")
                  .statusCode())
          .isEqualTo(400);
      ServerLink link = ServerLink.of(id);
      try (AgentWal wal =
              AgentWal.open(agentDir.resolve("wal"), AgentWal.Options.DEFAULTS, x -> {});
          dev.rampart.agent.response.Responder responder =
              new dev.rampart.agent.response.Responder(
                  new dev.rampart.agent.response.Responder.Options(
                      java.util.EnumSet.of(dev.rampart.agent.response.Action.BLOCK_IP),
                      agentDir.resolve("response"),
                      Path.of("/")),
                  id.caCertificate().getPublicKey(),
                  id.agentId(),
                  List.of(),
                  new dev.rampart.agent.response.Exec.Recording(),
                  e -> {
                    try {
                      wal.append(e);
                      wal.sync();
                    } catch (java.io.IOException ex) {
                      throw new java.io.UncheckedIOException(ex);
                    }
                  },
                  "web-01")) {
        List<?> commands =
            (List<?>) link.heartbeat(java.util.Map.of("version", "test")).get("commands");
        assertThat(commands).hasSize(1);
        java.util.Map<?, ?> c = (java.util.Map<?, ?>) commands.get(0);
        responder.handle(
            new Protocol.Envelope(
                String.valueOf(c.get("payload")), String.valueOf(c.get("signature"))));
        drain(new Sender(wal, link, Sender.Options.DEFAULTS));
        assertThat(responder.pending()).hasSize(1); // the undo, kept on the agent
      }
      String actions = api(p, "GET", "/api/agents/" + id.agentId() + "/actions", null).body();
      assertThat(actions).contains("\"outcome\":\"done\"").contains("203.0.113.9");
      assertThat((List<?>) link.heartbeat(java.util.Map.of("version", "test")).get("commands"))
          .isEmpty(); // reported: no longer handed out
      assertThat(p.cases().db().audit(100))
          .anyMatch(a -> a.action().equals("agent.action"))
          .anyMatch(a -> a.action().equals("agent.action.done"));
      assertThat(Files.readString(agentDir.resolve("response/audit.ndjson"))).contains("\"done\"");
    }
  }

  @Test
  void aPlaybookOrdersAnActionOnTheHostOfAnAlert() throws Exception {
    try (Platform p = platform()) {
      Identity id = enroll(p, "web-07");
      p.triage()
          .accept(
              List.of(
                  new dev.rampart.alerting.alert.Alert(
                      "a1",
                      "rule-brute",
                      "SSH brute force",
                      "high",
                      List.of("attack.t1110"),
                      List.of("T1110"),
                      List.of(7L),
                      System.currentTimeMillis() * 1_000_000,
                      System.currentTimeMillis() * 1_000_000,
                      java.util.Map.of(),
                      new dev.rampart.alerting.alert.Alert.Entities(
                          "web-07", "root", "203.0.113.7", "sshd"),
                      null)));
      long deadline = System.currentTimeMillis() + 20_000;
      List<AgentActions.Row> rows = List.of();
      while (rows.isEmpty() && System.currentTimeMillis() < deadline) {
        Thread.sleep(100);
        rows = p.agents().actions().list(id.agentId(), 10);
      }
      assertThat(rows).hasSize(1);
      assertThat(rows.get(0).action()).isEqualTo("block_ip");
      assertThat(rows.get(0).args()).containsEntry("ip", "203.0.113.7");
      assertThat(rows.get(0).dryRun()).isTrue();
      assertThat(rows.get(0).issuedBy()).isEqualTo("playbook");
    }
  }

  @Test
  void theAgentForwardsFileChangesALogFileAndTheJournal() throws Exception {
    Path watched = Files.createDirectories(dir.resolve("watched"));
    Files.writeString(watched.resolve("sshd_config"), "PermitRootLogin no\n");
    Path log = dir.resolve("auth.log");
    Files.writeString(log, "");
    Path app = dir.resolve("app.log");
    Files.writeString(app, "");
    Path trail = dir.resolve("trail.log");
    Files.writeString(trail, "");
    Path journalctl = dir.resolve("journalctl");
    Files.writeString(
        journalctl,
        """
        #!/bin/sh
        echo '{"__CURSOR":"c1","__REALTIME_TIMESTAMP":"1700000000000000","_HOSTNAME":"web-01","SYSLOG_IDENTIFIER":"sudo","_PID":"42","PRIORITY":"5","MESSAGE":"alice : COMMAND=/bin/sh"}'
        exec sleep 600
        """);
    journalctl.toFile().setExecutable(true);
    Path agentDir = dir.resolve("agent");
    Path config = dir.resolve("agent.yml");
    Files.writeString(
        config,
        """
        data: %s
        fim: {paths: [%s]}
        logs:
          - {path: %s, parser: syslog}
          - {path: %s, parser: kv, parse_on: server}
          - {path: %s, parser: json, parse_on: server}
        journald: {enabled: true, command: %s}
        inventory_every: 6h
        sca_every: 12h
        heartbeat_every: 1s
        """
            .formatted(agentDir, watched, log, app, trail, journalctl));
    try (Platform p = platform()) {
      enroll(p, "web-01").save(agentDir);
      try (AgentDaemon a = AgentDaemon.start(AgentConfig.load(config), m -> {})) {
        Files.writeString(watched.resolve("sshd_config"), "PermitRootLogin yes\n");
        Files.writeString(
            log,
            "<86>Jan  5 10:00:00 web-01 sshd[77]: Accepted password for root from 203.0.113.9"
                + " port 5555 ssh2\n");
        assertThat(stored(p, "rampart.log_type:agent/fim AND file.path:*sshd_config"))
            .isGreaterThanOrEqualTo(1);
        assertThat(stored(p, "source.ip:203.0.113.9 AND agent.name:web-01")).isEqualTo(1);
        Files.writeString(app, "user=alice action=export rows=5000\n");
        // parsed on the server, by the parser the agent named; where it came from kept
        assertThat(stored(p, "rampart.log_type:kv AND kv.user:alice AND log.file.path:*app.log"))
            .isEqualTo(1);
        // a line of two CloudTrail records and one that cannot be read: both stored, each from
        // the line's file, and the third kept as the agent sent it with why
        Files.writeString(
            trail,
            "{\"Records\":[{\"eventVersion\":\"1.08\",\"eventSource\":\"s3.amazonaws.com\","
                + "\"eventName\":\"DeleteBucket\",\"eventTime\":\"2026-11-28T08:15:30Z\"},"
                + "{\"eventVersion\":\"1.08\",\"eventSource\":\"iam.amazonaws.com\","
                + "\"eventName\":\"CreateUser\",\"eventTime\":\"2026-11-28T08:15:31Z\"},"
                + "\"not a record\"]}\n");
        assertThat(stored(p, "rampart.log_type:aws/cloudtrail AND log.file.path:*trail.log"))
            .isEqualTo(2);
        assertThat(
                stored(
                    p,
                    "rampart.parse_error:* AND log.file.path:*trail.log AND message:\"not a record\""))
            .isEqualTo(1);
        assertThat(stored(p, "process.name:sudo AND rampart.log_type:linux/auth")).isEqualTo(1);
        assertThat(stored(p, "rampart.log_type:agent/inventory")).isEqualTo(1);
        assertThat(stored(p, "rampart.log_type:agent/sca")).isPositive();
        assertThat(a.status().get("watch_mode"))
            .isIn(
                dev.rampart.agent.fim.FimWatcher.DEGRADED,
                dev.rampart.agent.fim.FimWatcher.FANOTIFY);
      }
      assertThat(api(p, "GET", "/api/agents", null).body()).contains("\"watch_mode\"");
    }
  }
}
