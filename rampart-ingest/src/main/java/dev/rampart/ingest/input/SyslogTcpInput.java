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
 * Syslog over TCP (RFC 6587): each connection on its own virtual thread, framing detected per
 * message: octet counting ({@code 123 <34>1 ...}) when a frame starts with a digit, else
 * newline-delimited. Messages go to the pipeline with {@link Pipeline#submit}, so a full queue
 * stops reading and TCP pushes back on the sender. Frames larger than the limit are cut and
 * counted.
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
    try (s;
        InputStream in = new Bytes(s.getInputStream())) {
      byte[] frame = new byte[MAX_FRAME];
      while (true) {
        int c = in.read();
        while (c == '\n' || c == '\r' || c == 0) {
          c = in.read();
        }
        if (c < 0) {
          return;
        }
        int n = 0;
        if (c >= '0' && c <= '9') {
          // Octet counting: digits, a space, then exactly that many bytes. The digits are kept in
          // the frame in case no space follows (a newline-framed message starting with a digit).
          long len = 0;
          while (c >= '0' && c <= '9' && n < 12) {
            frame[n++] = (byte) c;
            len = len * 10 + (c - '0');
            c = in.read();
          }
          if (c == ' ') {
            n = 0;
            for (long remaining = len; remaining > 0; remaining--) {
              int b = in.read();
              if (b < 0) {
                return; // cut off mid-frame: never acknowledged, nothing half-stored
              }
              if (n < MAX_FRAME) {
                frame[n++] = (byte) b;
              }
            }
            if (len > MAX_FRAME) {
              oversized.incrementAndGet();
            }
            submit(frame, n, peer);
            continue;
          }
        }
        while (c >= 0 && c != '\n') {
          if (n < MAX_FRAME) {
            frame[n++] = (byte) c;
          } else if (n == MAX_FRAME) {
            oversized.incrementAndGet();
            n++;
          }
          c = in.read();
        }
        submit(frame, Math.min(n, MAX_FRAME), peer);
        if (c < 0) {
          return;
        }
      }
    } catch (IOException e) {
      // connection reset: what was submitted stays submitted
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A buffered stream for one reader: {@link BufferedInputStream} takes a lock on every {@code
   * read()}, which cost more than parsing when reading byte by byte.
   */
  private static final class Bytes extends InputStream {
    private final InputStream in;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int limit;

    Bytes(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      if (pos == limit) {
        limit = in.read(buf, 0, buf.length);
        pos = 0;
        if (limit <= 0) {
          limit = 0;
          return -1;
        }
      }
      return buf[pos++] & 0xff;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  private void submit(byte[] frame, int n, String peer) throws InterruptedException {
    int end = n;
    while (end > 0 && (frame[end - 1] == '\r' || frame[end - 1] == '\n')) {
      end--;
    }
    if (end == 0) {
      return;
    }
    pipeline.submit(
        new Pipeline.Message(new String(frame, 0, end, StandardCharsets.UTF_8), name, peer, null));
  }

  @Override
  public void close() throws IOException {
    server.close();
    acceptor.interrupt();
  }
}
