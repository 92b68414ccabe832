package dev.rampart.sigma.pack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.sigma.mapping.LogsourceMapping;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pack's correlation rules are checked with sequences of events, against the pack's rules. */
class RulePackCheckTest {
  static final String RULE =
      """
      title: Failed logon
      id: 00000000-0000-4000-8000-000000000001
      logsource: {product: windows, service: security}
      detection:
        selection: {EventID: 4625}
        condition: selection
      level: low
      """;
  static final String CORRELATION =
      """
      title: Three failures from one address
      id: 00000000-0000-4000-8000-000000000002
      correlation:
        type: event_count
        rules: [00000000-0000-4000-8000-000000000001]
        group-by: [IpAddress]
        timespan: 5m
        condition: {gte: 3}
      level: high
      """;

  static String event(String time, String ip) {
    return "{\"@timestamp\": \"2026-01-05T01:%s:00Z\", \"rampart.log_type\": \"windows/security\","
            .formatted(time)
        + " \"Channel\": \"Security\", \"EventID\": 4625, \"IpAddress\": \"%s\"}".formatted(ip);
  }

  @Test
  void correlationCasesAreSequencesJudgedWithThePacksRules(@TempDir Path pack) throws Exception {
    Files.writeString(pack.resolve("failed.yml"), RULE);
    Files.writeString(
        pack.resolve("failed.tests.json"),
        "{\"match\": ["
            + event("00", "10.0.0.1")
            + "], \"no_match\": ["
            + event("00", "10.0.0.1").replace("4625", "4624")
            + "]}");
    Files.writeString(pack.resolve("three.yml"), CORRELATION);
    String three =
        "["
            + event("00", "10.0.0.1")
            + ","
            + event("01", "10.0.0.1")
            + ","
            + event("04", "10.0.0.1")
            + "]";
    String spread =
        "["
            + event("00", "10.0.0.1")
            + ","
            + event("01", "10.0.0.2")
            + ","
            + event("09", "10.0.0.1")
            + "]";
    Files.writeString(
        pack.resolve("three.tests.json"),
        "{\"match\": [" + three + "], \"no_match\": [" + spread + "]}");
    RulePackCheck.Report ok = RulePackCheck.check(pack, LogsourceMapping.named("default"));
    assertThat(ok.failed()).as(ok.toString()).isZero();
    assertThat(ok.rules()).hasSize(2);
    assertThat(ok.cases()).isEqualTo(4);

    // a wrong expectation says what happened; a single event where a sequence belongs is refused
    Files.writeString(
        pack.resolve("three.tests.json"),
        "{\"match\": ["
            + spread
            + ", "
            + event("00", "10.0.0.1")
            + "], \"no_match\": ["
            + three
            + "]}");
    RulePackCheck.Report bad = RulePackCheck.check(pack, LogsourceMapping.named("default"));
    var failures =
        bad.rules().stream()
            .filter(r -> r.file().endsWith("three.yml"))
            .findFirst()
            .orElseThrow()
            .failures();
    assertThat(String.join("\n", failures))
        .contains(
            "match[0]: expected the correlation to fire; 3 events matched the rules it refers to")
        .contains("match[1]: a correlation rule's case is a list of events")
        .contains("no_match[0]: expected the correlation not to fire; 3 events matched")
        .contains("it fired on [event 0, event 1, event 2]");
  }
}
