package dev.rampart.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.cases.incident.Incident;
import dev.rampart.cases.incident.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SLA timer an incident shows: acknowledgement until acknowledged, then resolution. */
class SlaTimerTest {
  static final long T = 1_767_571_200_000L; // 2026-01-05T00:00:00Z
  static final long MIN = 60_000L;

  static Incident incident(Long acknowledgedAt, Long resolvedAt) {
    return new Incident(
        "i1",
        "t",
        Status.NEW,
        "high",
        null,
        "ws-07",
        null,
        T,
        T,
        acknowledgedAt,
        resolvedAt,
        null,
        T + 15 * MIN,
        T + 24 * 60 * MIN,
        List.of(),
        null);
  }

  @Test
  void theTimerThatRunsInWordsAndInFull() {
    Incident fresh = incident(null, null);
    assertThat(Console.dueShort(fresh, T + 3 * MIN)).isEqualTo("ack in 12 min");
    assertThat(Console.dueShort(fresh, T + 3 * 60 * MIN)).isEqualTo("ack 2 h overdue");
    assertThat(Console.due(fresh, T + 3 * MIN))
        .isEqualTo("acknowledge by 2026-01-05 00:15:00 UTC (in 12 min)");
    Incident acknowledged = incident(T + 5 * MIN, null);
    assertThat(Console.dueShort(acknowledged, T + 60 * MIN)).isEqualTo("resolve in 23 h");
    assertThat(Console.due(acknowledged, T + 26 * 60 * MIN))
        .isEqualTo("resolve was due 2026-01-06 00:00:00 UTC (2 h ago)");
    Incident resolved = incident(T + 5 * MIN, T + 60 * MIN);
    assertThat(Console.dueShort(resolved, T + 26 * 60 * MIN)).isEmpty();
    assertThat(Console.due(resolved, T + 26 * 60 * MIN)).isNull();
  }
}
