package dev.rampart.agent.wal;

import dev.rampart.core.event.Event;
import dev.rampart.core.io.ProblemSink;
import dev.rampart.ingest.spool.ByteSink;
import dev.rampart.ingest.spool.EventCodec;
import dev.rampart.ingest.spool.Spool;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's write-ahead log: every record (FIM, logs, inventory, check results) is appended here
 * and forced to disk before the agent counts it as kept; the server's cumulative acknowledgement
 * frees it. It is the ingestion spool (segments, CRC-checked records, recovery of a torn tail after
 * kill -9), with a size bound and a policy for when the bound is reached: {@link WhenFull#REFUSE}
 * keeps what is held and refuses the new record, {@link WhenFull#DROP_OLDEST} gives up the oldest
 * unacknowledged segment. Both are counted, never silent. Sequence numbers are the records'
 * offsets: increasing, stable across restarts.
 */
public final class AgentWal implements Closeable {
  /** What to do when unacknowledged records reach the bound. */
  public enum WhenFull {
    REFUSE,
    DROP_OLDEST
  }

  public record Options(long maxBytes, WhenFull whenFull, long segmentBytes) {
    public static final Options DEFAULTS = new Options(256L << 20, WhenFull.REFUSE, 8L << 20);
  }

  /** The record was refused: the log is full of unacknowledged records. */
  public static final class FullException extends IOException {
    private static final long serialVersionUID = 1L;

    public FullException(String message) {
      super(message);
    }
  }

  /** A record read back with its sequence number and the sequence after it (what to ack). */
  public record Record(long seq, long next, byte[] data) {}

  static final String CONSUMER = "server";
  private static final int FRAME = Spool.FRAME_HEADER;

  private final Path dir;
  private final ProblemSink problems;
  // replaced when a write failed (a full disk): see reopenIfFailed
  private volatile Spool spool;
  private final Options options;
  private final AtomicLong reopened = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong droppedRecords = new AtomicLong();
  private long acked;

  private AgentWal(Path dir, Options options, ProblemSink problems) throws IOException {
    this.dir = dir;
    this.problems = problems;
    this.options = options;
    this.spool = openSpool(dir, options, problems);
    this.acked = spool.committed(CONSUMER);
  }

  public static AgentWal open(Path dir, Options o, ProblemSink problems) throws IOException {
    return new AgentWal(dir, o, problems);
  }

  private static Spool openSpool(Path dir, Options o, ProblemSink problems) throws IOException {
    // the spool's own retention must never drop records: the bound is enforced here, visibly
    return Spool.open(
        dir,
        new Spool.Options(o.segmentBytes(), true, Long.MAX_VALUE, Duration.ofDays(365 * 100)),
        problems);
  }

  /**
   * After a failed write (a full disk) the spool keeps what was synced and refuses the rest until
   * reopened; reopening here lets the next record try again, and {@link #generation} tells holders
   * of the old spool (the log tailers) to take the new one.
   */
  private synchronized void reopenIfFailed() throws IOException {
    if (spool.failed()) {
      spool.close();
      spool = openSpool(dir, options, problems);
      acked = Math.max(acked, spool.committed(CONSUMER));
      reopened.incrementAndGet();
    }
  }

  /** How many times the log was reopened after a failed write. */
  public long generation() {
    return reopened.get();
  }

  /** Appends a record (not yet durable: {@link #sync}); returns its sequence number. */
  public synchronized long append(byte[] data) throws IOException {
    reopenIfFailed();
    long need = FRAME + (long) data.length;
    if (need > options.maxBytes()) {
      refused.incrementAndGet();
      throw new FullException("a record of " + data.length + " bytes is larger than the log");
    }
    while (spool.bytes() + need > options.maxBytes()) {
      if (options.whenFull() == WhenFull.REFUSE || !dropOldest()) {
        refused.incrementAndGet();
        throw new FullException(
            "write-ahead log full: "
                + spool.bytes()
                + " bytes unacknowledged (max "
                + options.maxBytes()
                + "); record refused");
      }
    }
    return spool.appendEncoded(data, 0, data.length);
  }

  /** Appends an event in the spool's encoding (not yet durable: {@link #sync}). */
  public long append(Event e) throws IOException {
    ByteSink b = new ByteSink(512);
    EventCodec.encode(e, b);
    return append(b.toByteArray());
  }

  /**
   * The log's spool, for the file tailer's pipeline, which appends to it directly. Such appends
   * bypass the bound; the caller holds them to it with {@link #overBound} (pause the tailer: the
   * log file itself keeps the lines) or {@link #enforce} (give up the oldest).
   */
  public Spool spool() {
    return spool;
  }

  /** Whether the unacknowledged records have reached the bound. */
  public boolean overBound() throws IOException {
    return spool.bytes() >= options.maxBytes();
  }

  /** Under {@link WhenFull#DROP_OLDEST}, gives up the oldest segments until under the bound. */
  public synchronized void enforce() throws IOException {
    while (options.whenFull() == WhenFull.DROP_OLDEST
        && spool.bytes() > options.maxBytes()
        && dropOldest()) {
      // dropped and counted
    }
  }

  public Options options() {
    return options;
  }

  // gives up the oldest closed segment: its records are counted as dropped
  private boolean dropOldest() throws IOException {
    long start = spool.start();
    long[] count = {0};
    spool.syncTo(spool.end());
    // the first segment ends where the second begins: read only up to that point
    long next = firstSegmentEnd();
    if (next < 0) {
      return false; // only the active segment: nothing closed to give up
    }
    spool.readRaw(
        start,
        (d, off, len, offset, nx) -> {
          if (offset < next && offset >= acked) {
            count[0]++;
          }
        });
    spool.deleteBefore(next);
    droppedRecords.addAndGet(count[0]);
    if (acked < next) {
      acked = next;
      spool.commit(CONSUMER, next);
    }
    return true;
  }

  // where the oldest segment ends (the next one begins); -1 when only the active one is left
  private long firstSegmentEnd() throws IOException {
    List<Long> bases = spool.segmentBases();
    return bases.size() < 2 ? -1 : bases.get(1);
  }

  /** Forces everything appended so far to disk. */
  public void sync() throws IOException {
    reopenIfFailed();
    Spool s = spool;
    s.syncTo(s.end());
  }

  /** Up to {@code max} durable records from {@code from} on (a sequence or an acked position). */
  public List<Record> read(long from, int max) throws IOException {
    List<Record> out = new ArrayList<>();
    spool.readRaw(
        Math.max(from, acked()),
        (d, off, len, offset, next) -> {
          if (out.size() < max) {
            out.add(new Record(offset, next, java.util.Arrays.copyOfRange(d, off, off + len)));
          }
        });
    return out;
  }

  /**
   * The server has everything before {@code next} (a record's {@link Record#next}): durably noted,
   * and whole segments before it freed. Acknowledgements only move forward.
   */
  public synchronized void ack(long next) throws IOException {
    if (next <= acked) {
      return;
    }
    if (next > spool.durable()) {
      throw new IOException(
          "ack " + next + " is beyond what the log holds (" + spool.durable() + ")");
    }
    // segments first: on a full disk, freeing them is what lets the small commit file be written
    // (a crash between the two only means reading from the start of what is left)
    spool.deleteBefore(next);
    acked = next;
    spool.commit(CONSUMER, next);
  }

  public synchronized long acked() {
    return acked;
  }

  public long end() {
    return spool.end();
  }

  /** Bytes held on disk (unacknowledged records, and acknowledged ones in the active segment). */
  public long bytes() throws IOException {
    return spool.bytes();
  }

  public long refused() {
    return refused.get();
  }

  public long dropped() {
    return droppedRecords.get();
  }

  @Override
  public void close() throws IOException {
    spool.close();
  }
}
