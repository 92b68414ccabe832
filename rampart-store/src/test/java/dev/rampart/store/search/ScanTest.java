package dev.rampart.store.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.Timestamps;
import dev.rampart.store.EventStore;
import dev.rampart.store.StoreOptions;
import dev.rampart.store.query.QueryException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scan (the store's side of a hunt) visits exactly the events a search counts, each once, on one
 * thread or several, a day that spans several units of work included, oldest day first on one.
 */
class ScanTest {
  @TempDir static Path dir;
  static EventStore store;

  static final long MARCH_1 = Timestamps.fromInstant(Instant.parse("2026-03-01T00:00:00Z"));
  static final long DAY = 86_400_000_000_000L;
  // Day 2 holds more events than one unit of work, so that threads share it.
  static final int[] PER_DAY = {500, Searcher.SCAN_UNIT + 3000, 700};

  @BeforeAll
  static void fill() throws Exception {
    store = EventStore.open(dir, StoreOptions.defaults());
    try (EventStore.Importer im = store.importer()) {
      for (int day = 0; day < PER_DAY.length; day++) {
        for (int i = 0; i < PER_DAY[day]; i++) {
          Event e = new Event();
          e.timestamp(MARCH_1 + day * DAY + i * 1_000_000L);
          e.addString("host.name", "ws-" + (i % 7));
          e.addString("message", (i % 3 == 0 ? "odd" : "even") + " event " + i);
          im.add(e);
        }
      }
    }
  }

  @org.junit.jupiter.api.AfterAll
  static void close() throws Exception {
    store.close();
  }

  @Test
  void oneThreadVisitsEveryEventOnceOldestDayFirst() throws Exception {
    List<Long> times = new ArrayList<>();
    Set<Long> ids = ConcurrentHashMap.newKeySet();
    long n =
        store
            .scan(
                SearchRequest.of("*"),
                1,
                () ->
                    (e, id) -> {
                      times.add(e.timestamp());
                      ids.add(id);
                    },
                null)
            .visited();
    assertThat(n).isEqualTo(PER_DAY[0] + PER_DAY[1] + PER_DAY[2]).isEqualTo(times.size());
    assertThat(ids).hasSize((int) n);
    for (int i = 1; i < times.size(); i++) {
      assertThat(Math.floorDiv(times.get(i), DAY)).isGreaterThanOrEqualTo(times.get(i - 1) / DAY);
    }
  }

  @Test
  void threadsTogetherVisitWhatASearchCounts() throws Exception {
    for (String q : List.of("*", "message:odd", "host.name:ws-3 AND NOT message:even")) {
      for (long[] range :
          new long[][] {
            {Long.MIN_VALUE, Long.MAX_VALUE},
            {MARCH_1 + DAY, MARCH_1 + 2 * DAY},
            {MARCH_1 + DAY / 2, MARCH_1 + DAY + 1_000_000_000L}
          }) {
        SearchRequest r = SearchRequest.of(q).range(range[0], range[1]);
        long counted = store.search(r).matched();
        Set<Long> ids = ConcurrentHashMap.newKeySet();
        AtomicInteger visitors = new AtomicInteger();
        long visited =
            store
                .scan(
                    r,
                    4,
                    () -> {
                      visitors.incrementAndGet();
                      return (e, id) -> {
                        assertThat(e.timestamp()).isBetween(range[0], range[1] - 1);
                        ids.add(id);
                      };
                    },
                    null)
                .visited();
        assertThat(visited).as(q).isEqualTo(counted).isEqualTo(ids.size());
        assertThat(visitors.get()).isBetween(1, 4);
      }
    }
  }

  @Test
  void byTimeVisitsEveryMatchInTimeOrder() throws Exception {
    for (String q : List.of("*", "message:odd")) {
      SearchRequest r = SearchRequest.of(q).range(MARCH_1 + DAY / 2, Long.MAX_VALUE);
      List<Long> times = new ArrayList<>();
      Set<Long> ids = new java.util.HashSet<>();
      long n =
          store.scanByTime(
              r,
              (e, id) -> {
                times.add(e.timestamp());
                ids.add(id);
              });
      assertThat(n).isEqualTo(store.search(r).matched()).isEqualTo(ids.size());
      assertThat(times).isSorted();
    }
  }

  @Test
  void aSpentBudgetStopsTheScanAndSaysSo() throws Exception {
    Searcher.Scanned none =
        store.scan(SearchRequest.of("*"), 2, () -> (e, id) -> {}, java.time.Duration.ZERO);
    assertThat(none.complete()).isFalse();
    assertThat(none.visited()).isZero();
    Searcher.Scanned all =
        store.scan(SearchRequest.of("*"), 2, () -> (e, id) -> {}, java.time.Duration.ofMinutes(5));
    assertThat(all.complete()).isTrue();
    assertThat(all.visited()).isEqualTo(PER_DAY[0] + PER_DAY[1] + PER_DAY[2]);
  }

  @Test
  void aQueryWithPipesOrAFailingVisitorSaySo() throws Exception {
    assertThatThrownBy(
            () -> store.scan(SearchRequest.of("* | stats count()"), 2, () -> (e, id) -> {}, null))
        .isInstanceOf(QueryException.class);
    assertThatThrownBy(
            () ->
                store.scan(
                    SearchRequest.of("*"),
                    3,
                    () ->
                        (e, id) -> {
                          throw new java.io.IOException("disk gone");
                        },
                    null))
        .hasMessage("disk gone");
  }
}
