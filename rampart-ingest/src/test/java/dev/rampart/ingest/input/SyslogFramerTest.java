package dev.rampart.ingest.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The framer against a byte-at-a-time reference of RFC 6587 framing, on random streams of mixed
 * framing, oversized frames and garbage, split into random reads.
 */
class SyslogFramerTest {
  private static final int MAX = 64;

  @Test
  void bothFramingsAndTheEdges() throws Exception {
    String stream =
        "<13>1 a\n"
            + "7 <13>1 b"
            + "\r\n\0"
            + "2026-11-28 digits first\n"
            + "5 multi\nline\n"
            + "x".repeat(MAX)
            + "\n"
            + "y".repeat(MAX + 10)
            + "\n"
            + "70 "
            + "z".repeat(70)
            + "after\n"
            + "tail without newline";
    AtomicLong oversized = new AtomicLong();
    assertThat(frames(stream.getBytes(StandardCharsets.UTF_8), new Random(1), oversized))
        .containsExactly(
            "<13>1 a",
            "<13>1 b",
            "2026-11-28 digits first",
            "multi",
            "line",
            "x".repeat(MAX),
            "y".repeat(MAX),
            "z".repeat(MAX),
            "after",
            "tail without newline");
    assertThat(oversized.get()).isEqualTo(2);
  }

  @Test
  void aCutOffOctetCountedFrameIsNotDelivered() throws Exception {
    assertThat(
            frames(
                "<13> a\n20 <13> only part".getBytes(StandardCharsets.UTF_8),
                new Random(2),
                new AtomicLong()))
        .containsExactly("<13> a");
  }

  @Property(tries = 500)
  void matchesTheByteAtATimeReference(@ForAll long seed) throws Exception {
    Random rnd = new Random(seed);
    byte[] data = randomStream(rnd);
    AtomicLong fast = new AtomicLong();
    long[] slow = {0};
    assertThat(frames(data, rnd, fast)).as("seed %d", seed).isEqualTo(reference(data, slow));
    assertThat(fast.get()).as("seed %d", seed).isEqualTo(slow[0]);
  }

  private static List<String> frames(byte[] data, Random rnd, AtomicLong oversized)
      throws Exception {
    List<String> out = new ArrayList<>();
    new SyslogFramer(MAX, oversized)
        .run(
            new ChoppyStream(data, rnd),
            (b, off, len) -> out.add(new String(b, off, len, StandardCharsets.ISO_8859_1)));
    return out;
  }

  /** RFC 6587 one byte at a time: the specification the framer must match. */
  static List<String> reference(byte[] d, long[] oversized) {
    List<String> out = new ArrayList<>();
    int i = 0;
    int n = d.length;
    while (true) {
      while (i < n && (d[i] == '\n' || d[i] == '\r' || d[i] == 0)) {
        i++;
      }
      if (i == n) {
        return out;
      }
      int p = i;
      long len = 0;
      int q = p;
      while (q < n && q - p < 12 && d[q] >= '0' && d[q] <= '9') {
        len = len * 10 + (d[q] - '0');
        q++;
      }
      if (q > p && q < n && d[q] == ' ') {
        int body = q + 1;
        long take = Math.min(len, MAX);
        if (n - body < take) {
          return out; // cut off
        }
        if (len > MAX) {
          oversized[0]++;
        }
        add(out, d, body, (int) take);
        i = (int) Math.min(n, body + len);
        continue;
      }
      int j = p;
      while (j < n && d[j] != '\n') {
        j++;
      }
      if (j - p > MAX) {
        oversized[0]++;
        add(out, d, p, MAX);
      } else {
        add(out, d, p, j - p);
      }
      if (j == n) {
        return out;
      }
      i = j + 1;
    }
  }

  private static void add(List<String> out, byte[] d, int off, int len) {
    int e = off + len;
    while (e > off && (d[e - 1] == '\r' || d[e - 1] == '\n')) {
      e--;
    }
    if (e > off) {
      out.add(new String(d, off, e - off, StandardCharsets.ISO_8859_1));
    }
  }

  private static byte[] randomStream(Random rnd) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int count = rnd.nextInt(40);
    String alphabet = "ab <>12 \n\r\0";
    for (int k = 0; k < count; k++) {
      int size = rnd.nextInt(10) == 0 ? MAX - 2 + rnd.nextInt(40) : rnd.nextInt(20);
      StringBuilder m = new StringBuilder();
      for (int c = 0; c < size; c++) {
        m.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
      }
      byte[] body = m.toString().getBytes(StandardCharsets.ISO_8859_1);
      switch (rnd.nextInt(4)) {
        case 0 -> {
          byte[] prefix = (body.length + " ").getBytes(StandardCharsets.ISO_8859_1);
          out.writeBytes(prefix);
          out.writeBytes(body);
        }
        case 1 -> {
          // a wrong count: the stream goes on from wherever it points
          out.writeBytes((rnd.nextInt(2 * MAX) + " ").getBytes(StandardCharsets.ISO_8859_1));
          out.writeBytes(body);
        }
        default -> {
          out.writeBytes(m.toString().replace("\n", "").getBytes(StandardCharsets.ISO_8859_1));
          out.write('\n');
        }
      }
    }
    return out.toByteArray();
  }

  /** Returns reads of random sizes, down to one byte, as a TCP socket may. */
  private static final class ChoppyStream extends InputStream {
    private final byte[] data;
    private final Random rnd;
    private int pos;

    ChoppyStream(byte[] data, Random rnd) {
      this.data = data;
      this.rnd = rnd;
    }

    @Override
    public int read() {
      return pos < data.length ? data[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (pos == data.length) {
        return -1;
      }
      int n =
          Math.min(Math.min(len, data.length - pos), 1 + rnd.nextInt(rnd.nextBoolean() ? 3 : 200));
      System.arraycopy(data, pos, b, off, n);
      pos += n;
      return n;
    }
  }
}
