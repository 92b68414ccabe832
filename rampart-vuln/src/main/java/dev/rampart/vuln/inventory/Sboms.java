package dev.rampart.vuln.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.core.io.InputFiles;
import dev.rampart.core.io.Problem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Software bills of materials: CycloneDX (JSON and XML, 1.2 to 1.6: the component fields Rampart
 * reads are the same in all) and SPDX (2.2/2.3, JSON and tag-value). Packages are identified by
 * their purl; a component without one, or with one Rampart cannot match, is reported with its place
 * and skipped.
 */
public final class Sboms {
  private Sboms() {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_BYTES = 256L << 20;

  /** Reads an SBOM of any supported kind (told apart by its content). */
  public static Inventory read(Path file, String asset) throws IOException {
    byte[] data;
    try (InputStream in = InputFiles.open(file)) {
      data = in.readNBytes((int) MAX_BYTES + 1);
    }
    if (data.length > MAX_BYTES) {
      throw new IOException(file + ": larger than " + (MAX_BYTES >> 20) + " MB");
    }
    String name = file.toString();
    int i = 0;
    while (i < data.length
        && (Character.isWhitespace(data[i])
            || data[i] == (byte) 0xEF
            || data[i] == (byte) 0xBB
            || data[i] == (byte) 0xBF)) {
      i++;
    }
    List<Package> out = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    if (i < data.length && data[i] == '{') {
      JsonNode root = JSON.readTree(data);
      if (root.has("spdxVersion")) {
        spdxJson(root, name, out, problems);
      } else if (root.has("bomFormat") || root.has("components")) {
        cycloneJson(root.path("components"), "$.components", name, out, problems);
      } else {
        throw new IOException(
            name + ": JSON, but neither CycloneDX (bomFormat) nor SPDX (spdxVersion)");
      }
    } else if (i < data.length && data[i] == '<') {
      try {
        cycloneXml(data, name, out, problems);
      } catch (XMLStreamException e) {
        throw new IOException(name + ": not well-formed XML: " + e.getMessage(), e);
      }
    } else if (new String(data, StandardCharsets.UTF_8).contains("SPDXVersion:")) {
      spdxTagValue(new String(data, StandardCharsets.UTF_8), name, out, problems);
    } else {
      throw new IOException(name + ": not a CycloneDX or SPDX document");
    }
    return new Inventory(asset, out, problems);
  }

  private static void add(
      String purl,
      String pkgName,
      String version,
      String file,
      long line,
      String where,
      List<Package> out,
      List<Problem> problems) {
    if (purl == null || purl.isBlank()) {
      problems.add(
          Problem.warning(
              file, line, -1, where + ": " + pkgName + " " + version + " has no purl; skipped"));
      return;
    }
    try {
      Package p = Purls.parse(purl.strip(), pkgName, version);
      if (p == null) {
        return; // a type no advisory source covers (pkg:github, pkg:generic, ...): nothing to match
      }
      if (p.version() == null || p.version().isBlank()) {
        problems.add(
            Problem.warning(file, line, -1, where + ": " + purl + " has no version; skipped"));
        return;
      }
      out.add(p);
    } catch (com.github.packageurl.MalformedPackageURLException e) {
      problems.add(
          Problem.error(file, line, -1, where + ": bad purl '" + purl + "': " + e.getMessage()));
    }
  }

  private static void cycloneJson(
      JsonNode components, String path, String file, List<Package> out, List<Problem> problems) {
    if (!components.isArray()) {
      return;
    }
    for (int k = 0; k < components.size(); k++) {
      JsonNode c = components.get(k);
      String where = path + "[" + k + "]";
      add(
          c.path("purl").asText(null),
          c.path("name").asText(""),
          c.path("version").asText(""),
          file,
          -1,
          where,
          out,
          problems);
      cycloneJson(c.path("components"), where + ".components", file, out, problems);
    }
  }

  private static void cycloneXml(
      byte[] data, String file, List<Package> out, List<Problem> problems)
      throws XMLStreamException {
    XMLInputFactory f = XMLInputFactory.newFactory();
    // SBOMs come from outside: no DTDs, no external entities
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    XMLStreamReader r = f.createXMLStreamReader(new ByteArrayInputStream(data));
    // a stack of components being read: name, version, purl, line
    List<String[]> open = new ArrayList<>();
    List<Integer> lines = new ArrayList<>();
    int depthInMetadata = 0;
    StringBuilder text = new StringBuilder();
    while (r.hasNext()) {
      int ev = r.next();
      if (ev == XMLStreamConstants.START_ELEMENT) {
        String n = r.getLocalName();
        text.setLength(0);
        if (n.equals("metadata")) {
          depthInMetadata++;
        } else if (n.equals("component") && depthInMetadata == 0) {
          open.add(new String[3]);
          lines.add(r.getLocation().getLineNumber());
        }
      } else if (ev == XMLStreamConstants.CHARACTERS || ev == XMLStreamConstants.CDATA) {
        text.append(r.getText());
      } else if (ev == XMLStreamConstants.END_ELEMENT) {
        String n = r.getLocalName();
        if (n.equals("metadata")) {
          depthInMetadata--;
        } else if (depthInMetadata == 0 && !open.isEmpty()) {
          String[] c = open.get(open.size() - 1);
          switch (n) {
            case "name" -> c[0] = c[0] == null ? text.toString().strip() : c[0];
            case "version" -> c[1] = c[1] == null ? text.toString().strip() : c[1];
            case "purl" -> c[2] = text.toString().strip();
            case "component" -> {
              open.remove(open.size() - 1);
              int line = lines.remove(lines.size() - 1);
              add(c[2], c[0], c[1], file, line, "component " + c[0], out, problems);
            }
            default -> {}
          }
        }
        text.setLength(0);
      }
    }
  }

  private static void spdxJson(
      JsonNode root, String file, List<Package> out, List<Problem> problems) {
    JsonNode pkgs = root.path("packages");
    for (int k = 0; k < pkgs.size(); k++) {
      JsonNode p = pkgs.get(k);
      String purl = null;
      for (JsonNode ref : p.path("externalRefs")) {
        if ("purl".equals(ref.path("referenceType").asText())) {
          purl = ref.path("referenceLocator").asText(null);
        }
      }
      add(
          purl,
          p.path("name").asText(""),
          p.path("versionInfo").asText(""),
          file,
          -1,
          "$.packages[" + k + "]",
          out,
          problems);
    }
  }

  private static void spdxTagValue(
      String text, String file, List<Package> out, List<Problem> problems) {
    String name = null;
    String version = null;
    String purl = null;
    long line = 0;
    long start = 0;
    for (String l : (text + "\nPackageName: \n").split("\n", -1)) {
      line++;
      l = l.strip();
      if (l.startsWith("PackageName:")) {
        if (name != null) {
          add(purl, name, version, file, start, "package " + name, out, problems);
        }
        name = l.substring("PackageName:".length()).strip();
        version = null;
        purl = null;
        start = line;
      } else if (l.startsWith("PackageVersion:")) {
        version = l.substring("PackageVersion:".length()).strip();
      } else if (l.startsWith("ExternalRef:")) {
        String[] f = l.substring("ExternalRef:".length()).strip().split("\\s+");
        if (f.length >= 3 && f[1].equals("purl")) {
          purl = f[2];
        }
      }
    }
  }
}
