package dev.rampart.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.agent.logs.JournalInput;
import dev.rampart.agent.wal.AgentWal;
import dev.rampart.core.event.Event;
import dev.rampart.core.io.ProblemSink;
import dev.rampart.ingest.spool.EventCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal input against a stand-in {@code journalctl} (a real process writing journalctl's
 * JSON): fields mapped, binary messages decoded, bad lines skipped and counted, the cursor kept
 * after the log is durable and a restart continuing after it.
 */
class JournalInputTest {
  @TempDir Path dir;

  Path fakeJournalctl() throws Exception {
    Path f = dir.resolve("journalctl");
    Files.writeString(
        f,
        """
        #!/bin/sh
        after=""
        for a in "$@"; do case "$a" in --after-cursor=*) after="${a#--after-cursor=}";; esac; done
        echo "$@" >> "$(dirname "$0")/args.log"
        if [ -z "$after" ]; then
          echo '{"__CURSOR":"c1","__REALTIME_TIMESTAMP":"1700000000000000","_HOSTNAME":"web-01","SYSLOG_IDENTIFIER":"sshd","_PID":"42","PRIORITY":"6","_SYSTEMD_UNIT":"ssh.service","MESSAGE":"Accepted publickey for alice"}'
          echo 'not json'
          echo '{"__CURSOR":"c2","__REALTIME_TIMESTAMP":"1700000001000000","_HOSTNAME":"web-01","_COMM":"kernel","MESSAGE":[104,105,255]}'
        elif [ "$after" = "c2" ]; then
          echo '{"__CURSOR":"c3","__REALTIME_TIMESTAMP":"1700000002000000","_HOSTNAME":"web-01","SYSLOG_IDENTIFIER":"sudo","MESSAGE":"alice : COMMAND=/bin/sh"}'
        fi
        exec sleep 600
        """);
    f.toFile().setExecutable(true);
    return f;
  }

  static List<Event> events(AgentWal wal) throws Exception {
    List<Event> out = new ArrayList<>();
    for (AgentWal.Record r : wal.read(0, 100)) {
      Event e = new Event();
      EventCodec.decode(r.data(), 0, r.data().length, e);
      out.add(e);
    }
    return out;
  }

  static void await(AgentWal wal, int n) throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    while (wal.read(0, 100).size() < n && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
  }

  @Test
  void entriesArriveMappedAndARestartContinuesAfterTheCursor() throws Exception {
    Path cmd = fakeJournalctl();
    Path cursor = dir.resolve("journald.cursor");
    try (AgentWal wal =
        AgentWal.open(dir.resolve("wal"), AgentWal.Options.DEFAULTS, ProblemSink.IGNORE)) {
      JournalInput in = new JournalInput(cmd.toString(), cursor, wal, "fallback", m -> {});
      await(wal, 2);
      long deadline = System.currentTimeMillis() + 5000;
      while (!Files.exists(cursor) && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      in.close();
      assertThat(in.skipped.get()).isEqualTo(1);
      assertThat(Files.readString(cursor)).isEqualTo("c2");
      List<Event> got = events(wal);
      assertThat(got).hasSize(2);
      Event first = got.get(0);
      assertThat(first.getText("message")).isEqualTo("Accepted publickey for alice");
      assertThat(first.getText("process.name")).isEqualTo("sshd");
      assertThat(first.getText("process.pid")).isEqualTo("42");
      assertThat(first.getText("systemd.unit")).isEqualTo("ssh.service");
      // mapped as the server maps a journal export: native fields stay beside ECS
      assertThat(first.getText("SYSLOG_IDENTIFIER")).isEqualTo("sshd");
      assertThat(first.getText("__CURSOR")).isEqualTo("c1");
      assertThat(first.source().input()).isEqualTo(dev.rampart.agent.AgentEvents.INPUT);
      assertThat(first.source().host()).isEqualTo("web-01");
      assertThat(first.getText("log.syslog.severity.code")).isEqualTo("6");
      assertThat(first.source().logType()).isEqualTo("linux/auth"); // as sshd's syslog lines
      assertThat(got.get(1).source().logType()).isEqualTo("linux/syslog");
      assertThat(first.timestamp()).isEqualTo(1_700_000_000_000_000_000L);
      assertThat(got.get(1).getText("process.name")).isEqualTo("kernel");
      assertThat(got.get(1).getText("message")).startsWith("hi");

      JournalInput again = new JournalInput(cmd.toString(), cursor, wal, "fallback", m -> {});
      await(wal, 3);
      again.close();
      got = events(wal);
      assertThat(got).hasSize(3);
      assertThat(got.get(2).getText("process.name")).isEqualTo("sudo");
    }
    assertThat(Files.readAllLines(dir.resolve("args.log")))
        .satisfiesExactly(
            first -> assertThat(first).contains("--follow").contains("--lines=0"),
            second -> assertThat(second).contains("--after-cursor=c2"));
  }
}
