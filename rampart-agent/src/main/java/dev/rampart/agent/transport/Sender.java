package dev.rampart.agent.transport;

import dev.rampart.agent.wal.AgentWal;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Moves records from the write-ahead log to the server: reads from the acknowledged point, sends a
 * batch, and acknowledges in the log what the server acknowledged. A failed send is retried with
 * backoff (half a second doubling to thirty); nothing leaves the log until the server has it, so a
 * restart of either side resends at most the last unacknowledged batch, which the server counts as
 * duplicates.
 */
public final class Sender {
  /** Records and bytes per batch, the pause when idle, the longest backoff. */
  public record Options(int batchRecords, int batchBytes, long idleMillis, long maxBackoffMillis) {
    public static final Options DEFAULTS = new Options(1000, 4 << 20, 200, 30_000);
  }

  private final AgentWal wal;
  private final ServerLink link;
  private final Options options;
  public final AtomicLong sent = new AtomicLong();
  public final AtomicLong batches = new AtomicLong();
  public final AtomicLong failures = new AtomicLong();
  public volatile String lastError;

  public Sender(AgentWal wal, ServerLink link, Options options) {
    this.wal = wal;
    this.link = link;
    this.options = options;
  }

  /**
   * Sends one batch if the log holds unacknowledged records; false when it holds none.
   *
   * @throws IOException when the server cannot be reached or refuses the batch
   */
  public boolean sendOnce() throws IOException, InterruptedException {
    List<AgentWal.Record> records = wal.read(wal.acked(), options.batchRecords());
    if (records.isEmpty()) {
      return false;
    }
    List<Protocol.Item> items = new ArrayList<>(records.size());
    long bytes = 0;
    for (AgentWal.Record r : records) {
      if (!items.isEmpty() && bytes + r.data().length > options.batchBytes()) {
        break;
      }
      items.add(new Protocol.Item(r.seq(), r.next(), r.data()));
      bytes += r.data().length;
    }
    Protocol.Ack ack = link.send(items);
    long last = items.get(items.size() - 1).next();
    // never past what was sent: an answer beyond it would free records the server never saw
    wal.ack(Math.min(ack.ack(), last));
    sent.addAndGet(items.size());
    batches.incrementAndGet();
    return true;
  }

  /** Sends until {@code stop} holds, pausing when idle and backing off after failures. */
  public void run(BooleanSupplier stop) {
    long backoff = 500;
    while (!stop.getAsBoolean()) {
      try {
        if (!sendOnce()) {
          Thread.sleep(options.idleMillis());
        }
        backoff = 500;
        lastError = null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (IOException | RuntimeException e) {
        failures.incrementAndGet();
        lastError = e.getMessage();
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
        backoff = Math.min(options.maxBackoffMillis(), backoff * 2);
      }
    }
  }
}
