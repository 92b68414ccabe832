package dev.rampart.evtx;

import dev.rampart.core.io.InputFiles;
import dev.rampart.core.io.ProblemSink;
import dev.rampart.evtx.file.EvtxReader;
import dev.rampart.evtx.file.EvtxRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The entry point of rampart-evtx: read Windows XML EventLog files ({@code .evtx}, also gzip or
 * zstd compressed) as records or as Rampart events.
 *
 * <pre>{@code
 * Problems problems = new Problems(100);
 * EvtxReader stats = Evtx.read(Path.of("Security.evtx"), problems, record ->
 *     System.out.println(record.recordId() + " " + record.root().name()));
 *
 * EvtxEvents events = new EvtxEvents("Security.evtx", problems,
 *     (event, recordId, offset) -> System.out.println(event.getText("EventID")));
 * Evtx.read(Path.of("Security.evtx"), problems, events::add);
 * events.flush();
 * }</pre>
 */
public final class Evtx {
  private Evtx() {}

  /** Reads every record of a file; returns the reader with its counts (records, bad records). */
  public static EvtxReader read(Path file, ProblemSink problems, Consumer<EvtxRecord> sink)
      throws IOException {
    EvtxReader reader = new EvtxReader(file.toString(), problems);
    try (InputStream in = InputFiles.open(file)) {
      reader.read(in, sink);
    }
    return reader;
  }

  /** Whether a path names an EVTX file by its extension ({@code .evtx}, {@code .evtx.gz}, ...). */
  public static boolean isEvtx(Path file) {
    String n = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    return n.endsWith(".evtx") || n.endsWith(".evtx.gz") || n.endsWith(".evtx.zst");
  }
}
