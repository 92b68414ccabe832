package dev.rampart.vuln.advisory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.rampart.core.io.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Loads advisory data from what a user points at, telling the kind from the layout and content: a
 * Debian security-tracker checkout; OSV records (JSON or YAML; a file, a folder, or a zip dump as
 * osv.dev and the ecosystems publish them); Alpine's secdb YAML; the Node.js security WG's npm
 * advisories. One bad document is reported (file, JSON path) and skipped; the rest load.
 */
public final class Advisories {
  private Advisories() {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  /**
   * What was loaded from one path.
   *
   * @param kind the kinds of data seen, comma-separated ({@code osv}, {@code debian-tracker},
   *     {@code alpine-secdb}, {@code nodejs-security-wg})
   * @param skipped documents or entries deliberately not loaded, by reason, with counts
   */
  public record Loaded(
      Path path,
      String kind,
      List<Advisory> advisories,
      List<Problem> problems,
      Map<String, Integer> skipped) {}

  public static Loaded load(Path path) throws IOException {
    if (!Files.exists(path)) {
      throw new IOException(path + ": no such file or folder");
    }
    List<Problem> problems = new ArrayList<>();
    List<Advisory> all = new ArrayList<>();
    if (Files.isDirectory(path) && DebianTracker.isTracker(path)) {
      for (Path list : DebianTracker.lists(path)) {
        all.addAll(DebianTracker.read(list, problems));
      }
      return new Loaded(path, "debian-tracker", all, problems, Map.of());
    }
    TreeMap<String, Integer> kinds = new TreeMap<>();
    TreeMap<String, Integer> skipped = new TreeMap<>();
    int[] unsupported = new int[1];
    Documents.each(
        path,
        doc -> {
          if (doc.problem() != null) {
            problems.add(Problem.error(doc.name(), 0, -1, doc.problem() + "; skipped"));
            return;
          }
          if (NodeSecurityWg.RUNTIME.matcher(doc.path()).matches()) {
            skipped.merge("Node.js runtime advisories (not npm packages)", 1, Integer::sum);
            return;
          }
          JsonNode n;
          try {
            n = (doc.yaml() ? YAML : JSON).readTree(doc.bytes());
          } catch (JsonProcessingException e) {
            long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            problems.add(
                Problem.error(
                    doc.name(),
                    line,
                    -1,
                    "not valid "
                        + (doc.yaml() ? "YAML" : "JSON")
                        + ": "
                        + e.getOriginalMessage()
                        + "; skipped"));
            return;
          }
          if (n == null) {
            return;
          }
          List<String> why = new ArrayList<>();
          String kind;
          if (NodeSecurityWg.NPM.matcher(doc.path()).matches()) {
            kind = "nodejs-security-wg";
            Advisory a = NodeSecurityWg.read(n, why);
            if (a != null) {
              all.add(a);
            }
          } else if (AlpineSecdb.is(n)) {
            kind = "alpine-secdb";
            all.addAll(AlpineSecdb.read(n, why));
          } else if (Osv.is(n)) {
            kind = "osv";
            Advisory a = Osv.read(n, why, unsupported);
            if (a != null) {
              all.add(a);
            } else if (why.isEmpty()) {
              skipped.merge(
                  "OSV records with nothing to match (withdrawn, git only)", 1, Integer::sum);
            }
          } else {
            skipped.merge("documents that are not advisories", 1, Integer::sum);
            return;
          }
          kinds.merge(kind, 1, Integer::sum);
          for (String w : why) {
            problems.add(Problem.warning(doc.name(), 0, -1, w));
          }
        });
    if (unsupported[0] > 0) {
      skipped.put("affected packages in ecosystems Rampart does not match", unsupported[0]);
    }
    if (kinds.isEmpty()) {
      throw new IOException(
          path
              + ": no advisory data found (Rampart reads a Debian security-tracker checkout, OSV"
              + " JSON/YAML files, folders or zips, Alpine secdb YAML, and the Node.js security"
              + " WG's vuln/npm/*.json)");
    }
    return new Loaded(path, String.join(",", kinds.keySet()), all, problems, skipped);
  }
}
