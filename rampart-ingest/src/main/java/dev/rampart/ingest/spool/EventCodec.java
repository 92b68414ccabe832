package dev.rampart.ingest.spool;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.EventSource;
import dev.rampart.core.event.IpAddress;
import dev.rampart.core.event.Kind;
import dev.rampart.core.event.Value;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The spool's binary event encoding, version 3: a version byte, the timestamp, each field as name,
 * kind byte and value, then the source (input, host, log type; each may refer to a field holding
 * the same string, or be a well-known value). A name is one byte: 1 + its index in {@link
 * #WELL_KNOWN}; or 0x80 + the index of a {@link #WELL_KNOWN_PREFIXES} entry, then the rest of the
 * name; or 0 followed by its text. A string value that repeats an earlier one of its object, is a
 * well-known value (also inside lists), or is part of an ASCII {@code event.original}, is written
 * as a reference ({@link #SAME}, {@link #VALUE}, {@link #SLICE}, {@link #SUBSTR}). Integers are
 * zig-zag varints, strings length-prefixed UTF-8, lists and objects nested. Every kind of the event
 * model round trips exactly (big numbers as their text, IPs as their bytes). Versions 1 (every name
 * as text) and 2 (no substrings, no well-known list items or source values) are still read; a
 * reader meeting an unknown version refuses the record instead of misreading it.
 */
public final class EventCodec {
  public static final int VERSION = 3;

  /** Version 2 value code: the same string as field {@code j} (varint) of this object. */
  static final int SAME = 0x40;

  /**
   * Version 2 value code: the suffix from {@code start} (varint) of field {@code j}'s (varint)
   * string, an ASCII {@code event.original}.
   */
  static final int SLICE = 0x41;

  /** Version 2 value code: entry {@code k} (one byte) of {@link #WELL_KNOWN_VALUES}. */
  static final int VALUE = 0x42;

  /**
   * Version 3 value code: the {@code length} (varint) characters from {@code start} (varint) of
   * field {@code j}'s (varint) string, an ASCII {@code event.original}: a host, program or user
   * name that a parser cut out of the line.
   */
  static final int SUBSTR = 0x43;

  /**
   * Version 3 source string code: a source string that is well-known value {@code k} is written as
   * the negative varint {@code -1 - (SOURCE_VALUE + k)}, past every field reference.
   */
  private static final long SOURCE_VALUE = 1L << 20;

  /**
   * String values that parsers write over and over (syslog facilities and severities, ECS outcomes
   * and actions, log types), written as two bytes. Append-only (a test pins the list), at most 256.
   */
  static final List<String> WELL_KNOWN_VALUES =
      List.of(
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
          "local7",
          "emergency",
          "alert",
          "critical",
          "error",
          "warning",
          "notice",
          "informational",
          "debug",
          "success",
          "failure",
          "unknown",
          "ssh_login",
          "ssh_login_failed",
          "ssh_invalid_user",
          "authentication_failure",
          "ssh_disconnect",
          "sudo",
          "sudo_failed",
          "su",
          "su_failed",
          "password",
          "publickey",
          "keyboard-interactive/pam",
          "none",
          "tcp",
          "udp",
          "icmp",
          "linux/auth",
          "linux/syslog",
          "linux/auditd",
          "syslog-tcp",
          "syslog-udp",
          "http",
          "suricata",
          "zeek",
          "aws",
          "event",
          "-",
          "",
          "true",
          "false",
          "0",
          "1",
          // version 3: ECS event categories and types
          "authentication",
          "network",
          "process",
          "file",
          "iam",
          "session",
          "intrusion_detection",
          "malware",
          "configuration",
          "host",
          "web",
          "database",
          "driver",
          "registry",
          "package",
          "start",
          "end",
          "info",
          "connection",
          "protocol",
          "creation",
          "deletion",
          "change",
          "access",
          "allowed",
          "denied",
          "user",
          "group",
          "admin",
          "installation");

  private static final int MAX_WELL_KNOWN_VALUE;
  private static final java.util.Map<String, Integer> WELL_KNOWN_VALUE_INDEX;
  // Per length, a 128-bit set of the ASCII first characters of the well-known values that long.
  private static final long[][] FIRST_CHARS;
  private static final boolean WELL_KNOWN_NON_ASCII;

  static {
    java.util.Map<String, Integer> m = new java.util.HashMap<>();
    int longest = 0;
    for (int i = 0; i < WELL_KNOWN_VALUES.size(); i++) {
      m.putIfAbsent(WELL_KNOWN_VALUES.get(i), i); // a repeat keeps its first index
      longest = Math.max(longest, WELL_KNOWN_VALUES.get(i).length());
    }
    if (WELL_KNOWN_VALUES.size() > 256) {
      throw new ExceptionInInitializerError("WELL_KNOWN_VALUES holds at most 256 values");
    }
    WELL_KNOWN_VALUE_INDEX = m;
    MAX_WELL_KNOWN_VALUE = longest;
    FIRST_CHARS = new long[longest + 1][2];
    boolean nonAscii = false;
    for (String v : WELL_KNOWN_VALUES) {
      if (!v.isEmpty()) {
        char c = v.charAt(0);
        if (c < 128) {
          FIRST_CHARS[v.length()][c >>> 6] |= 1L << c;
        } else {
          nonAscii = true;
        }
      }
    }
    WELL_KNOWN_NON_ASCII = nonAscii;
  }

  private static final String ORIGINAL = "event.original";
  private static final int SAME_WINDOW = 2;

  /**
   * Field names that encoding version 2 writes as a one-byte reference (1 + index) instead of their
   * text, which was two thirds of a typical syslog record. Append-only: an entry's index is part of
   * the on-disk format, so new names go at the end (a test pins the list), and no more than 127 of
   * them (one byte each).
   */
  static final List<String> WELL_KNOWN =
      List.of(
          "@timestamp",
          "message",
          "event.original",
          "event.action",
          "event.outcome",
          "event.category",
          "event.type",
          "event.code",
          "event.kind",
          "event.module",
          "event.dataset",
          "event.provider",
          "event.severity",
          "event.created",
          "host.name",
          "host.hostname",
          "host.ip",
          "source.ip",
          "source.port",
          "source.domain",
          "destination.ip",
          "destination.port",
          "destination.domain",
          "user.name",
          "user.domain",
          "user.effective.name",
          "process.name",
          "process.pid",
          "process.executable",
          "process.command_line",
          "process.working_directory",
          "process.parent.name",
          "process.parent.pid",
          "process.parent.executable",
          "process.parent.command_line",
          "log.syslog.priority",
          "log.syslog.facility.code",
          "log.syslog.facility.name",
          "log.syslog.severity.code",
          "log.syslog.severity.name",
          "log.syslog.version",
          "log.syslog.hostname",
          "log.syslog.appname",
          "log.syslog.procid",
          "log.syslog.msgid",
          "log.file.path",
          "log.file.inode",
          "log.offset",
          "network.transport",
          "network.protocol",
          "url.original",
          "url.path",
          "url.query",
          "http.request.method",
          "http.response.status_code",
          "http.response.body.bytes",
          "http.request.referrer",
          "http.version",
          "user_agent.original",
          "dns.question.name",
          "file.path",
          "file.name",
          "registry.path",
          "service.name",
          "observer.vendor",
          "observer.product",
          "observer.version",
          "winlog.channel",
          "winlog.event_id",
          "winlog.provider_name",
          "winlog.computer_name",
          "winlog.record_id",
          "winlog.logon.type",
          "ssh.method",
          "EventID",
          "Channel",
          "Computer",
          "Provider_Name",
          "EventRecordID",
          "TimeCreated",
          "Image",
          "CommandLine",
          "ParentImage",
          "ParentCommandLine",
          "CurrentDirectory",
          "User",
          "ProcessId",
          "ParentProcessId",
          "TargetFilename",
          "TargetObject",
          "TargetUserName",
          "TargetDomainName",
          "SubjectUserName",
          "SubjectDomainName",
          "LogonType",
          "IpAddress",
          "IpPort",
          "WorkstationName",
          "SourceIp",
          "SourcePort",
          "DestinationIp",
          "DestinationPort",
          "DestinationHostname",
          "QueryName",
          "Hashes",
          "NewProcessName",
          "ParentProcessName",
          "ScriptBlockText",
          "ServiceName",
          // RFC 5424's registered structured data (section 7): senders repeat them on every line
          "log.syslog.structured_data.timeQuality.tzKnown",
          "log.syslog.structured_data.timeQuality.isSynced",
          "log.syslog.structured_data.timeQuality.syncAccuracy",
          "log.syslog.structured_data.origin.ip",
          "log.syslog.structured_data.origin.enterpriseId",
          "log.syslog.structured_data.origin.software",
          "log.syslog.structured_data.origin.swVersion",
          "log.syslog.structured_data.meta.sequenceId",
          "log.syslog.structured_data.meta.sysUpTime",
          "log.syslog.structured_data.meta.language");

  /**
   * Prefixes of field names that sources invent below them (structured data, event data,
   * extensions): a name starting with one is written as one byte, 0x80 + its index, and the rest of
   * the name. Append-only like {@link #WELL_KNOWN} (and pinned by the same test), at most 128; the
   * first that matches is used.
   */
  static final List<String> WELL_KNOWN_PREFIXES =
      List.of(
          "log.syslog.structured_data.",
          "winlog.event_data.",
          "cef.extensions.",
          "leef.attributes.",
          "kv.",
          "requestParameters.",
          "responseElements.",
          "userIdentity.",
          "alert.",
          "http.",
          "dns.",
          "tls.");

  private static final java.util.Map<String, Integer> WELL_KNOWN_INDEX;

  static {
    java.util.Map<String, Integer> m = new java.util.HashMap<>();
    for (int i = 0; i < WELL_KNOWN.size(); i++) {
      m.put(WELL_KNOWN.get(i), i);
    }
    if (WELL_KNOWN.size() > 127 || m.size() != WELL_KNOWN.size()) {
      throw new ExceptionInInitializerError("WELL_KNOWN must hold at most 127 distinct names");
    }
    WELL_KNOWN_INDEX = m;
  }

  private EventCodec() {}

  /**
   * Encodes into {@code out} (appended). The simple reference encoding, through {@link Value}; the
   * {@link Encoder} that the ingest hot path uses writes the same bytes faster, and a test keeps
   * the two equal.
   */
  public static void encode(Event e, ByteSink out) {
    out.write(VERSION);
    varlong(out, e.timestamp());
    fields(e, out);
    source(e, out);
  }

  /**
   * The source after the fields (version 2): each of input, host and log type is a string, or, when
   * it is the very string of a top-level string field (a syslog host usually is), a reference to
   * that field written as the negative varint {@code -1 - index} (string lengths are never
   * negative).
   */
  private static void source(Event e, ByteSink out) {
    EventSource s = e.source();
    sourceString(e, s.input(), out);
    sourceString(e, s.host(), out);
    sourceString(e, s.logType(), out);
  }

  private static void sourceString(Event e, String v, ByteSink out) {
    if (!v.isEmpty()) {
      for (int j = 0; j < e.size(); j++) {
        if (e.kind(j) == Kind.STRING && e.string(j) == v) {
          varlong(out, -1 - j);
          return;
        }
      }
      if (wellKnownSource(v, out)) {
        return;
      }
    }
    string(out, v);
  }

  private static void fields(Event e, ByteSink out) {
    varlong(out, e.size());
    int original = -1;
    for (int i = 0; i < e.size(); i++) {
      name(out, e.name(i));
      Value v = e.value(i);
      if (v instanceof Value.Str s) {
        if (!same(e, i, s.value(), out)
            && !wellKnownValue(s.value(), out)
            && !(original >= 0 && slice(e.string(original), original, s.value(), out))) {
          out.write(Kind.STRING.ordinal());
          byte[] b = s.value().getBytes(StandardCharsets.UTF_8);
          varlong(out, b.length);
          out.writeBytes(b);
          if (original < 0 && e.name(i).equals(ORIGINAL) && b.length == s.value().length()) {
            original = i;
          }
        }
      } else {
        value(v, out);
      }
    }
  }

  /**
   * Writes string field {@code i} as a {@link #SAME} reference when it is the very string of one of
   * the {@link #SAME_WINDOW} string fields before it (the first such field); false otherwise.
   */
  private static boolean same(Event e, int i, String s, ByteSink out) {
    // The same instance as one of the two fields before: parsers add one string to several fields
    // (host.name, host.hostname, log.syslog.hostname) side by side, which chains; comparing
    // contents or every earlier field cost more than the bytes saved.
    for (int j = Math.max(0, i - SAME_WINDOW); j < i; j++) {
      if (e.kind(j) == Kind.STRING && e.string(j) == s) {
        out.write(SAME);
        varlong(out, j);
        return true;
      }
    }
    return false;
  }

  /** Writes a source string that is a well-known value as its negative reference. */
  private static boolean wellKnownSource(String v, ByteSink out) {
    Integer k = maybeWellKnown(v) ? WELL_KNOWN_VALUE_INDEX.get(v) : null;
    if (k == null) {
      return false;
    }
    varlong(out, -1 - (SOURCE_VALUE + k));
    return true;
  }

  /**
   * Whether a well-known value has the length and first character of {@code s}: most strings fail
   * this before any hashing, which every string field would otherwise pay.
   */
  private static boolean maybeWellKnown(String s) {
    int n = s.length();
    if (n > MAX_WELL_KNOWN_VALUE) {
      return false;
    }
    if (n == 0) {
      return true;
    }
    char c = s.charAt(0);
    return c < 128 ? (FIRST_CHARS[n][c >>> 6] & (1L << c)) != 0 : WELL_KNOWN_NON_ASCII;
  }

  /** Writes {@code s} as a {@link #VALUE} reference when it is one of the well-known values. */
  private static boolean wellKnownValue(String s, ByteSink out) {
    if (!maybeWellKnown(s)) {
      return false; // most strings; skip hashing them
    }
    Integer i = WELL_KNOWN_VALUE_INDEX.get(s);
    if (i == null) {
      return false;
    }
    out.write(VALUE);
    out.write(i);
    return true;
  }

  /**
   * Writes {@code s} as a part of the ASCII {@code original}: a {@link #SLICE} when it is a tail of
   * at least 16 characters (a syslog message), a {@link #SUBSTR} when it is elsewhere in it and at
   * least 6 characters long (a host or program name; shorter ones save nothing); false otherwise.
   * Both encoders use this, so their bytes stay equal.
   */
  private static boolean slice(String original, int originalIndex, String s, ByteSink out) {
    int n = s.length();
    if (n < 6 || n >= original.length()) {
      return false;
    }
    if (n >= 16 && original.endsWith(s)) {
      out.write(SLICE);
      varlong(out, originalIndex);
      varlong(out, original.length() - n);
      return true;
    }
    int at = original.indexOf(s);
    if (at < 0) {
      return false;
    }
    out.write(SUBSTR);
    varlong(out, originalIndex);
    varlong(out, at);
    varlong(out, n);
    return true;
  }

  private static void value(Value v, ByteSink out) {
    switch (v) {
      case Value.Null n -> out.write(Kind.NULL.ordinal());
      case Value.Str s -> {
        if (!wellKnownValue(s.value(), out)) { // a list item ("authentication"), version 3
          out.write(Kind.STRING.ordinal());
          string(out, s.value());
        }
      }
      case Value.Int64 l -> {
        out.write(Kind.LONG.ordinal());
        varlong(out, l.value());
      }
      case Value.Float64 d -> {
        out.write(Kind.DOUBLE.ordinal());
        long bits = Double.doubleToRawLongBits(d.value());
        for (int k = 0; k < 8; k++) {
          out.write((int) (bits >>> (8 * k)));
        }
      }
      case Value.Bool b -> {
        out.write(Kind.BOOLEAN.ordinal());
        out.write(b.value() ? 1 : 0);
      }
      case Value.Ip ip -> {
        out.write(Kind.IP.ordinal());
        byte[] bytes = ip.value().bytes();
        out.write(bytes.length);
        out.writeBytes(bytes);
      }
      case Value.Time t -> {
        out.write(Kind.TIMESTAMP.ordinal());
        varlong(out, t.epochNanos());
      }
      case Value.BigNumber b -> {
        out.write(Kind.BIG_NUMBER.ordinal());
        string(out, b.text());
      }
      case Value.Binary b -> {
        out.write(Kind.BINARY.ordinal());
        varlong(out, b.bytes().length);
        out.writeBytes(b.bytes());
      }
      case Value.ListValue l -> {
        out.write(Kind.LIST.ordinal());
        varlong(out, l.items().size());
        for (Value item : l.items()) {
          value(item, out);
        }
      }
      case Value.Obj o -> {
        out.write(Kind.OBJECT.ordinal());
        fields(o.fields(), out);
      }
    }
  }

  /**
   * The fast encoder of the ingest hot path, one per thread: it reads the event's columns without
   * materialising {@link Value}s, and keeps each field name's encoded bytes by name id. (Strings go
   * through {@link String#getBytes}, whose intrinsics beat a char loop into the sink.) Same bytes
   * as {@link EventCodec#encode}.
   */
  public static final class Encoder {
    // Per field-name id: varint length + UTF-8 bytes, built on first use.
    private byte[][] names = new byte[256][];
    private final int originalId = dev.rampart.core.event.FieldNames.id(ORIGINAL);

    // The first top-level string field holding the very string of the source's input, host and
    // log type (-1: none), found while writing the fields instead of in a second pass.
    private int inputRef;
    private int hostRef;
    private int logTypeRef;

    public void encode(Event e, ByteSink out) {
      out.write(VERSION);
      varlong(out, e.timestamp());
      EventSource src = e.source();
      inputRef = hostRef = logTypeRef = -1;
      fields(e, out, src);
      sourceString(src.input(), inputRef, out);
      sourceString(src.host(), hostRef, out);
      sourceString(src.logType(), logTypeRef, out);
    }

    private static void sourceString(String v, int ref, ByteSink out) {
      if (ref >= 0 && !v.isEmpty()) {
        varlong(out, -1 - ref);
      } else if (v.isEmpty() || !wellKnownSource(v, out)) {
        string(out, v);
      }
    }

    /** {@code top} is the event's source while writing its top-level fields, else null. */
    private void fields(Event e, ByteSink out, EventSource top) {
      int n = e.size();
      varlong(out, n);
      int original = -1;
      // The string values of the two fields before (null when not strings): the SAME window of
      // same(), kept in locals because that check ran for every string field.
      String before2 = null;
      String before1 = null;
      for (int i = 0; i < n; i++) {
        int nameId = e.nameId(i);
        byte[] nb = name(nameId);
        if (nb.length == 1) {
          out.write(nb[0]); // a well-known name: most fields, not worth an array copy
        } else {
          out.writeBytes(nb);
        }
        Kind k = e.kind(i);
        String current = null;
        switch (k) {
          case STRING -> {
            String s = e.string(i);
            current = s;
            if (top != null) {
              if (inputRef < 0 && s == top.input()) {
                inputRef = i;
              }
              if (hostRef < 0 && s == top.host()) {
                hostRef = i;
              }
              if (logTypeRef < 0 && s == top.logType()) {
                logTypeRef = i;
              }
            }
            if (s == before2 || s == before1) {
              out.write(SAME);
              varlong(out, s == before2 ? i - 2 : i - 1);
            } else if (wellKnownValue(s, out)) {
              // written as one of the well-known values
            } else if (original >= 0 && slice(e.string(original), original, s, out)) {
              // written as a part of event.original
            } else {
              out.write(k.ordinal());
              byte[] b = s.getBytes(StandardCharsets.UTF_8);
              varlong(out, b.length);
              out.writeBytes(b);
              if (original < 0 && nameId == originalId && b.length == s.length()) {
                original = i;
              }
            }
          }
          case BIG_NUMBER -> {
            out.write(k.ordinal());
            string(out, e.string(i));
          }
          case LONG, TIMESTAMP -> {
            out.write(k.ordinal());
            varlong(out, e.longValue(i));
          }
          case NULL -> out.write(k.ordinal());
          case OBJECT -> {
            out.write(k.ordinal());
            fields(e.objectValue(i), out, null);
          }
          case BINARY -> {
            out.write(k.ordinal());
            byte[] b = e.binaryValue(i);
            varlong(out, b.length);
            out.writeBytes(b);
          }
          // Rare kinds take the reference path.
          case DOUBLE, BOOLEAN, IP, LIST -> value(e.value(i), out);
        }
        before2 = before1;
        before1 = current;
      }
    }

    private byte[] name(int id) {
      if (id >= names.length) {
        names = java.util.Arrays.copyOf(names, Math.max(names.length * 2, id + 1));
      }
      byte[] b = names[id];
      if (b == null) {
        ByteSink s = new ByteSink(32);
        EventCodec.name(s, dev.rampart.core.event.FieldNames.name(id));
        b = names[id] = s.toByteArray();
      }
      return b;
    }
  }

  /**
   * The event time of an encoded event (it comes right after the version byte), without decoding
   * the rest: what a stream processor needs for its watermarks.
   *
   * @throws IllegalStateException when the bytes are not an event this build reads
   */
  public static long timestamp(byte[] b, int off, int len) {
    // read in place: a stream processor calls this for every event, so no reader object
    int end = off + len;
    if (len < 1) {
      throw new IllegalStateException("spool record ends early");
    }
    int version = b[off] & 0xff;
    if (version < 1 || version > VERSION) {
      throw new IllegalStateException(
          "spool record of encoding version " + version + "; this build reads 1 to " + VERSION);
    }
    long raw = 0;
    int shift = 0;
    for (int pos = off + 1; ; pos++) {
      if (pos >= end) {
        throw new IllegalStateException("spool record ends early");
      }
      int x = b[pos] & 0xff;
      raw |= (long) (x & 0x7f) << shift;
      if ((x & 0x80) == 0) {
        return (raw >>> 1) ^ -(raw & 1);
      }
      shift += 7;
      if (shift > 63) {
        throw new IllegalStateException("varint too long");
      }
    }
  }

  /** Decodes {@code [off, off+len)} into {@code into} (cleared first). */
  public static void decode(byte[] b, int off, int len, Event into) {
    Reader r = new Reader(b, off, off + len);
    int version = r.u8();
    if (version < 1 || version > VERSION) {
      throw new IllegalStateException(
          "spool record of encoding version " + version + "; this build reads 1 to " + VERSION);
    }
    r.version = version;
    into.clear();
    into.timestamp(r.varlong());
    if (version == 1) {
      into.source(new EventSource(r.string(), r.string(), r.string()));
      r.fields(into);
    } else {
      r.fields(into);
      into.source(
          new EventSource(r.sourceString(into), r.sourceString(into), r.sourceString(into)));
    }
    if (r.pos != r.end) {
      throw new IllegalStateException("spool record has " + (r.end - r.pos) + " trailing bytes");
    }
  }

  private static final class Reader {
    final byte[] b;
    int pos;
    final int end;
    int version;

    Reader(byte[] b, int pos, int end) {
      this.b = b;
      this.pos = pos;
      this.end = end;
    }

    int u8() {
      if (pos >= end) {
        throw new IllegalStateException("spool record ends early");
      }
      return b[pos++] & 0xff;
    }

    long varlong() {
      long raw = 0;
      int shift = 0;
      while (true) {
        int x = u8();
        raw |= (long) (x & 0x7f) << shift;
        if ((x & 0x80) == 0) {
          break;
        }
        shift += 7;
        if (shift > 63) {
          throw new IllegalStateException("varint too long");
        }
      }
      return (raw >>> 1) ^ -(raw & 1);
    }

    String string() {
      int n = (int) varlong();
      if (n < 0 || pos + n > end) {
        throw new IllegalStateException("string runs past the record");
      }
      String s = new String(b, pos, n, StandardCharsets.UTF_8);
      pos += n;
      return s;
    }

    /** A source string, or the top-level string field it refers to (version 2). */
    String sourceString(Event into) {
      int save = pos;
      long v = varlong();
      if (v >= 0) {
        pos = save;
        return string();
      }
      long j = -1 - v;
      if (version >= 3 && j >= SOURCE_VALUE) {
        return wellKnown(j - SOURCE_VALUE);
      }
      if (j >= into.size() || into.kind((int) j) != Kind.STRING) {
        throw new IllegalStateException("source refers to field " + j + ", which is no string");
      }
      return into.string((int) j);
    }

    String name() {
      if (version == 1) {
        return string();
      }
      int ref = u8();
      if (ref == 0) {
        return string();
      }
      if (ref >= 0x80) {
        if (ref - 0x80 >= WELL_KNOWN_PREFIXES.size()) {
          throw new IllegalStateException("unknown field name prefix " + (ref - 0x80));
        }
        return WELL_KNOWN_PREFIXES.get(ref - 0x80) + string();
      }
      if (ref > WELL_KNOWN.size()) {
        throw new IllegalStateException("unknown field name reference " + ref);
      }
      return WELL_KNOWN.get(ref - 1);
    }

    void fields(Event into) {
      long n = varlong();
      int base = into.size();
      for (long i = 0; i < n; i++) {
        String name = name();
        if (version >= 2 && pos < end && b[pos] == VALUE) {
          pos++;
          into.addString(name, wellKnown(u8()));
          continue;
        }
        if (version >= 3 && pos < end && b[pos] == SUBSTR) {
          pos++;
          long j = varlong();
          if (j < 0 || j >= i || into.kind(base + (int) j) != Kind.STRING) {
            throw new IllegalStateException("string reference to field " + j + " is invalid");
          }
          String target = into.string(base + (int) j);
          long start = varlong();
          long length = varlong();
          if (start < 0 || length <= 0 || start + length > target.length()) {
            throw new IllegalStateException(
                "substring " + start + "+" + length + " is out of range");
          }
          into.addString(name, target.substring((int) start, (int) (start + length)));
          continue;
        }
        if (version >= 2 && pos < end && (b[pos] == SAME || b[pos] == SLICE)) {
          boolean same = b[pos++] == SAME;
          long j = varlong();
          if (j < 0 || j >= i || into.kind(base + (int) j) != Kind.STRING) {
            throw new IllegalStateException("string reference to field " + j + " is invalid");
          }
          String target = into.string(base + (int) j);
          if (same) {
            into.addString(name, target);
          } else {
            long start = varlong();
            if (start <= 0 || start >= target.length()) {
              throw new IllegalStateException("slice start " + start + " is out of range");
            }
            into.addString(name, target.substring((int) start));
          }
          continue;
        }
        into.add(name, value());
      }
    }

    String wellKnown(long k) {
      if (k < 0 || k >= WELL_KNOWN_VALUES.size()) {
        throw new IllegalStateException("unknown well-known value " + k);
      }
      return WELL_KNOWN_VALUES.get((int) k);
    }

    Value value() {
      int code = u8();
      if (version >= 3 && code == VALUE) {
        return new Value.Str(wellKnown(u8()));
      }
      if (code >= Kind.values().length) {
        throw new IllegalStateException("unknown value kind " + code);
      }
      Kind k = Kind.values()[code];
      return switch (k) {
        case NULL -> Value.Null.INSTANCE;
        case STRING -> new Value.Str(string());
        case LONG -> new Value.Int64(varlong());
        case DOUBLE -> {
          long bits = 0;
          for (int i = 0; i < 8; i++) {
            bits |= (long) u8() << (8 * i);
          }
          yield new Value.Float64(Double.longBitsToDouble(bits));
        }
        case BOOLEAN -> Value.Bool.of(u8() != 0);
        case IP -> {
          int n = u8();
          byte[] ip = java.util.Arrays.copyOfRange(b, pos, pos + n);
          pos += n;
          yield new Value.Ip(IpAddress.of(ip));
        }
        case TIMESTAMP -> new Value.Time(varlong());
        case BIG_NUMBER -> new Value.BigNumber(string());
        case BINARY -> {
          int n = (int) varlong();
          byte[] bin = java.util.Arrays.copyOfRange(b, pos, pos + n);
          pos += n;
          yield new Value.Binary(bin);
        }
        case LIST -> {
          int n = (int) varlong();
          List<Value> items = new ArrayList<>(Math.min(n, 1024));
          for (int i = 0; i < n; i++) {
            items.add(value());
          }
          yield new Value.ListValue(items);
        }
        case OBJECT -> {
          Event o = new Event(4);
          fields(o);
          yield new Value.Obj(o);
        }
      };
    }
  }

  /** A field name: 1 + its index in {@link #WELL_KNOWN} as one byte, or 0 and its text. */
  static void name(ByteSink out, String name) {
    Integer known = WELL_KNOWN_INDEX.get(name);
    if (known != null) {
      out.write(known + 1);
      return;
    }
    for (int i = 0; i < WELL_KNOWN_PREFIXES.size(); i++) {
      String prefix = WELL_KNOWN_PREFIXES.get(i);
      if (name.length() > prefix.length() && name.startsWith(prefix)) {
        out.write(0x80 + i);
        string(out, name.substring(prefix.length()));
        return;
      }
    }
    out.write(0);
    string(out, name);
  }

  private static void varlong(ByteSink out, long v) {
    long z = (v << 1) ^ (v >> 63);
    if (z < 0x80 && z >= 0) {
      out.write((int) z); // most lengths and small numbers: one byte
      return;
    }
    out.ensure(10);
    byte[] buf = out.array();
    int p = out.size();
    while ((z & ~0x7fL) != 0) {
      buf[p++] = (byte) ((z & 0x7f) | 0x80);
      z >>>= 7;
    }
    buf[p++] = (byte) z;
    out.size(p);
  }

  private static void string(ByteSink out, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    varlong(out, bytes.length);
    out.writeBytes(bytes);
  }
}
