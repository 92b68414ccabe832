package dev.rampart.opensearch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rampart.core.event.Event;
import dev.rampart.core.io.ProblemSink;
import dev.rampart.core.json.JsonEventReader;
import dev.rampart.core.json.ReadOptions;
import dev.rampart.ingest.spool.Spool;
import dev.rampart.kafka.KafkaEventSink;
import dev.rampart.kafka.testing.TestBroker;
import dev.rampart.opensearch.EventIndexer;
import dev.rampart.opensearch.OpenSearchOptions;
import dev.rampart.opensearch.OpenSearchSearch;
import dev.rampart.simulate.Scenario;
import dev.rampart.simulate.Simulator;
import dev.rampart.store.mapping.Mapping;
import dev.rampart.store.query.QueryException;
import dev.rampart.store.search.Reference;
import dev.rampart.store.search.Rows;
import dev.rampart.store.search.SearchRequest;
import dev.rampart.store.search.SearchResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opensearch.client.Request;
import org.opensearch.client.RestClient;

/**
 * OpenSearch as the event store, for real: simulated traffic through the platform's spool and its
 * Kafka sink into a KRaft broker in this JVM, the indexer's own consumer group into a real
 * OpenSearch node in this JVM, and hunting queries answered there exactly as the reference search
 * answers them over the same events (same events newest first, same tables). One event whose field
 * is a value here and an object elsewhere is refused by OpenSearch and lands in the dead letters.
 */
class OpenSearchStoreTest {
  static final int EVENTS = 6_000;
  static TestBroker kafka;
  static EmbeddedOpenSearch node;
  static RestClient client;
  static OpenSearchOptions options;
  static OpenSearchSearch search;
  static final List<Reference.Stored> STORED = new ArrayList<>();
  static Mapping mapping;
  static long deadLettered;

