package dev.rampart.ingest.parse.cef;

import static dev.rampart.ingest.parse.Fields.*;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.EventSource;
import dev.rampart.core.event.FieldNames;
import dev.rampart.core.event.IpAddress;
import dev.rampart.core.event.Timestamps;
import dev.rampart.ingest.parse.ParseError;
import dev.rampart.ingest.parse.ParseOptions;
import dev.rampart.ingest.parse.Parser;
import dev.rampart.ingest.parse.syslog.SyslogParser;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * ArcSight Common Event Format: {@code CEF:Version|Vendor|Product|Version|Class ID|Name|Severity|
 * Extension}, optionally behind a syslog header. Header fields unescape {@code \|} and {@code \\};
 * extension values run to the next {@code key=} and unescape {@code \=}, {@code \\}, {@code \n},
 * {@code \r}. An unescaped {@code msg} value keeps going until the next key of the CEF dictionary,
 * because senders put whole log lines with their own {@code a=b} pairs in it. Custom fields keep
 * their raw keys and also appear under their labels ({@code cs2Label=Location cs2=x} gives {@code
 * cef.extensions.Location}). Every extension is kept under {@code cef.extensions.*}; the common
 * ones also map to ECS.
 */
public final class CefParser implements Parser {
  /** The CEF key dictionary (ArcSight CEF 0/1): values end only at one of these in {@code msg}. */
  static final Set<String> DICTIONARY =
      Set.of(
          "act",
          "app",
          "cat",
          "cnt",
          "destinationDnsDomain",
          "destinationServiceName",
          "destinationTranslatedAddress",
          "destinationTranslatedPort",
          "deviceCustomDate1",
          "deviceCustomDate1Label",
          "deviceCustomDate2",
          "deviceCustomDate2Label",
          "deviceDirection",
          "deviceDnsDomain",
          "deviceExternalId",
          "deviceFacility",
          "deviceInboundInterface",
          "deviceNtDomain",
          "deviceOutboundInterface",
          "devicePayloadId",
          "deviceProcessName",
          "deviceTranslatedAddress",
          "dhost",
          "dmac",
          "dntdom",
          "dpid",
          "dpriv",
          "dproc",
          "dpt",
          "dst",
          "dtz",
          "duid",
          "duser",
          "dvc",
          "dvchost",
          "dvcmac",
          "dvcpid",
          "end",
          "externalId",
          "fileCreateTime",
          "fileHash",
          "fileId",
          "fileModificationTime",
          "filePath",
          "filePermission",
          "fileType",
          "flexDate1",
          "flexDate1Label",
          "flexString1",
          "flexString1Label",
          "flexString2",
          "flexString2Label",
          "fname",
          "fsize",
          "in",
          "msg",
          "oldFileCreateTime",
          "oldFileHash",
          "oldFileId",
          "oldFileModificationTime",
          "oldFileName",
          "oldFilePath",
          "oldFilePermission",
          "oldFileSize",
          "oldFileType",
          "out",
          "outcome",
          "proto",
          "reason",
          "request",
          "requestClientApplication",
          "requestContext",
          "requestCookies",
          "requestMethod",
          "rt",
          "shost",
          "smac",
          "sntdom",
          "sourceDnsDomain",
          "sourceServiceName",
          "sourceTranslatedAddress",
          "sourceTranslatedPort",
          "spid",
          "spriv",
          "sproc",
          "spt",
          "src",
          "start",
          "suid",
          "suser",
          "type",
          "agentDnsDomain",
          "agentNtDomain",
          "agentTranslatedAddress",
          "agentTranslatedZoneExternalID",
          "agentTranslatedZoneURI",
          "agentZoneExternalID",
          "agentZoneURI",
          "ahost",
          "aid",
          "amac",
          "art",
          "at",
          "atz",
          "av",
          "c6a1",
          "c6a1Label",
          "c6a2",
          "c6a2Label",
          "c6a3",
          "c6a3Label",
          "c6a4",
          "c6a4Label",
          "cfp1",
          "cfp1Label",
          "cfp2",
          "cfp2Label",
          "cfp3",
          "cfp3Label",
          "cfp4",
          "cfp4Label",
          "cn1",
          "cn1Label",
          "cn2",
          "cn2Label",
          "cn3",
          "cn3Label",
          "cs1",
          "cs1Label",
          "cs2",
          "cs2Label",
          "cs3",
          "cs3Label",
          "cs4",
          "cs4Label",
          "cs5",
          "cs5Label",
          "cs6",
          "cs6Label",
          "slat",
          "slong",
          "dlat",
          "dlong");

