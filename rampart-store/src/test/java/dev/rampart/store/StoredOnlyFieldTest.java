package dev.rampart.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.Timestamps;
import dev.rampart.store.mapping.FieldType;
import dev.rampart.store.query.QueryException;
import dev.rampart.store.search.SearchRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A field mapped to {@code none} (the lever for indexing faster) is kept in the stored events: the
 * filter refuses it with the column, {@code where} and {@code stats} read the stored events and say
 * so, {@code timechart} refuses it.
 */
class StoredOnlyFieldTest {
  @TempDir Path dir;

  @Test
  void aFieldMappedToNoneIsReadFromTheStoredEvents() throws Exception {
    StoreOptions o = StoreOptions.defaults().withOverrides(Map.of("guid", FieldType.NONE));
    try (EventStore store = EventStore.open(dir, o)) {
      EventStore.Importer im = store.importer();
      try (im) {
        for (int i = 0; i < 300; i++) {
          Event e = new Event();
          e.timestamp(Timestamps.fromInstant(Instant.parse("2026-03-01T10:00:00Z")) + i);
          e.addString("guid", i % 3 == 0 ? "A-1" : "B-2");
          e.addString("user.name", "u" + (i % 2));
          im.add(e);
        }
      }
      assertThatThrownBy(() -> store.search(SearchRequest.of("user.name:u1 AND guid:A-1")))
          .isInstanceOf(QueryException.class)
          .hasMessageContaining("column 18")
          .hasMessageContaining("guid is stored but not indexed");

      var where = store.search(SearchRequest.of("* | where guid == \"A-1\" | stats count()"));
      assertThat(where.rows()).containsExactly(Map.of("count()", 100L));

      var stats = store.search(SearchRequest.of("user.name:u0 | stats count() by guid"));
      assertThat(stats.columns()).containsExactly("guid", "count()");
      assertThat(stats.rows())
          .containsExactlyInAnyOrder(
              Map.of("guid", "A-1", "count()", 50L), Map.of("guid", "B-2", "count()", 100L));
      assertThat(stats.notes())
          .contains(
              "guid is not indexed (mapping type none): these stats read the stored events, at"
                  + " most the scan limit");

      assertThatThrownBy(
              () -> store.search(SearchRequest.of("* | timechart span=1h count() by guid")))
          .hasMessageContaining("guid is stored but not indexed");
    }
  }
}
