package dev.rampart.cli.bench;

import dev.rampart.bench.BenchData;
import dev.rampart.bench.DetectBench;
import dev.rampart.cli.ExitCodes;
import dev.rampart.cli.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rampart bench detect}: Sigma detection throughput per core. */
@Command(
    name = "detect",
    mixinStandardHelpOptions = true,
    description = {
      "Measure detection on one core: every SigmaHQ rule of the corpora (rules, emerging threats,",
      "threat hunting, compliance) against real events (SigmaHQ regression logs and the OTRF",
      "datasets, replicated to --events), compiled engine against the reference interpreter."
    },
    footer = {
      "",
      "Examples:",
      "  rampart bench detect",
      "  rampart bench detect --json --events 2000000",
      "",
      "JSON keys: events_per_s_per_core, reference_events_per_s_per_core, ratio, rules_loaded,",
      "rules_rejected, compile_ms, load_ms, heap_mb, events, distinct_events, matches."
    })
public final class DetectCommand implements Callable<Integer> {
  @Option(
      names = "--events",
      paramLabel = "N",
      defaultValue = "1000000",
      description = "Events through the compiled engine (default: ${DEFAULT-VALUE}).")
  long events;

  @Option(
      names = "--reference-seconds",
      paramLabel = "S",
      defaultValue = "10",
      description = "How long to time the reference interpreter (default: ${DEFAULT-VALUE}).")
  double referenceSeconds;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Path corpora = BenchData.corpora();
    if (!Files.isDirectory(corpora.resolve("sigmahq-sigma"))) {
      throw new UsageException(
          "the SigmaHQ corpus is not at " + corpora + "/sigmahq-sigma (set RAMPART_CORPORA)");
    }
    if (!json) {
      System.err.println("loading rules and events from " + corpora + " ...");
    }
    DetectBench.Result r = DetectBench.run(corpora, events, referenceSeconds);
    if (json) {
      System.out.printf(
          Locale.ROOT,
          "{\"events_per_s_per_core\":%.0f,\"reference_events_per_s_per_core\":%.1f,\"ratio\":%.0f,\"rules_loaded\":%d,\"rules_rejected\":%d,"
              + "\"compile_ms\":%d,\"load_ms\":%d,\"heap_mb\":%.1f,\"events\":%d,\"distinct_events\":%d,\"matches\":%d}%n",
          r.eventsPerSecond(),
          r.referenceEventsPerSecond(),
          r.ratio(),
          r.rulesLoaded(),
          r.rulesRejected(),
          r.compileMs(),
          r.loadMs(),
          r.heapMb(),
          r.eventsMatched(),
          r.distinctEvents(),
          r.matches());
    } else {
      System.out.printf(
          Locale.ROOT,
          "rules       %,d loaded, %d rejected (load %,d ms, compile %,d ms, engine heap %.1f MB)%n",
          r.rulesLoaded(),
          r.rulesRejected(),
          r.loadMs(),
          r.compileMs(),
          r.heapMb());
      System.out.printf(
          Locale.ROOT,
          "events      %,d (%,d distinct, replicated)%n",
          r.eventsMatched(),
          r.distinctEvents());
      System.out.printf(
          Locale.ROOT,
          "compiled    %,12.0f events/s (one core), %,d matches%n",
          r.eventsPerSecond(),
          r.matches());
      System.out.printf(
          Locale.ROOT, "reference   %,12.1f events/s (one core)%n", r.referenceEventsPerSecond());
      System.out.printf(Locale.ROOT, "ratio       %,12.0fx%n", r.ratio());
    }
    return ExitCodes.OK;
  }
}
