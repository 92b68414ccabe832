package dev.rampart.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.Timestamps;
import dev.rampart.store.mapping.FieldType;
import dev.rampart.store.search.SearchRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sysmon writes {@code ProcessId} in decimal and Windows Security events write it in hex: the field
 * is mapped long from whichever came first, and the other form is indexed and searchable too, not
 * left in the stored event only.
 */
class HexNumberTest {
  @TempDir Path dir;

  @Test
  void aLongFieldIndexesAndFindsWindowsHexValues() throws Exception {
    long t = Timestamps.fromInstant(Instant.parse("2026-03-01T10:00:00Z"));
    try (EventStore store = EventStore.open(dir, StoreOptions.defaults())) {
      try (EventStore.Importer im = store.importer()) {
        Event sysmon = new Event();
        sysmon.timestamp(t);
        sysmon.addLong("ProcessId", 420);
        sysmon.addString("Channel", "Microsoft-Windows-Sysmon/Operational");
        im.add(sysmon);
        Event security = new Event();
        security.timestamp(t + 1);
        security.addString("ProcessId", "0x1A4");
        security.addString("Channel", "Security");
        im.add(security);
        Event other = new Event();
        other.timestamp(t + 2);
        other.addString("ProcessId", "0x1000");
        other.addString("Channel", "Security");
        im.add(other);
      }
      assertThat(store.mapping().get("ProcessId")).isEqualTo(FieldType.LONG);
      assertThat(store.search(SearchRequest.of("ProcessId:420")).matched()).isEqualTo(2);
      assertThat(store.search(SearchRequest.of("ProcessId:0x1a4")).matched()).isEqualTo(2);
      assertThat(store.search(SearchRequest.of("ProcessId:[0x100 TO 0x2000]")).matched())
          .isEqualTo(3);
      assertThat(store.search(SearchRequest.of("Channel:Security AND ProcessId:>=4096")).matched())
          .isEqualTo(1);
      var stats = store.search(SearchRequest.of("* | stats count() by ProcessId"));
      assertThat(stats.rows())
          .containsExactlyInAnyOrder(
              Map.of("ProcessId", 420L, "count()", 2L), Map.of("ProcessId", 4096L, "count()", 1L));
    }
  }
}
