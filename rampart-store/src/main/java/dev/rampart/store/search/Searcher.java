package dev.rampart.store.search;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.Timestamps;
import dev.rampart.ingest.spool.EventCodec;
import dev.rampart.store.mapping.Mapping;
import dev.rampart.store.mapping.StoreFields;
import dev.rampart.store.query.Query;
import dev.rampart.store.query.Query.Agg;
import dev.rampart.store.query.Query.Fn;
import dev.rampart.store.query.Query.Pipe;
import dev.rampart.store.query.QueryException;
import dev.rampart.store.query.QueryParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.LongField;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.MultiReader;
import org.apache.lucene.index.QueryTimeoutImpl;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortedNumericSelector;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/**
 * Runs a query over a set of day indexes: plans the filter ({@link Planner}), counts the matches,
 * then either aggregates over doc values (a query whose first pipe is {@code stats} or {@code
 * timechart}) or reads events newest first, a page at a time, through the pipes. Limits: the
 * request's timeout and scan limit; what they cut short is marked partial and said in the notes.
 */
public final class Searcher {
  /** Most time buckets a timechart makes. */
  public static final int MAX_BUCKETS = 10_000;

  /** Series a timechart by a field shows; the rest are summed into OTHER. */
  public static final int MAX_SERIES = 10;

  private static final int PAGE = 1000;

  private final Mapping mapping;
  private final Executor executor;

  public Searcher(Mapping mapping, Executor executor) {
    this.mapping = mapping;
    this.executor = executor;
  }

  /** Newest first; ties broken by id, so a cursor is a (time, id) pair. */
  static Sort newestFirst() {
    return new Sort(
        LongField.newSortField(StoreFields.TIMESTAMP, true, SortedNumericSelector.Type.MAX),
        LongField.newSortField(StoreFields.ID, true, SortedNumericSelector.Type.MAX));
  }

  static Sort oldestFirst() {
    return new Sort(
        LongField.newSortField(StoreFields.TIMESTAMP, false, SortedNumericSelector.Type.MIN),
        LongField.newSortField(StoreFields.ID, false, SortedNumericSelector.Type.MIN));
  }

  public SearchResult search(List<? extends IndexReader> readers, SearchRequest r)
      throws QueryException, IOException {
    try {
      return run(readers, r);
    } catch (org.apache.lucene.util.automaton.TooComplexToDeterminizeException e) {
      throw new QueryException(
          1, "a wildcard is too complex to run; use fewer * and ? or a longer literal part");
    } catch (IndexSearcher.TooManyClauses e) {
      throw new QueryException(
          1,
          "the query expands to more than "
              + IndexSearcher.getMaxClauseCount()
              + " terms; narrow its wildcards or value lists");
    }
  }

  /**
   * {@link #filter} of a request that must be a filter alone: pipes are refused at their column.
   */
  private org.apache.lucene.search.Query filterOnly(SearchRequest r) throws QueryException {
    Query q = QueryParser.parse(r.query());
    if (!q.pipes().isEmpty()) {
      throw new QueryException(r.query().indexOf('|') + 1, "a filter without pipes is wanted here");
    }
    return filter(q, r);
  }

  /** The request's filter part with its time range and scope, as a Lucene query. */
  private org.apache.lucene.search.Query filter(Query q, SearchRequest r) throws QueryException {
    org.apache.lucene.search.Query filter = withRange(new Planner(mapping).plan(q.filter()), r);
    if (r.scope() == null) {
      return filter;
    }
    return new BooleanQuery.Builder()
        .add(filter, Occur.MUST)
        .add(new Planner(mapping).plan(QueryParser.parse(r.scope()).filter()), Occur.FILTER)
        .build();
  }

