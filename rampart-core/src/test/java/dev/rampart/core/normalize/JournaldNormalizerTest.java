package dev.rampart.core.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.event.Event;
import dev.rampart.core.testing.Golden;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * journalctl's JSON (our own sample entries): recognised, native names kept, ECS added, a value
 * written as its bytes decoded, and the log type a syslog line of the same program gets.
 */
class JournaldNormalizerTest {
  @Test
  void golden() throws IOException {
    Golden.assertMatches(
        "golden/normalize/journald.expected.json",
        WindowsNormalizerTest.normalizeFile(CloudAuditNormalizersTest.DIR.resolve("journald.log")));
  }

  @Test
  void entriesGetTheLogTypesOfTheirPrograms() throws IOException {
    List<Event> events = CloudAuditNormalizersTest.read("journald", JournaldNormalizer.class);
    assertThat(events)
        .extracting(e -> e.source().logType())
        .containsExactly("linux/auth", "linux/auth", "linux/syslog");
    Event sshd = events.get(0);
    assertThat(sshd.getText("message")).startsWith("Failed password for root");
    assertThat(sshd.getText("process.name")).isEqualTo("sshd");
    assertThat(sshd.getText("process.pid")).isEqualTo("812");
    assertThat(sshd.getText("host.name")).isEqualTo("bastion");
    assertThat(sshd.timestamp()).isEqualTo(1_764_317_736_123_456_000L);
    // sudo's message had a byte that is not UTF-8: journalctl wrote the bytes
    assertThat(events.get(1).getText("message"))
        .startsWith("alice : TTY=pts/0")
        .contains("COMMAND=/usr/bin/id");
  }
}
