package dev.rampart.bench;

import dev.rampart.alerting.alert.Alert;
import dev.rampart.alerting.alert.AlertLog;
import dev.rampart.alerting.detect.StreamingDetector;
import dev.rampart.core.event.Event;
import dev.rampart.core.io.ProblemSink;
import dev.rampart.core.json.JsonEventReader;
import dev.rampart.core.json.ReadOptions;
import dev.rampart.ingest.spool.ByteSink;
import dev.rampart.ingest.spool.EventCodec;
import dev.rampart.ingest.spool.Spool;
import dev.rampart.sigma.compile.SigmaEngine;
import dev.rampart.simulate.Scenario;
import dev.rampart.simulate.Simulator;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The workload behind {@code rampart bench pipeline}: simulated events (every attack scenario) are
 * appended to a spool at a fixed rate, fsynced every 10 ms as the ingest pipeline does, while the
 * streaming detector follows the spool with the given rules and writes alerts to the alert log.
 * Latency of an alert: from its event's append to the alert being durable in the log. The sustained
 * rate is the rate appended during the measured window when the detector then caught up with all of
 * it (else the detector's own count over the window).
 */
public final class PipelineBench {
  public record Result(
      double offeredPerSecond,
      double eventsPerSecond,
      long events,
      long alerts,
      double latencyP50Ms,
      double latencyP99Ms,
      double latencyMaxMs,
      double seconds) {}

  private PipelineBench() {}

  public static Result run(Path dir, SigmaEngine engine, int rate, double seconds)
      throws Exception {
    Files.createDirectories(dir);
    long total = (long) (rate * (seconds + 2));
    Simulator.Options o =
        Simulator.Options.of(List.copyOf(EnumSet.allOf(Scenario.class)), total, 11);
    // The events are made before the clock starts (encoded as the spool stores them), so the
    // measurement is of the pipeline, not of the generator.
    List<byte[]> encoded = new ArrayList<>();
    PipedInputStream in = new PipedInputStream(1 << 20);
    PipedOutputStream pipe = new PipedOutputStream(in);
    Thread gen =
        Thread.ofPlatform()
            .daemon(true)
            .start(
                () -> {
                  try (pipe) {
                    Simulator.run(o, pipe, t -> {}, x -> {});
                  } catch (Exception stopped) {
                    // the reader closed early
                  }
                });
    try (JsonEventReader reader =
        new JsonEventReader(in, "simulate", ReadOptions.DEFAULTS, ProblemSink.IGNORE)) {
      Event e = new Event();
      EventCodec.Encoder encoder = new EventCodec.Encoder();
      ByteSink sink = new ByteSink(4096);
      while (reader.next(e)) {
        sink.reset();
        encoder.encode(e, sink);
        encoded.add(sink.toByteArray());
      }
    }
    gen.join();
    ConcurrentHashMap<Long, Long> sent = new ConcurrentHashMap<>();
    List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean stop = new AtomicBoolean();
    try (Spool spool =
            Spool.open(dir.resolve("spool"), Spool.Options.defaults(), ProblemSink.IGNORE);
        AlertLog log = AlertLog.open(dir.resolve("alerts.ndjson"))) {
      StreamingDetector detector =
          new StreamingDetector(
              spool,
              engine,
              log,
              alerts -> {
                long now = System.nanoTime();
                for (Alert a : alerts) {
                  Long t = sent.get(a.eventIds().get(0));
                  if (t != null) {
                    latencies.add((now - t) / 1e6);
                  }
                }
              });
      Thread follower =
          Thread.ofPlatform()
              .name("detector")
              .start(
                  () -> {
                    try {
                      detector.run(stop::get, 5);
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  });
      // The ingest pipeline's sync stage: one fsync after another, each covering every append
      // made meanwhile (group commit), so the offered rate does not wait on the disk.
      Thread syncer =
          Thread.ofPlatform()
              .name("sync")
              .start(
                  () -> {
                    try {
                      while (!stop.get()) {
                        long end = spool.end();
                        if (end > spool.durable()) {
                          spool.syncTo(end);
                        } else {
                          Thread.sleep(1);
                        }
                      }
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  });
      // Appends at the offered rate: a batch every 10 ms.
      int next = 0;
      int perTick = Math.max(1, rate / 100);
      long start = System.nanoTime();
      long appended = 0;
      long measureFrom = -1;
      long eventsAtMeasure = 0;
      long appendedAtMeasure = 0;
      long deadline = start + (long) ((seconds + 1) * 1e9);
      while (System.nanoTime() < deadline) {
        long tick = start + appended / perTick * 10_000_000L;
        long wait = tick - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        int n = 0;
        while (n < perTick && next < encoded.size()) {
          byte[] payload = encoded.get(next++);
          long now = System.nanoTime();
          long offset = spool.appendEncoded(payload, 0, payload.length);
          sent.put(offset, now);
          n++;
        }
        appended += n;
        if (n < perTick) {
          break; // the generator ran out
        }
        if (measureFrom < 0 && System.nanoTime() - start > 1_000_000_000L) {
          // after a second of warm-up, from the next batch's tick: a batch's slot is its 10 ms,
          // so a window of whole slots holds exactly the offered rate when the appends keep to
          // the schedule (timed from the appends themselves, the last batch's scheduling jitter
          // made 20,000 offered read as 19,999 now and then)
          measureFrom = start + appended / perTick * 10_000_000L;
          eventsAtMeasure = detector.events();
          appendedAtMeasure = appended;
          latencies.clear();
        }
      }
      // the end of the last batch's slot, or later when the appends fell behind the schedule
      long measureTo = Math.max(System.nanoTime(), start + appended / perTick * 10_000_000L);
      long eventsAtEnd = detector.events();
      long appendedInWindow = appended - appendedAtMeasure;
      // let the detector finish what was sent, for the last alerts' latencies
      long settle = System.nanoTime() + 10_000_000_000L;
      while (detector.position() < spool.durable() && System.nanoTime() < settle) {
        Thread.sleep(5);
      }
      // The detector sustained the offered rate when it caught up with everything appended (its
      // latencies say how far behind it ran meanwhile); counting its own passes inside the window
      // would instead depend on where the window's edges cut its 20 ms polls.
      boolean caughtUp = detector.position() >= spool.durable();
      stop.set(true);
      follower.join(10_000);
      syncer.join(10_000);
      double window = (measureTo - measureFrom) / 1e9;
      List<Double> sorted = new ArrayList<>(latencies);
      Collections.sort(sorted);
      return new Result(
          rate,
          (caughtUp ? appendedInWindow : eventsAtEnd - eventsAtMeasure) / window,
          detector.events(),
          log.count(),
          percentile(sorted, 0.50),
          percentile(sorted, 0.99),
          sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() - 1),
          window);
    }
  }

  static double percentile(List<Double> sorted, double p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
  }
}
