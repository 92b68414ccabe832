package dev.rampart.auth;

import java.util.Set;

/**
 * Who is asking, and what they may do: the user's role's permissions, narrowed by a token's scopes
 * when the request came with a token.
 *
 * @param via how they proved it ({@code password}, {@code token:ID})
 */
public record Principal(String user, String role, Set<Permission> permissions, String via) {
  public Principal {
    permissions = Set.copyOf(permissions);
  }

  public boolean may(Permission p) {
    return permissions.contains(p);
  }
}
