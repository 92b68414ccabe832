package dev.rampart.store.index;

import dev.rampart.ingest.spool.Spool;
import java.io.IOException;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * The store's spool consumer: reads records from the consumer offset the store last committed,
 * indexes them on the {@link Indexer}'s threads, and every {@code commitEvery} events (and at the
 * end of what is durable) commits the day partitions with the offset reached, then the spool
 * consumer offset. After kill -9 a restart re-reads from that offset; partitions that had already
 * committed further skip what they hold, so nothing is indexed twice and nothing acknowledged is
 * missed.
 */
public final class SpoolIndexer {
  /** The spool consumer name of the store. */
  public static final String CONSUMER = "store";

  private static final int BATCH = 2048;

  private final Spool spool;
  private final Indexer indexer;
  private final long commitEvery;

  public SpoolIndexer(Spool spool, Indexer indexer, long commitEvery) {
    this.spool = spool;
    this.indexer = indexer;
    this.commitEvery = commitEvery;
  }

  /**
   * Indexes everything durable in the spool now, committing as it goes; returns the offset reached
   * (committed). {@code progress} receives the offset after each batch.
   */
  public long catchUp(LongConsumer progress) throws IOException {
    long from = spool.committed(CONSUMER);
    Reader r = new Reader(from, progress);
    long end = spool.readRaw(from, r::accept);
    r.flush();
    if (end <= from) {
      return from; // nothing new: no empty commit
    }
    commit(end);
    return end;
  }

  /**
   * {@link #catchUp} in a loop, pausing {@code pauseMillis} after each pass: events become
   * searchable within about that long, and a busy spool is not committed to Lucene many times a
   * second.
   */
  public void run(BooleanSupplier stop, long pauseMillis) throws IOException {
    run(stop, pauseMillis, () -> {});
  }

  /**
   * {@link #run(BooleanSupplier, long)}, calling {@code betweenPasses} after each pass: the moment
   * nothing is being indexed, when retention may delete days.
   */
  public void run(BooleanSupplier stop, long pauseMillis, Runnable betweenPasses)
      throws IOException {
    while (!stop.getAsBoolean()) {
      catchUp(x -> {});
      betweenPasses.run();
      try {
        Thread.sleep(pauseMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void commit(long offset) throws IOException {
    indexer.commit(Map.of(Partition.SPOOL, Long.toString(offset)));
    spool.commit(CONSUMER, offset);
  }

  /** Gathers records into batches and commits between batches every commitEvery records. */
  private final class Reader {
    private final LongConsumer progress;
    private byte[] data;
    private int[] offs = new int[BATCH];
    private int[] lens = new int[BATCH];
    private long[] ids = new long[BATCH];
    private int count;
    private long sinceCommit;
    private long next;

    Reader(long from, LongConsumer progress) {
      this.progress = progress;
      this.next = from;
    }

    void accept(byte[] d, int off, int len, long offset, long nextOffset) throws IOException {
      if (d != data && count > 0) {
        flush(); // a batch references one segment's bytes
      }
      data = d;
      offs[count] = off;
      lens[count] = len;
      ids[count] = offset;
      count++;
      next = nextOffset;
      if (count == BATCH) {
        flush();
      }
    }

    void flush() throws IOException {
      if (count == 0) {
        return;
      }
      indexer.submit(new Indexer.Batch(data, offs, lens, ids, count, true));
      sinceCommit += count;
      offs = new int[BATCH];
      lens = new int[BATCH];
      ids = new long[BATCH];
      count = 0;
      progress.accept(next);
      if (sinceCommit >= commitEvery) {
        commit(next);
        sinceCommit = 0;
      }
    }
  }
}
