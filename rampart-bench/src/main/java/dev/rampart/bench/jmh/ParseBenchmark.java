package dev.rampart.bench.jmh;

import dev.rampart.bench.BenchData;
import dev.rampart.bench.ParseBench;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * NDJSON → Event on the largest OTRF dataset (19 MB of Windows events), against Jackson databind
 * into maps. One operation parses the whole file; MB/s = 19.3 / (seconds per op).
 *
 * <pre>java -jar rampart-bench/target/benchmarks.jar ParseBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ParseBenchmark {
  byte[] data;

  @Setup
  public void load() throws IOException {
    data = BenchData.load(BenchData.defaultParseInput());
  }

  @Benchmark
  public long rampartReader() {
    return ParseBench.parse(data);
  }

  @Benchmark
  public long jacksonDatabindMaps() {
    return ParseBench.baseline(data);
  }
}
