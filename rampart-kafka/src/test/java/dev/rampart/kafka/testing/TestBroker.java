package dev.rampart.kafka.testing;

import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real KRaft broker in the test JVM on loopback (Kafka's own test kit), for every module's Kafka
 * tests: one combined node, internal topics with one replica.
 */
public final class TestBroker implements AutoCloseable {
  private final KafkaClusterTestKit kit;

  private TestBroker(KafkaClusterTestKit kit) {
    this.kit = kit;
  }

  /** A started broker with {@code topics} (name → partitions) made. */
  public static TestBroker start(Map<String, Integer> topics) throws Exception {
    KafkaClusterTestKit kit =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
            // one broker: the internal topics cannot have three replicas
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("offsets.topic.num.partitions", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .build();
    kit.format();
    kit.startup();
    kit.waitForReadyBrokers();
    TestBroker b = new TestBroker(kit);
    if (!topics.isEmpty()) {
      try (Admin a = Admin.create(b.client())) {
        a.createTopics(
                topics.entrySet().stream()
                    .map(t -> new NewTopic(t.getKey(), t.getValue(), (short) 1))
                    .toList())
            .all()
            .get();
      }
    }
    return b;
  }

  public String bootstrap() {
    return kit.bootstrapServers();
  }

  /** Client settings that reach it. */
  public Map<String, Object> client() {
    return Map.of("bootstrap.servers", kit.bootstrapServers());
  }

  @Override
  public void close() throws Exception {
    kit.close();
  }
}
