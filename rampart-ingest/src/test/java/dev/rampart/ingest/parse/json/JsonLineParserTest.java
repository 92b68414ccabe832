package dev.rampart.ingest.parse.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.event.Event;
import dev.rampart.ingest.parse.ParseError;
import dev.rampart.ingest.parse.Parser;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Messages of several records: every record is an event or a rejected record, none vanishes. */
class JsonLineParserTest {
  private final JsonLineParser parser = new JsonLineParser();

  private static final String DEEP = "{\"a\":".repeat(70) + "1" + "}".repeat(70);

  private List<String> actions(String message) {
    Event e = new Event();
    assertThat(parser.parse(message, e)).isNull();
    List<String> out = new ArrayList<>();
    do {
      out.add(e.getText("eventName"));
    } while (parser.next(e));
    return out;
  }

  @Test
  void aFirstRecordThatCannotBeReadIsRejectedAndTheNextIsTheFirstEvent() {
    assertThat(actions("{\"Records\":[" + DEEP + ",{\"eventName\":\"A\"},{\"eventName\":\"B\"}]}"))
        .containsExactly("A", "B");
    assertThat(parser.rejected()).extracting(Parser.Rejected::text).containsExactly(DEEP);
    assertThat(parser.rejected().getFirst().error().message()).contains("nesting deeper than 64");
  }

  @Test
  void aLastRecordKeepsItsTextWithoutTheDocumentsClosing() {
    String pretty = "{\n  \"Records\": [\n    {\"eventName\": \"A\"},\n    " + DEEP + "\n  ]\n}\n";
    assertThat(actions(pretty)).containsExactly("A");
    assertThat(parser.rejected()).extracting(Parser.Rejected::text).containsExactly(DEEP);
    ParseError error = parser.rejected().getFirst().error();
    assertThat(error.parser()).isEqualTo("json");
    assertThat(pretty.substring(error.column() - 1)).startsWith(DEEP);
  }

  @Test
  void severalRejectedInARowAreSeparated() {
    assertThat(actions("{\"Records\":[{\"eventName\":\"A\"}, 5 , \"x\",[1], " + DEEP + "]}"))
        .containsExactly("A");
    assertThat(parser.rejected())
        .extracting(Parser.Rejected::text)
        .containsExactly("5", "\"x\"", "[1]", DEEP);
  }

  @Test
  void aMessageWithNothingReadableIsOneParseErrorAndNoRejectedRecords() {
    Event e = new Event();
    assertThat(parser.parse("{\"Records\":[5, " + DEEP + "]}", e)).isNotNull();
    assertThat(parser.rejected()).isEmpty();
    // and the next message starts afresh
    assertThat(actions("{\"eventName\":\"C\"}")).containsExactly("C");
    assertThat(parser.rejected()).isEmpty();
  }
}
