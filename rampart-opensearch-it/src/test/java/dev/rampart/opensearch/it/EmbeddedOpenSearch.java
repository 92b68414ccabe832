package dev.rampart.opensearch.it;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.opensearch.Version;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.PluginInfo;
import org.opensearch.transport.Netty4ModulePlugin;

/**
 * A real single-node OpenSearch in the test JVM, HTTP on a free loopback port: OpenSearch's own
 * {@link Node} with the Netty transport and the common analysis module as classpath plugins (what a
 * distribution loads from its modules folder). About 4 s to start.
 */
final class EmbeddedOpenSearch implements AutoCloseable {
  private final Node node;
  private final int port;

  private EmbeddedOpenSearch(Node node, int port) {
    this.node = node;
    this.port = port;
  }

  static EmbeddedOpenSearch start(Path home) throws Exception {
    Settings settings =
        Settings.builder()
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("cluster.name", "rampart-test")
            .put("node.name", "rampart-test-node")
            .put("discovery.type", "single-node")
            .put("network.host", "127.0.0.1")
            // ranges below the ephemeral ports, the first free one taken as the node binds:
            // a port found free and bound later can be taken in between by any connection
            .put("http.port", "19200-19399")
            .put("transport.port", "19400-19599")
            .put("http.type", "netty4")
            .put("transport.type", "netty4")
            // a test machine's disk may be fuller than the production watermarks allow
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .build();
    Environment env =
        InternalSettingsPreparer.prepareEnvironment(
            settings, Map.of(), home.resolve("config"), () -> "rampart-test-node");
    Node node =
        new TestNode(
            env,
            List.of(
                plugin(Netty4ModulePlugin.class),
                // the pattern tokenizer and the lowercase filter of the index template
                plugin(org.opensearch.analysis.common.CommonAnalysisModulePlugin.class)));
    node.start();
    int http =
        node.injector()
            .getInstance(org.opensearch.http.HttpServerTransport.class)
            .boundAddress()
            .publishAddress()
            .getPort();
    return new EmbeddedOpenSearch(node, http);
  }

  private static PluginInfo plugin(Class<?> c) {
    return new PluginInfo(
        c.getName(),
        "classpath plugin",
        "NA",
        Version.CURRENT,
        Integer.toString(Runtime.version().feature()),
        c.getName(),
        Collections.emptyList(),
        false);
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() throws Exception {
    node.close();
  }

  /** The protected constructor that takes classpath plugins. */
  private static final class TestNode extends Node {
    TestNode(Environment env, List<PluginInfo> plugins) {
      super(env, plugins, true);
    }
  }
}
