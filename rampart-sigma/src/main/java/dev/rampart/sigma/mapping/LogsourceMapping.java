package dev.rampart.sigma.mapping;

import dev.rampart.core.event.Event;
import dev.rampart.sigma.rule.Logsource;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Which Sigma log sources an event belongs to and how rule field names map onto its fields; data,
 * not code: {@code sources:} entries in YAML (see {@code default.yml} beside this class).
 *
 * <pre>
 * sources:
 *   - logsource: {product: windows, category: process_creation}
 *     when: {Channel: Security, EventID: 4688}
 *     fields: {Image: NewProcessName, ParentImage: ParentProcessName}
 * </pre>
 *
 * An event may satisfy several bindings (a Security 4688 event is both {@code service: security}
 * and {@code category: process_creation}); a rule applies through every binding whose log source
 * satisfies the rule's.
 */
public final class LogsourceMapping {
  private final String name;
  private final List<Binding> bindings;

  public LogsourceMapping(String name, List<Binding> bindings) {
    this.name = name;
    this.bindings = List.copyOf(bindings);
  }

  /** The mapping for Rampart's schema: native Windows names, Zeek, Linux auth (default.yml). */
  public static LogsourceMapping defaults() {
    return resource("default.yml");
  }

  /** The mapping for ECS-only events (Elastic Agent, Winlogbeat without native names; ecs.yml). */
  public static LogsourceMapping ecs() {
    return resource("ecs.yml");
  }

  /** A single catch-all binding: every rule applies to every event, fields as written. */
  public static LogsourceMapping universal() {
    return new LogsourceMapping("universal", List.of(Binding.any(Logsource.EMPTY)));
  }

  /** {@code default}, {@code ecs}, {@code universal}, or a YAML file. */
  public static LogsourceMapping named(String nameOrPath) throws IOException {
    return switch (nameOrPath) {
      case "default" -> defaults();
      case "ecs" -> ecs();
      case "universal" -> universal();
      default -> load(Path.of(nameOrPath));
    };
  }

  private static LogsourceMapping resource(String file) {
    try (InputStream in = LogsourceMapping.class.getResourceAsStream(file)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + file);
      }
      return parse(file, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }

  public static LogsourceMapping load(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      StringBuilder sb = new StringBuilder();
      char[] buf = new char[8192];
      int n;
      while ((n = r.read(buf)) > 0) {
        sb.append(buf, 0, n);
      }
      return parse(file.toString(), sb.toString());
    }
  }

  /** Parses mapping YAML; throws IllegalArgumentException naming the entry that is wrong. */
  public static LogsourceMapping parse(String name, String yaml) {
    LoaderOptions options = new LoaderOptions();
    // Mapping files share field maps through anchors; the cap still stops alias bombs.
    options.setMaxAliasesForCollections(1000);
    Object doc = new Yaml(new SafeConstructor(options)).load(new StringReader(yaml));
    if (!(doc instanceof Map<?, ?> top) || !(top.get("sources") instanceof List<?> sources)) {
      throw new IllegalArgumentException(name + ": expected a top-level 'sources:' list");
    }
    List<Binding> out = new ArrayList<>();
    int index = 0;
    for (Object o : sources) {
      index++;
      if (!(o instanceof Map<?, ?> m) || !(m.get("logsource") instanceof Map<?, ?> ls)) {
        throw new IllegalArgumentException(name + ": source #" + index + " needs a logsource map");
      }
      Logsource logsource =
          Logsource.of(str(ls.get("category")), str(ls.get("product")), str(ls.get("service")));
      Map<String, List<String>> when = stringLists(m.get("when"));
      Map<String, List<String>> fields = stringLists(m.get("fields"));
      String bindingName =
          m.get("name") != null
              ? String.valueOf(m.get("name"))
              : logsource.key() + (when.isEmpty() ? "" : " " + when);
      out.add(new Binding(bindingName, logsource, when, fields, str(m.get("unmapped_prefix"))));
    }
    return new LogsourceMapping(name, out);
  }

  private static String str(Object o) {
    return o == null ? null : String.valueOf(o);
  }

  private static Map<String, List<String>> stringLists(Object o) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (o instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        List<String> values = new ArrayList<>();
        if (e.getValue() instanceof List<?> l) {
          l.forEach(x -> values.add(String.valueOf(x)));
        } else {
          values.add(String.valueOf(e.getValue()));
        }
        out.put(String.valueOf(e.getKey()), values);
      }
    }
    return out;
  }

  public String name() {
    return name;
  }

  public List<Binding> bindings() {
    return bindings;
  }

  /** The bindings an event satisfies (the slow path; the engine indexes them). */
  public List<Binding> bindingsFor(Event e) {
    List<Binding> out = new ArrayList<>(2);
    for (Binding b : bindings) {
      if (b.matches(e)) {
        out.add(b);
      }
    }
    return out;
  }
}