  private static final Set<String> INTEGERS =
      Set.of(
          "cnt",
          "dpid",
          "dpt",
          "dvcpid",
          "fsize",
          "in",
          "oldFileSize",
          "out",
          "spid",
          "spt",
          "cn1",
          "cn2",
          "cn3",
          "sourceTranslatedPort",
          "destinationTranslatedPort",
          "type");
  private static final Set<String> FLOATS = Set.of("cfp1", "cfp2", "cfp3", "cfp4");
  private static final Set<String> DATES =
      Set.of(
          "rt",
          "start",
          "end",
          "art",
          "deviceCustomDate1",
          "deviceCustomDate2",
          "fileCreateTime",
          "fileModificationTime",
          "oldFileCreateTime",
          "oldFileModificationTime",
          "flexDate1");

  /** Extension keys that map onto ECS fields (besides cef.extensions.*). */
  private static final Map<String, String> ECS =
      Map.ofEntries(
          Map.entry("src", "source.ip"),
          Map.entry("dst", "destination.ip"),
          Map.entry("spt", "source.port"),
          Map.entry("dpt", "destination.port"),
          Map.entry("suser", "source.user.name"),
          Map.entry("duser", "destination.user.name"),
          Map.entry("shost", "source.domain"),
          Map.entry("dhost", "destination.domain"),
          Map.entry("smac", "source.mac"),
          Map.entry("dmac", "destination.mac"),
          Map.entry("act", "event.action"),
          Map.entry("proto", "network.transport"),
          Map.entry("app", "network.protocol"),
          Map.entry("request", "url.original"),
          Map.entry("requestMethod", "http.request.method"),
          Map.entry("requestClientApplication", "user_agent.original"),
          Map.entry("msg", "message"),
          Map.entry("dvchost", "observer.hostname"),
          Map.entry("fname", "file.name"),
          Map.entry("filePath", "file.path"),
          Map.entry("fsize", "file.size"),
          Map.entry("sproc", "process.name"),
          Map.entry("spid", "process.pid"),
          Map.entry("in", "source.bytes"),
          Map.entry("out", "destination.bytes"),
          Map.entry("reason", "event.reason"),
          Map.entry("outcome", "event.outcome"),
          Map.entry("externalId", "event.id"));

  private static final int VERSION = FieldNames.id("cef.version");
  private static final int VENDOR = FieldNames.id("cef.device.vendor");
  private static final int PRODUCT = FieldNames.id("cef.device.product");
  private static final int DEVICE_VERSION = FieldNames.id("cef.device.version");
  private static final int CLASS_ID = FieldNames.id("cef.device.event_class_id");
  private static final int NAME = FieldNames.id("cef.name");
  private static final int SEVERITY = FieldNames.id("cef.severity");
  private static final int EXTENSIONS = FieldNames.id("cef.extensions");
  private static final List<DateTimeFormatter> DATE_FORMATS =
      List.of(
          DateTimeFormatter.ofPattern("MMM dd yyyy HH:mm:ss.SSS", Locale.ROOT),
          DateTimeFormatter.ofPattern("MMM dd yyyy HH:mm:ss", Locale.ROOT),
          DateTimeFormatter.ofPattern("MMM d yyyy HH:mm:ss", Locale.ROOT));

  private final ParseOptions options;
  private final SyslogParser syslog;

  public CefParser(ParseOptions options) {
    this.options = options;
    this.syslog = new SyslogParser(options);
  }

  @Override
  public String name() {
    return "cef";
  }

  @Override
  public String description() {
    return "ArcSight CEF, with or without a syslog header, to cef.* and ECS";
  }

