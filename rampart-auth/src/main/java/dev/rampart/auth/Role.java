package dev.rampart.auth;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** A named set of permissions. The three built-in roles cannot be changed or removed. */
public record Role(String name, Set<Permission> permissions, boolean builtIn) {
  public Role {
    permissions = permissions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(permissions));
  }

  /** Reads everything an analyst reads; changes nothing. */
  public static final Role VIEWER =
      new Role(
          "viewer",
          EnumSet.of(
              Permission.EVENTS_READ,
              Permission.ALERTS_READ,
              Permission.INCIDENTS_READ,
              Permission.PLAYBOOKS_READ,
              Permission.RULES_READ,
              Permission.VULNS_READ,
              Permission.AGENTS_READ,
              Permission.IDENTITIES_READ),
          true);

  /**
   * Works incidents, saves and shares searches, silences noisy rules, imports inventories, accepts
   * vulnerability risk and decides access reviews.
   */
  public static final Role ANALYST =
      new Role(
          "analyst",
          EnumSet.of(
              Permission.EVENTS_READ,
              Permission.SEARCHES_WRITE,
              Permission.ALERTS_READ,
              Permission.ALERTS_WRITE,
              Permission.INCIDENTS_READ,
              Permission.INCIDENTS_WRITE,
              Permission.EXCEPTIONS_WRITE,
              Permission.PLAYBOOKS_READ,
              Permission.RULES_READ,
              Permission.VULNS_READ,
              Permission.VULNS_WRITE,
              Permission.AGENTS_READ,
              Permission.IDENTITIES_READ,
              Permission.REVIEWS_DECIDE),
          true);

  /** Everything, including users, roles, rules, playbooks and the audit trail. */
  public static final Role ADMIN = new Role("admin", EnumSet.allOf(Permission.class), true);

  public static final List<Role> BUILT_IN = List.of(ADMIN, ANALYST, VIEWER);

  public boolean allows(Permission p) {
    return permissions.contains(p);
  }
}