  /**
   * The events the request's filter matches (pipes are refused), newest first, at most its limit,
   * decoded from their stored originals: for work that needs the events themselves, such as testing
   * a rule against recent events. The event passed to {@code sink} is reused between calls.
   */
  public int events(
      List<? extends IndexReader> readers,
      SearchRequest r,
      java.util.function.ObjLongConsumer<Event> sink)
      throws QueryException, IOException {
    org.apache.lucene.search.Query filter = filterOnly(r);
    try (MultiReader all = new MultiReader(readers.toArray(IndexReader[]::new), false)) {
      IndexSearcher searcher = new IndexSearcher(all, executor);
      searcher.setTimeout(new QueryTimeoutImpl(r.timeout().toMillis()));
      TopFieldDocs top = searcher.search(filter, r.limit(), newestFirst(), false);
      StoredFields stored = searcher.storedFields();
      Event e = new Event();
      for (ScoreDoc sd : top.scoreDocs) {
        FieldDoc fd = (FieldDoc) sd;
        BytesRef src = stored.document(fd.doc).getBinaryValue(StoreFields.SOURCE);
        EventCodec.decode(src.bytes, src.offset, src.length, e);
        sink.accept(e, (Long) fd.fields[1]);
      }
      return top.scoreDocs.length;
    }
  }

  /** Takes each event of a {@link #scan}; the event is reused between calls on one thread. */
  @FunctionalInterface
  public interface Visitor {
    void visit(Event e, long id) throws IOException;
  }

  /**
   * What a {@link #scan} did: the events visited, and whether it read everything or stopped at its
   * time budget (then the visits are those of the parts read, each part whole).
   */
  public record Scanned(long visited, boolean complete) {}

  /** Documents per unit of a scan's work: a day is shared out between threads in these. */
  static final int SCAN_UNIT = 1 << 16;

