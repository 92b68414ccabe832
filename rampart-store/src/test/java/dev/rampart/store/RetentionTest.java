package dev.rampart.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.Timestamps;
import dev.rampart.store.search.SearchRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention deletes whole days: by age, then the oldest by size; searches see the rest. */
class RetentionTest {
  @TempDir Path dir;

  static void fill(EventStore store) throws Exception {
    EventStore.Importer im = store.importer();
    try (im) {
      for (int day = 1; day <= 5; day++) {
        for (int i = 0; i < 200; i++) {
          Event e = new Event();
          e.timestamp(Timestamps.fromInstant(Instant.parse("2026-03-0" + day + "T10:00:00Z")) + i);
          e.addString("message", "day " + day + " event " + i);
          im.add(e);
        }
      }
    }
  }

  @Test
  void byAgeDeletesOlderDays() throws Exception {
    try (EventStore store = EventStore.open(dir, StoreOptions.defaults())) {
      fill(store);
      var deleted =
          store.applyRetention(Duration.ofDays(2), 0, Instant.parse("2026-03-05T12:00:00Z"));
      assertThat(deleted)
          .containsExactly(LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-02"));
      assertThat(Files.exists(dir.resolve("days/2026-03-01"))).isFalse();
      assertThat(store.stats()).extracting(EventStore.DayStats::day).hasSize(3);
      assertThat(store.search(SearchRequest.of("*")).matched()).isEqualTo(600);
    }
  }

  @Test
  void bySizeDeletesOldestFirstAndKeepsTheNewestDay() throws Exception {
    try (EventStore store = EventStore.open(dir, StoreOptions.defaults())) {
      fill(store);
      long oneDay = store.stats().get(4).bytes();
      var deleted = store.applyRetention(null, oneDay * 2 + oneDay / 2, Instant.now());
      assertThat(deleted).hasSize(3).first().isEqualTo(LocalDate.parse("2026-03-01"));
      assertThat(store.search(SearchRequest.of("day")).matched()).isEqualTo(400);
      // even a limit below one day keeps the newest day
      store.applyRetention(null, 1, Instant.now());
      assertThat(store.stats())
          .extracting(EventStore.DayStats::day)
          .containsExactly(LocalDate.parse("2026-03-05"));
    }
  }
}
