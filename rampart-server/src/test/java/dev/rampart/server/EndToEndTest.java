package dev.rampart.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import dev.rampart.ingest.server.IngestConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path on real components: sshd lines over TCP syslog on 127.0.0.1 become alerts (with
 * Rampart's own rules), the alerts an incident, the incident a signed webhook received by a local
 * HTTP server and an e-mail received by GreenMail; then the REST API works the incident.
 */
class EndToEndTest {
  @TempDir Path dir;
  GreenMail mail;
  HttpServer hooks;
  final List<Map.Entry<Map<String, List<String>>, String>> received = new CopyOnWriteArrayList<>();
  final HttpClient http = HttpClient.newHttpClient();
  final ObjectMapper json = new ObjectMapper();

  @BeforeEach
  void start() throws Exception {
    mail = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp"));
    mail.start();
    hooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hooks.createContext(
        "/",
        x -> {
          received.add(
              Map.entry(
                  Map.copyOf(x.getRequestHeaders()),
                  new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
          x.sendResponseHeaders(204, -1);
          x.close();
        });
    hooks.start();
  }

  @AfterEach
  void stop() {
    mail.stop();
    hooks.stop(0);
  }

  Platform platform() throws Exception {
    return platform("");
  }

  Platform platform(String extraYaml) throws Exception {
    return platform(extraYaml, line -> {});
  }

  Platform platform(String extraYaml, java.util.function.Consumer<String> say) throws Exception {
    Path playbooks = Files.createDirectories(dir.resolve("playbooks"));
    Files.writeString(dir.resolve("hook-secret"), "an-hmac-secret-for-tests\n");
    Files.writeString(
        playbooks.resolve("page-the-soc.yaml"),
        """
        description: Page the SOC when an incident opens
        on:
          incident: [created]
        steps:
          - name: soar
            webhook:
              url: http://127.0.0.1:%d/rampart
              secret_file: ../hook-secret
          - email:
              to: [soc@example.org]
              subject: "New incident: {{incident.title}}"
              body: "Priority {{incident.priority}}. Open it: incident {{incident.id}}"
        """
            .formatted(hooks.getAddress().getPort()));
    Path config = dir.resolve("rampart.yaml");
    Files.writeString(
        config,
        """
        data: %s
        inputs:
          - {type: syslog-tcp, port: 0}
        playbooks: playbooks
        response:
          smtp: {host: 127.0.0.1, port: %d, from: rampart@example.org}
        api:
          port: 0
          token_file: api-token.txt
        """
                .formatted(dir.resolve("data"), mail.getSmtp().getPort())
            + extraYaml);
    Files.writeString(dir.resolve("api-token.txt"), "test-token-0123456789abcdef\n");
    return Platform.start(
        new Platform.Options(
            IngestConfig.load(config),
            ServerConfig.load(config),
            List.of(Path.of("..", "rules")),
            say));
  }

  HttpResponse<String> call(Platform p, String method, String path, String body, String token)
      throws Exception {
    HttpRequest.Builder rq =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.apiPort() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      rq.header("Authorization", "Bearer " + token);
    }
    return http.send(rq.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> call(Platform p, String method, String path, String body) throws Exception {
    return call(p, method, path, body, "test-token-0123456789abcdef");
  }

  @Test
  void syslogBecomesAlertIncidentWebhookAndMail() throws Exception {
    try (Platform p = platform()) {
      int port = p.ingest().ports().get("syslog-tcp");
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
          OutputStream out = s.getOutputStream()) {
        for (int i = 0; i < 3; i++) {
          out.write(
              ("<38>1 2026-11-28T10:00:0"
                      + i
                      + "Z web-01 sshd 4242 - - Failed password for invalid user oracle"
                      + i
                      + " from 203.0.113.7 port 5022"
                      + i
                      + " ssh2\n")
                  .getBytes(StandardCharsets.UTF_8));
        }
      }
      long deadline = System.nanoTime() + 30_000_000_000L;
      while ((received.isEmpty() || mail.getReceivedMessages().length == 0)
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(p.playbooks().awaitIdle(java.time.Duration.ofSeconds(10))).isTrue();

      // one incident for the host, opened once: one webhook and one mail
      assertThat(received).hasSize(1);
      var hook = received.get(0);
      JsonNode payload = json.readTree(hook.getValue());
      assertThat(payload.at("/trigger").asText()).isEqualTo("incident.created");
      assertThat(payload.at("/incident/host").asText()).isEqualTo("web-01");
      String ts = hook.getKey().get("X-rampart-timestamp").get(0);
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(
          new SecretKeySpec(
              "an-hmac-secret-for-tests".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      assertThat(hook.getKey().get("X-rampart-signature").get(0))
          .isEqualTo(
              "sha256="
                  + HexFormat.of()
                      .formatHex(
                          mac.doFinal(
                              (ts + "." + hook.getValue()).getBytes(StandardCharsets.UTF_8))));
      assertThat(hook.getKey().get("Idempotency-key")).isNotEmpty();
      assertThat(mail.getReceivedMessages()).hasSize(1);
      assertThat(mail.getReceivedMessages()[0].getSubject()).startsWith("New incident: ");
      assertThat(mail.getReceivedMessages()[0].getSubject()).contains("web-01");

      // the API shows the incident, its alerts and the playbook run
      JsonNode list = json.readTree(call(p, "GET", "/api/incidents", null).body());
      assertThat(list.get("incidents")).hasSize(1);
      String id = list.at("/incidents/0/id").asText();
      JsonNode incident = json.readTree(call(p, "GET", "/api/incidents/" + id, null).body());
      assertThat(incident.get("alerts")).hasSize(3);
      assertThat(incident.get("status").asText()).isEqualTo("new");
      JsonNode runs = json.readTree(call(p, "GET", "/api/playbooks/runs", null).body());
      assertThat(runs.at("/runs/0/status").asText()).isEqualTo("ok");
      assertThat(runs.at("/runs/0/steps")).hasSize(2);
      JsonNode alerts = json.readTree(call(p, "GET", "/api/alerts?limit=2", null).body());
      assertThat(alerts.get("alerts")).hasSize(2);
      assertThat(alerts.at("/alerts/0/source_ip").asText()).isEqualTo("203.0.113.7");
      assertThat(alerts.at("/alerts/0/incident_id").asText()).isEqualTo(id);
      assertThat(alerts.at("/alerts/0/state").asText()).isEqualTo("new");
      String next = alerts.get("next").asText();
      assertThat(
              json.readTree(call(p, "GET", "/api/alerts?before=" + next, null).body())
                  .get("alerts"))
          .hasSize(1);
      // bulk acknowledge: the alerts' state changes once, the second call changes nothing
      String ids =
          "{\"ids\":[\""
              + alerts.at("/alerts/0/id").asText()
              + "\",\""
              + alerts.at("/alerts/1/id").asText()
              + "\"]}";
      assertThat(
              json.readTree(call(p, "POST", "/api/alerts/acknowledge", ids).body())
                  .get("changed")
                  .asInt())
          .isEqualTo(2);
      assertThat(
              json.readTree(call(p, "POST", "/api/alerts/acknowledge", ids).body())
                  .get("changed")
                  .asInt())
          .isZero();
      assertThat(json.readTree(call(p, "GET", "/api/alerts?state=new", null).body()).get("alerts"))
          .hasSize(1);
      // stored events are searchable through the API, with the context view
      JsonNode found = awaitEvents(p, "test-token-0123456789abcdef", 3);
      assertThat(found.at("/rows/0/host.name").asText()).isEqualTo("web-01");
      JsonNode context =
          json.readTree(
              call(p, "GET", "/api/events/" + found.at("/rows/1/_id").asText(), null).body());
      assertThat(context.get("events")).hasSize(3);
      // what the sshd rule would have fired on, and a backfill that finds every alert filed
      String rule = "/api/rules/f14f5ff2-ca76-4441-b374-0fe8f298a17d";
      JsonNode backtest =
          json.readTree(call(p, "GET", rule + "/backtest?from=2026-11-01T00:00:00Z", null).body());
      assertThat(backtest.get("matched").asLong()).isEqualTo(3);
      assertThat(backtest.get("complete").asBoolean()).isTrue();
      assertThat(backtest.at("/hosts/0/key").asText()).isEqualTo("web-01");
      assertThat(backtest.get("newest")).hasSize(3);
      // and what the whole pack would have: the same rule, the same three
      JsonNode hunt =
          json.readTree(call(p, "GET", "/api/hunt?from=2026-11-01T00:00:00Z", null).body());
      assertThat(hunt.get("complete").asBoolean()).isTrue();
      JsonNode sshd = null;
      for (JsonNode h : hunt.get("rules")) {
        if (h.at("/rule/key").asText().equals("f14f5ff2-ca76-4441-b374-0fe8f298a17d")) {
          sshd = h;
        }
      }
      assertThat(sshd).isNotNull();
      assertThat(sshd.get("matched").asLong()).isEqualTo(3);
      assertThat(sshd.get("hosts").asLong()).isEqualTo(1);
      assertThat(call(p, "GET", "/api/hunt?q=host.name:(", null).statusCode()).isEqualTo(400);
      JsonNode backfilled =
          json.readTree(
              call(p, "POST", rule + "/backfill", "{\"from\":\"2026-11-01T00:00:00Z\"}").body());
      assertThat(backfilled.get("filed").asInt()).isZero();
      assertThat(backfilled.get("already").asInt()).isEqualTo(3);
    }
  }

  @Test
  void eventsSpooledByAnyPathCountInTheDashboardsIngestRate() throws Exception {
    // the demo's feed and the agents' events reach the spool without a network input's pipeline;
    // the dashboard showed 0.0 events/s under a live demo
    try (Platform p = platform()) {
      var e = new dev.rampart.core.event.Event();
      e.addString("message", "appended as the demo appends");
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (p.ingestRate() == 0 && System.nanoTime() < deadline) {
        for (int i = 0; i < 10; i++) {
          p.ingest().spool().append(e);
        }
        p.ingest().spool().sync();
        Thread.sleep(250);
      }
      assertThat(p.ingestRate()).isPositive();
    }
  }

  @Test
  void theApiAuthenticatesValidatesAndMapsErrors() throws Exception {
    try (Platform p = platform()) {
      assertThat(call(p, "GET", "/api/incidents", null, null).statusCode()).isEqualTo(401);
      assertThat(call(p, "GET", "/api/incidents", null, "wrong-token-0123456789").statusCode())
          .isEqualTo(401);
      assertThat(call(p, "GET", "/api/openapi.json", null, null).statusCode()).isEqualTo(401);

      JsonNode spec = json.readTree(call(p, "GET", "/api/openapi.json", null).body());
      assertThat(spec.get("openapi").asText()).startsWith("3.1");
      assertThat(spec.get("paths").fieldNames())
          .toIterable()
          .contains(
              "/api/alerts",
              "/api/incidents",
              "/api/incidents/{id}",
              "/api/incidents/{id}/status",
              "/api/incidents/{id}/comments",
              "/api/exceptions",
              "/api/exceptions/{id}",
              "/api/playbooks",
              "/api/playbooks/runs",
              "/api/audit");

      // an incident to work on, filed the way the detector files one
      p.triage()
          .accept(
              List.of(
                  new dev.rampart.alerting.alert.Alert(
                      "a1",
                      "r1",
                      "Test rule",
                      "high",
                      List.of(),
                      List.of(),
                      List.of(1L),
                      0,
                      0,
                      Map.of(),
                      new dev.rampart.alerting.alert.Alert.Entities("ws-9", "eve", null, null),
                      null)));
      String id =
          json.readTree(call(p, "GET", "/api/incidents", null).body())
              .at("/incidents/0/id")
              .asText();
      HttpResponse<String> bad =
          call(p, "POST", "/api/incidents/" + id + "/status", "{\"status\":\"resolved\"}");
      assertThat(bad.statusCode()).isEqualTo(409);
      assertThat(json.readTree(bad.body()).get("error").asText())
          .contains("it can go to [acknowledged, false_positive]");
      assertThat(
              call(p, "POST", "/api/incidents/" + id + "/status", "{\"status\":\"done\"}")
                  .statusCode())
          .isEqualTo(400);
      assertThat(
              call(p, "POST", "/api/incidents/" + id + "/status", "{\"state\":\"acknowledged\"}")
                  .statusCode())
          .isEqualTo(400);
      assertThat(call(p, "POST", "/api/incidents/" + id + "/status", "{not json").statusCode())
          .isEqualTo(400);
      assertThat(
              call(p, "POST", "/api/incidents/nope/status", "{\"status\":\"acknowledged\"}")
                  .statusCode())
          .isEqualTo(404);
      assertThat(call(p, "GET", "/api/nothing", null).statusCode()).isEqualTo(404);
      HttpResponse<String> ack =
          call(p, "POST", "/api/incidents/" + id + "/status", "{\"status\":\"acknowledged\"}");
      assertThat(ack.statusCode()).isEqualTo(200);
      assertThat(json.readTree(ack.body()).get("status").asText()).isEqualTo("acknowledged");
      assertThat(
              call(p, "POST", "/api/incidents/" + id + "/comments", "{\"markdown\":\"**seen**\"}")
                  .statusCode())
          .isEqualTo(201);
      assertThat(
              call(p, "POST", "/api/incidents/" + id + "/tags", "{\"add\":[\"phishing\"]}")
                  .statusCode())
          .isEqualTo(200);
      assertThat(
              json.readTree(
                      call(p, "GET", "/api/incidents?tag=phishing&status=acknowledged", null)
                          .body())
                  .get("incidents"))
          .hasSize(1);
      assertThat(call(p, "GET", "/api/incidents?status=weird", null).statusCode()).isEqualTo(400);
      assertThat(call(p, "GET", "/api/incidents?limit=0", null).statusCode()).isEqualTo(400);
      String big = "{\"markdown\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
      assertThat(call(p, "POST", "/api/incidents/" + id + "/comments", big).statusCode())
          .isEqualTo(413);
      JsonNode timeline =
          json.readTree(call(p, "GET", "/api/incidents/" + id + "/timeline", null).body());
      assertThat(timeline.get("timeline").findValuesAsText("kind"))
          .containsExactly("opened", "status", "comment", "tags");

      HttpResponse<String> ex =
          call(
              p,
              "POST",
              "/api/exceptions",
              "{\"rule\":\"r1\",\"host\":\"ws-9\",\"reason\":\"pentest week\",\"for\":\"7d\"}");
      assertThat(ex.statusCode()).isEqualTo(201);
      String exId = json.readTree(ex.body()).get("id").asText();
      assertThat(
              call(p, "POST", "/api/exceptions", "{\"rule\":\"r1\",\"reason\":\"x\"}").statusCode())
          .isEqualTo(400);
      assertThat(call(p, "DELETE", "/api/exceptions/" + exId, null).statusCode()).isEqualTo(200);
      assertThat(call(p, "DELETE", "/api/exceptions/" + exId, null).statusCode()).isEqualTo(409);
      JsonNode audit = json.readTree(call(p, "GET", "/api/audit?limit=2", null).body());
      assertThat(audit.get("audit").findValuesAsText("action"))
          .containsExactly("exception.revoke", "exception.add");
      assertThat(audit.get("audit").findValuesAsText("actor")).containsOnly("config");
      assertThat(
              json.readTree(call(p, "GET", "/api/metrics", null).body())
                  .at("/incidents/incidents")
                  .asInt())
          .isEqualTo(1);
      // the SOC report: this day's incident and its alert, as JSON or Markdown; mistakes are 400
      JsonNode report = json.readTree(call(p, "GET", "/api/report?last=24h", null).body());
      assertThat(report.at("/current/incidents/opened").asInt()).isEqualTo(1);
      assertThat(report.at("/vulns/openAtEnd").isInt()).isTrue();
      assertThat(report.at("/events/perDay").isObject()).isTrue(); // the store counted them
      HttpResponse<String> md = call(p, "GET", "/api/report?format=md", null);
      assertThat(md.headers().firstValue("Content-Type"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("text/markdown"));
      assertThat(md.body()).contains("| Incidents opened | 1 | 0 | new |");
      HttpResponse<String> badPeriod = call(p, "GET", "/api/report?last=2m", null);
      assertThat(badPeriod.statusCode()).isEqualTo(400);
      assertThat(badPeriod.body()).contains("last: whole hours");
      assertThat(call(p, "GET", "/api/report?format=pdf", null).statusCode()).isEqualTo(400);
      // the incident's write-up for a handover; exporting it is audited
      JsonNode writeUp =
          json.readTree(
              call(p, "GET", "/api/incidents/" + id + "/report?format=json", null).body());
      assertThat(writeUp.at("/incident/id").asText()).isEqualTo(id);
      assertThat(writeUp.at("/alerts/0/title").asText()).isNotEmpty();
      assertThat(call(p, "GET", "/api/incidents/" + id + "/report", null).body())
          .startsWith("# Incident: ")
          .contains("## Timeline");
      assertThat(call(p, "GET", "/api/incidents/nope/report", null).statusCode()).isEqualTo(404);
      assertThat(
              json.readTree(call(p, "GET", "/api/audit?limit=1", null).body())
                  .at("/audit/0/action")
                  .asText())
          .isEqualTo("incident.export");
      assertThat(
              json.readTree(call(p, "GET", "/api/playbooks", null).body())
                  .at("/playbooks/0/name")
                  .asText())
          .isEqualTo("page-the-soc");
    }
  }

  @Test
  void theServerMailsTheConfiguredReportOnceAndSaysSo() throws Exception {
    List<String> said = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (Platform p =
        platform("reports:\n  - {to: soc-lead@example.org, every: 1d}\n", said::add)) {
      long until = System.currentTimeMillis() + 20_000;
      while (mail.getReceivedMessages().length == 0 && System.currentTimeMillis() < until) {
        Thread.sleep(100);
      }
      assertThat(mail.getReceivedMessages()).hasSize(1);
      var m = mail.getReceivedMessages()[0];
      assertThat(m.getSubject()).startsWith("Rampart SOC report: ").endsWith("(1 day)");
      assertThat(
              (String)
                  ((jakarta.mail.internet.MimeMultipart) m.getContent())
                      .getBodyPart(0)
                      .getContent())
          .contains("## Summary", "| Incidents opened |");
      // the server says so once the mail is gone and recorded, a moment after it arrives
      while (said.stream().noneMatch(l -> l.startsWith("reports: sent the report of "))
          && System.currentTimeMillis() < until) {
        Thread.sleep(50);
      }
      assertThat(said).anyMatch(l -> l.startsWith("reports: sent the report of "));
      assertThat(Files.readString(dir.resolve("data/reports/sent.json")))
          .contains("soc-lead@example.org every 1d");
    }
    // started again the same day: yesterday's report is not sent twice
    try (Platform p = platform("reports:\n  - {to: soc-lead@example.org, every: 1d}\n")) {
      Thread.sleep(1500);
      assertThat(mail.getReceivedMessages()).hasSize(1);
    }
  }

  @Test
  void aBrokenPlaybookEditIsReportedWithItsLineAndTheOldVersionStays() throws Exception {
    try (Platform p = platform()) {
      Files.writeString(
          dir.resolve("playbooks/page-the-soc.yaml"),
          "on: {incident: [created]}\nsteps:\n  - webhook: {url: 'gopher://x'}\n");
      JsonNode r = json.readTree(call(p, "POST", "/api/playbooks/reload", null).body());
      assertThat(r.get("loaded").asInt()).isEqualTo(1);
      assertThat(r.at("/problems/0/line").asInt()).isEqualTo(3);
      assertThat(r.at("/problems/0/message").asText()).contains("url must be http");
      JsonNode active = json.readTree(call(p, "GET", "/api/playbooks", null).body());
      assertThat(active.at("/playbooks/0/steps/0/action").asText()).isEqualTo("webhook");
      assertThat(active.at("/playbooks/0/steps")).hasSize(2); // the previous version
    }
  }

  /** The events search once {@code n} events are indexed (the indexer runs on its own). */
  @Test
  void aSavedSearchThatAlertsFilesOneAlertPerWindow() throws Exception {
    try (Platform p = platform()) {
      HttpResponse<String> saved =
          call(
              p,
              "POST",
              "/api/searches",
              "{\"name\":\"Oracle logons\",\"query\":\"message:oracle\","
                  + "\"description\":\"password guessing, T1110.001\","
                  + "\"alert\":{\"every\":\"15m\",\"level\":\"high\"}}");
      assertThat(saved.statusCode()).as(saved.body()).isEqualTo(201);
      JsonNode search = json.readTree(saved.body());
      long t0 = search.at("/alerting/checked_until").asLong();
      assertThat(search.at("/alerting/every_millis").asLong()).isEqualTo(900_000);
      // an event just after the search was saved, and one before it (not news)
      int port = p.ingest().ports().get("syslog-tcp");
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
          OutputStream out = s.getOutputStream()) {
        for (long at : new long[] {t0 - 60_000, t0 + 300}) {
          out.write(
              ("<38>1 "
                      + java.time.Instant.ofEpochMilli(at)
                      + " web-01 sshd 4242 - - Failed password for invalid user oracle from"
                      + " 203.0.113.7 port 50220 ssh2\n")
                  .getBytes(StandardCharsets.UTF_8));
        }
      }
      Thread.sleep(400);
      awaitEvents(p, "test-token-0123456789abcdef", 2);

      // a quarter of an hour (and the minute indexing may take) later: one alert for the window
      long later = t0 + 16 * 60_000;
      var outcomes = p.searchAlerts().runDue(later);
      assertThat(outcomes)
          .singleElement()
          .satisfies(
              o -> {
                assertThat(o.alerted()).isTrue();
                assertThat(o.matched()).isEqualTo(1);
                assertThat(o.fromMillis()).isEqualTo(t0);
                assertThat(o.toMillis()).isEqualTo(t0 + 900_000);
              });
      JsonNode alert = null;
      for (JsonNode a : json.readTree(call(p, "GET", "/api/alerts", null).body()).get("alerts")) {
        alert = a.get("rule_id").asText().startsWith("search:") ? a : alert;
      }
      assertThat(alert).isNotNull();
      assertThat(alert.get("rule_id").asText()).isEqualTo("search:" + search.get("id").asText());
      assertThat(alert.get("title").asText()).isEqualTo("Oracle logons");
      assertThat(alert.get("level").asText()).isEqualTo("high");
      assertThat(alert.get("host").asText()).isEqualTo("web-01");
      assertThat(alert.get("techniques").toString()).contains("T1110.001");
      assertThat(alert.get("incident_id").asText()).isNotEmpty();
      // the same window is not searched twice; after a restart of the loop, neither
      assertThat(p.searchAlerts().runDue(later)).isEmpty();
      assertThat(p.searchAlerts().runDue(t0 + 31 * 60_000))
          .singleElement()
          .satisfies(o -> assertThat(o.alerted()).isFalse());
      // an event of the second window that arrives after it was searched (an agent's backlog):
      // the next run counts that window again and files the alert it would have filed
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
          OutputStream out = s.getOutputStream()) {
        out.write(
            ("<38>1 "
                    + java.time.Instant.ofEpochMilli(t0 + 20 * 60_000)
                    + " web-02 sshd 4243 - - Failed password for invalid user oracle from"
                    + " 203.0.113.8 port 50221 ssh2\n")
                .getBytes(StandardCharsets.UTF_8));
      }
      awaitEvents(p, "test-token-0123456789abcdef", 3);
      assertThat(p.searchAlerts().runDue(t0 + 46 * 60_000))
          .singleElement()
          .satisfies(
              o -> {
                assertThat(o.alerted()).isFalse(); // the third window has nothing
                assertThat(o.lateAlerts()).isEqualTo(1);
              });
      // (the shipped Sigma rules alert on these events too: they are the stream's)
      assertThat(json.readTree(call(p, "GET", "/api/alerts", null).body()).get("alerts"))
          .filteredOn(a -> a.get("rule_id").asText().startsWith("search:"))
          .extracting(a -> a.get("id").asText())
          .containsExactlyInAnyOrder(
              "search:" + search.get("id").asText() + "@" + (t0 + 900_000),
              "search:" + search.get("id").asText() + "@" + (t0 + 1_800_000));
      // found once: the run after does not count it again
      assertThat(p.searchAlerts().runDue(t0 + 61 * 60_000))
          .singleElement()
          .satisfies(o -> assertThat(o.lateAlerts()).isZero());
      // after a stop, the four periods missed are searched at once and alert once; a late event in
      // them counts against that window as it was searched (the same alert), not against its period
      // alone (a second alert about the same events)
      sendOracle(port, t0 + 65 * 60_000, "web-03");
      awaitEvents(p, "test-token-0123456789abcdef", 4);
      assertThat(p.searchAlerts().runDue(t0 + 121 * 60_000))
          .singleElement()
          .satisfies(
              o -> {
                assertThat(o.fromMillis()).isEqualTo(t0 + 3_600_000);
                assertThat(o.toMillis()).isEqualTo(t0 + 7_200_000);
                assertThat(o.alerted()).isTrue();
              });
      sendOracle(port, t0 + 70 * 60_000, "web-04");
      awaitEvents(p, "test-token-0123456789abcdef", 5);
      assertThat(p.searchAlerts().runDue(t0 + 136 * 60_000))
          .singleElement()
          .satisfies(o -> assertThat(o.lateAlerts()).isEqualTo(1));
      assertThat(json.readTree(call(p, "GET", "/api/alerts", null).body()).get("alerts"))
          .filteredOn(a -> a.get("rule_id").asText().startsWith("search:"))
          .extracting(a -> a.get("id").asText())
          .containsExactlyInAnyOrder(
              "search:" + search.get("id").asText() + "@" + (t0 + 900_000),
              "search:" + search.get("id").asText() + "@" + (t0 + 1_800_000),
              "search:" + search.get("id").asText() + "@" + (t0 + 7_200_000));
      // a mistake in the alerting says what is wrong
      assertThat(
              call(p, "POST", "/api/searches", "{\"name\":\"x\",\"alert\":{\"every\":\"10s\"}}")
                  .body())
          .contains("alert every: from 1 minute to 1 day");
    }
  }

  /** Sends one failed oracle logon of {@code host} at {@code atMillis} over syslog. */
  private static void sendOracle(int port, long atMillis, String host) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        OutputStream out = s.getOutputStream()) {
      out.write(
          ("<38>1 "
                  + java.time.Instant.ofEpochMilli(atMillis)
                  + " "
                  + host
                  + " sshd 4244 - - Failed password for invalid user oracle from"
                  + " 203.0.113.9 port 50222 ssh2\n")
              .getBytes(StandardCharsets.UTF_8));
    }
  }

  JsonNode awaitEvents(Platform p, String token, int n) throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    JsonNode found;
    do {
      found =
          json.readTree(
              call(p, "GET", "/api/events?q=*&from=2000-01-01T00:00:00Z", null, token).body());
      if (found.path("matched").asLong() >= n) {
        return found;
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    return found;
  }

  @Test
  void intelIndicatorsMatchNewEventsAndAreSearchedForInStoredOnes() throws Exception {
    try (Platform p = platform()) {
      int port = p.ingest().ports().get("syslog-tcp");
      // an event before the indicator is known: the retro-hunt must find it in the store
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
          OutputStream out = s.getOutputStream()) {
        out.write(
            ("<38>1 2026-11-28T10:00:00Z web-01 sshd 4242 - - Accepted password for alice from"
                    + " 198.51.100.23 port 50220 ssh2\n")
                .getBytes(StandardCharsets.UTF_8));
      }
      awaitEvents(p, "test-token-0123456789abcdef", 1);
      HttpResponse<String> imported =
          call(
              p,
              "POST",
              "/api/intel?source=edge-blocklist",
              "value,type,confidence,name\n198.51.100.0/24,ip,90,scanner range\nbogus,,,\n");
      assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
      JsonNode r = json.readTree(imported.body());
      assertThat(r.get("added").asInt()).isEqualTo(1);
      assertThat(r.get("problems").get(0).asText())
          .contains("api:3", "cannot tell what 'bogus' is");
      assertThat(r.get("retro_alerts").asInt()).isEqualTo(1);
      // and a new event is matched inline by the detector
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
          OutputStream out = s.getOutputStream()) {
        out.write(
            ("<38>1 2026-11-28T11:00:00Z web-02 sshd 4242 - - Accepted password for bob from"
                    + " 198.51.100.200 port 50221 ssh2\n")
                .getBytes(StandardCharsets.UTF_8));
      }
      long deadline = System.nanoTime() + 20_000_000_000L;
      JsonNode alerts;
      do {
        Thread.sleep(50);
        alerts =
            json.readTree(call(p, "GET", "/api/alerts?rule=intel:edge-blocklist", null).body());
      } while (alerts.get("alerts").size() < 2 && System.nanoTime() < deadline);
      assertThat(alerts.get("alerts")).hasSize(2);
      assertThat(alerts.at("/alerts/0/title").asText())
          .isEqualTo("Threat intel: ip 198.51.100.0/24 (edge-blocklist): scanner range");
      assertThat(alerts.at("/alerts/0/level").asText()).isEqualTo("high");
      assertThat(alerts.at("/alerts/0/host").asText()).isEqualTo("web-02");
      JsonNode check =
          json.readTree(call(p, "GET", "/api/intel/check?value=198.51.100.5", null).body());
      assertThat(check.at("/indicator/source").asText()).isEqualTo("edge-blocklist");
      assertThat(p.cases().db().audit(20)).anyMatch(e -> e.action().equals("intel.import"));
      // the address's page says which indicator it matches, beside its events and alerts
      awaitEvents(p, "test-token-0123456789abcdef", 2);
      JsonNode ip =
          json.readTree(
              call(p, "GET", "/api/entities/ip/198.51.100.200?from=2026-11-01T00:00:00Z", null)
                  .body());
      assertThat(ip.at("/intel/source").asText()).isEqualTo("edge-blocklist");
      assertThat(ip.at("/intel/value").asText()).isEqualTo("198.51.100.0/24");
      assertThat(ip.at("/intel/live").asBoolean()).isTrue();
      assertThat(ip.at("/events/count").asLong()).isEqualTo(1);
      assertThat(ip.at("/events/hosts/0/value").asText()).isEqualTo("web-02");
      assertThat(ip.at("/events/users/0/value").asText()).isEqualTo("bob");
      assertThat(ip.at("/alerts/newest"))
          .extracting(a -> a.get("rule_id").asText())
          .contains("intel:edge-blocklist");
      assertThat(call(p, "GET", "/api/entities/ip/web-02", null).statusCode()).isEqualTo(400);
      // and the console's page of it
      String cookie =
          browser(
                  p,
                  "POST",
                  "/api/login",
                  "{\"name\":\"admin\",\"password\":\"" + p.adminPassword() + "\"}",
                  null,
                  null)
              .headers()
              .firstValue("Set-Cookie")
              .orElseThrow();
      cookie = cookie.substring(0, cookie.indexOf(';'));
      HttpResponse<String> page =
          browser(p, "GET", "/entities/ip/198.51.100.200?range=30d", null, cookie, null);
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body())
          .contains("Address <span id=\"entity-name\">198.51.100.200</span>")
          .contains("Threat intel: ip 198.51.100.0/24 from edge-blocklist (scanner range)")
          .contains("href=\"/entities/host/web-02\"", "href=\"/entities/user/bob\"")
          .contains("href=\"/alerts?ip=198.51.100.200\"");
      assertThat(browser(p, "GET", "/entities/ip/web-02", null, cookie, null).statusCode())
          .isEqualTo(404);
      // the alert list by that source address, in the API and the console
      JsonNode fromIp = json.readTree(call(p, "GET", "/api/alerts?ip=198.51.100.200", null).body());
      assertThat(fromIp.get("alerts")).isNotEmpty();
      assertThat(fromIp.get("alerts"))
          .allMatch(a -> a.get("source_ip").asText().equals("198.51.100.200"));
      assertThat(
              json.readTree(call(p, "GET", "/api/alerts?ip=192.0.2.99", null).body()).get("alerts"))
          .isEmpty();
      HttpResponse<String> list =
          browser(p, "GET", "/alerts?ip=198.51.100.200", null, cookie, null);
      assertThat(list.body())
          .contains("name=\"ip\" value=\"198.51.100.200\"")
          .contains("Threat intel: ip 198.51.100.0/24");
    }
  }

  @Test
  void anInventoryOverTheApiOpensFindingsAndAKevOnAnInternetFacingAssetBecomesAnAlert()
      throws Exception {
    Path feed = Files.createDirectories(dir.resolve("osv"));
    Files.writeString(
        feed.resolve("RAMPART-2026-1.json"),
        """
        {"id": "RAMPART-2026-1", "modified": "2026-11-01T00:00:00Z",
         "aliases": ["CVE-2025-48384"],
         "summary": "a test advisory aliasing a known exploited CVE",
         "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
         "affected": [{"package": {"ecosystem": "npm", "name": "left-pad"},
           "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.3.0"}]}]}]}
        """);
    try (Platform p = platform()) {
      var store = p.vuln().store();
      store.recordFeed(
          new dev.rampart.vuln.track.VulnStore.Feed(
              feed.toString(), "osv", 1, 0, "2026-11-01", System.currentTimeMillis(), "test"));
      store.recordFeed(
          new dev.rampart.vuln.track.VulnStore.Feed(
              dev.rampart.core.testing.Corpora.require(
                      "vuln/cisa-kev/known_exploited_vulnerabilities.json.gz")
                  .toString(),
              "cisa-kev",
              1404,
              0,
              "2025-08-25",
              System.currentTimeMillis(),
              "test"));
      String lock =
          """
          {"name": "shop", "lockfileVersion": 3, "packages": {
            "": {"name": "shop"},
            "node_modules/left-pad": {"version": "1.1.0"},
            "node_modules/ms": {"version": "2.1.3"}}}
          """;
      HttpResponse<String> r =
          call(
              p,
              "POST",
              "/api/vuln/assets/shop-01/inventory?filename=package-lock.json&internet_facing=true",
              lock);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(json.readTree(r.body()).get("opened").asInt()).isEqualTo(1);

      JsonNode findings = json.readTree(call(p, "GET", "/api/vuln/findings?kev=true", null).body());
      assertThat(findings.get("findings")).hasSize(1);
      JsonNode f = findings.at("/findings/0");
      assertThat(f.get("package_name").asText()).isEqualTo("left-pad");
      assertThat(f.get("severity").asText()).isEqualTo("critical");
      assertThat(f.get("cvss").asDouble()).isEqualTo(9.8);
      assertThat(f.get("kev_due").asText()).isEqualTo("2025-09-15");

      long deadline = System.nanoTime() + 20_000_000_000L;
      JsonNode alerts;
      do {
        Thread.sleep(50);
        alerts =
            json.readTree(call(p, "GET", "/api/alerts?rule=vuln:kev-internet-facing", null).body());
      } while (alerts.get("alerts").isEmpty() && System.nanoTime() < deadline);
      assertThat(alerts.get("alerts")).hasSize(1);
      assertThat(alerts.at("/alerts/0/title").asText())
          .isEqualTo(
              "Known exploited RAMPART-2026-1 in left-pad 1.1.0 on shop-01 (internet-facing)");
      assertThat(alerts.at("/alerts/0/level").asText()).isEqualTo("critical");
      // the host's page has its open vulnerabilities and the alert about them
      JsonNode shop = json.readTree(call(p, "GET", "/api/entities/host/SHOP-01", null).body());
      assertThat(shop.at("/vulnerabilities/asset").asText()).isEqualTo("shop-01");
      assertThat(shop.at("/vulnerabilities/open_by_severity/critical").asLong()).isEqualTo(1);
      assertThat(shop.at("/vulnerabilities/kev").asLong()).isEqualTo(1);
      assertThat(shop.at("/vulnerabilities/most_urgent/0/advisory").asText())
          .isEqualTo("RAMPART-2026-1");
      assertThat(shop.at("/alerts/newest/0/rule_id").asText())
          .isEqualTo("vuln:kev-internet-facing");

      // the upgrade closes it; the SLA report counts it fixed
      String fixed = lock.replace("1.1.0", "1.3.0");
      assertThat(
              json.readTree(
                      call(p, "POST", "/api/vuln/assets/shop-01/inventory?format=npm", fixed)
                          .body())
                  .get("fixed")
                  .asInt())
          .isEqualTo(1);
      JsonNode sla = json.readTree(call(p, "GET", "/api/vuln/sla?days=7", null).body());
      assertThat(sla.at("/severities/0/severity").asText()).isEqualTo("critical");
      assertThat(sla.at("/severities/0/fixed").asInt()).isEqualTo(1);
      assertThat(sla.get("trend")).hasSize(7);
      assertThat(call(p, "GET", "/api/vuln/assets", null).body()).contains("shop-01");
      HttpResponse<String> bad =
          call(p, "POST", "/api/vuln/assets/x/inventory?format=cobol", "hello");
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).contains("package-lock.json");
      HttpResponse<String> unknown = call(p, "POST", "/api/vuln/assets/x/inventory", "hello");
      assertThat(unknown.statusCode()).isEqualTo(400);
      assertThat(unknown.body()).contains("--format");
      assertThat(p.cases().db().audit(50)).anyMatch(e -> e.action().equals("vuln.inventory"));
    }
  }

  /**
   * A scheduled scan runs at start; an analyst's scan over the API finds the agents' port's
   * self-signed certificate and makes it a finding of the asset; a target outside the allowed
   * networks is refused before anything is sent.
   */
  @Test
  void networkScansFromTheScheduleAndTheApiBecomeFindings() throws Exception {
    try (java.net.ServerSocket ssh =
        new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual()
          .start(
              () -> {
                while (!ssh.isClosed()) {
                  try (java.net.Socket c = ssh.accept()) {
                    c.getOutputStream()
                        .write(
                            "SSH-2.0-OpenSSH_7.4p1 Debian-10+deb9u3\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                  } catch (IOException closed) {
                    return;
                  }
                }
              });
      String yaml =
          """
          agents: {enabled: true, bind: 127.0.0.1, port: 0}
          vulnerabilities:
            scans:
              max_time: 30s
              jobs:
                - {asset: bastion, target: "127.0.0.1:%d", every: 1h}
          """
              .formatted(ssh.getLocalPort());
      try (Platform p = platform(yaml)) {
        JsonNode runs = waitForScans(p, 1);
        assertThat(runs.get(0).get("requested_by").asText()).isEqualTo("schedule");
        assertThat(runs.get(0).get("open_ports").asInt()).isEqualTo(1);
        assertThat(runs.get(0).get("asset").asText()).isEqualTo("bastion");

        HttpResponse<String> r =
            call(
                p,
                "POST",
                "/api/vuln/scans",
                "{\"asset\": \"rampart-agents\", \"target\": \"127.0.0.1:"
                    + p.agents().port()
                    + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(json.readTree(r.body()).get("status").asText()).isIn("queued", "running");
        runs = waitForScans(p, 2);
        JsonNode mine = runs.get(0);
        assertThat(mine.get("requested_by").asText()).isNotEqualTo("schedule");
        assertThat(mine.get("issues").asInt()).isPositive();
        assertThat(mine.get("opened").asInt()).isPositive();
        assertThat(call(p, "GET", "/api/vuln/findings?asset=rampart-agents", null).body())
            .contains("RAMPART-NET-TLS-SELF-SIGNED");
        assertThat(p.cases().db().audit(50)).anyMatch(a -> a.action().equals("vuln.scan"));

        HttpResponse<String> far =
            call(p, "POST", "/api/vuln/scans", "{\"asset\": \"x\", \"target\": \"192.0.2.1:22\"}");
        assertThat(far.statusCode()).isEqualTo(400);
        assertThat(far.body()).contains("outside the networks", "vulnerabilities.scans.allow");
        assertThat(json.readTree(call(p, "GET", "/api/vuln/scans", null).body()).get("scans"))
            .hasSize(2);

        // with Debian's tracker registered, the SSH banner's claimed package is matched
        p.vuln()
            .store()
            .recordFeed(
                new dev.rampart.vuln.track.VulnStore.Feed(
                    dev.rampart.core.testing.Corpora.require("vuln/debian-security-tracker")
                        .toString(),
                    "debian-tracker",
                    1,
                    0,
                    "2023-03-29",
                    System.currentTimeMillis(),
                    "test"));
        assertThat(call(p, "POST", "/api/vuln/feeds/reload", "{}").statusCode()).isEqualTo(200);
        assertThat(
                call(
                        p,
                        "POST",
                        "/api/vuln/scans",
                        "{\"asset\": \"bastion\", \"target\": \"127.0.0.1:"
                            + ssh.getLocalPort()
                            + "\"}")
                    .statusCode())
            .isEqualTo(201);
        waitForScans(p, 3);
        JsonNode bastion =
            json.readTree(call(p, "GET", "/api/vuln/findings?asset=bastion", null).body());
        assertThat(bastion.toString())
            .contains("DSA-4280-1", "tcp/" + ssh.getLocalPort(), "1:7.4p1-10+deb9u4", "banner");
      }
    }
  }

  JsonNode waitForScans(Platform p, int finished) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (true) {
      JsonNode scans = json.readTree(call(p, "GET", "/api/vuln/scans", null).body()).get("scans");
      int done = 0;
      for (JsonNode s : scans) {
        done += s.get("status").asText().equals("done") ? 1 : 0;
      }
      if (done >= finished || System.currentTimeMillis() > deadline) {
        assertThat(done).as(scans.toString()).isGreaterThanOrEqualTo(finished);
        return scans;
      }
      Thread.sleep(200);
    }
  }

  @Test
  void sshGuessingIsABruteForceAnomalyAndTheLearntStateOutlivesTheServer() throws Exception {
    try (Platform p = platform()) {
      int port = p.ingest().ports().get("syslog-tcp");
      StringBuilder lines = new StringBuilder();
      for (int i = 0; i < 12; i++) {
        lines.append(
            "<38>1 2026-11-28T10:00:%02dZ bastion-01 sshd %d - - Failed password for root from 203.0.113.9 port %d ssh2\n"
                .formatted(i, 4000 + i, 50000 + i));
      }
      send(port, lines.toString());
      JsonNode guessing = awaitAlerts(p, "anomaly:brute-force");
      assertThat(guessing.at("/alerts/0/title").asText())
          .isEqualTo("Password guessing from 203.0.113.9");
      assertThat(guessing.at("/alerts/0/level").asText()).isEqualTo("medium");
      // parser workers may reorder one batch, so the success comes once the failures are in
      awaitEvents(p, "test-token-0123456789abcdef", 12);
      send(
          port,
          "<38>1 2026-11-28T10:00:30Z bastion-01 sshd 4100 - - Accepted password for root from"
              + " 203.0.113.9 port 50100 ssh2\n");
      JsonNode alerts = awaitAlerts(p, "anomaly:brute-force-success");
      assertThat(alerts.get("alerts")).hasSize(1);
      assertThat(alerts.at("/alerts/0/title").asText())
          .isEqualTo("Successful logon after 12 failures from 203.0.113.9 (root)");
      assertThat(alerts.at("/alerts/0/level").asText()).isEqualTo("high");
      // the login waits for the watermark in the pack's SSH correlation; bounded state is measured
      assertThat(p.ingest().metrics().scrape())
          .contains(
              "rampart_correlation_groups_evicted_total 0.0",
              "rampart_correlation_signals_late_total",
              "rampart_anomaly_entities_evicted_total 0.0")
          .contains("rampart_correlation_signals_pending 1.0", "rampart_correlation_groups_open");
    }
    // stopped: what the detectors learnt is on disk for the next start
    JsonNode state =
        json.readTree(dir.resolve("data").resolve("alerts").resolve("anomaly-state.json").toFile());
    assertThat(state.get("offset").asLong()).isPositive();
    assertThat(state.at("/detectors/brute-force/default/203.0.113.9/burst").asInt()).isEqualTo(12);
    assertThat(state.at("/detectors/brute-force/default/203.0.113.9/succeeded").asLong())
        .isPositive();
  }

  static void send(int port, String lines) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        OutputStream out = s.getOutputStream()) {
      out.write(lines.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** The alerts of {@code rule} once there is one (20 s at most). */
  JsonNode awaitAlerts(Platform p, String rule) throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    JsonNode alerts;
    do {
      Thread.sleep(50);
      alerts = json.readTree(call(p, "GET", "/api/alerts?rule=" + rule, null).body());
    } while (alerts.get("alerts").isEmpty() && System.nanoTime() < deadline);
    return alerts;
  }

  @Test
  void tenantsSeeOnlyTheirOwnEventsAlertsAndIncidentsWhateverIdTheyGuess() throws Exception {
    try (Platform p = platform("tenants:\n  acme: [syslog-tcp]\n")) {
      int port = p.ingest().ports().get("syslog-tcp");
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
          OutputStream out = s.getOutputStream()) {
        out.write(
            ("<38>1 2026-11-28T10:00:00Z web-01 sshd 4242 - - Failed password for invalid user"
                    + " oracle from 203.0.113.7 port 50220 ssh2\n")
                .getBytes(StandardCharsets.UTF_8));
      }
      String admin = "test-token-0123456789abcdef";
      JsonNode events = awaitEvents(p, admin, 1);
      String eventId = events.at("/rows/0/_id").asText();
      long deadline = System.nanoTime() + 20_000_000_000L;
      JsonNode incidents;
      do {
        Thread.sleep(50);
        incidents = json.readTree(call(p, "GET", "/api/incidents", null).body());
      } while (incidents.get("incidents").isEmpty() && System.nanoTime() < deadline);
      String incident = incidents.at("/incidents/0/id").asText();
      assertThat(incidents.at("/incidents/0/tenant").asText()).isEqualTo("acme");
      JsonNode alerts = json.readTree(call(p, "GET", "/api/alerts", null).body());
      String alert = alerts.at("/alerts/0/id").asText();
      assertThat(alerts.at("/alerts/0/tenant").asText()).isEqualTo("acme");

      // two analysts: one of acme, one of globex
      String[] tokens = new String[2];
      String[] names = {"ann", "gus"};
      String[] tenants = {"acme", "globex"};
      for (int i = 0; i < 2; i++) {
        p.access().createUser(names[i], "analyst", "a long enough passphrase", "test");
        assertThat(
                call(
                        p,
                        "POST",
                        "/api/users/" + names[i] + "/tenants",
                        "{\"tenants\":[\"" + tenants[i] + "\"]}")
                    .statusCode())
            .isEqualTo(200);
        tokens[i] =
            p.access()
                .createToken(
                    names[i],
                    "test",
                    java.util.Set.of(),
                    java.time.Instant.now().plusSeconds(3600),
                    names[i])
                .token();
      }
      String ann = tokens[0];
      String gus = tokens[1];
      assertThat(awaitEvents(p, ann, 1).get("matched").asLong()).isEqualTo(1);
      assertThat(call(p, "GET", "/api/incidents/" + incident, null, ann).statusCode())
          .isEqualTo(200);
      assertThat(call(p, "GET", "/api/alerts/" + alert, null, ann).statusCode()).isEqualTo(200);
      // evidence is an event its analyst can see; an id of no event is a 404
      assertThat(
              call(
                      p,
                      "POST",
                      "/api/incidents/" + incident + "/evidence",
                      "{\"event_id\":999999,\"note\":\"x\"}")
                  .statusCode())
          .isEqualTo(404);
      assertThat(
              call(
                      p,
                      "POST",
                      "/api/incidents/" + incident + "/evidence",
                      "{\"event_id\":" + eventId + ",\"note\":\"the failed logon\"}",
                      ann)
                  .statusCode())
          .isEqualTo(201);

      // gus sees none of it: lists are empty, guessed ids are 404 like ids that do not exist
      assertThat(json.readTree(call(p, "GET", "/api/incidents", null, gus).body()).get("incidents"))
          .isEmpty();
      assertThat(json.readTree(call(p, "GET", "/api/alerts", null, gus).body()).get("alerts"))
          .isEmpty();
      assertThat(
              json.readTree(
                      call(p, "GET", "/api/events?q=*&from=2000-01-01T00:00:00Z", null, gus).body())
                  .get("matched")
                  .asLong())
          .isZero();
      assertThat(
              json.readTree(
                      call(
                              p,
                              "GET",
                              "/api/events?q=*+%7C+stats+count()&from=2000-01-01T00:00:00Z",
                              null,
                              gus)
                          .body())
                  .at("/rows/0/count()")
                  .asLong(0))
          .isZero();
      for (String path :
          List.of(
              "/api/incidents/" + incident,
              "/api/incidents/" + incident + "/timeline",
              "/api/incidents/" + incident + "/comments",
              "/api/alerts/" + alert,
              "/api/events/" + eventId)) {
        HttpResponse<String> r = call(p, "GET", path, null, gus);
        assertThat(r.statusCode()).as(path).isEqualTo(404);
      }
      assertThat(
              call(
                      p,
                      "POST",
                      "/api/incidents/" + incident + "/status",
                      "{\"status\":\"acknowledged\"}",
                      gus)
                  .statusCode())
          .isEqualTo(404);
      assertThat(
              call(
                      p,
                      "POST",
                      "/api/incidents/" + incident + "/comments",
                      "{\"markdown\":\"x\"}",
                      gus)
                  .statusCode())
          .isEqualTo(404);
      assertThat(
              json.readTree(
                      call(
                              p,
                              "POST",
                              "/api/alerts/acknowledge",
                              "{\"ids\":[\"" + alert + "\"]}",
                              gus)
                          .body())
                  .get("changed")
                  .asInt())
          .isZero();
      assertThat(p.cases().get(incident).status().label()).isEqualTo("new");
      assertThat(p.cases().queue().get(alert, java.util.Set.of()).state()).isEqualTo("new");

      // the host's page: what acme has on web-01 (whatever the case it is asked in) for ann,
      // nothing of it for gus
      String page = "/api/entities/host/WEB-01?from=2026-11-01T00:00:00Z";
      JsonNode host = json.readTree(call(p, "GET", page, null, ann).body());
      assertThat(host.get("kind").asText()).isEqualTo("host");
      assertThat(host.at("/events/count").asLong()).isEqualTo(1);
      assertThat(host.at("/events/last_seen").asText()).isEqualTo("2026-11-28T10:00:00Z");
      assertThat(host.at("/events/span").asText()).isEqualTo("1d");
      assertThat(host.at("/events/activity").size()).isGreaterThan(30);
      assertThat(host.at("/events/users/0/value").asText()).isEqualTo("oracle");
      assertThat(host.at("/events/processes/0/value").asText()).isEqualTo("sshd");
      assertThat(host.at("/alerts/total").asLong()).isPositive();
      assertThat(host.at("/alerts/unacknowledged").asLong())
          .isEqualTo(host.at("/alerts/total").asLong());
      assertThat(host.at("/alerts/newest/0/tenant").asText()).isEqualTo("acme");
      assertThat(host.at("/incidents/0/id").asText()).isEqualTo(incident);
      assertThat(host.get("notes")).isEmpty();
      assertThat(host.has("agent")).isFalse(); // no agent on web-01
      JsonNode user =
          json.readTree(
              call(p, "GET", "/api/entities/user/oracle?from=2026-11-01T00:00:00Z", null, ann)
                  .body());
      assertThat(user.at("/events/hosts/0/value").asText()).isEqualTo("web-01");
      assertThat(user.at("/events/source_ips/0/value").asText()).isEqualTo("203.0.113.7");
      JsonNode hidden = json.readTree(call(p, "GET", page, null, gus).body());
      assertThat(hidden.at("/events/count").asLong()).isZero();
      assertThat(hidden.at("/alerts/total").asLong()).isZero();
      assertThat(hidden.get("incidents")).isEmpty();
      assertThat(call(p, "GET", "/api/entities/printer/web-01", null, ann).statusCode())
          .isEqualTo(404);
      // the alert list by user, in any case
      assertThat(
              json.readTree(call(p, "GET", "/api/alerts?user=ORACLE", null, ann).body())
                  .at("/alerts/0/user")
                  .asText())
          .isEqualTo("oracle");
      assertThat(
              json.readTree(call(p, "GET", "/api/alerts?user=oracle", null, gus).body())
                  .get("alerts"))
          .isEmpty();
      // the attacker's address: the host it reached, the user it tried, acme's alert and incident
      JsonNode address =
          json.readTree(
              call(p, "GET", "/api/entities/ip/203.0.113.7?from=2026-11-01T00:00:00Z", null, ann)
                  .body());
      assertThat(address.at("/events/hosts/0/value").asText()).isEqualTo("web-01");
      assertThat(address.at("/events/users/0/value").asText()).isEqualTo("oracle");
      assertThat(address.at("/alerts/total").asLong()).isPositive();
      assertThat(address.at("/incidents/0/id").asText()).isEqualTo(incident);
      assertThat(
              json.readTree(
                      call(
                              p,
                              "GET",
                              "/api/entities/ip/203.0.113.7?from=2026-11-01T00:00:00Z",
                              null,
                              gus)
                          .body())
                  .get("incidents"))
          .isEmpty();
      assertThat(
              call(p, "GET", page.replace("2026-11-01T00:00:00Z", "yesterday"), null, ann).body())
          .contains("ISO-8601");
      assertThat(call(p, "GET", page, null, "not-a-token-of-anyone").statusCode()).isEqualTo(401);

      // saved searches: ann shares one with acme; it runs over its window as of now
      HttpResponse<String> saved =
          call(
              p,
              "POST",
              "/api/searches",
              "{\"name\":\"ssh failures\",\"query\":\"message:password\",\"from\":\"2000-01-01\","
                  + "\"shared\":true}",
              ann);
      assertThat(saved.statusCode()).isEqualTo(201);
      JsonNode search = json.readTree(saved.body());
      String searchId = search.get("id").asText();
      assertThat(search.get("range").asText()).isEqualTo("2000-01-01..");
      assertThat(
              json.readTree(
                      call(p, "GET", "/api/searches/" + searchId + "/events", null, ann).body())
                  .get("matched")
                  .asLong())
          .isEqualTo(1);
      // someone of every tenant sees acme's shared search, and may not delete it
      assertThat(
              json.readTree(call(p, "GET", "/api/searches", null).body())
                  .at("/searches/0/name")
                  .asText())
          .isEqualTo("ssh failures");
      assertThat(call(p, "DELETE", "/api/searches/" + searchId, null).statusCode()).isEqualTo(409);
      // gus (globex) does not: not listed, and every id is a 404
      assertThat(json.readTree(call(p, "GET", "/api/searches", null, gus).body()).get("searches"))
          .isEmpty();
      for (String path :
          List.of("/api/searches/" + searchId, "/api/searches/" + searchId + "/events")) {
        assertThat(call(p, "GET", path, null, gus).statusCode()).as(path).isEqualTo(404);
      }
      assertThat(call(p, "DELETE", "/api/searches/" + searchId, null, gus).statusCode())
          .isEqualTo(404);
      // a query that does not parse is not kept: the answer points at its column
      HttpResponse<String> bad =
          call(p, "POST", "/api/searches", "{\"name\":\"bad\",\"query\":\"user.name:(\"}", ann);
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).contains("^");
      assertThat(
              call(p, "POST", "/api/searches", "{\"name\":\"x\",\"from\":\"yesterday\"}", ann)
                  .body())
          .contains("from wants a time such as");
      assertThat(call(p, "DELETE", "/api/searches/" + searchId, null, ann).statusCode())
          .isEqualTo(204);
      // the audit trail by action, a page at a time
      JsonNode audit =
          json.readTree(call(p, "GET", "/api/audit?action=search.&limit=1", null).body());
      assertThat(audit.at("/audit/0/action").asText()).isEqualTo("search.delete");
      assertThat(audit.at("/audit/0/actor").asText()).isEqualTo("ann");
      JsonNode older =
          json.readTree(
              call(
                      p,
                      "GET",
                      "/api/audit?action=search.&limit=1&before=" + audit.get("next").asLong(),
                      null)
                  .body());
      assertThat(older.at("/audit/0/action").asText()).isEqualTo("search.save");
      assertThat(call(p, "GET", "/api/audit?before=x", null).statusCode()).isEqualTo(400);

      // an alerting search of someone of every tenant alerts in the tenant whose events matched
      JsonNode watch =
          json.readTree(
              call(
                      p,
                      "POST",
                      "/api/searches",
                      "{\"name\":\"oracle everywhere\",\"query\":\"message:oracle\","
                          + "\"alert\":{\"every\":\"1m\"}}")
                  .body());
      long t0 = watch.at("/alerting/checked_until").asLong();
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
          OutputStream out = s.getOutputStream()) {
        out.write(
            ("<38>1 "
                    + java.time.Instant.ofEpochMilli(t0 + 300)
                    + " web-01 sshd 4242 - - Failed password for invalid user oracle from"
                    + " 203.0.113.7 port 50220 ssh2\n")
                .getBytes(StandardCharsets.UTF_8));
      }
      awaitEvents(p, admin, 2);
      assertThat(p.searchAlerts().runDue(t0 + 3 * 60_000))
          .singleElement()
          .satisfies(
              o -> {
                assertThat(o.alerted()).isTrue();
                assertThat(o.matched()).isEqualTo(1);
              });
      String searchAlert = "search:" + watch.get("id").asText() + "@" + (t0 + 2 * 60_000) + "-acme";
      JsonNode seen = json.readTree(call(p, "GET", "/api/alerts/" + searchAlert, null, ann).body());
      assertThat(seen.get("tenant").asText()).isEqualTo("acme");
      assertThat(seen.get("rule_id").asText()).isEqualTo("search:" + watch.get("id").asText());
      assertThat(call(p, "GET", "/api/alerts/" + searchAlert, null, gus).statusCode())
          .isEqualTo(404);
    }
  }

  static final String HR =
      """
      Employee ID,Name,Email,Department,Manager,Login,Groups
      E1,Grace Hopper,grace@corp.example,IT,,ghopper,Domain Admins
      E2,Mateo Ruiz,mateo@corp.example,IT,grace@corp.example,mateo,sudo
      ,Nobody,,Sales,,,
      """;

  @Test
  void identitiesTrainingAndAnAccessReviewOverTheApi() throws Exception {
    try (Platform p = platform()) {
      var imp = call(p, "POST", "/api/identities/import?filename=hr.csv", HR);
      assertThat(imp.statusCode()).as(imp.body()).isEqualTo(422); // one row refused
      JsonNode r = json.readTree(imp.body());
      assertThat(r.get("added").asInt()).isEqualTo(2);
      assertThat(r.get("problems").toString()).contains("hr.csv:4", "names nobody");
      var phish =
          call(
              p,
              "POST",
              "/api/training/import?filename=sim.csv",
              "Email,Campaign,Sent,Clicked,Submitted,Reported\n"
                  + "mateo@corp.example,Invoice lure,"
                  + java.time.Instant.now().minusSeconds(3600)
                  + ",yes,yes,no\n");
      assertThat(phish.statusCode()).as(phish.body()).isEqualTo(200);
      JsonNode mateo = json.readTree(call(p, "GET", "/api/identities/CORP%5Cmateo", null).body());
      assertThat(mateo.get("risk").get("score").asInt()).isEqualTo(55);
      // a user's page names the person behind the account, with the same risk
      JsonNode page = json.readTree(call(p, "GET", "/api/entities/user/CORP%5Cmateo", null).body());
      assertThat(page.at("/identity/email").asText()).isEqualTo("mateo@corp.example");
      assertThat(page.at("/identity/risk/score").asInt()).isEqualTo(55);
      assertThat(mateo.get("risk").get("reasons").toString()).contains("submitted credentials");
      assertThat(call(p, "GET", "/api/identities/nobody", null).statusCode()).isEqualTo(404);
      assertThat(json.readTree(call(p, "GET", "/api/training", null).body()).get("trend").size())
          .isEqualTo(1);
      assertThat(
              json.readTree(call(p, "GET", "/api/training?department=it", null).body())
                  .get("trend")
                  .size())
          .isEqualTo(1);
      assertThat(
              json.readTree(call(p, "GET", "/api/training?department=Sales", null).body())
                  .get("trend")
                  .size())
          .isZero();

      var started =
          call(
              p,
              "POST",
              "/api/reviews",
              "{\"name\":\"Q1\",\"due_days\":7,\"fallback_reviewer\":\"grace@corp.example\"}");
      assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
      String campaign = json.readTree(started.body()).get("id").asText();
      JsonNode items = json.readTree(call(p, "GET", "/api/reviews/" + campaign, null).body());
      assertThat(items.get("campaign").get("items").asInt()).isEqualTo(2);
      String sudo = null;
      for (JsonNode i : items.get("items")) {
        if (i.get("group").asText().equals("sudo")) {
          sudo = i.get("id").asText();
          assertThat(i.get("reviewer_label").asText()).isEqualTo("Grace Hopper");
        }
      }
      var decided =
          call(
              p,
              "POST",
              "/api/reviews/items/" + sudo + "/decision",
              "{\"decision\":\"revoke\",\"comment\":\"left the rota\"}");
      assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
      assertThat(
              call(
                      p,
                      "POST",
                      "/api/reviews/items/" + sudo + "/decision",
                      "{\"decision\":\"confirm\"}")
                  .statusCode())
          .isEqualTo(409);
      assertThat(
              call(
                      p,
                      "POST",
                      "/api/reviews/items/" + sudo + "/decision",
                      "{\"decision\":\"maybe\"}")
                  .statusCode())
          .isEqualTo(400);
      assertThat(call(p, "GET", "/api/reviews/nope", null).statusCode()).isEqualTo(404);
      Thread.sleep(5);
      call(p, "POST", "/api/identities/import?filename=hr.csv", HR); // still in sudo
      JsonNode report = json.readTree(call(p, "GET", "/api/reviews/report", null).body());
      assertThat(report.get("revoked_but_present").toString()).contains("Mateo Ruiz", "sudo");
      JsonNode audit = json.readTree(call(p, "GET", "/api/audit", null).body());
      assertThat(audit.toString()).contains("reviews.decide", "identities.import");

      // the report's figures as CSV, for a signed-in browser
      HttpResponse<String> in =
          browser(
              p,
              "POST",
              "/api/login",
              "{\"name\":\"admin\",\"password\":\"" + p.adminPassword() + "\"}",
              null,
              null);
      String setCookie = in.headers().firstValue("Set-Cookie").orElseThrow();
      HttpResponse<String> csv =
          browser(
              p,
              "GET",
              "/prevention/report.csv",
              null,
              setCookie.substring(0, setCookie.indexOf(';')),
              null);
      assertThat(csv.statusCode()).isEqualTo(200);
      assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
      assertThat(csv.body())
          .startsWith("section,group,metric,value\n")
          .contains("phishing,IT,submitted,1", "access-review,Q1,revoked,1")
          .contains("access-review,all,revoked-but-present,1");
    }
  }

  @Test
  void reviewersOfOverdueDecisionsAndLearnersOfOverdueCoursesAreRemindedByMailOnce()
      throws Exception {
    try (Platform p = platform()) {
      call(p, "POST", "/api/identities/import?filename=hr.csv", HR);
      call(
          p,
          "POST",
          "/api/training/import?filename=lms.csv",
          "Email,Course,Assigned,Due\nmateo@corp.example,Security Basics,2026-01-05,2026-02-01\n");
      var started = call(p, "POST", "/api/reviews", "{\"name\":\"Q1\",\"due_days\":1}");
      assertThat(started.statusCode()).isEqualTo(201);
      long later = System.currentTimeMillis() + 3 * 86_400_000L;
      var smtp = p.config().response().smtp();
      var r = p.prevention().remind(smtp, later, "https://rampart.example");
      // Grace reviews Mateo's sudo; Grace's own Domain Admins has no reviewer; Mateo's course
      assertThat(r.sent()).as(r.errors().toString()).isEqualTo(2);
      assertThat(r.unreachable()).isEqualTo(1);
      var messages = mail.getReceivedMessages();
      assertThat(messages).hasSize(2);
      String toGrace =
          java.util.Arrays.stream(messages)
              .filter(
                  m -> {
                    try {
                      return m.getAllRecipients()[0].toString().equals("grace@corp.example");
                    } catch (jakarta.mail.MessagingException e) {
                      return false;
                    }
                  })
              .findFirst()
              .map(m -> com.icegreen.greenmail.util.GreenMailUtil.getBody(m))
              .orElseThrow();
      assertThat(toGrace).contains("Mateo Ruiz in sudo", "https://rampart.example/reviews/");
      // an hour later nothing new is due: no second mail
      assertThat(p.prevention().remind(smtp, later + 3_600_000, null).sent()).isZero();
      assertThat(mail.getReceivedMessages()).hasSize(2);
    }
  }

  @Test
  void anApprovedChangeToSudoLeavesTheQueueAndAnUnapprovedOneOpensAnIncident() throws Exception {
    try (Platform p = platform()) {
      assertThat(call(p, "POST", "/api/identities/import?filename=hr.csv", HR).statusCode())
          .isEqualTo(422);
      var approved =
          call(
              p,
              "POST",
              "/api/changes",
              "{\"account\":\"mateo@corp.example\",\"group\":\"sudo\",\"reason\":\"CHG-1042\"}");
      assertThat(approved.statusCode()).as(approved.body()).isEqualTo(201);
      send(
          p.ingest().ports().get("syslog-tcp"),
          "<38>1 2026-11-28T10:00:00Z bastion-01 usermod 77 - - add 'mateo' to group 'sudo'\n"
              + "<38>1 2026-11-28T10:00:01Z bastion-02 usermod 78 - - add 'intruder' to group"
              + " 'sudo'\n");
      long deadline = System.nanoTime() + 30_000_000_000L;
      JsonNode incidents = null;
      String audit = "";
      while (System.nanoTime() < deadline) {
        incidents = json.readTree(call(p, "GET", "/api/incidents", null).body());
        audit = call(p, "GET", "/api/audit", null).body();
        if (incidents.toString().contains("bastion-02") && audit.contains("approved-change")) {
          break;
        }
        Thread.sleep(100);
      }
      assertThat(incidents.toString())
          .contains("Linux User Added To A Privileged Group on bastion-02")
          .doesNotContain("bastion-01");
      assertThat(audit).contains("alert.approved-change", "CHG-1042");
    }
  }

  @Test
  void everyRouteNeedsATokenAndAViewerChangesNothing() throws Exception {
    try (Platform p = platform()) {
      assertThat(p.adminPassword()).isNotBlank(); // first start: shown once
      String local = Files.readString(dir.resolve("data/api-token")).strip();
      assertThat(local).startsWith("rpt_");
      JsonNode me = json.readTree(call(p, "GET", "/api/me", null, local).body());
      assertThat(me.get("user").asText()).isEqualTo("admin");
      assertThat(me.get("via").asText()).startsWith("token:");

      // a viewer, made through the API, with a token of their own
      assertThat(
              call(
                      p,
                      "POST",
                      "/api/users",
                      "{\"name\":\"vera\",\"role\":\"viewer\",\"password\":\"a long enough passphrase\"}",
                      local)
                  .statusCode())
          .isEqualTo(201);
      String viewer =
          p.access()
              .createToken(
                  "vera",
                  "test",
                  java.util.Set.of(),
                  java.time.Instant.now().plusSeconds(3600),
                  "vera")
              .token();
      JsonNode spec = json.readTree(call(p, "GET", "/api/openapi.json", null).body());
      int routes = 0;
      for (var path = spec.get("paths").fields(); path.hasNext(); ) {
        var e = path.next();
        String url = e.getKey().replaceAll("\\{[a-z]+}", "x");
        for (var op = e.getValue().fieldNames(); op.hasNext(); ) {
          String method = op.next().toUpperCase(java.util.Locale.ROOT);
          if (url.equals("/api/login")) {
            continue; // the one open door (its own test)
          }
          String body = method.equals("GET") || method.equals("DELETE") ? null : "{}";
          routes++;
          assertThat(call(p, method, url, body, null).statusCode())
              .as(method + " " + url)
              .isEqualTo(401);
          assertThat(call(p, method, url, body, "rpt_forged-token").statusCode())
              .as(method + " " + url)
              .isEqualTo(401);
          String permission =
              e.getValue()
                  .get(method.toLowerCase(java.util.Locale.ROOT))
                  .path("x-permission")
                  .asText();
          if (!method.equals("GET") && !permission.equals("signed in")) {
            assertThat(call(p, method, url, body, viewer).statusCode())
                .as("viewer " + method + " " + url)
                .isEqualTo(403);
          }
        }
      }
      assertThat(routes).isGreaterThan(25);
      HttpResponse<String> denied =
          call(
              p,
              "POST",
              "/api/exceptions",
              "{\"rule\":\"r\",\"reason\":\"x\",\"for\":\"1d\"}",
              viewer);
      assertThat(denied.statusCode()).isEqualTo(403);
      assertThat(json.readTree(denied.body()).get("error").asText())
          .contains("exceptions:write", "vera", "viewer");
      assertThat(call(p, "GET", "/api/incidents", null, viewer).statusCode()).isEqualTo(200);
      assertThat(call(p, "GET", "/api/audit", null, viewer).statusCode()).isEqualTo(403);
      JsonNode coverage = json.readTree(call(p, "GET", "/api/coverage", null, viewer).body());
      assertThat(coverage.has("tactics")).isTrue();
      assertThat(coverage.get("days").asInt()).isEqualTo(30);

      // tokens: made for oneself, shown once, scoped, revocable
      HttpResponse<String> made =
          call(
              p,
              "POST",
              "/api/tokens",
              "{\"name\":\"grafana\",\"scopes\":[\"incidents:read\"],\"expires_in\":\"30d\"}",
              viewer);
      assertThat(made.statusCode()).isEqualTo(201);
      JsonNode t = json.readTree(made.body());
      String scoped = t.get("token").asText();
      assertThat(call(p, "GET", "/api/incidents", null, scoped).statusCode()).isEqualTo(200);
      assertThat(call(p, "GET", "/api/alerts", null, scoped).statusCode()).isEqualTo(403);
      assertThat(
              call(
                      p,
                      "POST",
                      "/api/tokens",
                      "{\"name\":\"x\",\"scopes\":[\"users:admin\"],\"expires_in\":\"1d\"}",
                      viewer)
                  .statusCode())
          .isEqualTo(403);
      String id = t.at("/info/id").asText();
      assertThat(json.readTree(call(p, "GET", "/api/tokens", null, viewer).body()).toString())
          .doesNotContain(scoped);
      assertThat(call(p, "DELETE", "/api/tokens/" + id, null, viewer).statusCode()).isEqualTo(200);
      assertThat(call(p, "GET", "/api/incidents", null, scoped).statusCode()).isEqualTo(401);
      // disabling the user stops their tokens
      assertThat(
              call(p, "POST", "/api/users/vera/disabled", "{\"disabled\":true}", local)
                  .statusCode())
          .isEqualTo(200);
      assertThat(call(p, "GET", "/api/incidents", null, viewer).statusCode()).isEqualTo(401);
      JsonNode verify = json.readTree(call(p, "GET", "/api/audit/verify", null, local).body());
      assertThat(verify.get("intact").asBoolean()).isTrue();
    }
  }

  HttpResponse<String> browser(
      Platform p, String method, String path, String body, String cookie, String csrf)
      throws Exception {
    HttpRequest.Builder rq =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.apiPort() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (cookie != null) {
      rq.header("Cookie", cookie);
    }
    if (csrf != null) {
      rq.header("X-CSRF-Token", csrf);
    }
    return http.send(rq.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void browserSessionsNeedCsrfOnChangesAndLoginsAreRateLimited() throws Exception {
    try (Platform p = platform()) {
      String password = p.adminPassword();
      assertThat(
              browser(
                      p,
                      "POST",
                      "/api/login",
                      "{\"name\":\"admin\",\"password\":\"nope\"}",
                      null,
                      null)
                  .statusCode())
          .isEqualTo(401);
      HttpResponse<String> in =
          browser(
              p,
              "POST",
              "/api/login",
              "{\"name\":\"admin\",\"password\":\"" + password + "\"}",
              null,
              null);
      assertThat(in.statusCode()).isEqualTo(200);
      String setCookie = in.headers().firstValue("Set-Cookie").orElseThrow();
      assertThat(setCookie).contains("HttpOnly", "SameSite=Strict").doesNotContain("Secure");
      String cookie = setCookie.substring(0, setCookie.indexOf(';'));
      String csrf = json.readTree(in.body()).get("csrf_token").asText();
      assertThat(browser(p, "GET", "/api/me", null, cookie, null).statusCode()).isEqualTo(200);
      String change =
          "{\"name\":\"rita\",\"role\":\"viewer\",\"password\":\"a long enough passphrase\"}";
      HttpResponse<String> noCsrf = browser(p, "POST", "/api/users", change, cookie, null);
      assertThat(noCsrf.statusCode()).isEqualTo(403);
      assertThat(noCsrf.body()).contains("X-CSRF-Token");
      assertThat(browser(p, "POST", "/api/users", change, cookie, "forged").statusCode())
          .isEqualTo(403);
      assertThat(browser(p, "POST", "/api/users", change, cookie, csrf).statusCode())
          .isEqualTo(201);
      assertThat(browser(p, "POST", "/api/logout", null, cookie, csrf).statusCode()).isEqualTo(200);
      assertThat(browser(p, "GET", "/api/me", null, cookie, null).statusCode()).isEqualTo(401);
      // a disabled user's session ends at the next request
      HttpResponse<String> rita =
          browser(
              p,
              "POST",
              "/api/login",
              "{\"name\":\"rita\",\"password\":\"a long enough passphrase\"}",
              null,
              null);
      String ritaCookie = rita.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
      assertThat(browser(p, "GET", "/api/incidents", null, ritaCookie, null).statusCode())
          .isEqualTo(200);
      p.access().setDisabled("rita", true, "test");
      assertThat(browser(p, "GET", "/api/incidents", null, ritaCookie, null).statusCode())
          .isEqualTo(401);
      // ten attempts a minute per address, then 429
      int limited = 0;
      for (int i = 0; i < 12; i++) {
        int code =
            browser(p, "POST", "/api/login", "{\"name\":\"x\",\"password\":\"y\"}", null, null)
                .statusCode();
        limited += code == 429 ? 1 : 0;
      }
      assertThat(limited).isGreaterThan(0);
    }
  }

  @Test
  void theServerAppliesTheStoresRetentionAndMappingFromItsConfig() throws Exception {
    Path data = dir.resolve("data");
    // a day from long ago, and one from today, as an earlier run would have left them
    try (dev.rampart.store.EventStore old =
        dev.rampart.store.EventStore.open(
            data.resolve("store"), dev.rampart.store.StoreOptions.defaults())) {
      var im = old.importer();
      try (im) {
        for (String when : List.of("2020-01-01T10:00:00Z", java.time.Instant.now().toString())) {
          dev.rampart.core.event.Event e = new dev.rampart.core.event.Event();
          e.timestamp(dev.rampart.core.event.Timestamps.fromInstant(java.time.Instant.parse(when)));
          e.addString("message", "stored at " + when);
          im.add(e);
        }
      }
    }
    assertThat(data.resolve("store/days/2020-01-01")).isDirectory();
    List<String> said = new CopyOnWriteArrayList<>();
    try (Platform p =
        platform(
            """
            store:
              retention: {max_age: 30d, max_size: 10GB}
              mapping: {Provider_Guid: none}
            """,
            said::add)) {
      long until = System.currentTimeMillis() + 30_000;
      // the folder goes first, then the server says so: wait for both
      while ((Files.exists(data.resolve("store/days/2020-01-01"))
              || !said.contains("store retention: deleted 1 day(s): [2020-01-01]"))
          && System.currentTimeMillis() < until) {
        Thread.sleep(50);
      }
      assertThat(data.resolve("store/days/2020-01-01")).doesNotExist();
      assertThat(said).contains("store retention: deleted 1 day(s): [2020-01-01]");
      assertThat(p.store().stats()).hasSize(1); // today's day stays
      assertThat(p.store().mapping().resolve("Provider_Guid", dev.rampart.core.event.Kind.STRING))
          .isEqualTo(dev.rampart.store.mapping.FieldType.NONE);
    }
  }

  @Test
  void theApiServesTlsWithASelfSignedCertificateMadeAtFirstStart() throws Exception {
    Path config = dir.resolve("tls.yaml");
    Files.writeString(
        config,
        """
        data: %s
        inputs:
          - {type: syslog-udp, port: 0}
        api: {port: 0, tls: true, token_file: api-token.txt}
        """
            .formatted(dir.resolve("tlsdata")));
    Files.writeString(dir.resolve("api-token.txt"), "test-token-0123456789abcdef\n");
    List<String> said = new CopyOnWriteArrayList<>();
    try (Platform p =
        Platform.start(
            new Platform.Options(
                IngestConfig.load(config), ServerConfig.load(config), List.of(), said::add))) {
      assertThat(said).anySatisfy(l -> assertThat(l).contains("self-signed, made now", "SHA-256"));
      Path p12 = dir.resolve("tlsdata/tls/api.p12");
      assertThat(Files.getPosixFilePermissions(p12).toString())
          .isEqualTo("[OWNER_READ, OWNER_WRITE]");
      char[] pw =
          Files.readString(dir.resolve("tlsdata/tls/api.p12.password")).strip().toCharArray();
      java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
      try (var in = Files.newInputStream(p12)) {
        ks.load(in, pw);
      }
      java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("rampart", ks.getCertificate("rampart"));
      javax.net.ssl.TrustManagerFactory tmf =
          javax.net.ssl.TrustManagerFactory.getInstance(
              javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      HttpClient https = HttpClient.newBuilder().sslContext(ctx).build();
      String base = "https://127.0.0.1:" + p.apiPort();
      HttpResponse<String> me =
          https.send(
              HttpRequest.newBuilder(URI.create(base + "/api/me"))
                  .header("Authorization", "Bearer test-token-0123456789abcdef")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(me.statusCode()).isEqualTo(200);
      HttpResponse<String> login =
          https.send(
              HttpRequest.newBuilder(URI.create(base + "/api/login"))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"name\":\"admin\",\"password\":\"" + p.adminPassword() + "\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(login.headers().firstValue("Set-Cookie").orElseThrow())
          .contains("Secure", "HttpOnly");
      // no plain HTTP on that port
      boolean plainRefused;
      try {
        plainRefused =
            http.send(
                        HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + p.apiPort() + "/api/me"))
                            .header("Authorization", "Bearer test-token-0123456789abcdef")
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .statusCode()
                != 200;
      } catch (java.io.IOException e) {
        plainRefused = true;
      }
      assertThat(plainRefused).isTrue();
    }
  }
}
