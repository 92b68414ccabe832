package dev.rampart.ingest.input;

import dev.rampart.ingest.pipeline.Pipeline;
import java.io.Closeable;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Syslog over UDP: one datagram, one message. UDP cannot be flow-controlled, so when the queue is
 * full the message is dropped and counted ({@link Pipeline#dropped}); the count is visible in
 * metrics and the summary, never silent.
 */
public final class SyslogUdpInput implements Closeable {
  private final DatagramSocket socket;
  private final Pipeline pipeline;
  private final String name;
  private final Thread reader;

  public SyslogUdpInput(String name, InetAddress bind, int port, Pipeline pipeline)
      throws IOException {
    this.name = name;
    this.pipeline = pipeline;
    this.socket = new DatagramSocket(new InetSocketAddress(bind, port));
    socket.setReceiveBufferSize(4 << 20);
    this.reader = Thread.ofPlatform().name(name + "-udp").daemon(true).start(this::loop);
  }

  public int port() {
    return socket.getLocalPort();
  }

  private void loop() {
    byte[] buf = new byte[65_535];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    while (!socket.isClosed()) {
      try {
        socket.receive(p);
        int end = p.getLength();
        while (end > 0 && (buf[end - 1] == '\n' || buf[end - 1] == '\r' || buf[end - 1] == 0)) {
          end--;
        }
        if (end > 0) {
          pipeline.offer(
              new Pipeline.Message(
                  new String(buf, 0, end, StandardCharsets.UTF_8),
                  name,
                  p.getAddress().getHostAddress(),
                  null));
        }
      } catch (IOException e) {
        return;
      }
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
