package dev.rampart.store.index;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.Timestamps;
import dev.rampart.core.io.Problem;
import dev.rampart.core.io.ProblemSink;
import dev.rampart.ingest.spool.EventCodec;
import dev.rampart.store.mapping.Mapping;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Indexes batches of encoded events on a pool of threads into the day partitions under {@code
 * root}. A batch's records are decoded, routed to their day by timestamp, and added; records from
 * the spool that a partition's last commit already holds are skipped, which is what makes a replay
 * after a crash free of duplicates. {@link #commit} waits for every batch submitted before it.
 */
public final class Indexer implements Closeable {
  /**
   * @param threads indexing threads
   * @param ramBufferMb Lucene's in-memory buffer per open day
   */
  public record Options(int threads, double ramBufferMb) {
    public static Options defaults() {
      // 128 MB: larger buffers measured no faster once commits flush on every thread (the term
      // hashes outgrow the caches), and a server keeps up to a few days' writers open at once.
      return new Options(Math.max(1, Runtime.getRuntime().availableProcessors()), 128);
    }
  }

  /**
   * Encoded events: record {@code i} is {@code data[offs[i], offs[i]+lens[i])} with id {@code
   * ids[i]}; {@code fromSpool} when the ids are spool offsets (skipped when already committed).
   */
  public record Batch(
      byte[] data, int[] offs, int[] lens, long[] ids, int count, boolean fromSpool) {}

  private static final long DAY_NANOS = 86_400_000_000_000L;

  private final Path root;
  private final Mapping mapping;
  private final Options options;
  private final ProblemSink problems;
  private final ConcurrentHashMap<LocalDate, Partition> partitions = new ConcurrentHashMap<>();
  private final ExecutorService pool;
  private final Semaphore inflight;
  private final List<Future<?>> pending = new ArrayList<>();
  private final ThreadLocal<Worker> workers;
  public final AtomicLong indexed = new AtomicLong();
  public final AtomicLong skipped = new AtomicLong();
  public final AtomicLong rejected = new AtomicLong();
  public final AtomicLong unindexedValues = new AtomicLong();

  private final class Worker {
    final Event event = new Event();
    final DocumentBuilder builder = new DocumentBuilder(mapping);
    Partition last;
    long lastDay = Long.MIN_VALUE;
  }

  public Indexer(Path root, Mapping mapping, Options options, ProblemSink problems)
      throws IOException {
    this.root = root;
    this.mapping = mapping;
    this.options = options;
    this.problems = problems;
    Files.createDirectories(root);
    this.pool =
        Executors.newFixedThreadPool(
            options.threads(), Thread.ofPlatform().name("indexer-", 0).daemon(true).factory());
    this.inflight = new Semaphore(options.threads() * 4);
    this.workers = ThreadLocal.withInitial(Worker::new);
  }

  /** The day partition of {@code day}, opened (and created) on first use. */
  public Partition partition(LocalDate day) {
    return partitions.computeIfAbsent(
        day,
        d -> {
          try {
            return new Partition(d, root.resolve(d.toString()), options.ramBufferMb());
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /** Every partition on disk, oldest first. */
  public List<Partition> partitions() throws IOException {
    Map<LocalDate, Partition> out = new TreeMap<>();
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path p : dirs.toList()) {
        try {
          LocalDate d = LocalDate.parse(p.getFileName().toString());
          out.put(d, partition(d));
        } catch (java.time.format.DateTimeParseException notADay) {
          // not ours
        }
      }
    }
    return new ArrayList<>(out.values());
  }

  /** Removes a partition from use (retention); the caller deletes its folder. */
  public Partition forget(LocalDate day) {
    return partitions.remove(day);
  }

  /** Queues {@code b}; blocks while enough batches are already waiting. */
  public synchronized void submit(Batch b) throws IOException {
    try {
      inflight.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    pending.add(
        pool.submit(
            () -> {
              try {
                index(b);
              } finally {
                inflight.release();
              }
              return null;
            }));
    if (pending.size() > 1024) {
      pending.removeIf(Future::isDone);
    }
  }

  private void index(Batch b) throws IOException {
    Worker w = workers.get();
    for (int i = 0; i < b.count(); i++) {
      Event e = w.event;
      try {
        EventCodec.decode(b.data(), b.offs()[i], b.lens()[i], e);
      } catch (RuntimeException bad) {
        rejected.incrementAndGet();
        problems.report(
            Problem.error("store", 0, b.ids()[i], "event " + b.ids()[i] + ": " + bad.getMessage()));
        continue;
      }
      if (!e.hasTimestamp()) {
        e.timestamp(Timestamps.fromInstant(java.time.Instant.now()));
      }
      long day = Math.floorDiv(e.timestamp(), DAY_NANOS);
      if (w.last == null || day != w.lastDay || !partitions.containsKey(w.last.day())) {
        w.last = partition(LocalDate.ofEpochDay(day));
        w.lastDay = day;
      }
      Partition p = w.last;
      if (b.fromSpool() && b.ids()[i] < p.committedSpool()) {
        skipped.incrementAndGet();
        continue;
      }
      long before = w.builder.unindexed();
      p.writer().addDocument(w.builder.build(e, b.ids()[i], b.data(), b.offs()[i], b.lens()[i]));
      unindexedValues.addAndGet(w.builder.unindexed() - before);
      indexed.incrementAndGet();
    }
  }

  /** Waits for every submitted batch; rethrows the first failure. */
  public void await() throws IOException {
    List<Future<?>> all;
    synchronized (this) {
      all = new ArrayList<>(pending);
      pending.clear();
    }
    for (Future<?> f : all) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      } catch (java.util.concurrent.ExecutionException e) {
        if (e.getCause() instanceof IOException io) {
          throw io;
        }
        throw new IOException("indexing failed: " + e.getCause(), e.getCause());
      }
    }
  }

  /**
   * Waits for the submitted batches, saves the mapping, then commits every open partition with
   * {@code data}; partitions that received nothing since the previous commit close their writer.
   */
  public void commit(Map<String, String> data) throws IOException {
    await();
    flushInParallel();
    mapping.save();
    for (Partition p : partitions.values()) {
      boolean dirty = p.takeDirty();
      if (p.commit(data) && !dirty) {
        p.closeWriter();
      }
    }
  }

  /** Writes every partition's buffers on all indexing threads (nothing is being added now). */
  private void flushInParallel() throws IOException {
    List<Partition> open = List.copyOf(partitions.values());
    List<Future<?>> flushes = new ArrayList<>();
    for (int t = 0; t < options.threads(); t++) {
      flushes.add(
          pool.submit(
              () -> {
                for (Partition p : open) {
                  while (p.flushNextBuffer()) {
                    // the next buffer, until this day has none left
                  }
                }
                return null;
              }));
    }
    synchronized (this) {
      pending.addAll(flushes);
    }
    await();
  }

  @Override
  public void close() throws IOException {
    pool.shutdownNow();
    for (Partition p : partitions.values()) {
      p.close();
    }
    partitions.clear();
  }
}
