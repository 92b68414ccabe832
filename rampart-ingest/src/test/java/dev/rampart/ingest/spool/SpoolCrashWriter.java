package dev.rampart.ingest.spool;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.EventSource;
import dev.rampart.core.io.ProblemSink;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The process {@link SpoolCrashTest} kills: appends numbered events in batches, syncs, and only
 * then prints {@code ack N} (all events up to N are acknowledged), as an input answers a sender.
 */
public final class SpoolCrashWriter {
  private SpoolCrashWriter() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    long start = Long.parseLong(args[1]);
    Spool.Options o = new Spool.Options(256 << 10, true, 1L << 30, Duration.ofDays(1));
    try (Spool s = Spool.open(dir, o, ProblemSink.IGNORE)) {
      Event e = new Event();
      long seq = start;
      while (true) {
        for (int i = 0; i < 50; i++) {
          e.clear();
          e.source(new EventSource("crash-test", "h", "test"));
          e.addLong("seq", seq++);
          e.addString("message", "event number " + seq + " with some padding to fill the segments");
          s.append(e);
        }
        s.sync();
        System.out.println("ack " + (seq - 1));
        System.out.flush();
      }
    }
  }
}
