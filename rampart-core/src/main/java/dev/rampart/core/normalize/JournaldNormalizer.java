package dev.rampart.core.normalize;

import static dev.rampart.core.normalize.Ecs.*;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.FieldNames;
import dev.rampart.core.event.Kind;
import dev.rampart.core.event.Value;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * systemd journal entries as {@code journalctl -o json} writes them ({@code __REALTIME_TIMESTAMP}
 * in microseconds, {@code MESSAGE}, {@code _HOSTNAME}, {@code SYSLOG_IDENTIFIER}, {@code _PID},
 * ...; a value that is not valid text comes as an array of its bytes). A host without rsyslog keeps
 * its logins only there, so a responder exports the seized journal with {@code journalctl -D
 * var/log/journal -o json}. Native names stay; ECS is added ({@code message}, {@code host.name},
 * {@code process.name}, {@code process.pid}, {@code process.executable}, {@code
 * process.command_line}, {@code user.id}, {@code log.syslog.*}, and {@code systemd.unit} as
 * Elastic's journald input names it), and the log type is the one a syslog line of the same program
 * gets ({@link LinuxLogs}), so sshd's and sudo's entries meet Sigma's Linux auth rules.
 */
public final class JournaldNormalizer implements Normalizer {
  private static final int REALTIME = FieldNames.id("__REALTIME_TIMESTAMP");
  private static final int MESSAGE = FieldNames.id("MESSAGE");
  private static final int HOSTNAME = FieldNames.id("_HOSTNAME");
  private static final int IDENTIFIER = FieldNames.id("SYSLOG_IDENTIFIER");
  private static final int COMM = FieldNames.id("_COMM");
  private static final int PID = FieldNames.id("_PID");
  private static final int SYSLOG_PID = FieldNames.id("SYSLOG_PID");
  private static final int EXE = FieldNames.id("_EXE");
  private static final int CMDLINE = FieldNames.id("_CMDLINE");
  private static final int UID = FieldNames.id("_UID");
  private static final int PRIORITY = FieldNames.id("PRIORITY");
  private static final int FACILITY = FieldNames.id("SYSLOG_FACILITY");
  private static final int UNIT = FieldNames.id("_SYSTEMD_UNIT");

  private static final int ECS_MESSAGE = FieldNames.id("message");
  private static final int ECS_HOST_NAME = FieldNames.id("host.name");
  private static final int ECS_PROCESS_NAME = FieldNames.id("process.name");
  private static final int ECS_PROCESS_PID = FieldNames.id("process.pid");
  private static final int ECS_PROCESS_EXECUTABLE = FieldNames.id("process.executable");
  private static final int ECS_COMMAND_LINE = FieldNames.id("process.command_line");
  private static final int ECS_USER_ID = FieldNames.id("user.id");
  private static final int ECS_SEVERITY = FieldNames.id("log.syslog.severity.code");
  private static final int ECS_FACILITY = FieldNames.id("log.syslog.facility.code");
  // not ECS: Elastic's journald input names the unit so, and hunters filter on it
  private static final int SYSTEMD_UNIT = FieldNames.id("systemd.unit");

  @Override
  public String name() {
    return "journald";
  }

  @Override
  public String description() {
    return "systemd journal entries (journalctl -o json) to ECS, log type as syslog's (linux/auth, linux/syslog)";
  }

  @Override
  public boolean normalize(Event e) {
    int realtime = e.indexOf(REALTIME);
    if (realtime < 0 || e.indexOf(MESSAGE) < 0) {
      return false;
    }
    long micros = number(e, REALTIME);
    if (micros > 0 && !e.hasTimestamp()) {
      e.timestamp(micros * 1000);
    }
    put(e, ECS_MESSAGE, journalText(e, MESSAGE));
    put(e, ECS_HOST_NAME, journalText(e, HOSTNAME));
    String program = journalText(e, IDENTIFIER);
    if (program == null || program.isBlank()) {
      program = journalText(e, COMM);
    }
    put(e, ECS_PROCESS_NAME, program);
    long pid = number(e, PID);
    if (pid < 0) {
      pid = number(e, SYSLOG_PID);
    }
    if (pid >= 0 && e.indexOf(ECS_PROCESS_PID) < 0) {
      e.addLong(ECS_PROCESS_PID, pid);
    }
    put(e, ECS_PROCESS_EXECUTABLE, journalText(e, EXE));
    put(e, ECS_COMMAND_LINE, journalText(e, CMDLINE));
    put(e, ECS_USER_ID, journalText(e, UID));
    put(e, SYSTEMD_UNIT, journalText(e, UNIT));
    long severity = number(e, PRIORITY);
    if (severity >= 0 && e.indexOf(ECS_SEVERITY) < 0) {
      e.addLong(ECS_SEVERITY, severity);
    }
    long facility = number(e, FACILITY);
    if (facility >= 0 && e.indexOf(ECS_FACILITY) < 0) {
      e.addLong(ECS_FACILITY, facility);
    }
    e.source(e.source().withLogType(LinuxLogs.logType((int) facility, program)));
    return true;
  }

  /**
   * A field as text; journalctl writes a value that is not valid text as the array of its bytes.
   */
  static String journalText(Event e, int id) {
    int i = e.indexOf(id);
    if (i < 0 || e.kind(i) == Kind.NULL) {
      return null;
    }
    if (e.kind(i) == Kind.LIST) {
      List<Value> items = e.listValue(i);
      byte[] b = new byte[items.size()];
      for (int k = 0; k < b.length; k++) {
        if (!(items.get(k) instanceof Value.Int64 l)) {
          return e.text(i);
        }
        b[k] = (byte) l.value();
      }
      return new String(b, StandardCharsets.UTF_8);
    }
    return e.text(i);
  }

  /** A field's whole number (journalctl writes numbers as strings), or -1. */
  private static long number(Event e, int id) {
    int i = e.indexOf(id);
    if (i < 0) {
      return -1;
    }
    if (e.kind(i) == Kind.LONG) {
      return e.longValue(i);
    }
    String t = e.text(i).strip();
    if (t.isEmpty() || t.length() > 18) {
      return -1;
    }
    for (int k = 0; k < t.length(); k++) {
      if (t.charAt(k) < '0' || t.charAt(k) > '9') {
        return -1;
      }
    }
    return Long.parseLong(t);
  }
}
