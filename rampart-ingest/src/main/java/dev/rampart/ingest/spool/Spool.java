package dev.rampart.ingest.spool;

import dev.rampart.core.event.Event;
import dev.rampart.core.io.Problem;
import dev.rampart.core.io.ProblemSink;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The durable spool between inputs and consumers: an append-only log of events in segment files,
 * each record framed as {@code [0xA5][length u32][crc32c u32][payload]} with the {@link EventCodec}
 * payload. Offsets are byte positions in the whole log; a segment file is named by the offset of
 * its first record.
 *
 * <p>Durability: {@link #append} buffers; {@link #sync} writes the buffer and forces it to disk
 * ({@code fsync}) before returning. Inputs acknowledge a batch to its sender only after {@code
 * sync}, so an acknowledged event survives kill -9 and power loss (see docs/decisions.md for the
 * policy). On open, the last segment is checked record by record and a torn tail (a write cut by a
 * crash, never acknowledged) is cut off and reported.
 *
 * <p>Consumers read from an offset and commit the offset after what they processed ({@link
 * #commit}); after a restart they resume there: nothing lost, nothing twice.
 */
public final class Spool implements Closeable {
  private static final int MAGIC = 0xA5;
  private static final int HEADER = 9;
  private static final String SUFFIX = ".seg";

  /**
   * @param segmentBytes size at which a new segment starts
   * @param fsync whether {@link #sync} forces data to disk (true in production; false only for
   *     throughput experiments that accept losing acknowledged events)
   * @param retentionBytes total size kept; older whole segments are deleted beyond it
   * @param retentionAge age after which whole segments are deleted
   * @param cacheBytes how much of the newest durable data stays in the operating system's page
   *     cache; the pages behind it are dropped ({@link PageCache}), {@link Long#MAX_VALUE} never.
   *     Consumers read right behind the writer, so a window this size still serves them from
   *     memory; the spool no longer crowds out the store's index, and the kernel reuses the pages
   *     it frees instead of taking fresh ones (docs/decisions.md measures both)
   */
  public record Options(
      long segmentBytes,
      boolean fsync,
      long retentionBytes,
      Duration retentionAge,
      long cacheBytes) {
    /** 256 MiB: a minute of a busy server's spool, seconds of a burst. */
    public static final long DEFAULT_CACHE_BYTES = 256L << 20;

    public Options {
      if (cacheBytes < 0) {
        throw new IllegalArgumentException("cacheBytes must be at least 0, not " + cacheBytes);
      }
    }

    /** With the default {@link #DEFAULT_CACHE_BYTES}. */
    public Options(long segmentBytes, boolean fsync, long retentionBytes, Duration retentionAge) {
      this(segmentBytes, fsync, retentionBytes, retentionAge, DEFAULT_CACHE_BYTES);
    }

    public static Options defaults() {
      return new Options(64L << 20, true, 10L << 30, Duration.ofDays(7));
    }
  }

  private final Path dir;
  private final Options options;
  // The largest page-cache folio on x86-64 and AArch64 with 4 KiB pages; see dropBehind.
  private static final long FOLIO_OVERLAP = 2L << 20;
  private final Object dropLock = new Object();
  private PageCache pageCache; // guarded by dropLock once open
  // The offset below which the page cache was told to drop the spool's pages; see dropBehind.
  private long dropped; // guarded by dropLock
  private final ProblemSink problems;
  private final CRC32C crc = new CRC32C();
  // Serializes the fsyncs of syncTo, which run outside the spool's lock.
  private final Object forceLock = new Object();
  private final ByteSink scratch = new ByteSink(4096);
  private final EventCodec.Encoder encoder = new EventCodec.Encoder();
  // Direct, so writing it to the file copies once (a heap buffer goes through a direct one first).
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
  private FileChannel active;
  private long activeBase;
  private long end; // offset after the last appended record (including buffered ones)
  // set once a write or fsync failed: see fail()
  private IOException failure;
  private long durable; // offset up to which data is forced to disk

  private Spool(Path dir, Options options, ProblemSink problems, PageCache pageCache) {
    this.dir = dir;
    this.options = options;
    this.problems = problems;
    this.pageCache = pageCache;
  }

  /** Opens (creating) the spool in {@code dir}, recovering from a crash if there was one. */
  public static Spool open(Path dir, Options options, ProblemSink problems) throws IOException {
    return open(dir, options, problems, PageCache.system());
  }

  /** {@link #open(Path, Options, ProblemSink)} telling {@code pageCache} what to drop. */
  public static Spool open(Path dir, Options options, ProblemSink problems, PageCache pageCache)
      throws IOException {
    Files.createDirectories(dir.resolve("consumers"));
    // One process owns a spool: a second appender would interleave records, and opening repairs
    // the tail. The OS lock goes away with the process, even after kill -9.
    FileChannel lockFile =
        FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    java.nio.channels.FileLock lock;
    try {
      lock = lockFile.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException held) {
      lock = null;
    }
    if (lock == null) {
      lockFile.close();
      throw new InUseException(dir);
    }
    try {
      Spool s = new Spool(dir, options, problems, pageCache);
      s.lockFile = lockFile;
      s.recover();
      // What was written before this process stays to the operating system: consumers catching up
      // after a restart may find it cached.
      s.dropped = s.end;
      return s;
    } catch (IOException | RuntimeException e) {
      lockFile.close();
      throw e;
    }
  }

  /** The spool is open in another process (or elsewhere in this one). */
  public static final class InUseException extends IOException {
    private static final long serialVersionUID = 1L;

    InUseException(Path dir) {
      super(
          "the spool "
              + dir
              + " is in use by another Rampart process (a running rampart serve?); stop it, or"
              + " send it the data instead");
    }
  }

  private FileChannel lockFile;

  private void recover() throws IOException {
    List<Long> bases = segments();
    if (bases.isEmpty()) {
      openSegment(0);
      return;
    }
    long base = bases.get(bases.size() - 1);
    Path file = segment(base);
    byte[] data = Files.readAllBytes(file);
    int pos = 0;
    while (pos + HEADER <= data.length) {
      int len = recordLength(data, pos);
      if (len < 0 || pos + HEADER + len > data.length || !crcOk(data, pos, len)) {
        break;
      }
      pos += HEADER + len;
    }
    if (pos < data.length) {
      problems.report(
          Problem.warning(
              file.toString(),
              0,
              pos,
              "torn tail of "
                  + (data.length - pos)
                  + " bytes removed (a write cut short by a crash; it was never acknowledged)"));
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
        ch.truncate(pos);
        ch.force(true);
      }
    }
    active = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    activeBase = base;
    end = base + pos;
    durable = end;
  }

  private int recordLength(byte[] d, int pos) {
    if ((d[pos] & 0xff) != MAGIC) {
      return -1;
    }
    int len = readInt(d, pos + 1);
    return len < 0 || len > (64 << 20) ? -1 : len;
  }

  /**
   * Whether the record's checksum holds. Its own CRC32C: readers run without the spool's lock,
   * beside an appender using {@link #crc}; sharing it made concurrent reads see good records as
   * damaged (and skip the rest of their segment).
   */
  private static boolean crcOk(byte[] d, int pos, int len) {
    CRC32C c = new CRC32C();
    c.update(d, pos + HEADER, len);
    return (int) c.getValue() == readInt(d, pos + 5);
  }

  private static int readInt(byte[] d, int pos) {
    return (d[pos] & 0xff) << 24
        | (d[pos + 1] & 0xff) << 16
        | (d[pos + 2] & 0xff) << 8
        | d[pos + 3] & 0xff;
  }

  private long appended; // records, since open

  /** Appends an event (buffered, not yet durable); returns its offset. */
  public synchronized long append(Event e) throws IOException {
    scratch.reset();
    encoder.encode(e, scratch);
    return appendEncoded(scratch.array(), 0, scratch.size());
  }

  /**
   * Appends an event already encoded with {@link EventCodec} (parser threads encode outside the
   * spool's lock); returns its offset.
   */
  public synchronized long appendEncoded(byte[] payload, int off, int len) throws IOException {
    checkFailed();
    if (end - activeBase + HEADER + len > options.segmentBytes() && end > activeBase) {
      sync();
      active.close();
      openSegment(end);
    }
    if (buffer.remaining() < HEADER + len) {
      drain();
    }
    long offset = end;
    crc.reset();
    crc.update(payload, off, len);
    if (HEADER + len > buffer.capacity()) {
      ByteBuffer big = ByteBuffer.allocate(HEADER + len);
      big.put((byte) MAGIC).putInt(len).putInt((int) crc.getValue()).put(payload, off, len).flip();
      write(big);
    } else {
      buffer.put((byte) MAGIC).putInt(len).putInt((int) crc.getValue()).put(payload, off, len);
    }
    end += HEADER + len;
    appended++;
    return offset;
  }

  /**
   * Records appended since the spool was opened, by any path (inputs, agents, the demo's feed):
   * what a rate of events arriving is measured by.
   */
  public synchronized long appended() {
    return appended;
  }

  /**
   * Makes everything up to {@code offset} durable, as a group commit: the buffer is written under
   * the spool's lock, but the fsync runs outside it, so other threads keep appending while the disk
   * works, and a caller whose records an earlier fsync already covered returns at once. Acknowledge
   * senders only after this returns.
   */
  public void syncTo(long offset) throws IOException {
    FileChannel channel;
    long target;
    synchronized (this) {
      if (durable >= offset) {
        return;
      }
      checkFailed();
      drain();
      channel = active;
      target = end;
    }
    synchronized (forceLock) {
      synchronized (this) {
        if (durable >= offset) {
          return; // another caller's fsync covered these records while this one waited
        }
      }
      if (options.fsync()) {
        try {
          channel.force(false);
        } catch (java.nio.channels.ClosedChannelException rolled) {
          // The segment was rolled meanwhile; rolling syncs it (under the lock) before closing,
          // which covered everything up to target.
        } catch (IOException e) {
          synchronized (this) {
            fail(e);
          }
          throw e;
        }
      }
      long now;
      synchronized (this) {
        checkFailed(); // a failure meanwhile dropped what this sync was to cover
        durable = Math.max(durable, target);
        now = durable;
      }
      dropBehind(now); // outside the spool's lock: appends go on meanwhile
    }
  }

  /** Bytes of a record's frame before its payload: magic, length, CRC-32C. */
  public static final int FRAME_HEADER = HEADER;

  /**
   * Frames the payload written into {@code sink} after {@code recordStart + FRAME_HEADER}: fills in
   * the header (magic, length, CRC-32C of the payload) that the caller reserved. Parser threads
   * frame their records this way, outside the spool's lock, for {@link #appendFramed}.
   */
  public static void frame(ByteSink sink, int recordStart, CRC32C crc) {
    byte[] b = sink.array();
    int len = sink.size() - recordStart - HEADER;
    crc.reset();
    crc.update(b, recordStart + HEADER, len);
    int c = (int) crc.getValue();
    b[recordStart] = (byte) MAGIC;
    putInt(b, recordStart + 1, len);
    putInt(b, recordStart + 5, c);
  }

  private static void putInt(byte[] b, int pos, int v) {
    b[pos] = (byte) (v >>> 24);
    b[pos + 1] = (byte) (v >>> 16);
    b[pos + 2] = (byte) (v >>> 8);
    b[pos + 3] = (byte) v;
  }

  /**
   * Appends {@code count} records framed by {@link #frame}, record {@code i} starting at {@code
   * starts[i]} in {@code data} and the last one ending at {@code end}; the whole run is copied in
   * one go, segment by segment. Returns the offset after the last record.
   */
  public synchronized long appendFramed(byte[] data, int[] starts, int count, int end)
      throws IOException {
    checkFailed();
    int i = 0;
    while (i < count) {
      // The longest run of records from i that fits in the active segment (at least one).
      int j = i;
      long room = options.segmentBytes() - (this.end - activeBase);
      while (j < count) {
        int recordEnd = j + 1 < count ? starts[j + 1] : end;
        if (recordEnd - starts[i] > room && (j > i || this.end > activeBase)) {
          break;
        }
        j++;
      }
      if (j == i) {
        sync();
        active.close();
        openSegment(this.end);
        continue;
      }
      int from = starts[i];
      int to = j < count ? starts[j] : end;
      int len = to - from;
      if (len > buffer.remaining()) {
        drain();
      }
      if (len > buffer.capacity()) {
        write(ByteBuffer.wrap(data, from, len));
      } else {
        buffer.put(data, from, len);
      }
      this.end += len;
      appended += j - i;
      i = j;
    }
    return this.end;
  }

  /** Makes everything appended so far durable; acknowledge senders only after this returns. */
  public synchronized void sync() throws IOException {
    checkFailed();
    drain();
    if (durable < end) {
      if (options.fsync()) {
        try {
          active.force(false);
        } catch (IOException e) {
          fail(e);
          throw e;
        }
      }
      durable = end;
      dropBehind(durable);
    }
  }

  /**
   * Tells the page cache to drop the durable bytes more than {@link Options#cacheBytes} behind
   * {@code durableNow}, a step at a time. Only durable bytes: their pages are clean, so the kernel
   * frees them at once (dirty ones it would only start writing). The freed pages are the next ones
   * a write takes, which on this project's machines costs a quarter of taking pages the system had
   * not used lately (docs/decisions.md).
   */
  private void dropBehind(long durableNow) {
    long upTo = durableNow - options.cacheBytes();
    // A step of 1/8 of the window (at most 8 MiB) keeps the calls few and the window nearly full.
    long step = Math.max(4096, Math.min(8L << 20, options.cacheBytes() / 8));
    synchronized (dropLock) {
      // upTo <= dropped first: with a window of Long.MAX_VALUE the difference would overflow
      if (upTo <= dropped || upTo - dropped < step) {
        return;
      }
      List<Long> bases;
      try {
        bases = segments();
      } catch (IOException e) {
        return; // the next sync tries again
      }
      for (int i = 0; i < bases.size(); i++) {
        long base = bases.get(i);
        long next = i + 1 < bases.size() ? bases.get(i + 1) : Long.MAX_VALUE;
        // From a little before the last call's end: the kernel keeps a page-cache folio (up to 2
        // MiB) that a range only partly covers, so the one at the last boundary goes now.
        long from = Math.max(Math.max(0, dropped - FOLIO_OVERLAP), base);
        long to = Math.min(upTo, next);
        if (from < to) {
          try {
            pageCache.drop(segment(base), from - base, to - from);
          } catch (RuntimeException e) {
            // Advice only; a broken one must not stop ingestion. Said once, then left alone.
            problems.report(
                Problem.warning(
                    dir.toString(),
                    0,
                    from,
                    "page cache advice (" + pageCache.name() + ") failed and is off: " + e));
            pageCache = PageCache.NONE;
            return;
          }
        }
      }
      dropped = upTo;
    }
  }

  private void drain() throws IOException {
    buffer.flip();
    try {
      write(buffer);
    } finally {
      buffer.clear();
    }
  }

  private void write(ByteBuffer b) throws IOException {
    try {
      while (b.hasRemaining()) {
        active.write(b);
      }
    } catch (IOException e) {
      fail(e);
      throw e;
    }
  }

  /**
   * A write or fsync failed (a full disk, an I/O error): what follows the last sync may be torn or
   * missing, so it is cut off and the spool refuses everything until reopened. None of it was
   * acknowledged (acknowledgements follow a sync), and no later record can land behind a torn one,
   * where readers would stop.
   */
  private void fail(IOException e) {
    if (failure == null) {
      failure = e;
      try {
        active.truncate(Math.max(0, durable - activeBase));
      } catch (IOException ignored) {
        // reopening recovers the torn tail by its checksums instead
      }
    }
  }

  private void checkFailed() throws IOException {
    if (failure != null) {
      throw new IOException(
          "the spool stopped after a write failed ("
              + failure.getMessage()
              + "); what followed its last sync was dropped; reopen it",
          failure);
    }
  }

  /** Whether a write failed; the spool must be reopened to continue. */
  public synchronized boolean failed() {
    return failure != null;
  }

  private void openSegment(long base) throws IOException {
    active =
        FileChannel.open(
            segment(base),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.APPEND);
    activeBase = base;
    end = base;
    durable = base;
    forceDirectory();
  }

  private void forceDirectory() {
    // A new file's directory entry must be durable too; not every platform allows opening a
    // directory for that, and where it does not, creating the file is already journaled.
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // best effort
    }
  }

  /** The offset after the last appended record. */
  public synchronized long end() {
    return end;
  }

  /**
   * The offset below which this process told the page cache to drop the spool's pages (where it
   * opened the spool, until a window of {@link Options#cacheBytes} has been written after that).
   */
  public long cacheDropped() {
    synchronized (dropLock) {
      return dropped;
    }
  }

  /** The offset up to which records are durable. */
  public synchronized long durable() {
    return durable;
  }

  /** The oldest offset still kept. */
  public long start() throws IOException {
    List<Long> bases = segments();
    return bases.isEmpty() ? 0 : bases.get(0);
  }

  /**
   * Reads durable records from {@code from} (an offset a record starts at, or a committed offset)
   * to the current durable end, calling {@code sink} with each; returns the offset after the last
   * record read. Records deleted by retention are skipped (and reported).
   */
  public long read(long from, Sink sink) throws IOException {
    Event e = new Event();
    return readRaw(
        from,
        (data, off, len, offset, next) -> {
          EventCodec.decode(data, off, len, e);
          sink.accept(e, offset, next);
        });
  }

  /**
   * Like {@link #read}, but hands over each record's encoded bytes ({@link EventCodec}) instead of
   * decoding them: a consumer that decodes on several threads, or keeps the bytes (the store keeps
   * them as the stored event). The array may be referenced after the call; it is not reused.
   */
  public long readRaw(long from, RawSink sink) throws IOException {
    long limit = durable();
    List<Long> bases = segments();
    long pos = from;
    if (!bases.isEmpty() && pos < bases.get(0)) {
      problems.report(
          Problem.warning(
              dir.toString(),
              0,
              pos,
              "offset " + pos + " was deleted by retention; resuming at " + bases.get(0)));
      pos = bases.get(0);
    }
    for (int i = 0; i < bases.size(); i++) {
      long base = bases.get(i);
      long next = i + 1 < bases.size() ? bases.get(i + 1) : Long.MAX_VALUE;
      if (pos >= next || base > limit) {
        continue;
      }
      // Only the durable part from pos on: a consumer polling the active segment must not
      // re-read the whole segment each time.
      long start = Math.max(pos, base);
      byte[] data = readRange(segment(base), start - base, Math.min(next, limit) - start);
      int p = 0;
      while (p + HEADER <= data.length) {
        int len = recordLength(data, p);
        if (len < 0 || p + HEADER + len > data.length || !crcOk(data, p, len)) {
          problems.report(
              Problem.error(
                  segment(base).toString(),
                  0,
                  start - base + p,
                  "damaged record; rest of segment skipped"));
          break;
        }
        long offset = start + p;
        p += HEADER + len;
        sink.accept(data, p - len, len, offset, start + p);
      }
      pos = Math.max(pos, start + p);
      if (i + 1 < bases.size()) {
        pos = Math.max(pos, bases.get(i + 1));
      }
    }
    return Math.min(pos, limit);
  }

  /** Up to {@code n} bytes of {@code file} from {@code at} (fewer when the file is shorter). */
  private static byte[] readRange(Path file, long at, long n) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = Math.max(0, Math.min(n, ch.size() - at));
      if (size > Integer.MAX_VALUE - 16) {
        throw new IOException(file + ": segment larger than 2 GiB");
      }
      ByteBuffer buf = ByteBuffer.allocate((int) size);
      while (buf.hasRemaining()) {
        if (ch.read(buf, at + buf.position()) < 0) {
          break;
        }
      }
      return buf.position() == buf.capacity()
          ? buf.array()
          : java.util.Arrays.copyOf(buf.array(), buf.position());
    }
  }

  /** Receives records read back as their encoded bytes. */
  @FunctionalInterface
  public interface RawSink {
    void accept(byte[] data, int off, int len, long offset, long next) throws IOException;
  }

  /** Receives records read back; the event is reused after the call. */
  @FunctionalInterface
  public interface Sink {
    void accept(Event e, long offset, long next) throws IOException;
  }

  /** Durably records that {@code consumer} has processed everything before {@code offset}. */
  public void commit(String consumer, long offset) throws IOException {
    Path file = dir.resolve("consumers").resolve(consumer + ".offset");
    Path tmp = dir.resolve("consumers").resolve(consumer + ".offset.tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(ByteBuffer.wrap(Long.toString(offset).getBytes(StandardCharsets.US_ASCII)));
      ch.force(true);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The committed offset of {@code consumer}, or the spool's start when it has none. */
  public long committed(String consumer) throws IOException {
    Path file = dir.resolve("consumers").resolve(consumer + ".offset");
    if (!Files.exists(file)) {
      return start();
    }
    return Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim());
  }

  /**
   * Deletes the whole closed segments that end at or before {@code offset} (everything in them was
   * consumed); returns how many. The active segment is never deleted.
   */
  public synchronized int deleteBefore(long offset) throws IOException {
    List<Long> bases = segments();
    int deleted = 0;
    for (int i = 0; i < bases.size() - 1; i++) {
      if (bases.get(i + 1) > offset) {
        break;
      }
      Files.delete(segment(bases.get(i)));
      deleted++;
    }
    return deleted;
  }

  /** The first offsets of the segments, oldest first. */
  public synchronized List<Long> segmentBases() throws IOException {
    return List.copyOf(segments());
  }

  /** The bytes the segments hold on disk. */
  public synchronized long bytes() throws IOException {
    long total = 0;
    for (long b : segments()) {
      total += Files.size(segment(b));
    }
    return total + buffer.position();
  }

  /** Deletes whole closed segments beyond the size or age limit; returns how many. */
  public synchronized int applyRetention(Instant now) throws IOException {
    List<Long> bases = segments();
    long total = 0;
    for (long b : bases) {
      total += Files.size(segment(b));
    }
    int deleted = 0;
    for (int i = 0; i < bases.size() - 1; i++) { // never the active segment
      Path f = segment(bases.get(i));
      boolean old =
          Files.getLastModifiedTime(f).toInstant().isBefore(now.minus(options.retentionAge()));
      if (total > options.retentionBytes() || old) {
        total -= Files.size(f);
        Files.delete(f);
        deleted++;
      } else {
        break;
      }
    }
    return deleted;
  }

  private List<Long> segments() throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(SUFFIX))
          .map(n -> Long.parseLong(n.substring(0, n.length() - SUFFIX.length())))
          .sorted()
          .collect(java.util.stream.Collectors.toCollection(ArrayList::new));
    }
  }

  private Path segment(long base) {
    return dir.resolve(String.format("%020d%s", base, SUFFIX));
  }

  @Override
  public synchronized void close() throws IOException {
    try {
      if (failure == null) {
        sync();
      }
      active.close();
    } finally {
      if (lockFile != null) {
        lockFile.close(); // releases the lock
      }
    }
  }
}
