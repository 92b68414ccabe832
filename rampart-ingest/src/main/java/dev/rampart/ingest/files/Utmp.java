package dev.rampart.ingest.files;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.EventSource;
import dev.rampart.core.event.FieldNames;
import dev.rampart.core.event.IpAddress;
import dev.rampart.core.io.Problem;
import dev.rampart.core.io.ProblemSink;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Linux login records: {@code /var/log/wtmp} (logins, logouts, boots), {@code /var/log/btmp}
 * (failed logins) and {@code utmp}, the binary files {@code last} and {@code lastb} read — on a
 * seized disk the record of who logged in from where, which text logs may no longer hold. Each
 * record is glibc's {@code struct utmp} of 384 bytes, little-endian (x86-64, arm64): type, pid,
 * line, id, user, host, exit status, session, time (seconds and microseconds), address. Each
 * becomes an event with the record's own names ({@code ut_type}, {@code ut_user}, {@code ut_line},
 * {@code ut_host}, {@code ut_addr}...) and ECS beside them: {@code user.name}, {@code source.ip} or
 * {@code source.domain}, {@code process.pid}, {@code event.action} ({@code user-login}, {@code
 * user-logout}, {@code system-boot}, {@code login-failed} for btmp), {@code event.outcome} (a btmp
 * record failed), so the anomaly detectors' brute-force and new-source checks read them; log types
 * {@code linux/wtmp} and {@code linux/btmp}. A record that is not one (a type out of range) or a
 * cut last record is said with its byte offset and passed over.
 */
public final class Utmp {
  private Utmp() {}

  /** Bytes of one record. */
  static final int RECORD = 384;

  private static final Pattern NAME =
      Pattern.compile("(w|b|u)tmp([.-]\\d+)*(\\.(gz|zst))?|.*\\.(w|b)tmp");

  private static final String[] TYPES = {
    "EMPTY",
    "RUN_LVL",
    "BOOT_TIME",
    "NEW_TIME",
    "OLD_TIME",
    "INIT_PROCESS",
    "LOGIN_PROCESS",
    "USER_PROCESS",
    "DEAD_PROCESS",
    "ACCOUNTING"
  };

  private static final int UT_TYPE = FieldNames.id("ut_type");
  private static final int UT_TYPE_NAME = FieldNames.id("ut_type_name");
  private static final int UT_PID = FieldNames.id("ut_pid");
  private static final int UT_LINE = FieldNames.id("ut_line");
  private static final int UT_ID = FieldNames.id("ut_id");
  private static final int UT_USER = FieldNames.id("ut_user");
  private static final int UT_HOST = FieldNames.id("ut_host");
  private static final int UT_ADDR = FieldNames.id("ut_addr");
  private static final int UT_SESSION = FieldNames.id("ut_session");
  private static final int UT_EXIT_TERMINATION = FieldNames.id("ut_exit.e_termination");
  private static final int UT_EXIT_STATUS = FieldNames.id("ut_exit.e_exit");
  private static final int USER_NAME = FieldNames.id("user.name");
  private static final int SOURCE_IP = FieldNames.id("source.ip");
  private static final int SOURCE_DOMAIN = FieldNames.id("source.domain");
  private static final int PROCESS_PID = FieldNames.id("process.pid");
  private static final int EVENT_ACTION = FieldNames.id("event.action");
  private static final int EVENT_OUTCOME = FieldNames.id("event.outcome");
  private static final int EVENT_CATEGORY = FieldNames.id("event.category");
  private static final int MESSAGE = FieldNames.id("message");

  /** Whether a file named {@code name} is a login record file by its name (wtmp, btmp.1, ...). */
  public static boolean named(String name) {
    return NAME.matcher(name.toLowerCase(Locale.ROOT)).matches();
  }

  /** Whether {@code head}, a file's first bytes, starts with a plausible record. */
  static boolean looksLikeRecord(byte[] head) {
    if (head.length < RECORD) {
      return head.length == 0;
    }
    ByteBuffer b = ByteBuffer.wrap(head, 0, RECORD).order(ByteOrder.LITTLE_ENDIAN);
    int type = b.getShort(0);
    long seconds = b.getInt(340) & 0xffffffffL;
    int micros = b.getInt(344);
    return type >= 0 && type < TYPES.length && micros >= 0 && micros < 1_000_000 && seconds > 0;
  }

  /**
   * Reads the records of {@code in} into {@code sink}; {@code failures} when the file is a btmp
   * (every record a failed login). Returns the events read.
   */
  static long read(
      InputStream in, String name, boolean failures, ProblemSink problems, LogFiles.Sink sink)
      throws IOException {
    byte[] record = new byte[RECORD];
    ByteBuffer b = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
    Event e = new Event();
    long offset = 0;
    long events = 0;
    String logType = failures ? "linux/btmp" : "linux/wtmp";
    while (true) {
      int n = in.readNBytes(record, 0, RECORD);
      if (n == 0) {
        return events;
      }
      if (n < RECORD) {
        problems.report(
            Problem.error(
                name,
                0,
                offset,
                "the last record is cut short (" + n + " of " + RECORD + " bytes): passed over"));
        return events;
      }
      int type = b.getShort(0);
      if (type < 0 || type >= TYPES.length) {
        problems.report(
            Problem.error(name, 0, offset, "not a login record (type " + type + "): passed over"));
        offset += RECORD;
        continue;
      }
      if (type != 0) {
        fill(e, b, type, failures, logType);
        sink.accept(e, offset / RECORD + 1, offset); // the record's number, as EVTX's id
        events++;
      }
      offset += RECORD;
    }
  }

