package dev.rampart.store.query;

import java.util.List;

/**
 * A parsed hunting query: which events ({@link Filter}), then what to do with them ({@link Pipe}s,
 * in order). Parse with {@link QueryParser#parse}.
 */
public record Query(Filter filter, List<Pipe> pipes) {
  public Query {
    pipes = List.copyOf(pipes);
  }

  /** Which events: the part before the first pipe. Columns are 1-based, for error messages. */
  public sealed interface Filter {
    /** {@code *}: every event. */
    record All() implements Filter {}

    /** {@code field:value} or {@code field:"value"}; a bare word searches {@code message}. */
    record Term(String field, String value, boolean quoted, int column) implements Filter {}

    /** {@code field:pat*tern} ({@code *} any run, {@code ?} one character). */
    record Wildcard(String field, String pattern, int column) implements Filter {}

    /** {@code field:[a TO b]}, {@code field:{a TO b}}, {@code field:>=a}; null bounds are open. */
    record Range(
        String field,
        String lower,
        String upper,
        boolean includeLower,
        boolean includeUpper,
        int column)
        implements Filter {}

    /** {@code field:*}: the field has a value. */
    record Exists(String field, int column) implements Filter {}

    record And(List<Filter> all) implements Filter {
      public And {
        all = List.copyOf(all);
      }
    }

    record Or(List<Filter> any) implements Filter {
      public Or {
        any = List.copyOf(any);
      }
    }

    record Not(Filter filter) implements Filter {}
  }

  /** One stage after a {@code |}. */
  public sealed interface Pipe {
    /** {@code | where EXPR}: keeps the rows for which the expression holds. */
    record Where(Expr expr) implements Pipe {}

    /** {@code | stats AGG, ... [by f1, f2]}. */
    record Stats(List<Agg> aggs, List<String> by) implements Pipe {
      public Stats {
        aggs = List.copyOf(aggs);
        by = List.copyOf(by);
      }
    }

    /** {@code | sort [-]f, ...}: {@code -} for descending. */
    record Sort(List<SortKey> keys) implements Pipe {
      public Sort {
        keys = List.copyOf(keys);
      }
    }

    /** {@code | head N}. */
    record Head(int n) implements Pipe {}

    /** {@code | fields f1, f2}. */
    record Fields(List<String> fields) implements Pipe {
      public Fields {
        fields = List.copyOf(fields);
      }
    }

    /** {@code | timechart span=1h AGG, ... [by f]}; {@code by} null when absent. */
    record Timechart(long spanNanos, String spanText, List<Agg> aggs, String by) implements Pipe {
      public Timechart {
        aggs = List.copyOf(aggs);
      }
    }
  }

  /** An aggregate function. */
  public enum Fn {
    COUNT,
    DC,
    MIN,
    MAX,
    AVG,
    SUM;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** {@code count()}, {@code count(f)}, {@code dc(f)}, ...; {@code field} null for count(). */
  public record Agg(Fn fn, String field) {
    /** The column name: {@code count()}, {@code dc(user.name)}. */
    public String label() {
      return fn.label() + "(" + (field == null ? "" : field) + ")";
    }
  }

  public record SortKey(String field, boolean descending) {}

  /** Conditions of {@code | where}. */
  public sealed interface Expr {
    record Cmp(String field, Op op, Object value) implements Expr {}

    record And(Expr left, Expr right) implements Expr {}

    record Or(Expr left, Expr right) implements Expr {}

    record Not(Expr expr) implements Expr {}
  }

  public enum Op {
    EQ("=="),
    NE("!="),
    LT("<"),
    LE("<="),
    GT(">"),
    GE(">=");

    public final String text;

    Op(String text) {
      this.text = text;
    }
  }
}
