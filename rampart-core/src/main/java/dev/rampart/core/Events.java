package dev.rampart.core;

import dev.rampart.core.event.Event;
import dev.rampart.core.io.InputFiles;
import dev.rampart.core.io.ProblemSink;
import dev.rampart.core.json.JsonEventReader;
import dev.rampart.core.json.JsonEventWriter;
import dev.rampart.core.json.ReadOptions;
import dev.rampart.core.normalize.Normalizers;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * The entry point of rampart-core: read log files as events, normalize them, write them.
 *
 * <pre>{@code
 * Problems problems = new Problems(100);
 * try (JsonEventReader in = Events.open(Path.of("sysmon.ndjson.gz"), ReadOptions.DEFAULTS, problems);
 *     JsonEventWriter out = Events.writer(System.out)) {
 *   Event e = new Event();
 *   while (in.next(e)) {
 *     Events.normalize(e);
 *     out.write(e);
 *   }
 * }
 * }</pre>
 */
public final class Events {
  private Events() {}

  /** Opens a JSON log file (NDJSON, array or concatenated objects; plain, gzip or zstd). */
  public static JsonEventReader open(Path file, ReadOptions options, ProblemSink problems)
      throws IOException {
    return new JsonEventReader(InputFiles.open(file), file.toString(), options, problems);
  }

  /** A writer of NDJSON to {@code out} (closing the writer closes {@code out}). */
  public static JsonEventWriter writer(OutputStream out) throws IOException {
    return new JsonEventWriter(out);
  }

  /** Normalizes in place with the registered normalizers (see docs/schema.md). */
  public static void normalize(Event e) {
    Normalizers.normalize(e);
  }
}
