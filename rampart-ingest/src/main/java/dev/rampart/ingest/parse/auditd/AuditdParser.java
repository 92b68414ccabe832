package dev.rampart.ingest.parse.auditd;

import static dev.rampart.ingest.parse.Fields.*;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.EventSource;
import dev.rampart.core.event.FieldNames;
import dev.rampart.core.event.IpAddress;
import dev.rampart.core.event.Value;
import dev.rampart.ingest.parse.Digits;
import dev.rampart.ingest.parse.ParseError;
import dev.rampart.ingest.parse.Parser;
import dev.rampart.ingest.parse.RecordJoiner;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Linux audit logs ({@code /var/log/audit/audit.log}): one message is one audit event, the records
 * that {@link AuditRecords} joined by serial (or a single record). Each record's {@code key=value}
 * pairs become fields under their own names, as Sigma's auditd rules expect ({@code type}, {@code
 * exe}, {@code comm}, {@code a0}, {@code name}, {@code key}...); a name that several records carry
 * (two PATH items, {@code type} itself) becomes a list in record order. The user-space message in
 * {@code msg='...'} is read the same way. Hex-encoded values (what auditd writes for values with
 * spaces or odd bytes: {@code proctitle}, {@code cwd}, {@code name}, EXECVE arguments) are decoded;
 * {@code 4294967295} ({@code (uid_t)-1}) in ids stays as written. ECS: {@code @timestamp}, {@code
 * process.*} (pid, parent pid, executable, name, args, command line, working directory, title),
 * {@code user.id}, {@code user.audit.id}, {@code user.effective.id}, {@code user.name}, {@code
 * event.action} (the first record's type), {@code event.outcome}, {@code file.path}, {@code
 * source.ip}; log type {@code linux/auditd}.
 */
public final class AuditdParser implements Parser {
  private static final int SEQUENCE = FieldNames.id("auditd.sequence");
  private static final int OUTCOME = FieldNames.id("event.outcome");
  private static final int CATEGORY = FieldNames.id("event.category");
  private static final int EXECUTABLE = FieldNames.id("process.executable");
  private static final int PPID = FieldNames.id("process.parent.pid");
  private static final int ARGS = FieldNames.id("process.args");
  private static final int COMMAND_LINE = FieldNames.id("process.command_line");
  private static final int CWD = FieldNames.id("process.working_directory");
  private static final int TITLE = FieldNames.id("process.title");
  private static final int USER_ID = FieldNames.id("user.id");
  private static final int AUDIT_ID = FieldNames.id("user.audit.id");
  private static final int EFFECTIVE_ID = FieldNames.id("user.effective.id");
  private static final int USER_NAME = FieldNames.id("user.name");
  private static final int FILE_PATH = FieldNames.id("file.path");

  /**
   * Fields auditd writes quoted, or unquoted in hex when the value has spaces, quotes or control
   * bytes: unquoted, they are decoded.
   */
  private static final java.util.Set<String> HEX_FIELDS =
      java.util.Set.of(
          "proctitle",
          "cwd",
          "name",
          "comm",
          "exe",
          "path",
          "data",
          "cmd",
          "acct",
          "key",
          "dir",
          "file",
          "ocomm");

  @Override
  public String name() {
    return "auditd";
  }

  @Override
  public String description() {
    return "Linux audit records (audit.log), the records of one event joined by serial, to ECS";
  }

  @Override
  public boolean accepts(String m) {
    return m.startsWith("type=") && m.contains("msg=audit(");
  }

