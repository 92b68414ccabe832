package dev.rampart.flink;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Encoded events in a file, read through memory maps: the input {@link Scaleout} feeds the job.
 * Held in the heap instead, a million and a half events (about 1.2 GB) kept the collector's
 * concurrent marking running all through the measurement, on the very cores being measured (1.5
 * million events, G1 as the launcher starts it: 411,297 events/s at parallelism 2, 1.36 times
 * parallelism 1; the same with the collector out of the way, 1.55–1.63 times). A task copies an
 * event out of the map as a Kafka source copies it out of a fetched batch.
 */
public final class EventFile implements AutoCloseable {
  // a map is at most 2 GB; records never straddle two
  private static final long MAP_BYTES = 1L << 30;

  private final Path file;
  private final MappedByteBuffer[] maps;
  private final long[] at; // map << 32 | position in it
  private final int[] length;
  private final int size;

  private EventFile(Path file, MappedByteBuffer[] maps, long[] at, int[] length, int size) {
    this.file = file;
    this.maps = maps;
    this.at = at;
    this.length = length;
    this.size = size;
  }

  /** A writer of a new file at {@code file} (replaced when there), deleted when the result is. */
  public static Writer create(Path file) throws IOException {
    return new Writer(file, MAP_BYTES);
  }

  /** As {@link #create(Path)} with maps of at most {@code mapBytes} (tests cross maps with it). */
  static Writer create(Path file, long mapBytes) throws IOException {
    return new Writer(file, mapBytes);
  }

  /** Events in the file. */
  public int size() {
    return size;
  }

  /** A copy of event {@code i}'s encoding; safe from any thread. */
  public byte[] get(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException(i);
    }
    byte[] b = new byte[length[i]];
    maps[(int) (at[i] >>> 32)].get((int) at[i], b); // absolute: no shared position moves
    return b;
  }

  /** Deletes the file (the maps go with the last reference to them). */
  @Override
  public void close() throws IOException {
    Files.deleteIfExists(file);
  }

  /** Appends encoded events; {@link #finish()} maps them. */
  public static final class Writer implements AutoCloseable {
    private final Path file;
    private final OutputStream out;
    private final long mapBytes;
    private long[] mapStarts = new long[4];
    private int maps = 1;
    private long position;
    private long[] at = new long[1 << 16];
    private int[] length = new int[1 << 16];
    private int size;
    private boolean finished;

    private Writer(Path file, long mapBytes) throws IOException {
      this.file = file;
      this.mapBytes = mapBytes;
      this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
    }

    /** Appends one event's encoding, {@code len} bytes of {@code b} from {@code off}. */
    public void append(byte[] b, int off, int len) throws IOException {
      if (size == Integer.MAX_VALUE - 8) {
        throw new IllegalStateException("an event file holds at most 2^31 - 9 events");
      }
      if (len > mapBytes) {
        throw new IllegalArgumentException("an event of " + len + " bytes is larger than a map");
      }
      if (position + len - mapStarts[maps - 1] > mapBytes) {
        if (maps == mapStarts.length) {
          mapStarts = Arrays.copyOf(mapStarts, maps * 2);
        }
        mapStarts[maps++] = position;
      }
      if (size == at.length) {
        int n = (int) Math.min(Integer.MAX_VALUE - 8L, size * 2L);
        at = Arrays.copyOf(at, n);
        length = Arrays.copyOf(length, n);
      }
      at[size] = (long) (maps - 1) << 32 | (position - mapStarts[maps - 1]);
      length[size++] = len;
      out.write(b, off, len);
      position += len;
    }

    /** Events appended so far. */
    public int size() {
      return size;
    }

    /** Closes the file and maps it for reading. */
    public EventFile finish() throws IOException {
      finished = true;
      out.close();
      MappedByteBuffer[] mapped = new MappedByteBuffer[maps];
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
        for (int m = 0; m < maps; m++) {
          long end = m + 1 < maps ? mapStarts[m + 1] : position;
          mapped[m] = ch.map(FileChannel.MapMode.READ_ONLY, mapStarts[m], end - mapStarts[m]);
        }
      }
      return new EventFile(file, mapped, at, length, size);
    }

    /** Without {@link #finish()}: closes and deletes the file. */
    @Override
    public void close() {
      if (!finished) {
        try {
          out.close();
          Files.deleteIfExists(file);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }
}
