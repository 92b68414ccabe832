package dev.rampart.store.search;

import dev.rampart.store.mapping.FieldType;
import dev.rampart.store.mapping.Mapping;
import dev.rampart.store.query.Query.Agg;
import dev.rampart.store.query.Query.Fn;
import dev.rampart.store.query.Query.Pipe;
import dev.rampart.store.query.QueryException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Grouped aggregates computed outside the store (a search engine's own aggregations, such as
 * OpenSearch's composite aggregation), made into the tables the store's {@code stats} and {@code
 * timechart} make, then through the pipes after them: the same columns, order, series and notes as
 * the store's answer, whoever counted.
 *
 * <pre>{@code
 * Groups g = new Groups(stats.aggs());
 * g.group(List.of("ws-004")).events(12).distinct(1, 3);
 * SearchResult r = Groups.result(g.stats(stats, mapping), rest, mapping, request, 12, notes, false, ms);
 * }</pre>
 */
public final class Groups {
  private final int aggs;
  private final Map<List<Object>, Rows.Acc> groups = new HashMap<>();
  private boolean truncated;

  /** Groups of the aggregates {@code aggs} (a stats or timechart pipe's, in its order). */
  public Groups(List<Agg> aggs) {
    this.aggs = aggs.size();
  }

  /**
   * The group of {@code key}: the by-values as the store shows them (keywords as strings, longs and
   * doubles as numbers), after the time bucket's start in epoch nanoseconds for a timechart. Null
   * once {@link Rows#MAX_GROUPS} groups are held: the rest are dropped and said.
   */
  public Group group(List<Object> key) {
    Rows.Acc acc = groups.get(key);
    if (acc == null) {
      if (groups.size() >= Rows.MAX_GROUPS) {
        truncated = true;
        return null;
      }
      acc = new Rows.Acc(aggs);
      groups.put(List.copyOf(key), acc);
    }
    return new Group(acc);
  }

  /** Whether groups were dropped at {@link Rows#MAX_GROUPS}. */
  public boolean truncated() {
    return truncated;
  }

  /** One group's aggregates; the index is the aggregate's place in the pipe. */
  public static final class Group {
    private final Rows.Acc acc;

    private Group(Rows.Acc acc) {
      this.acc = acc;
    }

    /** Events in the group: {@code count()}. */
    public Group events(long n) {
      acc.count += n;
      return this;
    }

    /** Events of the group with a value of the aggregate's field: {@code count(f)}. */
    public Group withValue(int agg, long n) {
      acc.counts[agg] = n;
      return this;
    }

    /** Distinct values of the aggregate's field: {@code dc(f)}. */
    public Group distinct(int agg, long n) {
      acc.distinctCounts[agg] = n;
      return this;
    }

    /** The aggregate field's values: how many, their sum, least and greatest (min/max/avg/sum). */
    public Group numbers(int agg, long values, double sum, double min, double max) {
      acc.numbers[agg] = values;
      if (values > 0) {
        acc.sums[agg] = sum;
        acc.mins[agg] = min;
        acc.maxs[agg] = max;
      }
      return this;
    }
  }

  /** The table of a {@code stats} pipe: by-columns, then one column per aggregate. */
  public Rows.Table stats(Pipe.Stats s, Mapping mapping) {
    return Rows.table(groups, s, mapping, truncated);
  }

  /** The table of a {@code timechart} pipe: {@code _time}, then aggregates or series. */
  public Rows.Table timechart(
      Pipe.Timechart tc, SearchRequest r, Mapping mapping, List<String> notes) {
    Rows.Table t = Searcher.timechart(groups, tc, r, mapping, notes);
    return new Rows.Table(t.columns(), t.rows(), truncated);
  }

  /** Notes the fields no event has had (a stats or timechart by them has no groups). */
  public static void noteMissing(List<String> fields, Mapping mapping, List<String> notes) {
    for (String f : fields) {
      if (mapping.get(f) == null) {
        notes.add("no event has the field " + f);
      }
    }
  }

  /** Refuses min, max, sum and avg of a field that does not hold numbers. */
  public static void checkAggs(List<Agg> aggs, Mapping mapping) throws QueryException {
    for (Agg a : aggs) {
      if (a.field() != null
          && (a.fn() == Fn.MIN || a.fn() == Fn.MAX || a.fn() == Fn.SUM || a.fn() == Fn.AVG)) {
        var t = mapping.get(a.field());
        if (t != null && !t.numeric()) {
          throw new QueryException(
              1,
              a.label()
                  + ": "
                  + a.field()
                  + " is a "
                  + t.label()
                  + " field; "
                  + a.fn().label()
                  + " needs numbers (use dc or count)");
        }
      }
    }
  }

  /** The first field of a stats pipe kept in the stored events only (type none), or null. */
  public static String storedOnly(List<String> by, List<Agg> aggs, Mapping mapping) {
    for (String f : by) {
      if (mapping.get(f) == FieldType.NONE) {
        return f;
      }
    }
    for (Agg a : aggs) {
      if (a.field() != null && mapping.get(a.field()) == FieldType.NONE) {
        return a.field();
      }
    }
    return null;
  }

  /** Refuses what a timechart cannot chart: stored-only fields, several aggregates with by. */
  public static void checkTimechart(Pipe.Timechart tc, Mapping mapping) throws QueryException {
    checkAggs(tc.aggs(), mapping);
    String none = storedOnly(tc.by() == null ? List.of() : List.of(tc.by()), tc.aggs(), mapping);
    if (none != null) {
      throw new QueryException(
          1,
          none
              + " is stored but not indexed (mapping type none): timechart needs an indexed"
              + " field; stats reads stored events");
    }
    if (tc.by() != null && tc.aggs().size() != 1) {
      throw new QueryException(1, "timechart ... by " + tc.by() + " takes one aggregate");
    }
  }

  /**
   * The answer of a query whose first pipe made {@code t}: the pipes after it over its rows, at
   * most the request's limit of rows; what was cut short is said in {@code notes}.
   */
  public static SearchResult result(
      Rows.Table t,
      List<Pipe> rest,
      Mapping mapping,
      SearchRequest r,
      long matched,
      List<String> notes,
      boolean partial,
      long tookMillis)
      throws QueryException {
    List<String> columns = new ArrayList<>(t.columns());
    List<Map<String, Object>> rows = new ArrayList<>(t.rows());
    if (t.truncated()) {
      notes.add("more than " + Rows.MAX_GROUPS + " groups; the rest were dropped");
      partial = true;
    }
    for (Pipe p : rest) {
      switch (p) {
        case Pipe.Where w -> rows.removeIf(row -> !Rows.test(w.expr(), row));
        case Pipe.Sort s -> Rows.sort(rows, s.keys());
        case Pipe.Head h -> rows = new ArrayList<>(rows.subList(0, Math.min(h.n(), rows.size())));
        case Pipe.Fields f -> {
          rows = Rows.fields(rows, f.fields());
          columns = new ArrayList<>(f.fields());
        }
        case Pipe.Stats s -> {
          Rows.Table x = Rows.stats(rows, s, mapping, false);
          rows = new ArrayList<>(x.rows());
          columns = new ArrayList<>(x.columns());
        }
        case Pipe.Timechart tc ->
            throw new QueryException(1, "timechart works on events; put it before other pipes");
      }
    }
    if (rows.size() > r.limit()) {
      notes.add(rows.size() + " rows; the first " + r.limit() + " are shown");
      rows = new ArrayList<>(rows.subList(0, r.limit()));
    }
    return new SearchResult(matched, columns, rows, null, partial, notes, tookMillis);
  }
}
