package dev.rampart.cli.hunt;

import dev.rampart.alerting.alert.Alert;
import dev.rampart.alerting.anomaly.Anomalies;
import dev.rampart.core.event.Event;
import dev.rampart.core.io.Problems;
import dev.rampart.ingest.files.LogFiles;
import dev.rampart.store.EventStore;
import dev.rampart.store.search.SearchRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The anomaly detectors over hunted files, in event-time order across files: each file is read on
 * its own virtual thread into a small queue, and the event with the earliest time among the files'
 * next ones goes first (logs are in time order within a file, near enough). Bad records were
 * reported by the rule pass and are only skipped here.
 */
final class AnomalyPass {
  private AnomalyPass() {}

  /**
   * An anomaly with the place of the event that raised it ({@code file:line}, EVTX {@code #}) and
   * the event's {@code event.id} (null without one).
   */
  record Found(Alert alert, String source, String eventId) {}

  private record Item(Event event, String source) {}

  private static final Item END = new Item(null, null);

  private static final class Cursor {
    final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(1024);
    Item head;

    boolean advance() throws InterruptedException {
      head = queue.take();
      return head != END;
    }
  }

  static List<Found> run(
      List<Path> files, LogFiles.Options reading, Anomalies.Config config, long fromNs, long toNs)
      throws InterruptedException {
    Anomalies anomalies = new Anomalies(config, s -> Alert.DEFAULT_TENANT);
    List<Thread> readers = new ArrayList<>();
    PriorityQueue<Cursor> next =
        new PriorityQueue<>(Comparator.comparingLong(c -> c.head.event().timestamp()));
    List<Cursor> cursors = new ArrayList<>();
    for (Path f : files) {
      Cursor c = new Cursor();
      cursors.add(c);
      readers.add(Thread.ofVirtual().name("anomalies " + f).start(() -> read(f, reading, c.queue)));
    }
    List<Found> found = new ArrayList<>();
    List<Alert> out = new ArrayList<>();
    try {
      for (Cursor c : cursors) {
        if (c.advance()) {
          next.add(c);
        }
      }
      long seq = 0;
      while (!next.isEmpty()) {
        Cursor c = next.poll();
        Event e = c.head.event();
        if (!e.hasTimestamp() || (e.timestamp() >= fromNs && e.timestamp() < toNs)) {
          anomalies.observe(e, seq++, out);
          for (Alert a : out) {
            found.add(new Found(a, c.head.source(), e.getText("event.id")));
          }
          out.clear();
        }
        if (c.advance()) {
          next.add(c);
        }
      }
    } finally {
      readers.forEach(Thread::interrupt);
    }
    return found;
  }

  /**
   * The anomaly detectors over the events of the store {@code r} selects, in event-time order (days
   * oldest first, each day's events sorted by time as they are read).
   */
  static List<Found> run(EventStore store, SearchRequest r, Anomalies.Config config)
      throws java.io.IOException, dev.rampart.store.query.QueryException {
    Anomalies anomalies = new Anomalies(config, s -> Alert.DEFAULT_TENANT);
    List<Found> found = new ArrayList<>();
    List<Alert> out = new ArrayList<>();
    long[] seq = {0};
    store.scanByTime(
        r,
        (e, id) -> {
          anomalies.observe(e, seq[0]++, out);
          for (Alert a : out) {
            found.add(
                new Found(a, HuntCommand.place(HuntCommand.STORE, id, -1), e.getText("event.id")));
          }
          out.clear();
        });
    return found;
  }

  private static void read(Path file, LogFiles.Options reading, BlockingQueue<Item> queue) {
    String name = LogFiles.name(file);
    try {
      LogFiles.read(
          file,
          null,
          reading,
          new Problems(0),
          (e, line, offset) ->
              put(queue, new Item(e.copy(), HuntCommand.place(name, line, offset))));
    } catch (java.io.IOException | RuntimeException ex) {
      // the rule pass reported the file as unreadable; here it simply ends
    } finally {
      try {
        queue.put(END);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the merge stopped; nobody waits for the end
      }
    }
  }

  private static void put(BlockingQueue<Item> q, Item item) {
    try {
      q.put(item);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("stopped", e);
    }
  }
}
