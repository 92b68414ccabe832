package dev.rampart.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.event.Event;
import dev.rampart.ingest.parse.leef.LeefParser;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The hand-written digit and hex checks agree with the regexes they replaced. */
class DigitsTest {
  private static final Pattern ONE_TO_EIGHTEEN = Pattern.compile("\\d{1,18}");

  @Property
  void countAgreesWithTheRegex(@ForAll String s) {
    assertThat(Digits.count(s, 1, 18)).isEqualTo(ONE_TO_EIGHTEEN.matcher(s).matches());
  }

  @Test
  void unicodeDigitsAreNotAsciiDigits() {
    assertThat(Digits.count("١٢٣", 1, 3)).isFalse();
    assertThat(Digits.count("123", 3, 3)).isTrue();
    assertThat(Digits.all("a12b", 1, 3)).isTrue();
    assertThat(Digits.all("a12b", 2, 2)).isFalse();
  }

  @Test
  void leefHexDelimitersInEverySpelling() {
    LeefParser leef = new LeefParser(ParseOptions.defaults());
    for (String d : new String[] {"x5E", "0x5e", "X5e", "0X005E", "^"}) {
      Event e = new Event();
      assertThat(leef.parse("LEEF:2.0|V|P|1|id|" + d + "|src=10.0.0.1^usrName=bob", e)).isNull();
      assertThat(e.getText("leef.attributes.usrName")).as(d).isEqualTo("bob");
    }
    Event e = new Event();
    assertThat(leef.parse("LEEF:2.0|V|P|1|id|x5G|src=10.0.0.1", e)).isNotNull();
    assertThat(leef.parse("LEEF:2.0|V|P|1|id|0x12345|src=10.0.0.1", e)).isNotNull();
  }
}
