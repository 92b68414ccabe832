package dev.rampart.ingest.input;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.rampart.ingest.pipeline.Pipeline;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * HTTP inputs, so that shippers can send to Rampart unchanged:
 *
 * <ul>
 *   <li>{@code POST /ingest}: NDJSON, one event per line;
 *   <li>{@code POST /_bulk} and {@code POST /{index}/_bulk}: the Elasticsearch bulk API (Filebeat,
 *       Logstash, Fluent Bit, Vector), with the per-item results Elasticsearch gives ({@code index}
 *       and {@code create} are stored; {@code update} and {@code delete} are refused per item);
 *       {@code GET /} answers like a cluster so shippers' version checks pass;
 *   <li>{@code POST /services/collector/event}: the Splunk HTTP Event Collector.
 * </ul>
 *
 * Every endpoint needs the configured token ({@code Authorization: Bearer|ApiKey|Splunk TOKEN}, or
 * Basic with the token as password), compared in constant time. A 200 means the events are durable
 * in the spool; a full queue answers 429 with Retry-After; bodies over the limit 413.
 */
public final class HttpInput implements AutoCloseable {
  private static final JsonFactory JSON = new JsonFactory();

  /**
   * Where to listen, the shared secret, the largest accepted body, and the metrics to serve on
   * {@code GET /metrics} (or null).
   */
  public record Options(
      String host,
      int port,
      String token,
      long maxBodyBytes,
      dev.rampart.ingest.metrics.IngestMetrics metrics) {
    public Options(String host, int port, String token, long maxBodyBytes) {
      this(host, port, token, maxBodyBytes, null);
    }
  }

  private final Javalin app;
  private final Pipeline pipeline;
  private final byte[] token;

  public HttpInput(Options options, Pipeline pipeline) {
    this.pipeline = pipeline;
    this.token = options.token().getBytes(StandardCharsets.UTF_8);
    this.app =
        Javalin.create(
            config -> {
              config.http.maxRequestSize = options.maxBodyBytes();
              config.concurrency.useVirtualThreads = true;
              config.startup.showJavalinBanner = false;
              config.routes.before(this::authenticate);
              config.routes.get("/", this::clusterInfo);
              if (options.metrics() != null) {
                config.routes.get(
                    "/metrics",
                    ctx ->
                        ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                            .result(options.metrics().scrape()));
              }
              config.routes.post("/ingest", ctx -> ndjson(ctx, "http-ndjson"));
              config.routes.post("/_bulk", ctx -> bulk(ctx, null));
              config.routes.post("/{index}/_bulk", ctx -> bulk(ctx, ctx.pathParam("index")));
              config.routes.post("/services/collector/event", this::hec);
              config.routes.post("/services/collector", this::hec);
            });
    app.start(options.host(), options.port());
  }

  public int port() {
    return app.port();
  }

