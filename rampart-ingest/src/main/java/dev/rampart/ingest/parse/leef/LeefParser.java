package dev.rampart.ingest.parse.leef;

import static dev.rampart.ingest.parse.Fields.*;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.EventSource;
import dev.rampart.core.event.FieldNames;
import dev.rampart.core.event.IpAddress;
import dev.rampart.core.event.Timestamps;
import dev.rampart.ingest.parse.Digits;
import dev.rampart.ingest.parse.ParseError;
import dev.rampart.ingest.parse.ParseOptions;
import dev.rampart.ingest.parse.Parser;
import dev.rampart.ingest.parse.syslog.SyslogParser;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;

/**
 * IBM QRadar's Log Event Extended Format. LEEF 1.0: {@code LEEF:1.0|Vendor|Product|Version|
 * EventID|} then tab-separated {@code key=value} attributes. LEEF 2.0 adds a sixth header field,
 * the attribute delimiter: one character, or its hex code ({@code x09}, {@code 0x5E}, {@code ^}). A
 * syslog header before {@code LEEF:} gives time and host. Attributes stay under {@code
 * leef.attributes.*}; the predefined ones (src, dst, srcPort, usrName, devTime, sev, ...) also map
 * to ECS.
 */
public final class LeefParser implements Parser {
  private static final Map<String, String> ECS =
      Map.ofEntries(
          Map.entry("src", "source.ip"),
          Map.entry("dst", "destination.ip"),
          Map.entry("srcPort", "source.port"),
          Map.entry("dstPort", "destination.port"),
          Map.entry("srcPreNAT", "source.nat.ip"),
          Map.entry("dstPreNAT", "destination.nat.ip"),
          Map.entry("srcMAC", "source.mac"),
          Map.entry("dstMAC", "destination.mac"),
          Map.entry("usrName", "user.name"),
          Map.entry("accountName", "user.name"),
          Map.entry("domain", "user.domain"),
          Map.entry("proto", "network.transport"),
          Map.entry("srcBytes", "source.bytes"),
          Map.entry("dstBytes", "destination.bytes"),
          Map.entry("url", "url.original"),
          Map.entry("action", "event.action"),
          Map.entry("policy", "rule.name"),
          Map.entry("identHostName", "host.name"),
          Map.entry("msg", "message"));

  private static final int VERSION = FieldNames.id("leef.version");
  private static final int VENDOR = FieldNames.id("leef.vendor");
  private static final int PRODUCT = FieldNames.id("leef.product");
  private static final int PRODUCT_VERSION = FieldNames.id("leef.product_version");
  private static final int EVENT_ID = FieldNames.id("leef.event_id");
  private static final int ATTRIBUTES = FieldNames.id("leef.attributes");

  private final ParseOptions options;
  private final SyslogParser syslog;

  public LeefParser(ParseOptions options) {
    this.options = options;
    this.syslog = new SyslogParser(options);
  }

  @Override
  public String name() {
    return "leef";
  }

  @Override
  public String description() {
    return "IBM QRadar LEEF 1.0 and 2.0 (custom delimiters), with or without a syslog header";
  }

  @Override
  public boolean accepts(String m) {
    int i = m.indexOf("LEEF:");
    return i >= 0 && i < 256 && m.indexOf('|', i) > 0;
  }

