package dev.rampart.server.kafka;

import dev.rampart.alerting.alert.Alert;
import dev.rampart.ingest.spool.Spool;
import dev.rampart.kafka.KafkaAlertSource;
import dev.rampart.kafka.KafkaEventSink;
import dev.rampart.kafka.RulePublisher;
import dev.rampart.server.ServerConfig;
import java.io.Closeable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The platform's side of a Kafka deployment: the spool forwarded to the events topic (the local
 * spool stays the durable buffer, so a broker outage shows as the {@code kafka} consumer's lag and
 * never pauses ingestion), the scale-out job's alerts read into triage, the rules in force
 * published at start. Each on its own thread.
 */
public final class KafkaBridge implements Closeable {
  private final KafkaEventSink sink;
  private final KafkaAlertSource alerts;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();

  public KafkaBridge(
      ServerConfig.Kafka k,
      Spool spool,
      Map<String, String> rules,
      Consumer<List<Alert>> triage,
      Consumer<String> say) {
    this.sink =
        new KafkaEventSink(
            spool, new KafkaEventSink.Options(k.eventsTopic(), k.deadLetterTopic(), k.client()));
    this.alerts =
        new KafkaAlertSource(
            new KafkaAlertSource.Options(
                k.alertsTopic(), "rampart-server", k.readCommitted(), k.client()),
            triage,
            say);
    threads.add(
        Thread.ofPlatform().name("kafka-events").start(() -> sink.run(stopping::get, 200, say)));
    threads.add(Thread.ofPlatform().name("kafka-alerts").start(() -> alerts.run(stopping::get)));
    threads.add(
        Thread.ofPlatform()
            .name("kafka-rules")
            .start(
                () -> {
                  try (RulePublisher p = new RulePublisher(k.rulesTopic(), k.client())) {
                    p.publish(rules, Set.of());
                    say.accept("kafka: " + rules.size() + " rules published to " + k.rulesTopic());
                  } catch (Exception e) {
                    say.accept("kafka: rules not published: " + e.getMessage());
                  }
                }));
  }

  public KafkaEventSink sink() {
    return sink;
  }

  @Override
  public void close() {
    stopping.set(true);
    for (Thread t : threads) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    sink.close();
    alerts.close();
  }
}
