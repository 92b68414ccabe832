package dev.rampart.vuln;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.core.testing.Corpora;
import dev.rampart.vuln.advisory.Advisories;
import dev.rampart.vuln.inventory.Sboms;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * SBOMs and advisory feeds come from other tools and other people: a damaged one must be reported
 * (an {@link IOException} naming the file, or problems beside what loaded), never crash the import.
 * Real CycloneDX and SPDX documents and OSV advisories from the corpora (read in place) are damaged
 * two ways: bytes deleted, inserted or cut short (syntax), and, for JSON, values swapped for other
 * types, emptied or removed while the document stays well-formed (meaning), which reaches the code
 * behind the parser. Each failure prints its seed.
 */
class InputFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  static List<Path> sboms = List.of();
  static List<byte[]> advisories = List.of();
  static Path tmp;

  @BeforeContainer
  static void find() throws IOException {
    tmp = Files.createTempDirectory("vuln-fuzz");
    Path root = Corpora.root();
    List<Path> found = new ArrayList<>();
    for (String dir : List.of("cyclonedx-bom-examples/SBOM", "spdx-examples")) {
      if (Files.isDirectory(root.resolve(dir))) {
        try (Stream<Path> files = Files.walk(root.resolve(dir))) {
          files
              .filter(Files::isRegularFile)
              .filter(
                  p -> {
                    String n = p.getFileName().toString();
                    return n.endsWith(".json")
                        || n.endsWith(".json.gz")
                        || n.endsWith(".xml")
                        || n.endsWith(".spdx");
                  })
              .filter(p -> p.toFile().length() < 4 << 20)
              .sorted()
              .forEach(found::add);
        }
      }
    }
    sboms = found;
    Path osv = root.resolve("osv-pypa/vulns.zip");
    if (Files.isRegularFile(osv)) {
      List<byte[]> docs = new ArrayList<>();
      try (ZipFile zip = new ZipFile(osv.toFile())) {
        Iterator<? extends ZipEntry> it = zip.stream().iterator();
        while (it.hasNext() && docs.size() < 400) {
          ZipEntry e = it.next();
          if (e.getName().endsWith(".json")) {
            try (InputStream in = zip.getInputStream(e)) {
              docs.add(in.readAllBytes());
            }
          }
        }
      }
      advisories = docs;
    }
    if (sboms.isEmpty() || advisories.isEmpty()) {
      System.out.println("InputFuzzTest: skipped in part, corpora missing under " + root);
    }
  }

  @AfterContainer
  static void clean() throws IOException {
    try (Stream<Path> files = Files.walk(tmp)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Property(tries = 200)
  void aDamagedSbomIsReportedNeverACrash(@ForAll long seed) throws IOException {
    if (sboms.isEmpty()) {
      return;
    }
    Random r = new Random(seed);
    Path source = sboms.get(r.nextInt(sboms.size()));
    byte[] data = read(source);
    String name = source.getFileName().toString().replace(".gz", "");
    Path file = tmp.resolve(seed + "-" + name);
    Files.write(file, damage(r, data, name.endsWith(".json")));
    try {
      Sboms.read(file, "asset-1");
    } catch (IOException reported) {
      assertThat(reported.getMessage()).as("seed %d (%s)", seed, source).isNotBlank();
    } catch (RuntimeException | StackOverflowError e) {
      fail("seed " + seed + " (" + source + " damaged): " + e, e);
    } finally {
      Files.delete(file);
    }
  }

  @Property(tries = 300)
  void aDamagedAdvisoryIsReportedNeverACrash(@ForAll long seed) throws IOException {
    if (advisories.isEmpty()) {
      return;
    }
    Random r = new Random(seed);
    byte[] data = advisories.get(r.nextInt(advisories.size()));
    Path file = tmp.resolve(seed + "-osv.json");
    Files.write(file, damage(r, data, true));
    try {
      Advisories.Loaded loaded = Advisories.load(file);
      loaded.problems().forEach(p -> assertThat(p.toString()).isNotBlank());
    } catch (IOException reported) {
      assertThat(reported.getMessage()).as("seed %d", seed).isNotBlank();
    } catch (RuntimeException | StackOverflowError e) {
      fail("seed " + seed + " (OSV advisory damaged): " + e, e);
    } finally {
      Files.delete(file);
    }
  }

  static byte[] read(Path p) throws IOException {
    try (InputStream in =
        p.toString().endsWith(".gz")
            ? new GZIPInputStream(Files.newInputStream(p))
            : Files.newInputStream(p)) {
      return in.readAllBytes();
    }
  }

  static byte[] damage(Random r, byte[] data, boolean json) throws IOException {
    if (json && r.nextInt(3) > 0) {
      try {
        JsonNode root = JSON.readTree(data);
        if (root != null && root.isContainerNode()) {
          for (int n = 1 + r.nextInt(6); n > 0; n--) {
            mutate(r, root);
          }
          return JSON.writeValueAsBytes(root);
        }
      } catch (IOException notJson) {
        // damage the bytes instead
      }
    }
    byte[] b = data.clone();
    int len = b.length;
    for (int n = 1 + r.nextInt(4); n > 0 && len > 0; n--) {
      int at = r.nextInt(len);
      switch (r.nextInt(3)) {
        case 0 -> b[at] = (byte) r.nextInt(256);
        case 1 -> {
          int cut = Math.min(len - at, 1 + r.nextInt(16));
          System.arraycopy(b, at + cut, b, at, len - at - cut);
          len -= cut;
        }
        default -> len = at; // cut short
      }
    }
    return java.util.Arrays.copyOf(b, len);
  }

  /** Replaces, empties or removes one value somewhere in the tree. */
  static void mutate(Random r, JsonNode root) {
    List<JsonNode> containers = new ArrayList<>();
    collect(root, containers);
    JsonNode c = containers.get(r.nextInt(containers.size()));
    if (c.isEmpty()) {
      return;
    }
    JsonNode replacement =
        switch (r.nextInt(9)) {
          case 0 -> NODES.textNode("");
          case 1 -> NODES.textNode("x:<>/\\%00\u0000é");
          case 2 -> NODES.numberNode(-1L);
          case 3 -> NODES.numberNode(Long.MAX_VALUE);
          case 4 -> NODES.nullNode();
          case 5 -> NODES.objectNode();
          case 6 -> NODES.arrayNode().add("1.0.0").add(NODES.objectNode());
          case 7 -> NODES.booleanNode(true);
          default -> null; // removed
        };
    if (c instanceof ObjectNode o) {
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      String key = names.get(r.nextInt(names.size()));
      if (replacement == null) {
        o.remove(key);
      } else {
        o.set(key, replacement);
      }
    } else if (c instanceof ArrayNode a) {
      int i = r.nextInt(a.size());
      if (replacement == null) {
        a.remove(i);
      } else {
        a.set(i, replacement);
      }
    }
  }

  private static void collect(JsonNode n, List<JsonNode> out) {
    if (n.isContainerNode()) {
      out.add(n);
      n.elements().forEachRemaining(child -> collect(child, out));
    }
  }
}
