package dev.rampart.store.search;

import dev.rampart.core.event.IpAddress;
import dev.rampart.store.index.Analysis;
import dev.rampart.store.mapping.FieldType;
import dev.rampart.store.mapping.Mapping;
import dev.rampart.store.mapping.StoreFields;
import dev.rampart.store.mapping.Values;
import dev.rampart.store.query.Query.Filter;
import dev.rampart.store.query.QueryException;
import java.net.InetAddress;
import java.util.List;
import org.apache.lucene.document.DoubleField;
import org.apache.lucene.document.InetAddressPoint;
import org.apache.lucene.document.LongField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermRangeQuery;
import org.apache.lucene.search.WildcardQuery;
import org.apache.lucene.util.automaton.Operations;

/**
 * The filter part of a query as a Lucene query, by each field's type in the {@link Mapping}. A
 * field no event has had matches nothing (it is not an error: the next event may bring it); a value
 * that cannot be of its field's type is an error at the value's column.
 */
public final class Planner {
  /** Most terms a wildcard may expand to before it fails (a bound on one query's work). */
  public static final int MAX_WILDCARD_STATES = Operations.DEFAULT_DETERMINIZE_WORK_LIMIT;

  private final Mapping mapping;

  public Planner(Mapping mapping) {
    this.mapping = mapping;
  }

  public Query plan(Filter f) throws QueryException {
    return switch (f) {
      case Filter.All a -> new MatchAllDocsQuery();
      case Filter.And and -> {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        for (Filter x : and.all()) {
          if (x instanceof Filter.Not n) {
            b.add(plan(n.filter()), Occur.MUST_NOT);
          } else {
            b.add(plan(x), Occur.FILTER);
          }
        }
        if (and.all().stream().allMatch(x -> x instanceof Filter.Not)) {
          b.add(new MatchAllDocsQuery(), Occur.FILTER);
        }
        yield b.build();
      }
      case Filter.Or or -> {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        for (Filter x : or.any()) {
          b.add(plan(x), Occur.SHOULD);
        }
        b.setMinimumNumberShouldMatch(1);
        yield b.build();
      }
      case Filter.Not n ->
          new BooleanQuery.Builder()
              .add(new MatchAllDocsQuery(), Occur.FILTER)
              .add(plan(n.filter()), Occur.MUST_NOT)
              .build();
      case Filter.Exists e -> {
        FieldType t = type(e.field(), e.column());
        yield t == null ? new MatchNoDocsQuery() : new FieldExistsQuery(e.field());
      }
      case Filter.Term t -> term(t);
      case Filter.Wildcard w -> wildcard(w);
      case Filter.Range r -> range(r);
    };
  }

  /** The field's type; null when unmapped; an error when it is stored only. */
  private FieldType type(String field, int column) throws QueryException {
    FieldType t = mapping.get(field);
    if (t == FieldType.NONE) {
      throw new QueryException(
          column, field + " is stored but not indexed (mapping type none); it cannot be searched");
    }
    return t;
  }

  private Query term(Filter.Term t) throws QueryException {
    FieldType type = type(t.field(), t.column());
    if (type == null) {
      return new MatchNoDocsQuery();
    }
    String f = t.field();
    String v = t.value();
    return switch (type) {
      case KEYWORD, BOOLEAN -> new TermQuery(new Term(f, Values.folded(Values.truncate(v))));
      case TEXT -> words(f, v);
      case LONG -> LongField.newExactQuery(f, longValue(t.field(), v, t.column()));
      case DOUBLE -> DoubleField.newExactQuery(f, doubleValue(t.field(), v, t.column()));
      case DATE -> LongField.newExactQuery(f, dateValue(t.field(), v, t.column()));
      case IP -> ip(f, v, t.column());
      case NONE -> throw new IllegalStateException("checked in type()");
    };
  }

  /** A text field's words: one word a term query, several a phrase. */
  static Query words(String field, String text) {
    List<String> tokens = Analysis.tokens(text);
    if (tokens.isEmpty()) {
      return new MatchNoDocsQuery();
    }
    if (tokens.size() == 1) {
      return new TermQuery(new Term(field, tokens.get(0)));
    }
    return new PhraseQuery(field, tokens.toArray(String[]::new));
  }

  private Query ip(String field, String v, int column) throws QueryException {
    int slash = v.indexOf('/');
    if (slash >= 0) {
      IpAddress base = IpAddress.parse(v.substring(0, slash));
      Integer bits = parseBits(v.substring(slash + 1));
      int max = base == null ? 0 : base.isV4() ? 32 : 128;
      if (base == null || bits == null || bits > max) {
        throw new QueryException(
            column, "'" + v + "' is not a CIDR block (10.0.0.0/8, 2001:db8::/32) for " + field);
      }
      return InetAddressPoint.newPrefixQuery(field, base.toInetAddress(), bits);
    }
    return InetAddressPoint.newExactQuery(field, ipValue(field, v, column));
  }

