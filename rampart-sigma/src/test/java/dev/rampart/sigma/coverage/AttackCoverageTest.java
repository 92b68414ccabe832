package dev.rampart.sigma.coverage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.sigma.load.RuleLoader;
import dev.rampart.sigma.load.RuleSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Techniques by tactic from the rules' tags, rules on, alerts per technique. */
class AttackCoverageTest {
  static final String RULES =
      """
      title: Dump
      id: 00000000-0000-4000-8000-0000000000e1
      name: dump
      tags: [attack.credential-access, attack.t1003.001]
      logsource: {product: windows, category: process_creation}
      detection: {sel: {Image|endswith: '\\\\procdump.exe'}, condition: sel}
      ---
      title: Encoded PowerShell
      id: 00000000-0000-4000-8000-0000000000e2
      tags: [attack.execution, attack.defense_evasion, attack.t1059.001, attack.T1027]
      logsource: {product: windows, category: process_creation}
      detection: {sel: {CommandLine|contains: ' -enc '}, condition: sel}
      ---
      title: No tactic
      id: 00000000-0000-4000-8000-0000000000e3
      tags: [attack.t1003.001, attack.g0007, cve.2021-44228]
      logsource: {product: windows, category: process_creation}
      detection: {sel: {Image|endswith: '\\\\x.exe'}, condition: sel}
      ---
      title: Untagged
      id: 00000000-0000-4000-8000-0000000000e4
      logsource: {product: windows, category: process_creation}
      detection: {sel: {Image|endswith: '\\\\y.exe'}, condition: sel}
      ---
      title: Dumps again and again
      id: 00000000-0000-4000-8000-0000000000e5
      tags: [attack.credential_access, attack.t1003.001]
      correlation: {type: event_count, rules: [dump], group-by: [Computer], timespan: 1h,
        condition: {gte: 3}}
      """;

  @Test
  void techniquesByTacticWithRulesOnAndAlerts() {
    RuleSet set = new RuleLoader().addText("c.yml", RULES).build();
    assertThat(set.errors()).isEmpty();
    var c =
        AttackCoverage.of(
            set.rules(),
            set.correlations(),
            key -> !key.endsWith("e3"), // one rule switched off
            Map.of("T1003.001", 12L, "T1190", 2L), // T1190: no rule carries it any more
            30);
    assertThat(c.rules()).isEqualTo(5);
    assertThat(c.tagged()).isEqualTo(4);
    assertThat(c.techniques()).isEqualTo(4);
    assertThat(c.alerts()).isEqualTo(14);
    assertThat(c.tactics())
        .extracting(AttackCoverage.Tactic::label)
        .containsExactly("Execution", "Defense Evasion", "Credential Access", "No tactic named");
    var credential = c.tactics().get(2).techniques();
    assertThat(credential)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.id()).isEqualTo("T1003.001");
              assertThat(t.rules()).isEqualTo(3); // the rule, the correlation, the tactic-less rule
              assertThat(t.enabled()).isEqualTo(2);
              assertThat(t.alerts()).isEqualTo(12);
              assertThat(t.heat()).isEqualTo(2);
              assertThat(t.titles()).contains("Dumps again and again (correlation)");
            });
    assertThat(c.tactics().get(0).techniques())
        .extracting(AttackCoverage.Technique::id)
        .containsExactly("T1027", "T1059.001");
    assertThat(c.tactics().get(3).techniques())
        .extracting(AttackCoverage.Technique::id)
        .containsExactly("T1003.001", "T1190");
    assertThat(AttackCoverage.label("command_and_control")).isEqualTo("Command and Control");
  }
}
