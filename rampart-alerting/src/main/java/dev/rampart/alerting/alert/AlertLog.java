package dev.rampart.alerting.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The durable alert log: one alert per line as JSON ({@code DATA/alerts/alerts.ndjson}), forced to
 * disk before {@link #append} returns. Alert ids are deterministic, and the log keeps each id once:
 * a detector replaying events after a crash writes nothing twice. A torn last line (a crash
 * mid-write) is cut off on open. Incidents and the case store read from here.
 */
public final class AlertLog implements Closeable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final FileChannel channel;
  private final Set<String> ids = new HashSet<>();
  private long count;

  private AlertLog(Path file) throws IOException {
    this.file = file;
    Files.createDirectories(file.toAbsolutePath().getParent());
    long keep = 0;
    if (Files.exists(file)) {
      byte[] all = Files.readAllBytes(file);
      int start = 0;
      while (start < all.length) {
        int nl = start;
        while (nl < all.length && all[nl] != '\n') {
          nl++;
        }
        if (nl == all.length) {
          break; // no newline: the tail a crash cut, dropped below
        }
        String id = id(new String(all, start, nl - start, StandardCharsets.UTF_8));
        if (id != null && ids.add(id)) {
          count++;
        }
        // A whole line that does not parse (damage inside the file) stays where it is and is
        // skipped; cutting the file there would throw away every alert after it.
        start = nl + 1;
      }
      keep = start;
    }
    this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    channel.truncate(keep);
    channel.position(keep);
  }

  private static String id(String line) {
    try {
      var id = JSON.readTree(line).get("id");
      return id == null ? null : id.asText();
    } catch (IOException | RuntimeException damaged) {
      return null;
    }
  }

  public static AlertLog open(Path file) throws IOException {
    return new AlertLog(file);
  }

  /** Writes the alerts not already in the log and forces them to disk; returns those written. */
  public synchronized List<Alert> append(List<Alert> alerts) throws IOException {
    List<Alert> fresh = new ArrayList<>();
    StringBuilder sb = new StringBuilder();
    for (Alert a : alerts) {
      if (ids.add(a.id())) {
        sb.append(JSON.writeValueAsString(a)).append('\n');
        fresh.add(a);
      }
    }
    if (!fresh.isEmpty()) {
      ByteBuffer buf = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
      while (buf.hasRemaining()) {
        channel.write(buf);
      }
      channel.force(false);
      count += fresh.size();
    }
    return fresh;
  }

  /** Alerts in the log. */
  public synchronized long count() {
    return count;
  }

  /** Every alert in the log, oldest first. */
  public static List<Alert> read(Path file) throws IOException {
    List<Alert> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        try {
          out.add(JSON.readValue(line, Alert.class));
        } catch (IOException damaged) {
          // a damaged or torn line: skipped, the alerts after it are still read
        }
      }
    }
    return out;
  }

  public Path file() {
    return file;
  }

  @Override
  public synchronized void close() throws IOException {
    channel.close();
  }
}
