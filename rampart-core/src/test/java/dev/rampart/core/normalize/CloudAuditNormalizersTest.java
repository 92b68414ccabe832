package dev.rampart.core.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.Timestamps;
import dev.rampart.core.io.InputFiles;
import dev.rampart.core.io.Problems;
import dev.rampart.core.json.JsonEventReader;
import dev.rampart.core.json.ReadOptions;
import dev.rampart.core.testing.Golden;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cloud and identity audit logs (our own sample records, written from each vendor's documented
 * schema): each shape is recognised, keeps its native names, gains ECS and its log type, which is
 * what routes Sigma's cloud rules to it. The real Entra ID and Office 365 rows of the OTRF corpus
 * are golden cases of {@link CorpusGoldenTest}.
 */
class CloudAuditNormalizersTest {
  static final Path DIR = Path.of("src/test/resources/golden/normalize");

  @ParameterizedTest
  @ValueSource(
      strings = {
        "azure-export",
        "azure-analytics",
        "m365",
        "gcp-audit",
        "okta",
        "github-audit",
        "kubernetes-audit"
      })
  void golden(String name) throws IOException {
    Golden.assertMatches(
        "golden/normalize/" + name + ".expected.json",
        WindowsNormalizerTest.normalizeFile(DIR.resolve(name + ".log")));
  }

  /** The events of a sample file, each with the normalizer that recognised it. */
  static List<Event> read(String name, Class<? extends Normalizer> expected) throws IOException {
    List<Event> out = new ArrayList<>();
    Problems problems = new Problems(10);
    try (JsonEventReader r =
        new JsonEventReader(
            InputFiles.open(DIR.resolve(name + ".log")), name, ReadOptions.DEFAULTS, problems)) {
      Event e = new Event();
      while (r.next(e)) {
        assertThat(Normalizers.normalize(e)).as(name).isInstanceOf(expected);
        assertThat(e.hasTimestamp()).as(name).isTrue();
        out.add(e.copy());
      }
    }
    assertThat(problems.kept()).isEmpty();
    return out;
  }

  @Test
  void azureMonitorExportsUnwrapTheirRecordsAndTellTheThreeLogsApart() throws IOException {
    List<Event> events = read("azure-export", AzureNormalizer.class);
    assertThat(events)
        .extracting(e -> e.source().logType())
        .containsExactly("azure/signinlogs", "azure/auditlogs", "azure/activitylogs");
    Event signin = events.get(0);
    assertThat(signin.getText("user.name")).isEqualTo("dana@corp.example");
    assertThat(signin.getText("source.ip")).isEqualTo("198.51.100.23");
    assertThat(signin.getText("event.outcome")).isEqualTo("failure"); // resultType 50126
    assertThat(signin.getText("properties.deviceDetail.trustType")).isEmpty();
    assertThat(signin.getText("source.geo.country_iso_code")).isEqualTo("NL");
    assertThat(Timestamps.format(signin.timestamp())).isEqualTo("2026-11-28T07:58:12.123456700Z");
    Event audit = events.get(1);
    assertThat(audit.getText("event.action")).isEqualTo("Add member to role");
    assertThat(audit.getText("user.name")).isEqualTo("it-admin@corp.example");
    assertThat(audit.getText("source.ip")).isEqualTo("203.0.113.77");
    assertThat(audit.getText("event.outcome")).isEqualTo("success");
    assertThat(audit.getText("event.type")).isEqualTo("[creation]");
    Event activity = events.get(2);
    assertThat(activity.getText("event.action"))
        .isEqualTo("MICROSOFT.COMPUTE/VIRTUALMACHINES/DELETE");
    assertThat(activity.getText("user.name")).isEqualTo("it-admin@corp.example");
    assertThat(activity.getText("cloud.account.id"))
        .isEqualTo("11111111-2222-4333-8444-555555555555");
    assertThat(activity.getText("event.type")).isEqualTo("[deletion]");
  }

  @Test
  void logAnalyticsRowsExpandTheirJsonColumns() throws IOException {
    List<Event> events = read("azure-analytics", AzureNormalizer.class);
    Event signin = events.get(0);
    assertThat(signin.source().logType()).isEqualTo("azure/signinlogs");
    assertThat(signin.getText("event.outcome")).isEqualTo("success"); // ResultType "0"
    assertThat(signin.getText("DeviceDetail.trustType")).isEmpty();
    assertThat(signin.getText("DeviceDetail.operatingSystem")).isEqualTo("Ios");
    assertThat(signin.getText("DeviceDetail")).startsWith("{"); // the column stays as it came
    assertThat(signin.getText("user_agent.original")).isEqualTo("BAV2ROPC");
    Event activity = events.get(1);
    assertThat(activity.source().logType()).isEqualTo("azure/activitylogs");
    assertThat(activity.getText("event.outcome")).isEqualTo("failure");
    assertThat(activity.getText("event.type")).isEqualTo("[access]");
    assertThat(activity.getText("user.name")).isEqualTo("ci-runner@corp.example");
  }

