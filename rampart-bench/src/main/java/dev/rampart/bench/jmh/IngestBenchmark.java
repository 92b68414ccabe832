package dev.rampart.bench.jmh;

import dev.rampart.bench.IngestBench;
import dev.rampart.core.event.Event;
import dev.rampart.core.event.EventSource;
import dev.rampart.ingest.parse.ParseOptions;
import dev.rampart.ingest.parse.Parser;
import dev.rampart.ingest.parse.Parsers;
import dev.rampart.ingest.spool.ByteSink;
import dev.rampart.ingest.spool.EventCodec;
import java.nio.charset.StandardCharsets;
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
 * The two halves of an ingest worker's time per message, on the 1,000 syslog lines {@code rampart
 * bench ingest} sends: the syslog parser (line → event) and the spool encoder (event → bytes).
 * Nanoseconds per message.
 *
 * <pre>java -jar rampart-bench/target/benchmarks.jar IngestBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class IngestBenchmark {
  static final int LINES = 1000;

  String[] lines;
  Event[] events;
  Parser parser;
  Event scratch;
  ByteSink sink;
  EventCodec.Encoder encoder;

  @Setup
  public void load() {
    lines = new String(IngestBench.block(), StandardCharsets.UTF_8).split("\n");
    parser = Parsers.named("syslog", ParseOptions.defaults());
    List<Event> parsed = new ArrayList<>();
    for (String l : lines) {
      Event e = new Event();
      if (parser.parse(l, e) != null) {
        throw new IllegalStateException("bench line does not parse: " + l);
      }
      EventSource s = e.source();
      e.source(new EventSource("bench", s.host(), s.logType())); // as the pipeline sets it
      parsed.add(e);
    }
    events = parsed.toArray(Event[]::new);
    scratch = new Event();
    sink = new ByteSink(1 << 20);
    encoder = new EventCodec.Encoder();
  }

  @Benchmark
  @OperationsPerInvocation(LINES)
  public int parse() {
    int n = 0;
    for (String l : lines) {
      if (parser.parse(l, scratch) == null) {
        n += scratch.size();
      }
    }
    return n;
  }

  @Benchmark
  @OperationsPerInvocation(LINES)
  public int encode() {
    sink.reset();
    for (Event e : events) {
      encoder.encode(e, sink);
    }
    return sink.size();
  }
}
