package dev.rampart.ingest.parse.w3c;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.event.Event;
import dev.rampart.ingest.parse.ParseError;
import dev.rampart.ingest.parse.ParseOptions;
import dev.rampart.ingest.parse.RecordJoiner;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The directives a data line is read under (the latest block's), the firewall's local times, and
 * mutated header-and-line messages that never throw.
 */
class W3cParserTest {
  private static List<String> join(String... lines) {
    RecordJoiner j = new W3cParser(ParseOptions.defaults()).joiner();
    List<String> out = new ArrayList<>();
    for (String l : lines) {
      j.accept(l).forEach(m -> out.add(m.text()));
    }
    return out;
  }

  @Test
  void aNewBlockOfDirectivesReplacesTheFieldsOfTheOldOne() {
    List<String> messages =
        join(
            "#Software: Microsoft Internet Information Services 10.0",
            "#Fields: date time c-ip sc-status",
            "2026-11-28 08:00:01 192.0.2.1 200",
            "#Software: Microsoft Internet Information Services 10.0",
            "#Date: 2026-11-28 09:00:00",
            "#Fields: date time sc-status c-ip cs-method",
            "2026-11-28 09:00:01 404 192.0.2.2 GET");
    W3cParser p = new W3cParser(ParseOptions.defaults());
    Event e = new Event();
    assertThat(p.parse(messages.get(0), e)).isNull();
    assertThat(e.getText("c-ip")).isEqualTo("192.0.2.1");
    assertThat(p.parse(messages.get(1), e)).isNull();
    assertThat(e.getText("c-ip")).isEqualTo("192.0.2.2");
    assertThat(e.getText("cs-method")).isEqualTo("GET");
    assertThat(messages.get(1)).doesNotContain("#Date", "c-ip sc-status\n");
  }

  @Test
  void theFirewallsLocalTimesTakeTheZoneOfTheOptions() {
    List<String> messages =
        join(
            "#Software: Microsoft Windows Firewall",
            "#Time Format: Local",
            "#Fields: date time action protocol src-ip dst-ip src-port dst-port path",
            "2026-07-01 10:00:00 DROP TCP 203.0.113.9 10.0.5.23 4444 3389 RECEIVE");
    W3cParser p = new W3cParser(new ParseOptions(ZoneId.of("Europe/Berlin"), Instant.now()));
    Event e = new Event();
    assertThat(p.parse(messages.get(0), e)).isNull();
    assertThat(Instant.ofEpochSecond(0, e.timestamp()))
        .isEqualTo(Instant.parse("2026-07-01T08:00:00Z"));
    assertThat(e.source().logType()).isEqualTo("firewall/windows");
    assertThat(e.getText("network.direction")).isEqualTo("inbound");
  }

  @Property(tries = 3000)
  void mutatedMessagesAreReadOrRefusedNeverThrown(@ForAll long seed) {
    Random rnd = new Random(seed);
    String header =
        rnd.nextBoolean()
            ? "#Software: Microsoft Internet Information Services 10.0\n#Fields: date time s-ip"
                + " cs-method cs-uri-stem cs-uri-query c-ip cs(User-Agent) sc-status time-taken\n"
            : "#Time Format: Local\n#Fields: date time action protocol src-ip dst-ip src-port"
                + " dst-port size pid\n";
    String line =
        header.contains("cs-method")
            ? "2026-11-28 08:00:01 10.0.5.10 GET /a.aspx x=1 203.0.113.9 curl/8 200 15"
            : "2026-11-28 08:00:01 DROP TCP 203.0.113.9 10.0.5.23 1 2 60 4";
    StringBuilder sb = new StringBuilder(header + line);
    int edits = 1 + rnd.nextInt(6);
    for (int i = 0; i < edits && !sb.isEmpty(); i++) {
      int at = rnd.nextInt(sb.length());
      switch (rnd.nextInt(4)) {
        case 0 -> sb.deleteCharAt(at);
        case 1 -> sb.insert(at, " -:()\n#+9".charAt(rnd.nextInt(9)));
        case 2 -> sb.setLength(at);
        default -> sb.setCharAt(at, (char) rnd.nextInt(128));
      }
    }
    String m = sb.toString();
    Event e = new Event();
    ParseError error;
    try {
      error = new W3cParser(ParseOptions.defaults()).parse(m, e);
    } catch (RuntimeException ex) {
      throw new AssertionError("seed " + seed + ": " + m, ex);
    }
    assertThat(e.getText("event.original")).as("seed %d", seed).isNotNull();
    if (error != null) {
      assertThat(e.getText("event.original")).isEqualTo(m);
    }
  }
}
