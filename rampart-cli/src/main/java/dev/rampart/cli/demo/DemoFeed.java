package dev.rampart.cli.demo;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.Timestamps;
import dev.rampart.core.io.ProblemSink;
import dev.rampart.core.json.JsonEventReader;
import dev.rampart.core.json.ReadOptions;
import dev.rampart.ingest.spool.ByteSink;
import dev.rampart.ingest.spool.EventCodec;
import dev.rampart.ingest.spool.Spool;
import dev.rampart.simulate.Scenario;
import dev.rampart.simulate.Simulator;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The demo's traffic: a minute at a time of the simulated office with every attack scenario woven
 * in, timed from now, appended to the server's spool as the events' times come (so detection,
 * incidents and the console see a live SOC), synced to disk every 100 ms.
 */
final class DemoFeed {
  private static final long MINUTE = 60_000_000_000L;

  private final Spool spool;
  private final int rate;

  DemoFeed(Spool spool, int rate) {
    this.spool = spool;
    this.rate = rate;
  }

  void run(BooleanSupplier stop) throws Exception {
    Event e = new Event();
    EventCodec.Encoder encoder = new EventCodec.Encoder();
    ByteSink sink = new ByteSink(4096);
    long lastSync = System.nanoTime();
    for (long round = 0; !stop.getAsBoolean(); round++) {
      long start = Timestamps.fromInstant(Instant.now());
      Simulator.Options o =
          new Simulator.Options(
              List.copyOf(EnumSet.allOf(Scenario.class)),
              (long) rate * 60,
              7 + round,
              start,
              MINUTE,
              50,
              1);
      PipedInputStream in = new PipedInputStream(1 << 20);
      PipedOutputStream pipe = new PipedOutputStream(in);
      Thread gen =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try (pipe) {
                      Simulator.run(o, pipe, t -> {}, x -> {});
                    } catch (Exception closed) {
                      // the demo is stopping
                    }
                  });
      try (JsonEventReader reader =
          new JsonEventReader(in, "simulate", ReadOptions.DEFAULTS, ProblemSink.IGNORE)) {
        while (!stop.getAsBoolean() && reader.next(e)) {
          long wait = (e.timestamp() - Timestamps.fromInstant(Instant.now())) / 1_000_000;
          if (wait > 0) {
            Thread.sleep(Math.min(wait, 1000));
          }
          sink.reset();
          encoder.encode(e, sink);
          byte[] b = sink.toByteArray();
          spool.appendEncoded(b, 0, b.length);
          if (System.nanoTime() - lastSync > 100_000_000L) {
            spool.syncTo(spool.end());
            lastSync = System.nanoTime();
          }
        }
      }
      spool.syncTo(spool.end());
      gen.interrupt();
    }
  }
}
