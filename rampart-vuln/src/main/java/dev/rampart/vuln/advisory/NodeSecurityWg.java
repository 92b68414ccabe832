package dev.rampart.vuln.advisory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.vuln.version.Ecosystem;
import dev.rampart.vuln.version.NpmRange;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The Node.js security working group's npm advisories ({@code vuln/npm/*.json} in its repository):
 * {@code module_name}, and the affected and patched versions as node-semver ranges. The ids are the
 * group's numbers; the advisory id Rampart shows is {@code NSWG-ECO-<id>}, as the group's site
 * names them, with the CVEs as aliases. The {@code core} and {@code deps} folders concern the
 * Node.js runtime, not npm packages, and are counted apart.
 */
final class NodeSecurityWg {
  private NodeSecurityWg() {}

  static final Pattern NPM = Pattern.compile("(^|.*/)vuln/npm/\\d+\\.json$");
  static final Pattern RUNTIME = Pattern.compile("(^|.*/)vuln/(core|deps)/[^/]+\\.json$");

  static Advisory read(JsonNode n, List<String> problems) {
    String module = n.path("module_name").asText("");
    String vulnerable = n.path("vulnerable_versions").asText("");
    String patched = n.path("patched_versions").asText("");
    if (module.isEmpty() || !n.hasNonNull("id")) {
      problems.add("$: no module_name or id; skipped");
      return null;
    }
    if (vulnerable.isBlank()) {
      vulnerable = "*";
    }
    if (NpmRange.parse(vulnerable, NpmRange.Options.DEFAULT) == null) {
      problems.add(
          "$.vulnerable_versions: '" + vulnerable + "' is not a node-semver range; skipped");
      return null;
    }
    List<String> aliases = new ArrayList<>();
    n.path("cves").forEach(c -> aliases.add(c.asText()));
    return new Advisory(
        "NSWG-ECO-" + n.get("id").asText(),
        List.copyOf(aliases),
        n.path("title").asText(null),
        n.path("publish_date").asText(null),
        "nodejs-security-wg",
        List.of(
            new Advisory.Affected(
                Ecosystem.NPM,
                null,
                module,
                List.of(new Advisory.Expression(vulnerable, patched.isBlank() ? null : patched)),
                List.of())),
        n.hasNonNull("cvss_vector") ? List.of(n.get("cvss_vector").asText()) : List.of());
  }
}
