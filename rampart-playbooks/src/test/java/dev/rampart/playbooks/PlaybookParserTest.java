package dev.rampart.playbooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.cases.yaml.Doc;
import dev.rampart.playbooks.playbook.PlaybookParser;
import dev.rampart.playbooks.playbook.Settings;
import dev.rampart.playbooks.playbook.Step;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Playbook validation: everything wrong is reported with file and line, nothing half-loaded. */
class PlaybookParserTest {
  static Settings settings(boolean commands) {
    return new Settings(
        new Settings.Smtp("127.0.0.1", 2525, "rampart@example.org", null, null, false),
        commands,
        Path.of("target/blocklists"),
        Map.of("HOOK_SECRET", "s3cret")::get,
        Path.of("."));
  }

  @Test
  void aValidPlaybookLoadsWithEveryAction() {
    PlaybookParser.Result r =
        PlaybookParser.parse(
            "p.yaml",
            """
            name: high-alerts
            description: Tell the SOC and block the source
            on:
              alert: {min_level: high, tags: [attack.t1110]}
              incident: [created, status]
            steps:
              - email:
                  to: [soc@example.org]
                  subject: "[{{alert.level}}] {{alert.title}}"
                  body: "Incident {{incident.id}} on {{alert.host}}"
              - name: siem-hook
                webhook: {url: "http://127.0.0.1:9/hook", secret_env: HOOK_SECRET, retries: 2, backoff: 2s}
              - slack: {url: "https://hooks.slack.com/services/x", text: "{{alert.title}}"}
              - teams: {url: "https://example.webhook.office.com/x", text: "{{alert.title}}"}
              - blocklist: {list: bad-ips, value: "{{alert.source_ip}}"}
              - command: {run: [/bin/echo, "{{alert.host}}"], timeout: 5s}
            """,
            "p",
            settings(true));
    assertThat(r.problems()).isEmpty();
    assertThat(r.playbook().steps())
        .extracting(Step::action)
        .containsExactly("email", "webhook", "slack", "teams", "blocklist", "command");
    Step.Webhook w = (Step.Webhook) r.playbook().steps().get(1);
    assertThat(w.name()).isEqualTo("siem-hook");
    assertThat(w.secret()).isEqualTo("s3cret");
    assertThat(w.toString()).doesNotContain("s3cret");
    assertThat(r.playbook().on().minLevel()).isEqualTo("high");
    assertThat(r.playbook().on().incident()).containsExactlyInAnyOrder("created", "status");
  }

  @Test
  void mistakesAreReportedWithTheirLines() {
    PlaybookParser.Result r =
        PlaybookParser.parse(
            "bad.yaml",
            """
            name: bad one
            on:
              alert: {min_level: severe}
              incident: [deleted]
            steps:
              - sms: {to: "+1555"}
              - webhook: {url: "ftp://x", secret_env: MISSING}
              - email: {to: [a@b.c], subject: "{{alert.titel}}", body: x}
              - command: {run: [rm, -rf, /]}
              - {webhook: {url: "http://x"}, slack: {url: "http://y", text: t}}
            """,
            "bad",
            settings(false));
    assertThat(r.playbook()).isNull();
    assertThat(r.problems())
        .extracting(Doc.Problem::toString)
        .anySatisfy(p -> assertThat(p).startsWith("bad.yaml:1: name:"))
        .anySatisfy(p -> assertThat(p).startsWith("bad.yaml:3: min_level is one of"))
        .anySatisfy(p -> assertThat(p).startsWith("bad.yaml:4: incident events are"))
        .anySatisfy(p -> assertThat(p).startsWith("bad.yaml:6: step 1: unknown action 'sms'"))
        .anySatisfy(p -> assertThat(p).startsWith("bad.yaml:7: step 2 (webhook): url must be http"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("bad.yaml:7: step 2 (webhook): environment variable MISSING"))
        .anySatisfy(
            p -> assertThat(p).startsWith("bad.yaml:8: unknown placeholder {{alert.titel}}"))
        .anySatisfy(
            p -> assertThat(p).startsWith("bad.yaml:9: step 4 (command): local commands are off"))
        .anySatisfy(p -> assertThat(p).startsWith("bad.yaml:10: step 5: exactly one action"));
  }

  @Test
  void anIdentityRiskTriggerMatchesTheRiskOfTheAlertsUser() {
    PlaybookParser.Result r =
        PlaybookParser.parse(
            "risky.yaml",
            """
            on:
              alert: {identity_risk: high}
            steps:
              - email: {to: [soc@example.org], subject: "{{alert.user}} is {{alert.identity_risk}}", body: x}
            """,
            "risky",
            settings(true));
    assertThat(r.problems()).isEmpty();
    var on = r.playbook().on();
    assertThat(on.minIdentityRisk()).isEqualTo("high");
    assertThat(dev.rampart.playbooks.run.PlaybookRunner.riskMatches(on, "critical")).isTrue();
    assertThat(dev.rampart.playbooks.run.PlaybookRunner.riskMatches(on, "high")).isTrue();
    assertThat(dev.rampart.playbooks.run.PlaybookRunner.riskMatches(on, "medium")).isFalse();
    assertThat(dev.rampart.playbooks.run.PlaybookRunner.riskMatches(on, null)).isFalse();
    PlaybookParser.Result bad =
        PlaybookParser.parse(
            "bad.yaml",
            "on:\n  alert: {identity_risk: scary}\nsteps:\n  - email: {to: [a@b.c], subject: s, body: b}\n",
            "bad",
            settings(true));
    assertThat(bad.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.toString()).contains("bad.yaml:2", "identity_risk is one of"));
  }

  @Test
  void brokenYamlAndMissingPartsAreReported() {
    assertThat(PlaybookParser.parse("x.yaml", "on: [\n", "x", settings(false)).problems())
        .singleElement()
        .satisfies(p -> assertThat(p.toString()).contains("not valid YAML"));
    assertThat(PlaybookParser.parse("y.yaml", "name: y\n", "y", settings(false)).problems())
        .extracting(Doc.Problem::message)
        .anySatisfy(m -> assertThat(m).startsWith("missing 'on'"))
        .anySatisfy(m -> assertThat(m).startsWith("a playbook needs at least one step"));
  }
}
