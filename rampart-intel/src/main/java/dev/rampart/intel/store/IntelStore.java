package dev.rampart.intel.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.intel.Indicator;
import dev.rampart.intel.index.IntelIndex;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * The indicators an install holds: DATA/intel/indicators.ndjson, one indicator per line, appended
 * (and forced to disk) by each import; a later line for the same type and value replaces the
 * earlier one when the index is built. A damaged line is skipped and counted.
 */
public final class IntelStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;

  public IntelStore(Path data) {
    this.file = data.resolve("intel").resolve("indicators.ndjson");
  }

  public Path file() {
    return file;
  }

  /** Appends {@code indicators}, durable when this returns. */
  public synchronized void append(List<Indicator> indicators) throws IOException {
    Files.createDirectories(file.getParent());
    try (FileChannel ch =
            FileChannel.open(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        OutputStream out = Channels.newOutputStream(ch)) {
      StringBuilder sb = new StringBuilder();
      for (Indicator i : indicators) {
        sb.setLength(0);
        sb.append(
            JSON.writeValueAsString(
                Map.of(
                    "type", i.type().label(),
                    "value", i.value(),
                    "source", i.source(),
                    "confidence", i.confidence(),
                    "expires", i.expiresAt(),
                    "name", i.name())));
        sb.append('\n');
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
      }
      out.flush();
      ch.force(false);
    }
  }

  /** What {@link #load} read. */
  public record Loaded(IntelIndex index, long lines, long damaged) {}

  /** Builds the index from the file (empty when there is none). */
  public Loaded load() throws IOException {
    IntelIndex index = new IntelIndex();
    long lines = 0;
    long damaged = 0;
    if (!Files.exists(file)) {
      return new Loaded(index, 0, 0);
    }
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        lines++;
        try {
          var n = JSON.readTree(line);
          Indicator.Type t = Indicator.Type.parse(n.path("type").asText());
          if (t == null || !n.hasNonNull("value")) {
            damaged++;
            continue;
          }
          index.add(
              new Indicator(
                  t,
                  n.get("value").asText(),
                  n.path("source").asText(""),
                  n.path("confidence").asInt(50),
                  n.path("expires").asLong(0),
                  n.path("name").asText("")));
        } catch (IOException | RuntimeException e) {
          damaged++; // a torn last line after a crash, say
        }
      }
    }
    return new Loaded(index, lines, damaged);
  }
}
