package dev.rampart.cli.bench;

import dev.rampart.bench.IngestBench;
import dev.rampart.bench.StoreBench;
import dev.rampart.cli.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rampart bench store}: indexing rate, query latency and disk use of the event store. */
@Command(
    name = "store",
    mixinStandardHelpOptions = true,
    description = {
      "Measure the event store on this machine: rampart simulate events (every scenario, three",
      "days) are written to a spool (not timed), then indexed from it on all cores and committed",
      "(timed), then four hunting queries over one day run 20 times each: a term filter, a",
      "wildcard on command lines, stats count() by a keyword, and a timechart. Disk use is the",
      "store's bytes per byte of the events' NDJSON. Works in a temporary folder, deleted after."
    },
    footer = {
      "",
      "Examples:",
      "  rampart bench store",
      "  rampart bench store --events 1000000 --json",
      "  rampart bench store --events 1000000 --map Provider_Guid=none --map Keywords=none",
      "",
      "JSON keys: index_events_per_s, term_p50_ms, term_p95_ms, wildcard_p95_ms, stats_p95_ms,",
      "timechart_p95_ms (and _p50_ms of each), bytes_per_raw_byte, events, raw_bytes,",
      "store_bytes, index_seconds."
    })
public final class StoreCommand implements Callable<Integer> {
  @Option(
      names = "--events",
      defaultValue = "10000000",
      description = "Events to index (default: ${DEFAULT-VALUE}).")
  long events;

  @Option(
      names = "--repeats",
      defaultValue = "20",
      description = "Runs of each query (default: ${DEFAULT-VALUE}).")
  int repeats;

  @Option(
      names = "--map",
      paramLabel = "FIELD=TYPE",
      description =
          "A field's type, as rampart store import --map takes it; none leaves the field "
              + "out of the index (kept in the stored events), to measure what indexing it "
              + "costs.")
  java.util.List<String> map;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("rampart-bench-store");
    try {
      StoreBench.Result r;
      try (Progress p = Progress.start("simulate", events, "events")) {
        r =
            StoreBench.run(
                dir,
                events,
                Math.max(1, repeats),
                dev.rampart.cli.store.StoreCommand.overrides(map),
                p::set);
      }
      if (json) {
        StringBuilder sb = new StringBuilder("{");
        sb.append(
            String.format(Locale.ROOT, "\"index_events_per_s\":%.0f", r.indexEventsPerSecond()));
        for (var q : r.queries()) {
          sb.append(
              String.format(
                  Locale.ROOT,
                  ",\"%s_p50_ms\":%.1f,\"%s_p95_ms\":%.1f",
                  q.name(),
                  q.p50Ms(),
                  q.name(),
                  q.p95Ms()));
        }
        sb.append(
            String.format(
                Locale.ROOT,
                ",\"bytes_per_raw_byte\":%.3f,\"events\":%d,\"raw_bytes\":%d,\"store_bytes\":%d,\"index_seconds\":%.1f}",
                r.bytesPerRawByte(),
                r.events(),
                r.rawBytes(),
                r.storeBytes(),
                r.indexSeconds()));
        System.out.println(sb);
      } else {
        System.out.printf(
            Locale.ROOT,
            "indexed %,d events in %.1f s: %,.0f events/s%n",
            r.events(),
            r.indexSeconds(),
            r.indexEventsPerSecond());
        for (var q : r.queries()) {
          System.out.printf(
              Locale.ROOT,
              "%-10s p50 %7.1f ms  p95 %7.1f ms  %,d matched  %s%n",
              q.name(),
              q.p50Ms(),
              q.p95Ms(),
              q.matched(),
              q.query());
        }
        System.out.printf(
            Locale.ROOT,
            "disk: %,d bytes for %,d raw NDJSON bytes = %.3f per raw byte%n",
            r.storeBytes(),
            r.rawBytes(),
            r.bytesPerRawByte());
      }
      return 0;
    } finally {
      IngestBench.settleDisk(dir);
    }
  }
}
