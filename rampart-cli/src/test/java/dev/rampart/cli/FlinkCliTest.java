package dev.rampart.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rampart flink submit|jobs|cancel} against a real Flink cluster's REST API (a local cluster
 * in this JVM with the web submission handlers): the built job jar is uploaded and started, listed,
 * then cancelled.
 */
class FlinkCliTest {
  @TempDir Path dir;

  @Test
  void theDetectionJobIsSubmittedListedAndCancelledThroughTheRestApi() throws Exception {
    Path jar = Path.of("..", "rampart-flink", "target", "rampart-flink.jar");
    if (!Files.isRegularFile(jar)) {
      System.out.println("FlinkCliTest skipped: no " + jar + " (package rampart-flink first)");
    }
    assumeTrue(Files.isRegularFile(jar));
    Configuration conf = new Configuration();
    conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
    conf.set(RestOptions.ADDRESS, "127.0.0.1");
    conf.set(RestOptions.BIND_PORT, "0");
    conf.set(WebOptions.UPLOAD_DIR, dir.toString());
    // This JVM's class path already holds the jar's libraries (Kafka); a cluster's lib/ does not.
    // Parent-first keeps one copy of each class here, as a real cluster has one in the jar.
    conf.set(org.apache.flink.configuration.CoreOptions.CLASSLOADER_RESOLVE_ORDER, "parent-first");
    try (MiniCluster cluster =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(2)
                .build())) {
      cluster.start();
      String rest = cluster.getRestAddress().get().toString();

      Run missing = Run.of("flink", "submit", "--rest", rest, "--jar", jar.toString());
      assertThat(missing.code()).isNotZero();
      assertThat(missing.err()).contains("--bootstrap HOST:9092");

      // no broker there: the job starts and its source keeps looking, which is all this needs
      Run submit =
          Run.of(
              "flink",
              "submit",
              "--rest",
              rest,
              "--jar",
              jar.toString(),
              "--parallelism",
              "1",
              "--",
              "--bootstrap",
              "127.0.0.1:9");
      assertThat(submit.code()).as(submit.err()).isZero();
      Matcher m = Pattern.compile("\\b[0-9a-f]{32}\\b").matcher(submit.out());
      assertThat(m.find()).as(submit.out()).isTrue();
      String job = m.group();
      assertThat(submit.err()).contains("submitted the detection job " + job);

      Run jobs = Run.of("flink", "jobs", "--rest", rest);
      assertThat(jobs.code()).as(jobs.err()).isZero();
      assertThat(jobs.out()).contains(job, "rampart detection");

      assertThat(Run.of("flink", "cancel", job, "--rest", rest).code()).isZero();
      long until = System.currentTimeMillis() + 60_000;
      String state = "";
      while (System.currentTimeMillis() < until) {
        String line =
            Run.of("flink", "jobs", "--rest", rest)
                .out()
                .lines()
                .filter(l -> l.startsWith(job))
                .findFirst()
                .orElse("");
        state = line.length() > 34 ? line.substring(34).strip().split("\\s+")[0] : "";
        if (state.equals("CANCELED")) {
          break;
        }
        Thread.sleep(200);
      }
      assertThat(state).isEqualTo("CANCELED");

      Run bad = Run.of("flink", "jobs", "--rest", "http://127.0.0.1:9");
      assertThat(bad.code()).isNotZero();
      assertThat(bad.err()).contains("no Flink REST API at http://127.0.0.1:9");
    }
  }
}
