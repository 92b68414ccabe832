package dev.rampart.ingest.parse;

import dev.rampart.core.event.Event;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A text log read into events, one at a time: lines (joined first when the format's events span
 * lines, as auditd's do) through one parser, the further records of a message that carries several,
 * and the records of a message that could not be read. A line the parser fails is not dropped: it
 * comes back as its text ({@code event.original}, {@code message}) with {@code
 * rampart.parse_error}, and {@link #error()} says why. What {@code rampart parse} prints and what
 * {@code rampart hunt} hunts through when a file is not JSON or EVTX.
 *
 * <p>With {@code auto}, the file's first lines choose: every line is recognised on its own (a
 * relay's file mixes syslog, CEF and LEEF), except that a file of a format whose events span lines
 * (auditd) is read with that format's parser alone, so its records are joined.
 */
public final class TextLogReader implements Closeable {
  /** The lines {@code auto} looks at before it chooses. */
  static final int SAMPLE = 50;

  /** Longest line read; the syslog TCP input cuts frames at a quarter of this. */
  public static final int MAX_LINE = 1 << 20;

  /** The field a line that failed to parse carries its error in. */
  public static final String PARSE_ERROR = "rampart.parse_error";

  private final BufferedReader in;
  private final Parser parser;
  private final RecordJoiner joiner;
  private final List<String> head = new ArrayList<>();
  private final char[] buf = new char[1 << 16];
  private int pos;
  private int lim;
  private boolean cutThis;
  private long physical;
  private long cut;
  private long firstCut;
  private int headAt;
  private final ArrayDeque<RecordJoiner.Joined> messages = new ArrayDeque<>();
  private final ArrayDeque<Parser.Rejected> rejected = new ArrayDeque<>();
  private boolean moreRecords;
  private boolean eof;
  private long lines;
  private long line;
  private long messageLine;
  private ParseError error;
  private boolean inside;
  private boolean first;

  /**
   * Reads {@code in} with the parser named {@code parserName} ({@code auto} chooses from the first
   * lines, {@code raw} keeps lines as they are); throws IllegalArgumentException for an unknown
   * name.
   */
  public TextLogReader(BufferedReader in, String parserName, ParseOptions options)
      throws IOException {
    this.in = in;
    if (parserName.equals("auto")) {
      for (int i = 0; i < SAMPLE; i++) {
        String l = readBounded();
        if (l == null) {
          break;
        }
        head.add(l);
      }
      this.parser = choose(head, options);
    } else {
      Parser p = Parsers.named(parserName, options);
      if (p == null) {
        throw new IllegalArgumentException(
            "no parser '" + parserName + "'; see rampart parsers list (or use auto)");
      }
      this.parser = p;
    }
    this.joiner = parser.joiner();
  }

  /**
   * The parser for a file that starts with {@code sample}: {@code auto}, unless at least half of
   * the sample, joined, is of a format whose lines must be joined (auditd's records, Zeek's TSV
   * data lines under their header), which per-line recognition cannot do.
   */
  public static Parser choose(List<String> sample, ParseOptions options) {
    Event scratch = new Event();
    for (Parser p : Parsers.all(options)) {
      RecordJoiner j = p.joiner();
      if (j == null) {
        continue; // recognised line by line anyway
      }
      // joined first (auditd's records, Zeek's data lines under their header), as when it reads
      List<String> messages = new ArrayList<>();
      for (String l : sample) {
        String m = stripBom(l);
        if (!m.isBlank()) {
          j.accept(m).forEach(x -> messages.add(x.text()));
        }
      }
      j.flush().forEach(x -> messages.add(x.text()));
      int n = 0;
      for (String m : messages) {
        if (p.accepts(m) && p.parse(m, scratch) == null) {
          n++;
        }
      }
      if (n > 0 && 2 * n >= messages.size()) {
        return p;
      }
    }
    return Parsers.named("auto", options);
  }

  private static String stripBom(String l) {
    return !l.isEmpty() && l.charAt(0) == '\uFEFF' ? l.substring(1) : l;
  }

  /** The parser in use: {@code auto}, or the one {@code auto} chose, or the one named. */
  public String parser() {
    return parser.name();
  }

  /**
   * Fills {@code e} with the next event; false at the end. The event is the one {@link #line()},
   * {@link #error()} and {@link #inside()} describe until the next call.
   */
  public boolean next(Event e) throws IOException {
    while (true) {
      if (moreRecords) {
        if (parser.next(e)) {
          set(messageLine, null, false, false);
          return true;
        }
        moreRecords = false;
        rejected.addAll(parser.rejected());
      }
      Parser.Rejected r = rejected.poll();
      if (r != null) {
        e.clear();
        e.addString(Fields.ORIGINAL, r.text());
        e.addString(Fields.MESSAGE, r.text());
        e.addString(PARSE_ERROR, r.error().toString());
        set(messageLine, r.error(), true, false);
        return true;
      }
      RecordJoiner.Joined m = messages.poll();
      if (m == null) {
        if (!fill()) {
          return false;
        }
        continue;
      }
      messageLine = m.line();
      ParseError err = parser.parse(m.text(), e);
      if (err != null) {
        e.addString(PARSE_ERROR, err.toString()); // the parser left the line's text in e
        set(messageLine, err, false, true);
        return true;
      }
      moreRecords = true;
      set(messageLine, null, false, true);
      return true;
    }
  }

  /**
   * The next message without parsing it: a line, or lines joined as the parser joins them (audit
   * records by serial, a Zeek data line with its header), with the line it starts on; null at the
   * end. For a reader that parses elsewhere with {@link #parser()} (the ingest pipeline's workers
   * parse on every core); not to be mixed with {@link #next}.
   */
  public RecordJoiner.Joined nextMessage() throws IOException {
    while (true) {
      RecordJoiner.Joined m = messages.poll();
      if (m != null) {
        return m;
      }
      if (!fill()) {
        return null;
      }
    }
  }

  /**
   * Reads a line into {@link #messages} (none when it is blank or joins a later one); false at the
   * end.
   */
  private boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    String l = readLine();
    if (l == null) {
      eof = true;
      if (joiner != null) {
        messages.addAll(joiner.flush());
      }
    } else if (!l.isBlank()) {
      if (joiner == null) {
        messages.add(new RecordJoiner.Joined(l, lines));
      } else {
        messages.addAll(joiner.accept(l));
      }
    }
    return true;
  }

  private void set(long line, ParseError error, boolean inside, boolean first) {
    this.line = line;
    this.error = error;
    this.inside = inside;
    this.first = first;
  }

  private String readLine() throws IOException {
    String l = headAt < head.size() ? head.get(headAt++) : readBounded();
    if (l != null) {
      if (lines == 0) {
        l = stripBom(l); // a Windows tool's UTF-8 file starts with one
      }
      lines++;
    }
    return l;
  }

  /** The line the current event's message starts on (1-based). */
  public long line() {
    return line;
  }

  /** Why the current event is only its text, or null when it parsed. */
  public ParseError error() {
    return error;
  }

  /** Whether the current event is a record of a message that parsed but could not be read. */
  public boolean inside() {
    return inside;
  }

  /** Whether the current event is what a message parsed to (or failed as), not a further record. */
  public boolean first() {
    return first;
  }

  /** Whether lines are joined into messages (auditd), so there are fewer messages than lines. */
  public boolean joins() {
    return joiner != null;
  }

  /**
   * The next line without its terminator ({@code \n} or {@code \r\n}), at most {@link #MAX_LINE}
   * characters: a file of one endless line (a binary without NULs at its start, a minified dump)
   * must not take the heap. The rest of a longer line is skipped and counted.
   */
  private String readBounded() throws IOException {
    StringBuilder sb = null;
    while (true) {
      if (pos == lim) {
        lim = Math.max(0, in.read(buf, 0, buf.length));
        pos = 0;
        if (lim == 0) {
          return sb == null ? null : ended(sb.toString());
        }
      }
      int i = pos;
      while (i < lim && buf[i] != '\n') {
        i++;
      }
      if (sb == null && i < lim) { // the whole line is in the buffer: the common case
        String l = new String(buf, pos, i - pos);
        pos = i + 1;
        return ended(l);
      }
      if (sb == null) {
        sb = new StringBuilder();
      }
      int take = Math.min(i - pos, MAX_LINE - sb.length());
      if (take < i - pos) {
        cutThis = true;
      }
      sb.append(buf, pos, Math.max(0, take));
      pos = i < lim ? i + 1 : i;
      if (i < lim) {
        return ended(sb.toString());
      }
    }
  }

  private String ended(String l) {
    physical++;
    if (cutThis) {
      cutThis = false;
      if (cut++ == 0) {
        firstCut = physical;
      }
    }
    return !l.isEmpty() && l.charAt(l.length() - 1) == '\r' ? l.substring(0, l.length() - 1) : l;
  }

  /** Lines longer than {@link #MAX_LINE} characters, cut there. */
  public long cutLines() {
    return cut;
  }

  /** The first line that was cut (1-based), or 0. */
  public long firstCutLine() {
    return firstCut;
  }

  /** Lines read so far (more than the events when lines are joined). */
  public long lines() {
    return lines;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
