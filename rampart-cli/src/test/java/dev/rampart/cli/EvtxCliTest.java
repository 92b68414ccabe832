package dev.rampart.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.core.testing.Corpora;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rampart evtx dump|info} and {@code rampart hunt} over EVTX files, end to end. */
class EvtxCliTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  static Path sample() {
    return Corpora.require("evtx-attack-samples")
        .resolve("Credential Access/CA_sysmon_hashdump_cmd_meterpreter.evtx.gz");
  }

  @Test
  void dumpWritesOneJsonRecordPerLineAndXmlOnRequest() throws IOException {
    Path out = dir.resolve("d.ndjson");
    Run r = Run.of("evtx", "dump", sample().toString(), "--output", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    List<String> lines = Files.readAllLines(out);
    assertThat(lines).isNotEmpty();
    for (String line : lines) {
      JsonNode j = JSON.readTree(line);
      assertThat(j.at("/Event/System/EventID").isNumber()).isTrue();
      assertThat(j.at("/Event/System/TimeCreated/#attributes/SystemTime").asText()).endsWith("Z");
    }
    assertThat(r.err()).contains(lines.size() + " records from 1 files, 0 bad");
    Run xml = Run.of("evtx", "dump", sample().toString(), "--format", "xml");
    assertThat(xml.out()).startsWith("<?xml").contains("<EventData>", "<Data Name=\"");
    assertThat(Run.of("evtx", "dump", sample().toString(), "--format", "yaml").code())
        .isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void infoShowsHeaderCountsAndDamage() throws IOException {
    Path damaged = dir.resolve("damaged.evtx");
    byte[] b;
    try (var in = dev.rampart.core.io.InputFiles.open(sample())) {
      b = in.readAllBytes();
    }
    for (int i = 4096 + 600; i < 4096 + 700; i++) {
      b[i] = (byte) 0xAB; // garbage inside the first record
    }
    Files.write(damaged, b);
    Run r = Run.of("evtx", "info", damaged.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("format 3.", "chunks read", "bad records", "byte ");
    Run dump = Run.of("evtx", "dump", damaged.toString(), "--output", dir.resolve("x").toString());
    assertThat(dump.code()).isEqualTo(ExitCodes.FINDINGS);
    assertThat(dump.err()).contains("damaged.evtx: byte ");
  }

  @Test
  void huntReadsEvtxAndPointsAtTheRecord() throws IOException {
    Path out = dir.resolve("hits.ndjson");
    Path rules = Corpora.require("sigmahq-sigma").resolve("rules/windows/process_creation");
    Run r =
        Run.of(
            "hunt",
            Corpora.require("evtx-attack-samples").resolve("Credential Access").toString(),
            "--rules",
            rules.toString(),
            "--format",
            "json",
            "--output",
            out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    List<String> lines = Files.readAllLines(out);
    assertThat(lines).isNotEmpty();
    JsonNode first = JSON.readTree(lines.get(0));
    assertThat(first.at("/source/file").asText()).contains(".evtx");
    assertThat(first.at("/source/record").asLong()).isPositive();
    assertThat(first.at("/source/offset").asLong()).isGreaterThanOrEqualTo(4096);
    assertThat(first.at("/event/Channel").asText()).isNotEmpty();
  }
}
