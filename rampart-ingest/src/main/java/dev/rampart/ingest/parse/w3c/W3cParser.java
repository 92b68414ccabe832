package dev.rampart.ingest.parse.w3c;

import static dev.rampart.ingest.parse.Fields.*;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.EventSource;
import dev.rampart.core.event.FieldNames;
import dev.rampart.core.event.Timestamps;
import dev.rampart.core.normalize.Ecs;
import dev.rampart.ingest.parse.Digits;
import dev.rampart.ingest.parse.HeaderCache;
import dev.rampart.ingest.parse.ParseError;
import dev.rampart.ingest.parse.ParseOptions;
import dev.rampart.ingest.parse.Parser;
import dev.rampart.ingest.parse.RecordJoiner;
import dev.rampart.ingest.parse.Times;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * W3C extended log files: IIS's web logs (Exchange's and SharePoint's front ends among them) and
 * the Windows Firewall's {@code pfirewall.log}. A data line is only values separated by spaces; the
 * {@code #Fields:} directive above it names them, and may change mid-file (IIS writes a new header
 * block after each restart), so the {@link #joiner()} keeps the current directives and hands each
 * data line on with them, as for Zeek's TSV. Fields keep their W3C names, which Sigma's webserver
 * rules use ({@code cs-method}, {@code cs-uri-stem}, {@code cs-uri-query}, {@code sc-status},
 * {@code c-ip}), a header field {@code cs(User-Agent)} becoming {@code cs-user-agent} as the
 * access-log parser names it, with the ECS names beside them. Times are UTC, as the format says,
 * unless a {@code #Time Format: Local} directive (the firewall's) puts them in the zone of the
 * parse options. The log type is {@code iis/w3c} (Sigma's webserver category), {@code
 * firewall/windows}, {@code webserver/w3c} for other web servers, or {@code w3c/extended}.
 */
public final class W3cParser implements Parser {
  private final ZoneId localZone;
  private final HeaderCache<Header> headers = new HeaderCache<>(W3cParser::header);

  public W3cParser(ParseOptions options) {
    this.localZone = options.zone();
  }

  @Override
  public String name() {
    return "w3c";
  }

  @Override
  public String description() {
    return "W3C extended logs (#Fields header): IIS and Exchange web logs, Windows Firewall";
  }

  @Override
  public boolean accepts(String m) {
    return m.startsWith("#") && (m.startsWith("#Fields:") || m.contains("\n#Fields:"));
  }

  @Override
  public RecordJoiner joiner() {
    return new Directives();
  }

  /** Keeps the stream's directives and emits each data line with them. */
  static final class Directives implements RecordJoiner {
    private final StringBuilder header = new StringBuilder();
    private String prefix = "";
    private boolean fields;
    private long lineNo;

    @Override
    public List<Joined> accept(String line) {
      lineNo++;
      if (line.startsWith("#")) {
        if (fields && (line.startsWith("#Software:") || line.startsWith("#Version:"))) {
          header.setLength(0); // a new block: IIS after a restart, or files concatenated
          fields = false;
        }
        if (!line.startsWith("#Remark:") && !line.startsWith("#Date:")) {
          header.append(line).append('\n');
          prefix = header.toString();
          fields |= line.startsWith("#Fields:");
        }
        return List.of();
      }
      return List.of(new Joined(prefix + line, lineNo));
    }

    @Override
    public List<Joined> flush() {
      return List.of();
    }
  }

  /** A parsed block of directives: the field names as events carry them, and how to read times. */
  @SuppressWarnings("ArrayRecordComponent") // never compared or exposed: a parser's own cache
  private record Header(String[] fields, int[] ids, byte[] how, String software, boolean local) {}

  // how a field's values are read: computed once per header, not per line
  private static final byte TEXT = 0;
  private static final byte NUMBER = 1; // counts, as numbers (the access-log parser's are too)
  private static final byte REQUEST_HEADER = 2; // IIS writes a header's spaces as '+'
  private static final byte DATE = 3;
  private static final byte TIME = 4;

  @Override
  public ParseError parse(String message, Event into) {
    into.clear();
    int cut = message.lastIndexOf('\n') + 1;
    String data = message.substring(cut);
    if (data.isBlank() || data.startsWith("#")) {
      return fail(into, message, 1, "no data line");
    }
    Header h = headers.of(message, cut);
    if (h.fields() == null) {
      return fail(into, message, 1, "no #Fields directive before this line");
    }
    String[] values = data.strip().split(" ", -1);
    if (values.length != h.fields().length) {
      return fail(
          into,
          message,
          cut + 1,
          "the line has " + values.length + " values, the #Fields directive " + h.fields().length);
    }
    String date = null;
    String time = null;
    for (int i = 0; i < values.length; i++) {
      String v = values[i];
      if (v.equals("-")) {
        continue; // W3C's "no value"
      }
      switch (h.how()[i]) {
        case DATE -> date = v;
        case TIME -> time = v;
        case REQUEST_HEADER -> v = v.replace('+', ' ');
        default -> {}
      }
      if (h.how()[i] == NUMBER && Digits.count(v, 1, 18)) {
        into.addLong(h.ids()[i], Long.parseLong(v));
      } else {
        into.addString(h.ids()[i], v);
      }
    }
    if (date == null || time == null) {
      return fail(into, message, cut + 1, "no date and time fields in the #Fields directive");
    }
    try {
      long nanos =
          Times.nanos(
              LocalDate.parse(date)
                  .atTime(LocalTime.parse(time))
                  .atZone(h.local() ? localZone : ZoneOffset.UTC)
                  .toInstant());
      if (nanos == Timestamps.UNSET) {
        return fail(into, message, cut + 1, "time '" + date + " " + time + "' is out of range");
      }
      into.timestamp(nanos);
    } catch (DateTimeException e) {
      return fail(
          into, message, cut + 1, "date '" + date + "' and time '" + time + "' do not parse");
    }
    into.addString(ORIGINAL, data);
    String logType = ecs(into, h, data);
    into.source(new EventSource("", "", logType));
    return null;
  }

  /** W3C fields whose values are counts, read as numbers. */
  private static final java.util.Set<String> NUMBERS =
      java.util.Set.of(
          "sc-status",
          "sc-substatus",
          "sc-win32-status",
          "sc-bytes",
          "cs-bytes",
          "time-taken",
          "s-port",
          "c-port",
          "src-port",
          "dst-port",
          "size",
          "pid");

  /** The W3C names of request headers ({@code cs(User-Agent)} as named by {@link #field}). */
  private static boolean isHeader(String name) {
    return name.equals("cs-user-agent") || name.equals("cs-referer") || name.equals("cs-cookie");
  }

  private static final int C_IP = FieldNames.id("c-ip");
  private static final int SRC_IP = FieldNames.id("src-ip");
  private static final int S_IP = FieldNames.id("s-ip");
  private static final int DST_IP = FieldNames.id("dst-ip");
  private static final int S_PORT = FieldNames.id("s-port");
  private static final int DST_PORT = FieldNames.id("dst-port");
  private static final int C_PORT = FieldNames.id("c-port");
  private static final int SRC_PORT = FieldNames.id("src-port");
  private static final int S_COMPUTERNAME = FieldNames.id("s-computername");
  private static final int PID = FieldNames.id("pid");
  private static final int CS_USERNAME = FieldNames.id("cs-username");
  private static final int CS_METHOD = FieldNames.id("cs-method");
  private static final int CS_URI_STEM = FieldNames.id("cs-uri-stem");
  private static final int CS_URI_QUERY = FieldNames.id("cs-uri-query");
  private static final int CS_HOST = FieldNames.id("cs-host");
  private static final int CS_USER_AGENT = FieldNames.id("cs-user-agent");
  private static final int CS_REFERER = FieldNames.id("cs-referer");
  private static final int CS_VERSION = FieldNames.id("cs-version");
  private static final int SC_STATUS = FieldNames.id("sc-status");
  private static final int SC_BYTES = FieldNames.id("sc-bytes");
  private static final int CS_BYTES = FieldNames.id("cs-bytes");
  private static final int TIME_TAKEN = FieldNames.id("time-taken");
  private static final int ACTION = FieldNames.id("action");
  private static final int TCPFLAGS = FieldNames.id("tcpflags");
  private static final int PROTOCOL = FieldNames.id("protocol");
  private static final int PATH = FieldNames.id("path");
  private static final int C_URI = FieldNames.id("c-uri");
  private static final int USER_NAME = FieldNames.id("user.name");
  private static final int HTTP_METHOD = FieldNames.id("http.request.method");
  private static final int URL_ORIGINAL = FieldNames.id("url.original");
  private static final int URL_PATH = FieldNames.id("url.path");
  private static final int URL_QUERY = FieldNames.id("url.query");
  private static final int URL_DOMAIN = FieldNames.id("url.domain");
  private static final int USER_AGENT = FieldNames.id("user_agent.original");
  private static final int REFERRER = FieldNames.id("http.request.referrer");
  private static final int HTTP_VERSION = FieldNames.id("http.version");
  private static final int STATUS_CODE = FieldNames.id("http.response.status_code");
  private static final int OUTCOME = FieldNames.id("event.outcome");
  private static final int RESPONSE_BYTES = FieldNames.id("http.response.bytes");
  private static final int REQUEST_BYTES = FieldNames.id("http.request.bytes");
  private static final int DURATION = FieldNames.id("event.duration");
  private static final int CATEGORY = FieldNames.id("event.category");
  private static final int TRANSPORT = FieldNames.id("network.transport");
  private static final int DIRECTION = FieldNames.id("network.direction");

  /** Adds the ECS names beside the W3C ones; returns the log type. */
  private static String ecs(Event e, Header h, String data) {
    Ecs.ip(e, C_IP, SOURCE_IP);
    Ecs.ip(e, SRC_IP, SOURCE_IP);
    Ecs.ip(e, S_IP, DESTINATION_IP);
    Ecs.ip(e, DST_IP, DESTINATION_IP);
    Ecs.copyLong(e, S_PORT, DESTINATION_PORT);
    Ecs.copyLong(e, DST_PORT, DESTINATION_PORT);
    Ecs.copyLong(e, C_PORT, SOURCE_PORT);
    Ecs.copyLong(e, SRC_PORT, SOURCE_PORT);
    Ecs.copy(e, S_COMPUTERNAME, HOST_NAME);
    Ecs.copyLong(e, PID, PROCESS_PID);
    Ecs.copy(e, CS_USERNAME, USER_NAME);
    String method = Ecs.text(e, CS_METHOD);
    String stem = Ecs.text(e, CS_URI_STEM);
    boolean web = method != null || stem != null;
    if (web) {
      String query = Ecs.text(e, CS_URI_QUERY);
      Ecs.copy(e, CS_METHOD, HTTP_METHOD);
      String uri = stem == null ? null : query == null ? stem : stem + "?" + query;
      if (uri != null) {
        e.addString(C_URI, uri);
        e.addString(URL_ORIGINAL, uri);
        e.addString(URL_PATH, stem);
      }
      Ecs.copy(e, CS_URI_QUERY, URL_QUERY);
      Ecs.copy(e, CS_HOST, URL_DOMAIN);
      Ecs.copy(e, CS_USER_AGENT, USER_AGENT);
      Ecs.copy(e, CS_REFERER, REFERRER);
      String version = Ecs.text(e, CS_VERSION);
      if (version != null && version.startsWith("HTTP/")) {
        e.addString(HTTP_VERSION, version.substring(5)); // ECS: "1.1"
      }
      int status = e.indexOf(SC_STATUS);
      if (status >= 0 && e.kind(status) == dev.rampart.core.event.Kind.LONG) {
        long s = e.longValue(status);
        e.addLong(STATUS_CODE, s);
        e.addString(OUTCOME, s < 400 ? "success" : "failure");
      }
      Ecs.copyLong(e, SC_BYTES, RESPONSE_BYTES);
      Ecs.copyLong(e, CS_BYTES, REQUEST_BYTES);
      int taken = e.indexOf(TIME_TAKEN);
      if (taken >= 0 && e.kind(taken) == dev.rampart.core.event.Kind.LONG) {
        e.addLong(DURATION, e.longValue(taken) * 1_000_000L);
      }
      e.addString(MESSAGE, (method == null ? "" : method + " ") + (uri == null ? "" : uri));
      e.addString(CATEGORY, "web");
    } else {
      e.addString(MESSAGE, data);
    }
    String software = h.software() == null ? "" : h.software();
    if (software.contains("Windows Firewall")
        || (e.indexOf(TCPFLAGS) >= 0 && e.indexOf(ACTION) >= 0)) {
      String action = Ecs.text(e, ACTION);
      if (action != null) {
        String a = action.toLowerCase(Locale.ROOT);
        e.addString(EVENT_ACTION, a);
        e.addString(
            OUTCOME, a.equals("allow") ? "success" : a.equals("drop") ? "failure" : "unknown");
      }
      String protocol = Ecs.text(e, PROTOCOL);
      if (protocol != null) {
        e.addString(TRANSPORT, protocol.toLowerCase(Locale.ROOT));
      }
      String path = Ecs.text(e, PATH);
      if ("SEND".equals(path)) {
        e.addString(DIRECTION, "outbound");
      } else if ("RECEIVE".equals(path)) {
        e.addString(DIRECTION, "inbound");
      }
      e.addString(CATEGORY, "network");
      e.addString(EVENT_DATASET, "windows.firewall");
      return "firewall/windows";
    }
    if (software.contains("Internet Information Services")) {
      e.addString(EVENT_DATASET, "iis.access");
      return "iis/w3c";
    }
    return web ? "webserver/w3c" : "w3c/extended";
  }

  private static Header header(String text) {
    String[] fields = null;
    String software = null;
    boolean local = false;
    for (String line : text.split("\n")) {
      if (line.startsWith("#Fields:")) {
        List<String> names = new ArrayList<>();
        for (String f : line.substring(8).strip().split(" +")) {
          names.add(field(f));
        }
        fields = names.toArray(String[]::new);
      } else if (line.startsWith("#Software:")) {
        software = line.substring(10).strip();
      } else if (line.startsWith("#Time Format:")) {
        local = line.substring(13).strip().equalsIgnoreCase("Local");
      }
    }
    int[] ids = null;
    byte[] how = null;
    if (fields != null) {
      ids = new int[fields.length];
      how = new byte[fields.length];
      for (int i = 0; i < fields.length; i++) {
        String f = fields[i];
        ids[i] = FieldNames.id(f); // once per header, not per line
        how[i] =
            f.equals("date")
                ? DATE
                : f.equals("time")
                    ? TIME
                    : NUMBERS.contains(f) ? NUMBER : isHeader(f) ? REQUEST_HEADER : TEXT;
      }
    }
    return new Header(fields, ids, how, software, local);
  }

  /**
   * A W3C field name as events carry it: a header field {@code cs(User-Agent)} becomes {@code
   * cs-user-agent} (the access-log parser's name, which Sigma's webserver rules use), {@code
   * sc(Content-Type)} {@code sc-content-type}; other names stay as written.
   */
  static String field(String w3c) {
    int open = w3c.indexOf('(');
    if (open > 0 && w3c.endsWith(")")) {
      return w3c.substring(0, open)
          + "-"
          + w3c.substring(open + 1, w3c.length() - 1).toLowerCase(Locale.ROOT);
    }
    return w3c;
  }

  /** The whole message (directives and line) stays as the original, as for every parser. */
  private ParseError fail(Event into, String message, int column, String why) {
    into.clear();
    into.addString(ORIGINAL, message);
    into.addString(MESSAGE, message);
    return new ParseError(name(), column, why);
  }
}
