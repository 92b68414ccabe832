package dev.rampart.cli.bench;

import dev.rampart.bench.BenchData;
import dev.rampart.bench.ParseBench;
import dev.rampart.cli.ExitCodes;
import dev.rampart.cli.UsageException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rampart bench parse}: NDJSON → Event throughput per core. */
@Command(
    name = "parse",
    mixinStandardHelpOptions = true,
    description = {
      "Measure JSON parsing into events on one core: Rampart's streaming reader against Jackson",
      "databind into Map<String,Object>, on a real corpus file held in memory (default: the",
      "largest OTRF dataset, 19 MB of Windows events, from $RAMPART_CORPORA or ../shared/corpora)."
    },
    footer = {
      "",
      "Examples:",
      "  rampart bench parse",
      "  rampart bench parse --json",
      "  rampart bench parse --input my-logs.ndjson.gz --seconds 10",
      "",
      "JSON keys: mb_per_s, events_per_s, baseline_mb_per_s, baseline_events_per_s, ratio, bytes, events, input."
    })
public final class ParseCommand implements Callable<Integer> {
  @Option(
      names = "--input",
      paramLabel = "FILE",
      description = "NDJSON/JSON file (.gz, .zst, or a .zip with a .json member).")
  Path input;

  @Option(
      names = "--seconds",
      paramLabel = "S",
      defaultValue = "5",
      description = "Measuring time per side (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    Path file = input != null ? input : BenchData.defaultParseInput();
    byte[] data;
    try {
      data = BenchData.load(file);
    } catch (IOException e) {
      throw new UsageException(e.getMessage());
    }
    if (!json) {
      System.err.printf(
          Locale.ROOT,
          "parsing %s (%,d bytes) for %.0f s per side ...%n",
          file,
          data.length,
          seconds * 2);
    }
    ParseBench.Result r = ParseBench.measure(file.toString(), data, seconds);
    if (json) {
      System.out.printf(
          Locale.ROOT,
          "{\"input\":\"%s\",\"bytes\":%d,\"events\":%d,\"threads\":1,\"mb_per_s\":%.1f,\"events_per_s\":%.0f,"
              + "\"baseline_mb_per_s\":%.1f,\"baseline_events_per_s\":%.0f,\"ratio\":%.2f}%n",
          r.input().replace("\\", "\\\\").replace("\"", "\\\""),
          r.bytes(),
          r.events(),
          r.mbPerS(),
          r.eventsPerS(),
          r.baselineMbPerS(),
          r.baselineEventsPerS(),
          r.ratio());
    } else {
      System.out.printf(
          Locale.ROOT, "input      %s (%,d bytes, %,d events)%n", r.input(), r.bytes(), r.events());
      System.out.printf(
          Locale.ROOT,
          "rampart    %8.1f MB/s  %,12.0f events/s  (one core)%n",
          r.mbPerS(),
          r.eventsPerS());
      System.out.printf(
          Locale.ROOT,
          "baseline   %8.1f MB/s  %,12.0f events/s  (Jackson databind → Map)%n",
          r.baselineMbPerS(),
          r.baselineEventsPerS());
      System.out.printf(Locale.ROOT, "ratio      %8.2fx%n", r.ratio());
    }
    return ExitCodes.OK;
  }
}
