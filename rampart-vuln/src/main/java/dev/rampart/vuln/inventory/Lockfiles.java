package dev.rampart.vuln.inventory;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.github.packageurl.MalformedPackageURLException;
import dev.rampart.core.io.InputFiles;
import dev.rampart.core.io.Problem;
import dev.rampart.vuln.version.Ecosystem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Application dependencies from lockfiles and resolver output: {@code mvn dependency:list}, {@code
 * package-lock.json} (lockfile versions 1 to 3), pinned {@code requirements.txt}, {@code go.sum}
 * and {@code Cargo.lock}. Each package appears once per name and version.
 */
public final class Lockfiles {
  private Lockfiles() {}

  private static final long MAX_BYTES = 64L << 20;

  /** A collector that keeps the first of each (name, version) and reports bad lines. */
  private static final class Out {
    final String file;
    final Map<String, Package> packages = new LinkedHashMap<>();
    final List<Problem> problems = new ArrayList<>();

    Out(Path file) {
      this.file = file.toString();
    }

    void add(Ecosystem e, String name, String version, long line) {
      try {
        packages.putIfAbsent(name + "@" + version, Purl.language(e, name, version));
      } catch (MalformedPackageURLException ex) {
        problems.add(
            Problem.warning(file, line, -1, name + "@" + version + ": " + ex.getMessage()));
      }
    }

    void problem(long line, String message) {
      problems.add(Problem.warning(file, line, -1, message));
    }

    Inventory inventory(String asset) {
      return new Inventory(asset, new ArrayList<>(packages.values()), problems);
    }
  }

  // [INFO]    group:artifact:type[:classifier]:version:scope[ -- module ...]
  private static final Pattern MVN =
      Pattern.compile(
          "^(?:\\[INFO\\])?\\s+([\\w.\\-]+):([\\w.\\-]+):([\\w.\\-]+)(?::([\\w.\\-]+))?"
              + ":([^:\\s]+):(compile|runtime|provided|system|test|import)(?:\\s.*)?$");

  /** {@code mvn dependency:list} output; test-scoped dependencies do not ship and are left out. */
  public static Inventory mavenList(Path file, String asset) throws IOException {
    Out out = new Out(file);
    try (BufferedReader r = OsPackages.reader(file)) {
      String l;
      long line = 0;
      while ((l = r.readLine()) != null) {
        line++;
        Matcher m = MVN.matcher(l);
        if (m.matches() && !m.group(6).equals("test")) {
          out.add(Ecosystem.MAVEN, m.group(1) + ":" + m.group(2), m.group(5), line);
        }
      }
    }
    return out.inventory(asset);
  }

