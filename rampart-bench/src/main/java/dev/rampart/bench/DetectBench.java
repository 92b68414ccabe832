package dev.rampart.bench;

import dev.rampart.core.event.Event;
import dev.rampart.core.io.InputFiles;
import dev.rampart.core.io.ProblemSink;
import dev.rampart.core.json.JsonEventReader;
import dev.rampart.core.json.ReadOptions;
import dev.rampart.core.normalize.Normalizers;
import dev.rampart.sigma.compile.SigmaEngine;
import dev.rampart.sigma.compile.SigmaMatcher;
import dev.rampart.sigma.eval.ReferenceEvaluator;
import dev.rampart.sigma.load.RuleLoader;
import dev.rampart.sigma.load.RuleSet;
import dev.rampart.sigma.mapping.LogsourceMapping;
import dev.rampart.sigma.parse.Placeholders;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The detection workload behind {@code rampart bench detect} and {@code DetectBenchmark}: every
 * SigmaHQ rule against real events (the SigmaHQ regression logs and the OTRF datasets, replicated
 * to the requested count), compiled engine against the reference interpreter, one thread.
 */
public final class DetectBench {
  /** Rule folders of the SigmaHQ corpus loaded by the benchmark. */
  public static final List<String> RULE_FOLDERS =
      List.of("rules", "rules-emerging-threats", "rules-threat-hunting", "rules-compliance");

  public record Result(
      int rulesLoaded,
      int rulesRejected,
      long compileMs,
      long loadMs,
      double heapMb,
      int distinctEvents,
      long eventsMatched,
      double eventsPerSecond,
      double referenceEventsPerSecond,
      long matches) {
    public double ratio() {
      return eventsPerSecond / referenceEventsPerSecond;
    }
  }

  private DetectBench() {}

  public static RuleSet loadRules(Path corpora) {
    RuleLoader loader = new RuleLoader(Placeholders.NONE.withPolicy(Placeholders.Policy.STRICT));
    for (String f : RULE_FOLDERS) {
      loader.add(corpora.resolve("sigmahq-sigma").resolve(f));
    }
    return loader.build();
  }

  /** Every event of the regression JSON files and the OTRF JSON datasets, normalized. */
  public static List<Event> loadEvents(Path corpora) throws IOException {
    List<Event> out = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(corpora.resolve("sigmahq-sigma/regression_data"))) {
      for (Path f : walk.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        read(InputFiles.open(f), f.toString(), out);
      }
    }
    try (Stream<Path> walk = Files.walk(corpora.resolve("otrf-security-datasets/datasets"))) {
      for (Path zip : walk.filter(p -> p.toString().endsWith(".zip")).sorted().toList()) {
        try (ZipFile zf = new ZipFile(zip.toFile())) {
          for (ZipEntry e : zf.stream().filter(x -> x.getName().endsWith(".json")).toList()) {
            read(zf.getInputStream(e), zip + "!" + e.getName(), out);
          }
        }
      }
    }
    return out;
  }

  private static void read(InputStream in, String name, List<Event> out) throws IOException {
    try (JsonEventReader r =
        new JsonEventReader(in, name, ReadOptions.DEFAULTS, ProblemSink.IGNORE)) {
      Event e = new Event();
      while (r.next(e)) {
        Normalizers.normalize(e);
        out.add(e.copy());
      }
    }
  }

  /**
   * Runs the benchmark: at least {@code events} events through the compiled engine (after a warm-up
   * of the same size), then the reference interpreter for about {@code referenceSeconds}.
   */
  public static Result run(Path corpora, long events, double referenceSeconds) throws IOException {
    long l0 = System.nanoTime();
    RuleSet set = loadRules(corpora);
    long loadMs = (System.nanoTime() - l0) / 1_000_000;
    List<Event> pool = loadEvents(corpora);
    LogsourceMapping mapping = LogsourceMapping.defaults();
    System.gc();
    long before = usedHeap();
    SigmaEngine engine = SigmaEngine.compile(set.rules(), mapping);
    SigmaMatcher m = engine.newMatcher();
    long matches = 0;
    // The first pass compiles the routes these events need and warms the JIT.
    for (int warm = 0; warm < 2; warm++) {
      for (Event e : pool) {
        matches += m.match(e);
      }
    }
    System.gc();
    long after = usedHeap(); // the pool is still held: the difference is the engine
    matches = 0;
    long n = 0;
    long t0 = System.nanoTime();
    while (n < events) {
      for (Event e : pool) {
        matches += m.match(e);
        if (++n >= events) {
          break;
        }
      }
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    ReferenceEvaluator ref = new ReferenceEvaluator(mapping);
    long refN = 0;
    long r0 = System.nanoTime();
    long deadline = r0 + (long) (referenceSeconds * 1e9);
    int i = 0;
    while (System.nanoTime() < deadline) {
      ref.matching(engine.rules(), pool.get(i));
      i = (i + 7919) % pool.size(); // stride: a fair mix of event types
      refN++;
    }
    double refSecs = (System.nanoTime() - r0) / 1e9;
    return new Result(
        set.rules().size(),
        set.rejected(),
        engine.compileNanos() / 1_000_000,
        loadMs,
        Math.max(0, after - before) / 1e6,
        pool.size(),
        n,
        n / secs,
        refN / refSecs,
        matches);
  }

  private static long usedHeap() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
