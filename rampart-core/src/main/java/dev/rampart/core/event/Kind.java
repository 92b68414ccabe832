package dev.rampart.core.event;

/** The type of one field value in an {@link Event}. A closed set: switch over it exhaustively. */
public enum Kind {
  /** A JSON {@code null}: the field is present but has no value (Sigma tells this from missing). */
  NULL,
  STRING,
  LONG,
  DOUBLE,
  BOOLEAN,
  /** An IPv4 or IPv6 address. */
  IP,
  /** An instant, nanoseconds since the epoch, UTC. */
  TIMESTAMP,
  /**
   * An integer or decimal that does not fit a long or a double exactly, kept as its exact decimal
   * text (JSON allows arbitrary precision; we never round silently).
   */
  BIG_NUMBER,
  BINARY,
  LIST,
  /** An object inside a list. Objects outside lists are flattened to dotted field names. */
  OBJECT
}
