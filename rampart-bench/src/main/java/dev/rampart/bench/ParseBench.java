package dev.rampart.bench;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.rampart.core.event.Event;
import dev.rampart.core.io.ProblemSink;
import dev.rampart.core.json.JsonEventReader;
import dev.rampart.core.json.ReadOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The NDJSON → Event workload behind {@code rampart bench parse} and {@code ParseBenchmark}: our
 * streaming reader against the naive baseline, Jackson databind into {@code Map<String,Object>}.
 * Both run on one thread, so the figures are per core.
 */
public final class ParseBench {
  private static final ObjectReader BASELINE = new ObjectMapper().readerFor(Map.class);

  /**
   * Figures for one input.
   *
   * @param mbPerS decompressed megabytes (10^6 bytes) per second per core, Rampart's reader
   * @param baselineMbPerS the same for Jackson databind into maps
   */
  public record Result(
      String input,
      long bytes,
      long events,
      double mbPerS,
      double eventsPerS,
      double baselineMbPerS,
      double baselineEventsPerS) {
    public double ratio() {
      return mbPerS / baselineMbPerS;
    }
  }

  private ParseBench() {}

  /** Parses all of {@code data} into one reused event; returns the event count. */
  public static long parse(byte[] data) {
    try (JsonEventReader r =
        new JsonEventReader(data, "bench", ReadOptions.DEFAULTS, ProblemSink.IGNORE)) {
      Event e = new Event(64);
      long n = 0;
      long fields = 0;
      while (r.next(e)) {
        n++;
        fields += e.size();
      }
      return fields > 0 ? n : -n;
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /** The baseline: every record into a {@code Map<String,Object>} with databind. */
  public static long baseline(byte[] data) {
    try (MappingIterator<Map<String, Object>> it = BASELINE.readValues(data)) {
      long n = 0;
      long fields = 0;
      while (it.hasNextValue()) {
        fields += it.nextValue().size();
        n++;
      }
      return fields > 0 ? n : -n;
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /** Warms up, then measures each side for about {@code seconds}. */
  public static Result measure(String input, byte[] data, double seconds) {
    double[] ours = rate(data, ParseBench::parse, seconds);
    double[] base = rate(data, ParseBench::baseline, seconds);
    long events = Math.abs(parse(data));
    return new Result(input, data.length, events, ours[0], ours[1], base[0], base[1]);
  }

  /** Returns {MB/s, events/s}: best of several timed rounds after a warm-up of the same length. */
  private static double[] rate(byte[] data, ToLongFunction<byte[]> work, double seconds) {
    long deadline = System.nanoTime() + (long) (seconds * 0.5e9);
    long sink = 0;
    while (System.nanoTime() < deadline) {
      sink += work.applyAsLong(data);
    }
    double best = 0;
    long events = Math.abs(work.applyAsLong(data));
    deadline = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < deadline) {
      long t0 = System.nanoTime();
      sink += work.applyAsLong(data);
      double s = (System.nanoTime() - t0) / 1e9;
      best = Math.max(best, 1 / s);
    }
    if (sink == 42) {
      System.out.print(""); // keep the work observable
    }
    return new double[] {data.length * best / 1e6, events * best};
  }
}
