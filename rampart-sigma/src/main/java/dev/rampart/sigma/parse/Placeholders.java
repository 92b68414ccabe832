package dev.rampart.sigma.parse;

import java.io.IOException;
import java.io.Reader;
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
 * Values for {@code %name%} placeholders in {@code |expand} values, from a YAML file mapping each
 * name to a list of Sigma strings (wildcards allowed):
 *
 * <pre>
 * Administrators: ['adm_*', 'root']
 * DomainControllers: ['DC-*']
 * </pre>
 *
 * A placeholder without values rejects the rule, unless the policy is {@link Policy#WILDCARD},
 * which resolves it to {@code *} with a warning.
 */
public final class Placeholders {
  public enum Policy {
    STRICT,
    WILDCARD
  }

  public static final Placeholders NONE = new Placeholders(Map.of(), Policy.STRICT);

  private final Map<String, List<String>> values;
  private final Policy policy;

  public Placeholders(Map<String, List<String>> values, Policy policy) {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    values.forEach((k, v) -> copy.put(k.toLowerCase(java.util.Locale.ROOT), List.copyOf(v)));
    this.values = copy;
    this.policy = policy;
  }

  /** Reads a placeholders file. */
  public static Placeholders load(Path file, Policy policy) throws IOException {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
      Map<String, List<String>> out = new LinkedHashMap<>();
      if (doc instanceof Map<?, ?> m) {
        for (Map.Entry<?, ?> e : m.entrySet()) {
          List<String> list = new ArrayList<>();
          if (e.getValue() instanceof List<?> l) {
            l.forEach(x -> list.add(String.valueOf(x)));
          } else if (e.getValue() != null) {
            list.add(String.valueOf(e.getValue()));
          }
          out.put(String.valueOf(e.getKey()), list);
        }
      } else if (doc != null) {
        throw new IOException(file + ": expected a map of placeholder name to a list of values");
      }
      return new Placeholders(out, policy);
    }
  }

  public Placeholders withPolicy(Policy p) {
    return new Placeholders(values, p);
  }

  /** The values for a name (case-insensitive), an empty list for "use *", or null for unknown. */
  List<String> resolve(String name) {
    List<String> v = values.get(name.toLowerCase(java.util.Locale.ROOT));
    if (v != null) {
      return v;
    }
    return policy == Policy.WILDCARD ? List.of() : null;
  }
}
