package dev.rampart.auth;

import java.util.Set;

/**
 * Who is asking, and what they may do: the user's role's permissions, narrowed by a token's scopes
 * when the request came with a token.
 *
 * @param via how they proved it ({@code password}, {@code token:ID})
 * @param tenants the tenants whose events, alerts and incidents they see; empty: every tenant
 */
public record Principal(
    String user, String role, Set<Permission> permissions, String via, Set<String> tenants) {
  public Principal {
    permissions = Set.copyOf(permissions);
    tenants = Set.copyOf(tenants);
  }

  /** Of every tenant. */
  public Principal(String user, String role, Set<Permission> permissions, String via) {
    this(user, role, permissions, via, Set.of());
  }

  /** Whether they may see data of {@code tenant}: theirs, or any when they are assigned none. */
  public boolean sees(String tenant) {
    return tenants.isEmpty() || tenants.contains(tenant);
  }

  public boolean may(Permission p) {
    return permissions.contains(p);
  }
}
