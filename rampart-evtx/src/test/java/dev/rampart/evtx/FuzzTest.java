package dev.rampart.evtx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.io.InputFiles;
import dev.rampart.core.io.Problems;
import dev.rampart.core.testing.Corpora;
import dev.rampart.evtx.binxml.XmlNode;
import dev.rampart.evtx.file.EvtxReader;
import dev.rampart.evtx.render.JsonRenderer;
import dev.rampart.evtx.render.XmlRenderer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Assertions;

/**
 * Seeded random damage to real EVTX files (byte flips, zeroed and copied ranges, garbage, cuts):
 * the reader reports problems but never throws anything but its own parse error (which it catches
 * and reports), never hangs (a generous timeout as a hang detector, not a speed check) and builds
 * trees bounded by the input (memory). Failures print the seed.
 */
class FuzzTest {
  static List<byte[]> samples;

  static synchronized List<byte[]> samples() throws IOException {
    if (samples == null) {
      Path root = Corpora.require("evtx-attack-samples");
      try (Stream<Path> walk = Files.walk(root)) {
        samples =
            walk.filter(Evtx::isEvtx)
                .sorted()
                .limit(40)
                .map(
                    p -> {
                      try (InputStream in = InputFiles.open(p)) {
                        return in.readAllBytes();
                      } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                      }
                    })
                .toList();
      }
    }
    return samples;
  }

  @Property(tries = 300)
  void damagedFilesNeverCrashOrHang(@ForAll long seed) throws IOException {
    Random rnd = new Random(seed);
    List<byte[]> all = samples();
    byte[] data = mutate(all.get(rnd.nextInt(all.size())).clone(), rnd);
    Assertions.assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          Problems problems = new Problems(10);
          long[] nodes = {0};
          EvtxReader reader = new EvtxReader("fuzz-" + seed, problems);
          reader.read(
              new ByteArrayInputStream(data),
              r -> {
                nodes[0] += count(r.root());
                XmlRenderer.render(r.root());
                try {
                  JsonRenderer.write(
                      r.root(),
                      new com.fasterxml.jackson.core.JsonFactory()
                          .createGenerator(OutputStream.nullOutputStream()));
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
          assertThat(reader.internalErrors()).as("seed %d", seed).isZero();
          // Templates are shared, but every instance is bounded by its chunk: no blow-up.
          assertThat(nodes[0]).as("seed %d", seed).isLessThanOrEqualTo(64L * (data.length + 65536));
        },
        "seed " + seed);
  }

  static byte[] mutate(byte[] b, Random rnd) {
    int n = 1 + rnd.nextInt(40);
    for (int i = 0; i < n; i++) {
      int at = rnd.nextInt(b.length);
      switch (rnd.nextInt(6)) {
        case 0 -> b[at] ^= (byte) (1 << rnd.nextInt(8));
        case 1 -> b[at] = (byte) rnd.nextInt(256);
        case 2 -> {
          int len = Math.min(b.length - at, 1 + rnd.nextInt(512));
          java.util.Arrays.fill(b, at, at + len, (byte) 0);
        }
        case 3 -> {
          int from = rnd.nextInt(b.length);
          int len = Math.min(Math.min(b.length - at, b.length - from), 1 + rnd.nextInt(256));
          System.arraycopy(b, from, b, at, len);
        }
        case 4 -> {
          int len = Math.min(b.length - at, 1 + rnd.nextInt(64));
          for (int k = 0; k < len; k++) {
            b[at + k] = (byte) rnd.nextInt(256);
          }
        }
        default -> {
          // A 32-bit field set to an extreme (sizes, offsets, counts).
          if (at + 4 <= b.length) {
            int v = rnd.nextBoolean() ? -1 : rnd.nextInt();
            b[at] = (byte) v;
            b[at + 1] = (byte) (v >> 8);
            b[at + 2] = (byte) (v >> 16);
            b[at + 3] = (byte) (v >> 24);
          }
        }
      }
    }
    if (rnd.nextInt(4) == 0) {
      return java.util.Arrays.copyOf(b, rnd.nextInt(b.length + 1)); // truncated
    }
    return b;
  }

  private static long count(XmlNode.Element e) {
    long n = 1 + e.attributes().size();
    for (XmlNode c : e.children()) {
      n += c instanceof XmlNode.Element x ? count(x) : 1;
    }
    return n;
  }
}
