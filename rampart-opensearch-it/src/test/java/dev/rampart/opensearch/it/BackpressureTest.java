package dev.rampart.opensearch.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.rampart.core.event.Event;
import dev.rampart.ingest.spool.ByteSink;
import dev.rampart.ingest.spool.EventCodec;
import dev.rampart.kafka.testing.TestBroker;
import dev.rampart.opensearch.EventIndexer;
import dev.rampart.opensearch.OpenSearchOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * When OpenSearch pushes back (whole bulks answered 429, then single documents answered 429), the
 * indexer waits and retries without losing or doubling a document, and commits the topic's offsets
 * only once every document is in: the backlog meanwhile is the consumer group's lag. Against a
 * stand-in OpenSearch on loopback that misbehaves on purpose.
 */
class BackpressureTest {
  @Test
  void pushBackIsWaitedOutWithNothingLostOrTwice() throws Exception {
    AtomicInteger bulks = new AtomicInteger();
    Map<String, Integer> stored = new HashMap<>();
    ObjectMapper json = new ObjectMapper();
    HttpServer fake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    fake.createContext(
        "/",
        x -> {
          byte[] body = x.getRequestBody().readAllBytes();
          String path = x.getRequestURI().getPath();
          String answer = "{}";
          int status = 200;
          if (path.equals("/_bulk")) {
            int n = bulks.incrementAndGet();
            if (n <= 3) {
              status = 429; // the whole bulk pushed back, three times
              answer = "{\"error\":\"es_rejected_execution_exception\"}";
            } else {
              String[] lines = new String(body, StandardCharsets.UTF_8).split("\n");
              List<String> items = new ArrayList<>();
              for (int i = 0; i + 1 < lines.length; i += 2) {
                String id = json.readTree(lines[i]).path("index").path("_id").asText();
                int s = n == 4 && i == 0 ? 429 : 201; // then one document of the next
                if (s == 201) {
                  synchronized (stored) {
                    stored.merge(id, 1, Integer::sum);
                  }
                }
                items.add("{\"index\":{\"_id\":\"" + id + "\",\"status\":" + s + "}}");
              }
              answer = "{\"errors\":true,\"items\":[" + String.join(",", items) + "]}";
            }
          }
          byte[] out = answer.getBytes(StandardCharsets.UTF_8);
          x.getResponseHeaders().add("Content-Type", "application/json");
          x.sendResponseHeaders(status, out.length);
          x.getResponseBody().write(out);
          x.close();
        });
    fake.start();
    try (TestBroker kafka = TestBroker.start(Map.of("events", 1, "dlq", 1))) {
      int n = 300;
      try (KafkaProducer<byte[], byte[]> p =
          new KafkaProducer<>(
              kafka.client(), new ByteArraySerializer(), new ByteArraySerializer())) {
        for (int i = 0; i < n; i++) {
          RecordHeaders h = new RecordHeaders();
          h.add("rampart.offset", ByteBuffer.allocate(8).putLong(1000L + i).array());
          p.send(
              new ProducerRecord<>(
                  "events", null, null, "h".getBytes(StandardCharsets.UTF_8), event(i), h));
        }
      }
      OpenSearchOptions o = OpenSearchOptions.of("http://127.0.0.1:" + fake.getAddress().getPort());
      try (var client = o.client();
          EventIndexer indexer =
              new EventIndexer(
                  client,
                  o,
                  new EventIndexer.Options(
                      "events", "dlq", kafka.client(), Duration.ofMillis(200)))) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (indexer.indexed() < n && System.currentTimeMillis() < deadline) {
          indexer.poll(Duration.ofMillis(200));
        }
        assertThat(indexer.indexed()).isEqualTo(n);
        assertThat(indexer.retries()).isGreaterThanOrEqualTo(4);
        assertThat(indexer.deadLettered()).isZero();
      }
      Set<String> ids = new HashSet<>();
      for (int i = 0; i < n; i++) {
        ids.add(Long.toString(1000L + i));
      }
      assertThat(stored.keySet()).isEqualTo(ids);
      assertThat(stored.values()).allMatch(c -> c == 1);
      try (Admin admin = Admin.create(kafka.client())) {
        var committed =
            admin
                .listConsumerGroupOffsets(EventIndexer.GROUP)
                .partitionsToOffsetAndMetadata()
                .get();
        assertThat(committed.values().stream().mapToLong(m -> m.offset()).sum()).isEqualTo(n);
      }
    } finally {
      fake.stop(0);
    }
  }

  static byte[] event(int i) throws IOException {
    Event e = new Event();
    e.timestamp(1_767_571_200_000_000_000L + i * 1_000_000_000L);
    e.addLong("EventID", i);
    ByteSink out = new ByteSink(64);
    EventCodec.encode(e, out);
    return out.toByteArray();
  }
}