  @Test
  void m365RecordsTakeTheirUtcTimeAndTheAddressWithoutItsPort() throws IOException {
    List<Event> events = read("m365", M365Normalizer.class);
    assertThat(events).allMatch(e -> e.source().logType().equals("m365/audit"));
    Event login = events.get(0);
    assertThat(Timestamps.format(login.timestamp())).isEqualTo("2026-11-28T10:05:33Z");
    assertThat(login.getText("source.ip")).isEqualTo("2001:db8::7");
    assertThat(login.getText("event.category")).isEqualTo("[authentication]");
    assertThat(login.getText("event.outcome")).isEqualTo("success");
    assertThat(events.get(1).getText("event.action")).isEqualTo("Disable Strong Authentication.");
    Event rule = events.get(2);
    assertThat(rule.getText("event.provider")).isEqualTo("Exchange");
    assertThat(rule.getText("source.ip")).isEqualTo("192.0.2.140");
    assertThat(rule.getText("event.outcome")).isEqualTo("success"); // ResultStatus "True"
  }

  @Test
  void gcpAuditEntriesAtTheTopOrInsidePubSubData() throws IOException {
    List<Event> events = read("gcp-audit", GcpAuditNormalizer.class);
    Event delete = events.get(0);
    assertThat(delete.source().logType()).isEqualTo("gcp/audit");
    assertThat(delete.getText("event.action")).isEqualTo("io.k8s.core.v1.secrets.delete");
    assertThat(delete.getText("user.email")).isEqualTo("deploy@shop-prod.iam.gserviceaccount.com");
    assertThat(delete.getText("cloud.project.id")).isEqualTo("shop-prod");
    assertThat(delete.getText("event.outcome")).isEqualTo("success");
    assertThat(delete.getText("event.type")).isEqualTo("[deletion]");
    Event denied = events.get(1);
    assertThat(denied.getText("event.action")).isEqualTo("SetIamPolicy");
    assertThat(denied.getText("event.outcome")).isEqualTo("failure"); // status code 7
    assertThat(denied.getText("event.category")).isEqualTo("[iam]");
    assertThat(denied.getText("source.ip")).isEqualTo("203.0.113.9");
  }

  @Test
  void oktaGitHubAndKubernetes() throws IOException {
    List<Event> okta = read("okta", OktaNormalizer.class);
    assertThat(okta.get(0).getText("event.action")).isEqualTo("user.mfa.factor.reset_all");
    assertThat(okta.get(0).getText("user.name")).isEqualTo("it-admin@corp.example");
    assertThat(okta.get(1).getText("event.outcome")).isEqualTo("failure");
    assertThat(okta.get(1).getText("event.category")).isEqualTo("[authentication]");
    assertThat(okta).allMatch(e -> e.source().logType().equals("okta/system"));

    List<Event> github = read("github-audit", GitHubAuditNormalizer.class);
    assertThat(github.get(0).getText("user.name")).isEqualTo("mallory-dev");
    assertThat(github.get(0).getText("organization.name")).isEqualTo("corp-eng");
    assertThat(Timestamps.format(github.get(1).timestamp()))
        .isEqualTo(Timestamps.format(1_796_040_300_456L * 1_000_000L));
    assertThat(github.get(1).getText("user.target.name")).isEqualTo("new-hire");

    List<Event> k8s = read("kubernetes-audit", KubernetesAuditNormalizer.class);
    assertThat(k8s.get(0).getText("user.name")).isEqualTo("dev@corp.example");
    assertThat(k8s.get(0).getText("source.ip")).isEqualTo("198.51.100.88");
    assertThat(k8s.get(0).getText("event.outcome")).isEqualTo("success"); // 101 switching
    assertThat(k8s.get(1).getText("event.outcome")).isEqualTo("failure"); // 403
    assertThat(k8s.get(1).getText("objectRef.resource")).isEqualTo("secrets");
  }

  @Test
  void lookalikesAreLeftAlone() throws IOException {
    String[] json = {
      "{\"action\":\"login\",\"actor\":\"bob\"}", // a GitHub-like pair without GitHub's ids
      "{\"kind\":\"Event\",\"verb\":\"get\",\"apiVersion\":\"v1\"}", // a core/v1 Event object
      "{\"Operation\":\"x\",\"Type\":\"Other\"}",
      "{\"eventType\":\"x\",\"uuid\":\"u\",\"published\":\"2026-01-01T00:00:00Z\"}",
      "{\"protoPayload\":{\"@type\":\"type.googleapis.com/google.cloud.audit.Other\"}}",
      "{\"Type\":\"SecurityEvent\",\"TimeGenerated\":\"2026-01-01T00:00:00Z\"}",
    };
    for (String j : json) {
      try (JsonEventReader r =
          new JsonEventReader(
              j.getBytes(java.nio.charset.StandardCharsets.UTF_8),
              "t",
              ReadOptions.DEFAULTS,
              new Problems(1))) {
        Event e = new Event();
        assertThat(r.next(e)).isTrue();
        Normalizer n = Normalizers.normalize(e);
        assertThat(n == null || n instanceof TimestampNormalizer).as(j).isTrue();
        assertThat(e.source().logType()).as(j).isEmpty();
      }
    }
  }
}
