package dev.rampart.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rampart serve}: the README's config is valid; a bad one exits 2 listing its problems. */
class ServeCliTest {
  @TempDir Path dir;

  @Test
  void theReadmeConfigChecksOut() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int start = readme.indexOf("cat > rampart.yaml <<'YAML'\n");
    assertThat(start).as("the README shows a server config").isPositive();
    int from = readme.indexOf('\n', start) + 1;
    String yaml = readme.substring(from, readme.indexOf("\nYAML\n", from) + 1);
    Path config = dir.resolve("rampart.yaml");
    Files.writeString(config, yaml);
    Run r = Run.of("serve", "--config", config.toString(), "--check");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("configuration ok", "syslog-tcp", "127.0.0.1:9200")
        .contains("spool: segments of 64 MiB, kept up to 10 GiB and 7 days; page cache: ");
    if (Runtime.version().feature() >= 22) { // rampart-ingest-native is on the class path
      assertThat(r.out()).contains("the newest 256 MiB kept, older pages dropped (posix_fadvise)");
    }
  }

  @Test
  void aFileInputIsShownWithItsMultiLineRuleAndOpenFileBudget() throws Exception {
    Path config = dir.resolve("files.yaml");
    Files.writeString(
        config,
        "data: "
            + dir.resolve("data")
            + "\ninputs:\n"
            + "  - {type: file, name: app, paths: /var/log/app/*.log, first_line: '^\\S',"
            + " max_open_files: 64}\n"
            + "  - {type: file, name: auth, paths: /var/log/auth.log}\n");
    Run r = Run.of("serve", "--config", config.toString(), "--check");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains(
            "app (file) /var/log/app/*.log, an event starts at lines matching ^\\S, up to 64 files"
                + " open",
            "auth (file) /var/log/auth.log, up to 256 files open");
  }

  @Test
  void aBadConfigExitsTwoWithEveryProblem() throws Exception {
    Path config = dir.resolve("bad.yaml");
    Files.writeString(config, "inputs:\n  - {type: http, port: 9200}\n  - {type: smtp}\n");
    Run r = Run.of("serve", "--config", config.toString(), "--check");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("2 problem(s)", "token_env or token_file", "inputs[1].type");
  }

  @Test
  void withoutAConfigTheServerWritesTheDefaultsIntoTheDataFolder() throws Exception {
    Path data = dir.resolve("fresh");
    Run r = Run.of("server", "--data", data.toString(), "--port", "18080", "--check");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("configuration ok", "syslog-tcp", "127.0.0.1:6514", "syslog-udp");
    assertThat(Files.readString(data.resolve("rampart.yaml"))).contains("port: 18080");
    // later runs keep the file; --port overrides it for one run without editing it
    Run again = Run.of("server", "--data", data.toString(), "--port", "18081", "--check");
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(Files.readString(data.resolve("rampart.yaml"))).contains("port: 18080");
    assertThat(Files.readString(data.resolve(".rampart-run.yaml"))).contains("port: 18081");
    Path other = dir.resolve("other.yaml");
    Files.writeString(other, "inputs: []\n");
    assertThat(Run.of("server", "--config", other.toString(), "--port", "1", "--check").code())
        .isEqualTo(2);
  }
}
