package dev.rampart.ingest.input;

import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a syslog TCP stream into messages (RFC 6587), detecting the framing per message: octet
 * counting ({@code 123 <34>1 ...}) when a frame starts with digits and a space, else
 * newline-delimited; NUL, CR and LF between frames are skipped. It scans whole reads in place and
 * hands each frame to the sink as a slice of its buffer, without copying it first. A frame longer
 * than {@code maxFrame} is cut there (and delivered as soon as that much has arrived) and counted,
 * and the rest of it is skipped. At end of stream a newline-framed message without its newline is
 * still delivered, but a cut-off octet-counted one is not (its sender never saw it accepted).
 *
 * <p>One per connection; not thread-safe. The test keeps it equal to a byte-at-a-time reference.
 */
public final class SyslogFramer {
  /** Receives each frame as a slice of the framer's buffer, valid only during the call. */
  @FunctionalInterface
  public interface Sink {
    void frame(byte[] buf, int off, int len) throws IOException, InterruptedException;
  }

  private static final int INITIAL = 1 << 16;
  private static final int MAX_DIGITS = 12;

  private final int maxFrame;
  private byte[] buf = new byte[INITIAL];
  private int start;
  private int end;
  private long skipOctets; // rest of an oversized octet-counted frame
  private boolean skipLine; // rest of an oversized newline-framed message
  private final java.util.concurrent.atomic.AtomicLong oversized;

  /** Frames of at most {@code maxFrame} bytes; cut frames are counted in {@code oversized}. */
  public SyslogFramer(int maxFrame, java.util.concurrent.atomic.AtomicLong oversized) {
    this.maxFrame = maxFrame;
    this.oversized = oversized;
  }

  /** Reads {@code in} to its end, delivering every frame to {@code sink}. */
  public void run(InputStream in, Sink sink) throws IOException, InterruptedException {
    while (true) {
      start = frames(sink);
      if (start > 0) {
        System.arraycopy(buf, start, buf, 0, end - start);
        end -= start;
        start = 0;
      }
      if (end == buf.length) {
        // A frame larger than the buffer: grow up to what the largest frame needs, with its
        // length prefix (frames() cuts anything longer before the buffer is full).
        buf = java.util.Arrays.copyOf(buf, Math.min(buf.length * 2, maxFrame + MAX_DIGITS + 2));
      }
      int n = in.read(buf, end, buf.length - end);
      if (n < 0) {
        finish(sink);
        return;
      }
      end += n;
    }
  }

  /**
   * Delivers the complete frames in {@code [start, end)}; returns where the unfinished one starts.
   */
  private int frames(Sink sink) throws IOException, InterruptedException {
    int p = start;
    while (p < end) {
      if (skipOctets > 0) {
        int n = (int) Math.min(skipOctets, end - p);
        skipOctets -= n;
        p += n;
        continue;
      }
      if (skipLine) {
        int nl = indexOf(p, end);
        if (nl < 0) {
          return end;
        }
        skipLine = false;
        p = nl + 1;
        continue;
      }
      byte c = buf[p];
      if (c == '\n' || c == '\r' || c == 0) {
        p++;
        continue;
      }
      if (c >= '0' && c <= '9') {
        int q = p;
        long len = 0;
        while (q < end && q - p < MAX_DIGITS && buf[q] >= '0' && buf[q] <= '9') {
          len = len * 10 + (buf[q] - '0');
          q++;
        }
        if (q == end) {
          return p; // the count continues in the next read
        }
        if (buf[q] == ' ') {
          int body = q + 1;
          if (len > maxFrame) {
            if (end - body < maxFrame) {
              return p;
            }
            oversized.incrementAndGet();
            deliver(sink, body, maxFrame);
            skipOctets = len - maxFrame;
            p = body + maxFrame;
            continue;
          }
          if (end - body < len) {
            return p;
          }
          deliver(sink, body, (int) len);
          p = body + (int) len;
          continue;
        }
        // digits without a space: a newline-framed message that starts with a digit
      }
      int nl = indexOf(p, end);
      if (nl < 0) {
        if (end - p <= maxFrame) {
          return p; // a message of exactly maxFrame bytes may still end with the next byte
        }
        oversized.incrementAndGet();
        deliver(sink, p, maxFrame);
        skipLine = true;
        p += maxFrame;
        continue;
      }
      if (nl - p > maxFrame) {
        oversized.incrementAndGet();
        deliver(sink, p, maxFrame);
      } else {
        deliver(sink, p, nl - p);
      }
      p = nl + 1;
    }
    return p;
  }

  private void finish(Sink sink) throws IOException, InterruptedException {
    int p = start;
    while (p < end && (buf[p] == '\n' || buf[p] == '\r' || buf[p] == 0)) {
      p++;
    }
    if (p == end || skipOctets > 0 || skipLine) {
      return;
    }
    int q = p;
    while (q < end && q - p < MAX_DIGITS && buf[q] >= '0' && buf[q] <= '9') {
      q++;
    }
    if (q > p && q < end && buf[q] == ' ') {
      return; // an octet-counted frame cut off mid-frame: never acknowledged, nothing half-stored
    }
    deliver(sink, p, Math.min(end - p, maxFrame));
  }

  private int indexOf(int from, int to) {
    for (int i = from; i < to; i++) {
      if (buf[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private void deliver(Sink sink, int off, int len) throws IOException, InterruptedException {
    int e = off + len;
    while (e > off && (buf[e - 1] == '\r' || buf[e - 1] == '\n')) {
      e--;
    }
    if (e > off) {
      sink.frame(buf, off, e - off);
    }
  }
}