  private static Integer parseBits(String s) {
    if (s.isEmpty() || s.length() > 3) {
      return null;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!Character.isDigit(s.charAt(i))) {
        return null;
      }
    }
    return Integer.parseInt(s);
  }

  private Query wildcard(Filter.Wildcard w) throws QueryException {
    FieldType type = type(w.field(), w.column());
    if (type == null) {
      return new MatchNoDocsQuery();
    }
    // WildcardQuery reads '\\' as an escape; ours are literal (Windows paths), so double them.
    String pattern = Values.folded(w.pattern()).replace("\\", "\\\\");
    return switch (type) {
      case KEYWORD, BOOLEAN -> new WildcardQuery(new Term(w.field(), pattern), MAX_WILDCARD_STATES);
      case TEXT ->
          new WildcardQuery(new Term(w.field() + StoreFields.WHOLE, pattern), MAX_WILDCARD_STATES);
      case IP ->
          throw new QueryException(
              w.column(),
              "wildcards do not apply to IP field "
                  + w.field()
                  + "; use a CIDR block such as "
                  + w.field()
                  + ":10.0.0.0/8");
      default ->
          throw new QueryException(
              w.column(),
              "wildcards do not apply to "
                  + type.label()
                  + " field "
                  + w.field()
                  + "; use a range such as "
                  + w.field()
                  + ":[1 TO 9]");
    };
  }

  private Query range(Filter.Range r) throws QueryException {
    FieldType type = type(r.field(), r.column());
    if (type == null) {
      return new MatchNoDocsQuery();
    }
    String f = r.field();
    int c = r.column();
    switch (type) {
      case KEYWORD, BOOLEAN, TEXT -> {
        String field = type == FieldType.TEXT ? f + StoreFields.WHOLE : f;
        return TermRangeQuery.newStringRange(
            field,
            r.lower() == null ? null : Values.folded(r.lower()),
            r.upper() == null ? null : Values.folded(r.upper()),
            r.includeLower(),
            r.includeUpper());
      }
      case LONG, DATE -> {
        long lo = Long.MIN_VALUE;
        long hi = Long.MAX_VALUE;
        if (r.lower() != null) {
          lo = type == FieldType.LONG ? longValue(f, r.lower(), c) : dateValue(f, r.lower(), c);
          if (!r.includeLower()) {
            if (lo == Long.MAX_VALUE) {
              return new MatchNoDocsQuery();
            }
            lo++;
          }
        }
        if (r.upper() != null) {
          hi = type == FieldType.LONG ? longValue(f, r.upper(), c) : dateValue(f, r.upper(), c);
          if (!r.includeUpper()) {
            if (hi == Long.MIN_VALUE) {
              return new MatchNoDocsQuery();
            }
            hi--;
          }
        }
        return LongField.newRangeQuery(f, lo, hi);
      }
      case DOUBLE -> {
        double lo = Double.NEGATIVE_INFINITY;
        double hi = Double.POSITIVE_INFINITY;
        if (r.lower() != null) {
          lo = doubleValue(f, r.lower(), c);
          if (!r.includeLower()) {
            lo = Math.nextUp(lo);
          }
        }
        if (r.upper() != null) {
          hi = doubleValue(f, r.upper(), c);
          if (!r.includeUpper()) {
            hi = Math.nextDown(hi);
          }
        }
        return DoubleField.newRangeQuery(f, lo, hi);
      }
      case IP -> {
        InetAddress lo = r.lower() == null ? InetAddressPoint.MIN_VALUE : ipValue(f, r.lower(), c);
        InetAddress hi = r.upper() == null ? InetAddressPoint.MAX_VALUE : ipValue(f, r.upper(), c);
        if (r.lower() != null && !r.includeLower()) {
          if (lo.equals(InetAddressPoint.MAX_VALUE)) {
            return new MatchNoDocsQuery();
          }
          lo = InetAddressPoint.nextUp(lo);
        }
        if (r.upper() != null && !r.includeUpper()) {
          if (hi.equals(InetAddressPoint.MIN_VALUE)) {
            return new MatchNoDocsQuery();
          }
          hi = InetAddressPoint.nextDown(hi);
        }
        return InetAddressPoint.newRangeQuery(f, lo, hi);
      }
      default -> throw new IllegalStateException("checked in type()");
    }
  }

  public static long longValue(String field, String v, int column) throws QueryException {
    Long l = Values.parseLong(v);
    if (l == null) {
      throw new QueryException(column, field + " holds whole numbers; '" + v + "' is not one");
    }
    return l;
  }

  public static double doubleValue(String field, String v, int column) throws QueryException {
    Double d = Values.parseDouble(v);
    if (d == null) {
      throw new QueryException(column, field + " holds numbers; '" + v + "' is not one");
    }
    return d;
  }

  public static long dateValue(String field, String v, int column) throws QueryException {
    Long t = Values.parseDate(v);
    if (t == null) {
      throw new QueryException(
          column, field + " holds dates; '" + v + "' is not one (use 2026-01-05T10:00:00Z)");
    }
    return t;
  }

  static InetAddress ipValue(String field, String v, int column) throws QueryException {
    IpAddress ip = IpAddress.parse(v);
    if (ip == null) {
      throw new QueryException(column, field + " holds IP addresses; '" + v + "' is not one");
    }
    return ip.toInetAddress();
  }
}
