package dev.rampart.store.mapping;

import java.util.Locale;

/**
 * How one event field is indexed. A field's type is fixed once its first value is indexed (Lucene
 * refuses to change a field's schema inside an index); values of another kind are converted when
 * they can be and otherwise kept only in the stored event, and counted.
 */
public enum FieldType {
  /** Exact values: case-insensitive match, wildcards over the whole value, doc values for stats. */
  KEYWORD,
  /**
   * Words (messages, command lines): {@code field:word} and phrases match tokens; wildcards and
   * ranges match the whole value, case-insensitively; doc values of the whole value for stats.
   */
  TEXT,
  /** 64-bit integers: points for ranges, doc values for stats. */
  LONG,
  /** Floating point: points for ranges, doc values for stats. */
  DOUBLE,
  /** Instants (epoch nanoseconds): points for ranges, doc values for histograms. */
  DATE,
  /** IPv4 and IPv6 addresses: points for exact, range and CIDR queries; doc values as text. */
  IP,
  /** true/false, indexed as a keyword. */
  BOOLEAN,
  /** Kept in the stored event only; not searchable (event.original, say). */
  NONE;

  /** The name in mapping files and messages: {@code keyword}, {@code text}, ... */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@link #label()}; null when unknown. */
  public static FieldType parse(String label) {
    for (FieldType t : values()) {
      if (t.label().equals(label.trim().toLowerCase(Locale.ROOT))) {
        return t;
      }
    }
    return null;
  }

  public boolean numeric() {
    return this == LONG || this == DOUBLE || this == DATE;
  }
}
