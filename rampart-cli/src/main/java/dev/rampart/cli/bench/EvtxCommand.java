package dev.rampart.cli.bench;

import dev.rampart.bench.BenchData;
import dev.rampart.bench.EvtxBench;
import dev.rampart.cli.ExitCodes;
import dev.rampart.cli.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rampart bench evtx}: EVTX parse throughput and end-to-end EVTX hunting. */
@Command(
    name = "evtx",
    mixinStandardHelpOptions = true,
    description = {
      "Measure the EVTX reader on every EVTX file of the corpora (EVTX-ATTACK-SAMPLES, Hayabusa's",
      "samples, SigmaHQ's regression files), decompressed into memory first: parse throughput",
      "(file bytes to record trees) on one core, then a hunt with every SigmaHQ rule (parse,",
      "convert, normalize, match) on all cores, after a warm-up until the JIT has settled",
      "(--seconds at least, three times that at most)."
    },
    footer = {
      "",
      "Examples:",
      "  rampart bench evtx",
      "  rampart bench evtx --json --seconds 20",
      "",
      "JSON keys: parse_mb_per_s_per_core, parse_records_per_s_per_core, hunt_events_per_s,",
      "hunt_threads, files, mb, records, rules_loaded."
    })
public final class EvtxCommand implements Callable<Integer> {
  @Option(
      names = "--seconds",
      paramLabel = "S",
      defaultValue = "10",
      description = "How long to run each measurement (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--threads", paramLabel = "N", description = "Hunt threads (default: all cores).")
  Integer threads;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Path corpora = BenchData.corpora();
    if (!Files.isDirectory(corpora.resolve("evtx-attack-samples"))) {
      throw new UsageException(
          "the EVTX corpora are not under " + corpora + " (set RAMPART_CORPORA)");
    }
    int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
    if (!json) {
      System.err.println("loading EVTX files and rules from " + corpora + " ...");
    }
    EvtxBench.Result r = EvtxBench.run(corpora, seconds, n);
    if (json) {
      System.out.printf(
          Locale.ROOT,
          "{\"parse_mb_per_s_per_core\":%.1f,\"parse_records_per_s_per_core\":%.0f,\"hunt_events_per_s\":%.0f,"
              + "\"hunt_threads\":%d,\"files\":%d,\"mb\":%.1f,\"records\":%d,\"rules_loaded\":%d}%n",
          r.parseMbPerSecond(),
          r.parseRecordsPerSecond(),
          r.huntEventsPerSecond(),
          r.huntThreads(),
          r.files(),
          r.bytes() / 1e6,
          r.records(),
          r.rulesLoaded());
    } else {
      System.out.printf(
          Locale.ROOT,
          "input       %d files, %.1f MB, %,d records%n",
          r.files(),
          r.bytes() / 1e6,
          r.records());
      System.out.printf(
          Locale.ROOT,
          "parse       %,8.1f MB/s  %,10.0f records/s  (one core)%n",
          r.parseMbPerSecond(),
          r.parseRecordsPerSecond());
      System.out.printf(
          Locale.ROOT,
          "hunt        %,10.0f events/s on %d threads with %,d rules%n",
          r.huntEventsPerSecond(),
          r.huntThreads(),
          r.rulesLoaded());
    }
    return ExitCodes.OK;
  }
}
