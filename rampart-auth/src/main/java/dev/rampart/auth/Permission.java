package dev.rampart.auth;

import java.util.Locale;

/** What a role may do; checked on the server for every endpoint and action. */
public enum Permission {
  EVENTS_READ("events:read"),
  SEARCHES_WRITE("searches:write"),
  ALERTS_READ("alerts:read"),
  ALERTS_WRITE("alerts:write"),
  INCIDENTS_READ("incidents:read"),
  INCIDENTS_WRITE("incidents:write"),
  EXCEPTIONS_WRITE("exceptions:write"),
  PLAYBOOKS_READ("playbooks:read"),
  PLAYBOOKS_WRITE("playbooks:write"),
  RULES_READ("rules:read"),
  RULES_WRITE("rules:write"),
  VULNS_READ("vulns:read"),
  VULNS_WRITE("vulns:write"),
  AGENTS_READ("agents:read"),
  AGENTS_WRITE("agents:write"),
  IDENTITIES_READ("identities:read"),
  IDENTITIES_WRITE("identities:write"),
  REVIEWS_DECIDE("reviews:decide"),
  AUDIT_READ("audit:read"),
  USERS_ADMIN("users:admin");

  private final String code;

  Permission(String code) {
    this.code = code;
  }

  /** The permission's name in APIs and files, e.g. {@code incidents:write}. */
  public String code() {
    return code;
  }

  /** Parses {@link #code()}; null when unknown. */
  public static Permission parse(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    for (Permission p : values()) {
      if (p.code.equals(t)) {
        return p;
      }
    }
    return null;
  }
}
