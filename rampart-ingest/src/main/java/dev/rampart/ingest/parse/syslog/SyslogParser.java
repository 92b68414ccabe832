package dev.rampart.ingest.parse.syslog;

import static dev.rampart.ingest.parse.Fields.*;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.EventSource;
import dev.rampart.core.event.FieldNames;
import dev.rampart.core.event.Timestamps;
import dev.rampart.ingest.parse.Digits;
import dev.rampart.ingest.parse.ParseError;
import dev.rampart.ingest.parse.ParseOptions;
import dev.rampart.ingest.parse.Parser;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;

/**
 * Syslog: RFC 5424 (version, structured data with escapes, NILVALUE, a BOM before the message) and
 * the BSD format of RFC 3164 as real senders write it: with or without {@code <PRI>}, timestamps
 * without a year (the year is inferred), with a year ({@code Jan 05 2026 01:02:03}) or in ISO form,
 * a missing hostname, tags with or without {@code [pid]}, vendor prefixes such as Cisco's {@code
 * %ASA-6-302013:}. Fields follow ECS {@code log.syslog.*}; events of the auth facilities or of
 * sshd, sudo, su and friends get the log type {@code linux/auth}, the rest {@code linux/syslog},
 * which is what the Sigma mapping routes on.
 */
public final class SyslogParser implements Parser {
  private static final String[] FACILITIES = {
    "kern",
    "user",
    "mail",
    "daemon",
    "auth",
    "syslog",
    "lpr",
    "news",
    "uucp",
    "cron",
    "authpriv",
    "ftp",
    "ntp",
    "security",
    "console",
    "solaris-cron",
    "local0",
    "local1",
    "local2",
    "local3",
    "local4",
    "local5",
    "local6",
    "local7"
  };
  private static final String[] SEVERITIES = {
    "emergency", "alert", "critical", "error", "warning", "notice", "informational", "debug"
  };
  private static final String[] MONTHS = {
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"
  };

  private static final int PRIORITY = FieldNames.id("log.syslog.priority");
  private static final int FACILITY_CODE = FieldNames.id("log.syslog.facility.code");
  private static final int FACILITY_NAME = FieldNames.id("log.syslog.facility.name");
  private static final int SEVERITY_CODE = FieldNames.id("log.syslog.severity.code");
  private static final int SEVERITY_NAME = FieldNames.id("log.syslog.severity.name");
  private static final int VERSION = FieldNames.id("log.syslog.version");
  private static final int HOSTNAME = FieldNames.id("log.syslog.hostname");
  private static final int APPNAME = FieldNames.id("log.syslog.appname");
  private static final int PROCID = FieldNames.id("log.syslog.procid");
  private static final int MSGID = FieldNames.id("log.syslog.msgid");
  private static final int SD = FieldNames.id("log.syslog.structured_data");

  private final ParseOptions options;
  // Compiled once: grok patterns are immutable and thread-safe once built.
  private static final AuthPatterns AUTH = new AuthPatterns();
  private final AuthPatterns auth = AUTH;
  // Field ids of structured data, so that the dotted names are not built and looked up per
  // parameter: by SD-ID, and the last element and its parameters in order compared in place,
  // without a substring. Bounded; one parser per thread.
  private final java.util.HashMap<String, SdElement> sdElements = new java.util.HashMap<>();
  private SdElement lastSd;

  /** One SD-ID: its field id, its parameters' ids by name, and their last order. */
  private static final class SdElement {
    final String name;
    final int id;
    final java.util.HashMap<String, Integer> byName = new java.util.HashMap<>();
    final String[] order = new String[16];
    final int[] orderIds = new int[16];

    SdElement(String name, int id) {
      this.name = name;
      this.id = id;
    }