  @Override
  public boolean accepts(String m) {
    int i = m.indexOf("CEF:");
    return i >= 0 && i < 256 && m.indexOf('|', i) > 0;
  }

  @Override
  public ParseError parse(String m, Event into) {
    int start = m.indexOf("CEF:");
    if (start < 0) {
      into.clear();
      into.addString(ORIGINAL, m);
      into.addString(MESSAGE, m);
      return new ParseError(name(), 1, "no 'CEF:' in the message");
    }
    String host = "";
    long prefixTime = Timestamps.UNSET;
    Event prefix = null;
    if (start > 0) {
      // A syslog header before CEF: take its time, host and priority.
      prefix = syslog.header(m, start);
      if (prefix != null) {
        prefixTime = prefix.timestamp();
        String h = prefix.getText("host.name");
        host = h == null ? "" : h;
      }
    }
    into.clear();
    into.addString(ORIGINAL, m);
    if (prefixTime != Timestamps.UNSET) {
      into.timestamp(prefixTime);
    }
    if (prefix != null) {
      for (int f = 0; f < prefix.size(); f++) {
        String n = prefix.name(f);
        if (n.startsWith("log.syslog.") && !n.equals("log.syslog.appname")) {
          into.addCopy(prefix.nameId(f), prefix, f);
        }
      }
    }
    // Seven header fields separated by unescaped '|', then the extension.
    List<String> header = new ArrayList<>(7);
    StringBuilder field = new StringBuilder();
    int i = start + 4;
    for (; i < m.length() && header.size() < 7; i++) {
      char c = m.charAt(i);
      if (c == '\\' && i + 1 < m.length() && (m.charAt(i + 1) == '|' || m.charAt(i + 1) == '\\')) {
        field.append(m.charAt(++i));
      } else if (c == '|') {
        header.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    if (header.size() < 7) {
      into.addString(MESSAGE, m);
      return new ParseError(
          name(), i + 1, "CEF header has " + (header.size()) + " of 7 '|'-separated fields");
    }
    String version = header.get(0).trim();
    if (!version.isEmpty() && version.chars().allMatch(Character::isDigit)) {
      into.addLong(VERSION, Long.parseLong(version));
    } else {
      into.addString(VERSION, version);
    }
    into.addString(VENDOR, header.get(1));
    into.addString(PRODUCT, header.get(2));
    into.addString(DEVICE_VERSION, header.get(3));
    into.addString(CLASS_ID, header.get(4));
    into.addString(NAME, header.get(5));
    into.addString(SEVERITY, header.get(6));
    into.addString(OBSERVER_VENDOR, header.get(1));
    into.addString(OBSERVER_PRODUCT, header.get(2));
    into.addString(OBSERVER_VERSION, header.get(3));
    into.addString(EVENT_CODE, header.get(4));
    String sev = header.get(6).trim();
    if (!sev.isEmpty() && sev.length() < 4 && sev.chars().allMatch(Character::isDigit)) {
      into.addLong(EVENT_SEVERITY, Long.parseLong(sev));
    }
    into.addString(EVENT_DATASET, "cef");
    extension(m.substring(i), into);
    if (into.indexOf(MESSAGE) < 0) {
      into.addString(MESSAGE, header.get(5));
    }
    if (host.isEmpty()) {
      String dvchost = into.getText("observer.hostname");
      String dvc = into.getText("cef.extensions.dvc");
      host = dvchost != null ? dvchost : dvc != null ? dvc : "";
    }
    if (!host.isEmpty()) {
      into.addString(HOST_NAME, host);
    }
    into.source(new EventSource("", host, "cef"));
    return null;
  }

  private void extension(String ext, Event into) {
    // Candidate keys: "name=" at the start or after a space, '=' not escaped.
    List<int[]> keys = new ArrayList<>(); // {keyStart, equalsIndex}
    for (int i = 0; i < ext.length(); i++) {
      if (ext.charAt(i) != '=' || i > 0 && ext.charAt(i - 1) == '\\') {
        continue;
      }
      int k = i;
      while (k > 0 && isKeyChar(ext.charAt(k - 1))) {
        k--;
      }
      if (k < i && (k == 0 || ext.charAt(k - 1) == ' ')) {
        keys.add(new int[] {k, i});
      }
    }
    java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
    for (int n = 0; n < keys.size(); n++) {
      int[] key = keys.get(n);
      String name = ext.substring(key[0], key[1]);
      int next = n + 1;
      if (name.equals("msg")) {
        while (next < keys.size()
            && !DICTIONARY.contains(ext.substring(keys.get(next)[0], keys.get(next)[1]))) {
          next++;
        }
      }
      int end = next < keys.size() ? keys.get(next)[0] : ext.length();
      String raw = ext.substring(key[1] + 1, end).stripTrailing();
      values.put(name, unescape(raw));
      n = next - 1;
    }
    for (Map.Entry<String, String> e : values.entrySet()) {
      String key = e.getKey();
      String value = e.getValue();
      addTyped(FieldNames.child(EXTENSIONS, key), key, value, into);
      if (!key.endsWith("Label")) {
        String label = values.get(key + "Label");
        if (label != null && !label.isEmpty() && !values.containsKey(label)) {
          addTyped(FieldNames.child(EXTENSIONS, label), key, value, into);
        }
      }
      String ecs = ECS.get(key);
      if (ecs != null && !value.isEmpty()) {
        int id = FieldNames.id(ecs);
        if (into.indexOf(id) < 0) {
          addEcs(id, ecs, value, into);
        }
      }
      if (key.equals("rt") && !into.hasTimestamp()) {
        long t = date(value);
        if (t != Timestamps.UNSET) {
          into.timestamp(t);
        }
      }
    }
  }

  private void addTyped(int id, String key, String value, Event into) {
    if (INTEGERS.contains(key) && isInteger(value)) {
      into.addLong(id, Long.parseLong(value));
    } else if (FLOATS.contains(key) && isDecimal(value)) {
      into.addDouble(id, Double.parseDouble(value));
    } else {
      into.addString(id, value);
    }
  }

  private static void addEcs(int id, String ecs, String value, Event into) {
    if (ecs.endsWith(".ip")) {
      IpAddress ip = IpAddress.parse(value);
      if (ip != null) {
        into.addIp(id, ip);
      }
      return;
    }
    if ((ecs.endsWith(".port")
        || ecs.endsWith(".pid")
        || ecs.endsWith(".bytes")
        || ecs.endsWith(".size"))) {
      if (isInteger(value)) {
        into.addLong(id, Long.parseLong(value));
      }
      return;
    }
    into.addString(id, value);
  }

  /** CEF times: epoch milliseconds, "MMM dd yyyy HH:mm:ss[.SSS]", or ISO 8601; epoch nanos. */
  public long date(String v) {
    if (isInteger(v) && v.length() >= 10 && v.length() <= 13) {
      return Long.parseLong(v) * 1_000_000L;
    }
    long iso = Timestamps.parse(v);
    if (iso != Timestamps.UNSET) {
      return iso;
    }
    String s =
        v.length() > 4 && v.charAt(v.length() - 4) == ' ' ? v.substring(0, v.length() - 4) : v;
    for (DateTimeFormatter f : DATE_FORMATS) {
      try {
        return dev.rampart.ingest.parse.Times.nanos(
            LocalDateTime.parse(s, f).atZone(options.zone()).toInstant());
      } catch (DateTimeParseException e) {
        // try the next form
      }
    }
    return Timestamps.UNSET;
  }

  private static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(++i);
        switch (n) {
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case '=', '\\', '|' -> sb.append(n);
          default -> sb.append(c).append(n);
        }
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static boolean isKeyChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-' || c == '[' || c == ']';
  }

  private static boolean isInteger(String v) {
    if (v.isEmpty() || v.length() > 18) {
      return false;
    }
    for (int i = v.charAt(0) == '-' ? 1 : 0; i < v.length(); i++) {
      if (!Character.isDigit(v.charAt(i))) {
        return false;
      }
    }
    return v.length() > (v.charAt(0) == '-' ? 1 : 0);
  }

  private static boolean isDecimal(String v) {
    try {
      Double.parseDouble(v);
      return !v.isEmpty() && Character.isDigit(v.charAt(v.length() - 1));
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
