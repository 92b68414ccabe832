package dev.rampart.opensearch;

import java.util.List;
import org.apache.hc.core5.http.HttpHost;
import org.opensearch.client.RestClient;

/**
 * Where OpenSearch is and how to write to it.
 *
 * @param urls the nodes, {@code https://os-1:9200}
 * @param indexPrefix daily indices are {@code PREFIX-yyyy.MM.dd} (UTC, by event time), matched by
 *     the template {@code PREFIX-*}
 * @param user basic-auth user, or null
 * @param password its password (from a file or the environment, never the YAML), or null
 * @param replicas replicas per index (0 for a single node)
 * @param bulkDocs most documents per bulk request
 * @param bulkBytes most bytes per bulk request
 */
public record OpenSearchOptions(
    List<String> urls,
    String indexPrefix,
    String user,
    String password,
    int replicas,
    int bulkDocs,
    int bulkBytes) {
  public OpenSearchOptions {
    urls = List.copyOf(urls);
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("opensearch: at least one URL");
    }
  }

  public static OpenSearchOptions of(String url) {
    return new OpenSearchOptions(List.of(url), "rampart-events", null, null, 1, 5_000, 8 << 20);
  }

  public OpenSearchOptions withReplicas(int n) {
    return new OpenSearchOptions(urls, indexPrefix, user, password, n, bulkDocs, bulkBytes);
  }

  /** A REST client for these nodes (basic auth when a user is set; TLS from the JVM's trust). */
  public RestClient client() {
    HttpHost[] hosts = new HttpHost[urls.size()];
    for (int i = 0; i < hosts.length; i++) {
      try {
        hosts[i] = HttpHost.create(urls.get(i));
      } catch (java.net.URISyntaxException e) {
        throw new IllegalArgumentException("opensearch: not a URL: " + urls.get(i), e);
      }
    }
    var b = RestClient.builder(hosts);
    if (user != null) {
      String token =
          java.util.Base64.getEncoder()
              .encodeToString(
                  (user + ":" + (password == null ? "" : password))
                      .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      b.setDefaultHeaders(
          new org.apache.hc.core5.http.Header[] {
            new org.apache.hc.core5.http.message.BasicHeader("Authorization", "Basic " + token)
          });
    }
    return b.build();
  }
}
