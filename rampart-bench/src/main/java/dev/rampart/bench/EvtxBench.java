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

  /**
   * Hunts through the files {@code rounds} times on {@code threads} threads (files are the unit of
   * work, as in {@code rampart hunt}): read, parse, convert to events, match. Returns events.
   */
  public static long hunt(
      List<byte[]> files, SigmaEngine engine, int threads, int rounds, AtomicLong matches)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    ThreadLocal<SigmaMatcher> matchers = ThreadLocal.withInitial(engine::newMatcher);
    AtomicLong events = new AtomicLong();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        for (byte[] f : files) {
          futures.add(
              pool.submit(
                  () -> {
                    SigmaMatcher m = matchers.get();
                    long[] local = {0, 0};
                    EvtxEvents conv =
                        new EvtxEvents(
                            "bench",
                            ProblemSink.IGNORE,
                            (e, record, offset) -> {
                              local[0]++;
                              local[1] += m.match(e);
                            });
                    EvtxReader r = new EvtxReader("bench", ProblemSink.IGNORE);
                    r.read(new ByteArrayInputStream(f), conv::add);
                    conv.flush();
                    events.addAndGet(local[0]);
                    matches.addAndGet(local[1]);
                    return null;
                  }));
        }
      }
      for (Future<?> fu : futures) {
        fu.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return events.get();
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
    hunt(files, engine, threads, 2, matches); // warm-up: compiles the routes, the JIT
    matches.set(0);
    long h0 = System.nanoTime();
    long huntEvents = 0;
    int rounds = 0;
    while (System.nanoTime() - h0 < seconds * 1e9) {
      huntEvents += hunt(files, engine, threads, 2, matches);
      rounds += 2;
    }
    double huntSecs = (System.nanoTime() - h0) / 1e9;
    return new Result(
        files.size(),
        bytes,
        records,
        parsedBytes / 1e6 / parseSecs,
        parsed / parseSecs,
        huntEvents / huntSecs,
        threads,
        huntEvents,
        matches.get() / Math.max(1, rounds),
        rules.rules().size());
  }
}
