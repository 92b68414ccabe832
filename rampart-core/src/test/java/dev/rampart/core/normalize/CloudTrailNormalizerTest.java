package dev.rampart.core.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.event.Event;
import dev.rampart.core.io.Problems;
import dev.rampart.core.json.JsonEventReader;
import dev.rampart.core.json.ReadOptions;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A CloudTrail file as S3 delivers it ({"Records": [...]}, our own sample records): the reader
 * yields each record as an event with its line, and the normalizer adds ECS and the log type.
 */
class CloudTrailNormalizerTest {
  @Test
  void recordsOfAWholeFileBecomeNormalizedEvents() throws IOException {
    Problems problems = new Problems(10);
    List<Event> events = new ArrayList<>();
    List<Long> lines = new ArrayList<>();
    try (InputStream in = getClass().getResourceAsStream("/cloudtrail/records.json");
        JsonEventReader r =
            new JsonEventReader(in, "records.json", ReadOptions.DEFAULTS, problems)) {
      Event e = new Event();
      while (r.next(e)) {
        assertThat(Normalizers.normalize(e)).isInstanceOf(CloudTrailNormalizer.class);
        events.add(e.copy());
        lines.add(r.recordLine());
      }
    }
    assertThat(problems.kept()).isEmpty();
    assertThat(events).hasSize(3);
    assertThat(lines).containsExactly(3L, 20L, 34L);
    Event login = events.get(0);
    assertThat(login.source().logType()).isEqualTo("aws/cloudtrail");
    assertThat(login.getText("event.action")).isEqualTo("ConsoleLogin");
    assertThat(login.getText("event.outcome")).isEqualTo("failure");
    assertThat(login.getText("user.name")).isEqualTo("alice");
    assertThat(login.getText("source.ip")).isEqualTo("203.0.113.9");
    assertThat(login.getText("cloud.region")).isEqualTo("us-east-1");
    assertThat(login.getText("@timestamp")).isNull(); // the time is the event's, not a field
    assertThat(dev.rampart.core.event.Timestamps.format(login.timestamp()))
        .isEqualTo("2026-11-28T08:15:30Z");
    Event delete = events.get(1);
    assertThat(delete.getText("user.name")).isEqualTo("ops");
    assertThat(delete.getText("event.outcome")).isEqualTo("success");
    assertThat(delete.getText("requestParameters.bucketName")).isEqualTo("audit-logs");
    Event service = events.get(2);
    assertThat(service.getText("source.ip")).isNull();
    assertThat(service.getText("source.domain")).isEqualTo("cloudtrail.amazonaws.com");
  }

  @Test
  void anObjectThatOnlyStartsLikeAWrapperIsAnEvent() throws IOException {
    byte[] json =
        "{\"Recordsx\": [1]}\n{\"a\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    List<Event> events = new ArrayList<>();
    try (JsonEventReader r =
        new JsonEventReader(json, "t", ReadOptions.DEFAULTS, new Problems(10))) {
      Event e = new Event();
      while (r.next(e)) {
        events.add(e.copy());
      }
    }
    assertThat(events).hasSize(2);
  }
}