    /** The field id of the parameter named {@code m[from, to)}, the {@code k}-th of its element. */
    int param(String m, int from, int to, int k) {
      int len = to - from;
      if (k < order.length) {
        String expected = order[k];
        if (expected != null
            && expected.length() == len
            && m.regionMatches(from, expected, 0, len)) {
          return orderIds[k];
        }
      }
      String name = m.substring(from, to);
      Integer id = byName.get(name);
      if (id == null) {
        if (byName.size() >= 256) {
          byName.clear();
        }
        id = FieldNames.child(this.id, name);
        byName.put(name, id);
      }
      if (k < order.length) {
        order[k] = name;
        orderIds[k] = id;
      }
      return id;
    }
  }

  // Reused by header(): one instance serves one thread at a time (see Parser).
  private final Event header = new Event();

  public SyslogParser(ParseOptions options) {
    this.options = options;
  }

  /**
   * Parses the syslog header in {@code m[0, end)} that carries another format's payload (CEF, LEEF)
   * and returns it in an event this parser reuses (valid until the next call), or null when the
   * prefix is not a syslog header.
   */
  public Event header(String m, int end) {
    // A placeholder body, because a header alone is a message without content.
    return parse(m.substring(0, end).trim() + " x", header) == null ? header : null;
  }

  @Override
  public String name() {
    return "syslog";
  }

  @Override
  public String description() {
    return "Syslog RFC 5424 and RFC 3164/BSD (no year, no hostname, ISO times, vendor tags) to"
        + " log.syslog.* and ECS";
  }

  @Override
  public boolean accepts(String m) {
    if (m.startsWith("<")) {
      int close = m.indexOf('>');
      return close > 1 && close <= 4 && digits(m, 1, close);
    }
    return startsWithBsdTime(m, 0) || startsWithIso(m, 0);
  }

  @Override
  public ParseError parse(String m, Event into) {
    into.clear();
    into.addString(ORIGINAL, m);
    int pos = 0;
    int pri = -1;
    if (m.startsWith("<")) {
      int close = m.indexOf('>');
      if (close < 2 || close > 4 || !digits(m, 1, close)) {
        return fail(into, m, 1, "expected <PRI>, a priority of 1 to 3 digits in angle brackets");
      }
      pri = Integer.parseInt(m, 1, close, 10);
      if (pri > 191) {
        return fail(into, m, 2, "priority " + pri + " is above 191");
      }
      pos = close + 1;
      into.addLong(PRIORITY, pri);
      into.addLong(FACILITY_CODE, pri >> 3);
      into.addString(FACILITY_NAME, FACILITIES[pri >> 3]);
      into.addLong(SEVERITY_CODE, pri & 7);
      into.addString(SEVERITY_NAME, SEVERITIES[pri & 7]);
    }
    // RFC 5424: a version of one or two digits and a space right after <PRI>.
    if (pri >= 0
        && pos + 1 < m.length()
        && Character.isDigit(m.charAt(pos))
        && (m.charAt(pos + 1) == ' '
            || pos + 2 < m.length()
                && Character.isDigit(m.charAt(pos + 1))
                && m.charAt(pos + 2) == ' ')) {
      return rfc5424(m, pos, pri, into);
    }
    return rfc3164(m, pos, pri, into);
  }

  // ---- RFC 5424 ----

