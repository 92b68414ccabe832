package dev.rampart.core.normalize;

import java.util.Set;

/**
 * The log type of a Linux system log message, whoever read it (the syslog parser, the journald
 * normalizer, the agent's journal input): {@code linux/auth} for the auth and authpriv facilities
 * and the programs that log logins, privilege changes and account changes, which Sigma's {@code
 * auth}, {@code sshd}, {@code sudo}, {@code su} and {@code cron} services read; {@code
 * linux/syslog} for the rest.
 */
public final class LinuxLogs {
  private LinuxLogs() {}

  public static final String AUTH = "linux/auth";
  public static final String SYSLOG = "linux/syslog";

  private static final Set<String> AUTH_PROGRAMS =
      Set.of(
          "sshd",
          "sudo",
          "su",
          "login",
          "passwd",
          "useradd",
          "userdel",
          "usermod",
          "groupadd",
          "chpasswd",
          "systemd-logind",
          "cron",
          "CRON",
          "crond",
          "polkitd",
          "gdm-password",
          "unix_chkpwd",
          "sshd-session");

  /** The log type of a message of {@code facility} (-1 when unknown) from {@code program}. */
  public static String logType(int facility, String program) {
    if (facility == 4 || facility == 10 || (program != null && AUTH_PROGRAMS.contains(program))) {
      return AUTH;
    }
    return SYSLOG;
  }
}
