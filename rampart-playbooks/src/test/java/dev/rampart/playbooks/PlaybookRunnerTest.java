package dev.rampart.playbooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.rampart.alerting.alert.Alert;
import dev.rampart.cases.CaseStore;
import dev.rampart.cases.DatabaseTest;
import dev.rampart.cases.incident.Incident;
import dev.rampart.cases.incident.Status;
import dev.rampart.cases.triage.AlertPolicy;
import dev.rampart.cases.triage.Triage;
import dev.rampart.playbooks.playbook.Settings;
import dev.rampart.playbooks.run.PlaybookRunner;
import dev.rampart.playbooks.run.RunLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Playbooks run for real: webhooks to a local HTTP server (signed, retried with one idempotency
 * key), Slack and Teams bodies, mail to GreenMail, a blocklist file, a local command; every run and
 * step is recorded, a failing step does not stop the others, a broken edit keeps the old version.
 * On SQLite and PostgreSQL.
 */
class PlaybookRunnerTest extends DatabaseTest {
  static Alert alert(String id, String level) {
    return new Alert(
        id,
        "rule-brute",
        "SSH brute force",
        level,
        List.of("attack.credential_access", "attack.t1110"),
        List.of("T1110"),
        List.of(5L),
        1_767_571_200_000_000_000L,
        1_767_571_201_000_000_000L,
        Map.of(),
        new Alert.Entities("ws-01", "root", "203.0.113.7", "sshd"),
        null);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgres"})
  void everyActionRunsAndIsRecorded(String db) throws Exception {
    GreenMail mail = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp"));
    mail.start();
    Path playbooks = Files.createDirectories(dir.resolve("playbooks"));
    try (Receiver hooks = new Receiver();
        CaseStore cases = store(db, new TestClock())) {
      Settings settings =
          new Settings(
                  new Settings.Smtp(
                      "127.0.0.1",
                      mail.getSmtp().getPort(),
                      "rampart@example.org",
                      null,
                      null,
                      false),
                  true,
                  dir.resolve("blocklists"),
                  Map.of("HOOK_SECRET", "s3cret")::get,
                  dir)
              .withConsole("https://rampart.example.org");
      Files.writeString(
          playbooks.resolve("respond.yaml"),
          """
          on:
            alert: {min_level: high, tags: [attack.t1110]}
          steps:
            - webhook: {url: "%s", secret_env: HOOK_SECRET, retries: 3, backoff: 1ms}
            - slack: {url: "%s", text: "{{alert.title}} on {{alert.host}}"}
            - teams: {url: "%s", text: "{{alert.title}}"}
            - email:
                to: [soc@example.org]
                subject: "[{{alert.level}}] {{alert.title}} on {{alert.host}}"
                body: "Incident {{incident.id}}: {{alert.source_ip}} attacked {{alert.host}}. {{incident.url}}"
            - webhook: {url: "http://127.0.0.1:1/refused", retries: 1, backoff: 1ms}
            - blocklist: {list: bad-ips, value: "{{alert.source_ip}}"}
            - command: {run: [/bin/echo, "isolating {{alert.host}}"]}
          """
              .formatted(hooks.url("/hook"), hooks.url("/slack"), hooks.url("/teams")));
      Files.writeString(
          playbooks.resolve("triage.yaml"),
          """
          on: {incident: [created, status]}
          steps:
            - webhook: {url: "%s"}
          """
              .formatted(hooks.url("/incident")));
      hooks.answer("/hook", 500, 503); // the first webhook fails twice, then succeeds
      try (PlaybookRunner runner = new PlaybookRunner(cases, settings, playbooks)) {
        assertThat(runner.reload()).isEmpty();
        Triage triage = new Triage(cases, AlertPolicy.defaults());
        triage.onFiled(runner::onFiled);
        cases.onChange(runner::onChange);
        triage.accept(List.of(alert("a1", "high"), alert("a2", "low")));
        assertThat(runner.awaitIdle(Duration.ofSeconds(30))).isTrue();
        Incident i = cases.list(CaseStore.Filter.any(), 10, null).incidents().get(0);
        cases.transition(i.id(), Status.ACKNOWLEDGED, "alice");
        assertThat(runner.awaitIdle(Duration.ofSeconds(30))).isTrue();
        // a replayed alert is not filed again, so nothing runs twice
        triage.accept(List.of(alert("a1", "high")));
        assertThat(runner.awaitIdle(Duration.ofSeconds(30))).isTrue();

        List<Receiver.Request> hook =
            hooks.requests.stream().filter(r -> r.path().equals("/hook")).toList();
        assertThat(hook).hasSize(3);
        assertThat(hook)
            .extracting(r -> r.header("Idempotency-Key"))
            .containsOnly(hook.get(0).header("Idempotency-Key"));
        Receiver.Request ok = hook.get(2);
        String ts = ok.header("X-Rampart-Timestamp");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("s3cret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected =
            HexFormat.of()
                .formatHex(mac.doFinal((ts + "." + ok.body()).getBytes(StandardCharsets.UTF_8)));
        assertThat(ok.header("X-Rampart-Signature")).isEqualTo("sha256=" + expected);
        JsonNode body = new ObjectMapper().readTree(ok.body());
        assertThat(body.at("/alert/id").asText()).isEqualTo("a1");
        assertThat(body.at("/alert/source_ip").asText()).isEqualTo("203.0.113.7");
        assertThat(body.at("/incident/id").asText()).isEqualTo(i.id());
        assertThat(body.at("/incident/url").asText())
            .isEqualTo("https://rampart.example.org/incidents/" + i.id());

        Receiver.Request slack =
            hooks.requests.stream()
                .filter(r -> r.path().equals("/slack"))
                .findFirst()
                .orElseThrow();
        assertThat(new ObjectMapper().readTree(slack.body()).get("text").asText())
            .isEqualTo("SSH brute force on ws-01");
        Receiver.Request teams =
            hooks.requests.stream()
                .filter(r -> r.path().equals("/teams"))
                .findFirst()
                .orElseThrow();
        assertThat(new ObjectMapper().readTree(teams.body()).get("@type").asText())
            .isEqualTo("MessageCard");
        assertThat(hooks.requests.stream().filter(r -> r.path().equals("/incident")))
            .hasSize(2); // created, then acknowledged

        assertThat(mail.getReceivedMessages()).hasSize(1);
        assertThat(mail.getReceivedMessages()[0].getSubject())
            .isEqualTo("[high] SSH brute force on ws-01");
        assertThat(com.icegreen.greenmail.util.GreenMailUtil.getBody(mail.getReceivedMessages()[0]))
            .contains("https://rampart.example.org/incidents/" + i.id());
        assertThat(Files.readAllLines(dir.resolve("blocklists/bad-ips.txt")))
            .containsExactly("203.0.113.7");

        List<RunLog.Run> runs = runner.runs().recent(null, 100);
        assertThat(runs).hasSize(3);
        RunLog.Run respond =
            runs.stream().filter(r -> r.playbook().equals("respond")).findFirst().orElseThrow();
        assertThat(respond.status()).isEqualTo("failed"); // one step failed...
        assertThat(respond.steps())
            .extracting(RunLog.StepRecord::status)
            .containsExactly("ok", "ok", "ok", "ok", "failed", "ok", "ok"); // ...the rest ran
        assertThat(respond.steps().get(0).attempts()).isEqualTo(3);
        assertThat(respond.steps().get(4).attempts()).isEqualTo(2);
        assertThat(respond.steps().get(6).detail()).isEqualTo("exit 0: isolating ws-01");
        assertThat(runs)
            .filteredOn(r -> r.playbook().equals("triage"))
            .extracting(RunLog.Run::trigger)
            .containsExactlyInAnyOrder("incident.created", "incident.status");
      }
    } finally {
      mail.stop();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite"})
  void aBrokenEditKeepsThePreviousVersionActive(String db) throws Exception {
    Path playbooks = Files.createDirectories(dir.resolve("pb"));
    try (CaseStore cases = store(db, new TestClock());
        PlaybookRunner runner =
            new PlaybookRunner(
                cases, new Settings(null, false, dir.resolve("bl"), k -> null, dir), playbooks)) {
      Path f = playbooks.resolve("notify.yaml");
      Files.writeString(
          f,
          "on: {alert: any}\nsteps:\n  - blocklist: {list: ips, value: '{{alert.source_ip}}'}\n");
      assertThat(runner.reload()).isEmpty();
      Files.writeString(f, "on: {alert: any}\nsteps:\n  - command: {run: [reboot]}\n");
      assertThat(runner.reload())
          .singleElement()
          .satisfies(
              p -> assertThat(p.toString()).contains("notify.yaml:3:", "local commands are off"));
      assertThat(runner.playbooks())
          .singleElement()
          .satisfies(p -> assertThat(p.steps().get(0).action()).isEqualTo("blocklist"));
    }
  }
}
