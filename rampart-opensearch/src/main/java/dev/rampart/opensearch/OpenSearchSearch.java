package dev.rampart.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.core.event.Kind;
import dev.rampart.store.mapping.FieldType;
import dev.rampart.store.mapping.Mapping;
import dev.rampart.store.query.Query;
import dev.rampart.store.query.Query.Filter;
import dev.rampart.store.query.Query.Pipe;
import dev.rampart.store.query.QueryException;
import dev.rampart.store.query.QueryParser;
import dev.rampart.store.search.EventSearch;
import dev.rampart.store.search.Groups;
import dev.rampart.store.search.Planner;
import dev.rampart.store.search.Reference;
import dev.rampart.store.search.Rows;
import dev.rampart.store.search.SearchRequest;
import dev.rampart.store.search.SearchResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opensearch.client.Request;
import org.opensearch.client.ResponseException;
import org.opensearch.client.RestClient;

/**
 * Hunting queries over events kept in OpenSearch, with the embedded store's answers: the filter is
 * translated ({@link QueryTranslator}) and run there, newest first with {@code search_after}
 * paging. A first {@code stats} or {@code timechart} is computed by OpenSearch's aggregations
 * ({@link Aggregations}) when they count as the store does, and the later pipes run over its
 * groups; other pipes run here over the matching events, by the same code the reference search
 * uses, bounded by the request's scan limit (said in the notes when reached). Errors are the
 * store's, with columns. The field types come from OpenSearch's mapping of the index pattern
 * (cached for a few seconds).
 */
public final class OpenSearchSearch implements EventSearch {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PAGE = 5_000;
  private static final long MAPPING_TTL_NANOS = 10_000_000_000L;

  private final RestClient client;
  private final String pattern;
  private volatile Map<String, FieldType> types;
  private volatile long typesAt;

  public OpenSearchSearch(RestClient client, OpenSearchOptions o) {
    this.client = client;
    this.pattern = o.indexPrefix() + "-*";
  }

