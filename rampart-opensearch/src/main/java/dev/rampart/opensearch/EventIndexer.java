package dev.rampart.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.core.event.Event;
import dev.rampart.core.event.Kind;
import dev.rampart.ingest.spool.EventCodec;
import dev.rampart.store.search.Rows;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.opensearch.client.Request;
import org.opensearch.client.ResponseException;
import org.opensearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events from the events topic into OpenSearch, by its own consumer group (never the detection
 * job's): each record decoded from the spool's encoding, written to the daily index of its event
 * time with its spool offset as the document id, so a replay overwrites instead of duplicating. One
 * bulk request at a time: when OpenSearch pushes back (429, 5xx, unreachable) the consumer pauses
 * and retries with a growing wait, and the backlog stays in Kafka as visible lag; offsets are
 * committed only after every record of a poll is indexed or dead-lettered. A record that cannot be
 * decoded, or a document OpenSearch refuses (a field that is an object in one event and a value in
 * another, say), goes to the dead-letter topic with the reason.
 */
public final class EventIndexer implements AutoCloseable {
  /** The consumer group of this indexer. */
  public static final String GROUP = "rampart-opensearch";

  private static final Logger LOG = LoggerFactory.getLogger(EventIndexer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy.MM.dd").withZone(ZoneOffset.UTC);

  /**
   * @param topic the events topic
   * @param deadLetterTopic where undecodable records and refused documents go
   * @param kafka client properties (bootstrap servers, TLS, SASL)
   * @param maxBackoff the longest wait between retries while OpenSearch pushes back
   */
  public record Options(
      String topic, String deadLetterTopic, Map<String, Object> kafka, Duration maxBackoff) {}

  private final RestClient client;
  private final OpenSearchOptions os;
  private final Options options;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> deadLetters;
  // fields mapped by us, per index: looked up per IP or time field of every event
  private final java.util.Map<String, Set<String>> mapped = new HashMap<>();
  private final Set<String> created = new HashSet<>();
  private final AtomicLong indexed = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final Event event = new Event();

  public EventIndexer(RestClient client, OpenSearchOptions os, Options options) throws IOException {
    this.client = client;
    this.os = os;
    this.options = options;
    IndexTemplate.install(client, os);
    Map<String, Object> c = new HashMap<>(options.kafka());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, os.bulkDocs());
    this.consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.consumer.subscribe(List.of(options.topic()));
    Map<String, Object> p = new HashMap<>(options.kafka());
    p.put("acks", "all");
    this.deadLetters = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  public long indexed() {
    return indexed.get();
  }

  public long deadLettered() {
    return deadLettered.get();
  }

  public long retries() {
    return retries.get();
  }

  /** Polls until {@code stop}. */
  public void run(BooleanSupplier stop) throws IOException {
    while (!stop.getAsBoolean()) {
      poll(Duration.ofMillis(500));
    }
  }

  /** One poll: its records indexed (or dead-lettered), then committed; returns how many. */
  public int poll(Duration wait) throws IOException {
    ConsumerRecords<byte[], byte[]> records = consumer.poll(wait);
    if (records.isEmpty()) {
      return 0;
    }
    List<Doc> docs = new ArrayList<>(records.count());
    for (ConsumerRecord<byte[], byte[]> r : records) {
      Doc d = document(r);
      if (d != null) {
        docs.add(d);
      }
    }
    for (int from = 0; from < docs.size(); ) {
      int to = from;
      long bytes = 0;
      while (to < docs.size() && to - from < os.bulkDocs() && bytes < os.bulkBytes()) {
        bytes += docs.get(to).source.length + 128;
        to++;
      }
      write(docs.subList(from, to));
      from = to;
    }
    deadLetters.flush();
    consumer.commitSync();
    return records.count();
  }

  /** A document to write: its index, id, JSON, and the record it came from (for dead letters). */
  private record Doc(String index, String id, byte[] source, ConsumerRecord<byte[], byte[]> from) {}

  private Doc document(ConsumerRecord<byte[], byte[]> r) throws IOException {
    Header h = r.headers().lastHeader("rampart.offset");
    // without the platform's header, the record's place in the topic is the id
    String id =
        h != null && h.value().length == 8
            ? Long.toString(ByteBuffer.wrap(h.value()).getLong())
            : "kafka-" + r.partition() + "-" + r.offset();
    try {
      EventCodec.decode(r.value(), 0, r.value().length, event);
    } catch (RuntimeException bad) {
      deadLetter(r, "undecodable: " + bad.getMessage());
      return null;
    }
    String index = os.indexPrefix() + "-" + DAY.format(Instant.ofEpochSecond(0, event.timestamp()));
    mapKinds(index);
    Map<String, Object> row = Rows.row(0, event);
    row.remove("_id");
    try {
      row.put(IndexTemplate.OFFSET, Long.parseLong(id));
    } catch (NumberFormatException notAnOffset) {
      // a record without the platform's header: no offset to page by
    }
    return new Doc(index, id, JSON.writeValueAsBytes(row), r);
  }

  /**
   * Fields whose values are IPs or times by kind (parsers say so), not by a name the template
   * knows: mapped in this index before the first document carries them, as the store maps a field
   * by its first value's kind.
   */
  private void mapKinds(String index) throws IOException {
    for (int i = 0; i < event.size(); i++) {
      Kind k = event.kind(i);
      if (k != Kind.IP && k != Kind.TIMESTAMP) {
        continue;
      }
      String field = event.name(i);
      if (!mapped.computeIfAbsent(index, x -> new HashSet<>()).add(field)) {
        continue;
      }
      ensureIndex(index);
      Request m = new Request("PUT", "/" + index + "/_mapping");
      Map<String, Object> type = Map.of("type", k == Kind.IP ? "ip" : "date_nanos");
      m.setJsonEntity(JSON.writeValueAsString(Map.of("properties", Map.of(field, type))));
      try {
        client.performRequest(m);
      } catch (ResponseException e) {
        // already mapped otherwise (a string came first): the value is kept, as the store keeps it
        LOG.debug("{}: {} keeps its mapping: {}", index, field, e.getMessage());
      }
    }
  }

  private void ensureIndex(String index) throws IOException {
    if (created.contains(index)) {
      return;
    }
    try {
      client.performRequest(new Request("PUT", "/" + index));
    } catch (ResponseException e) {
      if (e.getResponse().getStatusLine().getStatusCode() != 400) {
        throw e;
      }
      // resource_already_exists: fine
    }
    created.add(index);
  }

  /** Writes one bulk, retrying what OpenSearch pushed back until it takes it. */
  private void write(List<Doc> docs) throws IOException {
    List<Doc> pending = docs;
    long wait = 100;
    while (!pending.isEmpty()) {
      List<Doc> again = new ArrayList<>();
      try {
        JsonNode answer = bulk(pending);
        JsonNode items = answer.path("items");
        for (int i = 0; i < pending.size(); i++) {
          JsonNode item = items.path(i).path("index");
          int status = item.path("status").asInt(500);
          if (status < 300) {
            indexed.incrementAndGet();
          } else if (status == 429 || status >= 500) {
            again.add(pending.get(i));
          } else {
            JsonNode err = item.path("error");
            deadLetter(
                pending.get(i).from(),
                "refused by OpenSearch ("
                    + status
                    + "): "
                    + err.path("type").asText()
                    + ": "
                    + err.path("reason").asText());
          }
        }
      } catch (ResponseException e) {
        int status = e.getResponse().getStatusLine().getStatusCode();
        if (status == 413 && pending.size() > 1) { // too large: halves
          write(pending.subList(0, pending.size() / 2));
          write(pending.subList(pending.size() / 2, pending.size()));
          return;
        }
        LOG.warn("OpenSearch answered {} to a bulk of {}; retrying", status, pending.size());
        again = pending;
      } catch (IOException e) {
        LOG.warn(
            "OpenSearch unreachable ({}); retrying a bulk of {}", e.getMessage(), pending.size());
        again = pending;
      }
      if (!again.isEmpty()) {
        retries.incrementAndGet();
        pause(wait);
        wait = Math.min(wait * 2, options.maxBackoff().toMillis());
      }
      pending = again;
    }
  }

  private JsonNode bulk(List<Doc> docs) throws IOException {
    StringBuilder body = new StringBuilder(docs.size() * 512);
    for (Doc d : docs) {
      body.append("{\"index\":{\"_index\":")
          .append(JSON.writeValueAsString(d.index()))
          .append(",\"_id\":")
          .append(JSON.writeValueAsString(d.id()))
          .append("}}\n")
          .append(new String(d.source(), StandardCharsets.UTF_8))
          .append('\n');
    }
    Request r = new Request("POST", "/_bulk");
    r.setEntity(
        new org.apache.hc.core5.http.io.entity.StringEntity(
            body.toString(),
            org.apache.hc.core5.http.ContentType.create(
                "application/x-ndjson", StandardCharsets.UTF_8)));
    try (var in = client.performRequest(r).getEntity().getContent()) {
      return JSON.readTree(in);
    }
  }

  /**
   * Waits while keeping the consumer in its group: the partitions are paused, so polls return
   * nothing and the backlog stays in Kafka.
   */
  private void pause(long millis) {
    var assigned = consumer.assignment();
    consumer.pause(assigned);
    long until = System.currentTimeMillis() + millis;
    try {
      while (System.currentTimeMillis() < until) {
        consumer.poll(
            Duration.ofMillis(Math.min(100, Math.max(1, until - System.currentTimeMillis()))));
      }
    } finally {
      consumer.resume(assigned);
    }
  }

  private void deadLetter(ConsumerRecord<byte[], byte[]> r, String reason) {
    RecordHeaders h = new RecordHeaders();
    for (Header x : r.headers()) {
      h.add(x);
    }
    h.add("reason", reason.getBytes(StandardCharsets.UTF_8));
    h.add("rampart.consumer", GROUP.getBytes(StandardCharsets.UTF_8));
    deadLetters.send(new ProducerRecord<>(options.deadLetterTopic(), null, r.key(), r.value(), h));
    deadLettered.incrementAndGet();
  }

  @Override
  public void close() {
    consumer.close();
    deadLetters.close();
  }
}
