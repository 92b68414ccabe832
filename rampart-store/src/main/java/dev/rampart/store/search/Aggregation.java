package dev.rampart.store.search;

import dev.rampart.core.event.Timestamps;
import dev.rampart.store.mapping.FieldType;
import dev.rampart.store.mapping.Mapping;
import dev.rampart.store.mapping.StoreFields;
import dev.rampart.store.query.Query.Agg;
import dev.rampart.store.query.Query.Fn;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedNumericDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.util.NumericUtils;

/**
 * {@code stats} and {@code timechart} over doc values, never reading a stored event: per segment,
 * each group-by field's values come from its doc values (keyword ordinals resolved once per
 * segment), so the work is a few array reads per matching document. One collector per search slice;
 * their groups merge at the end. {@link Rows#stats} is the plain version it must equal.
 */
final class Aggregation
    implements CollectorManager<Aggregation.Slice, Map<List<Object>, Rows.Acc>> {
  private final List<String> by;
  private final List<Agg> aggs;
  private final Mapping mapping;
  private final long span; // > 0: the first key is the time bucket's start
  volatile boolean truncated;

  Aggregation(List<String> by, List<Agg> aggs, long span, Mapping mapping) {
    this.by = by;
    this.aggs = aggs;
    this.span = span;
    this.mapping = mapping;
  }

  @Override
  public Slice newCollector() {
    return new Slice();
  }

  @Override
  public Map<List<Object>, Rows.Acc> reduce(Collection<Slice> slices) {
    Map<List<Object>, Rows.Acc> all = new HashMap<>();
    for (Slice s : slices) {
      s.flushCounts();
      for (var e : s.groups.entrySet()) {
        Rows.Acc had = all.get(e.getKey());
        if (had == null) {
          if (all.size() >= Rows.MAX_GROUPS) {
            truncated = true;
            continue;
          }
          all.put(e.getKey(), e.getValue());
        } else {
          had.merge(e.getValue());
        }
      }
    }
    return all;
  }

  /** The values of one field of the current document, from its doc values. */
  private final class FieldValues {
    final FieldType type;
    final SortedSetDocValues set;
    final SortedNumericDocValues numbers;
    final String[] ordCache;

    FieldValues(LeafReader r, String field) throws IOException {
      this.type = field.equals(StoreFields.TIMESTAMP) ? FieldType.DATE : mapping.get(field);
      if (type == null || type == FieldType.NONE) {
        set = null;
        numbers = null;
      } else if (type.numeric()) {
        set = null;
        numbers = r.getSortedNumericDocValues(field);
      } else {
        set = r.getSortedSetDocValues(field);
        numbers = null;
      }
      ordCache = set == null ? null : new String[(int) Math.min(set.getValueCount(), 1 << 24)];
    }

    boolean present() {
      return set != null || numbers != null;
    }

    /** Adds the document's distinct values to {@code out} (cleared first); false when none. */
    boolean read(int doc, List<Object> out) throws IOException {
      out.clear();
      if (set != null) {
        if (!set.advanceExact(doc)) {
          return false;
        }
        for (int i = 0, n = set.docValueCount(); i < n; i++) {
          out.add(term(set.nextOrd()));
        }
        return true;
      }
      if (numbers != null) {
        if (!numbers.advanceExact(doc)) {
          return false;
        }
        for (int i = 0, n = numbers.docValueCount(); i < n; i++) {
          Object v = number(numbers.nextValue());
          if (!out.contains(v)) {
            out.add(v);
          }
        }
        return true;
      }
      return false;
    }

    String term(long ord) throws IOException {
      if (ord < ordCache.length) {
        String s = ordCache[(int) ord];
        if (s == null) {
          s = ordCache[(int) ord] = set.lookupOrd(ord).utf8ToString();
        }
        return s;
      }
      return set.lookupOrd(ord).utf8ToString();
    }

    Object number(long raw) {
      return switch (type) {
        case DOUBLE -> NumericUtils.sortableLongToDouble(raw);
        case DATE -> Timestamps.format(raw);
        default -> raw;
      };
    }

    /** The numeric value of a raw doc value, for min/max/sum/avg. */
    double numeric(long raw) {
      return type == FieldType.DOUBLE ? NumericUtils.sortableLongToDouble(raw) : (double) raw;
    }
  }

  final class Slice implements Collector {
    final Map<List<Object>, Rows.Acc> groups = new HashMap<>();
    // The fast case: one keyword group-by and count() only; counts per ordinal per segment.
    private long[] ordCounts;
    private FieldValues countField;

    @Override
    public ScoreMode scoreMode() {
      return ScoreMode.COMPLETE_NO_SCORES;
    }

    void flushCounts() {
      if (ordCounts == null) {
        return;
      }
      try {
        for (int o = 0; o < ordCounts.length; o++) {
          if (ordCounts[o] > 0) {
            List<Object> key = List.of(countField.term(o));
            Rows.Acc acc = groups.computeIfAbsent(key, k -> new Rows.Acc(aggs.size()));
            acc.count += ordCounts[o];
            for (int i = 0; i < aggs.size(); i++) {
              acc.counts[i] += ordCounts[o];
            }
          }
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      ordCounts = null;
    }

    @Override
    public LeafCollector getLeafCollector(LeafReaderContext ctx) throws IOException {
      flushCounts();
      LeafReader r = ctx.reader();
      List<FieldValues> byValues = new ArrayList<>();
      for (String f : by) {
        FieldValues fv = new FieldValues(r, f);
        if (!fv.present()) {
          return NOTHING; // no document here has the field: none has a group
        }
        byValues.add(fv);
      }
      boolean onlyCounts =
          span <= 0
              && by.size() == 1
              && byValues.get(0).set != null
              && aggs.stream().allMatch(a -> a.fn() == Fn.COUNT && a.field() == null);
      if (onlyCounts) {
        FieldValues fv = byValues.get(0);
        countField = fv;
        ordCounts = new long[(int) fv.set.getValueCount()];
        SortedSetDocValues dv = fv.set;
        long[] counts = ordCounts;
        return new LeafCollector() {
          @Override
          public void setScorer(Scorable scorer) {}

          @Override
          public void collect(int doc) throws IOException {
            if (dv.advanceExact(doc)) {
              for (int i = 0, n = dv.docValueCount(); i < n; i++) {
                counts[(int) dv.nextOrd()]++;
              }
            }
          }
        };
      }
      List<FieldValues> aggValues = new ArrayList<>();
      for (Agg a : aggs) {
        aggValues.add(a.field() == null ? null : new FieldValues(r, a.field()));
      }
      SortedNumericDocValues time =
          span > 0 ? DocValues.getSortedNumeric(r, StoreFields.TIMESTAMP) : null;
      return new LeafCollector() {
        final List<List<Object>> perField = new ArrayList<>();
        final List<Object> scratch = new ArrayList<>();

        {
          for (int i = 0; i < by.size(); i++) {
            perField.add(new ArrayList<>());
          }
        }

        @Override
        public void setScorer(Scorable scorer) {}

        @Override
        public void collect(int doc) throws IOException {
          List<Object> prefix = new ArrayList<>(by.size() + 1);
          if (time != null) {
            if (!time.advanceExact(doc)) {
              return;
            }
            prefix.add(Math.floorDiv(time.nextValue(), span) * span);
          }
          for (int i = 0; i < by.size(); i++) {
            if (!byValues.get(i).read(doc, perField.get(i))) {
              return;
            }
          }
          if (by.size() == 0) {
            add(prefix, doc);
          } else {
            keys(prefix, 0, doc);
          }
        }

        private void keys(List<Object> prefix, int i, int doc) throws IOException {
          if (i == by.size()) {
            add(List.copyOf(prefix), doc);
            return;
          }
          for (Object v : perField.get(i)) {
            prefix.add(v);
            keys(prefix, i + 1, doc);
            prefix.remove(prefix.size() - 1);
          }
        }

        private void add(List<Object> key, int doc) throws IOException {
          Rows.Acc acc = groups.get(key);
          if (acc == null) {
            if (groups.size() >= Rows.MAX_GROUPS) {
              truncated = true;
              return;
            }
            acc = new Rows.Acc(aggs.size());
            groups.put(List.copyOf(key), acc);
          }
          acc.count++;
          for (int i = 0; i < aggs.size(); i++) {
            FieldValues fv = aggValues.get(i);
            if (fv == null || !fv.present()) {
              continue;
            }
            Agg a = aggs.get(i);
            if (fv.numbers != null && a.fn() != Fn.DC && a.fn() != Fn.COUNT) {
              if (fv.numbers.advanceExact(doc)) {
                acc.counts[i]++;
                for (int k = 0, n = fv.numbers.docValueCount(); k < n; k++) {
                  acc.number(i, fv.numeric(fv.numbers.nextValue()));
                }
              }
              continue;
            }
            if (fv.read(doc, scratch)) {
              acc.counts[i]++;
              if (a.fn() == Fn.DC) {
                for (Object v : scratch) {
                  acc.distinct(i, v);
                }
              }
            }
          }
        }
      };
    }
  }

  private static final LeafCollector NOTHING =
      new LeafCollector() {
        @Override
        public void setScorer(Scorable scorer) {}

        @Override
        public void collect(int doc) {}
      };
}
