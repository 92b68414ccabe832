package dev.rampart.server.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.event.Timestamps;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SearchWindowTest {
  static final long NOW = Timestamps.fromInstant(Instant.parse("2026-12-07T12:00:00Z"));
  static final long HOUR = 3_600_000_000_000L;

  @Test
  void aRangeEndsNow() {
    SearchWindow w = SearchWindow.of("7d", null, null, NOW);
    assertThat(w.toNanos()).isEqualTo(NOW);
    assertThat(w.fromNanos()).isEqualTo(NOW - 168 * HOUR);
    assertThat(w.label()).isEqualTo("the last 7d");
    assertThat(w.span()).isEqualTo("1d");
    assertThat(SearchWindow.of("bogus", "", " ", NOW).range()).isEqualTo("24h");
    assertThat(SearchWindow.of("all", null, null, NOW).fromNanos()).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void fromAndToAsPeopleTypeThem() {
    long day = Timestamps.fromInstant(Instant.parse("2026-12-01T00:00:00Z"));
    assertThat(SearchWindow.instant("2026-12-01", NOW, "from")).isEqualTo(day);
    assertThat(SearchWindow.instant("2026-12-01T10:00", NOW, "from")).isEqualTo(day + 10 * HOUR);
    assertThat(SearchWindow.instant("2026-12-01T10:00:30", NOW, "from"))
        .isEqualTo(day + 10 * HOUR + 30_000_000_000L);
    assertThat(SearchWindow.instant("2026-12-01T10:00:00+01:00", NOW, "from"))
        .isEqualTo(day + 9 * HOUR);
    assertThat(SearchWindow.instant("-2h", NOW, "from")).isEqualTo(NOW - 2 * HOUR);
    assertThat(SearchWindow.instant("now", NOW, "to")).isEqualTo(NOW);

    SearchWindow w = SearchWindow.of("24h", "-2h", "", NOW);
    assertThat(w.range()).isEqualTo("custom");
    assertThat(w.fromNanos()).isEqualTo(NOW - 2 * HOUR);
    assertThat(w.toNanos()).isEqualTo(NOW);
    assertThat(w.label()).isEqualTo("2026-12-07T10:00:00Z to now");
    assertThat(w.span()).isEqualTo("1h");
  }

  @Test
  void mistakesSayWhatIsWanted() {
    assertThat(SearchWindow.of(null, "yesterday", null, NOW).error())
        .startsWith("from wants a time such as")
        .endsWith("got 'yesterday'.");
    assertThat(SearchWindow.of(null, "2026-13-01", null, NOW).error()).startsWith("from wants");
    assertThat(SearchWindow.of(null, "-2x", null, NOW).error()).startsWith("from: ");
    assertThat(SearchWindow.of(null, "now", "-1h", NOW).error())
        .isEqualTo("from must be before to.");
  }

  @Test
  void aSavedWindowComesBackRelativeToWhenItRuns() {
    for (SearchWindow w :
        new SearchWindow[] {
          SearchWindow.of("30d", null, null, NOW),
          SearchWindow.of(null, "-2h", "now", NOW),
          SearchWindow.of(null, "2026-12-01", "", NOW),
          SearchWindow.of(null, "", "2026-12-01T10:00:00.5Z", NOW)
        }) {
      SearchWindow later = SearchWindow.parse(w.saved(), NOW + HOUR);
      assertThat(later.params()).isEqualTo(w.params());
      assertThat(later.error()).isNull();
    }
    assertThat(SearchWindow.parse("-2h..now", NOW + HOUR).fromNanos()).isEqualTo(NOW - HOUR);
  }
}
