package dev.rampart.opensearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.core.event.Kind;
import dev.rampart.store.mapping.Mapping;
import dev.rampart.store.query.Query.Pipe;
import dev.rampart.store.query.QueryParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What is pushed down to OpenSearch's aggregations and how, as JSON; the answers against a real
 * node are compared with the reference in rampart-opensearch-it.
 */
class AggregationsTest {
  static final Mapping MAPPING = Mapping.inMemory(Map.of());
  static final ObjectMapper JSON = new ObjectMapper();

  static {
    MAPPING.resolve("user.name", Kind.STRING);
    MAPPING.resolve("CommandLine", Kind.STRING); // text by default
    MAPPING.resolve("source.ip", Kind.IP);
    MAPPING.resolve("port", Kind.LONG);
    MAPPING.resolve("rtt", Kind.DOUBLE);
    MAPPING.resolve("seen", Kind.TIMESTAMP);
  }

  static Pipe first(String query) throws Exception {
    return QueryParser.parse(query).pipes().get(0);
  }

  static boolean pushable(String query) throws Exception {
    return Aggregations.pushable(first(query), MAPPING);
  }

  @Test
  void whatOpenSearchCountsAsTheStoreDoesIsPushedDown() throws Exception {
    assertThat(pushable("* | stats count(), dc(user.name) by source.ip, port")).isTrue();
    assertThat(pushable("* | stats count() by CommandLine")).isTrue();
    assertThat(pushable("* | stats min(port), avg(rtt), count(CommandLine)")).isTrue();
    assertThat(pushable("* | stats count() by nosuchfield")).isTrue();
    assertThat(pushable("* | timechart span=5m count() by user.name")).isTrue();
  }

  @Test
  void timesAndOtherPipesTakeTheRowPath() throws Exception {
    // OpenSearch aggregates date_nanos in milliseconds; the store shows nanoseconds
    assertThat(pushable("* | stats count() by seen")).isFalse();
    assertThat(pushable("* | stats max(seen)")).isFalse();
    assertThat(pushable("* | head 5")).isFalse();
    assertThat(pushable("* | where port > 3 | stats count()")).isFalse();
  }

  @Test
  void theCompositeAggregationHasASourcePerGroupByAndASubAggregationPerAggregate()
      throws Exception {
    ObjectNode q = JSON.createObjectNode();
    q.putObject("match_all");
    String body =
        Aggregations.body(
                q,
                first("* | timechart span=1h dc(CommandLine) by user.name"),
                MAPPING,
                null,
                30_000)
            .toString();
    assertThat(body)
        .isEqualTo(
            "{\"query\":{\"match_all\":{}},\"size\":0,\"track_total_hits\":true,\"timeout\":\"30000ms\","
                + "\"aggs\":{\"g\":{\"composite\":{\"size\":5000,\"sources\":["
                + "{\"t\":{\"date_histogram\":{\"field\":\"@timestamp\",\"fixed_interval\":\"3600000ms\"}}},"
                + "{\"b0\":{\"terms\":{\"field\":\"user.name\"}}}]},"
                + "\"aggs\":{\"a0\":{\"cardinality\":{\"field\":\"CommandLine.raw\","
                + "\"precision_threshold\":40000}}}}}}");
  }

  @Test
  void pagesOfBucketsBecomeTheStoresGroupsWithAnEstimateSaid() throws Exception {
    Pipe stats = first("* | stats count(), dc(user.name), avg(port) by source.ip");
    String page =
        """
        {"hits":{"total":{"value":7}},"aggregations":{"g":{"after_key":{"b0":"10.0.0.2"},
         "buckets":[
          {"key":{"b0":"10.0.0.1"},"doc_count":5,"a1":{"value":50000},
           "a2":{"count":5,"sum":100.0,"min":10.0,"max":30.0}},
          {"key":{"b0":"10.0.0.2"},"doc_count":2,"a1":{"value":1},
           "a2":{"count":0,"sum":0.0,"min":null,"max":null}}]}}}
        """;
    var groups = new dev.rampart.store.search.Groups(((Pipe.Stats) stats).aggs());
    List<String> notes = new ArrayList<>();
    var after = Aggregations.read(JSON.readTree(page), stats, MAPPING, groups, notes);
    assertThat(after.toString()).isEqualTo("{\"b0\":\"10.0.0.2\"}");
    var t = groups.stats((Pipe.Stats) stats, MAPPING);
    assertThat(t.rows().toString())
        .isEqualTo(
            "[{source.ip=10.0.0.1, count()=5, dc(user.name)=50000, avg(port)=20.0},"
                + " {source.ip=10.0.0.2, count()=2, dc(user.name)=1, avg(port)=null}]");
    assertThat(notes).singleElement().asString().contains("estimate");
    String last = "{\"hits\":{\"total\":{\"value\":7}},\"aggregations\":{\"g\":{\"buckets\":[]}}}";
    assertThat(Aggregations.read(JSON.readTree(last), stats, MAPPING, groups, notes)).isNull();
  }
}
