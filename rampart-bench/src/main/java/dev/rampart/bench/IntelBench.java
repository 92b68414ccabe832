package dev.rampart.bench;

import dev.rampart.intel.Indicator;
import dev.rampart.intel.index.IntelIndex;
import java.util.HexFormat;
import java.util.Random;
import java.util.function.LongConsumer;

/**
 * The workload behind {@code rampart bench intel}: synthetic indicators (30% IPv4 addresses, 10%
 * IPv4 networks from /20 to /28, 30% domains, 30% SHA-256 digests) into one index; the heap it
 * holds after a full collection; then single-thread lookups of a mix like events bring (addresses,
 * names under listed domains, digests), half of them hits.
 */
public final class IntelBench {
  /**
   * @param heapMb heap in use after building and a full collection (the JVM's own share included)
   * @param lookupsPerSecond on one thread, so per core
   */
  public record Result(
      long indicators, double buildSeconds, double heapMb, double lookupsPerSecond, long hits) {}

  private IntelBench() {}

  static String ipv4(Random r) {
    return (1 + r.nextInt(223))
        + "."
        + r.nextInt(256)
        + "."
        + r.nextInt(256)
        + "."
        + r.nextInt(256);
  }

  static String dotted(int a) {
    return ((a >>> 24) & 0xFF)
        + "."
        + ((a >>> 16) & 0xFF)
        + "."
        + ((a >>> 8) & 0xFF)
        + "."
        + (a & 0xFF);
  }

  static String domain(Random r) {
    StringBuilder sb = new StringBuilder();
    int n = 5 + r.nextInt(10);
    for (int k = 0; k < n; k++) {
      sb.append((char) ('a' + r.nextInt(26)));
    }
    sb.append(r.nextInt(1000));
    return sb.append(r.nextBoolean() ? ".com" : ".net").toString();
  }

  static String sha256(Random r) {
    byte[] b = new byte[32];
    r.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** The i-th generated indicator of the stream seeded by {@code r}. */
  static Indicator next(Random r, long i) {
    int kind = (int) (i % 10);
    if (kind < 3) {
      // an odd multiplier maps distinct numbers to distinct addresses: no duplicates
      return new Indicator(Indicator.Type.IP, dotted((int) (i * 0x9E3779B1L)), "bench", 80, 0, "");
    }
    if (kind == 3) {
      int bits = 20 + r.nextInt(9);
      int a = (int) ((i / 10) << (32 - bits));
      String net =
          ((a >>> 24) & 0xFF)
              + "."
              + ((a >>> 16) & 0xFF)
              + "."
              + ((a >>> 8) & 0xFF)
              + "."
              + (a & 0xFF);
      return new Indicator(Indicator.Type.IP, net + "/" + bits, "bench", 60, 0, "");
    }
    if (kind < 7) {
      // the number makes every name distinct
      return new Indicator(
          Indicator.Type.DOMAIN, Long.toString(i, 36) + "-" + domain(r), "bench", 70, 0, "");
    }
    return new Indicator(Indicator.Type.SHA256, sha256(r), "bench", 90, 0, "");
  }

  public static Result run(long indicators, int lookups, LongConsumer progress) {
    long t0 = System.nanoTime();
    IntelIndex index = new IntelIndex((int) Math.min(Integer.MAX_VALUE, indicators));
    Random r = new Random(42);
    for (long i = 0; i < indicators; i++) {
      index.add(next(r, i));
      if ((i & 0xFFFF) == 0) {
        progress.accept(i);
      }
    }
    double build = (System.nanoTime() - t0) / 1e9;
    double heap = heapMb();
    // Queries: every other one is a value that was added (regenerated from the same seed).
    String[] q = new String[lookups];
    byte[] kind = new byte[lookups];
    Random again = new Random(42);
    Random miss = new Random(7);
    long stride = Math.max(1, indicators / Math.max(1, lookups / 2));
    long at = 0;
    for (int k = 0; k < lookups; k++) {
      Indicator hit = null;
      if (k % 2 == 0 && at < indicators) {
        // the regenerated stream, every stride-th indicator (all must be drawn to stay in step)
        do {
          hit = next(again, at++);
        } while ((at - 1) % stride != 0 && at < indicators);
      }
      int t = hit != null ? hit.type().ordinal() : (int) (k / 2 % 10);
      if (hit != null) {
        switch (hit.type()) {
          case IP -> {
            String v = hit.value();
            int slash = v.indexOf('/');
            q[k] = slash < 0 ? v : v.substring(0, slash); // the network's first address
            kind[k] = 0;
          }
          case DOMAIN -> {
            q[k] = "www." + hit.value();
            kind[k] = 1;
          }
          default -> {
            q[k] = hit.value().toUpperCase(java.util.Locale.ROOT);
            kind[k] = 2;
          }
        }
      } else if (t < 4) {
        q[k] = ipv4(miss);
        kind[k] = 0;
      } else if (t < 7) {
        q[k] = "cdn." + domain(miss);
        kind[k] = 1;
      } else {
        q[k] = sha256(miss);
        kind[k] = 2;
      }
    }
    long hits = 0;
    // Warm up, then measure several passes.
    for (int pass = 0; pass < 2; pass++) {
      hits = lookupAll(index, q, kind);
    }
    int passes = 5;
    long s = System.nanoTime();
    for (int pass = 0; pass < passes; pass++) {
      hits = lookupAll(index, q, kind);
    }
    double secs = (System.nanoTime() - s) / 1e9;
    return new Result(index.size(), build, heap, (double) lookups * passes / secs, hits);
  }

  private static long lookupAll(IntelIndex index, String[] q, byte[] kind) {
    long hits = 0;
    for (int k = 0; k < q.length; k++) {
      int i =
          switch (kind[k]) {
            case 0 -> index.ip(q[k]);
            case 1 -> index.domain(q[k]);
            default -> index.hash(q[k]);
          };
      if (i >= 0) {
        hits++;
      }
    }
    return hits;
  }

  private static double heapMb() {
    Runtime rt = Runtime.getRuntime();
    for (int k = 0; k < 3; k++) {
      System.gc();
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return (rt.totalMemory() - rt.freeMemory()) / (1024.0 * 1024);
  }
}
