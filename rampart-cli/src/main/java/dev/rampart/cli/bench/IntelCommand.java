package dev.rampart.cli.bench;

import dev.rampart.bench.IntelBench;
import dev.rampart.cli.Progress;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rampart bench intel}: ten million indicators, their heap, lookups per core. */
@Command(
    name = "intel",
    mixinStandardHelpOptions = true,
    description = {
      "Measure the indicator index: --indicators synthetic indicators (IPv4 addresses and networks,",
      "domains, SHA-256 digests), the heap they hold after a full collection, and single-thread",
      "lookups (half hits: addresses, names under listed domains, digests)."
    },
    footer = {
      "",
      "Examples:",
      "  rampart bench intel",
      "  rampart bench intel --indicators 1000000 --json",
      "",
      "JSON keys: indicators, heap_mb, lookups_per_s_per_core, build_seconds, hits, lookups."
    })
public final class IntelCommand implements Callable<Integer> {
  @Option(
      names = "--indicators",
      defaultValue = "10000000",
      description = "Indicators held (default: ${DEFAULT-VALUE}).")
  long indicators;

  @Option(
      names = "--lookups",
      defaultValue = "1000000",
      description = "Distinct lookups per pass (default: ${DEFAULT-VALUE}).")
  int lookups;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    IntelBench.Result r;
    try (Progress p = Progress.start("index", indicators, "indicators")) {
      r = IntelBench.run(indicators, Math.max(2, lookups), p::set);
    }
    if (json) {
      System.out.printf(
          Locale.ROOT,
          "{\"indicators\":%d,\"heap_mb\":%.1f,\"lookups_per_s_per_core\":%.0f,"
              + "\"build_seconds\":%.1f,\"hits\":%d,\"lookups\":%d}%n",
          r.indicators(),
          r.heapMb(),
          r.lookupsPerSecond(),
          r.buildSeconds(),
          r.hits(),
          lookups);
    } else {
      System.out.printf(
          Locale.ROOT,
          "%,d indicators built in %.1f s, %.0f MB of heap; %,.0f lookups/s on one core"
              + " (%,d of %,d hit)%n",
          r.indicators(),
          r.buildSeconds(),
          r.heapMb(),
          r.lookupsPerSecond(),
          r.hits(),
          lookups);
    }
    return 0;
  }
}
