package dev.rampart.cases.entity;

import java.util.Locale;

/**
 * What an entity page is about: a host or a user, as alerts and incidents name them (their {@code
 * host} and {@code user_name} columns, matched without regard to case, as Windows names are).
 */
public enum EntityKind {
  HOST("host"),
  USER("user_name");

  private final String column;

  EntityKind(String column) {
    this.column = column;
  }

  /** The column of the alerts and incidents tables that names this kind of entity. */
  public String column() {
    return column;
  }

  /** {@code host} or {@code user}, as URLs and JSON say it. */
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
