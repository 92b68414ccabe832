package dev.rampart.ingest.files;

import dev.rampart.core.event.Event;
import dev.rampart.core.io.InputFiles;
import dev.rampart.core.io.Problem;
import dev.rampart.core.io.ProblemSink;
import dev.rampart.core.json.JsonEventReader;
import dev.rampart.core.json.ReadOptions;
import dev.rampart.core.normalize.Normalizers;
import dev.rampart.evtx.Evtx;
import dev.rampart.evtx.EvtxEvents;
import dev.rampart.ingest.parse.ParseError;
import dev.rampart.ingest.parse.ParseOptions;
import dev.rampart.ingest.parse.RecordJoiner;
import dev.rampart.ingest.parse.TextLogReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Log files of every kind Rampart reads, as normalized events: Windows {@code .evtx}, JSON (lines,
 * arrays, whole documents such as CloudTrail's), and text logs through the parsers (syslog, auditd,
 * CEF, ...; recognised per file unless one is named). Compression and the kind are recognised by
 * the content, so a renamed file reads the same (a file named {@code .evtx} is read as EVTX, in
 * ranges of chunks a caller may spread over threads). What {@code rampart hunt}, {@code rampart
 * hunt --anomalies} and {@code rampart events} read files with.
 */
public final class LogFiles {
  private LogFiles() {}

  /**
   * How files are read: the parser for text logs ({@code auto} recognises it) and its options, and
   * whether JSON events are normalized (ECS names beside the native ones; EVTX records and parsed
   * lines always are, since their fields are made by the reading).
   */
  public record Options(String parser, ParseOptions parse, boolean normalizeJson) {
    public static final Options DEFAULTS = new Options("auto", ParseOptions.defaults(), true);

    public Options withParser(String name) {
      return new Options(name, parse, normalizeJson);
    }

    public Options withParse(ParseOptions p) {
      return new Options(parser, p, normalizeJson);
    }

    public Options withNormalizeJson(boolean normalize) {
      return new Options(parser, parse, normalize);
    }
  }

  /** What a file turned out to be. */
  public enum Kind {
    EVTX,
    JSON,
    TEXT,
    /** Linux login records (wtmp, btmp), known by name and their first record. */
    UTMP,
    /** Not text (NUL bytes at its start): skipped, said once. */
    BINARY
  }

  /**
   * Receives each event (reused between calls): {@code line} of a text or JSON file, or a record
   * number (an EVTX record id, a login record's place in its file) with its byte {@code offset} (-1
   * otherwise).
   */
  @FunctionalInterface
  public interface Sink {
    void accept(Event e, long line, long offset) throws IOException;
  }

  /**
   * Receives a text log's messages unparsed (a line, or lines joined: audit records by serial, a
   * Zeek line with its header) with the line each starts on and the parser and options that read
   * them, for a caller that parses elsewhere (the ingest pipeline, on every core).
   */
  @FunctionalInterface
  public interface MessageSink {
    void accept(String text, long line, String parser, ParseOptions options) throws IOException;
  }

  /**
   * How a file was read: its kind, the parser (text logs), the events, and the lines of a text log
   * its parser did not recognise, which were passed on as their text ({@code message}) with {@code
   * rampart.parse_error} rather than dropped; the first of them with why.
   */
  public record Result(
      Kind kind,
      String parser,
      long events,
      long unparsed,
      long firstUnparsedLine,
      ParseError why) {}

  /**
   * Reads {@code file} (an EVTX file only the chunks of {@code range} when one is given) into
   * {@code sink}. Damaged EVTX records and JSON that cannot be read go to {@code problems} with
   * where; a text log's unparsed lines are counted in the result (they are events too).
   */
  public static Result read(
      Path file, Evtx.Range range, Options options, ProblemSink problems, Sink sink)
      throws IOException {
    return read(file, range, options, problems, sink, null);
  }

