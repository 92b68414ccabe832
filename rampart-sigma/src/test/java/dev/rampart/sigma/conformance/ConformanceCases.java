package dev.rampart.sigma.conformance;

import dev.rampart.core.event.Event;
import dev.rampart.core.io.Problems;
import dev.rampart.core.json.JsonEventReader;
import dev.rampart.core.json.ReadOptions;
import java.io.IOException;
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
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** Reads conformance/cases.yml: one YAML document per case of the reference's test table. */
final class ConformanceCases {
  record Expect(String rule, boolean match, String json) {
    Event event() {
      try (JsonEventReader r =
          new JsonEventReader(
              json.getBytes(StandardCharsets.UTF_8),
              "case",
              ReadOptions.DEFAULTS,
              new Problems(5))) {
        Event e = new Event();
        if (!r.next(e)) {
          return new Event();
        }
        return e;
      } catch (IOException ex) {
        throw new IllegalStateException(ex);
      }
    }
  }

  record Case(
      String id,
      String ruleYaml,
      Map<String, List<String>> placeholders,
      String loadError,
      String warning,
      Map<String, Integer> loads,
      List<Expect> events) {}

  static List<Case> load() throws IOException {
    Path file = Path.of("src/test/resources/conformance/cases.yml");
    String text = Files.readString(file, StandardCharsets.UTF_8);
    Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
    List<Case> out = new ArrayList<>();
    List<Object> docs = new ArrayList<>();
    yaml.loadAll(text).forEach(docs::add);
    int i = 0;
    for (Node node : yaml.composeAll(new java.io.StringReader(text))) {
      @SuppressWarnings("unchecked")
      Map<String, Object> doc = (Map<String, Object>) docs.get(i++);
      String id = String.valueOf(doc.get("id"));
      String ruleYaml;
      if (doc.containsKey("extra")) {
        ruleYaml = String.valueOf(doc.get("extra"));
      } else {
        String detection = raw(text, (MappingNode) node, "detection");
        ruleYaml =
            "title: " + id + "\nid: " + id + "\nlogsource: {}\ndetection:\n  " + detection + "\n";
      }
      @SuppressWarnings("unchecked")
      Map<String, List<String>> ph =
          (Map<String, List<String>>) doc.getOrDefault("placeholders", Map.of());
      List<Expect> events = new ArrayList<>();
      Object ev = doc.get("events");
      if (ev instanceof List<?> l) {
        for (Object o : l) {
          Map<?, ?> m = (Map<?, ?>) o;
          events.add(
              new Expect(
                  m.get("rule") == null ? id : String.valueOf(m.get("rule")),
                  Boolean.TRUE.equals(m.get("match")),
                  String.valueOf(m.get("json"))));
        }
      }
      @SuppressWarnings("unchecked")
      Map<String, Integer> loads =
          (Map<String, Integer>) doc.getOrDefault("loads", new LinkedHashMap<>());
      out.add(
          new Case(
              id,
              ruleYaml,
              ph,
              (String) doc.get("load_error"),
              (String) doc.get("warning"),
              loads,
              events));
    }
    return out;
  }

  /** The exact source text of a key's value, so YAML typing surprises survive into the rule. */
  private static String raw(String text, MappingNode doc, String key) {
    for (NodeTuple t : doc.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
        Node v = t.getValueNode();
        return text.substring(v.getStartMark().getIndex(), v.getEndMark().getIndex())
            .stripTrailing();
      }
    }
    throw new IllegalArgumentException("no " + key);
  }
}
