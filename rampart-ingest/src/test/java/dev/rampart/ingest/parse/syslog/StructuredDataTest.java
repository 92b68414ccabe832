package dev.rampart.ingest.parse.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.event.Event;
import dev.rampart.ingest.parse.ParseOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Structured data through one parser instance, whose field-id caches remember the last element and
 * its parameter order: changes of element, order and names must not reuse a stale id.
 */
class StructuredDataTest {
  @Test
  void idsFollowTheNamesWhateverTheOrderAndElement() {
    SyslogParser parser = new SyslogParser(ParseOptions.defaults());
    List<String> lines =
        List.of(
            "<13>1 2026-11-28T08:15:01Z h app - - [meta a=\"1\" b=\"2\"] m",
            "<13>1 2026-11-28T08:15:01Z h app - - [meta b=\"3\" a=\"4\"] m",
            "<13>1 2026-11-28T08:15:01Z h app - - [meta ab=\"5\" a=\"6\"] m",
            "<13>1 2026-11-28T08:15:01Z h app - - [other a=\"7\"][meta a=\"8\" b=\"9\"] m",
            "<13>1 2026-11-28T08:15:01Z h app - - [metaX a=\"10\"] m",
            "<13>1 2026-11-28T08:15:01Z h app - - [meta a=\"x\\\"y\" b=\"\\\\\"] m");
    List<String> expected =
        List.of(
            "meta.a=1 meta.b=2",
            "meta.b=3 meta.a=4",
            "meta.ab=5 meta.a=6",
            "other.a=7 meta.a=8 meta.b=9",
            "metaX.a=10",
            "meta.a=x\"y meta.b=\\");
    Event e = new Event();
    for (int n = 0; n < lines.size(); n++) {
      e.clear();
      assertThat(parser.parse(lines.get(n), e)).isNull();
      StringBuilder got = new StringBuilder();
      String prefix = "log.syslog.structured_data.";
      for (int i = 0; i < e.size(); i++) {
        if (e.name(i).startsWith(prefix)) {
          got.append(got.isEmpty() ? "" : " ")
              .append(e.name(i).substring(prefix.length()))
              .append('=')
              .append(e.text(i));
        }
      }
      assertThat(got.toString()).as(lines.get(n)).isEqualTo(expected.get(n));
    }
  }
}
