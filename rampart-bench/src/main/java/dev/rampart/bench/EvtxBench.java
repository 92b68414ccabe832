package dev.rampart.bench;

import dev.rampart.core.io.InputFiles;
import dev.rampart.core.io.ProblemSink;
import dev.rampart.evtx.Evtx;
import dev.rampart.evtx.EvtxEvents;
import dev.rampart.evtx.file.EvtxReader;
import dev.rampart.sigma.compile.SigmaEngine;
import dev.rampart.sigma.compile.SigmaMatcher;
import dev.rampart.sigma.load.RuleSet;
import dev.rampart.sigma.mapping.LogsourceMapping;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The EVTX workloads behind {@code rampart bench evtx} and {@code EvtxBenchmark}: every EVTX file
 * of the corpora (EVTX-ATTACK-SAMPLES, Hayabusa's samples, SigmaHQ's regression files),
 * decompressed into memory first so that gzip and the disk are not what is measured.
 */
public final class EvtxBench {
  public record Result(
      int files,
      long bytes,
      long records,
      double parseMbPerSecond,
      double parseRecordsPerSecond,
      double huntEventsPerSecond,
      int huntThreads,
      long huntEvents,
      long matches,
      int rulesLoaded) {}

  private EvtxBench() {}

  /** The decompressed bytes of every EVTX file under the corpora folders used here. */
  public static List<byte[]> loadFiles(Path corpora) throws IOException {
    List<byte[]> out = new ArrayList<>();
    for (String dir :
        List.of("evtx-attack-samples", "hayabusa-sample-evtx", "sigmahq-sigma/regression_data")) {
      Path root = corpora.resolve(dir);
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(root)) {
        for (Path f : walk.filter(Evtx::isEvtx).sorted().toList()) {
          try (InputStream in = InputFiles.open(f)) {
            out.add(in.readAllBytes());
          }
        }
      }
    }
    return out;
  }

  /** Parses every record of every file once on this thread; returns the record count. */
  public static long parse(List<byte[]> files) {
    long records = 0;
    for (byte[] f : files) {
      EvtxReader r = new EvtxReader("bench", ProblemSink.IGNORE);
      try {
        r.read(new ByteArrayInputStream(f), x -> {});
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      records += r.records();
    }
    return records;
  }

  /** What a hunt did: events matched against the rules, and the wall time it took. */
  record Hunted(long events, double seconds) {}

  /**
   * Hunts through the files round after round on {@code threads} threads, a file the unit of work
   * as in {@code rampart hunt} (read, parse, convert to events, match), until {@code maxFiles}
   * files are done or {@code nanos} have passed; a thread finishes the file it is on. Threads take
   * the next file as they free up: when each call ran two rounds and waited for all of them, every
   * call (a few hundred milliseconds here) ended with one core idle behind the last large file.
   */
  static Hunted hunt(
      List<byte[]> files,
      SigmaEngine engine,
      int threads,
      long maxFiles,
      long nanos,
      AtomicLong matches)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicLong next = new AtomicLong();
    AtomicLong events = new AtomicLong();
    long start = System.nanoTime();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(
            pool.submit(
                () -> {
                  SigmaMatcher m = engine.newMatcher();
                  long[] local = {0, 0};
                  long i;
                  while ((i = next.getAndIncrement()) < maxFiles
                      && System.nanoTime() - start < nanos) {
                    EvtxEvents conv =
                        new EvtxEvents(
                            "bench",
                            ProblemSink.IGNORE,
                            (e, record, offset) -> {
                              local[0]++;
                              local[1] += m.match(e);
                            });
                    EvtxReader r = new EvtxReader("bench", ProblemSink.IGNORE);
                    r.read(
                        new ByteArrayInputStream(files.get((int) (i % files.size()))), conv::add);
                    conv.flush();
                  }
                  events.addAndGet(local[0]);
                  matches.addAndGet(local[1]);
                  return null;
                }));
      }
      for (Future<?> fu : futures) {
        fu.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return new Hunted(events.get(), (System.nanoTime() - start) / 1e9);
  }

  /**
   * Hunts two rounds at a time for {@code seconds} at least and then until the JIT has settled (a
   * round during which the compilers worked under a twentieth of its wall time), {@code 3 *
   * seconds} at most. Two rounds alone left the C2 compiler busy on one core for the first six of
   * the ten measured seconds, compiling the matcher and the routes the engine builds as new
   * combinations of fields turn up, and the figure varied from 83,000 to 117,000 events/s. The
   * compilers' time is counted when a compilation ends, so a round can look settled while a long
   * one is still running: hence the floor.
   */
  private static void warmUp(
      List<byte[]> files, SigmaEngine engine, int threads, double seconds, AtomicLong matches)
      throws Exception {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    boolean timed = jit != null && jit.isCompilationTimeMonitoringSupported();
    long start = System.nanoTime();
    while (true) {
      long compiling = timed ? jit.getTotalCompilationTime() : 0;
      Hunted round = hunt(files, engine, threads, 2L * files.size(), Long.MAX_VALUE, matches);
      boolean settled =
          !timed || (jit.getTotalCompilationTime() - compiling) < round.seconds() * 1000 / 20;
      long elapsed = System.nanoTime() - start;
      if ((settled && elapsed >= seconds * 1e9) || elapsed > 3 * seconds * 1e9) {
        return;
      }
    }
  }

  /** Parse throughput on one core for about {@code seconds}, then the hunt on all cores. */
  public static Result run(Path corpora, double seconds, int threads) throws Exception {
    List<byte[]> files = loadFiles(corpora);
    long bytes = files.stream().mapToLong(b -> b.length).sum();
    long records = parse(files); // warm-up
    parse(files);
    long t0 = System.nanoTime();
    long parsed = 0;
    long parsedBytes = 0;
    while (System.nanoTime() - t0 < seconds * 1e9) {
      parsed += parse(files);
      parsedBytes += bytes;
    }
    double parseSecs = (System.nanoTime() - t0) / 1e9;

    RuleSet rules = DetectBench.loadRules(corpora);
    SigmaEngine engine = SigmaEngine.compile(rules.rules(), LogsourceMapping.defaults());
    AtomicLong matches = new AtomicLong();
    warmUp(files, engine, threads, seconds, matches);
    matches.set(0);
    Hunted hunted = hunt(files, engine, threads, Long.MAX_VALUE, (long) (seconds * 1e9), matches);
    long huntEvents = hunted.events();
    double rounds = (double) huntEvents / records;
    return new Result(
        files.size(),
        bytes,
        records,
        parsedBytes / 1e6 / parseSecs,
        parsed / parseSecs,
        huntEvents / hunted.seconds(),
        threads,
        huntEvents,
        Math.round(matches.get() / Math.max(1, rounds)),
        rules.rules().size());
  }
}
