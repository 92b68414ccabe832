package dev.rampart.intel.feed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.intel.Indicator;
import dev.rampart.intel.Normalize;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads indicator feeds: STIX 2.1 bundles (indicators whose pattern is one or more comparisons
 * joined by OR), MISP event JSON (attributes marked for detection, composite types split), and CSV
 * (a header naming value, type, confidence, expires, source, name; or bare values whose type is
 * guessed). Every value is normalised; what cannot be used is reported with its place and skipped,
 * and the rest is kept.
 */
public final class Feeds {
  /** What a feed gave, and what it could not. */
  public record Result(List<Indicator> indicators, List<Problem> problems) {}

  /** A line or object that was skipped, and why. */
  public record Problem(String file, String where, String message) {
    @Override
    public String toString() {
      return file + ":" + where + ": " + message;
    }
  }

  /** Feed formats. */
  public enum Format {
    AUTO,
    STIX,
    MISP,
    CSV
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_BYTES = 2L << 30;

  private Feeds() {}

  /** Reads {@code file}; {@code source} names the feed in alerts (default: the file name). */
  public static Result read(Path file, Format format, String source) throws IOException {
    if (Files.size(file) > MAX_BYTES) {
      throw new IOException(file + " is larger than 2 GB; split it");
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    String src = source != null ? source : file.getFileName().toString();
    return parse(file.toString(), text, format, src, System.currentTimeMillis());
  }

  public static Result parse(String file, String text, Format format, String source, long now)
      throws IOException {
    Format f = format;
    String head = text.stripLeading();
    if (f == Format.AUTO) {
      if (head.startsWith("{") || head.startsWith("[")) {
        JsonNode root = JSON.readTree(text);
        f = "bundle".equals(root.path("type").asText()) ? Format.STIX : Format.MISP;
      } else {
        f = Format.CSV;
      }
    }
    List<Indicator> out = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    switch (f) {
      case STIX -> stix(file, JSON.readTree(text), source, out, problems);
      case MISP -> misp(file, JSON.readTree(text), source, out, problems);
      case CSV -> csv(file, text, source, out, problems);
      default -> throw new IllegalStateException();
    }
    return new Result(out, problems);
  }

  // ---- STIX 2.1 ----

  private static final Pattern COMPARISON =
      Pattern.compile(
          "(ipv4-addr|ipv6-addr|domain-name|url|file):(value|hashes\\.(?:'([^']+)'|([A-Za-z0-9-]+)))"
              + "\\s*(=|ISSUBSET)\\s*'((?:[^'\\\\]|\\\\.)*)'");

  private static void stix(
      String file, JsonNode root, String source, List<Indicator> out, List<Problem> problems) {
    JsonNode objects = root.path("objects");
    for (int k = 0; k < objects.size(); k++) {
      JsonNode o = objects.get(k);
      if (!"indicator".equals(o.path("type").asText())) {
        continue;
      }
      String where = "objects[" + k + "] " + o.path("id").asText();
      if (!o.path("pattern_type").isMissingNode()
          && !"stix".equals(o.path("pattern_type").asText())) {
        problems.add(
            new Problem(
                file, where, "pattern_type " + o.path("pattern_type").asText() + " is not read"));
        continue;
      }
      String pattern = o.path("pattern").asText();
      String rest = COMPARISON.matcher(pattern).replaceAll("");
      if (!rest.replaceAll("[\\s\\[\\]()]|\\bOR\\b", "").isEmpty()) {
        problems.add(
            new Problem(
                file,
                where,
                "only comparisons joined by OR make indicators; this pattern has more: "
                    + cut(pattern)));
        continue;
      }
      int confidence = o.path("confidence").isInt() ? o.get("confidence").asInt() : 50;
      long expires = time(o.path("valid_until").asText(null));
      String name = o.path("name").asText("");
      Matcher m = COMPARISON.matcher(pattern);
      boolean any = false;
      while (m.find()) {
        String object = m.group(1);
        String hashName = m.group(3) != null ? m.group(3) : m.group(4);
        String value = m.group(6).replace("\\'", "'").replace("\\\\", "\\");
        Indicator.Type type =
            switch (object) {
              case "ipv4-addr", "ipv6-addr" -> Indicator.Type.IP;
              case "domain-name" -> Indicator.Type.DOMAIN;
              case "url" -> Indicator.Type.URL;
              default ->
                  hashName == null
                      ? null
                      : switch (hashName.toUpperCase(Locale.ROOT).replace("-", "")) {
                        case "MD5" -> Indicator.Type.MD5;
                        case "SHA1" -> Indicator.Type.SHA1;
                        case "SHA256" -> Indicator.Type.SHA256;
                        default -> null;
                      };
            };
        if (type == null) {
          problems.add(
              new Problem(file, where, "unsupported object path " + object + ":" + m.group(2)));
          continue;
        }
        any |= add(out, problems, file, where, type, value, source, confidence, expires, name);
      }
      if (!any && problems.stream().noneMatch(p -> p.where().equals(where))) {
        problems.add(new Problem(file, where, "no usable comparison in " + cut(pattern)));
      }
    }
  }

  // ---- MISP ----

  private static final Map<String, Indicator.Type> MISP_TYPES =
      Map.ofEntries(
          Map.entry("ip-src", Indicator.Type.IP),
          Map.entry("ip-dst", Indicator.Type.IP),
          Map.entry("ip", Indicator.Type.IP),
          Map.entry("domain", Indicator.Type.DOMAIN),
          Map.entry("hostname", Indicator.Type.DOMAIN),
          Map.entry("url", Indicator.Type.URL),
          Map.entry("uri", Indicator.Type.URL),
          Map.entry("link", Indicator.Type.URL),
          Map.entry("md5", Indicator.Type.MD5),
          Map.entry("sha1", Indicator.Type.SHA1),
          Map.entry("sha256", Indicator.Type.SHA256));

  private static void misp(
      String file, JsonNode root, String source, List<Indicator> out, List<Problem> problems) {
    List<JsonNode> events = new ArrayList<>();
    if (root.has("Event")) {
      events.add(root.get("Event"));
    } else if (root.has("response")) {
      root.get("response").forEach(r -> events.add(r.has("Event") ? r.get("Event") : r));
    } else if (root.isArray()) {
      root.forEach(r -> events.add(r.has("Event") ? r.get("Event") : r));
    } else {
      problems.add(new Problem(file, "1", "neither a STIX bundle nor MISP event JSON (no Event)"));
      return;
    }
    for (JsonNode ev : events) {
      String info = ev.path("info").asText("");
      String evSource = source + (ev.has("uuid") ? " event " + ev.get("uuid").asText() : "");
      int confidence =
          switch (ev.path("threat_level_id").asText("4")) {
            case "1" -> 90;
            case "2" -> 70;
            default -> 50;
          };
      List<JsonNode> attributes = new ArrayList<>();
      ev.path("Attribute").forEach(attributes::add);
      ev.path("Object").forEach(o -> o.path("Attribute").forEach(attributes::add));
      for (JsonNode a : attributes) {
        String where = "attribute " + a.path("uuid").asText(a.path("id").asText("?"));
        if (a.has("to_ids") && !a.get("to_ids").asBoolean()) {
          continue; // the producer says: not for detection
        }
        String type = a.path("type").asText();
        String value = a.path("value").asText();
        String name = a.path("comment").asText("").isEmpty() ? info : a.path("comment").asText();
        String[] parts = type.split("\\|");
        String[] values = value.split("\\|", -1);
        boolean used = false;
        for (int p = 0; p < parts.length && p < values.length; p++) {
          String t = parts[p].equals("port") || parts[p].equals("filename") ? null : parts[p];
          Indicator.Type it = t == null ? null : MISP_TYPES.get(t);
          if (it != null) {
            used |= add(out, problems, file, where, it, values[p], evSource, confidence, 0, name);
          }
        }
        if (!used && problems.stream().noneMatch(x -> x.where().equals(where))) {
          problems.add(
              new Problem(
                  file,
                  where,
                  "attribute type " + type + " is not an indicator type Rampart matches"));
        }
      }
    }
  }

  // ---- CSV ----

  private static void csv(
      String file, String text, String source, List<Indicator> out, List<Problem> problems) {
    String[] lines = text.split("\r?\n", -1);
    Map<String, Integer> columns = null;
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      List<String> cells = cells(line);
      if (columns == null) {
        Map<String, Integer> header = new java.util.HashMap<>();
        for (int c = 0; c < cells.size(); c++) {
          header.put(cells.get(c).strip().toLowerCase(Locale.ROOT), c);
        }
        if (header.containsKey("value")
            || header.containsKey("indicator")
            || header.containsKey("ioc")) {
          columns = header;
          continue;
        }
        columns = Map.of(); // no header: bare values, or type,value
      }
      String where = Integer.toString(n + 1);
      String value;
      String typeText = null;
      int confidence = 50;
      long expires = 0;
      String src = source;
      String name = "";
      if (columns.isEmpty()) {
        if (cells.size() >= 2 && Indicator.Type.parse(cells.get(0).strip()) != null) {
          typeText = cells.get(0).strip();
          value = cells.get(1);
        } else {
          value = cells.get(0);
        }
      } else {
        value = cell(cells, columns, "value", "indicator", "ioc");
        typeText = cell(cells, columns, "type");
        String conf = cell(cells, columns, "confidence");
        if (conf != null && !conf.isBlank()) {
          try {
            confidence = Integer.parseInt(conf.strip());
          } catch (NumberFormatException e) {
            problems.add(
                new Problem(file, where, "confidence '" + conf + "' is not a number 0..100"));
            continue;
          }
        }
        String exp = cell(cells, columns, "expires", "expiry", "valid_until");
        if (exp != null && !exp.isBlank()) {
          expires = time(exp.strip());
          if (expires == 0) {
            problems.add(
                new Problem(file, where, "expires '" + exp + "' is not a date such as 2026-12-31"));
            continue;
          }
        }
        String s = cell(cells, columns, "source");
        if (s != null && !s.isBlank()) {
          src = s.strip();
        }
        String nm = cell(cells, columns, "name", "description", "comment");
        name = nm == null ? "" : nm.strip();
      }
      if (value == null || value.isBlank()) {
        problems.add(new Problem(file, where, "no value"));
        continue;
      }
      Indicator.Type type;
      if (typeText == null || typeText.isBlank()) {
        type = Normalize.guess(value);
        if (type == null) {
          problems.add(
              new Problem(
                  file, where, "cannot tell what '" + cut(value) + "' is; add a type column"));
          continue;
        }
      } else {
        type =
            Indicator.Type.parse(
                typeText
                    .strip()
                    .replace("ipv4", "ip")
                    .replace("ipv6", "ip")
                    .replace("cidr", "ip")
                    .replace("sha-256", "sha256")
                    .replace("sha-1", "sha1"));
        if (type == null) {
          problems.add(
              new Problem(
                  file,
                  where,
                  "type '" + typeText + "' is not ip, domain, url, md5, sha1 or sha256"));
          continue;
        }
      }
      add(out, problems, file, where, type, value, src, confidence, expires, name);
    }
  }

