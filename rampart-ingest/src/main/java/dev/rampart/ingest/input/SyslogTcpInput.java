package dev.rampart.ingest.input;

import dev.rampart.ingest.pipeline.Pipeline;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Syslog over TCP (RFC 6587): each connection on its own virtual thread, split into messages by
 * {@link SyslogFramer} (octet counting or newline-delimited, detected per message). Messages go to
 * the pipeline with {@link Pipeline#submit}, so a full queue stops reading and TCP pushes back on
 * the sender. Frames larger than the limit are cut and counted.
 */
public final class SyslogTcpInput implements Closeable {
  public static final int MAX_FRAME = 256 << 10;

  private final ServerSocket server;
  private final Pipeline pipeline;
  private final String name;
  private final Thread acceptor;
  public final AtomicLong connections = new AtomicLong();
  public final AtomicLong oversized = new AtomicLong();

  public SyslogTcpInput(String name, InetAddress bind, int port, Pipeline pipeline)
      throws IOException {
    this(name, bind, port, null, pipeline);
  }

  /**
   * With {@code tls} non-null the input speaks syslog over TLS (RFC 5425: TLS 1.2 or 1.3, then the
   * same framing); the handshake runs on the connection's own thread.
   */
  public SyslogTcpInput(
      String name, InetAddress bind, int port, javax.net.ssl.SSLContext tls, Pipeline pipeline)
      throws IOException {
    this.name = name;
    this.pipeline = pipeline;
    if (tls != null) {
      javax.net.ssl.SSLServerSocket ssl =
          (javax.net.ssl.SSLServerSocket) tls.getServerSocketFactory().createServerSocket();
      ssl.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
      this.server = ssl;
    } else {
      this.server = new ServerSocket();
    }
    server.bind(new InetSocketAddress(bind, port), 1024);
    this.acceptor = Thread.ofVirtual().name(name + "-accept").start(this::acceptLoop);
  }

  public int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        connections.incrementAndGet();
        Thread.ofVirtual().name(name + "-conn").start(() -> serve(s));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket s) {
    String peer = s.getInetAddress().getHostAddress();
    SyslogFramer framer = new SyslogFramer(MAX_FRAME, oversized);
    try (s;
        InputStream in = s.getInputStream()) {
      framer.run(
          in,
          (buf, off, len) ->
              pipeline.submit(
                  new Pipeline.Message(
                      new String(buf, off, len, StandardCharsets.UTF_8), name, peer, null)));
    } catch (IOException e) {
      // connection reset: what was submitted stays submitted
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    acceptor.interrupt();
  }
}
