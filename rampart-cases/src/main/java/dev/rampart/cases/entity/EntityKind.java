package dev.rampart.cases.entity;

import java.util.Locale;

/**
 * What an entity page is about: a host, a user or an IP address, as alerts and incidents name them
 * (their {@code host}, {@code user_name} and {@code source_ip} columns, matched without regard to
 * case, as Windows names and IPv6 addresses come in either).
 */
public enum EntityKind {
  HOST("host", "host"),
  USER("user_name", "user_name"),
  /** An address: incidents have no column of their own, so theirs are those of its alerts. */
  IP("source_ip", null);

  private final String alertColumn;
  private final String incidentColumn;

  EntityKind(String alertColumn, String incidentColumn) {
    this.alertColumn = alertColumn;
    this.incidentColumn = incidentColumn;
  }

  /** The column of the alerts table that names this kind of entity. */
  public String alertColumn() {
    return alertColumn;
  }

  /** The column of the incidents table that names it, or null when none does. */
  public String incidentColumn() {
    return incidentColumn;
  }

  /** {@code host}, {@code user} or {@code ip}, as URLs and JSON say it. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@link #label()}; null when it is neither. */
  public static EntityKind parse(String s) {
    for (EntityKind k : values()) {
      if (k.label().equals(s)) {
        return k;
      }
    }
    return null;
  }
}
