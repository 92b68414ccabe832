package dev.rampart.ingest.parse.zeek;

import static dev.rampart.ingest.parse.Fields.*;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.FieldNames;
import dev.rampart.core.event.Value;
import dev.rampart.core.normalize.Normalizers;
import dev.rampart.ingest.parse.ParseError;
import dev.rampart.ingest.parse.Parser;
import dev.rampart.ingest.parse.RecordJoiner;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Zeek's own TSV logs ({@code conn.log}, {@code dns.log}...). A data line means nothing without the
 * {@code #fields} and {@code #types} header above it, so the {@link #joiner()} keeps the current
 * header of the stream and hands each data line on with it; {@link #parse} is then a pure function
 * of that message. Values are typed as Zeek's JSON writer would type them (counts and ports as
 * numbers, intervals and times as epoch seconds, {@code T}/{@code F} as booleans, sets and vectors
 * as lists; {@code -} is unset and left out, {@code (empty)} is an empty string or list; {@code
 * \xHH} escapes are decoded), and the event then goes through the same Zeek normalizer as Zeek
 * JSON, so rules see the same fields and log type {@code zeek/<path>}.
 */
public final class ZeekTsvParser implements Parser {
  @Override
  public String name() {
    return "zeek";
  }

  @Override
  public String description() {
    return "Zeek TSV logs (#fields header, typed values) to the fields Zeek JSON has, plus ECS";
  }

  @Override
  public boolean accepts(String m) {
    return m.startsWith("#separator") || m.startsWith("#fields");
  }

  @Override
  public RecordJoiner joiner() {
    return new Headers();
  }

  /** Keeps the stream's header and emits each data line with it. */
  static final class Headers implements RecordJoiner {
    private final StringBuilder header = new StringBuilder();
    private String prefix = "";
    private long lineNo;

    @Override
    public List<Joined> accept(String line) {
      lineNo++;
      if (line.startsWith("#")) {
        if (line.startsWith("#separator")) {
          header.setLength(0); // a new log (files are often concatenated)
        }
        if (!line.startsWith("#open") && !line.startsWith("#close")) {
          header.append(line).append('\n');
          prefix = header.toString();
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

  /** A parsed header block; the last one is kept, as consecutive lines share it. */
  private record Header(
      String separator,
      String setSeparator,
      String empty,
      String unset,
      String path,
      String[] fields,
      int[] ids,
      String[] types) {}

  private final dev.rampart.ingest.parse.HeaderCache<Header> headers =
      new dev.rampart.ingest.parse.HeaderCache<>(ZeekTsvParser::header);

  @Override
  public ParseError parse(String message, Event into) {
    into.clear();
    int cut = message.lastIndexOf('\n') + 1;
    String data = message.substring(cut);
    if (data.isEmpty() || data.startsWith("#")) {
      return fail(into, message, 1, "no data line");
    }
    Header h = headers.of(message, cut);
    if (h.fields() == null) {
      return fail(into, message, 1, "no #fields header before this line");
    }
    List<String> values = split(data, h.separator());
    if (values.size() != h.fields().length) {
      return fail(
          into,
          message,
          cut + 1,
          "the line has " + values.size() + " values, the #fields header " + h.fields().length);
    }
    if (h.path() != null) {
      into.addString("_path", h.path());
    }
    String[] fields = h.fields();
    int[] ids = h.ids();
    String[] types = h.types();
    for (int i = 0; i < fields.length; i++) {
      String raw = values.get(i);
      if (raw.equals(h.unset())) {
        continue;
      }
      String type = types != null && i < types.length ? types[i] : "string";
      int id = ids[i];
      if (type.startsWith("set[") || type.startsWith("vector[")) {
        List<Value> items = new ArrayList<>();
        if (!raw.equals(h.empty())) {
          String inner = type.substring(type.indexOf('[') + 1, type.length() - 1);
          for (String item : split(raw, h.setSeparator())) {
            items.add(typed(inner, unescape(item)));
          }
        }
        into.addList(id, items);
      } else if (raw.equals(h.empty())) {
        into.addString(id, "");
      } else {
        into.add(id, typed(type, unescape(raw)));
      }
    }
    into.addString(ORIGINAL, data);
    Normalizers.normalize(into);
    return null;
  }

  private static Header header(String text) {
    String separator = "\t";
    String setSeparator = ",";
    String empty = "(empty)";
    String unset = "-";
    String path = null;
    String[] fields = null;
    String[] types = null;
    for (String line : text.split("\n")) {
      if (line.startsWith("#separator ")) {
        separator = unescape(line.substring(11));
        continue;
      }
      int sp = line.indexOf(separator);
      if (!line.startsWith("#") || sp < 0) {
        continue;
      }
      String value = line.substring(sp + separator.length());
      switch (line.substring(1, sp)) {
        case "set_separator" -> setSeparator = value;
        case "empty_field" -> empty = value;
        case "unset_field" -> unset = value;
        case "path" -> path = value;
        case "fields" -> fields = split(value, separator).toArray(String[]::new);
        case "types" -> types = split(value, separator).toArray(String[]::new);
        default -> {}
      }
    }
    int[] ids = null;
    if (fields != null) {
      ids = new int[fields.length];
      for (int i = 0; i < fields.length; i++) {
        ids[i] = FieldNames.id(fields[i]); // once per header, not per line
      }
    }
    return new Header(separator, setSeparator, empty, unset, path, fields, ids, types);
  }

  /** Splits on a literal separator, keeping empty parts. */
  static List<String> split(String s, String sep) {
    List<String> parts = new ArrayList<>();
    int from = 0;
    while (true) {
      int at = s.indexOf(sep, from);
      if (at < 0) {
        parts.add(s.substring(from));
        return parts;
      }
      parts.add(s.substring(from, at));
      from = at + sep.length();
    }
  }

  /** A value of a Zeek type, as Zeek's JSON writer types it; text when it does not parse. */
  private static Value typed(String type, String v) {
    try {
      return switch (type) {
        case "count", "int", "port" -> new Value.Int64(Long.parseLong(v));
        case "double", "interval", "time" -> new Value.Float64(Double.parseDouble(v));
        case "bool" -> Value.Bool.of(v.equals("T"));
        default -> new Value.Str(v);
      };
    } catch (NumberFormatException e) {
      return new Value.Str(v);
    }
  }

  /** Decodes Zeek's {@code \xHH} escapes. */
  static String unescape(String v) {
    if (v.indexOf("\\x") < 0) {
      return v;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(v.length());
    byte[] b = v.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < b.length; i++) {
      if (b[i] == '\\' && i + 3 < b.length && b[i + 1] == 'x') {
        int hi = Character.digit(b[i + 2], 16);
        int lo = Character.digit(b[i + 3], 16);
        if (hi >= 0 && lo >= 0) {
          out.write(hi << 4 | lo);
          i += 3;
          continue;
        }
      }
      out.write(b[i]);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The whole message (header and line) stays as the original, as for every parser. */
  private ParseError fail(Event into, String message, int column, String why) {
    into.clear();
    into.addString(ORIGINAL, message);
    into.addString(MESSAGE, message);
    return new ParseError(name(), column, why);
  }
}