  @Override
  public SearchResult search(SearchRequest r) throws QueryException, IOException {
    long t0 = System.nanoTime();
    Query q = QueryParser.parse(r.query());
    Filter filter = q.filter();
    if (r.scope() != null) {
      filter = new Filter.And(List.of(filter, QueryParser.parse(r.scope()).filter()));
    }
    Mapping mapping = mapping();
    new Planner(mapping).plan(filter); // the store's errors, at the same columns
    ObjectNode query = JSON.createObjectNode();
    ArrayNode all = query.putObject("bool").putArray("filter");
    all.add(QueryTranslator.timeRange(r.fromNanos(), r.toNanos()));
    all.add(QueryTranslator.filter(filter, mapping));
    List<String> notes = new ArrayList<>();
    Pipe first = q.pipes().isEmpty() ? null : q.pipes().get(0);
    if (first instanceof Pipe.Stats s) {
      Groups.checkAggs(s.aggs(), mapping);
    } else if (first instanceof Pipe.Timechart tc) {
      Groups.checkTimechart(tc, mapping);
    }
    if (first != null && Aggregations.pushable(first, mapping)) {
      return aggregate(query, q, first, mapping, r, notes, t0);
    }
    if (q.pipes().isEmpty()) {
      Page p = page(query, r.limit(), r.after(), r.oldestFirst(), r.timeout().toMillis());
      return new SearchResult(
          p.total,
          null,
          p.rows,
          p.rows.size() == r.limit() ? p.next : null,
          p.timedOut,
          p.timedOut ? List.of("OpenSearch timed out: the events are those found in time") : notes,
          (System.nanoTime() - t0) / 1_000_000);
    }
    // pipes: over the matching events, newest first, up to the scan limit
    List<Map<String, Object>> events = new ArrayList<>();
    String after = null;
    long total = 0;
    boolean partial = false;
    long deadline = t0 + r.timeout().toNanos(); // for all pages together
    while (true) {
      int want = (int) Math.min(PAGE, r.scanLimit() - events.size());
      if (want <= 0) {
        partial = true;
        notes.add(
            "the pipes ran over the newest "
                + events.size()
                + " of "
                + total
                + " matching events (the scan limit); narrow the time range or the filter");
        break;
      }
      Page p =
          page(query, want, after, false, Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      total = p.total;
      events.addAll(p.rows);
      if (p.timedOut || System.nanoTime() >= deadline && p.rows.size() == want) {
        partial = true;
        notes.add("OpenSearch timed out: the pipes ran over the events found in time");
        break;
      }
      if (p.rows.size() < want || p.next == null) {
        break;
      }
      after = p.next;
    }
    Rows.Table t = Reference.pipes(events, q.pipes(), mapping, r);
    List<Map<String, Object>> rows = t.rows();
    if (rows.size() > r.limit()) {
      rows = rows.subList(0, r.limit());
    }
    return new SearchResult(
        total,
        t.columns(),
        new ArrayList<>(rows),
        null,
        partial || t.truncated(),
        notes,
        (System.nanoTime() - t0) / 1_000_000);
  }

  /** A stats or timechart computed by OpenSearch ({@link Aggregations}), then the later pipes. */
  private SearchResult aggregate(
      ObjectNode query,
      Query q,
      Pipe first,
      Mapping mapping,
      SearchRequest r,
      List<String> notes,
      long t0)
      throws IOException, QueryException {
    Groups groups = new Groups(aggs(first));
    JsonNode after = null;
    long matched = -1;
    boolean timedOut = false;
    // the request's timeout bounds all pages together, not each one
    long deadline = t0 + r.timeout().toNanos();
    do {
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      JsonNode answer = post(Aggregations.body(query, first, mapping, after, left));
      if (matched < 0) {
        matched = answer.path("hits").path("total").path("value").asLong();
      }
      timedOut |= answer.path("timed_out").asBoolean();
      after = Aggregations.read(answer, first, mapping, groups, notes);
      timedOut |= after != null && System.nanoTime() >= deadline;
    } while (after != null && !timedOut);
    if (timedOut) {
      notes.add("OpenSearch timed out: counts are partial");
    }
    Rows.Table t;
    if (first instanceof Pipe.Stats s) {
      Groups.noteMissing(s.by(), mapping, notes);
      t = groups.stats(s, mapping);
    } else {
      Pipe.Timechart tc = (Pipe.Timechart) first;
      Groups.noteMissing(tc.by() == null ? List.of() : List.of(tc.by()), mapping, notes);
      t = groups.timechart(tc, r, mapping, notes);
    }
    return Groups.result(
        t,
        q.pipes().subList(1, q.pipes().size()),
        mapping,
        r,
        matched,
        notes,
        timedOut,
        (System.nanoTime() - t0) / 1_000_000);
  }

  private static List<Query.Agg> aggs(Pipe first) {
    return first instanceof Pipe.Stats s ? s.aggs() : ((Pipe.Timechart) first).aggs();
  }

  private record Page(long total, List<Map<String, Object>> rows, String next, boolean timedOut) {}

  private Page page(ObjectNode query, int size, String after, boolean ascending, long timeoutMillis)
      throws IOException {
    ObjectNode body = JSON.createObjectNode();
    body.set("query", query);
    body.put("size", size);
    body.put("track_total_hits", true);
    body.put("timeout", timeoutMillis + "ms");
    ArrayNode sort = body.putArray("sort");
    String order = ascending ? "asc" : "desc";
    sort.addObject().putObject("@timestamp").put("order", order);
    sort.addObject()
        .putObject(IndexTemplate.OFFSET)
        .put("order", order)
        .put("unmapped_type", "long");
    if (after != null) {
      ArrayNode sa = body.putArray("search_after");
      for (String part : after.split(",", -1)) {
        sa.add(Long.parseLong(part));
      }
    }
    JsonNode answer = post(body);
    List<Map<String, Object>> rows = new ArrayList<>();
    String next = null;
    for (JsonNode hit : answer.path("hits").path("hits")) {
      rows.add(row(hit.path("_source")));
      JsonNode s = hit.path("sort");
      next = s.path(0).asText() + "," + s.path(1).asText();
    }
    return new Page(
        answer.path("hits").path("total").path("value").asLong(),
        rows,
        next,
        answer.path("timed_out").asBoolean());
  }

  /** One search request over the index pattern; OpenSearch's refusals said with what to do. */
  private JsonNode post(ObjectNode body) throws IOException {
    Request req = new Request("POST", "/" + pattern + "/_search");
    req.addParameter("ignore_unavailable", "true");
    req.addParameter("allow_no_indices", "true");
    req.setJsonEntity(JSON.writeValueAsString(body));
    try (var in = client.performRequest(req).getEntity().getContent()) {
      return JSON.readTree(in);
    } catch (ResponseException e) {
      int status = e.getResponse().getStatusLine().getStatusCode();
      throw new IOException(
          "OpenSearch answered "
              + status
              + (status == 503
                  ? " (shards not ready: a new day's index starting, or the cluster recovering);"
                      + " try again in a few seconds"
                  : ": " + e.getMessage()),
          e);
    }
  }

  /** An event row as the store makes it: {@code _id} first, values as the store's kinds. */
  static Map<String, Object> row(JsonNode source) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("_id", source.path(IndexTemplate.OFFSET).asLong());
    for (Iterator<Map.Entry<String, JsonNode>> it = source.fields(); it.hasNext(); ) {
      var f = it.next();
      if (f.getKey().equals(IndexTemplate.OFFSET)) {
        continue;
      }
      JsonNode v = f.getValue();
      if (v.isArray()) {
        Rows.MultiValue m = new Rows.MultiValue();
        v.forEach(x -> m.add(plain(x)));
        row.put(f.getKey(), m);
      } else {
        row.put(f.getKey(), plain(v));
      }
    }
    return row;
  }

