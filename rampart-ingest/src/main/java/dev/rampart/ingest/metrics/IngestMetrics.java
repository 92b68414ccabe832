package dev.rampart.ingest.metrics;

import dev.rampart.ingest.pipeline.Pipeline;
import dev.rampart.ingest.spool.Spool;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ingestion metrics in Prometheus form: per pipeline (labelled with its input and parser) the
 * messages received, parsed, failed (dead-lettered), dropped and bytes, the queue depth, and the
 * spool's end and durable offsets. Counters are read from the pipeline when scraped, so the hot
 * path pays nothing for them.
 */
public final class IngestMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final java.util.List<Object> held = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Registers a pipeline's counters under {@code input} and {@code parser} labels. */
  public IngestMetrics pipeline(String input, String parser, Pipeline p) {
    counter("rampart.ingest.received", "messages received", input, parser, p.received);
    counter("rampart.ingest.parsed", "messages parsed and spooled", input, parser, p.parsed);
    counter(
        "rampart.ingest.failed", "messages sent to the dead-letter file", input, parser, p.failed);
    counter(
        "rampart.ingest.dropped",
        "messages dropped (UDP with a full queue)",
        input,
        parser,
        p.dropped);
    counter("rampart.ingest.bytes", "bytes received", input, parser, p.bytes);
    Gauge.builder("rampart.ingest.queued", p, Pipeline::queued)
        .description("messages waiting for a parser")
        .tags("input", input, "parser", parser)
        .register(registry);
    return this;
  }

  /** Registers the spool's offsets (consumer lag is the end minus a consumer's offset). */
  public IngestMetrics spool(Spool s) {
    Gauge.builder("rampart.spool.end.offset", s, Spool::end)
        .description("bytes appended")
        .register(registry);
    Gauge.builder("rampart.spool.durable.offset", s, Spool::durable)
        .description("bytes forced to disk")
        .register(registry);
    Gauge.builder("rampart.spool.cache.dropped.offset", s, Spool::cacheDropped)
        .description(
            "offset below which this process dropped the spool's pages from the page cache")
        .register(registry);
    FunctionCounter.builder("rampart.spool.appended", s, Spool::appended)
        .description("events appended to the spool by any path (inputs, agents, the demo)")
        .register(registry);
    return this;
  }

  /**
   * Registers a spool consumer's lag: bytes appended that it has not committed yet. Read at scrape
   * time from the consumer's offset file; NaN when that file cannot be read.
   */
  public IngestMetrics consumer(Spool s, String consumer) {
    Gauge.builder(
            "rampart.spool.consumer.lag",
            s,
            spool -> {
              try {
                return Math.max(0, spool.end() - spool.committed(consumer));
              } catch (java.io.IOException | RuntimeException e) {
                return Double.NaN;
              }
            })
        .description("bytes appended but not yet committed by the consumer")
        .baseUnit("bytes")
        .tags("consumer", consumer)
        .register(registry);
    return this;
  }

  private void counter(String name, String help, String input, String parser, AtomicLong value) {
    FunctionCounter.builder(name, value, AtomicLong::doubleValue)
        .description(help)
        .tags("input", input, "parser", parser)
        .register(registry);
  }

  /**
   * Registers a counter of another part of the server (detection, correlation), read at scrape time
   * from {@code value}; the owner may update it without synchronisation, so a scrape can be a
   * moment behind.
   */
  public IngestMetrics counter(String name, String help, java.util.function.LongSupplier value) {
    held.add(value); // Micrometer holds the object weakly, and a lambda has no other owner
    FunctionCounter.builder(name, value, v -> (double) v.getAsLong())
        .description(help)
        .register(registry);
    return this;
  }

  /** Registers a gauge of another part of the server, read at scrape time. */
  public IngestMetrics gauge(String name, String help, java.util.function.LongSupplier value) {
    Gauge.builder(name, value, v -> (double) v.getAsLong())
        .description(help)
        .strongReference(true) // the supplier is often a lambda nothing else holds
        .register(registry);
    return this;
  }

  /** The sum of a counter over all its inputs ({@code rampart.ingest.parsed}: events spooled). */
  public double total(String counter) {
    return registry.find(counter).functionCounters().stream()
        .mapToDouble(FunctionCounter::count)
        .sum();
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }
}
