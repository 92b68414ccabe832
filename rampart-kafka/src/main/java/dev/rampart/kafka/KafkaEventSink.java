package dev.rampart.kafka;

import dev.rampart.core.event.Event;
import dev.rampart.ingest.spool.EventCodec;
import dev.rampart.ingest.spool.Spool;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The spool's events onto a Kafka topic: a spool consumer ({@value #CONSUMER}) that reads what is
 * durable after its offset, sends each record as it is (the spool's binary encoding, its codec
 * version and spool offset in headers) keyed by host, so one host's events stay in order on one
 * partition, and commits its offset only after the broker has acknowledged everything before it
 * (acks=all, idempotent producer). A crash between the two resends a batch: at least once, with the
 * spool offset as the event's id for whoever must deduplicate. A record that cannot be decoded goes
 * to the dead-letter topic with the reason, never silently away.
 */
public final class KafkaEventSink implements Closeable {
  /** The spool consumer name. */
  public static final String CONSUMER = "kafka";

  /**
   * @param topic where events go ({@code rampart.events})
   * @param deadLetters where records that cannot be decoded go, with a {@code reason} header
   * @param client connection settings (bootstrap.servers, TLS, SASL...), over the defaults
   */
  public record Options(String topic, String deadLetters, Map<String, Object> client) {}

  private final Spool spool;
  private final Options options;
  private final KafkaProducer<byte[], byte[]> producer;
  public final AtomicLong sent = new AtomicLong();
  public final AtomicLong deadLettered = new AtomicLong();

  public KafkaEventSink(Spool spool, Options options) {
    this.spool = spool;
    this.options = options;
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    c.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    c.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    c.putAll(options.client());
    this.producer = new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * Sends everything durable after the committed offset and commits; returns the offset reached.
   *
   * @throws IOException when the broker does not take the records (the offset stays: they are sent
   *     again next time)
   */
  public long catchUp() throws IOException {
    long from = spool.committed(CONSUMER);
    List<Future<RecordMetadata>> pending = new ArrayList<>();
    Event e = new Event();
    byte[] version = {(byte) EventCodec.VERSION};
    long end =
        spool.readRaw(
            from,
            (d, off, len, offset, next) -> {
              byte[] value = java.util.Arrays.copyOfRange(d, off, off + len);
              RecordHeaders h = new RecordHeaders();
              h.add("rampart.offset", ByteBuffer.allocate(8).putLong(offset).array());
              h.add("rampart.codec", version);
              String host;
              try {
                EventCodec.decode(d, off, len, e);
                host = e.source().host();
              } catch (RuntimeException bad) {
                h.add("reason", String.valueOf(bad.getMessage()).getBytes(StandardCharsets.UTF_8));
                pending.add(
                    producer.send(
                        new ProducerRecord<byte[], byte[]>(
                            options.deadLetters(), null, null, null, value, h)));
                deadLettered.incrementAndGet();
                return;
              }
              pending.add(
                  producer.send(
                      new ProducerRecord<>(
                          options.topic(),
                          null,
                          null,
                          host.getBytes(StandardCharsets.UTF_8),
                          value,
                          h)));
            });
    if (end <= from) {
      return from;
    }
    producer.flush();
    for (Future<RecordMetadata> f : pending) {
      try {
        f.get();
      } catch (ExecutionException x) {
        throw new IOException("kafka did not take the events: " + x.getCause().getMessage(), x);
      } catch (InterruptedException x) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", x);
      }
    }
    sent.addAndGet(pending.size());
    spool.commit(CONSUMER, end);
    return end;
  }

  /**
   * {@link #catchUp} until {@code stop}, pausing when idle and after a failure (logged by the
   * caller).
   */
  public void run(BooleanSupplier stop, long pauseMillis, java.util.function.Consumer<String> say) {
    while (!stop.getAsBoolean()) {
      try {
        catchUp();
      } catch (IOException | RuntimeException ex) {
        say.accept("kafka: " + ex.getMessage() + "; retrying");
      }
      try {
        Thread.sleep(pauseMillis);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public void close() {
    producer.close(java.time.Duration.ofSeconds(5));
  }
}
