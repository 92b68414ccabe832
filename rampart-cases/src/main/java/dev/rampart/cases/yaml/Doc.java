package dev.rampart.cases.yaml;

import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A YAML document read as a tree that remembers lines, for configuration files whose mistakes must
 * be reported as {@code file:line: reason} (alerting policy, playbooks). Problems are collected,
 * not thrown at the first, so one run shows them all.
 */
public final class Doc {
  /** A value with the line it starts on (1-based). */
  public sealed interface Node permits Scalar, Seq, Obj {
    int line();
  }

  public record Scalar(String value, int line) implements Node {}

  public record Seq(List<Node> items, int line) implements Node {}

  /** A mapping; keys keep their order and their own lines. */
  public record Obj(Map<String, Node> entries, Map<String, Integer> keyLines, int line)
      implements Node {}

  /** A problem at a line of the file. */
  public record Problem(String file, int line, String message) {
    @Override
    public String toString() {
      return file + ":" + line + ": " + message;
    }
  }

  /** Problems that stop a file from being used, carried to whoever reports them. */
  public static final class ProblemsException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<Problem> problems;

    public ProblemsException(List<Problem> problems) {
      super(
          problems.size()
              + " problem(s):\n  "
              + String.join("\n  ", problems.stream().map(Problem::toString).toList()));
      this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
      return problems;
    }
  }

  private final String file;
  private final List<Problem> problems = new ArrayList<>();

  public Doc(String file) {
    this.file = file;
  }

  /** Limits reading untrusted files: no aliases bombs, bounded size. */
  private static LoaderOptions options() {
    LoaderOptions o = new LoaderOptions();
    o.setMaxAliasesForCollections(20);
    o.setAllowDuplicateKeys(false);
    o.setCodePointLimit(1 << 20);
    return o;
  }

  /**
   * Parses {@code text}; null (with a problem) when it is not YAML. An empty file is an empty map.
   */
  public Obj parse(String text) {
    try {
      org.yaml.snakeyaml.nodes.Node root =
          new Yaml(
                  new SafeConstructor(options()),
                  new org.yaml.snakeyaml.representer.Representer(
                      new org.yaml.snakeyaml.DumperOptions()),
                  new org.yaml.snakeyaml.DumperOptions(),
                  options())
              .compose(new StringReader(text));
      if (root == null) {
        return new Obj(Map.of(), Map.of(), 1);
      }
      Node n = convert(root);
      if (n instanceof Obj o) {
        return o;
      }
      error(n.line(), "expected a mapping of keys to values at the top");
      return null;
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
      error(line, "not valid YAML: " + e.getProblem());
      return null;
    } catch (RuntimeException e) {
      error(1, "not valid YAML: " + e.getMessage());
      return null;
    }
  }

  private Node convert(org.yaml.snakeyaml.nodes.Node n) {
    int line = n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
    return switch (n) {
      case ScalarNode s -> new Scalar(s.getValue(), line);
      case SequenceNode s -> {
        List<Node> items = new ArrayList<>();
        s.getValue().forEach(i -> items.add(convert(i)));
        yield new Seq(items, line);
      }
      case MappingNode m -> {
        Map<String, Node> entries = new LinkedHashMap<>();
        Map<String, Integer> lines = new LinkedHashMap<>();
        for (var t : m.getValue()) {
          Node k = convert(t.getKeyNode());
          if (!(k instanceof Scalar ks)) {
            error(k.line(), "a key must be a plain word");
            continue;
          }
          entries.put(ks.value(), convert(t.getValueNode()));
          lines.put(ks.value(), ks.line());
        }
        yield new Obj(entries, lines, line);
      }
      default -> new Scalar("", line);
    };
  }

  public void error(int line, String message) {
    problems.add(new Problem(file, line, message));
  }

  public List<Problem> problems() {
    return List.copyOf(problems);
  }

  public String file() {
    return file;
  }

  /** Reports keys of {@code o} that are not in {@code allowed}, naming the allowed ones. */
  public void onlyKeys(Obj o, String where, Set<String> allowed) {
    for (var e : o.keyLines().entrySet()) {
      if (!allowed.contains(e.getKey())) {
        error(
            e.getValue(),
            "unknown key '"
                + e.getKey()
                + "' in "
                + where
                + "; known keys: "
                + String.join(", ", new TreeSet<>(allowed)));
      }
    }
  }

  /** The scalar at {@code key}; null when absent (a problem when required) or not a scalar. */
  public String string(Obj o, String key, boolean required) {
    Node n = o.entries().get(key);
    if (n == null) {
      if (required) {
        error(o.line(), "missing key '" + key + "'");
      }
      return null;
    }
    if (n instanceof Scalar s) {
      return s.value();
    }
    error(n.line(), "'" + key + "' must be a single value");
    return null;
  }

  /** A mapping at {@code key}; null when absent or (with a problem) not a mapping. */
  public Obj obj(Obj o, String key) {
    Node n = o.entries().get(key);
    if (n == null || n instanceof Obj) {
      return (Obj) n;
    }
    if (n instanceof Scalar s && s.value().isEmpty()) {
      return null;
    }
    error(n.line(), "'" + key + "' must be a mapping of keys to values");
    return null;
  }

  /** A list at {@code key} (a single scalar counts as a list of one); empty when absent. */
  public List<Node> list(Obj o, String key) {
    Node n = o.entries().get(key);
    return switch (n) {
      case null -> List.of();
      case Seq s -> s.items();
      case Scalar s -> s.value().isEmpty() ? List.of() : List.of(s);
      case Obj m -> {
        error(m.line(), "'" + key + "' must be a list");
        yield List.of();
      }
    };
  }

  /** The scalars of a list at {@code key}. */
  public List<String> strings(Obj o, String key) {
    List<String> out = new ArrayList<>();
    for (Node n : list(o, key)) {
      if (n instanceof Scalar s) {
        out.add(s.value());
      } else {
        error(n.line(), "'" + key + "' must list single values");
      }
    }
    return out;
  }

  /** The line of {@code key} in {@code o} (the mapping's line when absent). */
  public static int line(Obj o, String key) {
    return o.keyLines().getOrDefault(key, o.line());
  }

  /**
   * Parses {@code 30s}, {@code 10m}, {@code 1h}, {@code 7d}, {@code 2w}, {@code 500ms}; null if
   * not.
   */
  public static Duration duration(String s) {
    return dev.rampart.core.time.Durations.parse(s);
  }

  /** A duration at {@code key}, {@code fallback} when absent; a problem when malformed. */
  public Duration duration(Obj o, String key, Duration fallback) {
    String s = string(o, key, false);
    if (s == null) {
      return fallback;
    }
    Duration d = duration(s);
    if (d == null || d.isZero()) {
      error(
          line(o, key),
          "'" + key + "' must be a duration such as 30s, 10m, 1h or 7d, not '" + s + "'");
      return fallback;
    }
    return d;
  }
}
