package dev.rampart.store;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.Timestamps;
import dev.rampart.core.io.ProblemSink;
import dev.rampart.ingest.spool.ByteSink;
import dev.rampart.ingest.spool.EventCodec;
import dev.rampart.ingest.spool.Spool;
import dev.rampart.store.index.Indexer;
import dev.rampart.store.index.Partition;
import dev.rampart.store.index.SpoolIndexer;
import dev.rampart.store.mapping.FieldType;
import dev.rampart.store.mapping.Mapping;
import dev.rampart.store.mapping.StoreFields;
import dev.rampart.store.query.QueryException;
import dev.rampart.store.search.SearchRequest;
import dev.rampart.store.search.SearchResult;
import dev.rampart.store.search.Searcher;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;

/**
 * Rampart's event store: day partitions of Lucene indexes under {@code DATA/store}, the field
 * mapping beside them, loaded from the spool ({@link #indexSpool}) or NDJSON ({@link #importer}),
 * searched with the hunting query language ({@link #search}).
 *
 * <pre>{@code
 * try (EventStore store = EventStore.open(Path.of("data/store"), StoreOptions.defaults())) {
 *   SearchResult r = store.search(SearchRequest.of("event.code:4625 | stats count() by user.name"));
 * }
 * }</pre>
 */
public final class EventStore implements Closeable, dev.rampart.store.search.EventSearch {
  private final Path dir;
  private final Mapping mapping;
  private final Indexer indexer;
  private final StoreOptions options;
  private final ExecutorService searchPool;

  private EventStore(Path dir, StoreOptions options, ProblemSink problems) throws IOException {
    this.dir = dir;
    this.options = options;
    Files.createDirectories(dir);
    this.mapping = Mapping.open(dir.resolve("mapping.json"), options.mappingOverrides());
    this.indexer = new Indexer(dir.resolve("days"), mapping, options.indexer(), problems);
    this.searchPool =
        Executors.newFixedThreadPool(
            Math.max(1, Runtime.getRuntime().availableProcessors()),
            Thread.ofPlatform().name("search-", 0).daemon(true).factory());
  }

  public static EventStore open(Path dir, StoreOptions options) throws IOException {
    return new EventStore(dir, options, ProblemSink.IGNORE);
  }

  public static EventStore open(Path dir, StoreOptions options, ProblemSink problems)
      throws IOException {
    return new EventStore(dir, options, problems);
  }

  public Path dir() {
    return dir;
  }

  public Mapping mapping() {
    return mapping;
  }

  /** Indexing counters: indexed, skipped (already committed), rejected, unindexed values. */
  public Indexer indexer() {
    return indexer;
  }

  // ---- loading ----

  /**
   * Indexes everything durable in {@code spool} after the store's committed offset and commits;
   * returns the offset reached. Safe to call again after a crash: see {@link SpoolIndexer}.
   */
  public long indexSpool(Spool spool, LongConsumer progress) throws IOException {
    return new SpoolIndexer(spool, indexer, options.commitEvery()).catchUp(progress);
  }

  /**
   * The spool offset below which every spooled event is committed and searchable (events' ids are
   * their offsets), 0 before the first commit. All open days commit with the same offset, so the
   * highest of the days' is everyone's.
   */
  public long indexedSpool() throws IOException {
    long max = 0;
    for (Partition p : indexer.partitions()) {
      max = Math.max(max, p.committedSpool());
    }
    return max;
  }

  /** A spool consumer for a server's indexing loop. */
  public SpoolIndexer spoolIndexer(Spool spool) {
    return new SpoolIndexer(spool, indexer, options.commitEvery());
  }

  /**
   * Loads events directly (not through a spool): ids continue the import sequence; {@link
   * Importer#close} commits. Re-importing a file adds its events again.
   */
  public Importer importer() throws IOException {
    long next = StoreFields.IMPORT_BASE;
    for (Partition p : indexer.partitions()) {
      next = Math.max(next, p.committed(Partition.IMPORT));
    }
    return new Importer(next);
  }