  @Override
  public ParseError parse(String message, Event into) {
    into.clear();
    Map<String, List<String>> fields = new LinkedHashMap<>();
    long ts = -1;
    String sequence = null;
    String firstType = null;
    int offset = 0;
    for (String record : message.split("\n")) {
      if (record.isBlank()) {
        offset += record.length() + 1;
        continue;
      }
      if (!record.startsWith("type=")) {
        return fail(into, message, offset + 1, "an audit record starts with type=");
      }
      int sp = record.indexOf(' ');
      String type = record.substring(5, sp < 0 ? record.length() : sp);
      int a = record.indexOf("msg=audit(");
      int close = a < 0 ? -1 : record.indexOf("):", a);
      if (a < 0 || close < 0) {
        close = a < 0 ? -1 : record.indexOf(')', a);
        if (close < 0) {
          return fail(into, message, offset + 1, "no msg=audit(TIME:SERIAL) header");
        }
      }
      String header = record.substring(a + 10, close);
      int colon = header.indexOf(':');
      if (colon < 0) {
        return fail(into, message, offset + a + 11, "audit header without ':SERIAL'");
      }
      if (ts < 0) {
        ts = epochNanos(header.substring(0, colon));
        if (ts < 0) {
          return fail(into, message, offset + a + 11, "audit time is not seconds.millis");
        }
        sequence = header.substring(colon + 1);
        firstType = type;
      }
      add(fields, "type", type);
      int bodyStart =
          Math.min(record.length(), close + (record.startsWith(":", close + 1) ? 2 : 1));
      pairs(record.substring(bodyStart), type, fields);
      offset += record.length() + 1;
    }
    if (firstType == null) {
      return fail(into, message, 1, "empty message");
    }
    into.timestamp(ts);
    into.addString(ORIGINAL, message);
    for (Map.Entry<String, List<String>> f : fields.entrySet()) {
      List<String> v = f.getValue();
      if (v.size() == 1) {
        into.addString(f.getKey(), v.get(0));
      } else {
        List<Value> items = new ArrayList<>(v.size());
        for (String s : v) {
          items.add(new Value.Str(s));
        }
        into.addList(FieldNames.id(f.getKey()), items);
      }
    }
    ecs(into, fields, firstType, sequence);
    into.source(new EventSource("", first(fields, "node"), "linux/auditd"));
    return null;
  }