  private static String cell(List<String> cells, Map<String, Integer> columns, String... names) {
    for (String n : names) {
      Integer c = columns.get(n);
      if (c != null && c < cells.size()) {
        return cells.get(c);
      }
    }
    return null;
  }

  /** One CSV line's cells; double quotes group and "" is a quote. */
  static List<String> cells(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int k = 0; k < line.length(); k++) {
      char c = line.charAt(k);
      if (quoted) {
        if (c == '"' && k + 1 < line.length() && line.charAt(k + 1) == '"') {
          cur.append('"');
          k++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }

  private static boolean add(
      List<Indicator> out,
      List<Problem> problems,
      String file,
      String where,
      Indicator.Type type,
      String raw,
      String source,
      int confidence,
      long expires,
      String name) {
    String v = Normalize.value(type, raw);
    if (v == null) {
      problems.add(new Problem(file, where, "'" + cut(raw) + "' is not a valid " + type.label()));
      return false;
    }
    out.add(new Indicator(type, v, source, confidence, expires, name));
    return true;
  }

  /** An ISO instant or date as epoch ms; 0 when absent or unreadable. */
  static long time(String s) {
    if (s == null || s.isBlank()) {
      return 0;
    }
    try {
      return Instant.parse(s).toEpochMilli();
    } catch (RuntimeException e) {
      try {
        return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      } catch (RuntimeException e2) {
        return 0;
      }
    }
  }

  private static String cut(String s) {
    return s.length() > 120 ? s.substring(0, 120) + "…" : s;
  }
}
