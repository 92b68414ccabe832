package dev.rampart.core.normalize;

import static dev.rampart.core.normalize.Fields.*;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.IpAddress;
import dev.rampart.core.event.Kind;
import dev.rampart.core.event.Value;
import java.util.List;

/**
 * Helpers the normalizers share to fill ECS fields from native ones, only where still absent; the
 * parsers that add ECS names themselves (W3C) use them too.
 */
public final class Ecs {
  private Ecs() {}

  static void categorize(Event e, String category, String type, String outcome) {
    if (e.indexOf(ECS_EVENT_CATEGORY) < 0) {
      e.addList(ECS_EVENT_CATEGORY, single(category));
    }
    if (e.indexOf(ECS_EVENT_TYPE) < 0) {
      e.addList(ECS_EVENT_TYPE, single(type));
    }
    if (outcome != null) {
      e.putStringIfAbsent(ECS_EVENT_OUTCOME, outcome);
    }
  }

  private static final java.util.Map<String, List<Value>> SINGLES =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** A one-element list of a constant, shared: ECS categories are a handful of words. */
  static List<Value> single(String word) {
    return SINGLES.computeIfAbsent(word, w -> List.of(new Value.Str(w)));
  }

  /** Copies a field's text (not empty, not "-") to {@code to}. */
  public static void copy(Event e, int from, int to) {
    int i = e.indexOf(from);
    if (i >= 0 && e.indexOf(to) < 0 && e.kind(i) != Kind.NULL) {
      String t = e.text(i);
      if (!t.isEmpty() && !t.equals("-")) {
        e.addString(to, t);
      }
    }
  }

  /** Copies a whole number, or text that is one, to {@code to}. */
  public static void copyLong(Event e, int from, int to) {
    int i = e.indexOf(from);
    if (i < 0 || e.indexOf(to) >= 0) {
      return;
    }
    if (e.kind(i) == Kind.LONG) {
      e.addLong(to, e.longValue(i));
    } else if (e.kind(i) == Kind.STRING) {
      long v = parseLong(e.string(i));
      if (v >= 0) {
        e.addLong(to, v);
      }
    }
  }

  /** Copies text that is an IP address to {@code to} as an address. */
  public static void ip(Event e, int from, int to) {
    int i = e.indexOf(from);
    if (i >= 0 && e.indexOf(to) < 0) {
      IpAddress ip = IpAddress.parse(e.text(i));
      if (ip != null) {
        e.addIp(to, ip);
      }
    }
  }

  /** A field's text, or null when the event lacks it or it is null. */
  public static String text(Event e, int id) {
    int i = e.indexOf(id);
    return i < 0 || e.kind(i) == Kind.NULL ? null : e.text(i);
  }

  /** The text of the first of {@code ids} the event has (not null, not empty), or null. */
  static String first(Event e, int... ids) {
    for (int id : ids) {
      String t = text(e, id);
      if (t != null && !t.isEmpty()) {
        return t;
      }
    }
    return null;
  }

  /** Adds {@code to} as {@code value} stripped, when the value has text and the event lacks it. */
  static void put(Event e, int to, String value) {
    if (value != null && !value.isBlank() && e.indexOf(to) < 0) {
      e.addString(to, value.strip());
    }
  }

  /**
   * Adds {@code to} as the address in {@code value}: an address, or one with a port as cloud audit
   * logs write them ({@code 203.0.113.9:50412}, {@code [2001:db8::7]:443}); nothing otherwise.
   */
  static void address(Event e, int to, String value) {
    if (value == null || value.isEmpty() || e.indexOf(to) >= 0) {
      return;
    }
    IpAddress ip = IpAddress.parse(value);
    if (ip == null && value.startsWith("[") && value.indexOf(']') > 1) {
      ip = IpAddress.parse(value.substring(1, value.indexOf(']')));
    } else if (ip == null
        && value.indexOf(':') > 0
        && value.indexOf(':') == value.lastIndexOf(':')) {
      ip = IpAddress.parse(value.substring(0, value.indexOf(':')));
    }
    if (ip != null) {
      e.addIp(to, ip);
    }
  }

  /** {@code event.outcome} from a status word: success, failure, or nothing for the rest. */
  static void outcome(Event e, String status) {
    if (status == null) {
      return;
    }
    switch (status.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "success", "succeeded", "true", "allow", "ok", "0" ->
          e.putStringIfAbsent(ECS_EVENT_OUTCOME, "success");
      case "failure", "failed", "false", "deny", "denied", "error" ->
          e.putStringIfAbsent(ECS_EVENT_OUTCOME, "failure");
      default -> {}
    }
  }

  /** Sets the event time from {@code text} when the event has none. */
  static void time(Event e, String text) {
    if (text != null && !e.hasTimestamp()) {
      long ts = dev.rampart.core.event.Timestamps.parse(text);
      if (ts != dev.rampart.core.event.Timestamps.UNSET) {
        e.timestamp(ts);
      }
    }
  }

  /**
   * Adds the fields of a column that holds a JSON object as text, under the column's name: Log
   * Analytics writes its dynamic columns so ({@code DeviceDetail = "{\"trustType\":...}"} gives
   * {@code DeviceDetail.trustType}). The text stays; text that is not an object adds nothing.
   */
  static void expandJsonText(Event e, int id) {
    String t = text(e, id);
    if (t == null || t.length() > 65_536 || !t.startsWith("{")) {
      return;
    }
    String prefix = dev.rampart.core.event.FieldNames.name(id) + ".";
    Column c = COLUMN.get();
    try {
      c.reader.reset(t.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      if (c.reader.next(c.inner)) {
        for (int i = 0; i < c.inner.size(); i++) {
          int to = dev.rampart.core.event.FieldNames.id(prefix + c.inner.name(i));
          if (e.indexOf(to) < 0) {
            e.addCopy(to, c.inner, i);
          }
        }
      }
    } catch (java.io.IOException | RuntimeException ex) {
      // not JSON after all: the column keeps its text
    }
  }

  /**
   * A reader and event per thread for {@link #expandJsonText}: normalizers are shared by every
   * thread, and a reader built per column would cost more than the parse (its caches start cold).
   */
  private static final class Column {
    final dev.rampart.core.json.JsonEventReader reader =
        new dev.rampart.core.json.JsonEventReader(
            new byte[0],
            "column",
            dev.rampart.core.json.ReadOptions.DEFAULTS,
            dev.rampart.core.io.ProblemSink.IGNORE);
    final Event inner = new Event();
  }

  private static final ThreadLocal<Column> COLUMN = ThreadLocal.withInitial(Column::new);

  static long parseLong(String s) {
    if (s == null || s.isEmpty() || s.length() > 18) {
      return -1;
    }
    if (s.length() > 2 && s.charAt(0) == '0' && (s.charAt(1) == 'x' || s.charAt(1) == 'X')) {
      // Windows Security events write process ids in hex (NewProcessId 0x1a4), Sysmon in decimal
      // (ProcessId 420): the ECS number is the same for one process in both.
      long v = 0;
      for (int k = 2; k < s.length(); k++) {
        int d = Character.digit(s.charAt(k), 16);
        if (d < 0 || k > 16) {
          return -1;
        }
        v = v * 16 + d;
      }
      return v;
    }
    long v = 0;
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