  private static void ecs(
      Event into, Map<String, List<String>> f, String firstType, String sequence) {
    long seq = parseLong(sequence);
    if (seq >= 0) {
      into.addLong(SEQUENCE, seq);
    }
    into.addString(EVENT_ACTION, firstType.toLowerCase(java.util.Locale.ROOT));
    number(into, PROCESS_PID, first(f, "pid"));
    number(into, PPID, first(f, "ppid"));
    text(into, EXECUTABLE, first(f, "exe"));
    text(into, PROCESS_NAME, first(f, "comm"));
    text(into, CWD, first(f, "cwd"));
    text(into, TITLE, first(f, "proctitle"));
    text(into, USER_ID, first(f, "uid"));
    text(into, EFFECTIVE_ID, first(f, "euid"));
    String auid = first(f, "auid");
    if (auid != null && !auid.equals("4294967295") && !auid.equals("-1")) {
      into.addString(AUDIT_ID, auid);
    }
    text(into, USER_NAME, first(f, "acct"));
    text(into, FILE_PATH, first(f, "name"));
    String addr = first(f, "addr");
    IpAddress ip = addr == null ? null : IpAddress.parse(addr);
    if (ip != null) {
      into.addIp(SOURCE_IP, ip);
    }
    String success = first(f, "success");
    String res = first(f, "res");
    if ("yes".equals(success) || "success".equals(res) || "1".equals(res)) {
      into.addString(OUTCOME, "success");
    } else if ("no".equals(success) || "failed".equals(res) || "0".equals(res)) {
      into.addString(OUTCOME, "failure");
    }
    // EXECVE: argc and a0..aN are the command line.
    long argc = parseLong(first(f, "argc"));
    if (argc > 0 && f.containsKey("a0") && f.get("type").contains("EXECVE")) {
      List<Value> args = new ArrayList<>();
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < argc && i < 1024; i++) {
        List<String> ai = f.get("a" + i);
        if (ai == null) {
          break;
        }
        String arg = ai.get(ai.size() - 1); // EXECVE's aN come after SYSCALL's a0..a3
        args.add(new Value.Str(arg));
        line.append(line.isEmpty() ? "" : " ").append(arg);
      }
      into.addList(ARGS, args);
      into.addString(COMMAND_LINE, line.toString());
    }
    String category =
        f.get("type").contains("EXECVE")
            ? "process"
            : firstType.startsWith("USER_") || firstType.startsWith("CRED_")
                ? "authentication"
                : firstType.startsWith("ADD_")
                        || firstType.startsWith("DEL_")
                        || firstType.startsWith("GRP_")
                    ? "iam"
                    : null;
    if (category != null) {
      into.addList(CATEGORY, List.of(new Value.Str(category)));
    }
  }

  /** Reads {@code key=value} pairs (quoted, unquoted or hex) into {@code fields}. */
  static void pairs(String s, String type, Map<String, List<String>> fields) {
    int i = 0;
    int n = s.length();
    while (i < n) {
      while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == ',' || s.charAt(i) == '(')) {
        i++;
      }
      int eq = s.indexOf('=', i);
      if (eq < 0) {
        return;
      }
      int sp = s.indexOf(' ', i);
      if (sp >= 0 && sp < eq) {
        i = sp + 1; // a word without '=' ("avc:  denied  { read } for", "login"): skip it
        continue;
      }
      String key = s.substring(i, eq);
      int v = eq + 1;
      if (v < n && s.charAt(v) == '\'') {
        int end = s.indexOf('\'', v + 1);
        end = end < 0 ? n : end;
        String inner = s.substring(v + 1, end);
        if (key.equals("msg")) {
          pairs(inner, type, fields); // the user-space message's own pairs
        } else {
          add(fields, key, inner);
        }
        i = end + 1;
      } else if (v < n && s.charAt(v) == '"') {
        int end = s.indexOf('"', v + 1);
        end = end < 0 ? n : end;
        add(fields, key, s.substring(v + 1, end));
        i = end + 1;
      } else {
        int end = v;
        while (end < n && s.charAt(end) != ' ') {
          end++;
        }
        String raw = s.substring(v, end);
        if (!raw.startsWith("(")) {
          // old PAM messages wrap pairs in "(hostname=?, addr=?, terminal=cron res=success)"
          int cut = raw.length();
          while (cut > 0 && (raw.charAt(cut - 1) == ',' || raw.charAt(cut - 1) == ')')) {
            cut--;
          }
          raw = raw.substring(0, cut);
        }
        boolean hex = HEX_FIELDS.contains(key) || (type.equals("EXECVE") && isArgument(key));
        add(fields, key, hex ? unhex(raw) : raw);
        i = end + 1;
      }
    }
  }

  /** {@code a0}, {@code a12}, {@code a3[1]}: an EXECVE argument (long ones come in parts). */
  private static boolean isArgument(String key) {
    if (key.length() < 2 || key.charAt(0) != 'a') {
      return false;
    }
    for (int i = 1; i < key.length(); i++) {
      char c = key.charAt(i);
      if (!(c >= '0' && c <= '9') && c != '[' && c != ']') {
        return false;
      }
    }
    return true;
  }

  @Override
  public RecordJoiner joiner() {
    return new AuditRecords();
  }

  /** Decodes auditd's hex encoding when the value is hex; NULs (argv separators) become spaces. */
  static String unhex(String v) {
    if (v.length() < 2 || v.length() % 2 != 0 || v.equals("(null)")) {
      return v;
    }
    byte[] out = new byte[v.length() / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = Character.digit(v.charAt(2 * i), 16);
      int lo = Character.digit(v.charAt(2 * i + 1), 16);
      if (hi < 0
          || lo < 0
          || Character.isLowerCase(v.charAt(2 * i))
          || Character.isLowerCase(v.charAt(2 * i + 1))) {
        return v; // auditd writes upper-case hex; anything else is the value itself
      }
      int b = hi << 4 | lo;
      out[i] = (byte) (b == 0 ? ' ' : b);
    }
    return new String(out, StandardCharsets.UTF_8).strip();
  }

  private static void add(Map<String, List<String>> fields, String key, String value) {
    if (key.isEmpty()) {
      return;
    }
    fields.computeIfAbsent(key, k -> new ArrayList<>(1)).add(value);
  }

  private static String first(Map<String, List<String>> f, String key) {
    List<String> v = f.get(key);
    return v == null ? null : v.get(0);
  }

  private static void text(Event into, int id, String value) {
    if (value != null && !value.isEmpty() && !value.equals("?") && !value.equals("(null)")) {
      into.addString(id, value);
    }
  }

  private static void number(Event into, int id, String value) {
    long v = parseLong(value);
    if (v >= 0) {
      into.addLong(id, v);
    }
  }

  private static long parseLong(String s) {
    if (s == null || s.length() > 18 || !Digits.all(s, 0, s.length())) {
      return -1;
    }
    return Long.parseLong(s);
  }

  /** {@code 1364481363.243} (seconds and milliseconds) as epoch nanos, or -1. */
  static long epochNanos(String t) {
    int dot = t.indexOf('.');
    long sec = parseLong(dot < 0 ? t : t.substring(0, dot));
    if (sec < 0 || sec > 9_000_000_000L) {
      return -1;
    }
    long nanos = 0;
    if (dot >= 0) {
      String frac = t.substring(dot + 1);
      if (frac.isEmpty() || frac.length() > 9 || parseLong(frac) < 0) {
        return -1;
      }
      nanos = parseLong(frac) * (long) Math.pow(10, 9 - frac.length());
    }
    return sec * 1_000_000_000L + nanos;
  }

  private ParseError fail(Event into, String message, int column, String why) {
    into.clear();
    into.addString(ORIGINAL, message);
    into.addString(MESSAGE, message);
    return new ParseError(name(), column, why);
  }
}
