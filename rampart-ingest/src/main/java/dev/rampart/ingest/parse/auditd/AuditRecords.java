package dev.rampart.ingest.parse.auditd;

import dev.rampart.ingest.parse.RecordJoiner;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Joins the records of one audit event (the lines that share {@code msg=audit(TIME:SERIAL)}) into
 * one message for {@link AuditdParser}. The kernel writes an event's records together and ends
 * multi-record events with {@code EOE}, but records of concurrent events interleave (test3 of
 * go-libaudit's samples does), so records are buffered by serial: an event is complete at its
 * {@code EOE}; a user-space record (login, PAM, account changes) that has no company is complete at
 * once; and when more than {@link #MAX_IN_FLIGHT} events are open, or at the end of the input, the
 * oldest are flushed as they are. Lines without an audit header pass through alone (the parser then
 * says why it cannot read them). One per input stream; not thread-safe.
 */
public final class AuditRecords implements RecordJoiner {
  /** Events kept open at once; older ones are flushed incomplete beyond it. */
  static final int MAX_IN_FLIGHT = 64;

  /**
   * Characters one event may gather; an event beyond it (a file repeating one serial endlessly) is
   * handed on as it is, so a hostile input cannot grow it without bound.
   */
  static final int MAX_EVENT_CHARS = 1 << 20;

  private final Map<String, Open> open = new LinkedHashMap<>();
  private long lineNo;

  private static final class Open {
    final StringBuilder text = new StringBuilder(256);
    final long line;

    Open(long line) {
      this.line = line;
    }
  }

  @Override
  public List<Joined> accept(String line) {
    lineNo++;
    List<Joined> done = new ArrayList<>(1);
    String serial = serial(line);
    if (serial == null) {
      done.add(new Joined(line, lineNo));
      return done;
    }
    String type = type(line);
    if ("EOE".equals(type)) {
      Open o = open.remove(serial);
      if (o != null) {
        done.add(new Joined(o.text.toString(), o.line));
      }
      return done;
    }
    boolean standalone = type != null && isUserSpace(type);
    Open o = open.get(serial);
    if (o == null && standalone) {
      done.add(new Joined(line, lineNo));
      return done;
    }
    if (o == null) {
      o = new Open(lineNo);
      open.put(serial, o);
    } else {
      o.text.append('\n');
    }
    o.text.append(line);
    if (o.text.length() > MAX_EVENT_CHARS) {
      open.remove(serial);
      done.add(new Joined(o.text.toString(), o.line));
      return done;
    }
    while (open.size() > MAX_IN_FLIGHT) {
      Iterator<Open> oldest = open.values().iterator();
      Open first = oldest.next();
      oldest.remove();
      done.add(new Joined(first.text.toString(), first.line));
    }
    return done;
  }

  @Override
  public List<Joined> flush() {
    List<Joined> done = new ArrayList<>();
    for (Open o : open.values()) {
      done.add(new Joined(o.text.toString(), o.line));
    }
    open.clear();
    return done;
  }

  @Override
  public boolean holding() {
    return !open.isEmpty();
  }

  /** The serial of {@code msg=audit(1364481363.243:24287)}, or null. */
  static String serial(String line) {
    int a = line.indexOf("audit(");
    if (a < 0) {
      return null;
    }
    int colon = line.indexOf(':', a);
    int close = line.indexOf(')', a);
    if (colon < 0 || close < colon) {
      return null;
    }
    return line.substring(colon + 1, close);
  }

  /** The record type after {@code type=}, or null. */
  static String type(String line) {
    int t = line.indexOf("type=");
    if (t < 0) {
      return null;
    }
    int end = line.indexOf(' ', t);
    return line.substring(t + 5, end < 0 ? line.length() : end);
  }

  /**
   * Records that user-space programs write alone (PAM, logins, account changes, daemon and service
   * states): numbered below 1300 by the kernel headers, they never have an EOE.
   */
  static boolean isUserSpace(String type) {
    return type.startsWith("USER_")
        || type.startsWith("CRED_")
        || type.startsWith("ADD_")
        || type.startsWith("DEL_")
        || type.startsWith("DAEMON_")
        || type.startsWith("SERVICE_")
        || type.startsWith("SYSTEM_")
        || type.startsWith("CRYPTO_")
        || type.startsWith("ANOM_")
        || type.startsWith("GRP_")
        || type.startsWith("ACCT_")
        || type.equals("LOGIN")
        || type.equals("USYS_CONFIG")
        || type.equals("CONFIG_CHANGE")
        || type.equals("USER");
  }
}
