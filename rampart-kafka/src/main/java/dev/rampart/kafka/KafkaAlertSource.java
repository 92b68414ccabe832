package dev.rampart.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.alerting.alert.Alert;
import java.io.Closeable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Alerts from a Kafka topic (what the scale-out detection job writes) into the platform: each
 * poll's alerts go to the sink (the alert log, then triage) and only then are their offsets
 * committed; a sink that throws leaves them to be read again, so an alert is never lost; alert ids
 * are deterministic and triage keeps each once, so a redelivery adds nothing. With {@code
 * readCommitted}, only alerts of committed transactions are read (the job's exactly-once sink). A
 * record that is not an alert is counted and skipped with its offset said.
 */
public final class KafkaAlertSource implements Closeable {
  public record Options(
      String topic, String group, boolean readCommitted, Map<String, Object> client) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Consumer<List<Alert>> sink;
  private final Consumer<String> say;
  public final AtomicLong received = new AtomicLong();
  public final AtomicLong rejected = new AtomicLong();

  public KafkaAlertSource(Options o, Consumer<List<Alert>> sink, Consumer<String> say) {
    this.sink = sink;
    this.say = say;
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.GROUP_ID_CONFIG, o.group());
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
        o.readCommitted() ? "read_committed" : "read_uncommitted");
    c.putAll(o.client());
    this.consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(o.topic()));
  }

  /** One poll: the alerts in it to the sink, then their offsets committed; returns how many. */
  public int pollOnce(Duration wait) {
    ConsumerRecords<byte[], byte[]> records = consumer.poll(wait);
    if (records.isEmpty()) {
      return 0;
    }
    List<Alert> alerts = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      try {
        alerts.add(JSON.readValue(r.value(), Alert.class));
      } catch (java.io.IOException | RuntimeException bad) {
        rejected.incrementAndGet();
        say.accept(
            "kafka alerts: "
                + r.topic()
                + "-"
                + r.partition()
                + "@"
                + r.offset()
                + " is not an alert: "
                + bad.getMessage());
      }
    }
    if (!alerts.isEmpty()) {
      try {
        sink.accept(alerts);
      } catch (RuntimeException e) {
        rewind(); // not taken: read them again, from what was committed
        throw e;
      }
    }
    consumer.commitSync();
    received.addAndGet(alerts.size());
    return alerts.size();
  }

  private void rewind() {
    var assigned = consumer.assignment();
    var committed = consumer.committed(assigned);
    for (var tp : assigned) {
      var at = committed.get(tp);
      if (at == null) {
        consumer.seekToBeginning(List.of(tp));
      } else {
        consumer.seek(tp, at.offset());
      }
    }
  }

  public void run(BooleanSupplier stop) {
    while (!stop.getAsBoolean()) {
      try {
        pollOnce(Duration.ofMillis(500));
      } catch (RuntimeException e) {
        say.accept("kafka alerts: " + e.getMessage() + "; retrying");
        try {
          Thread.sleep(1000);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