  private static void fill(Event e, ByteBuffer b, int type, boolean failures, String logType) {
    e.clear();
    long seconds = b.getInt(340) & 0xffffffffL;
    long micros = b.getInt(344);
    e.timestamp(seconds * 1_000_000_000L + Math.max(0, Math.min(micros, 999_999)) * 1000L);
    e.source(new EventSource("", "", logType));
    e.addLong(UT_TYPE, type);
    e.addString(UT_TYPE_NAME, TYPES[type]);
    int pid = b.getInt(4);
    String line = text(b, 8, 32);
    String id = text(b, 40, 4);
    String user = text(b, 44, 32);
    String host = text(b, 76, 256);
    if (pid != 0) {
      e.addLong(UT_PID, pid);
    }
    put(e, UT_LINE, line);
    put(e, UT_ID, id);
    put(e, UT_USER, user);
    put(e, UT_HOST, host);
    IpAddress addr = address(b);
    if (addr != null) {
      e.addString(UT_ADDR, addr.toString());
    }
    int session = b.getInt(336);
    if (session != 0) {
      e.addLong(UT_SESSION, session);
    }
    if (type == 8) {
      e.addLong(UT_EXIT_TERMINATION, b.getShort(332));
      e.addLong(UT_EXIT_STATUS, b.getShort(334));
    }
    // ECS
    if (!user.isEmpty() && (type == 6 || type == 7 || failures)) {
      e.addString(USER_NAME, user);
    }
    if (pid != 0) {
      e.addLong(PROCESS_PID, pid);
    }
    IpAddress hostIp = IpAddress.parse(host);
    if (addr != null) {
      e.addIp(SOURCE_IP, addr);
    } else if (hostIp != null) {
      e.addIp(SOURCE_IP, hostIp);
    }
    if (!host.isEmpty() && hostIp == null && (type == 6 || type == 7 || failures)) {
      e.addString(SOURCE_DOMAIN, host);
    }
    String action;
    if (failures) {
      action = "login-failed";
      e.addString(EVENT_OUTCOME, "failure");
      e.addString(EVENT_CATEGORY, "authentication");
    } else {
      action =
          switch (type) {
            case 7 -> "user-login";
            case 8 -> "user-logout";
            case 2 -> "system-boot";
            case 1 -> line.equals("~") && user.equals("shutdown") ? "system-shutdown" : "runlevel";
            case 6 -> "login-prompt";
            default -> TYPES[type].toLowerCase(Locale.ROOT).replace('_', '-');
          };
      if (type == 7) {
        e.addString(EVENT_OUTCOME, "success");
        e.addString(EVENT_CATEGORY, "authentication");
      } else if (type == 8) {
        e.addString(EVENT_CATEGORY, "session");
      } else if (type == 1 || type == 2) {
        e.addString(EVENT_CATEGORY, "host");
      }
    }
    e.addString(EVENT_ACTION, action);
    if (type == 1 || type == 2) {
      // last(1)'s "reboot system boot 6.1.0-13-amd64": the kernel release sits in ut_host
      e.addString(MESSAGE, action.replace('-', ' ') + (host.isEmpty() ? "" : ", kernel " + host));
      return;
    }
    // what last(1) prints: user, line, host, what happened
    StringBuilder m = new StringBuilder(action);
    if (!user.isEmpty()) {
      m.append(' ').append(user);
    }
    if (!line.isEmpty()) {
      m.append(" on ").append(line);
    }
    if (!host.isEmpty()) {
      m.append(" from ").append(host);
    } else if (addr != null) {
      m.append(" from ").append(addr);
    }
    e.addString(MESSAGE, m.toString());
  }

  /** A NUL-padded text field, up to its first NUL. */
  private static String text(ByteBuffer b, int at, int length) {
    byte[] a = b.array();
    int end = at;
    while (end < at + length && a[end] != 0) {
      end++;
    }
    return new String(a, at, end - at, StandardCharsets.UTF_8).strip();
  }

  /** ut_addr_v6: IPv4 in its first word when the others are zero; none when all are zero. */
  private static IpAddress address(ByteBuffer b) {
    byte[] a = b.array();
    boolean any = false;
    boolean v4 = true;
    for (int i = 348; i < 364; i++) {
      any |= a[i] != 0;
      v4 &= i < 352 || a[i] == 0;
    }
    if (!any) {
      return null;
    }
    return IpAddress.of(
        v4 ? java.util.Arrays.copyOfRange(a, 348, 352) : java.util.Arrays.copyOfRange(a, 348, 364));
  }

  private static void put(Event e, int id, String value) {
    if (!value.isEmpty()) {
      e.addString(id, value);
    }
  }
}
