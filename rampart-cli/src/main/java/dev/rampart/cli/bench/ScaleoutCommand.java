package dev.rampart.cli.bench;

import dev.rampart.cli.Progress;
import dev.rampart.core.event.Event;
import dev.rampart.core.io.ProblemSink;
import dev.rampart.core.json.JsonEventReader;
import dev.rampart.core.json.ReadOptions;
import dev.rampart.flink.EventFile;
import dev.rampart.ingest.spool.ByteSink;
import dev.rampart.ingest.spool.EventCodec;
import dev.rampart.simulate.Scenario;
import dev.rampart.simulate.Simulator;
import java.nio.file.Path;
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
      "encoded as the spool keeps them, through the Flink job's detection and correlation steps with",
      "Rampart's rule pack on a local Flink cluster in this JVM, at parallelism 1 and then 2 (or",
      "--parallelism). The encoded events wait in a temporary file (about 780 bytes each, deleted",
      "after; RAMPART_JAVA_OPTS=-Djava.io.tmpdir=DIR puts it elsewhere), outside the heap. Kafka is",
      "left out:",
      "it measures Rampart's work per core. Times are Flink's net job runtimes. docs/scale-out.md",
      "has the script for larger machines."
    },
    footer = {
      "",
      "Examples:",
      "  rampart bench scaleout",
      "  rampart bench scaleout --events 1000000 --json",
      "  rampart bench scaleout --parallelism 1,2,4,8,12 --events 6000000",
      "",
      "JSON keys: events, events_per_s_pN for each parallelism, efficiency_pN (pN / (N x p1)),",
      "cores."
    })
public final class ScaleoutCommand implements Callable<Integer> {
  // fewer and the job's fixed start-up costs hide the second core
  @Option(names = "--events", description = "Events to run through the job (default: 1500000).")
  long events = 1_500_000;

  @Option(names = "--rules", description = "Rule folder (default: the project's rules/).")
  Path rules;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Option(
      names = "--parallelism",
      split = ",",
      description =
          "Parallelisms to measure, each up to the cores here (default: 1,2; a larger machine:"
              + " 1,2,4,8,12).")
  List<Integer> parallelism = List.of(1, 2);

  @Override
  public Integer call() throws Exception {
    Path ruleDir =
        rules != null ? rules : Path.of(System.getProperty("rampart.home", "."), "rules");
    Map<String, String> ruleTexts = new HashMap<>();
    ruleTexts.putAll(dev.rampart.flink.DetectionJob.ruleTexts(ruleDir));
    List<Integer> ps = parallelism.stream().distinct().sorted().toList();
    if (ps.isEmpty() || ps.get(0) < 1 || !ps.contains(1)) {
      System.err.println("--parallelism: positive numbers including 1 (the baseline), e.g. 1,2,4");
      return 2;
    }
    EventFile encoded;
    // through a file: millions of events are more than one byte array holds
    Path ndjsonFile = java.nio.file.Files.createTempFile("rampart-scaleout", ".ndjson");
    try (Progress p = Progress.start("simulating", events, "events");
        EventFile.Writer w =
            EventFile.create(java.nio.file.Files.createTempFile("rampart-scaleout", ".events"))) {
      try (var ndjson =
          new java.io.BufferedOutputStream(
              java.nio.file.Files.newOutputStream(ndjsonFile), 1 << 20)) {
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
      }
      try (JsonEventReader r =
          new JsonEventReader(
              new java.io.BufferedInputStream(
                  java.nio.file.Files.newInputStream(ndjsonFile), 1 << 20),
              "simulate",
              ReadOptions.DEFAULTS,
              ProblemSink.IGNORE)) {
        Event e = new Event();
        ByteSink b = new ByteSink(1024);
        while (r.next(e)) {
          b.reset();
          EventCodec.encode(e, b);
          w.append(b.array(), 0, b.size());
          if ((w.size() & 8191) == 0) {
            p.set(w.size());
          }
        }
      }
      encoded = w.finish();
    } finally {
      java.nio.file.Files.deleteIfExists(ndjsonFile);
    }
    dev.rampart.flink.Scaleout.Result r;
    try (encoded) {
      r = dev.rampart.flink.Scaleout.run(encoded, ruleTexts, ps);
    }
    double p1 = r.eventsPerSecond()[1];
    int cores = Runtime.getRuntime().availableProcessors();
    if (json) {
      StringBuilder out = new StringBuilder("{\"events\":" + r.events());
      for (int p : ps) {
        out.append(
            String.format(Locale.ROOT, ",\"events_per_s_p%d\":%.0f", p, r.eventsPerSecond()[p]));
      }
      for (int p : ps) {
        if (p > 1) {
          out.append(
              String.format(
                  Locale.ROOT, ",\"efficiency_p%d\":%.2f", p, r.eventsPerSecond()[p] / (p * p1)));
        }
      }
      out.append(",\"cores\":").append(cores).append('}');
      System.out.println(out);
    } else {
      System.out.printf(
          Locale.ROOT, "%,d events, %d rules, %d cores%n", r.events(), ruleTexts.size(), cores);
      for (int p : ps) {
        double rate = r.eventsPerSecond()[p];
        System.out.printf(
            Locale.ROOT,
            "parallelism %2d: %,12.0f events/s%s%n",
            p,
            rate,
            p == 1 ? "" : String.format(Locale.ROOT, " (efficiency %.2f)", rate / (p * p1)));
      }
    }
    return 0;
  }
}
