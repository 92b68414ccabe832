package dev.rampart.bench;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.Timestamps;
import dev.rampart.core.io.ProblemSink;
import dev.rampart.core.json.JsonEventReader;
import dev.rampart.core.json.ReadOptions;
import dev.rampart.ingest.spool.Spool;
import dev.rampart.simulate.Scenario;
import dev.rampart.simulate.Simulator;
import dev.rampart.store.EventStore;
import dev.rampart.store.StoreOptions;
import dev.rampart.store.search.SearchRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * The workload behind {@code rampart bench store}: {@code rampart simulate} events (every scenario,
 * over three days) are written into a spool (not timed; their NDJSON size is the raw bytes), then
 * the store indexes the spool on all cores and commits (timed: events/s), then typical hunting
 * queries run repeatedly (latency percentiles).
 */
public final class StoreBench {
  /** A measured query: its text, time range, and latencies. */
  public record QueryResult(String name, String query, double p50Ms, double p95Ms, long matched) {}

  public record Result(
      long events,
      long rawBytes,
      double indexSeconds,
      double indexEventsPerSecond,
      long storeBytes,
      List<QueryResult> queries) {
    public double bytesPerRawByte() {
      return (double) storeBytes / rawBytes;
    }
  }

  private StoreBench() {}

  static final long DAY = 86_400_000_000_000L;

  /** Simulated events into a fresh spool under {@code dir}; returns their NDJSON bytes. */
  public static long fill(Path spoolDir, long events, long seed, LongConsumer progress)
      throws Exception {
    return fill(
        spoolDir, events, seed, Timestamps.fromInstant(Simulator.DEFAULT_START), 3 * DAY, progress);
  }

  /** Simulated events over [start, start + span) into a fresh spool; returns their bytes. */
  public static long fill(
      Path spoolDir, long events, long seed, long startNanos, long spanNanos, LongConsumer progress)
      throws Exception {
    Simulator.Options o =
        new Simulator.Options(
            List.copyOf(EnumSet.allOf(Scenario.class)),
            events,
            seed,
            startNanos,
            spanNanos,
            50,
            Math.max(1, Runtime.getRuntime().availableProcessors()));
    AtomicLong raw = new AtomicLong();
    PipedInputStream in = new PipedInputStream(1 << 20);
    PipedOutputStream pipe = new PipedOutputStream(in);
    Exception[] failed = new Exception[1];
    Thread gen =
        Thread.ofPlatform()
            .start(
                () -> {
                  try (OutputStream out =
                      new OutputStream() {
                        @Override
                        public void write(int b) throws IOException {
                          pipe.write(b);
                          raw.incrementAndGet();
                        }

                        @Override
                        public void write(byte[] b, int off, int len) throws IOException {
                          pipe.write(b, off, len);
                          raw.addAndGet(len);
                        }

                        @Override
                        public void close() throws IOException {
                          pipe.close();
                        }
                      }) {
                    Simulator.run(o, out, t -> {}, x -> {});
                  } catch (Exception e) {
                    failed[0] = e;
                  }
                });
    // Filled, then read back whole: its pages stay cached, as they would for the indexer reading
    // right behind ingestion (the default drops what lies a window behind the newest record).
    Spool.Options spoolOptions =
        new Spool.Options(256L << 20, false, Long.MAX_VALUE, Duration.ofDays(3650), Long.MAX_VALUE);
    try (Spool spool = Spool.open(spoolDir, spoolOptions, ProblemSink.IGNORE);
        JsonEventReader r =
            new JsonEventReader(in, "simulate", ReadOptions.DEFAULTS, ProblemSink.IGNORE)) {
      Event e = new Event();
      long n = 0;
      while (r.next(e)) {
        spool.append(e);
        if ((++n & 65535) == 0) {
          progress.accept(n);
        }
      }
      spool.sync();
    }
    gen.join();
    if (failed[0] != null) {
      throw failed[0];
    }
    return raw.get();
  }

  /** The queries measured, each over one day (the second) unless it says otherwise. */
  static Map<String, String> queries() {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("term", "event.code:4625");
    q.put("wildcard", "process.command_line:*powershell*");
    q.put("stats", "* | stats count() by event.code");
    q.put("timechart", "* | timechart span=1h count()");
    return q;
  }

  public static Result run(Path dir, long events, int repeats, LongConsumer progress)
      throws Exception {
    return run(dir, events, repeats, Map.of(), progress);
  }

  /** {@link #run} with field types chosen before indexing ({@code none}: not indexed). */
  public static Result run(
      Path dir,
      long events,
      int repeats,
      Map<String, dev.rampart.store.mapping.FieldType> mapping,
      LongConsumer progress)
      throws Exception {
    Files.createDirectories(dir);
    Path spoolDir = dir.resolve("spool");
    long raw = fill(spoolDir, events, 7, progress);
    Path storeDir = dir.resolve("store");
    long t0 = System.nanoTime();
    long storeBytes;
    List<QueryResult> results = new ArrayList<>();
    try (Spool spool =
            Spool.open(
                spoolDir,
                new Spool.Options(
                    256L << 20, false, Long.MAX_VALUE, Duration.ofDays(3650), Long.MAX_VALUE),
                ProblemSink.IGNORE);
        EventStore store =
            EventStore.open(
                storeDir,
                new StoreOptions(StoreOptions.defaults().indexer(), mapping, Long.MAX_VALUE))) {
      store.indexSpool(spool, x -> {});
      double seconds = (System.nanoTime() - t0) / 1e9;
      long indexed = store.indexer().indexed.get();
      storeBytes = size(storeDir);
      long day2 = Timestamps.fromInstant(Simulator.DEFAULT_START) + DAY;
      for (var q : queries().entrySet()) {
        SearchRequest req = SearchRequest.of(q.getValue()).range(day2, day2 + DAY);
        double[] ms = new double[repeats];
        long matched = 0;
        for (int i = -2; i < repeats; i++) { // two warm-up runs
          long s0 = System.nanoTime();
          matched = store.search(req).matched();
          if (i >= 0) {
            ms[i] = (System.nanoTime() - s0) / 1e6;
          }
        }
        Arrays.sort(ms);
        results.add(
            new QueryResult(
                q.getKey(),
                q.getValue(),
                ms[(int) Math.floor(0.5 * (repeats - 1))],
                ms[(int) Math.ceil(0.95 * (repeats - 1))],
                matched));
      }
      return new Result(indexed, raw, seconds, indexed / seconds, storeBytes, results);
    }
  }

  static long size(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