  private void authenticate(Context ctx) {
    String h = ctx.header("Authorization");
    String presented = null;
    if (h != null) {
      int sp = h.indexOf(' ');
      String scheme = sp > 0 ? h.substring(0, sp) : "";
      String value = sp > 0 ? h.substring(sp + 1).trim() : "";
      switch (scheme.toLowerCase(java.util.Locale.ROOT)) {
        case "bearer", "apikey", "splunk" -> presented = value;
        case "basic" -> {
          try {
            String decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
            presented = decoded.substring(decoded.indexOf(':') + 1);
          } catch (IllegalArgumentException e) {
            presented = null;
          }
        }
        default -> presented = null;
      }
    }
    if (presented == null
        || !MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8))) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"rampart\"");
      boolean hec = ctx.path().startsWith("/services/collector");
      ctx.status(401);
      ctx.contentType("application/json");
      ctx.result(
          hec
              ? "{\"text\":\"Invalid token\",\"code\":4}"
              : "{\"error\":\"missing or wrong token\",\"status\":401}");
      ctx.skipRemainingHandlers();
    }
  }

  private void clusterInfo(Context ctx) {
    ctx.contentType("application/json");
    ctx.result(
        "{\"name\":\"rampart\",\"cluster_name\":\"rampart\",\"version\":{\"number\":\"8.11.0\","
            + "\"build_flavor\":\"default\",\"minimum_wire_compatibility_version\":\"7.17.0\"},"
            + "\"tagline\":\"You Know, for Search\"}");
  }

  private void ndjson(Context ctx, String input) throws Exception {
    String body = ctx.body();
    List<CompletableFuture<Void>> acks = new ArrayList<>();
    int n = 0;
    for (String line : body.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      if (!queue(ctx, line, input, acks)) {
        return;
      }
      n++;
    }
    if (await(ctx, acks)) {
      ctx.contentType("application/json");
      ctx.result("{\"accepted\":" + n + "}");
    }
  }

  /** The bulk API: action line, then (for index/create) the document line. */
  private void bulk(Context ctx, String defaultIndex) throws Exception {
    String[] lines = ctx.body().split("\n");
    List<CompletableFuture<Void>> acks = new ArrayList<>();
    StringWriter items = new StringWriter();
    boolean errors = false;
    long start = System.nanoTime();
    try (JsonGenerator g = JSON.createGenerator(items)) {
      g.writeStartArray();
      for (int i = 0; i < lines.length; i++) {
        if (lines[i].isBlank()) {
          continue;
        }
        String action = null;
        String index = defaultIndex;
        String id = null;
        try (JsonParser p = JSON.createParser(lines[i])) {
          if (p.nextToken() == JsonToken.START_OBJECT && p.nextToken() == JsonToken.FIELD_NAME) {
            action = p.currentName();
            if (p.nextToken() == JsonToken.START_OBJECT) {
              while (p.nextToken() == JsonToken.FIELD_NAME) {
                String k = p.currentName();
                p.nextToken();
                if (k.equals("_index")) {
                  index = p.getText();
                } else if (k.equals("_id")) {
                  id = p.getText();
                } else {
                  p.skipChildren();
                }
              }
            }
          }
        } catch (IOException e) {
          action = null;
        }
        if (action == null) {
          ctx.status(400).contentType("application/json");
          ctx.result(
              "{\"error\":{\"type\":\"illegal_argument_exception\",\"reason\":\"line "
                  + (i + 1)
                  + " is not a bulk action\"},\"status\":400}");
          return;
        }
        boolean withDoc = action.equals("index") || action.equals("create");
        boolean hasDoc =
            action.equals("index") || action.equals("create") || action.equals("update");
        String doc = hasDoc && i + 1 < lines.length ? lines[++i] : null;
        g.writeStartObject();
        g.writeObjectFieldStart(action);
        g.writeStringField("_index", index == null ? "rampart" : index);
        g.writeStringField("_id", id == null ? Long.toHexString(System.nanoTime()) + "-" + i : id);
        if (withDoc && doc != null) {
          if (!queue(ctx, doc, "http-bulk", acks)) {
            return;
          }
          g.writeNumberField("_version", 1);
          g.writeStringField("result", "created");
          g.writeNumberField("status", 201);
        } else {
          errors = true;
          g.writeNumberField("status", 400);
          g.writeObjectFieldStart("error");
          g.writeStringField("type", "illegal_argument_exception");
          g.writeStringField("reason", "rampart stores events; '" + action + "' is not supported");
          g.writeEndObject();
        }
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    if (await(ctx, acks)) {
      ctx.contentType("application/json");
      ctx.result(
          "{\"took\":"
              + (System.nanoTime() - start) / 1_000_000
              + ",\"errors\":"
              + errors
              + ",\"items\":"
              + items
              + "}");
    }
  }

  /** Splunk HEC: concatenated {"event": ..., "time", "host", "source", "sourcetype"} objects. */
  private void hec(Context ctx) throws Exception {
    List<CompletableFuture<Void>> acks = new ArrayList<>();
    try (JsonParser p = JSON.createParser(ctx.body())) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t != JsonToken.START_OBJECT) {
          ctx.status(400)
              .contentType("application/json")
              .result("{\"text\":\"Invalid data format\",\"code\":6}");
          return;
        }
        StringWriter doc = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(doc)) {
          g.writeStartObject();
          boolean event = false;
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String k = p.currentName();
            JsonToken v = p.nextToken();
            switch (k) {
              case "event" -> {
                event = true;
                if (v == JsonToken.START_OBJECT) {
                  // The event's own fields at the top, as a shipper's JSON would be.
                  while (p.nextToken() == JsonToken.FIELD_NAME) {
                    g.writeFieldName(p.currentName());
                    p.nextToken();
                    g.copyCurrentStructure(p);
                  }
                } else {
                  g.writeFieldName("message");
                  g.copyCurrentStructure(p);
                }
              }
              case "time" -> {
                g.writeFieldName("@timestamp");
                g.writeString(
                    java.time.Instant.ofEpochMilli((long) (p.getValueAsDouble() * 1000))
                        .toString());
              }
              case "host" -> {
                g.writeFieldName("host.name");
                g.copyCurrentStructure(p);
              }
              case "sourcetype", "source", "index" -> {
                g.writeFieldName("splunk." + k);
                g.copyCurrentStructure(p);
              }
              default -> p.skipChildren();
            }
          }
          g.writeEndObject();
          if (!event) {
            ctx.status(400)
                .contentType("application/json")
                .result("{\"text\":\"Event field is required\",\"code\":12}");
            return;
          }
        }
        if (!queue(ctx, doc.toString(), "http-hec", acks)) {
          return;
        }
      }
    } catch (IOException e) {
      ctx.status(400)
          .contentType("application/json")
          .result("{\"text\":\"Invalid data format\",\"code\":6}");
      return;
    }
    if (await(ctx, acks)) {
      ctx.contentType("application/json").result("{\"text\":\"Success\",\"code\":0}");
    }
  }

  /** Queues one document; answers 429 (and returns false) when the pipeline is full. */
  private boolean queue(Context ctx, String text, String input, List<CompletableFuture<Void>> acks)
      throws InterruptedException {
    CompletableFuture<Void> ack = new CompletableFuture<>();
    if (!pipeline.offer(new Pipeline.Message(text, input, ctx.ip(), ack), 2, TimeUnit.SECONDS)) {
      ctx.status(429).header("Retry-After", "1").contentType("application/json");
      ctx.result("{\"error\":\"rampart is busy; retry\",\"status\":429}");
      return false;
    }
    acks.add(ack);
    return true;
  }

  /** Waits until every document is durable; answers 503 when the spool fails or is too slow. */
  private boolean await(Context ctx, List<CompletableFuture<Void>> acks)
      throws InterruptedException {
    try {
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      return true;
    } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
      ctx.status(503).header("Retry-After", "5").contentType("application/json");
      ctx.result("{\"error\":\"not stored; retry\",\"status\":503}");
      return false;
    }
  }

  @Override
  public void close() {
    app.stop();
  }
}
