package dev.rampart.bench.jmh;

import dev.rampart.bench.BenchData;
import dev.rampart.bench.EvtxBench;
import dev.rampart.core.event.Event;
import dev.rampart.core.io.ProblemSink;
import dev.rampart.evtx.EvtxEvents;
import dev.rampart.evtx.file.EvtxReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The EVTX reader on every EVTX file of the corpora (decompressed in memory, about 80 MB, 16k
 * records), one thread. One operation reads all files: {@code parse} to record trees, {@code
 * events} to normalized Rampart events by the given route. MB/s = 80.6 / (seconds per op).
 *
 * <pre>java -jar rampart-bench/target/benchmarks.jar EvtxBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class EvtxBenchmark {
  List<byte[]> files;

  @Param({"DIRECT", "JSON"})
  public String route;

  @Setup
  public void load() throws IOException {
    files = EvtxBench.loadFiles(BenchData.corpora());
  }

  @Benchmark
  public long parse() {
    return EvtxBench.parse(files);
  }

  @Benchmark
  public long events() throws IOException {
    long[] n = {0};
    EvtxEvents.Route r = EvtxEvents.Route.valueOf(route);
    for (byte[] f : files) {
      EvtxEvents conv =
          new EvtxEvents("bench", ProblemSink.IGNORE, (Event e, long id, long off) -> n[0]++, r);
      new EvtxReader("bench", ProblemSink.IGNORE).read(new ByteArrayInputStream(f), conv::add);
      conv.flush();
    }
    return n[0];
  }
}
