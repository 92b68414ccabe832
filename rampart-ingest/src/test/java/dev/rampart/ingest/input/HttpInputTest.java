package dev.rampart.ingest.input;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.core.event.Event;
import dev.rampart.core.io.Problems;
import dev.rampart.ingest.metrics.IngestMetrics;
import dev.rampart.ingest.pipeline.Pipeline;
import dev.rampart.ingest.spool.Spool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP inputs over 127.0.0.1 with a real client: bulk, NDJSON, HEC, auth, limits. */
class HttpInputTest {
  @TempDir Path dir;
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient CLIENT = HttpClient.newHttpClient();

  static HttpResponse<String> send(String method, String url, String auth, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    if (auth != null) {
      b.header("Authorization", auth);
    }
    b.header("Content-Type", "application/x-ndjson");
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shippersSendThroughBulkNdjsonAndHec() throws Exception {
    List<Event> stored = new ArrayList<>();
    try (Spool spool =
        Spool.open(dir.resolve("spool"), Spool.Options.defaults(), new Problems(10))) {
      Pipeline pipeline =
          new Pipeline(spool, dir.resolve("dl.ndjson"), new Pipeline.Options("json", 1024, 1, 64));
      try (pipeline;
          HttpInput http =
              new HttpInput(new HttpInput.Options("127.0.0.1", 0, "s3cret", 1 << 20), pipeline)) {
        String base = "http://127.0.0.1:" + http.port();
        String basic =
            "Basic "
                + Base64.getEncoder()
                    .encodeToString("elastic:s3cret".getBytes(StandardCharsets.UTF_8));

        assertThat(send("GET", base + "/", null, null).statusCode()).isEqualTo(401);
        assertThat(send("GET", base + "/", "Bearer wrong", null).statusCode()).isEqualTo(401);
        HttpResponse<String> info = send("GET", base + "/", basic, null);
        assertThat(info.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(info.body()).at("/version/number").asText()).startsWith("8.");

        String bulk =
            "{\"index\":{\"_index\":\"filebeat-8\"}}\n"
                + "{\"@timestamp\":\"2026-11-28T08:15:30Z\",\"message\":\"from filebeat\",\"host\":{\"name\":\"web-01\"}}\n"
                + "{\"create\":{}}\n"
                + "{\"message\":\"second\"}\n"
                + "{\"delete\":{\"_id\":\"x\"}}\n";
        HttpResponse<String> r = send("POST", base + "/logs-default/_bulk", basic, bulk);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode result = JSON.readTree(r.body());
        assertThat(result.get("errors").asBoolean()).isTrue();
        assertThat(result.at("/items/0/index/status").asInt()).isEqualTo(201);
        assertThat(result.at("/items/0/index/_index").asText()).isEqualTo("filebeat-8");
        assertThat(result.at("/items/1/create/status").asInt()).isEqualTo(201);
        assertThat(result.at("/items/1/create/_index").asText()).isEqualTo("logs-default");
        assertThat(result.at("/items/2/delete/status").asInt()).isEqualTo(400);

        HttpResponse<String> nd =
            send("POST", base + "/ingest", "Bearer s3cret", "{\"a\":1}\n{\"a\":2}\n\n{\"a\":3}\n");
        assertThat(nd.body()).isEqualTo("{\"accepted\":3}");

        String hec =
            "{\"time\":1764317730.5,\"host\":\"app-1\",\"sourcetype\":\"app\",\"event\":{\"action\":\"login\",\"user\":\"bob\"}}"
                + "{\"event\":\"a plain line\"}";
        assertThat(send("POST", base + "/services/collector/event", "Splunk wrong", hec).body())
            .contains("\"code\":4");
        HttpResponse<String> ok =
            send("POST", base + "/services/collector/event", "Splunk s3cret", hec);
        assertThat(ok.body()).isEqualTo("{\"text\":\"Success\",\"code\":0}");
        // an Event Hubs message of Azure Monitor as a forwarder passes it on: every record kept
        String records =
            "{\"records\": [{\"time\":\"2026-11-28T08:00:00Z\",\"resourceId\":\"/tenants/t\","
                + "\"operationName\":\"Add user\",\"category\":\"AuditLogs\"},"
                + " {\"time\":\"2026-11-28T08:00:01Z\",\"resourceId\":\"/tenants/t\","
                + "\"operationName\":\"Delete user\",\"category\":\"AuditLogs\"}]}\n";
        assertThat(send("POST", base + "/ingest", "Bearer s3cret", records).body())
            .isEqualTo("{\"accepted\":1}");
        // Okta's log streaming to Splunk Cloud, pointed at Rampart's HEC endpoint instead
        String okta =
            "{\"sourcetype\":\"OktaIM2:log\",\"event\":{\"uuid\":\"u-1\","
                + "\"published\":\"2026-11-28T12:15:40.000Z\",\"eventType\":\"user.session.start\","
                + "\"actor\":{\"id\":\"00u1\",\"alternateId\":\"sam@corp.example\"},"
                + "\"client\":{\"ipAddress\":\"198.51.100.23\"},\"outcome\":{\"result\":\"FAILURE\"}}}";
        assertThat(send("POST", base + "/services/collector/event", "Splunk s3cret", okta).body())
            .isEqualTo("{\"text\":\"Success\",\"code\":0}");
        assertThat(
                send(
                        "POST",
                        base + "/services/collector/event",
                        "Splunk s3cret",
                        "{\"host\":\"x\"}")
                    .statusCode())
            .isEqualTo(400);

        HttpResponse<String> big =
            send(
                "POST",
                base + "/ingest",
                "Bearer s3cret",
                "{\"a\":\"" + "x".repeat(2 << 20) + "\"}\n");
        assertThat(big.statusCode()).isEqualTo(413);
      }
      spool.read(0, (e, off, next) -> stored.add(e.copy()));
    }
    assertThat(stored).hasSize(10);
    Event signIn = stored.get(9);
    assertThat(signIn.source().logType()).isEqualTo("okta/system");
    assertThat(signIn.getText("user.name")).isEqualTo("sam@corp.example");
    assertThat(signIn.getText("event.outcome")).isEqualTo("failure");
    assertThat(signIn.getText("splunk.sourcetype")).isEqualTo("OktaIM2:log");
    assertThat(stored.subList(7, 9))
        .allMatch(e -> e.source().logType().equals("azure/auditlogs"))
        .extracting(e -> e.getText("event.action"))
        .containsExactly("Add user", "Delete user");
    // each record's original is its own text, not the whole message twice
    assertThat(stored.get(8).getText("event.original"))
        .startsWith("{\"time\":\"2026-11-28T08:00:01Z\"")
        .endsWith("\"category\":\"AuditLogs\"}");
    assertThat(stored.get(0).getText("message")).isEqualTo("from filebeat");
    assertThat(stored.get(0).getText("host.name")).isEqualTo("web-01");
    assertThat(stored.get(5).getText("user")).isEqualTo("bob");
    assertThat(stored.get(5).getText("splunk.sourcetype")).isEqualTo("app");
    assertThat(stored.get(6).getText("message")).isEqualTo("a plain line");
  }

  @Test
  void metricsAreServedBehindTheTokenWithCountersAndConsumerLag() throws Exception {
    try (Spool spool =
        Spool.open(dir.resolve("spool"), Spool.Options.defaults(), new Problems(10))) {
      Pipeline pipeline =
          new Pipeline(spool, dir.resolve("dl.ndjson"), new Pipeline.Options("json", 1024, 1, 64));
      IngestMetrics metrics =
          new IngestMetrics()
              .pipeline("http", "json", pipeline)
              .spool(spool)
              .consumer(spool, "detect");
      try (pipeline;
          HttpInput http =
              new HttpInput(
                  new HttpInput.Options("127.0.0.1", 0, "s3cret", 1 << 20, metrics), pipeline)) {
        String base = "http://127.0.0.1:" + http.port();
        assertThat(send("GET", base + "/metrics", null, null).statusCode()).isEqualTo(401);
        assertThat(
                send("POST", base + "/ingest", "Bearer s3cret", "{\"message\":\"a\"}\nnot json\n")
                    .statusCode())
            .isBetween(200, 299);

        HttpResponse<String> m = send("GET", base + "/metrics", "Bearer s3cret", null);
        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(m.body())
            .contains("rampart_ingest_received_total{input=\"http\",parser=\"json\"} 2.0")
            .contains("rampart_ingest_parsed_total{input=\"http\",parser=\"json\"} 1.0")
            .contains("rampart_ingest_failed_total{input=\"http\",parser=\"json\"} 1.0")
            .contains("rampart_spool_end_offset")
            .contains("rampart_spool_cache_dropped_offset")
            .contains("rampart_spool_appended_total 1.0")
            .contains("rampart_spool_consumer_lag_bytes{consumer=\"detect\"}");
        double lag = gauge(m.body(), "rampart_spool_consumer_lag_bytes{consumer=\"detect\"}");
        assertThat(lag).isEqualTo((double) (spool.end() - spool.start())).isPositive();

        spool.commit("detect", spool.end());
        m = send("GET", base + "/metrics", "Bearer s3cret", null);
        assertThat(gauge(m.body(), "rampart_spool_consumer_lag_bytes{consumer=\"detect\"}"))
            .isZero();
      }
    }
  }

  private static double gauge(String exposition, String series) {
    return exposition
        .lines()
        .filter(l -> l.startsWith(series + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
        .findFirst()
        .orElseThrow(() -> new AssertionError(series + " not in\n" + exposition));
  }
}
