package dev.rampart.store.search;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.IpAddress;
import dev.rampart.store.index.Analysis;
import dev.rampart.store.mapping.FieldType;
import dev.rampart.store.mapping.Mapping;
import dev.rampart.store.mapping.Values;
import dev.rampart.store.query.Query;
import dev.rampart.store.query.Query.Filter;
import dev.rampart.store.query.Query.Pipe;
import dev.rampart.store.query.QueryException;
import dev.rampart.store.query.QueryParser;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The brute-force search the Lucene one is tested against: every event checked against the filter
 * in plain Java (the same value conversions and word rule, none of the index), then the pipes over
 * rows. Slow by design; for tests and for checking a surprising answer by hand.
 */
public final class Reference {
  /** An event with its id. */
  public record Stored(long id, Event event) {}

  private final Mapping mapping;

  public Reference(Mapping mapping) {
    this.mapping = mapping;
  }

  /** All matching rows (newest first) through the pipes; {@code limit} is not applied. */
  public Rows.Table search(List<Stored> events, SearchRequest r) throws QueryException {
    Query q = QueryParser.parse(r.query());
    new Planner(mapping).plan(q.filter()); // the same errors as the real search
    List<Stored> hits = new ArrayList<>();
    for (Stored s : events) {
      long ts = s.event().timestamp();
      if (ts >= r.fromNanos() && (r.toNanos() == Long.MAX_VALUE || ts < r.toNanos())) {
        if (matches(q.filter(), Rows.row(s.id(), s.event()))) {
          hits.add(s);
        }
      }
    }
    hits.sort(
        Comparator.comparingLong((Stored s) -> s.event().timestamp())
            .thenComparingLong(Stored::id)
            .reversed());
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Stored s : hits) {
      rows.add(Rows.row(s.id(), s.event()));
    }
    return pipes(rows, q.pipes(), mapping, r);
  }

  /**
   * The pipes over event rows (newest first), in plain Java: what the reference does after its
   * filter, and what a store that can only filter (OpenSearch, for pipes it cannot translate) does
   * with the events it fetched.
   */
  public static Rows.Table pipes(
      List<Map<String, Object>> events, List<Pipe> pipes, Mapping mapping, SearchRequest r) {
    List<Map<String, Object>> rows = new ArrayList<>(events);
    List<String> columns = null;
    boolean eventRows = true;
    for (Pipe p : pipes) {
      switch (p) {
        case Pipe.Where w -> rows.removeIf(row -> !Rows.test(w.expr(), row));
        case Pipe.Head h -> rows = new ArrayList<>(rows.subList(0, Math.min(h.n(), rows.size())));
        case Pipe.Sort s -> Rows.sort(rows, s.keys());
        case Pipe.Fields f -> {
          rows = Rows.fields(rows, f.fields());
          columns = f.fields();
          eventRows = false;
        }
        case Pipe.Stats s -> {
          Rows.Table t = Rows.stats(rows, s, mapping, eventRows);
          rows = new ArrayList<>(t.rows());
          columns = t.columns();
          eventRows = false;
        }
        case Pipe.Timechart tc -> {
          boolean[] truncated = new boolean[1];
          List<String> by = tc.by() == null ? List.of() : List.of(tc.by());
          Rows.Table t =
              Searcher.timechart(
                  Rows.groups(rows, by, tc.aggs(), tc.spanNanos(), mapping, true, truncated),
                  tc,
                  r,
                  mapping,
                  new ArrayList<>());
          rows = new ArrayList<>(t.rows());
          columns = t.columns();
          eventRows = false;
        }
      }
    }
    return new Rows.Table(columns, rows, false);
  }

  boolean matches(Filter f, Map<String, Object> row) throws QueryException {
    return switch (f) {
      case Filter.All a -> true;
      case Filter.And and -> {
        for (Filter x : and.all()) {
          if (!matches(x, row)) {
            yield false;
          }
        }
        yield true;
      }
      case Filter.Or or -> {
        for (Filter x : or.any()) {
          if (matches(x, row)) {
            yield true;
          }
        }
        yield false;
      }
      case Filter.Not n -> !matches(n.filter(), row);
      case Filter.Exists e -> any(row, e.field(), v -> true);
      case Filter.Term t -> term(t, row);
      case Filter.Wildcard w -> wildcard(w, row);
      case Filter.Range r -> range(r, row);
    };
  }

  private interface Test {
    boolean test(Object indexedValue) throws QueryException;
  }

  /** Whether any value of the field, as its type indexes it, passes. */
  private boolean any(Map<String, Object> row, String field, Test test) throws QueryException {
    FieldType t = mapping.get(field);
    if (t == null || t == FieldType.NONE) {
      return false;
    }
    for (Object v : Rows.values(row, field)) {
      Object indexed = indexed(t, v);
      if (indexed != null && test.test(indexed)) {
        return true;
      }
    }
    return false;
  }

  /** The value a field of type t indexes: folded keyword text, a Long, a Double, an IpAddress. */
  private static Object indexed(FieldType t, Object v) {
    return switch (t) {
      case KEYWORD, TEXT, BOOLEAN -> {
        Object g = Rows.groupValue(t, v);
        yield g == null ? null : g.toString();
      }
      case LONG -> Rows.groupValue(t, v);
      case DOUBLE -> Rows.groupValue(t, v);
      case DATE -> {
        Object g = Rows.groupValue(t, v);
        yield g == null ? null : Values.parseDate(g.toString());
      }
      case IP -> {
        Object g = Rows.groupValue(t, v);
        yield g == null ? null : IpAddress.parse(g.toString());
      }
      case NONE -> null;
    };
  }

  private boolean term(Filter.Term q, Map<String, Object> row) throws QueryException {
    FieldType t = mapping.get(q.field());
    if (t == null) {
      return false;
    }
    String v = q.value();
    return switch (t) {
      case KEYWORD, BOOLEAN ->
          any(
              row,
              q.field(),
              x -> Values.folded(x.toString()).equals(Values.folded(Values.truncate(v))));
      case TEXT -> {
        List<String> words = Analysis.tokens(v);
        yield !words.isEmpty()
            && any(
                row,
                q.field(),
                x -> Collections.indexOfSubList(Analysis.tokens(x.toString()), words) >= 0);
      }
      case LONG -> {
        long want = Planner.longValue(q.field(), v, q.column());
        yield any(row, q.field(), x -> ((Long) x) == want);
      }
      case DOUBLE -> {
        double want = Planner.doubleValue(q.field(), v, q.column());
        yield any(row, q.field(), x -> ((Double) x) == want);
      }
      case DATE -> {
        long want = Planner.dateValue(q.field(), v, q.column());
        yield any(row, q.field(), x -> ((Long) x) == want);
      }
      case IP -> {
        int slash = v.indexOf('/');
        if (slash < 0) {
          IpAddress want = IpAddress.parse(v);
          yield any(row, q.field(), x -> x.equals(want));
        }
        IpAddress base = IpAddress.parse(v.substring(0, slash));
        int bits = Integer.parseInt(v.substring(slash + 1));
        yield any(row, q.field(), x -> inPrefix((IpAddress) x, base, bits));
      }
      case NONE -> false;
    };
  }

  /** Whether ip lies in base/bits, comparing both as 16-byte (IPv4-mapped) addresses. */
  static boolean inPrefix(IpAddress ip, IpAddress base, int bits) {
    byte[] a = v6(ip);
    byte[] b = v6(base);
    int total = base.isV4() ? bits + 96 : bits;
    for (int i = 0; i < total; i++) {
      int mask = 0x80 >>> (i % 8);
      if ((a[i / 8] & mask) != (b[i / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

  static byte[] v6(IpAddress ip) {
    byte[] b = ip.bytes();
    if (b.length == 16) {
      return b;
    }
    byte[] out = new byte[16];
    out[10] = (byte) 0xff;
    out[11] = (byte) 0xff;
    System.arraycopy(b, 0, out, 12, 4);
    return out;
  }

  private boolean wildcard(Filter.Wildcard w, Map<String, Object> row) throws QueryException {
    Pattern p = glob(Values.folded(w.pattern()));
    return any(row, w.field(), x -> p.matcher(Values.folded(x.toString())).matches());
  }

  /** Whether {@code s} matches the glob ({@code *} any run, {@code ?} one character) whole. */
  public static boolean globMatches(String pattern, String s) {
    return glob(pattern).matcher(s).matches();
  }

  static Pattern glob(String pattern) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '*') {
        re.append(".*");
      } else if (c == '?') {
        re.append('.');
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }

  private boolean range(Filter.Range r, Map<String, Object> row) throws QueryException {
    FieldType t = mapping.get(r.field());
    if (t == null) {
      return false;
    }
    return switch (t) {
      case KEYWORD, TEXT, BOOLEAN -> {
        String lo = r.lower() == null ? null : Values.folded(r.lower());
        String hi = r.upper() == null ? null : Values.folded(r.upper());
        yield any(
            row,
            r.field(),
            x -> {
              String s = Values.folded(x.toString());
              return within(
                  lo == null ? null : s.compareTo(lo), hi == null ? null : s.compareTo(hi), r);
            });
      }
      case LONG, DATE -> {
        Long lo =
            r.lower() == null
                ? null
                : t == FieldType.LONG
                    ? Planner.longValue(r.field(), r.lower(), r.column())
                    : Planner.dateValue(r.field(), r.lower(), r.column());
        Long hi =
            r.upper() == null
                ? null
                : t == FieldType.LONG
                    ? Planner.longValue(r.field(), r.upper(), r.column())
                    : Planner.dateValue(r.field(), r.upper(), r.column());
        yield any(
            row,
            r.field(),
            x -> {
              long v = (Long) x;
              return within(
                  lo == null ? null : Long.compare(v, lo),
                  hi == null ? null : Long.compare(v, hi),
                  r);
            });
      }
      case DOUBLE -> {
        Double lo =
            r.lower() == null ? null : Planner.doubleValue(r.field(), r.lower(), r.column());
        Double hi =
            r.upper() == null ? null : Planner.doubleValue(r.field(), r.upper(), r.column());
        yield any(
            row,
            r.field(),
            x -> {
              double v = (Double) x;
              return within(
                  lo == null ? null : Double.compare(v, lo),
                  hi == null ? null : Double.compare(v, hi),
                  r);
            });
      }
      case IP -> {
        byte[] lo = r.lower() == null ? null : v6(IpAddress.parse(r.lower()));
        byte[] hi = r.upper() == null ? null : v6(IpAddress.parse(r.upper()));
        yield any(
            row,
            r.field(),
            x -> {
              byte[] v = v6((IpAddress) x);
              return within(
                  lo == null ? null : java.util.Arrays.compareUnsigned(v, lo),
                  hi == null ? null : java.util.Arrays.compareUnsigned(v, hi),
                  r);
            });
      }
      case NONE -> false;
    };
  }

  private static boolean within(Integer vsLower, Integer vsUpper, Filter.Range r) {
    boolean okLo = vsLower == null || (r.includeLower() ? vsLower >= 0 : vsLower > 0);
    boolean okHi = vsUpper == null || (r.includeUpper() ? vsUpper <= 0 : vsUpper < 0);
    return okLo && okHi;
  }
}
