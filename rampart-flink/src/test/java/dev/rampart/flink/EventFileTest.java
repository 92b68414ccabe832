package dev.rampart.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventFileTest {
  @Test
  void everyEventComesBackAsWrittenAcrossMaps(@TempDir Path dir) throws Exception {
    long seed = System.nanoTime();
    System.out.println("EventFileTest seed " + seed);
    Random random = new Random(seed);
    List<byte[]> written = new ArrayList<>();
    Path file = dir.resolve("events");
    EventFile events;
    // maps of 100 bytes: an event of up to 60 often does not fit the rest of one
    try (EventFile.Writer w = EventFile.create(file, 100)) {
      for (int i = 0; i < 5_000; i++) {
        byte[] b = new byte[1 + random.nextInt(60)];
        random.nextBytes(b);
        byte[] padded = new byte[b.length + 3];
        System.arraycopy(b, 0, padded, 2, b.length);
        w.append(padded, 2, b.length);
        written.add(b);
      }
      assertThat(w.size()).isEqualTo(5_000);
      events = w.finish();
    }
    try (events) {
      assertThat(events.size()).isEqualTo(written.size());
      for (int i = 0; i < written.size(); i++) {
        assertThat(events.get(i)).as("event %d", i).isEqualTo(written.get(i));
      }
      assertThatThrownBy(() -> events.get(5_000)).isInstanceOf(IndexOutOfBoundsException.class);
    }
    assertThat(file).doesNotExist();
  }

  @Test
  void aWriterClosedUnfinishedLeavesNoFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("events");
    try (EventFile.Writer w = EventFile.create(file, 100)) {
      w.append(new byte[10], 0, 10);
      assertThatThrownBy(() -> w.append(new byte[101], 0, 101))
          .hasMessageContaining("larger than a map");
    }
    assertThat(Files.exists(file)).isFalse();
  }
}
