package dev.rampart.ingest.parse.w3c;

import static dev.rampart.ingest.parse.Fields.*;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.EventSource;
import dev.rampart.core.event.FieldNames;
import dev.rampart.core.event.IpAddress;
import dev.rampart.core.event.Timestamps;
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
  private record Header(String[] fields, int[] ids, String software, boolean local) {}

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
      String name = h.fields()[i];
      String v = values[i];
      if (v.equals("-")) {
        continue; // W3C's "no value"
      }
      switch (name) {
        case "date" -> date = v;
        case "time" -> time = v;
        default -> {}
      }
      if (isHeader(name)) {
        v = v.replace('+', ' '); // IIS writes a header's spaces as '+'
      }
      if (NUMBERS.contains(name) && Digits.count(v, 1, 18)) {
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

  /** W3C fields whose values are counts, as numbers (the access-log parser's do too). */
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

  /** Adds the ECS names beside the W3C ones; returns the log type. */
  private static String ecs(Event e, Header h, String data) {
    copyIp(e, "c-ip", SOURCE_IP);
    copyIp(e, "src-ip", SOURCE_IP);
    copyIp(e, "s-ip", DESTINATION_IP);
    copyIp(e, "dst-ip", DESTINATION_IP);
    copyLong(e, "s-port", "destination.port");
    copyLong(e, "dst-port", "destination.port");
    copyLong(e, "c-port", "source.port");
    copyLong(e, "src-port", "source.port");
    copyString(e, "s-computername", "host.name");
    copyLong(e, "pid", "process.pid");
    copyString(e, "cs-username", "user.name");
    String method = e.getText("cs-method");
    boolean web = method != null || e.has("cs-uri-stem");
    if (web) {
      String stem = e.getText("cs-uri-stem");
      String query = e.getText("cs-uri-query");
      copyString(e, "cs-method", "http.request.method");
      if (stem != null) {
        String uri = query == null ? stem : stem + "?" + query;
        e.addString(FieldNames.id("c-uri"), uri);
        e.addString(FieldNames.id("url.original"), uri);
        e.addString(FieldNames.id("url.path"), stem);
      }
      copyString(e, "cs-uri-query", "url.query");
      copyString(e, "cs-host", "url.domain");
      copyString(e, "cs-user-agent", "user_agent.original");
      copyString(e, "cs-referer", "http.request.referrer");
      String version = e.getText("cs-version");
      if (version != null && version.startsWith("HTTP/")) {
        e.addString(FieldNames.id("http.version"), version.substring(5)); // ECS: "1.1"
      }
      int status = e.indexOf("sc-status");
      if (status >= 0 && e.kind(status) == dev.rampart.core.event.Kind.LONG) {
        long s = e.longValue(status);
        e.addLong(FieldNames.id("http.response.status_code"), s);
        e.addString(FieldNames.id("event.outcome"), s < 400 ? "success" : "failure");
      }
      copyLong(e, "sc-bytes", "http.response.bytes");
      copyLong(e, "cs-bytes", "http.request.bytes");
      int taken = e.indexOf("time-taken");
      if (taken >= 0 && e.kind(taken) == dev.rampart.core.event.Kind.LONG) {
        e.addLong(FieldNames.id("event.duration"), e.longValue(taken) * 1_000_000L);
      }
      e.addString(
          MESSAGE,
          (method == null ? "" : method + " ")
              + (e.getText("c-uri") == null ? "" : e.getText("c-uri")));
      e.addString(FieldNames.id("event.category"), "web");
    } else {
      e.addString(MESSAGE, data);
    }
    String software = h.software() == null ? "" : h.software();
    if (software.contains("Windows Firewall") || (e.has("tcpflags") && e.has("action"))) {
      String action = e.getText("action");
      if (action != null) {
        String a = action.toLowerCase(Locale.ROOT);
        e.addString(FieldNames.id("event.action"), a);
        e.addString(
            FieldNames.id("event.outcome"),
            a.equals("allow") ? "success" : a.equals("drop") ? "failure" : "unknown");
      }
      String protocol = e.getText("protocol");
      if (protocol != null) {
        e.addString(FieldNames.id("network.transport"), protocol.toLowerCase(Locale.ROOT));
      }
      String path = e.getText("path");
      if ("SEND".equals(path)) {
        e.addString(FieldNames.id("network.direction"), "outbound");
      } else if ("RECEIVE".equals(path)) {
        e.addString(FieldNames.id("network.direction"), "inbound");
      }
      e.addString(FieldNames.id("event.category"), "network");
      e.addString(EVENT_DATASET, "windows.firewall");
      return "firewall/windows";
    }
    if (software.contains("Internet Information Services")) {
      e.addString(EVENT_DATASET, "iis.access");
      return "iis/w3c";
    }
    return web ? "webserver/w3c" : "w3c/extended";
  }

  private static void copyIp(Event e, String from, int to) {
    String v = e.getText(from);
    IpAddress ip = v == null ? null : IpAddress.parse(v);
    if (ip != null) {
      e.addIp(to, ip);
    }
  }

  private static void copyLong(Event e, String from, String to) {
    int i = e.indexOf(from);
    if (i >= 0 && e.kind(i) == dev.rampart.core.event.Kind.LONG) {
      e.addLong(FieldNames.id(to), e.longValue(i));
    }
  }

  private static void copyString(Event e, String from, String to) {
    String v = e.getText(from);
    if (v != null) {
      e.addString(FieldNames.id(to), v);
    }
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
    if (fields != null) {
      ids = new int[fields.length];
      for (int i = 0; i < fields.length; i++) {
        ids[i] = FieldNames.id(fields[i]); // once per header, not per line
      }
    }
    return new Header(fields, ids, software, local);
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