  @BeforeAll
  static void eventsInOpenSearch(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream ndjson = new ByteArrayOutputStream();
    Simulator.run(
        new Simulator.Options(
            List.copyOf(EnumSet.allOf(Scenario.class)),
            EVENTS,
            5,
            dev.rampart.core.event.Timestamps.fromInstant(Simulator.DEFAULT_START),
            86_400_000_000_000L,
            10,
            1),
        ndjson,
        t -> {},
        x -> {});
    // and one event whose Image is an object: the simulated ones have it as a value
    ndjson.write(
        ("{\"@timestamp\":\"2026-01-05T12:00:00Z\",\"Image\":{\"path\":\"C:\\\\x.exe\"},"
                + "\"EventID\":1}\n")
            .getBytes(StandardCharsets.UTF_8));
    kafka = TestBroker.start(Map.of("rampart.events", 2, "rampart.events.dlq", 1));
    node = EmbeddedOpenSearch.start(dir.resolve("opensearch"));
    options = OpenSearchOptions.of(node.url()).withReplicas(0);
    client = options.client();
    mapping = Mapping.inMemory(Map.of());
    try (Spool spool =
            Spool.open(dir.resolve("spool"), Spool.Options.defaults(), ProblemSink.IGNORE);
        JsonEventReader r =
            new JsonEventReader(
                new ByteArrayInputStream(ndjson.toByteArray()),
                "simulate",
                ReadOptions.DEFAULTS,
                ProblemSink.IGNORE)) {
      Event e = new Event();
      while (r.next(e)) {
        long offset = spool.append(e);
        Event copy = new Event();
        copy.copyFrom(e);
        STORED.add(new Reference.Stored(offset, copy));
      }
      spool.sync();
      try (KafkaEventSink sink =
          new KafkaEventSink(
              spool,
              new KafkaEventSink.Options("rampart.events", "rampart.events.dlq", kafka.client()))) {
        sink.catchUp();
      }
    }
    try (EventIndexer indexer =
        new EventIndexer(
            client,
            options,
            new EventIndexer.Options(
                "rampart.events", "rampart.events.dlq", kafka.client(), Duration.ofSeconds(5)))) {
      long deadline = System.currentTimeMillis() + 60_000;
      while (indexer.indexed() + indexer.deadLettered() < STORED.size()
          && System.currentTimeMillis() < deadline) {
        indexer.poll(Duration.ofMillis(200));
      }
      assertThat(indexer.indexed()).isEqualTo(STORED.size() - 1);
      deadLettered = indexer.deadLettered();
    }
    client.performRequest(new Request("POST", "/rampart-events-*/_refresh"));
    search = new OpenSearchSearch(client, options);
    // the reference's mapping: the first value's kind decides, as in the store, for the events
    // OpenSearch took (the refused one is not there)
    STORED.removeIf(s -> s.event().get("Image") == null && s.event().has("Image.path"));
    for (Reference.Stored s : STORED) {
      Event e = s.event();
      for (int i = 0; i < e.size(); i++) {
        mapping.resolve(e.name(i), e.kind(i));
      }
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (node != null) {
      node.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void aDocumentOpenSearchRefusesGoesToTheDeadLettersWithTheReason() throws Exception {
    assertThat(deadLettered).isEqualTo(1);
    Map<String, Object> c = new HashMap<>(kafka.client());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<byte[], byte[]> k =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      // the partition from its start, no consumer group to join (slow on a loaded machine)
      var part = new org.apache.kafka.common.TopicPartition("rampart.events.dlq", 0);
      k.assign(List.of(part));
      k.seekToBeginning(List.of(part));
      List<String> reasons = new ArrayList<>();
      long deadline = System.currentTimeMillis() + 60_000;
      while (reasons.isEmpty() && System.currentTimeMillis() < deadline) {
        for (var r : k.poll(Duration.ofMillis(200))) {
          reasons.add(new String(r.headers().lastHeader("reason").value(), StandardCharsets.UTF_8));
        }
      }
      assertThat(reasons).singleElement().asString().contains("refused by OpenSearch (400)");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "*",
        "EventID:4624",
        "TargetUserName:OLIVIA",
        "EventID:4624 AND NOT LogonType:3",
        "EventID:1 OR EventID:22",
        "CommandLine:whoami",
        "CommandLine:\"windows system32\"",
        "Image:*\\powershell.exe",
        "Image:*POWERSHELL*",
        "CommandLine:*-enc*",
        "source.ip:10.10.10.0/24",
        "source.ip:10.10.10.15",
        "DestinationPort:[400 TO 500]",
        "source.port:>=60000",
        "source.port:{50000 TO 60000}",
        "Computer:dc*",
        "message:failed",
        "QueryName:*",
        "NOT host.name:*",
        "nosuchfield:x",
        "@timestamp:[2026-01-05T06:00:00Z TO 2026-01-05T07:00:00Z]",
        "Initiated:true",
      })
  void theFilterFindsTheSameEventsAsTheReference(String query) throws Exception {
    same(SearchRequest.of(query).withLimit(1000));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "* | stats count() by EventID",
        "EventID:4624 | stats count(), dc(TargetUserName) by Computer",
        "EventID:3 | stats min(DestinationPort), max(source.port), avg(source.port), sum(DestinationPort)",
        "* | timechart span=1h count()",
        "* | timechart span=6h count() by EventID",
        "EventID:4624 | head 7",
        "EventID:1 | fields Image, User | head 20",
        "EventID:4624 | where LogonType == 3 | stats count() by TargetUserName | sort -count() | head 5",
        "* | sort source.port | head 10",
      })
  void pipesGiveTheSameTablesAsTheReference(String query) throws Exception {
    same(SearchRequest.of(query).withLimit(1000));
  }

  /**
   * Stats and timecharts OpenSearch computes itself: the same tables as the reference although the
   * request lets one event be read (the row path would stop there and say so). The stats and
   * timecharts above are computed by OpenSearch too.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "EventID:4624 | stats dc(TargetUserName), count(TargetUserName) by Computer",
        "* | stats count(), count(CommandLine), dc(Image) by host.name, EventID",
        "EventID:1 | stats count() by CommandLine | sort -count() | head 5",
        "EventID:3 | stats count() by Initiated, DestinationPort",
        "* | stats count() by source.ip | sort -count(), source.ip | head 20",
        "* | stats count() by event.category",
        "* | stats avg(rtt), max(rtt), min(rtt), dc(rtt) by proto",
        "* | stats count() by nosuchfield",
        "* | stats count(), dc(nosuchfield), avg(nosuchfield)",
        "nosuchfield:x | stats count()",
        "EventID:4625 | timechart span=30m dc(TargetUserName)",
        "EventID:3 | timechart span=2h count(), max(DestinationPort)",
        "* | timechart span=1h count() by host.name",
        "EventID:4624 | stats count() by TargetUserName | where count() > 2 | sort -count()",
      })
  void statsAndTimechartsAreComputedByOpenSearch(String query) throws Exception {
    SearchRequest oneEvent = SearchRequest.of(query).withLimit(1000);
    oneEvent =
        new SearchRequest(
            oneEvent.query(),
            oneEvent.fromNanos(),
            oneEvent.toNanos(),
            oneEvent.limit(),
            null,
            oneEvent.timeout(),
            1,
            false,
            null);
    same(oneEvent);
    assertThat(search.search(oneEvent).notes()).noneMatch(n -> n.contains("scan limit"));
  }

  @Test
  void pagesOfEventsFollowEachOtherWithoutGapsOrRepeats() throws Exception {
    List<Object> ids = new ArrayList<>();
    String after = null;
    do {
      SearchResult r = search.search(SearchRequest.of("EventID:3").withLimit(250).withAfter(after));
      r.rows().forEach(row -> ids.add(row.get("_id")));
      after = r.next();
    } while (after != null);
    List<Object> all =
        new Reference(mapping)
            .search(STORED, SearchRequest.of("EventID:3")).rows().stream()
                .map(row -> row.get("_id"))
                .toList();
    assertThat(ids).isEqualTo(all);
  }

  @Test
  void aMalformedQueryIsTheStoresErrorWithItsColumn() {
    assertThatThrownBy(() -> search.search(SearchRequest.of("EventID:(4624")))
        .isInstanceOf(QueryException.class);
    assertThatThrownBy(() -> search.search(SearchRequest.of("DestinationPort:abc")))
        .isInstanceOf(QueryException.class)
        .hasMessageContaining("DestinationPort");
  }

  static void same(SearchRequest r) throws Exception {
    SearchResult got = search.search(r);
    Rows.Table want = new Reference(mapping).search(STORED, r);
    List<Map<String, Object>> expected =
        want.rows().size() > r.limit() ? want.rows().subList(0, r.limit()) : want.rows();
    System.out.printf(
        "opensearch: %-70s %6d matched, %4d rows, %4d ms%n",
        r.query(), got.matched(), got.rows().size(), got.tookMillis());
    assertThat(got.columns()).as(r.query()).isEqualTo(want.columns());
    if (got.columns() == null) { // events: the same ones, in the same order
      assertThat(got.rows().stream().map(x -> x.get("_id")).toList())
          .as(r.query())
          .isEqualTo(expected.stream().map(x -> x.get("_id")).toList());
    } else {
      assertThat(rounded(got.rows())).as(r.query()).isEqualTo(rounded(expected));
    }
  }

  /**
   * Fractions to 12 significant digits: sums of doubles differ in their last bits with the order of
   * addition (OpenSearch adds with compensation, the reference in event order).
   */
  static List<Map<String, Object>> rounded(List<Map<String, Object>> rows) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      Map<String, Object> r = new java.util.LinkedHashMap<>();
      row.forEach(
          (k, v) ->
              r.put(
                  k,
                  v instanceof Double d
                      ? new java.math.BigDecimal(d)
                          .round(new java.math.MathContext(12))
                          .doubleValue()
                      : v));
      out.add(r);
    }
    return out;
  }
}