  private ParseError rfc5424(String m, int pos, int pri, Event into) {
    int sp = m.indexOf(' ', pos);
    into.addLong(VERSION, Long.parseLong(m, pos, sp, 10));
    pos = sp + 1;
    String[] header = new String[5]; // timestamp, hostname, app, procid, msgid
    for (int i = 0; i < 5; i++) {
      int end = m.indexOf(' ', pos);
      if (end < 0) {
        if (i == 4) {
          end = m.length();
        } else {
          return fail(
              into, m, pos + 1, "RFC 5424 header ends early; expected 5 fields after the version");
        }
      }
      header[i] = m.substring(pos, end);
      pos = Math.min(end + 1, m.length());
    }
    if (!header[0].equals("-")) {
      long ts = Timestamps.parse(header[0]);
      if (ts == Timestamps.UNSET) {
        return fail(
            into, m, m.indexOf(header[0]) + 1, "timestamp '" + header[0] + "' is not RFC 3339");
      }
      into.timestamp(ts);
    }
    String host = nil(header[1]);
    String app = nil(header[2]);
    String procid = nil(header[3]);
    if (host != null) {
      into.addString(HOSTNAME, host);
      into.addString(HOST_HOSTNAME, host);
      into.addString(HOST_NAME, host);
    }
    if (app != null) {
      into.addString(APPNAME, app);
      into.addString(PROCESS_NAME, app);
    }
    if (procid != null) {
      into.addString(PROCID, procid);
      if (digits(procid, 0, procid.length()) && procid.length() < 10) {
        into.addLong(PROCESS_PID, Long.parseLong(procid));
      }
    }
    if (nil(header[4]) != null) {
      into.addString(MSGID, header[4]);
    }
    // Structured data: "-" or one or more [id param="value" ...] elements.
    if (pos < m.length() && m.charAt(pos) == '-') {
      pos++;
    } else if (pos < m.length() && m.charAt(pos) == '[') {
      while (pos < m.length() && m.charAt(pos) == '[') {
        int close = structuredElement(m, pos, into);
        if (close < 0) {
          return fail(into, m, -close, "structured data element not closed or malformed");
        }
        pos = close + 1;
      }
    } else if (pos < m.length()) {
      return fail(into, m, pos + 1, "expected structured data ('-' or '[')");
    }
    if (pos < m.length() && m.charAt(pos) == ' ') {
      pos++;
    }
    String msg = m.substring(pos);
    if (msg.startsWith("\uFEFF")) {
      msg = msg.substring(1);
    }
    into.addString(MESSAGE, msg);
    auth.apply(app, msg, into);
    into.source(new EventSource("", host == null ? "" : host, logType(pri, app)));
    return null;
  }

  /** Parses {@code [id k="v" ...]} at {@code pos}; returns the index of ']' or -column. */
  private int structuredElement(String m, int pos, Event into) {
    int i = pos + 1;
    int idEnd = i;
    while (idEnd < m.length() && m.charAt(idEnd) != ' ' && m.charAt(idEnd) != ']') {
      idEnd++;
    }
    if (idEnd >= m.length() || idEnd == i) {
      return -(i + 1);
    }
    SdElement sd = lastSd;
    if (sd == null || sd.name.length() != idEnd - i || !m.regionMatches(i, sd.name, 0, idEnd - i)) {
      String sdName = m.substring(i, idEnd);
      sd = sdElements.get(sdName);
      if (sd == null) {
        if (sdElements.size() >= 256) {
          sdElements.clear(); // a sender inventing SD-IDs; the cache only saves time
        }
        sd = new SdElement(sdName, FieldNames.child(SD, sdName));
        sdElements.put(sdName, sd);
      }
      lastSd = sd;
    }
    int sdId = sd.id;
    int k = 0; // parameter position: senders repeat the same parameters in the same order
    i = idEnd;
    while (i < m.length() && m.charAt(i) == ' ') {
      i++;
      int eq = m.indexOf('=', i);
      if (eq < 0 || eq + 1 >= m.length() || m.charAt(eq + 1) != '"') {
        return -(i + 1);
      }
      int paramId = sd.param(m, i, eq, k++);
      int j = eq + 2;
      String value;
      int quote = m.indexOf('"', j);
      int backslash = quote < 0 ? m.indexOf('\\', j) : m.indexOf('\\', j, quote);
      if (quote >= 0 && (backslash < 0 || backslash > quote)) {
        value = m.substring(j, quote); // no escapes: the common case, without a builder
        j = quote;
      } else {
        StringBuilder v = new StringBuilder();
        for (; j < m.length(); j++) {
          char c = m.charAt(j);
          if (c == '\\' && j + 1 < m.length() && "\"\\]".indexOf(m.charAt(j + 1)) >= 0) {
            v.append(m.charAt(++j));
          } else if (c == '"') {
            break;
          } else {
            v.append(c);
          }
        }
        if (j >= m.length()) {
          return -(eq + 2);
        }
        value = v.toString();
      }
      into.addString(paramId, value);
      i = j + 1;
    }
    if (i >= m.length() || m.charAt(i) != ']') {
      return -(i + 1);
    }
    if (idEnd == pos + 1) {
      return -(pos + 1);
    }
    return i;
  }

