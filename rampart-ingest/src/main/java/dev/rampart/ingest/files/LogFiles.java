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
import dev.rampart.ingest.parse.TextLogReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

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
    /** Not text (NUL bytes at its start): skipped, said once. */
    BINARY
  }

  /**
   * Receives each event (reused between calls): {@code line} of a text or JSON file, or an EVTX
   * record id with its {@code offset} (-1 otherwise).
   */
  @FunctionalInterface
  public interface Sink {
    void accept(Event e, long line, long offset) throws IOException;
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
    String name = file.toString();
    Kind kind;
    if (Evtx.isEvtx(file)) {
      kind = Kind.EVTX;
    } else {
      try (InputStream in = InputFiles.open(file)) {
        kind = sniff(in);
      }
    }
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
      for (Evtx.Range r : range != null ? List.of(range) : Evtx.ranges(file)) { // one if renamed
        Evtx.read(r, problems, converter::add);
      }
      converter.flush();
      if (failed[0] != null) {
        throw failed[0];
      }
      return new Result(Kind.EVTX, null, n[0], 0, 0, null);
    }
    try (InputStream in = InputFiles.open(file)) {
      Event e = new Event();
      long events = 0;
      switch (kind) {
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
          try (TextLogReader reader =
              new TextLogReader(
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16),
                  options.parser(),
                  yearsBefore(file, options.parse()))) {
            while (reader.next(e)) {
              if (reader.error() != null) {
                if (unparsed++ == 0) {
                  firstLine = reader.line();
                  why = reader.error();
                }
              }
              events++;
              sink.accept(e, reader.line(), -1);
            }
            return new Result(kind, reader.parser(), events, unparsed, firstLine, why);
          }
        }
      }
    }
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
   * Expands paths as a hunt takes them: a file named is read whatever its name; a folder gives the
   * files under it that look like logs ({@link #looksLikeLog}), sorted, hidden ones skipped, so a
   * seized disk's {@code Logs} folder is read without its READMEs and binaries.
   */
  public static List<Path> expand(List<Path> paths) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        for (Path f : InputFiles.expand(List.of(p))) {
          if (looksLikeLog(f)) {
            out.add(f);
          }
        }
      } else {
        out.add(p);
      }
    }
    return out;
  }

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
    String base = n.replaceFirst("\\.(gz|zst)$", "");
    return LOG_NAME.matcher(base).matches()
        || (base.length() < n.length() && base.indexOf('.') < 0)
        || Evtx.isEvtx(p);
  }
}
