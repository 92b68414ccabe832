package dev.rampart.server.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.alerting.alert.Alert;
import dev.rampart.ingest.server.IngestConfig;
import dev.rampart.server.Platform;
import dev.rampart.server.ServerConfig;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform with a {@code kafka:} section against a KRaft broker in the test JVM: a syslog
 * message in comes out on the events topic, an alert on the alerts topic reaches the alert log and
 * triage, the rules in force are on the rules topic, and the kafka consumer's lag is reported.
 */
class KafkaBridgeTest {
  @TempDir Path dir;

  @Test
  void eventsOutAlertsInRulesPublished() throws Exception {
    try (dev.rampart.kafka.testing.TestBroker cluster =
        dev.rampart.kafka.testing.TestBroker.start(
            Map.of("rampart.events", 2, "rampart.alerts", 1))) {
      Map<String, Object> client = cluster.client();
      Path config = dir.resolve("rampart.yaml");
      Files.writeString(
          config,
          """
          data: %s
          inputs:
            - {type: syslog-tcp, port: 0}
          api: {port: 0}
          kafka:
            bootstrap_servers: %s
            properties: {client.id: rampart-test}
          """
              .formatted(dir.resolve("data"), cluster.bootstrap()));
      try (Platform p =
          Platform.start(
              new Platform.Options(
                  IngestConfig.load(config),
                  ServerConfig.load(config),
                  List.of(Path.of("..", "rules")),
                  l -> {}))) {
        int port =
            p.ingest().ports().entrySet().stream()
                .filter(x -> x.getKey().startsWith("syslog"))
                .findFirst()
                .orElseThrow()
                .getValue();
        try (Socket s = new Socket("127.0.0.1", port);
            OutputStream out = s.getOutputStream()) {
          out.write(
              "<86>Jan  5 10:00:00 web-01 sshd[77]: Failed password for root from 203.0.113.9 port 5555 ssh2\n"
                  .getBytes(StandardCharsets.UTF_8));
        }
        List<ConsumerRecord<byte[], byte[]>> events = read(client, "rampart.events", 1);
        assertThat(events).hasSize(1);
        assertThat(new String(events.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("web-01");

        try (KafkaProducer<byte[], byte[]> k =
            new KafkaProducer<>(
                new HashMap<>(client), new ByteArraySerializer(), new ByteArraySerializer())) {
          Alert a =
              new Alert(
                  "job:r1@42",
                  "r1",
                  "From the scale-out job",
                  "high",
                  List.of(),
                  List.of(),
                  List.of(42L),
                  1L,
                  2L,
                  Map.of(),
                  new Alert.Entities("web-01", null, null, null),
                  null);
          k.send(new ProducerRecord<>("rampart.alerts", new ObjectMapper().writeValueAsBytes(a)));
          k.flush();
        }
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline
            && logged().stream().noneMatch(x -> x.id().equals("job:r1@42"))) {
          Thread.sleep(100);
        }
        assertThat(logged().stream().map(Alert::id)).contains("job:r1@42");
        assertThat(read(client, "rampart.rules", 1)).isNotEmpty();
        assertThat(p.lag()).containsKey("kafka");
      }
    }
  }

  List<Alert> logged() throws java.io.IOException {
    Path log = dir.resolve("data/alerts/alerts.ndjson");
    return Files.exists(log) ? dev.rampart.alerting.alert.AlertLog.read(log) : List.of();
  }

  static List<ConsumerRecord<byte[], byte[]>> read(
      Map<String, Object> client, String topic, int n) {
    Map<String, Object> c = new HashMap<>(client);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "t-" + System.nanoTime());
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> k =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      k.subscribe(List.of(topic));
      long deadline = System.currentTimeMillis() + 20_000;
      while (out.size() < n && System.currentTimeMillis() < deadline) {
        k.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }
}
