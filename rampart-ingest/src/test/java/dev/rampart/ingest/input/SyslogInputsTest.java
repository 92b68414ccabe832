package dev.rampart.ingest.input;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.event.Event;
import dev.rampart.core.io.Problems;
import dev.rampart.ingest.pipeline.Pipeline;
import dev.rampart.ingest.spool.Spool;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Syslog over real sockets on 127.0.0.1 into the spool, both framings, UDP, dead letters. */
class SyslogInputsTest {
  @TempDir Path dir;

  @Test
  void tcpAndUdpMessagesReachTheSpoolAndBadOnesTheDeadLetterFile() throws Exception {
    InetAddress lo = InetAddress.getLoopbackAddress();
    Path deadLetter = dir.resolve("dead-letter.ndjson");
    List<String> messages = new ArrayList<>();
    try (Spool spool =
        Spool.open(dir.resolve("spool"), Spool.Options.defaults(), new Problems(10))) {
      Pipeline pipeline =
          new Pipeline(spool, deadLetter, new Pipeline.Options("syslog", 1024, 2, 64));
      try (pipeline;
          SyslogTcpInput tcp = new SyslogTcpInput("syslog-tcp", lo, 0, pipeline);
          SyslogUdpInput udp = new SyslogUdpInput("syslog-udp", lo, 0, pipeline)) {
        try (Socket s = new Socket(lo, tcp.port());
            OutputStream out = s.getOutputStream()) {
          StringBuilder sb = new StringBuilder();
          for (int i = 0; i < 1000; i++) {
            sb.append(
                    "<38>Nov 28 08:15:34 bastion-01 sshd[811]: Failed password for root from 203.0.113.9 port ")
                .append(40000 + i)
                .append(" ssh2\n");
          }
          String multi = "<13>1 2026-11-28T08:15:32Z host app - - - first line\nsecond line";
          byte[] framed = multi.getBytes(StandardCharsets.UTF_8);
          sb.append(framed.length).append(' ').append(multi);
          sb.append("<999>this is not syslog\n");
          sb.append("2026-11-28T08:15:38Z node-7 kernel: digits first, LF framing\n");
          out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        try (DatagramSocket client = new DatagramSocket()) {
          for (int i = 0; i < 20; i++) {
            byte[] b = ("<13>Nov 28 08:15:36 host su: udp " + i).getBytes(StandardCharsets.UTF_8);
            client.send(new DatagramPacket(b, b.length, lo, udp.port()));
          }
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (pipeline.parsed.get() + pipeline.failed.get() < 1023
            && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertThat(pipeline.dropped.get()).isZero();
      }
      spool.read(
          spool.start(), (Event e, long off, long next) -> messages.add(e.getText("message")));
    }
    assertThat(messages).hasSize(1022);
    assertThat(messages).contains("first line\nsecond line", "udp 19", "digits first, LF framing");
    assertThat(Files.readString(deadLetter))
        .contains("priority 999 is above 191", "\"input\":\"syslog-tcp\"");
  }
}
