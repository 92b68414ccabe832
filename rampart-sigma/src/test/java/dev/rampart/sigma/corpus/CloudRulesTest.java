package dev.rampart.sigma.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.event.Event;
import dev.rampart.core.testing.Corpora;
import dev.rampart.sigma.compile.SigmaEngine;
import dev.rampart.sigma.compile.SigmaMatcher;
import dev.rampart.sigma.eval.ReferenceEvaluator;
import dev.rampart.sigma.load.RuleSet;
import dev.rampart.sigma.mapping.LogsourceMapping;
import dev.rampart.sigma.rule.SigmaRule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * SigmaHQ's cloud and identity rules on cloud audit records, through the default log source
 * mapping: real Entra ID audit rows of the OTRF Golden SAML dataset, and the core module's own
 * sample records of each source. Both engines must agree on every rule and event.
 */
class CloudRulesTest {
  static final Path SAMPLES = Path.of("../rampart-core/src/test/resources/golden/normalize");

  /** The rule files (names without .yml) that fire on the events, both engines agreeing. */
  static TreeSet<String> fired(List<Event> events) throws IOException {
    RuleSet set = SigmaHq.rules();
    LogsourceMapping mapping = LogsourceMapping.defaults();
    SigmaMatcher matcher = SigmaEngine.compile(set.rules(), mapping).newMatcher();
    ReferenceEvaluator ref = new ReferenceEvaluator(mapping);
    TreeSet<String> out = new TreeSet<>();
    for (Event e : events) {
      TreeSet<Integer> compiled = new TreeSet<>();
      int n = matcher.match(e);
      for (int i = 0; i < n; i++) {
        compiled.add(matcher.matched(i));
      }
      for (int i = 0; i < set.rules().size(); i++) {
        SigmaRule r = set.rules().get(i);
        boolean reference = ref.matches(r, e);
        assertThat(compiled.contains(i)).as("%s on %s", r.title(), e).isEqualTo(reference);
        if (reference) {
          String file = String.valueOf(r.file());
          out.add(file.substring(file.lastIndexOf('/') + 1).replace(".yml", ""));
        }
      }
    }
    return out;
  }

  @Test
  void realEntraIdAuditRowsFireTheApplicationRules() throws IOException {
    Path zip =
        Corpora.require(
            "otrf-security-datasets/datasets/compound/GoldenSAMLADFSMailAccess/AADAuditEvents.Zip");
    Path tmp = java.nio.file.Files.createTempFile("aad", ".json");
    try (ZipFile z = new ZipFile(zip.toFile());
        var in = z.getInputStream(z.getEntry("AADAuditEvents.json"))) {
      java.nio.file.Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      List<Event> events = SigmaHq.events(tmp);
      assertThat(events).allMatch(e -> e.source().logType().equals("azure/auditlogs"));
      // a secret added to SimuLandApp (the row is there twice), the application updated, and a
      // delegated permission granted, which two rules watch
      assertThat(fired(events))
          .containsExactly(
              "azure_app_appid_uri_changes",
              "azure_app_credential_added",
              "azure_app_delegated_permissions_all_users",
              "azure_app_permissions_msft");
    } finally {
      java.nio.file.Files.deleteIfExists(tmp);
    }
  }

  @Test
  void eachSourcesSampleFiresItsRules() throws IOException {
    // (the countries rules come from rules-placeholder, with the test placeholders' locations)
    java.util.Map<String, List<String>> expected =
        java.util.Map.of(
            "azure-export",
            List.of(
                "azure_ad_failed_auth_from_countries_you_do_not_operate_out_of",
                "azure_ad_user_added_to_admin_role"),
            "azure-analytics",
            List.of(
                "azure_ad_authentications_from_countries_you_do_not_operate_out_of",
                "azure_ad_failed_auth_from_countries_you_do_not_operate_out_of",
                "azure_ad_only_single_factor_auth_required",
                "azure_ad_suspicious_signin_bypassing_mfa"),
            "m365",
            List.of("microsoft365_disabling_mfa"),
            "gcp-audit",
            List.of("gcp_kubernetes_secrets_modified_or_deleted"),
            "okta",
            List.of("okta_mfa_reset_or_deactivated"),
            "github-audit",
            List.of("github_delete_action_invoked", "github_new_org_member"),
            "kubernetes-audit",
            List.of(
                "kubernetes_audit_exec_into_container",
                "kubernetes_audit_secrets_enumeration",
                "kubernetes_audit_unauthorized_unauthenticated_actions"));
    for (var e : new java.util.TreeMap<>(expected).entrySet()) {
      assertThat(fired(SigmaHq.events(SAMPLES.resolve(e.getKey() + ".log"))))
          .as(e.getKey())
          .containsExactlyElementsOf(e.getValue());
    }
  }
}
