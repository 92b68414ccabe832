package dev.rampart.kafka;

import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The rules in force on a compacted topic, keyed by rule id: each publication writes every rule's
 * current text and a tombstone for each rule that is gone, so a consumer that reads the topic from
 * the start (the detection job's broadcast state) ends with exactly the rules in force.
 */
public final class RulePublisher implements Closeable {
  private final String topic;
  private final KafkaProducer<byte[], byte[]> producer;

  public RulePublisher(String topic, Map<String, Object> client) throws Exception {
    this.topic = topic;
    try (Admin admin = Admin.create(client)) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(topic, 1, (short) -1)
                      .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "compact"))))
          .all()
          .get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
    Map<String, Object> c = new HashMap<>(client);
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    this.producer = new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * Publishes {@code rules} (id → the rule's text with its version) and tombstones for {@code
   * gone}; returns when the broker has them all.
   */
  public void publish(Map<String, String> rules, Set<String> gone) throws Exception {
    for (var r : rules.entrySet()) {
      producer.send(
          new ProducerRecord<>(
              topic,
              r.getKey().getBytes(StandardCharsets.UTF_8),
              r.getValue().getBytes(StandardCharsets.UTF_8)));
    }
    for (String id : gone) {
      producer.send(new ProducerRecord<>(topic, id.getBytes(StandardCharsets.UTF_8), null));
    }
    producer.flush();
  }

  @Override
  public void close() {
    producer.close(java.time.Duration.ofSeconds(5));
  }
}
