package dev.rampart.intel;

import java.util.Locale;

/**
 * One indicator of compromise.
 *
 * @param type what the value is
 * @param value normalised: IPs and networks canonical, names and hashes lower-case
 * @param source the feed it came from (a file, a MISP event, a STIX bundle's identity)
 * @param confidence 0..100 (the feed's, or 50 when it says nothing)
 * @param expiresAt epoch milliseconds after which it no longer matches; 0: never
 * @param name the feed's label for it (a STIX indicator name, a MISP comment), may be empty
 */
public record Indicator(
    Type type, String value, String source, int confidence, long expiresAt, String name) {
  /** What an indicator's value is. */
  public enum Type {
    /** An IPv4 or IPv6 address, or a network in CIDR notation. */
    IP,
    /** A domain: matches it and every name under it. */
    DOMAIN,
    URL,
    MD5,
    SHA1,
    SHA256;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a label ({@code ip}, {@code domain}, ...); null when unknown. */
    public static Type parse(String s) {
      for (Type t : values()) {
        if (t.label().equalsIgnoreCase(s)) {
          return t;
        }
      }
      return null;
    }
  }

  public Indicator {
    confidence = Math.max(0, Math.min(100, confidence));
    name = name == null ? "" : name;
    source = source == null ? "" : source;
  }

  /** Whether it is in force at {@code nowMillis}. */
  public boolean live(long nowMillis) {
    return expiresAt == 0 || expiresAt > nowMillis;
  }
}