  /** Adds events in batches on the indexing threads. */
  public final class Importer implements Closeable {
    private static final int BATCH = 2048;
    private final EventCodec.Encoder encoder = new EventCodec.Encoder();
    private long next;
    private ByteSink sink = new ByteSink(1 << 20);
    private int[] offs = new int[BATCH];
    private int[] lens = new int[BATCH];
    private long[] ids = new long[BATCH];
    private int count;
    private long added;

    Importer(long next) {
      this.next = next;
    }

    public void add(Event e) throws IOException {
      int start = sink.size();
      encoder.encode(e, sink);
      offs[count] = start;
      lens[count] = sink.size() - start;
      ids[count] = next++;
      count++;
      added++;
      if (count == BATCH) {
        flush();
      }
    }

    public long added() {
      return added;
    }

    private void flush() throws IOException {
      if (count == 0) {
        return;
      }
      indexer.submit(new Indexer.Batch(sink.array(), offs, lens, ids, count, false));
      sink = new ByteSink(1 << 20);
      offs = new int[BATCH];
      lens = new int[BATCH];
      ids = new long[BATCH];
      count = 0;
    }

    /** Indexes what is left and commits. */
    @Override
    public void close() throws IOException {
      flush();
      indexer.commit(Map.of(Partition.IMPORT, Long.toString(next)));
    }
  }

  // ---- searching ----

  @Override
  public SearchResult search(SearchRequest r) throws QueryException, IOException {
    List<DirectoryReader> readers = readers(r.fromNanos(), r.toNanos());
    try {
      return new Searcher(mapping, searchPool).search(readers, r);
    } finally {
      for (DirectoryReader d : readers) {
        d.decRef();
      }
    }
  }

  /**
   * The events {@code r}'s filter matches (no pipes), newest first, up to its limit, each with its
   * id; the event object is reused between calls, so copy what must outlive one.
   */
  public int events(SearchRequest r, java.util.function.ObjLongConsumer<Event> sink)
      throws QueryException, IOException {
    List<DirectoryReader> readers = readers(r.fromNanos(), r.toNanos());
    try {
      return new Searcher(mapping, searchPool).events(readers, r, sink);
    } finally {
      for (DirectoryReader d : readers) {
        d.decRef();
      }
    }
  }

  /**
   * Every event {@code r}'s filter matches in its time range, with no sort, limit or timeout, on
   * {@code threads} threads each with its own visitor: a hunt through the store. Days go oldest
   * first, each in the order it was indexed; on one thread that is the order of visits (near time
   * order); no part is begun after {@code budget} (null: none). See {@link
   * dev.rampart.store.search.Searcher#scan}.
   */
  public Searcher.Scanned scan(
      SearchRequest r,
      int threads,
      java.util.function.Supplier<dev.rampart.store.search.Searcher.Visitor> visitors,
      java.time.Duration budget)
      throws QueryException, IOException {
    List<DirectoryReader> readers = readers(r.fromNanos(), r.toNanos());
    try {
      return new Searcher(mapping, searchPool).scan(readers, r, threads, visitors, budget);
    } finally {
      for (DirectoryReader d : readers) {
        d.decRef();
      }
    }
  }

  /**
   * Every event {@code r}'s filter matches, on the calling thread, in event-time order near enough
   * for detectors that learn as time passes. See {@link
   * dev.rampart.store.search.Searcher#scanByTime}.
   */
  public long scanByTime(SearchRequest r, dev.rampart.store.search.Searcher.Visitor visitor)
      throws QueryException, IOException {
    List<DirectoryReader> readers = readers(r.fromNanos(), r.toNanos());
    try {
      return new Searcher(mapping, searchPool).scanByTime(readers, r, visitor);
    } finally {
      for (DirectoryReader d : readers) {
        d.decRef();
      }
    }
  }

  /** Readers (referenced: decRef each) of the days that overlap [from, to). */
  private List<DirectoryReader> readers(long from, long to) throws IOException {
    List<DirectoryReader> out = new ArrayList<>();
    long day = 86_400_000_000_000L;
    for (Partition p : indexer.partitions()) {
      long start = p.day().toEpochDay() * day;
      if (start + day <= from || start >= to) {
        continue;
      }
      DirectoryReader r = p.reader();
      if (r != null) {
        out.add(r);
      }
    }
    return out;
  }

