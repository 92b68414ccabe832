package dev.rampart.ingest.parse.access;

import static dev.rampart.ingest.parse.Fields.*;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.EventSource;
import dev.rampart.core.event.FieldNames;
import dev.rampart.core.event.IpAddress;
import dev.rampart.core.event.Timestamps;
import dev.rampart.ingest.parse.Digits;
import dev.rampart.ingest.parse.ParseError;
import dev.rampart.ingest.parse.Parser;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Web server access logs in the NCSA common and combined formats (Apache's and nginx's defaults,
 * and most proxies'): {@code client ident user [time] "request" status bytes ["referer"
 * "user-agent"]}, with anything after that kept. Fields get the W3C names Sigma's webserver rules
 * use ({@code c-ip}, {@code cs-method}, {@code cs-uri-stem}, {@code cs-uri-query}, {@code
 * sc-status}, {@code cs-user-agent}, ...) and the ECS names beside them; the log type is {@code
 * webserver/access}.
 */
public final class AccessLogParser implements Parser {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("dd/MMM/uuuu:HH:mm:ss Z", Locale.ROOT)
          .withResolverStyle(java.time.format.ResolverStyle.STRICT);

  @Override
  public String name() {
    return "access";
  }

  @Override
  public String description() {
    return "web server access logs (NCSA common/combined: Apache, nginx, proxies) to W3C and ECS fields";
  }

  @Override
  public boolean accepts(String m) {
    int bracket = m.indexOf(" [");
    return bracket > 0 && bracket < 100 && m.indexOf("] \"", bracket) > 0;
  }

  @Override
  public ParseError parse(String m, Event into) {
    into.clear();
    into.addString(ORIGINAL, m);
    int pos = 0;
    String[] head = new String[3];
    for (int i = 0; i < 3; i++) {
      int sp = m.indexOf(' ', pos);
      if (sp < 0) {
        return fail(into, m, pos + 1, "expected client, ident and user before the time");
      }
      head[i] = m.substring(pos, sp);
      pos = sp + 1;
    }
    if (pos >= m.length() || m.charAt(pos) != '[') {
      return fail(into, m, pos + 1, "expected '[' and the time");
    }
    int close = m.indexOf(']', pos);
    if (close < 0) {
      return fail(into, m, pos + 1, "time not closed with ']'");
    }
    String time = m.substring(pos + 1, close);
    try {
      long nanos =
          dev.rampart.ingest.parse.Times.nanos(OffsetDateTime.parse(time, TIME).toInstant());
      if (nanos == Timestamps.UNSET) {
        return fail(into, m, pos + 2, "time '" + time + "' is out of range");
      }
      into.timestamp(nanos);
    } catch (DateTimeParseException e) {
      return fail(into, m, pos + 2, "time '" + time + "' is not dd/MMM/yyyy:HH:mm:ss Z");
    }
    pos = close + 2;
    if (pos >= m.length() || m.charAt(pos) != '"') {
      return fail(into, m, pos + 1, "expected the quoted request line");
    }
    int[] q = new int[] {pos};
    String request = quoted(m, q);
    if (request == null) {
      return fail(into, m, pos + 1, "request line not closed with '\"'");
    }
    pos = q[0] + 1;
    while (pos < m.length() && m.charAt(pos) == ' ') {
      pos++;
    }
    String[] rest = m.substring(Math.min(pos, m.length())).split(" ", 3);
    if (rest.length < 2) {
      return fail(into, m, pos + 1, "expected status and size after the request");
    }
    String client = head[0];
    String user = head[2];
    field(into, "c-ip", client);
    IpAddress ip = IpAddress.parse(client);
    if (ip != null) {
      into.addIp(SOURCE_IP, ip);
    } else {
      into.addString(FieldNames.id("source.domain"), client);
    }
    if (!user.equals("-")) {
      field(into, "cs-username", user);
      into.addString(FieldNames.id("user.name"), user);
    }
    // "GET /path?query HTTP/1.1"; malformed request lines (scanners send them) are kept whole.
    String[] parts = request.split(" ", 3);
    if (parts.length >= 2) {
      String method = parts[0];
      String uri = parts[1];
      int qm = uri.indexOf('?');
      field(into, "cs-method", method);
      into.addString(FieldNames.id("http.request.method"), method);
      field(into, "cs-uri-stem", qm < 0 ? uri : uri.substring(0, qm));
      if (qm >= 0) {
        field(into, "cs-uri-query", uri.substring(qm + 1));
        into.addString(FieldNames.id("url.query"), uri.substring(qm + 1));
      }
      field(into, "c-uri", uri);
      into.addString(FieldNames.id("url.original"), uri);
      into.addString(FieldNames.id("url.path"), qm < 0 ? uri : uri.substring(0, qm));
      if (parts.length == 3) {
        field(into, "cs-version", parts[2]);
        if (parts[2].startsWith("HTTP/")) {
          into.addString(FieldNames.id("http.version"), parts[2].substring(5));
        }
      }
    } else {
      field(into, "cs-request", request);
    }
    if (Digits.count(rest[0], 3, 3)) {
      into.addLong(FieldNames.id("sc-status"), Long.parseLong(rest[0]));
      into.addLong(FieldNames.id("http.response.status_code"), Long.parseLong(rest[0]));
      into.addString(
          FieldNames.id("event.outcome"), rest[0].charAt(0) < '4' ? "success" : "failure");
    }
    if (Digits.count(rest[1], 1, 18)) {
      into.addLong(FieldNames.id("sc-bytes"), Long.parseLong(rest[1]));
      into.addLong(FieldNames.id("http.response.body.bytes"), Long.parseLong(rest[1]));
    }
    if (rest.length == 3) {
      String tail = rest[2];
      int[] t = new int[] {tail.indexOf('"')};
      if (t[0] >= 0) {
        String referer = quoted(tail, t);
        if (referer != null) {
          if (!referer.equals("-")) {
            field(into, "cs-referer", referer);
            into.addString(FieldNames.id("http.request.referrer"), referer);
          }
          int next = tail.indexOf('"', t[0] + 1);
          if (next >= 0) {
            t[0] = next;
            String agent = quoted(tail, t);
            if (agent != null && !agent.equals("-")) {
              field(into, "cs-user-agent", agent);
              into.addString(FieldNames.id("user_agent.original"), agent);
            }
          }
        }
      }
    }
    into.addString(MESSAGE, request);
    into.addString(EVENT_DATASET, "webserver.access");
    into.source(new EventSource("", "", "webserver/access"));
    return null;
  }

  /** The text of a quoted field starting at {@code at[0]} (a '"'); {@code \"} escapes a quote. */
  private static String quoted(String m, int[] at) {
    StringBuilder sb = new StringBuilder();
    for (int i = at[0] + 1; i < m.length(); i++) {
      char c = m.charAt(i);
      if (c == '\\' && i + 1 < m.length()) {
        sb.append(c).append(m.charAt(++i)); // kept as logged: rules match the raw request
      } else if (c == '"') {
        at[0] = i;
        return sb.toString();
      } else {
        sb.append(c);
      }
    }
    return null;
  }

  private static void field(Event into, String name, String value) {
    into.addString(FieldNames.id(name), value);
  }

  private ParseError fail(Event into, String m, int column, String why) {
    into.addString(MESSAGE, m);
    return new ParseError(name(), column, why);
  }
}
