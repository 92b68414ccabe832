package dev.rampart.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rampart intel}: import from a file, count, look values up. */
class IntelCliTest {
  @TempDir Path dir;

  @Test
  void importStatsAndCheck() throws Exception {
    String data = dir.resolve("data").toString();
    Path csv = dir.resolve("blocklist.csv");
    Files.writeString(
        csv,
        "value,type,confidence,expires\n"
            + "198.51.100.0/24,ip,80,\n"
            + "evil.example,domain,60,2020-01-01\n"
            + "not-a-thing,,,\n");
    Run imp = Run.of("intel", "import", csv.toString(), "--data", data, "--source", "edge");
    assertThat(imp.code()).as(imp.err()).isZero();
    assertThat(imp.out()).contains("2 indicators imported, 1 skipped");
    assertThat(imp.err()).contains("blocklist.csv:4: cannot tell what 'not-a-thing' is");
    Run stats = Run.of("intel", "stats", "--data", data);
    assertThat(stats.out()).contains("2 indicators", "ip", "domain", "1 expired", "source edge");
    Run check =
        Run.of("intel", "check", "198.51.100.9", "www.evil.example", "192.0.2.1", "--data", data);
    assertThat(check.code()).isEqualTo(1);
    assertThat(check.out())
        .contains("198.51.100.9  ip 198.51.100.0/24  source=edge confidence=80")
        .contains("www.evil.example  domain evil.example", "(expired)")
        .contains("192.0.2.1  no indicator");
    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{not json");
    assertThat(Run.of("intel", "import", broken.toString(), "--data", data).code()).isEqualTo(2);
  }
}
