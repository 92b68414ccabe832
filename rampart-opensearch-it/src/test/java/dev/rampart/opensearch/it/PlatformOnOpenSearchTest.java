package dev.rampart.opensearch.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.ingest.server.IngestConfig;
import dev.rampart.opensearch.OpenSearchSearch;
import dev.rampart.server.Platform;
import dev.rampart.server.ServerConfig;
import dev.rampart.store.search.SearchRequest;
import dev.rampart.store.search.SearchResult;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform configured with {@code kafka:} and {@code opensearch:}: a syslog line in goes to the
 * events topic, the platform's own indexer puts it into OpenSearch, and the search the console and
 * the API use finds it there.
 */
class PlatformOnOpenSearchTest {
  @TempDir Path dir;

  @Test
  void aSyslogLineIsFoundByTheConsolesSearchInOpenSearch() throws Exception {
    try (var kafka =
            dev.rampart.kafka.testing.TestBroker.start(
                Map.of("rampart.events", 2, "rampart.events.dlq", 1, "rampart.alerts", 1));
        EmbeddedOpenSearch node = EmbeddedOpenSearch.start(dir.resolve("opensearch"))) {
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
          opensearch:
            urls: [%s]
            replicas: 0
          """
              .formatted(dir.resolve("data"), kafka.bootstrap(), node.url()));
      try (Platform p =
          Platform.start(
              new Platform.Options(
                  IngestConfig.load(config),
                  ServerConfig.load(config),
                  List.of(Path.of("..", "rules")),
                  l -> {}))) {
        assertThat(p.search()).isInstanceOf(OpenSearchSearch.class);
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
        SearchResult r = null;
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
          try {
            r =
                p.search()
                    .search(SearchRequest.of("message:\"failed password\" AND host.name:WEB-01"));
            if (r.matched() > 0) {
              break;
            }
          } catch (java.io.IOException e) {
            // while the day's new index starts its shard: the console says so; retry
            assertThat(e).hasMessageContaining("OpenSearch answered 503");
          }
          Thread.sleep(250); // OpenSearch makes new documents searchable each second
        }
        assertThat(r.matched()).isEqualTo(1);
        assertThat(r.rows().get(0)).containsEntry("host.name", "web-01");
      }
    }
  }
}
