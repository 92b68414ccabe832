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
            30,
            null);
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
    assertThat(c.catalog()).isNull();
    assertThat(credential.get(0).name()).isNull();
    assertThat(c.tactics()).allSatisfy(t -> assertThat(t.gaps()).isEmpty());
  }

  @Test
  void withATTandCKsDataTechniquesHaveNamesTheirTacticsAndTheGapsShow() throws Exception {
    String more =
        RULES
            + """
            ---
            title: Old tag
            id: 00000000-0000-4000-8000-0000000000e6
            tags: [attack.execution, attack.t1086]
            logsource: {product: windows, category: process_creation}
            detection: {sel: {Image|endswith: '\\\\z.exe'}, condition: sel}
            ---
            title: Typo
            id: 00000000-0000-4000-8000-0000000000e7
            tags: [attack.t9999]
            logsource: {product: windows, category: process_creation}
            detection: {sel: {Image|endswith: '\\\\w.exe'}, condition: sel}
            """;
    RuleSet set = new RuleLoader().addText("c.yml", more).build();
    assertThat(set.errors()).isEmpty();
    AttackCatalog catalog = AttackCatalog.fromStix(AttackCatalogTest.mini());
    var c =
        AttackCoverage.of(
            set.rules(), set.correlations(), key -> true, Map.of("T1190", 2L), 30, catalog);
    assertThat(c.catalog()).isEqualTo("Enterprise ATT&CK 17.1");
    // the matrix's order; ATT&CK's tactic for each technique, not every tactic a rule names
    assertThat(c.tactics())
        .extracting(AttackCoverage.Tactic::label)
        .containsExactly(
            "Initial Access",
            "Execution",
            "Defense Evasion",
            "Credential Access",
            "No tactic named");
    var byTag = new java.util.HashMap<String, AttackCoverage.Tactic>();
    c.tactics().forEach(t -> byTag.put(t.tag(), t));
    assertThat(byTag.get("execution").techniques())
        .extracting(
            AttackCoverage.Technique::id,
            AttackCoverage.Technique::name,
            AttackCoverage.Technique::problem)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("T1059.001", "PowerShell", null),
            org.assertj.core.groups.Tuple.tuple(
                "T1086", "PowerShell", "revoked in ATT&CK: now T1059.001"));
    assertThat(byTag.get("defense_evasion").techniques())
        .extracting(AttackCoverage.Technique::id)
        .containsExactly("T1027"); // the encoded-PowerShell rule names defence evasion too
    assertThat(byTag.get("other").techniques())
        .singleElement()
        .satisfies(t -> assertThat(t.problem()).isEqualTo("not in Enterprise ATT&CK 17.1"));
    // what ATT&CK has under a tactic, what a rule covers (a sub-technique covers its technique)
    var credential = byTag.get("credential_access");
    assertThat(credential.known()).isEqualTo(3);
    assertThat(credential.covered()).isEqualTo(1);
    assertThat(credential.gaps())
        .extracting(AttackCoverage.Gap::id, AttackCoverage.Gap::name)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("T1110", "Brute Force"),
            org.assertj.core.groups.Tuple.tuple("T1555", "Credentials from Password Stores"));
    assertThat(byTag.get("execution").known()).isEqualTo(1); // revoked and deprecated left out
    assertThat(byTag.get("execution").covered()).isEqualTo(1);
    // alerts alone cover nothing
    assertThat(byTag.get("initial_access").covered()).isZero();
    assertThat(byTag.get("initial_access").gaps())
        .extracting(AttackCoverage.Gap::id)
        .containsExactly("T1190");
  }
}
