package dev.rampart.vuln.vex;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.core.io.InputFiles;
import dev.rampart.core.io.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * VEX documents: a supplier's statement that a vulnerability does or does not affect a product.
 * Reads OpenVEX ({@code statements[]}) and CycloneDX VEX ({@code vulnerabilities[].analysis} with
 * {@code affects[].ref} resolved through the BOM's components); states are brought to OpenVEX's
 * four: {@code not_affected}, {@code affected}, {@code fixed}, {@code under_investigation}.
 */
public final class Vex {
  private Vex() {}

  /** The four states, as OpenVEX names them. */
  public enum State {
    NOT_AFFECTED,
    AFFECTED,
    FIXED,
    UNDER_INVESTIGATION;

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The state of an OpenVEX status or a CycloneDX analysis state; null if neither. */
    public static State of(String s) {
      return switch (s == null ? "" : s.toLowerCase(Locale.ROOT)) {
        case "not_affected", "false_positive" -> NOT_AFFECTED;
        case "affected", "exploitable" -> AFFECTED;
        case "fixed", "resolved", "resolved_with_pedigree" -> FIXED;
        case "under_investigation", "in_triage" -> UNDER_INVESTIGATION;
        default -> null;
      };
    }
  }

  /**
   * One statement: the vulnerability (a CVE, GHSA or advisory id) in one product (a purl, with or
   * without version).
   */
  public record Statement(
      String vulnerability, String product, State state, String justification) {}

  /** What a document held. */
  public record Document(String format, List<Statement> statements, List<Problem> problems) {}

  public static Document read(Path file) throws IOException {
    JsonNode root;
    try (InputStream in = InputFiles.open(file)) {
      root = new ObjectMapper().readTree(in);
    } catch (JacksonException e) {
      throw new IOException(file + ": not JSON: " + e.getOriginalMessage(), e);
    }
    List<Problem> problems = new ArrayList<>();
    List<Statement> out = new ArrayList<>();
    String name = file.toString();
    if (root != null && root.has("statements")) {
      JsonNode st = root.get("statements");
      for (int i = 0; i < st.size(); i++) {
        JsonNode s = st.get(i);
        String where = "$.statements[" + i + "]";
        String vuln =
            s.path("vulnerability").path("name").asText(s.path("vulnerability").asText(""));
        State state = State.of(s.path("status").asText(null));
        if (vuln.isEmpty() || state == null) {
          problems.add(Problem.warning(name, 0, -1, where + ": no vulnerability name or status"));
          continue;
        }
        String why = s.path("justification").asText(null);
        for (JsonNode p : s.path("products")) {
          String id = p.isTextual() ? p.asText() : p.path("@id").asText("");
          if (id.isEmpty()) {
            problems.add(Problem.warning(name, 0, -1, where + ".products: a product without @id"));
          } else {
            out.add(new Statement(vuln, id, state, why));
          }
        }
      }
      return new Document("openvex", out, problems);
    }
    if (root != null && root.has("vulnerabilities")) {
      Map<String, String> refs = new HashMap<>();
      collect(root.path("components"), refs);
      JsonNode vs = root.get("vulnerabilities");
      for (int i = 0; i < vs.size(); i++) {
        JsonNode v = vs.get(i);
        String where = "$.vulnerabilities[" + i + "]";
        State state = State.of(v.path("analysis").path("state").asText(null));
        String id = v.path("id").asText("");
        if (id.isEmpty() || state == null) {
          problems.add(Problem.warning(name, 0, -1, where + ": no id or analysis.state"));
          continue;
        }
        String why = v.path("analysis").path("justification").asText(null);
        for (JsonNode a : v.path("affects")) {
          String ref = a.path("ref").asText("");
          int hash = ref.indexOf('#');
          String local = ref.startsWith("urn:cdx:") && hash > 0 ? ref.substring(hash + 1) : ref;
          String purl = local.startsWith("pkg:") ? local : refs.get(local);
          if (purl == null) {
            problems.add(
                Problem.warning(name, 0, -1, where + ".affects: '" + ref + "' names no purl"));
          } else {
            out.add(new Statement(id, purl, state, why));
          }
        }
      }
      return new Document("cyclonedx-vex", out, problems);
    }
    throw new IOException(
        file
            + ": not a VEX document (OpenVEX has \"statements\", CycloneDX VEX \"vulnerabilities\")");
  }

  private static void collect(JsonNode components, Map<String, String> refs) {
    for (JsonNode c : components) {
      if (c.hasNonNull("bom-ref") && c.hasNonNull("purl")) {
        refs.put(c.get("bom-ref").asText(), c.get("purl").asText());
      }
      collect(c.path("components"), refs);
    }
  }

  /**
   * Whether a statement's product names this package: the same purl up to qualifiers, or a purl
   * without version naming the package in every version.
   */
  public static boolean covers(String product, String purl) {
    String p = base(product);
    String f = base(purl);
    if (p.equals(f)) {
      return true;
    }
    int at = f.lastIndexOf('@');
    return p.indexOf('@') < 0 && at > 0 && p.equals(f.substring(0, at));
  }

  private static String base(String purl) {
    int q = purl.indexOf('?');
    int h = purl.indexOf('#');
    int end = q >= 0 ? q : h >= 0 ? h : purl.length();
    return purl.substring(0, end);
  }
}
