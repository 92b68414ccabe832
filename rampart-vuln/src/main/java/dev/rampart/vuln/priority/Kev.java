package dev.rampart.vuln.priority;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.core.io.InputFiles;
import dev.rampart.core.io.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CISA's catalog of Known Exploited Vulnerabilities (the published JSON, plain or gzipped): which
 * CVEs are exploited in the wild and by when US federal agencies must fix them. A finding whose
 * advisory names a listed CVE is flagged and carries the due date.
 */
public final class Kev {
  /** One catalog entry. {@code ransomware} is CISA's "Known" or "Unknown". */
  public record Entry(
      String cve,
      String vendor,
      String product,
      String name,
      LocalDate dateAdded,
      LocalDate dueDate,
      String ransomware) {}

  private final String version;
  private final String released;
  private final Map<String, Entry> byCve;
  private final List<Problem> problems;

  private Kev(String version, String released, Map<String, Entry> byCve, List<Problem> problems) {
    this.version = version;
    this.released = released;
    this.byCve = byCve;
    this.problems = problems;
  }

  /** An empty catalog: nothing is flagged. */
  public static Kev none() {
    return new Kev(null, null, Map.of(), List.of());
  }

  /** Reads the catalog; entries it cannot read are reported by their JSON path and skipped. */
  public static Kev load(Path file) throws IOException {
    JsonNode root;
    try (InputStream in = InputFiles.open(file)) {
      root = new ObjectMapper().readTree(in);
    }
    JsonNode list = root == null ? null : root.get("vulnerabilities");
    if (list == null || !list.isArray()) {
      throw new IOException(
          file
              + ": not a KEV catalog (no \"vulnerabilities\" array; CISA publishes"
              + " known_exploited_vulnerabilities.json)");
    }
    Map<String, Entry> byCve = new HashMap<>();
    List<Problem> problems = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode v = list.get(i);
      String cve = v.path("cveID").asText("");
      if (!cve.startsWith("CVE-")) {
        problems.add(
            Problem.warning(file.toString(), 0, -1, "$.vulnerabilities[" + i + "].cveID: missing"));
        continue;
      }
      try {
        byCve.put(
            cve,
            new Entry(
                cve,
                v.path("vendorProject").asText(null),
                v.path("product").asText(null),
                v.path("vulnerabilityName").asText(null),
                date(v, "dateAdded"),
                date(v, "dueDate"),
                v.path("knownRansomwareCampaignUse").asText(null)));
      } catch (DateTimeParseException e) {
        problems.add(
            Problem.warning(
                file.toString(), 0, -1, "$.vulnerabilities[" + i + "]: " + e.getMessage()));
      }
    }
    return new Kev(
        root.path("catalogVersion").asText(null),
        root.path("dateReleased").asText(null),
        Map.copyOf(byCve),
        List.copyOf(problems));
  }

  private static LocalDate date(JsonNode v, String field) {
    String s = v.path(field).asText("");
    return s.isEmpty() ? null : LocalDate.parse(s);
  }

  /** The entry of the first listed id, or null. */
  public Entry find(String id, List<String> aliases) {
    Entry e = byCve.get(id);
    if (e != null) {
      return e;
    }
    for (String a : aliases) {
      e = byCve.get(a);
      if (e != null) {
        return e;
      }
    }
    return null;
  }

  public int size() {
    return byCve.size();
  }

  public String version() {
    return version;
  }

  public String released() {
    return released;
  }

  public List<Problem> problems() {
    return problems;
  }
}
