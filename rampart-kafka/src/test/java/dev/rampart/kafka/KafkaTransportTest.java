package dev.rampart.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.alerting.alert.Alert;
import dev.rampart.core.event.Event;
import dev.rampart.core.event.EventSource;
import dev.rampart.core.io.ProblemSink;
import dev.rampart.ingest.spool.EventCodec;
import dev.rampart.ingest.spool.Spool;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka transport against a real KRaft broker in this JVM, on loopback: the spool's events out
 * (keyed by host, in order per host, the offset committed only after the broker acknowledged),
 * undecodable records to the dead-letter topic, alerts in with bad records skipped, and the rules
 * in force on a compacted topic.
 */
class KafkaTransportTest {
  static dev.rampart.kafka.testing.TestBroker cluster;
  static Map<String, Object> client;

  @TempDir Path dir;

  @BeforeAll
  static void broker() throws Exception {
    cluster =
        dev.rampart.kafka.testing.TestBroker.start(
            Map.of("rampart.events", 3, "rampart.events.dlq", 1, "rampart.alerts", 1));
    client = cluster.client();
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
    Map<String, Object> c = new HashMap<>(client);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + topic + "-" + System.nanoTime());
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> k =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      k.subscribe(List.of(topic));
      long deadline = System.currentTimeMillis() + 20_000;
      while (out.size() < expected && System.currentTimeMillis() < deadline) {
        k.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      k.poll(Duration.ofMillis(300)).forEach(out::add); // nothing more should come
    }
    return out;
  }

  @Test
  void spooledEventsGoOutKeyedByHostInOrderAndOnlyOnce() throws Exception {
    try (Spool spool =
            Spool.open(dir.resolve("spool"), Spool.Options.defaults(), ProblemSink.IGNORE);
        KafkaEventSink sink =
            new KafkaEventSink(
                spool,
                new KafkaEventSink.Options("rampart.events", "rampart.events.dlq", client))) {
      for (int i = 0; i < 300; i++) {
        Event e = new Event();
        e.source(new EventSource("test", "host-" + (i % 3), "test"));
        e.timestamp(1_700_000_000_000_000_000L + i);
        e.addLong("n", i);
        spool.append(e);
      }
      spool.sync();
      long end = sink.catchUp();
      assertThat(spool.committed(KafkaEventSink.CONSUMER)).isEqualTo(end);
      assertThat(sink.catchUp()).isEqualTo(end); // nothing new: nothing sent again
      assertThat(sink.sent.get()).isEqualTo(300);

      List<ConsumerRecord<byte[], byte[]>> got = readAll("rampart.events", 300);
      assertThat(got).hasSize(300);
      Map<String, List<Long>> perHost = new HashMap<>();
      Map<String, Integer> partition = new HashMap<>();
      Event e = new Event();
      for (ConsumerRecord<byte[], byte[]> r : got) {
        EventCodec.decode(r.value(), 0, r.value().length, e);
        String host = new String(r.key(), StandardCharsets.UTF_8);
        assertThat(e.source().host()).isEqualTo(host);
        assertThat(partition.computeIfAbsent(host, h -> r.partition())).isEqualTo(r.partition());
        perHost.computeIfAbsent(host, h -> new ArrayList<>()).add(Long.parseLong(e.getText("n")));
        assertThat(ByteBuffer.wrap(r.headers().lastHeader("rampart.offset").value()).getLong())
            .isNotNegative();
      }
      assertThat(perHost).hasSize(3);
      perHost.values().forEach(ns -> assertThat(ns).isSorted().hasSize(100));
    }
  }

  @Test
  void alertsComeInOnceAndBadRecordsAreSkippedAndSaid() throws Exception {
    Map<String, Object> p = new HashMap<>(client);
    try (KafkaProducer<byte[], byte[]> k =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      var json = new com.fasterxml.jackson.databind.ObjectMapper();
      for (String id : List.of("a1", "a2")) {
        Alert a =
            new Alert(
                id,
                "rule-1",
                "Test",
                "high",
                List.of(),
                List.of(),
                List.of(1L),
                1L,
                2L,
                Map.of(),
                new Alert.Entities("web-01", null, null, null),
                null);
        k.send(new ProducerRecord<>("rampart.alerts", json.writeValueAsBytes(a)));
      }
      k.send(
          new ProducerRecord<>("rampart.alerts", "not an alert".getBytes(StandardCharsets.UTF_8)));
      k.flush();
    }
    List<Alert> filed = new ArrayList<>();
    List<String> said = new ArrayList<>();
    try (KafkaAlertSource s =
        new KafkaAlertSource(
            new KafkaAlertSource.Options("rampart.alerts", "rampart", true, client),
            filed::addAll,
            said::add)) {
      long deadline = System.currentTimeMillis() + 20_000;
      while (filed.size() < 2 && System.currentTimeMillis() < deadline) {
        s.pollOnce(Duration.ofMillis(200));
      }
      assertThat(filed).extracting(Alert::id).containsExactly("a1", "a2");
      assertThat(s.rejected.get()).isEqualTo(1);
      assertThat(said).singleElement().asString().contains("rampart.alerts-0@2");
    }
    // committed: the same group starts after them
    try (KafkaAlertSource again =
        new KafkaAlertSource(
            new KafkaAlertSource.Options("rampart.alerts", "rampart", true, client),
            filed::addAll,
            said::add)) {
      again.pollOnce(Duration.ofSeconds(2));
      assertThat(filed).hasSize(2);
    }
  }

  @Test
  void theRulesTopicHoldsTheRulesInForce() throws Exception {
    try (RulePublisher pub = new RulePublisher("rampart.rules", client)) {
      pub.publish(Map.of("r1", "title: one", "r2", "title: two", "r3", "title: three"), Set.of());
      pub.publish(Map.of("r1", "title: one, v2", "r2", "title: two"), Set.of("r3"));
    }
    Map<String, String> inForce = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : readAll("rampart.rules", 6)) {
      String id = new String(r.key(), StandardCharsets.UTF_8);
      if (r.value() == null) {
        inForce.remove(id);
      } else {
        inForce.put(id, new String(r.value(), StandardCharsets.UTF_8));
      }
    }
    assertThat(inForce)
        .containsOnly(Map.entry("r1", "title: one, v2"), Map.entry("r2", "title: two"));
  }
}
