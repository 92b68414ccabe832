package dev.rampart.cli.bench;

import dev.rampart.bench.IngestBench;
import dev.rampart.bench.PipelineBench;
import dev.rampart.cli.rules.RuleOptions;
import dev.rampart.sigma.Sigma;
import dev.rampart.sigma.compile.SigmaEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rampart bench pipeline}: real-time detection latency under a sustained load. */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    description = {
      "Measure real-time detection on this machine: simulated events (every attack scenario) are",
      "appended to a spool at --rate events/s and fsynced every 10 ms, while the streaming",
      "detector follows the spool with Rampart's own rule pack (or --rules) and writes alerts to",
      "the durable alert log. Reports the events/s the detector sustained and the latency from an",
      "event's append to its alert being on disk (p50, p99, max). Works in a temporary folder."
    },
    footer = {
      "",
      "Examples:",
      "  rampart bench pipeline",
      "  rampart bench pipeline --rate 50000 --seconds 30 --json",
      "",
      "JSON keys: events_per_s, alert_latency_p50_ms, alert_latency_p99_ms, alert_latency_max_ms,",
      "offered_events_per_s, events, alerts, seconds."
    })
public final class PipelineCommand implements Callable<Integer> {
  @Option(
      names = "--rate",
      defaultValue = "20000",
      description = "Offered events/s (default: ${DEFAULT-VALUE}).")
  int rate;

  @Option(
      names = "--seconds",
      defaultValue = "20",
      description = "Measured time (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(
      names = "--rules",
      paramLabel = "PATH",
      description = "Rules (default: Rampart's own pack).")
  List<Path> rules;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    List<Path> from = rules == null || rules.isEmpty() ? List.of(RuleOptions.ownPack()) : rules;
    SigmaEngine engine = Sigma.compile(Sigma.load(from.toArray(Path[]::new)));
    Path dir = Files.createTempDirectory("rampart-bench-pipeline");
    try {
      PipelineBench.Result r = PipelineBench.run(dir, engine, rate, seconds);
      if (json) {
        System.out.printf(
            Locale.ROOT,
            "{\"events_per_s\":%.0f,\"alert_latency_p50_ms\":%.1f,\"alert_latency_p99_ms\":%.1f,"
                + "\"alert_latency_max_ms\":%.1f,\"offered_events_per_s\":%.0f,\"events\":%d,"
                + "\"alerts\":%d,\"seconds\":%.1f}%n",
            r.eventsPerSecond(),
            r.latencyP50Ms(),
            r.latencyP99Ms(),
            r.latencyMaxMs(),
            r.offeredPerSecond(),
            r.events(),
            r.alerts(),
            r.seconds());
      } else {
        System.out.printf(
            Locale.ROOT,
            "detector sustained %,.0f events/s (offered %,d/s) over %.1f s; %,d alerts;%n"
                + "latency event appended -> alert on disk: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
            r.eventsPerSecond(),
            rate,
            r.seconds(),
            r.alerts(),
            r.latencyP50Ms(),
            r.latencyP99Ms(),
            r.latencyMaxMs());
      }
      return 0;
    } finally {
      IngestBench.settleDisk(dir);
    }
  }
}
