package dev.rampart.agent.fim;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.core.io.DurableFiles;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The baseline database: gzipped JSON lines, a header (format version, paths, exclusions, when)
 * then one entry per path, replaced atomically (a crash leaves the old or the new one, never half).
 */
public final class FimDb {
  private FimDb() {}

  static final ObjectMapper JSON = new ObjectMapper();
  static final int FORMAT = 1;

  /** The header: what the baseline covers. */
  public record Header(int format, List<String> paths, List<String> exclude, long created) {}

  /** A loaded baseline. */
  public record Baseline(Header header, Map<String, Fim.Entry> entries) {}

  public static void write(Path db, Header h, Map<String, Fim.Entry> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
    try (OutputStream out = new GZIPOutputStream(bytes, 1 << 16)) {
      out.write(JSON.writeValueAsBytes(h));
      out.write('\n');
      for (Fim.Entry e : entries.values()) {
        out.write(JSON.writeValueAsBytes(e));
        out.write('\n');
      }
    }
    if (db.toAbsolutePath().getParent() != null) {
      Files.createDirectories(db.toAbsolutePath().getParent());
    }
    DurableFiles.writeAtomically(db, bytes.toByteArray());
  }

  /**
   * Reads a baseline.
   *
   * @throws IOException naming the line when the database is damaged or of another format
   */
  public static Baseline read(Path db) throws IOException {
    if (!Files.isRegularFile(db)) {
      throw new IOException(db + ": no baseline here; make one with rampart agent fim init");
    }
    Map<String, Fim.Entry> entries = new LinkedHashMap<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(db), 1 << 16), StandardCharsets.UTF_8))) {
      String first = r.readLine();
      if (first == null) {
        throw new IOException(db + ": empty baseline");
      }
      Header h;
      try {
        h = JSON.readValue(first, Header.class);
      } catch (JacksonException e) {
        throw new IOException(
            db + ":1: not a Rampart FIM baseline (" + e.getOriginalMessage() + ")");
      }
      if (h.format() != FORMAT) {
        throw new IOException(
            db + ": baseline format " + h.format() + ", this version reads " + FORMAT);
      }
      String l;
      long line = 1;
      while ((l = r.readLine()) != null) {
        line++;
        try {
          Fim.Entry e = JSON.readValue(l, Fim.Entry.class);
          entries.put(e.path(), e);
        } catch (JacksonException e) {
          throw new IOException(
              db + ":" + line + ": damaged entry (" + e.getOriginalMessage() + ")");
        }
      }
      return new Baseline(h, entries);
    } catch (java.util.zip.ZipException e) {
      throw new IOException(db + ": damaged baseline (" + e.getMessage() + ")");
    }
  }
}
