package dev.rampart.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rampart.agent.wal.AgentWal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's configuration: what it reads, and every mistake reported with its key at once. */
class AgentConfigTest {
  @TempDir Path dir;

  @Test
  void readsEverySection() throws Exception {
    Path f = dir.resolve("agent.yml");
    Files.writeString(
        f,
        """
        data: /var/lib/rampart-agent
        wal: {max_mb: 64, when_full: drop_oldest}
        fim: {paths: [/etc, /usr/bin], exclude: ["*.swp"], scan_every: 6h}
        logs:
          - {path: /var/log/auth.log, parser: syslog}
        journald: {enabled: true}
        inventory_every: 1h
        heartbeat_every: 10s
        """);
    AgentConfig c = AgentConfig.load(f);
    assertThat(c.data()).isEqualTo(Path.of("/var/lib/rampart-agent"));
    assertThat(c.wal().maxBytes()).isEqualTo(64L << 20);
    assertThat(c.wal().whenFull()).isEqualTo(AgentWal.WhenFull.DROP_OLDEST);
    assertThat(c.fim().paths()).containsExactly(Path.of("/etc"), Path.of("/usr/bin"));
    assertThat(c.fim().scanEvery()).isEqualTo(Duration.ofHours(6));
    assertThat(c.logs()).containsExactly(new AgentConfig.Log("/var/log/auth.log", "syslog"));
    assertThat(c.journald()).isEqualTo(new AgentConfig.Journald(true, "journalctl"));
    assertThat(c.inventoryEvery()).isEqualTo(Duration.ofHours(1));
    assertThat(c.scaEvery()).isEqualTo(Duration.ofHours(12));
    assertThat(c.heartbeatEvery()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void reportsEveryMistakeWithItsKey() throws Exception {
    Path f = dir.resolve("agent.yml");
    Files.writeString(
        f,
        """
        wal: {max_mb: 1, when_full: panic}
        fim: {paths: [etc], scan_evry: 6h}
        logs:
          - {parser: nosuch}
        heartbeat_every: often
        """);
    assertThatThrownBy(() -> AgentConfig.load(f))
        .isInstanceOf(AgentConfig.ConfigException.class)
        .satisfies(
            e ->
                assertThat(((AgentConfig.ConfigException) e).problems)
                    .anyMatch(p -> p.contains("data: the agent's state folder is required"))
                    .anyMatch(p -> p.contains("wal.max_mb: at least 16"))
                    .anyMatch(p -> p.contains("wal.when_full: refuse or drop_oldest"))
                    .anyMatch(p -> p.contains("fim.paths: etc is not an absolute path"))
                    .anyMatch(p -> p.contains("fim.scan_evry: unknown key"))
                    .anyMatch(p -> p.contains("logs[0].path: required"))
                    .anyMatch(p -> p.contains("logs[0].parser: no parser nosuch"))
                    .anyMatch(p -> p.contains("heartbeat_every: a duration")));
  }
}