  /** {@code package-lock.json} or {@code npm-shrinkwrap.json}, lockfile version 1, 2 or 3. */
  public static Inventory npmLock(Path file, String asset) throws IOException {
    Out out = new Out(file);
    JsonNode root = json(file, new ObjectMapper(), out);
    if (root == null) {
      return out.inventory(asset);
    }
    JsonNode packages = root.path("packages");
    if (packages.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = packages.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String path = e.getKey();
        int nm = path.lastIndexOf("node_modules/");
        if (nm < 0 || e.getValue().path("link").asBoolean(false)) {
          continue; // the project itself, or a link to a workspace folder
        }
        String name =
            e.getValue().path("name").asText(path.substring(nm + "node_modules/".length()));
        String version = e.getValue().path("version").asText("");
        if (version.isEmpty()) {
          out.problem(0, "$.packages['" + path + "']: no version; skipped");
        } else {
          out.add(Ecosystem.NPM, name, version, 0);
        }
      }
    } else {
      v1(root.path("dependencies"), "$.dependencies", out);
    }
    return out.inventory(asset);
  }

  private static void v1(JsonNode deps, String where, Out out) {
    for (Iterator<Map.Entry<String, JsonNode>> it = deps.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String version = e.getValue().path("version").asText("");
      if (version.isEmpty() || version.startsWith("file:") || version.startsWith("git")) {
        out.problem(0, where + "['" + e.getKey() + "']: no registry version; skipped");
      } else {
        out.add(Ecosystem.NPM, e.getKey(), version, 0);
      }
      v1(e.getValue().path("dependencies"), where + "['" + e.getKey() + "'].dependencies", out);
    }
  }

  private static final Pattern PIN =
      Pattern.compile(
          "^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\\[[^\\]]*\\])?\\s*===?\\s*([^\\s;,#]+)\\s*$");

  /**
   * A pinned {@code requirements.txt} ({@code pip freeze}, {@code pip-compile}): {@code
   * name==version} lines; options, hashes and environment markers are read past; an unpinned
   * requirement is reported (its installed version is not known) and skipped.
   */
  public static Inventory requirements(Path file, String asset) throws IOException {
    Out out = new Out(file);
    try (BufferedReader r = OsPackages.reader(file)) {
      String l;
      long line = 0;
      StringBuilder joined = new StringBuilder();
      long first = 0;
      while ((l = r.readLine()) != null) {
        line++;
        if (joined.isEmpty()) {
          first = line;
        }
        if (l.endsWith("\\")) {
          joined.append(l, 0, l.length() - 1).append(' ');
          continue;
        }
        String req = joined.append(l).toString();
        joined.setLength(0);
        int hash = req.indexOf(" #");
        req = (req.startsWith("#") ? "" : hash >= 0 ? req.substring(0, hash) : req);
        int opt = req.indexOf(" --");
        req = (opt >= 0 ? req.substring(0, opt) : req);
        int marker = req.indexOf(';');
        req = (marker >= 0 ? req.substring(0, marker) : req).strip();
        if (req.isEmpty() || req.startsWith("-")) {
          continue; // -r, -c, --index-url and other options
        }
        Matcher m = PIN.matcher(req);
        if (m.matches()) {
          out.add(Ecosystem.PYPI, m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2), first);
        } else {
          out.problem(first, "'" + req + "' is not pinned with ==; skipped");
        }
      }
    }
    return out.inventory(asset);
  }

  /**
   * {@code go.sum}: each module version whose content hash is listed (a {@code /go.mod}-only line
   * means only the module file was read, not the code).
   */
  public static Inventory goSum(Path file, String asset) throws IOException {
    Out out = new Out(file);
    try (BufferedReader r = OsPackages.reader(file)) {
      String l;
      long line = 0;
      while ((l = r.readLine()) != null) {
        line++;
        String[] f = l.strip().split("\\s+");
        if (f.length != 3 || !f[2].startsWith("h1:")) {
          if (!l.isBlank()) {
            out.problem(line, "not 'module version h1:hash'; skipped");
          }
          continue;
        }
        if (!f[1].endsWith("/go.mod")) {
          out.add(Ecosystem.GO, f[0], f[1], line);
        }
      }
    }
    return out.inventory(asset);
  }

  /** {@code Cargo.lock}: every {@code [[package]]} from a registry (workspace crates are ours). */
  public static Inventory cargoLock(Path file, String asset) throws IOException {
    Out out = new Out(file);
    JsonNode root = json(file, new TomlMapper(), out);
    if (root != null) {
      JsonNode ps = root.path("package");
      for (int i = 0; i < ps.size(); i++) {
        JsonNode p = ps.get(i);
        String name = p.path("name").asText("");
        String version = p.path("version").asText("");
        if (name.isEmpty() || version.isEmpty()) {
          out.problem(0, "$.package[" + i + "]: no name or version; skipped");
        } else if (p.path("source").asText("").startsWith("registry+")) {
          out.add(Ecosystem.CRATES, name, version, 0);
        }
      }
    }
    return out.inventory(asset);
  }

  private static JsonNode json(Path file, ObjectMapper mapper, Out out) throws IOException {
    try (InputStream in = InputFiles.open(file)) {
      byte[] b = in.readNBytes((int) MAX_BYTES + 1);
      if (b.length > MAX_BYTES) {
        out.problem(0, "larger than " + (MAX_BYTES >> 20) + " MB; not read");
        return null;
      }
      return mapper.readTree(b);
    } catch (JacksonException e) {
      long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      out.problems.add(
          Problem.error(out.file, line, -1, "cannot be read: " + e.getOriginalMessage()));
      return null;
    }
  }
}
