package dev.rampart.cases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rampart.cases.triage.AlertPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The alerting policy file: every mistake reported with its line, nothing half-applied. */
class AlertPolicyTest {
  @Test
  void aValidPolicyIsRead() throws Exception {
    AlertPolicy p =
        AlertPolicy.parse(
            "a.yaml",
            """
            grouping: {window: 30m, by: [host]}
            sla:
              critical: {acknowledge: 5m, resolve: 1h}
            """);
    assertThat(p.groupWindow()).isEqualTo(Duration.ofMinutes(30));
    assertThat(p.groupBy()).containsExactly("host");
    assertThat(p.sla().get("critical").acknowledge()).isEqualTo(Duration.ofMinutes(5));
    assertThat(p.sla().get("low").resolve()).isEqualTo(Duration.ofDays(7));
    assertThat(AlertPolicy.parse("empty.yaml", "").groupBy()).containsExactly("host", "user");
  }

  @Test
  void exceptionsAsCodeAreReadAndCheckedWithLines() throws Exception {
    AlertPolicy p =
        AlertPolicy.parse(
            "a.yaml",
            """
            exceptions:
              - rule: r1
                host: backup-01
                reason: nightly backup, OPS-12
                expires: 2027-01-31
                by: alice
            """);
    assertThat(p.exceptions())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.host()).isEqualTo("backup-01");
              assertThat(e.expiresAt())
                  .isEqualTo(java.time.Instant.parse("2027-01-31T00:00:00Z").toEpochMilli());
              assertThat(e.line()).isEqualTo(2);
            });
    assertThatThrownBy(
            () ->
                AlertPolicy.parse(
                    "b.yaml",
                    """
                    exceptions:
                      - rule: r1
                        expires: next week
                      - {rule: r2, reason: x, expires: 2027-01-01, hots: h}
                    """))
        .hasMessageContaining("b.yaml:2: missing key 'reason'")
        .hasMessageContaining("b.yaml:3: expires is a date")
        .hasMessageContaining("b.yaml:4: unknown key 'hots'");
  }

  @Test
  void everyMistakeIsReportedWithItsLine() {
    assertThatThrownBy(
            () ->
                AlertPolicy.parse(
                    "alerting.yaml",
                    """
                    grouping:
                      window: soon
                      by: [asset]
                    suppress:
                      - rule: r1
                        by: [host]
                      - rul: r2
                        window: 5m
                    severity:
                      r3: urgent
                    slas: {}
                    """))
        .isInstanceOf(AlertPolicy.PolicyException.class)
        .hasMessageContaining("alerting.yaml:2: 'window' must be a duration")
        .hasMessageContaining("alerting.yaml:3: grouping.by lists [host, user], not 'asset'")
        .hasMessageContaining("alerting.yaml:5: missing key 'window'")
        .hasMessageContaining("alerting.yaml:7: unknown key 'rul'")
        .hasMessageContaining("alerting.yaml:10: severity of r3 is one of")
        .hasMessageContaining("alerting.yaml:11: unknown key 'slas'");
    assertThatThrownBy(() -> AlertPolicy.parse("bad.yaml", "grouping: [\n"))
        .hasMessageContaining("bad.yaml:")
        .hasMessageContaining("not valid YAML");
  }
}