  /**
   * Every event the request's filter matches in its time range (pipes are refused), decoded from
   * its stored original, with no sort, limit or timeout: the store's side of a hunt through it. The
   * readers go in their order, each in the order its events were indexed (near time order, since
   * the spool is). On one thread that is the order of visits; with more, each thread takes parts of
   * days with its own visitor from {@code visitors}, in no order. With a {@code budget} (null:
   * none), no part is begun after it has passed.
   */
  public Scanned scan(
      List<? extends IndexReader> readers,
      SearchRequest r,
      int threads,
      java.util.function.Supplier<Visitor> visitors,
      java.time.Duration budget)
      throws QueryException, IOException {
    long deadline = budget == null ? Long.MAX_VALUE : System.nanoTime() + budget.toNanos();
    org.apache.lucene.search.Query filter = filterOnly(r);
    try (MultiReader all = new MultiReader(readers.toArray(IndexReader[]::new), false)) {
      IndexSearcher searcher = new IndexSearcher(all);
      Weight weight =
          searcher.createWeight(searcher.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1f);
      Queue<ScanUnit> units = new ConcurrentLinkedQueue<>();
      for (LeafReaderContext leaf : all.leaves()) {
        int max = leaf.reader().maxDoc();
        for (int from = 0; from < max; from += SCAN_UNIT) {
          units.add(new ScanUnit(leaf, from, Math.min(max, from + SCAN_UNIT)));
        }
      }
      int n = Math.max(1, Math.min(threads, units.size()));
      if (n == 1) {
        long visited = scan(weight, units, visitors.get(), deadline);
        return new Scanned(visited, units.isEmpty());
      }
      AtomicLong visited = new AtomicLong();
      List<Throwable> failed = java.util.Collections.synchronizedList(new ArrayList<>());
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < n; t++) {
        Visitor v = visitors.get();
        workers.add(
            Thread.ofPlatform()
                .name("store-scan-" + t)
                .start(
                    () -> {
                      try {
                        visited.addAndGet(scan(weight, units, v, deadline));
                      } catch (Throwable e) {
                        failed.add(e);
                        units.clear(); // the others stop after their current part
                      }
                    }));
      }
      for (Thread w : workers) {
        try {
          w.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          units.clear();
          throw new java.io.InterruptedIOException("scan interrupted");
        }
      }
      if (!failed.isEmpty()) {
        Throwable e = failed.get(0);
        if (e instanceof IOException io) {
          throw io;
        }
        if (e instanceof RuntimeException re) {
          throw re;
        }
        throw new IOException(e);
      }
      return new Scanned(visited.get(), units.isEmpty());
    }
  }

  private record ScanUnit(LeafReaderContext leaf, int from, int to) {}

  /** Decodes document {@code doc}'s stored event into {@code e}; returns its id. */
  private static long read(StoredFields stored, int doc, Event e) throws IOException {
    Document d = stored.document(doc);
    BytesRef src = d.getBinaryValue(StoreFields.SOURCE);
    EventCodec.decode(src.bytes, src.offset, src.length, e);
    return d.getField(StoreFields.ID).numericValue().longValue();
  }

  /**
   * Stored fields for reading a segment's documents in ascending order: Lucene's merge instance,
   * which decompresses each block of documents once instead of once per document (a third of a
   * scan's time otherwise); as Elasticsearch reads sequential fetches. One per thread and part.
   */
  static StoredFields sequential(LeafReaderContext leaf) throws IOException {
    if (leaf.reader() instanceof org.apache.lucene.index.CodecReader codec
        && codec.getFieldsReader() != null) {
      return codec.getFieldsReader().getMergeInstance();
    }
    return leaf.reader().storedFields();
  }

  /** How far out of time order (in events) a day's segments may be and still come out sorted. */
  static final int REORDER_WINDOW = 1 << 16;

  /**
   * {@link #scan} on one thread in event-time order, for detectors that learn as time passes: days
   * oldest first, and within a day the segments merged by time. A segment holds the indexing
   * threads' share of the spool in about spool order (threads interleave their batches), so the
   * merge goes through a window of {@link #REORDER_WINDOW} events that puts them in exact order; an
   * event further out of place than that (a file of old logs imported late) comes where it was
   * indexed, as it would in a log file.
   */
  public long scanByTime(List<? extends IndexReader> readers, SearchRequest r, Visitor v)
      throws QueryException, IOException {
    org.apache.lucene.search.Query filter = filterOnly(r);
    Event e = new Event();
    long n = 0;
    for (IndexReader day : readers) {
      IndexSearcher searcher = new IndexSearcher(day);
      Weight weight =
          searcher.createWeight(searcher.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1f);
      java.util.PriorityQueue<TimeCursor> next =
          new java.util.PriorityQueue<>(
              Comparator.comparingLong(TimeCursor::time).thenComparingInt(TimeCursor::ord));
      for (LeafReaderContext leaf : day.leaves()) {
        ScorerSupplier supplier = weight.scorerSupplier(leaf);
        if (supplier != null) {
          TimeCursor c = new TimeCursor(leaf, supplier.get(Long.MAX_VALUE).iterator());
          if (c.advance()) {
            next.add(c);
          }
        }
      }
      java.util.PriorityQueue<Pending> window =
          new java.util.PriorityQueue<>(
              Comparator.comparingLong(Pending::time)
                  .thenComparingInt(p -> p.cursor().ord)
                  .thenComparingInt(Pending::doc));
      while (!next.isEmpty() || !window.isEmpty()) {
        if (!next.isEmpty() && window.size() < REORDER_WINDOW) {
          TimeCursor c = next.poll();
          window.add(new Pending(c.time, c, c.doc));
          if (c.advance()) {
            next.add(c);
          }
          continue;
        }
        Pending p = window.poll();
        v.visit(e, read(p.cursor().stored, p.doc(), e));
        n++;
      }
    }
    return n;
  }

  private record Pending(long time, TimeCursor cursor, int doc) {}

  /** A segment's next matching live document and its time. */
  private static final class TimeCursor {
    final int ord;
    final DocIdSetIterator it;
    final Bits live;
    final StoredFields stored;
    final org.apache.lucene.index.SortedNumericDocValues times;
    int doc = -1;
    long time;

    TimeCursor(LeafReaderContext leaf, DocIdSetIterator it) throws IOException {
      this.ord = leaf.ord;
      this.it = it;
      this.live = leaf.reader().getLiveDocs();
      this.stored = sequential(leaf);
      this.times =
          org.apache.lucene.index.DocValues.getSortedNumeric(leaf.reader(), StoreFields.TIMESTAMP);
    }

    int ord() {
      return ord;
    }

    long time() {
      return time;
    }

    boolean advance() throws IOException {
      do {
        doc = it.nextDoc();
      } while (doc != DocIdSetIterator.NO_MORE_DOCS && live != null && !live.get(doc));
      if (doc == DocIdSetIterator.NO_MORE_DOCS) {
        return false;
      }
      time = times.advanceExact(doc) ? times.nextValue() : Long.MIN_VALUE;
      return true;
    }
  }

  private static long scan(Weight weight, Queue<ScanUnit> units, Visitor v, long deadline)
      throws IOException {
    Event e = new Event();
    long n = 0;
    for (ScanUnit u; System.nanoTime() < deadline && (u = units.poll()) != null; ) {
      ScorerSupplier supplier = weight.scorerSupplier(u.leaf());
      if (supplier == null) {
        continue; // nothing in this part of the day matches
      }
      DocIdSetIterator it = supplier.get(u.to() - u.from()).iterator();
      Bits live = u.leaf().reader().getLiveDocs();
      StoredFields stored = sequential(u.leaf());
      for (int d = it.advance(u.from()); d < u.to(); d = it.nextDoc()) {
        if (live != null && !live.get(d)) {
          continue; // replaced by a replay of the same spool offset
        }
        v.visit(e, read(stored, d, e));
        n++;
      }
    }
    return n;
  }

  private SearchResult run(List<? extends IndexReader> readers, SearchRequest r)
      throws QueryException, IOException {
    long t0 = System.nanoTime();
    Query q = QueryParser.parse(r.query());
    org.apache.lucene.search.Query filter = filter(q, r);
    try (MultiReader all = new MultiReader(readers.toArray(IndexReader[]::new), false)) {
      IndexSearcher searcher = new IndexSearcher(all, executor);
      searcher.setTimeout(new QueryTimeoutImpl(r.timeout().toMillis()));
      List<String> notes = new ArrayList<>();
      long matched = searcher.count(filter);
      List<Pipe> pipes = q.pipes();
      Pipe first = pipes.isEmpty() ? null : pipes.get(0);
      String storedOnly = first instanceof Pipe.Stats st ? storedOnly(st.by(), st.aggs()) : null;
      if (storedOnly != null) {
        // no doc values to aggregate: the row path reads the stored events instead
        notes.add(
            storedOnly
                + " is not indexed (mapping type none): these stats read the stored events, at"
                + " most the scan limit");
        return events(searcher, filter, pipes, r, matched, notes, t0);
      }
      if (first instanceof Pipe.Stats || first instanceof Pipe.Timechart) {
        Rows.Table t = aggregate(searcher, filter, first, r, notes);
        if (searcher.timedOut()) {
          notes.add("stopped after " + r.timeout().toSeconds() + " s: counts are partial");
        }
        return table(t, pipes.subList(1, pipes.size()), r, matched, notes, searcher.timedOut(), t0);
      }
      return events(searcher, filter, pipes, r, matched, notes, t0);
    }
  }

  private static org.apache.lucene.search.Query withRange(
      org.apache.lucene.search.Query q, SearchRequest r) {
    if (r.fromNanos() == Long.MIN_VALUE && r.toNanos() == Long.MAX_VALUE) {
      return q;
    }
    return new BooleanQuery.Builder()
        .add(q, Occur.FILTER)
        .add(
            LongField.newRangeQuery(
                StoreFields.TIMESTAMP,
                r.fromNanos(),
                r.toNanos() == Long.MAX_VALUE ? Long.MAX_VALUE : r.toNanos() - 1),
            Occur.FILTER)
        .build();
  }

  private Rows.Table aggregate(
      IndexSearcher searcher,
      org.apache.lucene.search.Query filter,
      Pipe p,
      SearchRequest r,
      List<String> notes)
      throws IOException, QueryException {
    if (p instanceof Pipe.Stats s) {
      checkAggs(s.aggs());
      Aggregation a = new Aggregation(s.by(), s.aggs(), 0, mapping);
      Map<List<Object>, Rows.Acc> groups = searcher.search(filter, a);
      noteMissing(s.by(), notes);
      return Rows.table(groups, s, mapping, a.truncated);
    }
    Pipe.Timechart tc = (Pipe.Timechart) p;
    checkTimechart(tc);
    List<String> by = tc.by() == null ? List.of() : List.of(tc.by());
    Aggregation a = new Aggregation(by, tc.aggs(), tc.spanNanos(), mapping);
    Map<List<Object>, Rows.Acc> groups = searcher.search(filter, a);
    noteMissing(by, notes);
    return timechart(groups, tc, r, mapping, notes);
  }

  private void noteMissing(List<String> fields, List<String> notes) {
    Groups.noteMissing(fields, mapping, notes);
  }

  private String storedOnly(List<String> by, List<Query.Agg> aggs) {
    return Groups.storedOnly(by, aggs, mapping);
  }

  private void checkAggs(List<Agg> aggs) throws QueryException {
    Groups.checkAggs(aggs, mapping);
  }

  private void checkTimechart(Pipe.Timechart tc) throws QueryException {
    Groups.checkTimechart(tc, mapping);
  }

  /** Time buckets as rows: _time, then one column per aggregate, or per series of the by field. */
  static Rows.Table timechart(
      Map<List<Object>, Rows.Acc> groups,
      Pipe.Timechart tc,
      SearchRequest r,
      Mapping mapping,
      List<String> notes) {
    long span = tc.spanNanos();
    TreeSet<Long> buckets = new TreeSet<>();
    for (List<Object> k : groups.keySet()) {
      buckets.add((Long) k.get(0));
    }
    if (r.fromNanos() != Long.MIN_VALUE
        && r.toNanos() != Long.MAX_VALUE
        && (r.toNanos() - r.fromNanos()) / span <= MAX_BUCKETS) {
      for (long b = Math.floorDiv(r.fromNanos(), span) * span; b < r.toNanos(); b += span) {
        buckets.add(b); // empty buckets too, so the chart has no gaps
      }
    } else if (!buckets.isEmpty() && (buckets.last() - buckets.first()) / span <= MAX_BUCKETS) {
      for (long b = buckets.first(); b < buckets.last(); b += span) {
        buckets.add(b);
      }
    }
    List<String> columns = new ArrayList<>();
    columns.add("_time");
    List<Map<String, Object>> rows = new ArrayList<>();
    if (tc.by() == null) {
      for (Agg a : tc.aggs()) {
        columns.add(a.label());
      }
      Map<Long, Rows.Acc> byBucket = new HashMap<>();
      groups.forEach((k, v) -> byBucket.put((Long) k.get(0), v));
      for (long b : buckets) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("_time", Timestamps.format(b));
        Rows.Acc acc = byBucket.get(b);
        for (int i = 0; i < tc.aggs().size(); i++) {
          Agg a = tc.aggs().get(i);
          row.put(
              a.label(),
              acc == null
                  ? empty(a)
                  : Rows.result(a, a.field() == null ? null : mapping.get(a.field()), acc, i));
        }
        rows.add(row);
      }
      return new Rows.Table(columns, rows, false);
    }
    Agg a = tc.aggs().get(0);
    Map<Object, Long> totals = new HashMap<>();
    groups.forEach((k, v) -> totals.merge(k.get(1), v.count, Long::sum));
    List<Object> series = new ArrayList<>(totals.keySet());
    series.sort(
        Comparator.<Object, Long>comparing(totals::get).reversed().thenComparing(String::valueOf));
    boolean other = series.size() > MAX_SERIES && a.fn() == Fn.COUNT;
    if (series.size() > MAX_SERIES) {
      notes.add(
          series.size()
              + " values of "
              + tc.by()
              + "; the "
              + MAX_SERIES
              + " most frequent are shown"
              + (other ? ", the rest summed as OTHER" : ""));
      series = new ArrayList<>(series.subList(0, MAX_SERIES));
    }
    for (Object s : series) {
      columns.add(String.valueOf(s));
    }
    if (other) {
      columns.add("OTHER");
    }
    Map<Long, Map<Object, Rows.Acc>> cells = new HashMap<>();
    groups.forEach(
        (k, v) -> cells.computeIfAbsent((Long) k.get(0), x -> new HashMap<>()).put(k.get(1), v));
    for (long b : buckets) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("_time", Timestamps.format(b));
      Map<Object, Rows.Acc> cell = cells.getOrDefault(b, Map.of());
      for (Object s : series) {
        Rows.Acc acc = cell.get(s);
        row.put(
            String.valueOf(s),
            acc == null
                ? empty(a)
                : Rows.result(a, a.field() == null ? null : mapping.get(a.field()), acc, 0));
      }
      if (other) {
        long rest = 0;
        for (var e : cell.entrySet()) {
          if (!series.contains(e.getKey())) {
            rest += a.field() == null ? e.getValue().count : e.getValue().counts[0];
          }
        }
        row.put("OTHER", rest);
      }
      rows.add(row);
    }
    return new Rows.Table(columns, rows, false);
  }

  private static Object empty(Agg a) {
    return a.fn() == Fn.COUNT || a.fn() == Fn.DC ? 0L : null;
  }

  /** The pipes after the first table stage, over its rows. */
  private SearchResult table(
      Rows.Table t,
      List<Pipe> rest,
      SearchRequest r,
      long matched,
      List<String> notes,
      boolean partial,
      long t0)
      throws QueryException {
    return Groups.result(t, rest, mapping, r, matched, notes, partial, millis(t0));
  }

  private SearchResult events(
      IndexSearcher searcher,
      org.apache.lucene.search.Query filter,
      List<Pipe> pipes,
      SearchRequest r,
      long matched,
      List<String> notes,
      long t0)
      throws IOException, QueryException {
    int k = 0;
    while (k < pipes.size()
        && (pipes.get(k) instanceof Pipe.Where || pipes.get(k) instanceof Pipe.Head)) {
      k++;
    }
    boolean output = k == pipes.size(); // events are the answer (else a table stage follows)
    List<Pipe> stream = pipes.subList(0, k);
    long[] headSeen = new long[k];
    List<Map<String, Object>> rows = new ArrayList<>();
    FieldDoc after = cursor(r.after(), searcher.getIndexReader().maxDoc());
    StoredFields stored = searcher.storedFields();
    Event e = new Event();
    long scanned = 0;
    boolean done = false;
    boolean partial = false;
    FieldDoc last = after;
    Sort sort = r.oldestFirst() ? oldestFirst() : newestFirst();
    while (!done) {
      int want =
          output ? Math.min(PAGE, r.limit() - rows.size() + (stream.isEmpty() ? 0 : PAGE)) : PAGE;
      TopFieldDocs page =
          after == null
              ? searcher.search(filter, want, sort, false)
              : (TopFieldDocs) searcher.searchAfter(after, filter, want, sort, false);
      if (page.scoreDocs.length == 0) {
        break;
      }
      for (ScoreDoc sd : page.scoreDocs) {
        FieldDoc fd = (FieldDoc) sd;
        last = fd;
        scanned++;
        BytesRef src = stored.document(fd.doc).getBinaryValue(StoreFields.SOURCE);
        EventCodec.decode(src.bytes, src.offset, src.length, e);
        Map<String, Object> row = Rows.row((Long) fd.fields[1], e);
        boolean keep = true;
        for (int i = 0; i < stream.size() && keep; i++) {
          switch (stream.get(i)) {
            case Pipe.Where w -> keep = Rows.test(w.expr(), row);
            case Pipe.Head h -> {
              if (headSeen[i] >= h.n()) {
                keep = false;
                done = true; // the stream is ordered: nothing later passes this head
              } else {
                headSeen[i]++;
              }
            }
            default -> throw new IllegalStateException();
          }
        }
        if (keep) {
          rows.add(row);
        }
        if (output && rows.size() >= r.limit()) {
          done = true;
        }
        if (scanned >= r.scanLimit()) {
          if (!done) {
            partial = true;
            notes.add("read " + scanned + " events (the scan limit); results are partial");
          }
          done = true;
        }
        if (done) {
          break;
        }
      }
      if (searcher.timedOut() || millis(t0) > r.timeout().toMillis()) {
        partial = true;
        notes.add("stopped after " + r.timeout().toSeconds() + " s; results are partial");
        break;
      }
      after = last;
    }
    if (output) {
      String next = null;
      if (last != null && rows.size() >= r.limit() && scanned > 0) {
        next = last.fields[0] + ":" + last.fields[1];
      }
      return new SearchResult(matched, null, rows, next, partial, notes, millis(t0));
    }
    // a table stage over the events read
    Pipe p = pipes.get(k);
    Rows.Table t;
    List<Pipe> rest = pipes.subList(k + 1, pipes.size());
    switch (p) {
      case Pipe.Stats s -> {
        checkAggs(s.aggs());
        t = Rows.stats(rows, s, mapping, true);
      }
      case Pipe.Timechart tc -> {
        checkTimechart(tc);
        boolean[] truncated = new boolean[1];
        List<String> by = tc.by() == null ? List.of() : List.of(tc.by());
        t =
            timechart(
                Rows.groups(rows, by, tc.aggs(), tc.spanNanos(), mapping, true, truncated),
                tc,
                r,
                mapping,
                notes);
      }
      case Pipe.Sort s -> {
        Rows.sort(rows, s.keys());
        t = new Rows.Table(columnsOf(rows), rows, false);
      }
      case Pipe.Fields f -> t = new Rows.Table(f.fields(), Rows.fields(rows, f.fields()), false);
      default -> throw new IllegalStateException();
    }
    return table(t, rest, r, matched, notes, partial, t0);
  }

  private static List<String> columnsOf(List<Map<String, Object>> rows) {
    LinkedHashMap<String, Boolean> cols = new LinkedHashMap<>();
    for (Map<String, Object> row : rows) {
      for (String c : row.keySet()) {
        cols.put(c, true);
      }
    }
    return new ArrayList<>(cols.keySet());
  }

  /**
   * A cursor "time:id" as the FieldDoc searchAfter wants. (time, id) is unique, so the doc (the
   * last tie-break) only has to be one no document comes after: the last one.
   */
  static FieldDoc cursor(String after, int maxDoc) throws QueryException {
    if (after == null || after.isEmpty() || maxDoc == 0) {
      return null; // (nothing to page through in an empty store)
    }
    int colon = after.indexOf(':');
    try {
      long ts = Long.parseLong(after.substring(0, colon));
      long id = Long.parseLong(after.substring(colon + 1));
      return new FieldDoc(Math.max(0, maxDoc - 1), Float.NaN, new Object[] {ts, id});
    } catch (RuntimeException e) {
      throw new QueryException(1, "the cursor '" + after + "' is not one this store gave out");
    }
  }

  private static long millis(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }
}
