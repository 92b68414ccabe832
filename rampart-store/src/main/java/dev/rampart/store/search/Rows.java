package dev.rampart.store.search;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.Kind;
import dev.rampart.core.event.Timestamps;
import dev.rampart.core.event.Value;
import dev.rampart.store.mapping.FieldType;
import dev.rampart.store.mapping.Mapping;
import dev.rampart.store.mapping.Values;
import dev.rampart.store.query.Query.Agg;
import dev.rampart.store.query.Query.Expr;
import dev.rampart.store.query.Query.Fn;
import dev.rampart.store.query.Query.Pipe;
import dev.rampart.store.query.Query.SortKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Rows and what pipes do to them: an event as a row (flattened field → value, a list for several
 * values), {@code where}, {@code sort}, {@code head}, {@code fields}, and {@code stats} over rows.
 * The stats here are the plain version: the search uses them after a {@code where} (when events
 * must be read anyway), and the reference search always; the doc-values aggregation must agree.
 */
public final class Rows {
  /** Most groups a stats keeps; further groups are dropped and the result says so. */
  public static final int MAX_GROUPS = 100_000;

  private Rows() {}

  /**
   * A row's value as people read it (tables, the console; not CSV or JSON, which keep every digit):
   * a whole number of a double as {@code 3.0}, any other to four significant digits but never fewer
   * than its integer part and three decimals, and without an exponent between 0.0001 and 10^15, so
   * an average reads {@code 3.333} and a Zeek {@code ts} of seconds since 1970 {@code
   * 1796705319.474} (not {@code 1.797e+09}).
   */
  public static String text(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof Double d && Double.isFinite(d)) {
      double a = Math.abs(d);
      if (d == Math.rint(d) && a < 1e15) {
        return String.format(java.util.Locale.ROOT, "%.1f", d);
      }
      if (a < 1e-4 || a >= 1e15) {
        return String.format(java.util.Locale.ROOT, "%.4g", d);
      }
      int whole = a < 1 ? 0 : (int) Math.floor(Math.log10(a)) + 1;
      return new java.math.BigDecimal(d)
          .round(new java.math.MathContext(Math.max(4, whole + 3)))
          .stripTrailingZeros()
          .toPlainString();
    }
    return String.valueOf(v);
  }

  /**
   * A row's fields in the order a one-line summary shows them: {@code message} first (what the
   * event says), then its other fields as stored, Rampart's own ({@code rampart.*}: input, host,
   * log type) last; {@code _id} and {@code @timestamp}, which listings show in columns, left out.
   */
  public static List<Map.Entry<String, Object>> summaryOrder(Map<String, Object> row) {
    List<Map.Entry<String, Object>> ordered = new ArrayList<>(row.size());
    List<Map.Entry<String, Object>> ours = new ArrayList<>();
    for (var e : row.entrySet()) {
      String k = e.getKey();
      if (k.equals("message")) {
        ordered.addFirst(e);
      } else if (k.startsWith("rampart.")) {
        ours.add(e);
      } else if (!k.equals("_id") && !k.equals("@timestamp")) {
        ordered.add(e);
      }
    }
    ordered.addAll(ours);
    return ordered;
  }

  /** {@code e} as a row: {@code _id}, {@code @timestamp} (ISO text), then its fields flattened. */
  public static Map<String, Object> row(long id, Event e) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("_id", id);
    row.put("@timestamp", Timestamps.format(e.timestamp()));
    var s = e.source();
    putIfSet(row, "rampart.input", s.input());
    putIfSet(row, "rampart.host", s.host());
    putIfSet(row, "rampart.log_type", s.logType());
    flatten(e, "", row);
    return row;
  }

  private static void putIfSet(Map<String, Object> row, String k, String v) {
    if (!v.isEmpty()) {
      row.put(k, v);
    }
  }

  private static void flatten(Event e, String prefix, Map<String, Object> row) {
    for (int i = 0; i < e.size(); i++) {
      String name = prefix + e.name(i);
      if (e.kind(i) == Kind.OBJECT) {
        flatten(e.objectValue(i), name + ".", row);
      } else {
        add(row, name, e.value(i));
      }
    }
  }

  private static void add(Map<String, Object> row, String name, Value v) {
    switch (v) {
      case Value.Null n -> {}
      case Value.ListValue l -> {
        for (Value item : l.items()) {
          if (item instanceof Value.Obj o) {
            flatten(o.fields(), name + ".", row);
          } else {
            add(row, name, item);
          }
        }
      }
      case Value.Obj o -> flatten(o.fields(), name + ".", row);
      default -> {
        Object x = plain(v);
        Object had = row.get(name);
        if (had == null) {
          row.put(name, x);
        } else if (had instanceof MultiValue m) {
          m.add(x);
        } else {
          MultiValue m = new MultiValue();
          m.add(had);
          m.add(x);
          row.put(name, m);
        }
      }
    }
  }

  /** Several values of one field in a row. */
  public static final class MultiValue extends ArrayList<Object> {
    private static final long serialVersionUID = 1L;
  }

  static Object plain(Value v) {
    return switch (v) {
      case Value.Int64 x -> x.value();
      case Value.Float64 x -> x.value();
      case Value.Bool x -> x.value();
      default -> Values.keyword(v);
    };
  }

  /** The values of {@code field} in a row (none, one, or several). */
  static List<Object> values(Map<String, Object> row, String field) {
    Object v = row.get(field);
    if (v == null) {
      return List.of();
    }
    if (v instanceof MultiValue m) {
      return m;
    }
    return List.of(v);
  }

  // ---- where ----

  /** Whether {@code expr} holds for the row; a comparison holds when any value satisfies it. */
  public static boolean test(Expr expr, Map<String, Object> row) {
    return switch (expr) {
      case Expr.And a -> test(a.left(), row) && test(a.right(), row);
      case Expr.Or o -> test(o.left(), row) || test(o.right(), row);
      case Expr.Not n -> !test(n.expr(), row);
      case Expr.Cmp c -> {
        for (Object v : values(row, c.field())) {
          int cmp = compare(v, c.value());
          boolean ok =
              switch (c.op()) {
                case EQ -> cmp == 0;
                case NE -> cmp != 0;
                case LT -> cmp < 0;
                case LE -> cmp <= 0;
                case GT -> cmp > 0;
                case GE -> cmp >= 0;
              };
          if (ok) {
            yield true;
          }
        }
        yield false;
      }
    };
  }

  /** Numbers compare as numbers (a numeric string too); anything else by its text. */
  static int compare(Object a, Object b) {
    Double x = number(a);
    Double y = number(b);
    if (x != null && y != null) {
      return Double.compare(x, y);
    }
    return String.valueOf(a).compareTo(String.valueOf(b));
  }

  private static Double number(Object o) {
    if (o instanceof Long l) {
      return (double) l;
    }
    if (o instanceof Double d) {
      return d;
    }
    if (o instanceof String s) {
      Double d = Values.parseDouble(s);
      if (d == null) {
        Long hex = Values.parseLong(s); // 0x1a4, as Windows Security writes process ids
        return hex == null ? null : (double) hex;
      }
      return d;
    }
    return null;
  }

  // ---- sort, head, fields ----

  /** Sorts rows; a row without the field sorts last either way. */
  public static void sort(List<Map<String, Object>> rows, List<SortKey> keys) {
    Comparator<Map<String, Object>> cmp = (a, b) -> 0;
    for (SortKey k : keys) {
      Comparator<Map<String, Object>> one =
          (a, b) -> {
            List<Object> va = values(a, k.field());
            List<Object> vb = values(b, k.field());
            if (va.isEmpty() || vb.isEmpty()) {
              return Boolean.compare(va.isEmpty(), vb.isEmpty());
            }
            int c = compare(va.get(0), vb.get(0));
            return k.descending() ? -c : c;
          };
      cmp = cmp.thenComparing(one);
    }
    rows.sort(cmp);
  }

  public static List<Map<String, Object>> fields(
      List<Map<String, Object>> rows, List<String> keep) {
    List<Map<String, Object>> out = new ArrayList<>(rows.size());
    for (Map<String, Object> r : rows) {
      Map<String, Object> x = new LinkedHashMap<>();
      for (String f : keep) {
        Object v = r.get(f);
        x.put(f, v);
      }
      out.add(x);
    }
    return out;
  }

  // ---- stats over rows ----

  /** One group's running aggregates. */
  static final class Acc {
    long count;
    final long[] counts;
    final double[] sums;
    final double[] mins;
    final double[] maxs;
    final long[] numbers;
    final List<Set<Object>> distinct;
    // distinct counts computed elsewhere (a search engine's cardinality), when there is no set
    final long[] distinctCounts;

    Acc(int n) {
      counts = new long[n];
      distinctCounts = new long[n];
      sums = new double[n];
      mins = new double[n];
      maxs = new double[n];
      numbers = new long[n];
      distinct = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        mins[i] = Double.POSITIVE_INFINITY;
        maxs[i] = Double.NEGATIVE_INFINITY;
        distinct.add(null);
      }
    }

    void merge(Acc o) {
      count += o.count;
      for (int i = 0; i < counts.length; i++) {
        counts[i] += o.counts[i];
        sums[i] += o.sums[i];
        mins[i] = Math.min(mins[i], o.mins[i]);
        maxs[i] = Math.max(maxs[i], o.maxs[i]);
        numbers[i] += o.numbers[i];
        if (o.distinct.get(i) != null) {
          if (distinct.get(i) == null) {
            distinct.set(i, new HashSet<>());
          }
          distinct.get(i).addAll(o.distinct.get(i));
        }
      }
    }

    void number(int i, double v) {
      sums[i] += v;
      mins[i] = Math.min(mins[i], v);
      maxs[i] = Math.max(maxs[i], v);
      numbers[i]++;
    }

    void distinct(int i, Object v) {
      if (distinct.get(i) == null) {
        distinct.set(i, new HashSet<>());
      }
      distinct.get(i).add(v);
    }
  }

  /** A row value back as an event value, to convert it the way the document builder does. */
  private static Value back(Object o) {
    return switch (o) {
      case Long l -> new Value.Int64(l);
      case Double d -> new Value.Float64(d);
      case Boolean b -> Value.Bool.of(b);
      default -> new Value.Str(String.valueOf(o));
    };
  }

  /** What field type {@code t} indexes for a row value, as a group-by shows it; null if nothing. */
  static Object groupValue(FieldType t, Object o) {
    if (t == null) {
      return null;
    }
    Value v = back(o);
    return switch (t) {
      case LONG -> Values.asLong(v);
      case DOUBLE -> Values.asDouble(v);
      case DATE -> {
        Long ns = Values.asDate(v);
        yield ns == null ? null : Timestamps.format(ns);
      }
      case BOOLEAN -> Values.asBoolean(v);
      case IP -> {
        var ip = Values.asIp(v);
        yield ip == null ? null : ip.toString();
      }
      // a stored-only field groups by its value as written, read from the stored event
      case KEYWORD, TEXT, NONE -> Values.keyword(v);
    };
  }

  /** The numeric value an aggregate uses, or null. */
  static Double numeric(FieldType t, Object o) {
    if (t == null) {
      return null;
    }
    Value v = back(o);
    return switch (t) {
      case LONG -> {
        Long l = Values.asLong(v);
        yield l == null ? null : (double) l;
      }
      case DOUBLE -> Values.asDouble(v);
      case DATE -> {
        Long ns = Values.asDate(v);
        yield ns == null ? null : (double) ns;
      }
      default -> null;
    };
  }

  /** {@code | stats} over rows (events as rows, or rows of an earlier stats). */
  public static Table stats(
      List<Map<String, Object>> rows, Pipe.Stats stats, Mapping mapping, boolean eventRows) {
    boolean[] truncated = new boolean[1];
    Map<List<Object>, Acc> groups =
        groups(rows, stats.by(), stats.aggs(), 0, mapping, eventRows, truncated);
    return table(groups, stats, mapping, truncated[0]);
  }

  /**
   * Rows grouped by the values of {@code by} (each combination of values of multi-valued fields),
   * with the time bucket of {@code span} (when positive) as the first key.
   */
  static Map<List<Object>, Acc> groups(
      List<Map<String, Object>> rows,
      List<String> by,
      List<Agg> aggs,
      long span,
      Mapping mapping,
      boolean eventRows,
      boolean[] truncatedOut) {
    Map<List<Object>, Acc> groups = new HashMap<>();
    boolean truncated = false;
    for (Map<String, Object> row : rows) {
      List<List<Object>> keys = keys(row, by, mapping, eventRows);
      if (span > 0) {
        Long ts = Values.parseDate(String.valueOf(row.get("@timestamp")));
        if (ts == null) {
          continue;
        }
        long bucket = Math.floorDiv(ts, span) * span;
        for (List<Object> k : keys) {
          k.add(0, bucket);
        }
      }
      for (List<Object> key : keys) {
        Acc acc = groups.get(key);
        if (acc == null) {
          if (groups.size() >= MAX_GROUPS) {
            truncated = true;
            continue;
          }
          acc = new Acc(aggs.size());
          groups.put(key, acc);
        }
        accumulate(acc, row, aggs, mapping, eventRows);
      }
    }
    truncatedOut[0] |= truncated;
    return groups;
  }

  private static List<List<Object>> keys(
      Map<String, Object> row, List<String> by, Mapping mapping, boolean eventRows) {
    List<List<Object>> keys = new ArrayList<>();
    keys.add(new ArrayList<>());
    for (String f : by) {
      FieldType t = eventRows ? mapping.get(f) : FieldType.KEYWORD;
      List<List<Object>> next = new ArrayList<>();
      Set<Object> seen = new HashSet<>();
      for (Object v : values(row, f)) {
        Object g = eventRows ? groupValue(t, v) : v;
        if (g == null || !seen.add(g)) {
          continue;
        }
        for (List<Object> k : keys) {
          List<Object> x = new ArrayList<>(k);
          x.add(g);
          next.add(x);
        }
      }
      keys = next;
    }
    return keys;
  }

  private static void accumulate(
      Acc acc, Map<String, Object> row, List<Agg> aggs, Mapping mapping, boolean eventRows) {
    acc.count++;
    for (int i = 0; i < aggs.size(); i++) {
      Agg a = aggs.get(i);
      if (a.field() == null) {
        continue;
      }
      FieldType t = eventRows ? mapping.get(a.field()) : null;
      boolean any = false;
      for (Object v : values(row, a.field())) {
        Object g = eventRows ? groupValue(t, v) : v;
        if (g == null) {
          continue;
        }
        any = true;
        if (a.fn() == Fn.DC) {
          acc.distinct(i, g);
        }
        Double d = eventRows ? numeric(t, v) : number(v);
        if (d != null) {
          acc.number(i, d);
        }
      }
      if (any) {
        acc.counts[i]++;
      }
    }
  }

  /** The result table of grouped accumulators: by-columns, then one column per aggregate. */
  static Table table(
      Map<List<Object>, Acc> groups, Pipe.Stats stats, Mapping mapping, boolean truncated) {
    List<String> columns = new ArrayList<>(stats.by());
    for (Agg a : stats.aggs()) {
      columns.add(a.label());
    }
    if (stats.by().isEmpty() && groups.isEmpty()) {
      groups = Map.of(List.of(), new Acc(stats.aggs().size()));
    }
    List<Map<String, Object>> rows = new ArrayList<>(groups.size());
    for (var g : new TreeMap<>(groupOrder(groups)).entrySet()) {
      Map<String, Object> row = new LinkedHashMap<>();
      for (int i = 0; i < stats.by().size(); i++) {
        row.put(stats.by().get(i), g.getValue().getKey().get(i));
      }
      Acc acc = g.getValue().getValue();
      for (int i = 0; i < stats.aggs().size(); i++) {
        Agg a = stats.aggs().get(i);
        FieldType t = a.field() == null ? null : mapping.get(a.field());
        row.put(a.label(), result(a, t, acc, i));
      }
      rows.add(row);
    }
    return new Table(columns, rows, truncated);
  }

  /** Groups ordered by their key values (numbers as numbers), for a stable output. */
  private static Map<String, Map.Entry<List<Object>, Acc>> groupOrder(
      Map<List<Object>, Acc> groups) {
    Map<String, Map.Entry<List<Object>, Acc>> out = new HashMap<>();
    List<Map.Entry<List<Object>, Acc>> entries = new ArrayList<>(groups.entrySet());
    entries.sort(
        (a, b) -> {
          for (int i = 0; i < a.getKey().size(); i++) {
            int c = compare(a.getKey().get(i), b.getKey().get(i));
            if (c != 0) {
              return c;
            }
          }
          return 0;
        });
    int n = 0;
    for (var e : entries) {
      out.put(String.format("%09d", n++), e);
    }
    return out;
  }

  static Object result(Agg a, FieldType t, Acc acc, int i) {
    return switch (a.fn()) {
      case COUNT -> a.field() == null ? acc.count : acc.counts[i];
      case DC ->
          acc.distinct.get(i) == null ? acc.distinctCounts[i] : (long) acc.distinct.get(i).size();
      case MIN -> acc.numbers[i] == 0 ? null : typed(t, acc.mins[i]);
      case MAX -> acc.numbers[i] == 0 ? null : typed(t, acc.maxs[i]);
      case SUM -> acc.numbers[i] == 0 ? null : typed(t == FieldType.DATE ? null : t, acc.sums[i]);
      case AVG -> acc.numbers[i] == 0 ? null : acc.sums[i] / acc.numbers[i];
    };
  }

  private static Object typed(FieldType t, double v) {
    if (t == FieldType.LONG) {
      return (long) v;
    }
    if (t == FieldType.DATE) {
      return Timestamps.format((long) v);
    }
    return v;
  }

  /** A result table. */
  public record Table(List<String> columns, List<Map<String, Object>> rows, boolean truncated) {}
}