  // ---- RFC 3164 and what real senders make of it ----

  private ParseError rfc3164(String m, int pos, int pri, Event into) {
    int after;
    if (startsWithBsdTime(m, pos)) {
      after = bsdTime(m, pos, into);
    } else if (startsWithIso(m, pos)) {
      int sp = m.indexOf(' ', pos);
      sp = sp < 0 ? m.length() : sp;
      long ts = Timestamps.parse(m.substring(pos, sp));
      if (ts == Timestamps.UNSET) {
        return fail(into, m, pos + 1, "timestamp is not ISO 8601");
      }
      into.timestamp(ts);
      after = sp;
    } else if (pri >= 0) {
      after = pos; // no timestamp at all: some devices send "<13>message"
    } else {
      return fail(into, m, pos + 1, "expected a syslog timestamp such as 'Jan  5 01:02:03'");
    }
    if (after < 0) {
      return fail(into, m, pos + 1, "timestamp is not a valid date");
    }
    pos = skipSpaces(m, after);
    // HOSTNAME, unless the next word is already the tag ("sshd[1]:", "su:", "%ASA-6-1:").
    String host = null;
    int wordEnd = wordEnd(m, pos);
    String word = m.substring(pos, wordEnd);
    if (!word.isEmpty() && !isTag(word) && wordEnd < m.length()) {
      host = word;
      pos = skipSpaces(m, wordEnd);
    }
    String app = null;
    int tagEnd = tagEnd(m, pos);
    if (tagEnd > pos) {
      String tag = m.substring(pos, tagEnd);
      int bracket = tag.indexOf('[');
      String pid = null;
      if (tag.endsWith(":")) {
        tag = tag.substring(0, tag.length() - 1);
      }
      if (bracket > 0 && tag.endsWith("]")) {
        pid = tag.substring(bracket + 1, tag.length() - 1);
        tag = tag.substring(0, bracket);
      }
      if (!tag.isEmpty()) {
        into.addString(APPNAME, tag);
        // "sshd(pam_unix)" is sshd speaking through a PAM module: the process is sshd.
        int paren = tag.indexOf('(');
        app = paren > 0 && tag.endsWith(")") ? tag.substring(0, paren) : tag;
        into.addString(PROCESS_NAME, app);
      }
      if (pid != null) {
        into.addString(PROCID, pid);
        if (!pid.isEmpty() && pid.length() < 10 && digits(pid, 0, pid.length())) {
          into.addLong(PROCESS_PID, Long.parseLong(pid));
        }
      }
      pos = skipSpaces(m, tagEnd);
    }
    if (host != null) {
      into.addString(HOSTNAME, host);
      into.addString(HOST_HOSTNAME, host);
      into.addString(HOST_NAME, host);
    }
    String msg = m.substring(Math.min(pos, m.length()));
    into.addString(MESSAGE, msg);
    auth.apply(app, msg, into);
    into.source(new EventSource("", host == null ? "" : host, logType(pri, app)));
    return null;
  }