  /**
   * As {@link #read(Path, Evtx.Range, Options, ProblemSink, Sink)}, but a text log's messages go
   * unparsed to {@code messages} when it is not null (the result then counts messages as events,
   * and none as unparsed: the parsing is the caller's).
   */
  public static Result read(
      Path file,
      Evtx.Range range,
      Options options,
      ProblemSink problems,
      Sink sink,
      MessageSink messages)
      throws IOException {
    String name = name(file);
    Kind kind = kind(file);
    if (kind == Kind.EVTX) {
      long[] n = {0};
      // The EVTX reader's sink throws nothing (and takes an exception from it for a bad record):
      // the first failure to take an event is kept, the rest of the file passed over, and thrown.
      IOException[] failed = {null};
      EvtxEvents converter =
          new EvtxEvents(
              name,
              problems,
              (e, record, offset) -> {
                if (failed[0] == null) {
                  try {
                    sink.accept(e, record, offset);
                    n[0]++;
                  } catch (IOException ex) {
                    failed[0] = ex;
                  }
                }
              });
      // one thread reads the whole file in one pass (ranges are for callers that spread them)
      Evtx.read(
          range != null ? range : new Evtx.Range(file, 0, Integer.MAX_VALUE),
          problems,
          converter::add);
      converter.flush();
      if (failed[0] != null) {
        throw failed[0];
      }
      return new Result(Kind.EVTX, null, n[0], 0, 0, null);
    }
    if (kind == Kind.UTMP) {
      try (InputStream in = InputFiles.open(file)) {
        boolean failures =
            file.getFileName().toString().toLowerCase(Locale.ROOT).startsWith("btmp")
                || file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".btmp");
        return new Result(kind, null, Utmp.read(in, name, failures, problems, sink), 0, 0, null);
      }
    }
    try (InputStream in = openText(file)) {
      Event e = new Event();
      long events = 0;
      // A caller that parses (the ingest pipeline) takes JSON lines as messages for its json
      // parser: parsed on every core, and a bad line kept (dead-lettered) rather than only said.
      boolean jsonLines = kind == Kind.JSON && messages != null && jsonLines(in);
      String parser = jsonLines ? "json" : options.parser();
      switch (jsonLines ? Kind.TEXT : kind) {
        case BINARY -> {
          problems.report(
              Problem.warning(
                  name, 0, 0, "not text (NUL bytes at its start) nor EVTX: not a log, skipped"));
          return new Result(kind, null, 0, 0, 0, null);
        }
        case JSON -> {
          try (JsonEventReader reader =
              new JsonEventReader(in, name, ReadOptions.DEFAULTS, problems)) {
            while (reader.next(e)) {
              if (options.normalizeJson()) {
                Normalizers.normalize(e);
              }
              events++;
              sink.accept(e, reader.recordLine(), -1);
            }
          }
          return new Result(kind, null, events, 0, 0, null);
        }
        default -> {
          long unparsed = 0;
          long firstLine = 0;
          ParseError why = null;
          ParseOptions parse = yearsBefore(file, options.parse());
          try (TextLogReader reader =
              new TextLogReader(
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16),
                  parser,
                  parse)) {
            RecordJoiner.Joined m;
            while (messages != null && (m = reader.nextMessage()) != null) {
              events++;
              messages.accept(m.text(), m.line(), reader.parser(), parse);
            }
            while (messages == null && reader.next(e)) {
              if (reader.error() != null) {
                if (unparsed++ == 0) {
                  firstLine = reader.line();
                  why = reader.error();
                }
              }
              events++;
              sink.accept(e, reader.line(), -1);
            }
            if (reader.cutLines() > 0) {
              problems.report(
                  Problem.error(
                      name,
                      reader.firstCutLine(),
                      -1,
                      String.format(
                          "%,d lines longer than %,d characters were cut there (the rest of each"
                              + " is not read)",
                          reader.cutLines(), TextLogReader.MAX_LINE)));
            }
            return new Result(kind, reader.parser(), events, unparsed, firstLine, why);
          }
        }
      }
    }
  }

  /** What {@code file} is, by its content (see {@link Kind}). */
  public static Kind kind(Path file) throws IOException {
    if (Evtx.isEvtx(file)) {
      return Kind.EVTX;
    }
    try (InputStream in = InputFiles.open(file)) {
      if (Utmp.named(file.getFileName().toString())) {
        in.mark(Utmp.RECORD);
        byte[] head = in.readNBytes(Utmp.RECORD);
        in.reset();
        if (Utmp.looksLikeRecord(head)) {
          return Kind.UTMP;
        }
      }
      return sniff(utf8(in));
    }
  }

  /**
   * Opens {@code file} for its text as UTF-8 bytes: decompressed, and transcoded when it is UTF-16
   * with a byte order mark, as Windows PowerShell 5 writes every {@code >} redirection and {@code
   * Out-File} ({@code Get-WinEvent ... | ConvertTo-Json > events.json}), whose NUL bytes would
   * otherwise make it binary.
   */
  public static InputStream openText(Path file) throws IOException {
    InputStream in = InputFiles.open(file);
    try {
      return utf8(in);
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  /** {@code in} (mark-supporting), transcoded to UTF-8 when it starts with a UTF-16 BOM. */
  private static InputStream utf8(InputStream in) throws IOException {
    in.mark(2);
    byte[] bom = in.readNBytes(2);
    in.reset();
    boolean utf16 =
        bom.length == 2
            && (((bom[0] & 0xff) == 0xff && (bom[1] & 0xff) == 0xfe)
                || ((bom[0] & 0xff) == 0xfe && (bom[1] & 0xff) == 0xff));
    if (!utf16) {
      return in;
    }
    return new java.io.BufferedInputStream(
        org.apache.commons.io.input.ReaderInputStream.builder()
            .setReader(new InputStreamReader(in, StandardCharsets.UTF_16)) // the BOM says which
            .setCharset(StandardCharsets.UTF_8)
            .get(),
        1 << 16);
  }

  /**
   * The parse options for {@code file}: a line without a year (classic syslog) is no later than the
   * file's last write, so a copy of a 2019 disk's {@code auth.log.2.gz} reads as 2019, not as the
   * year the hunt runs in.
   */
  public static ParseOptions yearsBefore(Path file, ParseOptions o) throws IOException {
    Instant written = Files.getLastModifiedTime(file).toInstant();
    return written.isBefore(o.now()) ? new ParseOptions(o.zone(), written) : o;
  }

  /**
   * Whether a JSON stream is one object per line: its first non-blank line (within 64 KiB) opens
   * and closes an object. A pretty-printed document or an array is not.
   */
  private static boolean jsonLines(InputStream in) throws IOException {
    int limit = 1 << 16;
    in.mark(limit);
    byte[] head = in.readNBytes(limit);
    in.reset();
    int i = 0;
    if (head.length >= 3 && (head[0] & 0xff) == 0xef && (head[1] & 0xff) == 0xbb) {
      i = 3; // a byte order mark
    }
    while (i < head.length && Character.isWhitespace(head[i])) {
      i++;
    }
    int end = i;
    while (end < head.length && head[end] != '\n') {
      end++;
    }
    if (end == head.length && head.length == limit) {
      return false; // a first line longer than that: read as a document
    }
    while (end > i && Character.isWhitespace(head[end - 1])) {
      end--;
    }
    return end > i && head[i] == '{' && head[end - 1] == '}';
  }

  private static final byte[] EVTX_MAGIC = "ElfFile\0".getBytes(StandardCharsets.US_ASCII);

  /**
   * Peeks at a decompressed stream's first bytes: EVTX by its signature, JSON when the first
   * character after a byte order mark and white space opens an object or an array, binary when a
   * NUL byte is among them, text otherwise.
   */
  static Kind sniff(InputStream in) throws IOException {
    in.mark(4096);
    byte[] head = in.readNBytes(4096);
    in.reset();
    if (head.length >= EVTX_MAGIC.length
        && java.util.Arrays.equals(head, 0, EVTX_MAGIC.length, EVTX_MAGIC, 0, EVTX_MAGIC.length)) {
      return Kind.EVTX;
    }
    int i = 0;
    if (head.length >= 3
        && (head[0] & 0xff) == 0xef
        && (head[1] & 0xff) == 0xbb
        && (head[2] & 0xff) == 0xbf) {
      i = 3;
    }
    for (byte b : head) {
      if (b == 0) {
        return Kind.BINARY;
      }
    }
    while (i < head.length && Character.isWhitespace(head[i])) {
      i++;
    }
    return i < head.length && (head[i] == '{' || head[i] == '[') ? Kind.JSON : Kind.TEXT;
  }

  /**
   * The files of the paths a user gave, as a hunt takes them: a file named is read whatever its
   * name; a folder gives the files under it that look like logs ({@link #looksLikeLog}), sorted,
   * hidden ones skipped, so a seized disk's {@code Logs} folder is read without its READMEs and
   * binaries; a zip archive (named, or a {@code .zip} in a folder: a Velociraptor collection, an
   * OTRF dataset) gives the logs inside it, read in place; a tar's are unpacked to a temporary
   * folder. An archive inside an archive (a case zip of collections) is copied out and opened the
   * same way, up to {@link #MAX_NESTING} deep. A path that does not exist is one of the {@link
   * #problems()}. Close it to release the archives and delete what was unpacked.
   */
  public static final class Inputs implements AutoCloseable {
    private final List<Path> files = new ArrayList<>();
    private final List<FileSystem> archives = new ArrayList<>();
    private final List<Path> unpacked = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();

    public List<Path> files() {
      return files;
    }

    /**
     * Paths that do not exist and archives that could not be opened (a truncated download, say),
     * each said with why.
     */
    public List<Problem> problems() {
      return problems;
    }

    private void add(Path p, boolean named, int depth) throws IOException {
      if (named && !Files.exists(p)) {
        // said and counted; the other paths are still read (a hunt over a list goes on)
        problems.add(Problem.error(p.toString(), 0, -1, "no such file or folder"));
        return;
      }
      if (Files.isDirectory(p)) {
        for (Path f : InputFiles.expand(List.of(p))) {
          if (isZip(f, false)) {
            addZip(f, depth);
          } else if (isTar(f, false)) {
            addTar(f, depth);
          } else if (looksLikeLog(f)) {
            files.add(f);
          }
        }
      } else if (named && isZip(p, true)) {
        addZip(p, depth);
      } else if (named && isTar(p, true)) {
        addTar(p, depth);
      } else {
        files.add(p);
      }
    }

    /**
     * A tar archive (a UAC collection of a Linux host, {@code .tar}, {@code .tar.gz}, {@code .tgz},
     * {@code .tar.zst}): a tar can only be read from its start, so its log-like entries are
     * unpacked to a temporary folder (deleted on close) with their modification times, which place
     * syslog's year-less lines; they are named {@code archive.tar.gz!/path} all the same. A damaged
     * or cut archive keeps what came before the damage, said once. Archives inside it are unpacked
     * too and opened after it.
     */
    private void addTar(Path tar, int depth) throws IOException {
      if (depth > 0 && !nestedAllowed(tar, depth)) {
        return;
      }
      if (tar.getFileSystem() != FileSystems.getDefault()) {
        tar = unpackArchive(tar);
        if (tar == null) {
          return;
        }
      }
      List<Path> nested = new ArrayList<>();
      Path root = Files.createTempDirectory("rampart-archive-");
      unpacked.add(root);
      UNPACKED.put(root, name(tar));
      int before = files.size();
      long skipped = 0;
      Path current = null; // the entry being unpacked
      try (InputStream in = InputFiles.open(tar);
          TarArchiveInputStream t = new TarArchiveInputStream(in)) {
        TarArchiveEntry e;
        while ((e = t.getNextEntry()) != null) {
          if (!e.isFile()) {
            continue; // folders, links, devices
          }
          Path rel = inside(e.getName());
          if (rel == null) {
            skipped++; // an absolute or ../ name must not write outside the folder
            continue;
          }
          String leaf = rel.getFileName().toString().toLowerCase(Locale.ROOT);
          boolean archive = leaf.endsWith(".zip") || isTarName(leaf);
          if (!(archive || looksLikeLogName(leaf) || Utmp.named(leaf))) {
            continue;
          }
          current = rel;
          Path target = root.resolve(rel);
          Files.createDirectories(target.getParent());
          if (!Files.exists(target)) {
            // a later entry of the same name replaces it, as tar does
            (archive ? nested : files).add(target);
          }
          long n = Files.copy(t, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          Files.setLastModifiedTime(
              target, java.nio.file.attribute.FileTime.from(e.getLastModifiedTime().toInstant()));
          if (n < e.getSize()) {
            // the stream ended inside the entry: a download or copy cut short
            throw new java.io.EOFException(
                "the archive ends after " + n + " of its " + e.getSize() + " bytes");
          }
          current = null;
        }
      } catch (IOException | RuntimeException e) {
        problems.add(
            Problem.error(
                tar.toString(),
                0,
                -1,
                "not a tar archive that can be read to its end ("
                    + e.getMessage()
                    + (current != null ? ", in " + current : "")
                    + "): "
                    + (files.size() > before
                        ? "the "
                            + (files.size() - before)
                            + " logs before the damage are read, the last perhaps cut short"
                        : "skipped")));
      }
      if (skipped > 0) {
        problems.add(
            Problem.warning(
                tar.toString(),
                0,
                -1,
                skipped + " entries named outside the archive (absolute or ../) were skipped"));
      }
      for (Path inner : nested) {
        if (inner.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip")) {
          addZip(inner, depth + 1);
        } else {
          addTar(inner, depth + 1);
        }
      }
    }

    /**
     * Whether an archive inside {@code depth} others is opened: evidence is zipped again (a case
     * folder of collections, a ticket's attachment), but a zip bomb nests without end.
     */
    private boolean nestedAllowed(Path archive, int depth) {
      if (depth < MAX_NESTING) {
        return true;
      }
      problems.add(
          Problem.warning(
              name(archive),
              0,
              -1,
              "an archive inside "
                  + MAX_NESTING
                  + " others is left closed; unpack the outer ones and name it"));
      return false;
    }

    /**
     * An archive inside a zip, copied to a temporary folder (deleted on close) so that it can be
     * opened (a zip needs to seek, and the JDK's zip provider reads only files on disk); named as
     * it was inside. Null, and said, when it cannot be copied.
     */
    private Path unpackArchive(Path inner) throws IOException {
      Path folder = Files.createTempDirectory("rampart-archive-");
      unpacked.add(folder);
      Path copy = folder.resolve(inner.getFileName().toString());
      UNPACKED.put(copy, name(inner));
      try {
        Files.copy(inner, copy);
      } catch (IOException | RuntimeException e) {
        problems.add(
            Problem.error(
                name(inner),
                0,
                -1,
                "an archive inside an archive that cannot be unpacked (" + e.getMessage() + ")"));
        return null;
      }
      return copy;
    }

    private void addZip(Path zip, int depth) throws IOException {
      if (depth > 0 && !nestedAllowed(zip, depth)) {
        return;
      }
      if (zip.getFileSystem() != FileSystems.getDefault()) {
        zip = unpackArchive(zip);
        if (zip == null) {
          return;
        }
      }
      FileSystem fs;
      try {
        fs = FileSystems.newFileSystem(zip);
      } catch (IOException | RuntimeException e) {
        // one damaged archive among many must not end the hunt over the rest
        problems.add(
            Problem.error(
                zip.toString(),
                0,
                -1,
                "not a zip archive that can be read ("
                    + e.getMessage()
                    + "): skipped; repair it (zip -FF) or unpack what it holds"));
        return;
      }
      archives.add(fs);
      for (Path root : fs.getRootDirectories()) {
        add(root, false, depth + 1);
      }
    }

    @Override
    public void close() throws IOException {
      IOException first = null;
      for (FileSystem fs : archives) {
        try {
          fs.close();
        } catch (IOException e) {
          first = first == null ? e : first;
        }
      }
      for (Path root : unpacked) {
        UNPACKED.keySet().removeIf(k -> k.startsWith(root));
        try (java.util.stream.Stream<Path> all = Files.walk(root)) {
          for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        } catch (IOException e) {
          first = first == null ? e : first;
        }
      }
      if (first != null) {
        throw first;
      }
    }
  }

  /** The files of {@code paths}: see {@link Inputs}. */
  public static Inputs open(List<Path> paths) throws IOException {
    Inputs in = new Inputs();
    try {
      for (Path p : paths) {
        in.add(p, true, 0);
      }
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
    return in;
  }

  /** A zip archive: by its first bytes when named, by its name in a folder. */
  private static boolean isZip(Path p, boolean named) throws IOException {
    if (!named) {
      return p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip");
    }
    if (!Files.isRegularFile(p)) {
      return false;
    }
    try (InputStream in = Files.newInputStream(p)) {
      byte[] head = in.readNBytes(4);
      return head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    }
  }

  /**
   * How a file is named in places and problems: its path, and for a file inside a zip archive the
   * archive's path, {@code !}, and the path inside it.
   */
  public static String name(Path p) {
    if (p.getFileSystem() == FileSystems.getDefault()) {
      for (java.util.Map.Entry<Path, String> u : UNPACKED.entrySet()) {
        if (p.equals(u.getKey())) {
          return u.getValue(); // an archive unpacked from another: named as it was inside
        }
        if (p.startsWith(u.getKey())) {
          return u.getValue() + "!/" + u.getKey().relativize(p).toString().replace('\\', '/');
        }
      }
      return p.toString();
    }
    java.net.URI u = p.toUri(); // jar:file:///cases/c.zip!/Logs/Security.evtx
    String ssp = u.getSchemeSpecificPart();
    int bang = ssp.indexOf("!/");
    if ("jar".equals(u.getScheme()) && bang > 0) {
      try {
        return name(Path.of(java.net.URI.create(ssp.substring(0, bang))))
            + "!"
            + ssp.substring(bang + 1);
      } catch (RuntimeException e) {
        return ssp; // a name, not a place to open: shown as it is
      }
    }
    return u.toString();
  }

  /**
   * The units a file can be read in on separate threads: an EVTX file's ranges of chunks when it is
   * a plain file on disk, otherwise the whole file (null).
   */
  public static List<Evtx.Range> units(Path file) throws IOException {
    return Evtx.isEvtx(file) && file.getFileSystem() == FileSystems.getDefault()
        ? Evtx.ranges(file)
        : java.util.Collections.singletonList(null);
  }

  private static final Pattern COMPRESSED_SUFFIX = Pattern.compile("\\.(gz|zst)$");

  private static final Pattern LOG_NAME =
      Pattern.compile(
          "(.*\\.(evtx|json|ndjson|jsonl|log|txt)"
              + "|syslog|messages|secure|maillog|cron|kern|auth|daemon|debug|user|audit)"
              // rotations: auth.log.1, syslog.2.gz, secure-20261201, messages-20261201.zst
              + "([.-]\\d+)*");

  /**
   * Whether a file found in a folder is taken as a log, by its name: log and event file extensions,
   * syslog's file names, their rotations, compressed or not, and compressed files without a further
   * extension (not {@code .csv.gz}, {@code .tar.gz}).
   */
  public static boolean looksLikeLog(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return looksLikeLogName(n) || Utmp.named(n) || Evtx.isEvtx(p);
  }

  private static boolean looksLikeLogName(String n) {
    String base = COMPRESSED_SUFFIX.matcher(n).replaceFirst("");
    return LOG_NAME.matcher(base).matches()
        || (base.length() < n.length() && base.indexOf('.') < 0);
  }

  /** Archives opened inside at most this many others. */
  static final int MAX_NESTING = 4;

  /**
   * Temporary folders of unpacked tar archives and the archive each holds, and archives unpacked
   * from others and the name each had inside, for {@link #name}.
   */
  private static final java.util.Map<Path, String> UNPACKED =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static boolean isTarName(String lowerName) {
    return lowerName.endsWith(".tar")
        || lowerName.endsWith(".tgz")
        || lowerName.endsWith(".tar.gz")
        || lowerName.endsWith(".tar.zst");
  }

  /**
   * Whether {@code p} is a tar archive: by its name in a folder; by its content when named (the
   * {@code ustar} magic of its first header, after gzip or zstd).
   */
  private static boolean isTar(Path p, boolean named) throws IOException {
    if (!named) {
      return isTarName(p.getFileName().toString().toLowerCase(Locale.ROOT));
    }
    if (!Files.isRegularFile(p)) {
      return false;
    }
    try (InputStream in = InputFiles.open(p)) {
      byte[] head = in.readNBytes(265);
      return head.length == 265
          && new String(head, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
    }
  }

  /** A tar entry's name as a relative path inside the archive, or null when it points outside. */
  private static Path inside(String entry) {
    String n = entry.replace('\\', '/');
    while (n.startsWith("./")) {
      n = n.substring(2);
    }
    if (n.isEmpty() || n.startsWith("/")) {
      return null;
    }
    Path rel = Path.of(n).normalize();
    return rel.startsWith("..") || rel.toString().isEmpty() ? null : rel;
  }
}
