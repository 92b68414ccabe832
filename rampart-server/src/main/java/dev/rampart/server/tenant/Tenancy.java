package dev.rampart.server.tenant;

import dev.rampart.auth.Principal;
import dev.rampart.server.ServerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Who sees which events. A tenant owns inputs (the server config's {@code tenants:} section); an
 * event belongs to the tenant of the input it came through, {@code default} when no tenant claims
 * that input, and its alerts and incidents inherit it. A user assigned tenants sees only theirs; a
 * user assigned none sees all. For events this becomes a filter on {@code rampart.input} that the
 * store applies under the user's own query, so no pipe, facet or context view can step around it.
 */
public final class Tenancy {
  /** A filter matching no event (ids are spool offsets, never negative). */
  static final String NOTHING = "_id:-1";

  private Tenancy() {}

  /** The store scope for {@code p}: null when they see every tenant. */
  public static String eventScope(Principal p, ServerConfig config) {
    return eventScope(p.tenants(), config);
  }

  /** The store scope of {@code tenants}' events: null for every tenant (empty). */
  public static String eventScope(java.util.Set<String> tenants, ServerConfig config) {
    if (tenants.isEmpty()) {
      return null;
    }
    List<String> clauses = new ArrayList<>();
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(config.tenants()).entrySet()) {
      if (tenants.contains(e.getValue())) {
        clauses.add("rampart.input:" + quote(e.getKey()));
      }
    }
    if (tenants.contains(ServerConfig.DEFAULT_TENANT)) {
      TreeSet<String> claimed = new TreeSet<>(config.tenants().keySet());
      if (claimed.isEmpty()) {
        return null; // everything is the default tenant's
      }
      List<String> others = claimed.stream().map(i -> "rampart.input:" + quote(i)).toList();
      clauses.add("NOT (" + String.join(" OR ", others) + ")");
    }
    return clauses.isEmpty() ? NOTHING : "(" + String.join(" OR ", clauses) + ")";
  }

  /** Every tenant events can belong to: those owning inputs, and the default one. */
  public static java.util.Set<String> all(ServerConfig config) {
    TreeSet<String> all = new TreeSet<>(config.tenants().values());
    all.add(ServerConfig.DEFAULT_TENANT);
    return all;
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