  private static Object plain(JsonNode v) {
    if (v.isIntegralNumber()) {
      return v.asLong();
    }
    if (v.isNumber()) {
      return v.asDouble();
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    return v.asText();
  }

  /** The field types OpenSearch mapped under the index pattern, as the store's types. */
  Mapping mapping() throws IOException {
    Map<String, FieldType> t = types;
    if (t == null || System.nanoTime() - typesAt > MAPPING_TTL_NANOS) {
      t = fetchTypes();
      types = t;
      typesAt = System.nanoTime();
    }
    Mapping m = Mapping.inMemory(t);
    for (String f : t.keySet()) {
      m.resolve(f, Kind.STRING); // the override decides
    }
    return m;
  }

  private Map<String, FieldType> fetchTypes() throws IOException {
    Request req = new Request("GET", "/" + pattern + "/_mapping/field/*");
    req.addParameter("ignore_unavailable", "true");
    req.addParameter("allow_no_indices", "true");
    JsonNode answer;
    try (var in = client.performRequest(req).getEntity().getContent()) {
      answer = JSON.readTree(in);
    } catch (ResponseException e) {
      if (e.getResponse().getStatusLine().getStatusCode() == 404) {
        return Map.of();
      }
      throw e;
    }
    Map<String, FieldType> out = new HashMap<>();
    for (JsonNode index : answer) {
      for (Iterator<Map.Entry<String, JsonNode>> it = index.path("mappings").fields();
          it.hasNext(); ) {
        var f = it.next();
        String name = f.getKey();
        if (name.startsWith("_") || name.equals(IndexTemplate.OFFSET)) {
          continue;
        }
        JsonNode leaf =
            f.getValue().path("mapping").elements().hasNext()
                ? f.getValue().path("mapping").elements().next()
                : null;
        if (leaf == null) {
          continue;
        }
        FieldType type = type(leaf);
        if (type != null
            && !(name.endsWith("." + IndexTemplate.WHOLE)
                && out.get(parent(name)) == FieldType.TEXT)) {
          out.putIfAbsent(name, type);
        }
      }
    }
    // a text field's whole-value sub-field is not a field of the events
    out.keySet()
        .removeIf(
            n -> n.endsWith("." + IndexTemplate.WHOLE) && out.get(parent(n)) == FieldType.TEXT);
    return out;
  }

  private static String parent(String name) {
    return name.substring(0, name.lastIndexOf('.'));
  }

  private static FieldType type(JsonNode leaf) {
    if (leaf.path("index").isBoolean() && !leaf.path("index").asBoolean()) {
      return FieldType.NONE;
    }
    return switch (leaf.path("type").asText()) {
      case "keyword", "constant_keyword", "wildcard" -> FieldType.KEYWORD;
      case "text", "match_only_text" -> FieldType.TEXT;
      case "long", "integer", "short", "byte", "unsigned_long" -> FieldType.LONG;
      case "double", "float", "half_float", "scaled_float" -> FieldType.DOUBLE;
      case "date", "date_nanos" -> FieldType.DATE;
      case "ip" -> FieldType.IP;
      case "boolean" -> FieldType.BOOLEAN;
      default -> null;
    };
  }
}
