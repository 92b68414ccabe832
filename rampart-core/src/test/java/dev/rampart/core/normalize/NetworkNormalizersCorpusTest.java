package dev.rampart.core.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.event.Event;
import dev.rampart.core.io.Problems;
import dev.rampart.core.json.JsonEventReader;
import dev.rampart.core.json.ReadOptions;
import dev.rampart.core.testing.Corpora;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Suricata EVE and Zeek JSON from the shared corpora through the normalizers: every record is
 * recognised, gets its log type, its time and the ECS network fields, and keeps its native names.
 */
class NetworkNormalizersCorpusTest {

  @Test
  void suricataAlertsGetEcsAndTheirLogType() throws IOException {
    Path root = Corpora.require("suricata-sample-data/samples");
    long n = 0;
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
        for (Event e : read(f)) {
          n++;
          assertThat(Normalizers.normalize(e))
              .as(f.toString())
              .isInstanceOf(SuricataNormalizer.class);
          assertThat(e.source().logType()).isEqualTo("suricata/eve");
          assertThat(e.hasTimestamp()).isTrue();
          assertThat(e.getText("event.kind")).isEqualTo("alert");
          assertThat(e.getText("rule.name")).isEqualTo(e.getText("alert.signature"));
          assertThat(e.getText("source.ip")).isEqualTo(e.getText("src_ip"));
          assertThat(e.getText("destination.port")).isEqualTo(e.getText("dest_port"));
          assertThat(e.getText("network.transport")).isEqualTo(e.getText("proto").toLowerCase());
        }
      }
    }
    System.out.println("suricata: " + n + " alerts normalized");
    assertThat(n).isGreaterThan(500);
  }

  @Test
  void zeekLogsGetEcsAndZeekLogTypes() throws IOException {
    Path root = Corpora.require("zeek-wrccdc-brimdata/zeek-json");
    Map<String, Long> byType = new TreeMap<>();
    try (Stream<Path> files = Files.list(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json.gz")).sorted().toList()) {
        for (Event e : read(f)) {
          if (!e.has("ts")) {
            continue; // loaded_scripts and the like: no time, nothing to detect on
          }
          assertThat(Normalizers.normalize(e)).as(f.toString()).isInstanceOf(ZeekNormalizer.class);
          String log = e.getText("_path");
          assertThat(e.source().logType()).isEqualTo("zeek/" + log);
          assertThat(e.hasTimestamp()).as(f.toString()).isTrue();
          if (e.has("id.orig_h")) {
            assertThat(e.getText("source.ip")).isEqualTo(e.getText("id.orig_h"));
            assertThat(e.getText("destination.port")).isEqualTo(e.getText("id.resp_p"));
          }
          String query = e.getText("query");
          if (log.equals("dns") && query != null && !query.isEmpty() && !query.equals("-")) {
            assertThat(e.getText("dns.question.name")).isEqualTo(e.getText("query"));
          }
          byType.merge(log, 1L, Long::sum);
        }
      }
    }
    System.out.println("zeek: " + byType);
    assertThat(byType).containsKeys("dns", "ssl", "x509");
  }

  @Test
  void zeekWithoutPathIsRecognisedByItsFields() {
    Event dns = new Event();
    dns.addString("ts", "2018-03-24T17:15:20.865716Z");
    dns.addString("uid", "CqKst53mF3det3eDV9");
    dns.addString("id.orig_h", "10.47.1.100");
    dns.addString("query", "ise.wrccdc.org");
    dns.addString("qtype_name", "A");
    Normalizers.normalize(dns);
    assertThat(dns.source().logType()).isEqualTo("zeek/dns");
    Event other = new Event();
    other.addString("ts", "x");
    other.addString("uid", "y");
    assertThat(Normalizers.normalize(other) instanceof ZeekNormalizer).isFalse();
  }

  private static List<Event> read(Path f) throws IOException {
    List<Event> out = new java.util.ArrayList<>();
    try (InputStream raw = Files.newInputStream(f);
        InputStream in = f.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
        JsonEventReader r =
            new JsonEventReader(in, f.toString(), ReadOptions.DEFAULTS, new Problems(10))) {
      Event e = new Event();
      while (r.next(e)) {
        out.add(e.copy());
      }
    }
    return out;
  }
}
