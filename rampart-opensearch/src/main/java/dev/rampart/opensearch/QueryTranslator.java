package dev.rampart.opensearch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.core.event.Timestamps;
import dev.rampart.store.mapping.FieldType;
import dev.rampart.store.mapping.Mapping;
import dev.rampart.store.mapping.Values;
import dev.rampart.store.query.Query.Filter;
import dev.rampart.store.query.QueryException;
import dev.rampart.store.search.Planner;

/**
 * The filter part of a hunting query as an OpenSearch query, field by field as the embedded store
 * plans it ({@link Planner}), on the index template's mapping ({@link IndexTemplate}): keywords
 * match whole values without case, text fields match runs of words (a phrase) with the same
 * analyzer, wildcards and ranges on text fields go to the whole value, numbers, times and addresses
 * by their type (CIDR included), a field no event has had matches nothing. Pure: the same query and
 * mapping give the same JSON. Run {@link Planner#plan} first for the store's errors (with columns).
 */
public final class QueryTranslator {
  private static final ObjectMapper JSON = new ObjectMapper();

  private QueryTranslator() {}

  public static ObjectNode filter(Filter f, Mapping mapping) throws QueryException {
    return switch (f) {
      case Filter.All a -> node("match_all");
      case Filter.And and -> {
        ObjectNode bool = JSON.createObjectNode();
        ObjectNode b = bool.putObject("bool");
        for (Filter x : and.all()) {
          if (x instanceof Filter.Not n) {
            b.withArray("must_not").add(filter(n.filter(), mapping));
          } else {
            b.withArray("filter").add(filter(x, mapping));
          }
        }
        yield bool;
      }
      case Filter.Or or -> {
        ObjectNode bool = JSON.createObjectNode();
        ObjectNode b = bool.putObject("bool");
        ArrayNode should = b.putArray("should");
        for (Filter x : or.any()) {
          should.add(filter(x, mapping));
        }
        b.put("minimum_should_match", 1);
        yield bool;
      }
      case Filter.Not n -> {
        ObjectNode bool = JSON.createObjectNode();
        bool.putObject("bool").putArray("must_not").add(filter(n.filter(), mapping));
        yield bool;
      }
      case Filter.Exists e -> {
        FieldType t = mapping.get(e.field());
        if (t == null || t == FieldType.NONE) {
          yield node("match_none");
        }
        ObjectNode q = JSON.createObjectNode();
        q.putObject("exists").put("field", e.field());
        yield q;
      }
      case Filter.Term t -> term(t, mapping);
      case Filter.Wildcard w -> wildcard(w, mapping);
      case Filter.Range r -> range(r, mapping);
    };
  }

  /** {@code @timestamp} in {@code [from, to)}, either side open at the extremes. */
  public static ObjectNode timeRange(long fromNanos, long toNanos) {
    ObjectNode q = JSON.createObjectNode();
    ObjectNode r = q.putObject("range").putObject("@timestamp");
    if (fromNanos > 0) {
      r.put("gte", Timestamps.format(fromNanos));
    }
    if (toNanos != Long.MAX_VALUE) {
      r.put("lt", Timestamps.format(toNanos));
    }
    r.put("format", "strict_date_optional_time_nanos");
    return q;
  }

