package dev.rampart.vuln.advisory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.vuln.version.Ecosystem;
import java.util.ArrayList;
import java.util.List;

/**
 * OSV records (the Open Source Vulnerability schema, JSON or YAML): per affected package its
 * ecosystem, name, {@code SEMVER}/{@code ECOSYSTEM} ranges as events and explicit versions. {@code
 * GIT} ranges name commits, not versions, and are left to the explicit version lists that OSV
 * publishes beside them. Withdrawn records are not loaded.
 */
final class Osv {
  private Osv() {}

  /** Whether a parsed document looks like an OSV record. */
  static boolean is(JsonNode n) {
    return n.isObject() && n.hasNonNull("id") && (n.has("affected") || n.has("modified"));
  }

  /**
   * The advisory, or null when it affects nothing Rampart can match; what could not be read is
   * added to {@code problems} as "JSON path: why".
   */
  static Advisory read(JsonNode n, List<String> problems, int[] unsupported) {
    if (n.hasNonNull("withdrawn")) {
      return null;
    }
    String id = n.path("id").asText();
    List<String> aliases = new ArrayList<>();
    n.path("aliases").forEach(a -> aliases.add(a.asText()));
    List<Advisory.Affected> affected = new ArrayList<>();
    JsonNode aff = n.path("affected");
    for (int i = 0; i < aff.size(); i++) {
      JsonNode a = aff.get(i);
      String where = "$.affected[" + i + "]";
      String eco = a.path("package").path("ecosystem").asText("");
      String name = a.path("package").path("name").asText("");
      Ecosystem e = Ecosystem.of(eco);
      if (e == null) {
        unsupported[0]++;
        continue;
      }
      if (name.isEmpty()) {
        problems.add(where + ".package.name: missing");
        continue;
      }
      int colon = eco.indexOf(':');
      String release = colon > 0 ? eco.substring(colon + 1) : null;
      if (e == Ecosystem.DEBIAN && release != null) {
        // OSV names Debian releases by number ("Debian:9"), the tracker and Rampart by code name
        String code = DebianTracker.codename("debian-" + release);
        release = code != null ? code : release;
      }
      List<Advisory.Range> ranges = new ArrayList<>();
      JsonNode rs = a.path("ranges");
      for (int j = 0; j < rs.size(); j++) {
        JsonNode r = rs.get(j);
        String type = r.path("type").asText("");
        if (type.equals("GIT")) {
          continue;
        }
        if (!type.equals("SEMVER") && !type.equals("ECOSYSTEM")) {
          problems.add(where + ".ranges[" + j + "].type: unknown '" + type + "'; skipped");
          continue;
        }
        events(e, r.path("events"), ranges, where + ".ranges[" + j + "]", problems);
      }
      List<String> versions = new ArrayList<>();
      a.path("versions").forEach(v -> versions.add(version(e, v.asText())));
      if (ranges.isEmpty() && versions.isEmpty()) {
        continue;
      }
      affected.add(
          new Advisory.Affected(e, release, name, List.copyOf(ranges), List.copyOf(versions)));
    }
    if (affected.isEmpty()) {
      return null;
    }
    String summary = n.path("summary").asText(null);
    if (summary == null) {
      String d = n.path("details").asText("");
      summary = d.length() > 200 ? d.substring(0, 200) + "…" : d;
    }
    return new Advisory(
        id,
        List.copyOf(aliases),
        summary,
        n.path("published").asText(null),
        "osv",
        List.copyOf(affected),
        severities(n));
  }

  // CVSS vectors of the record and of its affected packages, in order, without repeats
  private static List<String> severities(JsonNode n) {
    List<String> out = new ArrayList<>();
    List<JsonNode> lists = new ArrayList<>();
    lists.add(n.path("severity"));
    n.path("affected").forEach(a -> lists.add(a.path("severity")));
    for (JsonNode l : lists) {
      for (JsonNode s : l) {
        String type = s.path("type").asText("");
        String score = s.path("score").asText("");
        if (type.startsWith("CVSS_") && !score.isEmpty() && !out.contains(score)) {
          out.add(score);
        }
      }
    }
    return List.copyOf(out);
  }

  // Go's OSV data writes module versions without the "v" that go.mod and go.sum carry
  private static String version(Ecosystem e, String v) {
    return e == Ecosystem.GO && !v.isEmpty() && !v.equals("0") && v.charAt(0) != 'v' ? "v" + v : v;
  }

  // introduced/fixed pairs in order; an introduced without an end affects everything after it
  private static void events(
      Ecosystem e, JsonNode events, List<Advisory.Range> out, String where, List<String> problems) {
    String open = null;
    for (int k = 0; k < events.size(); k++) {
      JsonNode ev = events.get(k);
      if (ev.has("introduced")) {
        if (open != null) {
          out.add(new Advisory.Events(open, null, null));
        }
        open = version(e, ev.get("introduced").asText());
      } else if (ev.has("fixed") || ev.has("last_affected") || ev.has("limit")) {
        if (open == null) {
          problems.add(where + ".events[" + k + "]: an end before any introduced; read from 0");
          open = "0";
        }
        if (ev.has("fixed")) {
          out.add(new Advisory.Events(open, version(e, ev.get("fixed").asText()), null));
        } else if (ev.has("last_affected")) {
          out.add(new Advisory.Events(open, null, version(e, ev.get("last_affected").asText())));
        } else {
          // limit: an upper bound on where a git range is walked; as a version, an exclusive end
          out.add(new Advisory.Events(open, version(e, ev.get("limit").asText()), null));
        }
        open = null;
      } else {
        problems.add(where + ".events[" + k + "]: not introduced/fixed/last_affected/limit");
      }
    }
    if (open != null) {
      out.add(new Advisory.Events(open, null, null));
    }
  }
}
