package dev.rampart.ingest.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rampart.core.io.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestConfigTest {
  @TempDir Path dir;

  @Test
  void aFullConfigLoadsWithDefaultsAndPathsFromItsFolder() throws Exception {
    Path file = dir.resolve("rampart.yaml");
    Files.writeString(
        file,
        """
        data: state
        spool: {segment_mb: 32, retention_gb: 2, retention_days: 3}
        inputs:
          - {type: syslog-tcp, port: 6514, bind: 0.0.0.0}
          - {type: syslog-udp, port: 5514}
          - {type: http, port: 9200, token_env: RAMPART_INGEST_TOKEN, max_body_mb: 8}
          - {type: file, name: auth, paths: logs/auth*.log, first_line: '^\\\\S', poll_ms: 250}
        """);
    IngestConfig c = IngestConfig.load(file);
    assertThat(c.data()).isEqualTo(dir.resolve("state"));
    assertThat(c.pipeline().parser()).isEqualTo("auto");
    assertThat(c.spool().segmentMb()).isEqualTo(32);
    assertThat(c.spool().cacheMb()).isEqualTo(256); // the default
    assertThat(c.inputs()).hasSize(4);
    assertThat(c.inputs().get(3).paths()).isEqualTo(dir.resolve("logs/auth*.log").toString());
    assertThat(c.inputs().get(0).effectiveName()).isEqualTo("syslog-tcp");
  }

  @Test
  void everyProblemIsListedWithWhatToDo() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(
        file,
        """
        pipeline: {parser: nope}
        spool: {cache_mb: -1}
        inputs:
          - {type: syslog-tcp, port: 6514}
          - {type: syslog-tcp, port: 6514}
          - {type: http, port: 9200}
          - {type: syslog-tls, port: 6515, keystore: missing.p12}
          - {type: smtp}
          - {type: file}
          - {type: file, name: audit, paths: /var/log/audit/audit.log, parser: auditd}
          - {type: file, name: audit2, paths: /var/log/audit/x.log, parser: auditd, first_line: x}
          - {type: syslog-udp, name: zeek, port: 5514, parser: zeek}
          - {type: file, name: java, paths: /var/log/app/*.log, first_line: '^(\\d)\\1'}
          - {type: file, name: many, paths: /var/log/*.log, max_open_files: 0}
        """);
    assertThatThrownBy(() -> IngestConfig.load(file))
        .isInstanceOf(IngestConfig.ConfigException.class)
        .satisfies(
            e ->
                assertThat(((IngestConfig.ConfigException) e).problems())
                    .extracting(Problem::message)
                    .anySatisfy(m -> assertThat(m).contains("no parser 'nope'"))
                    .anySatisfy(m -> assertThat(m).contains("cache_mb must be at least 0"))
                    .anySatisfy(m -> assertThat(m).contains("'syslog-tcp' is used twice"))
                    .anySatisfy(m -> assertThat(m).contains("6514 is used by another input"))
                    .anySatisfy(m -> assertThat(m).contains("token_env or token_file"))
                    .anySatisfy(m -> assertThat(m).contains("cannot read"))
                    .anySatisfy(m -> assertThat(m).contains("keystore_password_env"))
                    .anySatisfy(m -> assertThat(m).contains("inputs[4].type: one of"))
                    .anySatisfy(m -> assertThat(m).contains("inputs[5].paths"))
                    // a file input joins an audit log's records; not with a multi-line rule,
                    // and not on a network input
                    .noneSatisfy(m -> assertThat(m).startsWith("inputs[6]"))
                    .anySatisfy(
                        m -> assertThat(m).contains("inputs[7].first_line", "joins its own lines"))
                    .anySatisfy(
                        m -> assertThat(m).contains("inputs[8].parser", "only file inputs do"))
                    // the tail matches in linear time (RE2): no backreferences
                    .anySatisfy(
                        m -> assertThat(m).contains("inputs[9].first_line", "not an RE2 regex"))
                    .anySatisfy(
                        m -> assertThat(m).contains("inputs[10].max_open_files", "at least 1")));
  }

  @Test
  void aMisspelledKeyIsAnErrorWithItsLine() throws Exception {
    Path file = dir.resolve("typo.yaml");
    Files.writeString(
        file,
        """
        inputs:
          - type: syslog-tcp
            prot: 6514
        """);
    assertThatThrownBy(() -> IngestConfig.load(file))
        .isInstanceOf(IngestConfig.ConfigException.class)
        .hasMessageContaining("typo.yaml:3")
        .hasMessageContaining("unknown key 'prot'")
        .hasMessageContaining("port");
  }
}
