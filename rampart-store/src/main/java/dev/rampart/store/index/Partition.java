package dev.rampart.store.index;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * One UTC day of events: a Lucene index in its own folder, so that retention deletes whole days.
 * The writer opens on the first event of the day and the reader on the first search; each commit
 * records how far into the spool (and the import sequence) the index holds every event of its day.
 */
public final class Partition implements Closeable {
  /** Commit data keys: the spool offset (exclusive) and import sequence (exclusive) covered. */
  public static final String SPOOL = "spool";

  public static final String IMPORT = "import";

  private final LocalDate day;
  private final Path dir;
  private final Directory directory;
  private final double ramBufferMb;
  private IndexWriter writer;
  private DirectoryReader reader;
  private Map<String, String> committed;
  // committed(SPOOL) as a number: the indexer checks it for every event it adds.
  private volatile long committedSpool;
  private boolean dirty;

  Partition(LocalDate day, Path dir, double ramBufferMb) throws IOException {
    this.day = day;
    this.dir = dir;
    this.ramBufferMb = ramBufferMb;
    Files.createDirectories(dir);
    this.directory = FSDirectory.open(dir);
    this.committed =
        DirectoryReader.indexExists(directory)
            ? SegmentInfos.readLatestCommit(directory).getUserData()
            : Map.of();
    this.committedSpool = committed(SPOOL);
  }

  public LocalDate day() {
    return day;
  }

  public Path dir() {
    return dir;
  }

  /** The committed spool offset: every event below it is in this day's last commit. */
  public long committedSpool() {
    return committedSpool;
  }

  /** The committed value of {@code key} ({@link #SPOOL}, {@link #IMPORT}), or 0. */
  public synchronized long committed(String key) {
    String v = committed.get(key);
    return v == null ? 0 : Long.parseLong(v);
  }

  synchronized IndexWriter writer() throws IOException {
    if (writer == null) {
      IndexWriterConfig c = new IndexWriterConfig(Analysis.analyzer());
      c.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
      c.setRAMBufferSizeMB(ramBufferMb);
      c.setCommitOnClose(false); // only commit() records how far the index is: see commit
      TieredMergePolicy mp = new TieredMergePolicy();
      mp.setSegmentsPerTier(16); // fewer, later merges: indexing throughput over search warmth
      c.setMergePolicy(mp);
      ConcurrentMergeScheduler ms = new ConcurrentMergeScheduler();
      ms.setMaxMergesAndThreads(2, 1);
      c.setMergeScheduler(ms);
      writer = new IndexWriter(directory, c);
    }
    dirty = true;
    return writer;
  }

  /**
   * Writes one of the writer's in-memory buffers to a segment on the calling thread; false when
   * none was left. Threads calling it at once write different buffers, so a commit's flush (the
   * bulk of its work) uses every core instead of the committing thread alone.
   */
  boolean flushNextBuffer() throws IOException {
    IndexWriter w;
    synchronized (this) {
      w = writer;
    }
    return w != null && w.flushNextBuffer();
  }

  /** Commits the writer (when open) with {@code data}; true when it was open. */
  synchronized boolean commit(Map<String, String> data) throws IOException {
    if (writer == null) {
      return false;
    }
    Map<String, String> all = new HashMap<>(committed);
    all.putAll(data);
    writer.setLiveCommitData(all.entrySet());
    writer.commit();
    committed = Map.copyOf(all);
    committedSpool = committed(SPOOL);
    return true;
  }

  /** Whether events were added since the last call (and resets it). */
  synchronized boolean takeDirty() {
    boolean d = dirty;
    dirty = false;
    return d;
  }

  /** Closes the writer without committing (call after {@link #commit}). */
  synchronized void closeWriter() throws IOException {
    if (writer != null) {
      writer.rollback(); // nothing uncommitted is left after commit(); rollback only closes
      writer = null;
    }
  }

  /** A reader of the last commit, refreshed when a newer commit exists; null when empty. */
  public synchronized DirectoryReader reader() throws IOException {
    if (reader == null) {
      if (!DirectoryReader.indexExists(directory)) {
        return null;
      }
      reader = DirectoryReader.open(directory);
    } else {
      DirectoryReader newer = DirectoryReader.openIfChanged(reader);
      if (newer != null) {
        reader.decRef();
        reader = newer;
      }
    }
    reader.incRef(); // the caller's reference; release with decRef
    return reader;
  }

  /**
   * Whether another writer (a running server's) holds this day's index: retention must not delete
   * it under that writer. False when this process holds it.
   */
  public synchronized boolean lockedElsewhere() throws IOException {
    if (writer != null) {
      return false;
    }
    try (org.apache.lucene.store.Lock lock = directory.obtainLock(IndexWriter.WRITE_LOCK_NAME)) {
      return false;
    } catch (org.apache.lucene.store.LockObtainFailedException held) {
      return true;
    }
  }

  /** Bytes on disk. */
  public long bytes() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.mapToLong(p -> p.toFile().length()).sum();
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (writer != null) {
      writer.rollback();
      writer = null;
    }
    if (reader != null) {
      reader.decRef();
      reader = null;
    }
    directory.close();
  }
}