  private static ObjectNode term(Filter.Term t, Mapping mapping) throws QueryException {
    FieldType type = mapping.get(t.field());
    if (type == null || type == FieldType.NONE) {
      return node("match_none");
    }
    String v = t.value();
    ObjectNode q = JSON.createObjectNode();
    switch (type) {
      case KEYWORD ->
          q.putObject("term")
              .putObject(t.field())
              .put("value", Values.truncate(v))
              .put("case_insensitive", true);
      case BOOLEAN -> {
        String b = Values.folded(v);
        if (!b.equals("true") && !b.equals("false")) {
          return node("match_none");
        }
        q.putObject("term").put(t.field(), Boolean.parseBoolean(b));
      }
      case TEXT -> {
        if (dev.rampart.store.index.Analysis.tokens(v).isEmpty()) {
          return node("match_none"); // no word to look for, as in the store
        }
        q.putObject("match_phrase")
            .putObject(t.field())
            .put("query", v)
            .put("analyzer", IndexTemplate.WORDS);
      }
      case LONG -> q.putObject("term").put(t.field(), Planner.longValue(t.field(), v, t.column()));
      case DOUBLE ->
          q.putObject("term").put(t.field(), Planner.doubleValue(t.field(), v, t.column()));
      case DATE -> {
        long nanos = Planner.dateValue(t.field(), v, t.column());
        ObjectNode r = q.putObject("range").putObject(t.field());
        r.put("gte", Timestamps.format(nanos));
        r.put("lte", Timestamps.format(nanos));
        r.put("format", "strict_date_optional_time_nanos");
      }
      case IP -> q.putObject("term").put(t.field(), v); // an address or a CIDR prefix
      case NONE -> throw new IllegalStateException("handled above");
    }
    return q;
  }

  private static ObjectNode wildcard(Filter.Wildcard w, Mapping mapping) {
    FieldType type = mapping.get(w.field());
    if (type == null || type == FieldType.NONE) {
      return node("match_none");
    }
    // backslashes are literal in ours (Windows paths), escapes in OpenSearch's
    String pattern = Values.folded(w.pattern()).replace("\\", "\\\\");
    String field =
        switch (type) {
          case TEXT -> w.field() + "." + IndexTemplate.WHOLE;
          case BOOLEAN -> null;
          default -> w.field();
        };
    if (field == null) { // true/false: which of the two the pattern takes
      ObjectNode bool = JSON.createObjectNode();
      ArrayNode should = bool.putObject("bool").putArray("should");
      for (String b : new String[] {"true", "false"}) {
        if (dev.rampart.store.search.Reference.globMatches(Values.folded(w.pattern()), b)) {
          ObjectNode t = JSON.createObjectNode();
          t.putObject("term").put(w.field(), Boolean.parseBoolean(b));
          should.add(t);
        }
      }
      bool.with("bool").put("minimum_should_match", 1);
      return bool;
    }
    ObjectNode q = JSON.createObjectNode();
    q.putObject("wildcard").putObject(field).put("value", pattern).put("case_insensitive", true);
    return q;
  }

  private static ObjectNode range(Filter.Range r, Mapping mapping) throws QueryException {
    FieldType type = mapping.get(r.field());
    if (type == null || type == FieldType.NONE) {
      return node("match_none");
    }
    String field = type == FieldType.TEXT ? r.field() + "." + IndexTemplate.WHOLE : r.field();
    ObjectNode q = JSON.createObjectNode();
    ObjectNode b = q.putObject("range").putObject(field);
    if (r.lower() != null) {
      b.set(r.includeLower() ? "gte" : "gt", bound(type, r.field(), r.lower(), r.column()));
    }
    if (r.upper() != null) {
      b.set(r.includeUpper() ? "lte" : "lt", bound(type, r.field(), r.upper(), r.column()));
    }
    if (type == FieldType.DATE) {
      b.put("format", "strict_date_optional_time_nanos");
    }
    return q;
  }

  private static com.fasterxml.jackson.databind.JsonNode bound(
      FieldType type, String field, String v, int column) throws QueryException {
    var f = JSON.getNodeFactory();
    return switch (type) {
      case LONG -> f.numberNode(Planner.longValue(field, v, column));
      case DOUBLE -> f.numberNode(Planner.doubleValue(field, v, column));
      case DATE -> f.textNode(Timestamps.format(Planner.dateValue(field, v, column)));
      case KEYWORD, TEXT, BOOLEAN -> f.textNode(Values.folded(v));
      default -> f.textNode(v);
    };
  }

  private static ObjectNode node(String name) {
    ObjectNode q = JSON.createObjectNode();
    q.putObject(name);
    return q;
  }
}
