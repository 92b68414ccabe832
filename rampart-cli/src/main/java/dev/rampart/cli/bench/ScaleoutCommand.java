package dev.rampart.cli.bench;

import dev.rampart.cli.Progress;
import dev.rampart.core.event.Event;
import dev.rampart.core.io.ProblemSink;
import dev.rampart.core.json.JsonEventReader;
import dev.rampart.core.json.ReadOptions;
import dev.rampart.ingest.spool.ByteSink;
import dev.rampart.ingest.spool.EventCodec;
import dev.rampart.simulate.Scenario;
import dev.rampart.simulate.Simulator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rampart bench scaleout}: the Flink detection job at parallelism 1 and 2 here. */
@Command(
    name = "scaleout",
    mixinStandardHelpOptions = true,
    description = {
      "Measure the scale-out detection job on this machine: simulated events (every scenario),",
      "encoded as the spool keeps them, through the Flink job's detection step with Rampart's rule",
      "pack on a local Flink cluster in this JVM, at parallelism 1 and then 2. Kafka is left out:",
      "it measures Rampart's work per core. Times are Flink's net job runtimes. docs/scale-out.md",
      "has the script for larger machines."
    },
    footer = {
      "",
      "Examples:",
      "  rampart bench scaleout",
      "  rampart bench scaleout --events 1000000 --json",
      "",
      "JSON keys: events, events_per_s_p1, events_per_s_p2, efficiency_p2 (p2 / (2 x p1)), cores."
    })
public final class ScaleoutCommand implements Callable<Integer> {
  // fewer and the job's fixed start-up costs hide the second core
  @Option(names = "--events", description = "Events to run through the job (default: 1500000).")
  long events = 1_500_000;

  @Option(names = "--rules", description = "Rule folder (default: the project's rules/).")
  Path rules;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Path ruleDir =
        rules != null ? rules : Path.of(System.getProperty("rampart.home", "."), "rules");
    Map<String, String> ruleTexts = new HashMap<>();
    ruleTexts.putAll(dev.rampart.flink.DetectionJob.ruleTexts(ruleDir));
    List<byte[]> encoded = new ArrayList<>();
    try (Progress p = Progress.start("simulating", events, "events")) {
      ByteArrayOutputStream ndjson = new ByteArrayOutputStream();
      Simulator.run(
          new Simulator.Options(
              List.copyOf(EnumSet.allOf(Scenario.class)),
              events,
              7,
              dev.rampart.core.event.Timestamps.fromInstant(Simulator.DEFAULT_START),
              86_400_000_000_000L,
              50,
              Math.max(1, Runtime.getRuntime().availableProcessors())),
          ndjson,
          t -> {},
          x -> {});
      try (JsonEventReader r =
          new JsonEventReader(
              new ByteArrayInputStream(ndjson.toByteArray()),
              "simulate",
              ReadOptions.DEFAULTS,
              ProblemSink.IGNORE)) {
        Event e = new Event();
        ByteSink b = new ByteSink(1024);
        while (r.next(e)) {
          b.reset();
          EventCodec.encode(e, b);
          encoded.add(b.toByteArray());
          if ((encoded.size() & 8191) == 0) {
            p.set(encoded.size());
          }
        }
      }
    }
    dev.rampart.flink.Scaleout.Result r = dev.rampart.flink.Scaleout.run(encoded, ruleTexts, 2);
    double p1 = r.eventsPerSecond()[1];
    double p2 = r.eventsPerSecond()[2];
    int cores = Runtime.getRuntime().availableProcessors();
    if (json) {
      System.out.printf(
          Locale.ROOT,
          "{\"events\":%d,\"events_per_s_p1\":%.0f,\"events_per_s_p2\":%.0f,\"efficiency_p2\":%.2f,"
              + "\"cores\":%d}%n",
          r.events(),
          p1,
          p2,
          p2 / (2 * p1),
          cores);
    } else {
      System.out.printf(
          Locale.ROOT,
          "%,d events, %d rules, %d cores%nparallelism 1: %,.0f events/s%nparallelism 2: %,.0f"
              + " events/s (efficiency %.2f)%n",
          r.events(),
          ruleTexts.size(),
          cores,
          p1,
          p2,
          p2 / (2 * p1));
    }
    return 0;
  }
}