  /**
   * The event with {@code id} and up to {@code n} events before and after it from the same host
   * (its source host, else host.name), oldest first; empty when there is no such event. Before and
   * after are by (time, id), through the same cursors as paging, so ties in time are exact.
   */
  public List<Map<String, Object>> context(long id, int n) throws IOException, QueryException {
    return context(id, n, null);
  }

  /** {@link #context(long, int)} among the events that match {@code scope} (null: all). */
  public List<Map<String, Object>> context(long id, int n, String scope)
      throws IOException, QueryException {
    SearchResult hit = search(SearchRequest.of("_id:" + id).withLimit(1).scoped(scope));
    if (hit.rows().isEmpty()) {
      return List.of();
    }
    Map<String, Object> event = hit.rows().get(0);
    String hostField = event.containsKey("rampart.host") ? "rampart.host" : "host.name";
    Object host = event.get(hostField);
    String sameHost =
        host == null ? "NOT " + hostField + ":*" : hostField + ":\"" + escape(host) + "\"";
    long ts = Timestamps.parse(String.valueOf(event.get("@timestamp")));
    String cursor = ts + ":" + id;
    List<Map<String, Object>> out = new ArrayList<>();
    if (n > 0) {
      List<Map<String, Object>> before =
          new ArrayList<>(
              search(SearchRequest.of(sameHost).withLimit(n).withAfter(cursor).scoped(scope))
                  .rows());
      java.util.Collections.reverse(before);
      out.addAll(before);
    }
    out.add(event);
    if (n > 0) {
      out.addAll(
          search(
                  SearchRequest.of(sameHost)
                      .withLimit(n)
                      .withAfter(cursor)
                      .ascending()
                      .scoped(scope))
              .rows());
    }
    return out;
  }

  private static String escape(Object v) {
    return String.valueOf(v).replace("\\", "\\\\").replace("\"", "\\\"");
  }

  // ---- housekeeping ----

  /** One day's partition: its events, bytes on disk. */
  public record DayStats(LocalDate day, long events, long bytes) {}

  /** Events and bytes per day, oldest first. */
  public List<DayStats> stats() throws IOException {
    List<DayStats> out = new ArrayList<>();
    for (Partition p : indexer.partitions()) {
      DirectoryReader r = p.reader();
      long events = 0;
      if (r != null) {
        events = r.numDocs();
        r.decRef();
      }
      out.add(new DayStats(p.day(), events, p.bytes()));
    }
    return out;
  }

  public Map<String, FieldType> fields() {
    return mapping.fields();
  }

  /**
   * Deletes whole days older than {@code maxAge} (before {@code now}'s day minus it), then the
   * oldest days while the store is larger than {@code maxBytes}; returns the days deleted. The
   * newest day is never deleted by size, nor a day another process is writing.
   */
  public List<LocalDate> applyRetention(Duration maxAge, long maxBytes, Instant now)
      throws IOException {
    List<LocalDate> deleted = new ArrayList<>();
    LocalDate cutoff =
        maxAge == null ? null : LocalDate.ofInstant(now.minus(maxAge), ZoneOffset.UTC);
    List<Partition> all = indexer.partitions();
    long total = 0;
    for (Partition p : all) {
      total += p.bytes();
    }
    for (int i = 0; i < all.size(); i++) {
      Partition p = all.get(i);
      boolean old = cutoff != null && p.day().isBefore(cutoff);
      boolean big = maxBytes > 0 && total > maxBytes && i < all.size() - 1;
      if (!old && !big) {
        continue;
      }
      if (p.lockedElsewhere()) {
        continue; // a running server is writing this day; it stays until the next pass
      }
      total -= p.bytes();
      indexer.forget(p.day());
      p.close();
      try (Stream<Path> walk = Files.walk(p.dir())) {
        for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      }
      deleted.add(p.day());
    }
    return deleted;
  }

  @Override
  public void close() throws IOException {
    searchPool.shutdownNow();
    indexer.close();
  }
}
