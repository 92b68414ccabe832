package dev.rampart.core.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void parsesWhatPeopleWriteAndRefusesTheRest() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse(" 7d ")).isEqualTo(Duration.ofDays(7));
    assertThat(Durations.parse("2w")).isEqualTo(Duration.ofDays(14));
    assertThat(Durations.parse("7 days")).isNull();
    assertThat(Durations.parse(null)).isNull();
  }

  @Test
  void readsInTheUnitThatFits() {
    assertThat(Durations.readable(null)).isEqualTo("-");
    assertThat(Durations.readable(105.0)).isEqualTo("105 ms");
    assertThat(Durations.readable(4_200.0)).isEqualTo("4.2 s");
    assertThat(Durations.readable(750_000.0)).isEqualTo("12.5 min");
    assertThat(Durations.readable(11_160_000.0)).isEqualTo("3.1 h");
    assertThat(Durations.readable(47.9 * 3_600_000)).isEqualTo("47.9 h");
    assertThat(Durations.readable(207_360_000.0)).isEqualTo("2.4 d");
  }
}
