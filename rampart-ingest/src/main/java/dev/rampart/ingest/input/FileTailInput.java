package dev.rampart.ingest.input;

import com.google.re2j.Pattern;
import dev.rampart.core.event.FieldNames;
import dev.rampart.ingest.parse.ParseOptions;
import dev.rampart.ingest.parse.Parser;
import dev.rampart.ingest.parse.Parsers;
import dev.rampart.ingest.parse.RecordJoiner;
import dev.rampart.ingest.parse.TextLogReader;
import dev.rampart.ingest.pipeline.Pipeline;
import dev.rampart.ingest.spool.Spool;
import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * Follows log files matching a glob. Files are known by their inode, so a rename (logrotate's
 * default) keeps the old file's position and the new file starts at 0; a file that shrinks
 * (copytruncate) starts again at 0; a compressed rotation ({@code auth.log.2.gz}, which a glob such
 * as {@code auth.log*} matches) holds lines read before and is passed over. A followed file stays
 * open between polls, so one renamed out of the glob or deleted (logrotate compressing at once,
 * without {@code delaycompress}) is still read to its end. Lines are joined into events by an
 * optional multi-line rule (a regex that matches the first line of each event; other lines join the
 * one before).
 *
 * <p>Positions are checkpointed only after the pipeline has spooled (and fsynced) the lines, and
 * every event carries {@code log.file.path}, {@code log.file.inode} and {@code log.offset}; on
 * start the checkpoint is moved past anything the spool already holds beyond it. So a restart, even
 * after kill -9 between spooling and checkpointing, neither loses nor repeats a line.
 */
public final class FileTailInput implements Closeable {
  /**
   * @param glob files to follow, e.g. {@code /var/log/*.log}
   * @param checkpoints where positions are kept
   * @param firstLine multi-line rule: regex (RE2 syntax) for the first line of an event, or null
   *     (one line = one event). RE2 matches in time linear in the line, so a line crafted against
   *     the rule (whoever writes to the log controls it) cannot stall the tail
   * @param pollMillis how often to look for new data
   * @param fields added to every event (strings), e.g. the parser a server should apply
   * @param joinAs the parser whose way of joining lines (audit records, a header) the messages keep
   *     when another parses them (the server, for an agent's {@code parse_on: server}); null: the
   *     pipeline's parser, which then also parses them
   * @param maxOpenFiles files kept open between polls at most; beyond it the ones read least
   *     recently give their handle back and are opened again by name when they grow
   */
  public record Options(
      String glob,
      Path checkpoints,
      String firstLine,
      long pollMillis,
      Map<String, String> fields,
      String joinAs,
      int maxOpenFiles) {
    /** Enough for a glob over a busy /var/log; a file descriptor each. */
    public static final int DEFAULT_MAX_OPEN_FILES = 256;

    public Options {
      if (maxOpenFiles < 1) {
        throw new IllegalArgumentException("maxOpenFiles must be at least 1");
      }
    }

    public Options(
        String glob,
        Path checkpoints,
        String firstLine,
        long pollMillis,
        Map<String, String> fields,
        String joinAs) {
      this(glob, checkpoints, firstLine, pollMillis, fields, joinAs, DEFAULT_MAX_OPEN_FILES);
    }

    public Options(String glob, Path checkpoints, String firstLine, long pollMillis) {
      this(glob, checkpoints, firstLine, pollMillis, Map.of());
    }

    public Options(
        String glob,
        Path checkpoints,
        String firstLine,
        long pollMillis,
        Map<String, String> fields) {
      this(glob, checkpoints, firstLine, pollMillis, fields, null);
    }
  }

  private static final int INODE = FieldNames.id("log.file.inode");
  private static final int END = FieldNames.id("rampart.tail.end");

