package dev.rampart.bench.jmh;

import dev.rampart.bench.BenchData;
import dev.rampart.bench.DetectBench;
import dev.rampart.core.event.Event;
import dev.rampart.sigma.compile.SigmaEngine;
import dev.rampart.sigma.compile.SigmaMatcher;
import dev.rampart.sigma.eval.ReferenceEvaluator;
import dev.rampart.sigma.mapping.LogsourceMapping;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Every SigmaHQ rule against real events (the regression JSON logs and the OTRF datasets), one
 * thread. {@code compiled} runs a fixed slice of {@value #BATCH} events per operation, {@code
 * reference} the plain interpreter on {@value #REFERENCE_BATCH} events of the same pool; both are
 * reported per event, so the scores are directly comparable (events/s = 1e6 / score in µs).
 *
 * <pre>java -Xmx4g -jar rampart-bench/target/benchmarks.jar DetectBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class DetectBenchmark {
  static final int BATCH = 100_000;
  static final int REFERENCE_BATCH = 20;

  SigmaEngine engine;
  SigmaMatcher matcher;
  ReferenceEvaluator reference;
  Event[] events;
  Event[] referenceEvents;

  @Setup
  public void load() throws IOException {
    var corpora = BenchData.corpora();
    var rules = DetectBench.loadRules(corpora);
    List<Event> pool = DetectBench.loadEvents(corpora);
    LogsourceMapping mapping = LogsourceMapping.defaults();
    engine = SigmaEngine.compile(rules.rules(), mapping);
    matcher = engine.newMatcher();
    reference = new ReferenceEvaluator(mapping);
    List<Event> batch = new ArrayList<>(BATCH);
    while (batch.size() < BATCH) {
      batch.addAll(pool.subList(0, Math.min(pool.size(), BATCH - batch.size())));
    }
    events = batch.toArray(Event[]::new);
    referenceEvents = new Event[REFERENCE_BATCH];
    for (int i = 0, j = 0; i < REFERENCE_BATCH; i++, j = (j + 7919) % pool.size()) {
      referenceEvents[i] = pool.get(j);
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long compiled() {
    long matches = 0;
    for (Event e : events) {
      matches += matcher.match(e);
    }
    return matches;
  }

  @Benchmark
  @OperationsPerInvocation(REFERENCE_BATCH)
  public long reference() {
    long matches = 0;
    for (Event e : referenceEvents) {
      matches += reference.matching(engine.rules(), e).size();
    }
    return matches;
  }
}
