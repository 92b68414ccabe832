package dev.rampart.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.store.mapping.FieldType;
import dev.rampart.store.mapping.Mapping;
import dev.rampart.store.query.Query.Agg;
import dev.rampart.store.query.Query.Pipe;
import dev.rampart.store.search.Groups;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A {@code stats} or {@code timechart} pipe as an OpenSearch aggregation, so that OpenSearch counts
 * and only the groups travel: the by-fields (after a timechart's buckets, a {@code date_histogram}
 * source) are the sources of one {@code composite} aggregation read a page at a time, each
 * aggregate a sub-aggregation ({@code count(f)} a filter on the field's existence, {@code dc} a
 * {@code cardinality}, min/max/sum/avg one {@code stats}). The pages fill the store's {@link
 * Groups}, which makes the same table the embedded store makes.
 *
 * <p>Only what OpenSearch computes as the store does is pushed down ({@link #pushable}): group-by
 * on keywords, text (by the whole value), longs, doubles, addresses and booleans; numbers for
 * min/max/sum/avg; spans of whole milliseconds. Times as group-by values or aggregated numbers
 * (OpenSearch aggregates {@code date_nanos} in milliseconds) and stored-only fields take the row
 * path. One difference is said when it shows: {@code dc} is exact up to {@link #PRECISION} distinct
 * values and OpenSearch's estimate above.
 */
final class Aggregations {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Composite buckets per request. */
  static final int PAGE = 5_000;

  /** Cardinality's precision threshold: exact counts below it (OpenSearch's maximum). */
  static final int PRECISION = 40_000;

  private static final Set<FieldType> GROUPABLE =
      Set.of(
          FieldType.KEYWORD,
          FieldType.TEXT,
          FieldType.LONG,
          FieldType.DOUBLE,
          FieldType.IP,
          FieldType.BOOLEAN);

  private Aggregations() {}

  /** Whether OpenSearch can compute {@code first} (a stats or timechart pipe) as the store does. */
  static boolean pushable(Pipe first, Mapping mapping) {
    List<String> by;
    List<Agg> aggs;
    switch (first) {
      case Pipe.Stats s -> {
        by = s.by();
        aggs = s.aggs();
      }
      case Pipe.Timechart tc -> {
        if (tc.spanNanos() % 1_000_000 != 0) {
          return false;
        }
        by = tc.by() == null ? List.of() : List.of(tc.by());
        aggs = tc.aggs();
      }
      default -> {
        return false;
      }
    }
    for (String f : by) {
      FieldType t = mapping.get(f);
      if (t != null && !GROUPABLE.contains(t)) {
        return false;
      }
    }
    for (Agg a : aggs) {
      FieldType t = a.field() == null ? null : mapping.get(a.field());
      if (t == null) {
        continue; // count() or a field no event has
      }
      boolean ok =
          switch (a.fn()) {
            case COUNT -> t != FieldType.NONE;
            case DC -> GROUPABLE.contains(t);
            case MIN, MAX, SUM, AVG -> t == FieldType.LONG || t == FieldType.DOUBLE;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** The field OpenSearch aggregates for {@code field}: a text field's whole value. */
  static String docValuesField(String field, Mapping mapping) {
    return mapping.get(field) == FieldType.TEXT ? field + "." + IndexTemplate.WHOLE : field;
  }

  /**
   * The search body of one page: no hits, the total counted, the composite aggregation {@code g}
   * after {@code after} (null for the first page); for a stats without by-fields, the aggregates
   * over all matching events instead.
   */
  static ObjectNode body(
      ObjectNode query, Pipe first, Mapping mapping, JsonNode after, long timeoutMillis) {
    ObjectNode body = JSON.createObjectNode();
    body.set("query", query);
    body.put("size", 0);
    body.put("track_total_hits", true);
    body.put("timeout", timeoutMillis + "ms");
    List<String> by = by(first);
    List<Agg> aggs = aggs(first);
    ObjectNode subs;
    if (by.isEmpty() && first instanceof Pipe.Stats) {
      subs = body.putObject("aggs");
    } else {
      ObjectNode g = body.putObject("aggs").putObject("g");
      ObjectNode composite = g.putObject("composite");
      composite.put("size", PAGE);
      ArrayNode sources = composite.putArray("sources");
      if (first instanceof Pipe.Timechart tc) {
        sources
            .addObject()
            .putObject("t")
            .putObject("date_histogram")
            .put("field", "@timestamp")
            .put("fixed_interval", tc.spanNanos() / 1_000_000 + "ms");
      }
      for (int i = 0; i < by.size(); i++) {
        sources
            .addObject()
            .putObject("b" + i)
            .putObject("terms")
            .put("field", docValuesField(by.get(i), mapping));
      }
      if (after != null) {
        composite.set("after", after);
      }
      subs = g.putObject("aggs");
    }
    for (int i = 0; i < aggs.size(); i++) {
      Agg a = aggs.get(i);
      if (a.field() == null) {
        continue; // count(): the bucket's doc_count
      }
      String f = docValuesField(a.field(), mapping);
      ObjectNode sub = subs.putObject("a" + i);
      switch (a.fn()) {
        case COUNT -> sub.putObject("filter").putObject("exists").put("field", a.field());
        case DC ->
            sub.putObject("cardinality").put("field", f).put("precision_threshold", PRECISION);
        case MIN, MAX, SUM, AVG -> sub.putObject("stats").put("field", f);
      }
    }
    return body;
  }

  /**
   * Reads one page of {@code answer} into {@code groups}; the next page's {@code after} key, or
   * null when this was the last. Notes what OpenSearch estimated.
   */
  static JsonNode read(
      JsonNode answer, Pipe first, Mapping mapping, Groups groups, List<String> notes) {
    List<String> by = by(first);
    List<Agg> aggs = aggs(first);
    if (by.isEmpty() && first instanceof Pipe.Stats) {
      long total = answer.path("hits").path("total").path("value").asLong();
      if (total > 0) {
        fill(groups.group(List.of()), total, answer.path("aggregations"), aggs, notes);
      }
      return null;
    }
    JsonNode g = answer.path("aggregations").path("g");
    for (JsonNode bucket : g.path("buckets")) {
      JsonNode key = bucket.path("key");
      List<Object> k = new ArrayList<>(by.size() + 1);
      if (first instanceof Pipe.Timechart) {
        k.add(key.path("t").asLong() * 1_000_000);
      }
      for (int i = 0; i < by.size(); i++) {
        k.add(value(key.path("b" + i), mapping.get(by.get(i))));
      }
      Groups.Group group = groups.group(k);
      if (group == null) {
        return null; // the store's group limit: said by the table
      }
      fill(group, bucket.path("doc_count").asLong(), bucket, aggs, notes);
    }
    JsonNode next = g.path("after_key");
    return g.path("buckets").isEmpty() || next.isMissingNode() ? null : next;
  }

  private static void fill(
      Groups.Group group, long events, JsonNode subs, List<Agg> aggs, List<String> notes) {
    group.events(events);
    for (int i = 0; i < aggs.size(); i++) {
      Agg a = aggs.get(i);
      if (a.field() == null) {
        continue;
      }
      JsonNode sub = subs.path("a" + i);
      switch (a.fn()) {
        case COUNT -> group.withValue(i, sub.path("doc_count").asLong());
        case DC -> {
          long n = sub.path("value").asLong();
          group.distinct(i, n);
          String note =
              a.label()
                  + " counts above "
                  + PRECISION
                  + " distinct values are OpenSearch's estimate (within a few percent)";
          if (n >= PRECISION && !notes.contains(note)) {
            notes.add(note);
          }
        }
        case MIN, MAX, SUM, AVG ->
            group.numbers(
                i,
                sub.path("count").asLong(),
                sub.path("sum").asDouble(),
                sub.path("min").asDouble(),
                sub.path("max").asDouble());
      }
    }
  }

  /** A composite key's value as the store shows a group-by value of type {@code t}. */
  static Object value(JsonNode v, FieldType t) {
    if (t == FieldType.LONG) {
      return v.asLong();
    }
    if (t == FieldType.DOUBLE) {
      return v.asDouble();
    }
    if (t == FieldType.BOOLEAN) {
      return v.isNumber() ? Boolean.toString(v.asLong() != 0) : v.asText();
    }
    return v.asText();
  }

  private static List<String> by(Pipe first) {
    return switch (first) {
      case Pipe.Stats s -> s.by();
      case Pipe.Timechart tc -> tc.by() == null ? List.of() : List.of(tc.by());
      default -> List.of();
    };
  }

  private static List<Agg> aggs(Pipe first) {
    return switch (first) {
      case Pipe.Stats s -> s.aggs();
      case Pipe.Timechart tc -> tc.aggs();
      default -> List.of();
    };
  }
}