  private final Options options;
  private final Pipeline pipeline;
  private final Pattern firstLine;
  private final Map<String, Long> positions = new HashMap<>(); // inode -> next byte to read
  private final Map<String, Long> lastSize = new HashMap<>(); // inode -> size at the last poll
  // inode -> the bytes just before its position: a copytruncate that refills the file to the
  // same size (or more) changes them, which the size alone cannot show.
  private final Map<String, String> fingerprints = new HashMap<>();
  private final Thread thread;
  private volatile boolean running = true;
  // inode -> the parser auto chose for it; parsers and parsings by name (the tail's thread only)
  private final Map<String, String> chosenParsers = new HashMap<>();
  private final Map<String, Parser> parsers = new HashMap<>();
  private final Map<String, Pipeline.Parsing> parsings = new HashMap<>();
  // inode -> where the header block in force at its position starts (IIS writes a new one after
  // each restart; Zeek and concatenated files too); checkpointed with the position
  private final Map<String, Long> headers = new HashMap<>();
  // the header block for the position a poll reached, taken with it (-1: none)
  private long nextHeader = -1;
  // inodes of compressed files the glob matches (rotations), never read
  private final java.util.Set<String> compressed = new java.util.HashSet<>();

  /** Bytes read from a file at most per poll. */
  static final int MAX_READ = 1 << 20;

  /** Polls that failed, and the last cause (for metrics and tests). */
  public final java.util.concurrent.atomic.AtomicLong errors =
      new java.util.concurrent.atomic.AtomicLong();

  public volatile Exception lastError;
  public final java.util.concurrent.atomic.AtomicLong lines =
      new java.util.concurrent.atomic.AtomicLong();

  public FileTailInput(Options options, Pipeline pipeline, Spool spool) throws IOException {
    this.options = options;
    this.pipeline = pipeline;
    this.firstLine = options.firstLine() == null ? null : Pattern.compile(options.firstLine());
    load();
    reconcile(spool);
    this.thread = Thread.ofVirtual().name("tail " + options.glob()).start(this::loop);
  }

  private void load() throws IOException {
    if (!Files.exists(options.checkpoints())) {
      return;
    }
    Properties p = new Properties();
    try (var in = Files.newInputStream(options.checkpoints())) {
      p.load(in);
    }
    for (String k : p.stringPropertyNames()) {
      if (k.endsWith(".tail")) {
        fingerprints.put(k.substring(0, k.length() - 5), p.getProperty(k));
      } else if (k.endsWith(".header")) {
        headers.put(k.substring(0, k.length() - 7), Long.parseLong(p.getProperty(k)));
      } else {
        positions.put(k, Long.parseLong(p.getProperty(k)));
      }
    }
  }

  /** Moves positions past events the spool holds beyond the checkpoint (a crash in between). */
  private void reconcile(Spool spool) throws IOException {
    Map<String, Long> ends = new HashMap<>();
    Map<String, String> paths = new HashMap<>();
    spool.read(
        spool.start(),
        (e, off, next) -> {
          int i = e.indexOf(INODE);
          int o = e.indexOf(END);
          if (i >= 0 && o >= 0) {
            String inode = e.text(i);
            if (ends.merge(inode, e.longValue(o), Math::max) == e.longValue(o)) {
              paths.put(inode, e.getText("log.file.path"));
            }
          }
        });
    for (Map.Entry<String, Long> x : ends.entrySet()) {
      String inode = x.getKey();
      if (x.getValue() > positions.getOrDefault(inode, 0L)) {
        positions.put(inode, x.getValue());
        Path f = paths.get(inode) == null ? null : Path.of(paths.get(inode));
        if (f != null
            && Files.exists(f)
            && inode.equals(String.valueOf(Files.getAttribute(f, "unix:ino")))) {
          fingerprints.put(inode, fingerprint(f, x.getValue()));
        } else {
          fingerprints.remove(inode);
        }
      }
    }
  }

