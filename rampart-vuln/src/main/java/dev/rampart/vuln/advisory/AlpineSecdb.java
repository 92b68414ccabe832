package dev.rampart.vuln.advisory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rampart.vuln.version.Ecosystem;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Alpine's security database ({@code v3.10/main.yaml} and the like): per release and source
 * package, the first package version that fixes each CVE. A CVE under version {@code 0} never
 * affected that release's package and is left out. One advisory per CVE and release, named by the
 * CVE.
 */
final class AlpineSecdb {
  private AlpineSecdb() {}

  static boolean is(JsonNode n) {
    return n.isObject() && n.has("distroversion") && n.has("packages");
  }

  static List<Advisory> read(JsonNode n, List<String> problems) {
    String release = n.path("distroversion").asText();
    Map<String, List<Advisory.Affected>> byCve = new LinkedHashMap<>();
    JsonNode pkgs = n.path("packages");
    for (int i = 0; i < pkgs.size(); i++) {
      JsonNode p = pkgs.get(i).path("pkg");
      String name = p.path("name").asText("");
      if (name.isEmpty()) {
        problems.add("$.packages[" + i + "].pkg.name: missing; skipped");
        continue;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = p.path("secfixes").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> fix = it.next();
        String version = fix.getKey();
        if (version.equals("0")) {
          continue;
        }
        for (JsonNode c : fix.getValue()) {
          // entries may carry a note: "CVE-2019-1234 XSA-123"
          String cve = c.asText().strip().split("\\s+")[0];
          if (cve.isEmpty()) {
            continue;
          }
          byCve
              .computeIfAbsent(cve, k -> new ArrayList<>())
              .add(
                  new Advisory.Affected(
                      Ecosystem.ALPINE,
                      release,
                      name,
                      List.of(new Advisory.Events("0", version, null)),
                      List.of()));
        }
      }
    }
    List<Advisory> out = new ArrayList<>();
    byCve.forEach(
        (cve, aff) ->
            out.add(
                new Advisory(
                    cve, List.of(), null, null, "alpine-secdb", List.copyOf(aff), List.of())));
    return out;
  }
}