  @Override
  public ParseError parse(String m, Event into) {
    int start = m.indexOf("LEEF:");
    String host = "";
    long prefixTime = Timestamps.UNSET;
    if (start > 0) {
      Event header = syslog.header(m, start);
      if (header != null) {
        prefixTime = header.timestamp();
        String h = header.getText("host.name");
        host = h == null ? "" : h;
      }
    }
    into.clear();
    into.addString(ORIGINAL, m);
    if (start < 0) {
      into.addString(MESSAGE, m);
      return new ParseError(name(), 1, "no 'LEEF:' in the message");
    }
    if (prefixTime != Timestamps.UNSET) {
      into.timestamp(prefixTime);
    }
    String[] h = new String[6];
    int pos = start + 5;
    int fields = 0;
    for (; fields < 5; fields++) {
      int bar = m.indexOf('|', pos);
      if (bar < 0) {
        into.addString(MESSAGE, m);
        return new ParseError(
            name(), pos + 1, "LEEF header has " + fields + " of 5 '|'-separated fields");
      }
      h[fields] = m.substring(pos, bar);
      pos = bar + 1;
    }
    String version = h[0].trim();
    char delimiter = '\t';
    if (version.startsWith("2")) {
      int bar = m.indexOf('|', pos);
      if (bar < 0) {
        into.addString(MESSAGE, m);
        return new ParseError(name(), pos + 1, "LEEF 2.0 header lacks the delimiter field");
      }
      String d = m.substring(pos, bar);
      pos = bar + 1;
      if (d.length() == 1) {
        delimiter = d.charAt(0);
      } else if (hexCode(d) >= 0) {
        delimiter = (char) hexCode(d);
      } else if (!d.isEmpty()) {
        into.addString(MESSAGE, m);
        return new ParseError(
            name(),
            pos - d.length(),
            "delimiter '" + d + "' is neither one character nor a hex code");
      }
    }
    into.addString(VERSION, version);
    into.addString(VENDOR, h[1]);
    into.addString(PRODUCT, h[2]);
    into.addString(PRODUCT_VERSION, h[3]);
    into.addString(EVENT_ID, h[4]);
    into.addString(OBSERVER_VENDOR, h[1]);
    into.addString(OBSERVER_PRODUCT, h[2]);
    into.addString(OBSERVER_VERSION, h[3]);
    into.addString(EVENT_CODE, h[4]);
    into.addString(EVENT_DATASET, "leef");
    String devTime = null;
    String devTimeFormat = null;
    for (int next; pos <= m.length(); pos = next + 1) {
      next = m.indexOf(delimiter, pos);
      if (next < 0) {
        next = m.length();
      }
      String pair = m.substring(pos, next);
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String key = pair.substring(0, eq).trim();
      String value = pair.substring(eq + 1);
      into.addString(FieldNames.child(ATTRIBUTES, key), value);
      if (key.equals("devTime")) {
        devTime = value;
      } else if (key.equals("devTimeFormat")) {
        devTimeFormat = value;
      } else if (key.equals("sev") && Digits.count(value, 1, 2)) {
        into.addLong(EVENT_SEVERITY, Long.parseLong(value));
      }
      String ecs = ECS.get(key);
      if (ecs != null && !value.isEmpty() && into.indexOf(FieldNames.id(ecs)) < 0) {
        int id = FieldNames.id(ecs);
        if (ecs.endsWith(".ip")) {
          IpAddress ip = IpAddress.parse(value);
          if (ip != null) {
            into.addIp(id, ip);
          }
        } else if (ecs.endsWith(".port") || ecs.endsWith(".bytes")) {
          if (Digits.count(value, 1, 18)) {
            into.addLong(id, Long.parseLong(value));
          }
        } else {
          into.addString(id, value);
        }
      }
    }
    if (devTime != null) {
      long t = time(devTime, devTimeFormat);
      if (t != Timestamps.UNSET) {
        into.timestamp(t);
      }
    }
    if (into.indexOf(MESSAGE) < 0) {
      into.addString(MESSAGE, h[4]);
    }
    if (host.isEmpty()) {
      String ident = into.getText("host.name");
      host = ident == null ? "" : ident;
    } else if (into.indexOf(HOST_NAME) < 0) {
      into.addString(HOST_NAME, host);
    }
    into.source(new EventSource("", host, "leef"));
    return null;
  }

  /** A LEEF 2.0 delimiter given as a hex code (x09, 0x09, X09, 0X09), or -1. */
  private static int hexCode(String d) {
    int from = d.length() > 1 && d.charAt(0) == '0' ? 1 : 0;
    if (from >= d.length() || (d.charAt(from) != 'x' && d.charAt(from) != 'X')) {
      return -1;
    }
    from++;
    if (d.length() - from < 1 || d.length() - from > 4) {
      return -1;
    }
    int code = 0;
    for (int i = from; i < d.length(); i++) {
      char c = d.charAt(i);
      int v =
          c >= '0' && c <= '9'
              ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (v < 0) {
        return -1;
      }
      code = code * 16 + v;
    }
    return code;
  }

  /**
   * devTime: epoch milliseconds, ISO 8601, the LEEF default "MMM dd yyyy HH:mm:ss", or
   * devTimeFormat.
   */
  private long time(String v, String format) {
    if (Digits.count(v, 12, 13)) {
      return Long.parseLong(v) * 1_000_000L;
    }
    long iso = Timestamps.parse(v);
    if (iso != Timestamps.UNSET) {
      return iso;
    }
    for (String f :
        format != null
            ? new String[] {format, "MMM dd yyyy HH:mm:ss"}
            : new String[] {"MMM dd yyyy HH:mm:ss"}) {
      try {
        DateTimeFormatter df = DateTimeFormatter.ofPattern(f, Locale.ROOT);
        return dev.rampart.ingest.parse.Times.nanos(
            LocalDateTime.parse(v, df).atZone(options.zone()).toInstant());
      } catch (DateTimeParseException | IllegalArgumentException e) {
        // next
      }
    }
    return Timestamps.UNSET;
  }
}