  private void loop() {
    while (running) {
      try {
        boolean any = false;
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Path f : files()) {
          any |= follow(f, seen);
        }
        any |= finishGone(seen);
        closeLeastRecentlyRead(seen);
        if (!any) {
          Thread.sleep(options.pollMillis());
        }
      } catch (InterruptedException e) {
        closeHandles();
        return;
      } catch (IOException | RuntimeException e) {
        // A file that vanished between listing and reading, a spool error: try again next poll,
        // and keep the cause visible.
        errors.incrementAndGet();
        lastError = e;
        try {
          Thread.sleep(options.pollMillis());
        } catch (InterruptedException ie) {
          closeHandles();
          return;
        }
      }
    }
    closeHandles();
  }

  /** An open file the tail follows, under the name it was last seen by. */
  private record Handle(Path path, RandomAccessFile raf) {}

  private final Map<String, Long> lastRead = new HashMap<>(); // inode -> the poll it last grew in
  private long polls;
  private volatile int openFiles;

  // inode -> its open file, kept between polls (the tail's thread only): a file logrotate renames
  // and compresses at once (no delaycompress) is gone before the next poll, but what was written
  // to it after the last poll can still be read through a handle opened before.
  private final Map<String, Handle> handles = new HashMap<>();

  /**
   * Reads the rest of the files followed until now that the glob no longer lists (renamed out of
   * it, or deleted), through their open handles; a handle with nothing left is closed.
   */
  private boolean finishGone(java.util.Set<String> seen) throws IOException, InterruptedException {
    boolean any = false;
    for (String inode : List.copyOf(handles.keySet())) {
      if (!seen.contains(inode)) {
        Handle h = handles.get(inode);
        boolean read = read(h, inode);
        if (!read) {
          forget(inode);
        }
        any |= read;
      }
    }
    return any;
  }

  /**
   * Gives back the handles of listed files read least recently beyond {@code maxOpenFiles}; they
   * open again by name when they grow. Handles are not given back by age alone: a quiet log that
   * logrotate renames, compresses and removes between two polls (no {@code delaycompress}) is read
   * to its end only through a handle opened before. Files gone from the glob keep theirs until read
   * to the end.
   */
  private void closeLeastRecentlyRead(java.util.Set<String> listed) {
    polls++;
    int excess = handles.size() - options.maxOpenFiles();
    if (excess > 0) {
      handles.keySet().stream()
          .filter(listed::contains)
          .sorted(java.util.Comparator.comparingLong(i -> lastRead.getOrDefault(i, 0L)))
          .limit(excess)
          .toList()
          .forEach(this::forget);
    }
    openFiles = handles.size();
  }

  /** Files held open now (at the end of the last poll). */
  public int openFiles() {
    return openFiles;
  }

  private void forget(String inode) {
    Handle h = handles.remove(inode);
    lastRead.remove(inode);
    if (h != null) {
      try {
        h.raf().close();
      } catch (IOException ignored) {
        // read-only: nothing to lose
      }
    }
  }

  private void closeHandles() {
    for (String inode : List.copyOf(handles.keySet())) {
      forget(inode);
    }
  }

  private List<Path> files() throws IOException {
    Path glob = Path.of(options.glob());
    Path dir = glob.getParent();
    PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob.getFileName());
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(p -> m.matches(p.getFileName())).sorted().toList();
    }
  }

  /** Reads what is new in one file the glob lists; returns whether there was anything. */
  private boolean follow(Path f, java.util.Set<String> seen)
      throws IOException, InterruptedException {
    // The inode before and after opening: the same, so the handle is that file's and not one a
    // rotation put in its place meanwhile (a handle is kept, so a mix-up would last).
    String inode;
    RandomAccessFile fresh;
    try {
      inode = String.valueOf(Files.getAttribute(f, "unix:ino"));
      fresh = new RandomAccessFile(f.toFile(), "r");
    } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException gone) {
      return false; // removed since the listing
    }
    try {
      if (!inode.equals(String.valueOf(Files.getAttribute(f, "unix:ino")))) {
        fresh.close();
        return true; // rotated this instant: the next pass sees both files as they are
      }
    } catch (java.nio.file.NoSuchFileException gone) {
      fresh.close();
      return false; // removed this instant; the next pass reads what remains
    } catch (IOException | RuntimeException e) {
      fresh.close();
      throw e;
    }
    seen.add(inode);
    Handle h = handles.get(inode);
    if (h == null) {
      h = new Handle(f, fresh); // read least recently until it grows: the first to give back
    } else {
      fresh.close(); // the handle opened before reads the same file
      h = new Handle(f, h.raf()); // under the name it has now
    }
    handles.put(inode, h);
    return read(h, inode);
  }

  /**
   * Reads what is new in a followed file through its handle; returns whether there was anything.
   * The handle stays on the same file (inode) even when the path is renamed meanwhile, so positions
   * and fingerprints never mix two files. A failing or compressed file's handle is closed (the next
   * poll opens it again by name).
   */
  private boolean read(Handle h, String inode) throws IOException, InterruptedException {
    try {
      boolean any = readFrom(h.path(), h.raf(), inode);
      if (any) {
        lastRead.put(inode, polls);
      }
      if (compressed.contains(inode)) {
        forget(inode);
      }
      return any;
    } catch (IOException | RuntimeException e) {
      forget(inode);
      throw e;
    }
  }

  private boolean readFrom(Path f, RandomAccessFile raf, String inode)
      throws IOException, InterruptedException {
    List<CompletableFuture<Void>> acks = new ArrayList<>();
    nextHeader = -1;
    long pos;
    long consumed;
    String fingerprint;
    long size = raf.length();
    pos = positions.getOrDefault(inode, 0L);
    String known = fingerprints.get(inode);
    if (size < pos || pos > 0 && known != null && !fingerprint(raf, pos).equals(known)) {
      pos = 0; // copytruncate: the file was emptied and refilled
      positions.put(inode, 0L);
    }
    if (size == pos || compressed.contains(inode)) {
      return false;
    }
    if (pos == 0 && compressed(raf)) {
      // logrotate's auth.log.2.gz: lines this tail read from the live file, compressed; a
      // glob such as auth.log* matches it, and its bytes are no lines
      compressed.add(inode);
      return false;
    }
    consumed = pos;
    String parser = parserOf(inode, raf, size);
    RecordJoiner joiner = joinerOf(parser);
    raf.seek(pos);
    byte[] buf = new byte[(int) Math.min(MAX_READ, size - pos)];
    raf.readFully(buf);
    Long previous = lastSize.put(inode, size);
    if (indexOf(buf, (byte) '\n') < 0 && buf.length == MAX_READ) {
      // A line longer than a read never ends within one: passed on in pieces of a read each,
      // rather than read again at every poll for ever.
      acks.add(
          submit(f, inode, new String(buf, StandardCharsets.UTF_8), pos, pos + MAX_READ, null));
      consumed = pos + MAX_READ;
    } else if (joiner != null) {
      boolean idle = previous != null && previous == size && buf[buf.length - 1] == '\n';
      // joined for another to parse: sent as text, which the pipeline's raw parser keeps
      Pipeline.Parsing parsing = options.joinAs() != null ? null : parsing(parser);
      consumed = joined(f, inode, raf, pos, buf, idle, joiner, parsing, acks);
    } else {
      consumed = lines(f, inode, pos, buf, previous != null && previous == size, acks);
    }
    fingerprint = fingerprint(raf, consumed);
    for (CompletableFuture<Void> a : acks) {
      try {
        a.get();
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IOException("spool failed", e.getCause());
      }
    }
    if (consumed > pos) {
      positions.put(inode, consumed);
      if (nextHeader >= 0) {
        headers.put(inode, nextHeader);
      }
      fingerprints.put(inode, fingerprint);
      save();
      return true;
    }
    return false;
  }

  /**
   * Sends the lines of {@code buf} (read at {@code pos}) one by one, or as events of the multi-line
   * rule; returns the position after the last one sent.
   */
  private long lines(
      Path f, String inode, long pos, byte[] buf, boolean idle, List<CompletableFuture<Void>> acks)
      throws InterruptedException {
    long consumed = pos;
    int start = 0;
    StringBuilder event = null;
    long eventOffset = pos;
    for (int i = 0; i < buf.length; i++) {
      if (buf[i] != '\n') {
        continue;
      }
      String line = new String(buf, start, i - start, StandardCharsets.UTF_8);
      long lineOffset = pos + start;
      start = i + 1;
      if (firstLine == null) {
        acks.add(submit(f, inode, line, lineOffset, pos + start, null));
        consumed = pos + start;
        continue;
      }
      if (event != null && firstLine.matcher(line).find()) {
        acks.add(submit(f, inode, event.toString(), eventOffset, lineOffset, null));
        consumed = lineOffset;
        event = null;
      }
      if (event == null) {
        event = new StringBuilder(line);
        eventOffset = lineOffset;
      } else {
        event.append('\n').append(line);
      }
    }
    // With a multi-line rule the last event may still grow: it is sent when the next event
    // starts, or once the file has not grown for a poll; a partial last line (no newline yet)
    // always waits.
    if (event != null && start == buf.length && idle) {
      acks.add(submit(f, inode, event.toString(), eventOffset, pos + start, null));
      consumed = pos + start;
    }
    return consumed;
  }

  /**
   * A joined message waiting to be sent: its text, where it starts, and the checkpoint after it.
   */
  private record Pending(String text, long offset, long[] end) {}

  /**
   * Sends the messages that {@code joiner} makes of the lines of {@code buf} (read at {@code pos}):
   * audit records joined by serial, Zeek lines with their header. Only up to the last line after
   * which the joiner held nothing open, so that the next poll, which reads again from there, sends
   * nothing twice; an event still open is sent when it completes, or as it is once the file has not
   * grown for a poll ({@code idle}) or a whole read passes without such a line. Returns that line's
   * end, the new checkpoint.
   */
  private long joined(
      Path f,
      String inode,
      RandomAccessFile raf,
      long pos,
      byte[] buf,
      boolean idle,
      RecordJoiner joiner,
      Pipeline.Parsing parsing,
      List<CompletableFuture<Void>> acks)
      throws IOException, InterruptedException {
    // where each line the joiner took starts (its line numbers count from 1), header lines first
    long[] starts = new long[64];
    int taken = 0;
    long block = headers.getOrDefault(inode, 0L);
    if (pos > block) {
      for (long[] h : header(raf, block, pos)) {
        joiner.accept(new String(readAt(raf, h[0], (int) (h[1] - h[0])), StandardCharsets.UTF_8));
        starts = grow(starts, taken);
        starts[taken++] = h[0];
      }
    }
    List<Pending> pending = new ArrayList<>();
    int settled = 0;
    long quiet = pos;
    long quietBlock = block;
    long lineBlock = block;
    boolean inHeader = false;
    int start = 0;
    for (int i = 0; i < buf.length; i++) {
      if (buf[i] != '\n') {
        continue;
      }
      String line = new String(buf, start, i - start, StandardCharsets.UTF_8);
      starts = grow(starts, taken);
      starts[taken++] = pos + start;
      boolean header = !line.isEmpty() && line.charAt(0) == '#';
      if (header && !inHeader) {
        lineBlock = pos + start; // a new block of header lines starts here
      }
      inHeader = header;
      start = i + 1;
      for (RecordJoiner.Joined d : joiner.accept(line)) {
        pending.add(new Pending(d.text(), starts[(int) d.line() - 1], new long[1]));
      }
      if (!joiner.holding()) {
        for (int k = settled; k < pending.size(); k++) {
          pending.get(k).end()[0] = pos + start;
        }
        settled = pending.size();
        quiet = pos + start;
        quietBlock = lineBlock;
      }
    }
    if (idle || (quiet == pos && buf.length == MAX_READ)) {
      for (RecordJoiner.Joined d : joiner.flush()) {
        pending.add(new Pending(d.text(), starts[(int) d.line() - 1], new long[1]));
      }
      for (int k = settled; k < pending.size(); k++) {
        pending.get(k).end()[0] = pos + start;
      }
      settled = pending.size();
      quiet = pos + start;
      quietBlock = lineBlock;
    }
    for (int k = 0; k < settled; k++) {
      Pending m = pending.get(k);
      acks.add(submit(f, inode, m.text(), m.offset(), m.end()[0], parsing));
    }
    nextHeader = quietBlock; // kept with the position, once these are spooled
    return quiet;
  }

  private static long[] grow(long[] a, int used) {
    return used < a.length ? a : java.util.Arrays.copyOf(a, a.length * 2);
  }

  /**
   * The header lines in force for a file read from {@code pos} on (Zeek's {@code #fields} and
   * {@code #types}, IIS's {@code #Fields:}, which the data lines need): the lines starting with
   * {@code #} from {@code block}, where the last block of them began, before the first line that
   * does not, within 64 KiB; each as its start and end offset.
   */
  private static List<long[]> header(RandomAccessFile raf, long block, long pos)
      throws IOException {
    List<long[]> lines = new ArrayList<>();
    byte[] head = readAt(raf, block, (int) Math.min(pos - block, 1 << 16));
    int start = 0;
    for (int i = 0; i < head.length && head[start] == '#'; i++) {
      if (head[i] == '\n') {
        lines.add(new long[] {block + start, block + i});
        start = i + 1;
        if (start >= head.length) {
          break;
        }
      }
    }
    return lines;
  }

  private static byte[] readAt(RandomAccessFile raf, long at, int n) throws IOException {
    byte[] b = new byte[n];
    raf.seek(at);
    raf.readFully(b);
    return b;
  }

  private static int indexOf(byte[] b, byte x) {
    for (int i = 0; i < b.length; i++) {
      if (b[i] == x) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The parser a file is read with: the pipeline's, or with {@code auto} the one its first lines
   * choose (an audit log or a Zeek TSV log read by its own, as {@code rampart ingest} does), chosen
   * once per file when it has a line.
   */
  private String parserOf(String inode, RandomAccessFile raf, long size) throws IOException {
    String configured = options.joinAs() != null ? options.joinAs() : pipeline.parser();
    if (!configured.equals("auto")) {
      return configured;
    }
    String chosen = chosenParsers.get(inode);
    if (chosen != null) {
      return chosen;
    }
    byte[] head = readAt(raf, 0, (int) Math.min(size, 1 << 16));
    List<String> sample = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < head.length && sample.size() < 50; i++) {
      if (head[i] == '\n') {
        sample.add(new String(head, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    if (sample.isEmpty()) {
      return configured; // nothing to choose by yet
    }
    chosen = TextLogReader.choose(sample, ParseOptions.defaults()).name();
    chosenParsers.put(inode, chosen);
    return chosen;
  }

  private RecordJoiner joinerOf(String parser) {
    Parser p = parsers.computeIfAbsent(parser, n -> Parsers.named(n, ParseOptions.defaults()));
    return p == null ? null : p.joiner();
  }

  /** What messages of a file read with {@code parser} say: null when it is the pipeline's. */
  private Pipeline.Parsing parsing(String parser) {
    return parser.equals(pipeline.parser())
        ? null
        : parsings.computeIfAbsent(parser, n -> new Pipeline.Parsing(n, ParseOptions.defaults()));
  }

  /** Whether the file starts with gzip's or zstd's magic bytes. */
  private static boolean compressed(RandomAccessFile raf) throws IOException {
    byte[] head = new byte[(int) Math.min(4, raf.length())];
    raf.seek(0);
    raf.readFully(head);
    return dev.rampart.core.io.InputFiles.sniff(new java.io.ByteArrayInputStream(head))
        != dev.rampart.core.io.InputFiles.Compression.NONE;
  }

  /** Up to 32 bytes before {@code pos}, as hex. */
  private static String fingerprint(Path f, long pos) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "r")) {
      return fingerprint(raf, pos);
    }
  }

  private static String fingerprint(RandomAccessFile raf, long pos) throws IOException {
    if (raf.length() < pos) {
      return "";
    }
    int n = (int) Math.min(32, pos);
    byte[] b = new byte[n];
    raf.seek(pos - n);
    raf.readFully(b);
    return java.util.HexFormat.of().formatHex(b);
  }

  private CompletableFuture<Void> submit(
      Path f, String inode, String text, long offset, long end, Pipeline.Parsing parsing)
      throws InterruptedException {
    lines.incrementAndGet();
    CompletableFuture<Void> ack = new CompletableFuture<>();
    pipeline.submit(
        new Pipeline.Message(text, "file", "", ack, extra(f, inode, offset, end), parsing, null));
    return ack;
  }

  private Map<String, Object> extra(Path f, String inode, long offset, long end) {
    Map<String, Object> m =
        new java.util.LinkedHashMap<>(
            Map.of(
                "log.file.path", f.toString(),
                "log.file.inode", inode,
                "log.offset", offset,
                "rampart.tail.end", end));
    m.putAll(options.fields());
    return m;
  }

  private void save() throws IOException {
    Properties p = new Properties();
    positions.forEach((k, v) -> p.setProperty(k, Long.toString(v)));
    fingerprints.forEach((k, v) -> p.setProperty(k + ".tail", v));
    headers.forEach((k, v) -> p.setProperty(k + ".header", Long.toString(v)));
    Path tmp = options.checkpoints().resolveSibling(options.checkpoints().getFileName() + ".tmp");
    try (var out = Files.newOutputStream(tmp)) {
      p.store(out, "rampart file tail positions: inode=next byte");
    }
    Files.move(
        tmp,
        options.checkpoints(),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