  /** "Mmm dd hh:mm:ss", "Mmm d hh:mm:ss", "Mmm dd yyyy hh:mm:ss", with optional fractions. */
  private int bsdTime(String m, int pos, Event into) {
    int month = month(m, pos);
    int i = skipSpaces(m, pos + 3);
    int dayEnd = i;
    while (dayEnd < m.length() && Character.isDigit(m.charAt(dayEnd))) {
      dayEnd++;
    }
    if (dayEnd == i || dayEnd - i > 2) {
      return -1;
    }
    int day = Integer.parseInt(m, i, dayEnd, 10);
    i = skipSpaces(m, dayEnd);
    int year = -1;
    if (i + 4 < m.length() && digits(m, i, i + 4) && m.charAt(i + 4) == ' ') {
      year = Integer.parseInt(m, i, i + 4, 10);
      i = skipSpaces(m, i + 4);
    }
    if (i + 8 > m.length()
        || m.charAt(i + 2) != ':'
        || m.charAt(i + 5) != ':'
        || !digits(m, i, i + 2)
        || !digits(m, i + 3, i + 5)
        || !digits(m, i + 6, i + 8)) {
      return -1;
    }
    int h = Integer.parseInt(m, i, i + 2, 10);
    int min = Integer.parseInt(m, i + 3, i + 5, 10);
    int s = Integer.parseInt(m, i + 6, i + 8, 10);
    i += 8;
    int nanos = 0;
    if (i < m.length() && m.charAt(i) == '.') {
      int f = i + 1;
      while (f < m.length() && Character.isDigit(m.charAt(f)) && f - i <= 9) {
        f++;
      }
      String frac = (m.substring(i + 1, f) + "000000000").substring(0, 9);
      nanos = Integer.parseInt(frac);
      i = f;
    }
    try {
      ZonedDateTime t;
      if (year > 0) {
        t = LocalDateTime.of(year, month, day, h, min, s, nanos).atZone(options.zone());
      } else {
        ZonedDateTime now = options.now().atZone(options.zone());
        t = LocalDateTime.of(now.getYear(), month, day, h, min, s, nanos).atZone(options.zone());
        if (t.isAfter(now.plusDays(1))) {
          t = t.minusYears(1); // December's lines read in January
        }
      }
      long epochNanos = dev.rampart.ingest.parse.Times.nanos(t.toInstant());
      if (epochNanos == Timestamps.UNSET) {
        return -1;
      }
      into.timestamp(epochNanos);
    } catch (java.time.DateTimeException e) {
      return -1;
    }
    return i;
  }

  private static boolean startsWithBsdTime(String m, int pos) {
    return month(m, pos) > 0 && pos + 4 < m.length() && m.charAt(pos + 3) == ' ';
  }

  private static int month(String m, int pos) {
    if (pos + 3 > m.length()) {
      return -1;
    }
    for (int i = 0; i < 12; i++) {
      if (m.regionMatches(true, pos, MONTHS[i], 0, 3)) {
        return i + 1;
      }
    }
    return -1;
  }

  private static boolean startsWithIso(String m, int pos) {
    return pos + 19 <= m.length()
        && digits(m, pos, pos + 4)
        && m.charAt(pos + 4) == '-'
        && m.charAt(pos + 7) == '-'
        && (m.charAt(pos + 10) == 'T' || m.charAt(pos + 10) == ' ');
  }

  /** A tag: "name:", "name[pid]:", "%VENDOR-n-id:" or "name[pid]" before the message. */
  private static boolean isTag(String word) {
    return word.endsWith(":")
        || word.endsWith("]") && word.indexOf('[') > 0
        || word.startsWith("%");
  }

  private static int tagEnd(String m, int pos) {
    int end = wordEnd(m, pos);
    String word = m.substring(pos, end);
    if (word.endsWith(":") || word.indexOf('[') > 0 && word.endsWith("]")) {
      return end;
    }
    if (word.indexOf('[') > 0 && word.endsWith("]:")) {
      return end;
    }
    return pos; // no tag: the whole rest is the message
  }

  private static int wordEnd(String m, int pos) {
    int i = pos;
    while (i < m.length() && m.charAt(i) != ' ') {
      i++;
    }
    return i;
  }

  private static int skipSpaces(String m, int pos) {
    while (pos < m.length() && m.charAt(pos) == ' ') {
      pos++;
    }
    return pos;
  }

  private static boolean digits(String m, int from, int to) {
    return Digits.all(m, from, to);
  }

  private static String nil(String s) {
    return s.equals("-") || s.isEmpty() ? null : s;
  }

  private static String logType(int pri, String app) {
    return dev.rampart.core.normalize.LinuxLogs.logType(pri >= 0 ? pri >> 3 : -1, app);
  }

  private ParseError fail(Event into, String m, int column, String why) {
    if (into.indexOf(MESSAGE) < 0) {
      into.addString(MESSAGE, m);
    }
    return new ParseError(name(), column, why);
  }
}
