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

  /** Chunks per range when a large plain file is read on several threads: 4 MiB of log. */
  public static final int CHUNKS_PER_RANGE = 64;

  /** A part of a file: chunks {@code [first, first + count)}; chunk 0 includes the file header. */
  public record Range(Path file, int first, int count) {}

  /**
   * Splits a file into ranges that can be read independently. Compressed files cannot be entered in
   * the middle, so they are one range; so are small files.
   */
  public static java.util.List<Range> ranges(Path file) throws IOException {
    return ranges(file, CHUNKS_PER_RANGE);
  }

  /** {@link #ranges(Path)} with a chosen range size (tests use small ones). */
  public static java.util.List<Range> ranges(Path file, int chunksPerRange) throws IOException {
    String n = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    long size = java.nio.file.Files.size(file);
    long chunks =
        Math.max(
            0,
            (size - EvtxReader.FILE_HEADER_SIZE + EvtxReader.CHUNK_SIZE - 1)
                / EvtxReader.CHUNK_SIZE);
    if (!n.endsWith(".evtx") || chunks <= chunksPerRange) {
      return java.util.List.of(new Range(file, 0, Integer.MAX_VALUE));
    }
    java.util.List<Range> out = new java.util.ArrayList<>();
    for (long first = 0; first < chunks; first += chunksPerRange) {
      // The last range reads to the end, whatever follows the last whole chunk.
      int count =
          first + chunksPerRange >= chunks ? Integer.MAX_VALUE - (int) first : chunksPerRange;
      out.add(new Range(file, (int) first, count));
    }
    return out;
  }

  /** Reads the records of one range; the file header is read (and checked) by range 0 only. */
  public static EvtxReader read(Range range, ProblemSink problems, Consumer<EvtxRecord> sink)
      throws IOException {
    if (range.first() == 0) {
      EvtxReader reader = new EvtxReader(range.file().toString(), problems);
      try (InputStream in = InputFiles.open(range.file())) {
        if (range.count() == Integer.MAX_VALUE) {
          reader.read(in, sink);
        } else if (reader.readHeader(in)) {
          reader.readChunks(in, 0, range.count(), sink);
        }
      }
      return reader;
    }
    EvtxReader reader = new EvtxReader(range.file().toString(), problems);
    try (java.nio.channels.FileChannel ch =
        java.nio.channels.FileChannel.open(range.file(), java.nio.file.StandardOpenOption.READ)) {
      ch.position(EvtxReader.FILE_HEADER_SIZE + (long) range.first() * EvtxReader.CHUNK_SIZE);
      reader.readChunks(
          new java.io.BufferedInputStream(java.nio.channels.Channels.newInputStream(ch), 1 << 16),
          range.first(),
          range.count(),
          sink);
    }
    return reader;
  }

  /** Whether a path names an EVTX file by its extension ({@code .evtx}, {@code .evtx.gz}, ...). */
  public static boolean isEvtx(Path file) {
    String n = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    return n.endsWith(".evtx") || n.endsWith(".evtx.gz") || n.endsWith(".evtx.zst");
  }
}
