package dev.rampart.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.alerting.alert.Alert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rampart entity}: a host's or user's page from a data folder, as text or the API's JSON.
 */
class EntityCliTest {
  @TempDir Path dir;

  @Test
  void activityIsOneLineOfAtMostItsWidthBetweenItsFirstAndLastDay() {
    long day = 86_400_000_000_000L;
    long start = java.time.LocalDate.of(2026, 1, 1).toEpochDay() * day;
    List<dev.rampart.server.entity.EntityProfiles.Bucket> days = new java.util.ArrayList<>();
    for (int i = 0; i < 120; i++) {
      days.add(
          new dev.rampart.server.entity.EntityProfiles.Bucket(start + i * day, i < 60 ? 0 : i));
    }
    String line = dev.rampart.cli.entity.EntityCommand.spark(days, 60);
    assertThat(line).startsWith("2026-01-01 ").endsWith(" 2026-04-30").hasSize(11 + 60 + 11);
    assertThat(line.substring(11, 41)).isBlank(); // two quiet days a column
    assertThat(line.charAt(70)).isEqualTo('█');
    assertThat(dev.rampart.cli.entity.EntityCommand.spark(days.subList(0, 3), 60))
        .isEqualTo("2026-01-01     2026-01-03");
  }

  @Test
  void aHostAndAUserFromADataFolder() throws Exception {
    long now = System.currentTimeMillis() * 1_000_000L;
    try (dev.rampart.cases.CaseStore cases =
        dev.rampart.cases.CaseStore.open("jdbc:sqlite:" + dir.resolve("cases.db"))) {
      new dev.rampart.cases.triage.Triage(cases, dev.rampart.cases.triage.AlertPolicy.defaults())
          .accept(
              List.of(
                  new Alert(
                      "a1",
                      "rule-brute",
                      "SSH brute force",
                      "high",
                      List.of(),
                      List.of("T1110"),
                      List.of(),
                      now,
                      now + 1,
                      Map.of(),
                      new Alert.Entities("WS-07", "alice", "203.0.113.7", "sshd"),
                      null)));
    }
    Path events = dir.resolve("events.ndjson");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      sb.append("{\"@timestamp\":\"")
          .append(Instant.now().minusSeconds(3600L * i))
          .append("\",\"host.name\":\"")
          .append(i < 3 ? "ws-07" : "ws-08")
          .append("\",\"user.name\":\"alice\",\"process.name\":\"sshd\",")
          .append("\"source.ip\":\"203.0.113.7\"}\n");
    }
    Files.writeString(events, sb);
    assertThat(Run.of("store", "import", events.toString(), "--data", dir.toString()).code())
        .isZero();

    Run host = Run.of("entity", "host", "WS-07", "--data", dir.toString());
    assertThat(host.code()).as(host.err()).isZero();
    assertThat(host.out())
        .startsWith("Host WS-07, ")
        .contains("Events     3, last ", "users     alice 3", "processes sshd 3")
        .contains("Alerts     1 (high 1), 1 not acknowledged", "SSH brute force  [incident ")
        .contains("Incidents  1", "SSH brute force on WS-07");
    Run user =
        Run.of("entity", "user", "alice", "--from", "-30d", "--json", "--data", dir.toString());
    assertThat(user.code()).as(user.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(user.out());
    assertThat(j.at("/events/count").asLong()).isEqualTo(5);
    assertThat(j.at("/events/hosts/0/value").asText()).isEqualTo("ws-07");
    assertThat(j.at("/events/source_ips/0/value").asText()).isEqualTo("203.0.113.7");
    assertThat(j.at("/alerts/total").asLong()).isEqualTo(1);

    // reading the folder made no tables of parts it never had (it may be a copy kept as evidence)
    try (dev.rampart.cases.CaseStore cases =
        dev.rampart.cases.CaseStore.open("jdbc:sqlite:" + dir.resolve("cases.db"))) {
      for (String t :
          List.of("flyway_vuln_history", "flyway_agents_history", "flyway_prevention_history")) {
        assertThat(cases.db().hasTable(t)).as(t).isFalse();
      }
      assertThat(cases.db().hasTable("alerts")).isTrue();
    }

    Run ip = Run.of("entity", "ip", "203.0.113.7", "--data", dir.toString());
    assertThat(ip.code()).as(ip.err()).isZero();
    assertThat(ip.out())
        .startsWith("Address 203.0.113.7, ")
        .contains("Events     5", "hosts     ws-07 3, ws-08 2", "users     alice 5")
        .contains("Alerts     1 (high 1)", "Incidents  1");

    assertThat(Run.of("entity", "printer", "x", "--data", dir.toString()).code())
        .isEqualTo(ExitCodes.USAGE);
    Run notAnAddress = Run.of("entity", "ip", "ws-07", "--data", dir.toString());
    assertThat(notAnAddress.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(notAnAddress.err()).contains("'ws-07' is not an IPv4 or IPv6 address");
    // events imported into a folder of their own, without a server's case database
    Path bare = dir.resolve("bare");
    assertThat(Run.of("store", "import", events.toString(), "--data", bare.toString()).code())
        .isZero();
    Run eventsOnly = Run.of("entity", "host", "ws-08", "--data", bare.toString());
    assertThat(eventsOnly.code()).as(eventsOnly.err()).isZero();
    assertThat(eventsOnly.out()).contains("Events     2").doesNotContain("Alerts");
    assertThat(eventsOnly.err()).contains("no case database in ", "events only");
    assertThat(bare.resolve("cases.db")).doesNotExist();
    Run empty = Run.of("entity", "host", "x", "--data", dir.resolve("nowhere").toString());
    assertThat(empty.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(empty.err()).contains("--data");
  }
}
