package dev.rampart.sigma.parse;

import dev.rampart.sigma.rule.Position;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** Reading SnakeYAML nodes with positions, typed as PyYAML types them. */
final class Nodes {
  /** YAML null, distinct from "no value". */
  static final Object NULL =
      new Object() {
        @Override
        public String toString() {
          return "null";
        }
      };

  private Nodes() {}

  static Position pos(Node n) {
    return n == null || n.getStartMark() == null
        ? Position.UNKNOWN
        : new Position(n.getStartMark().getLine() + 1, n.getStartMark().getColumn() + 1);
  }

  /**
   * A scalar's value: Boolean, BigDecimal (ints and floats, exact), {@link #NULL}, or String
   * (strings, quoted scalars, timestamps). Infinite and NaN floats come back as the String {@code
   * "nan"}/{@code "inf"} text so callers can reject them with the original spelling.
   */
  static Object value(ScalarNode n) {
    String v = n.getValue();
    Tag tag = n.getTag();
    if (Tag.BOOL.equals(tag)) {
      String l = v.toLowerCase(Locale.ROOT);
      return l.equals("yes") || l.equals("true") || l.equals("on");
    }
    if (Tag.NULL.equals(tag)) {
      return NULL;
    }
    if (Tag.INT.equals(tag)) {
      return parseInt(v);
    }
    if (Tag.FLOAT.equals(tag)) {
      String t = v.replace("_", "");
      if (t.toLowerCase(Locale.ROOT).contains("inf")
          || t.toLowerCase(Locale.ROOT).contains("nan")) {
        return v;
      }
      if (t.contains(":")) {
        return sexagesimal(t);
      }
      return new BigDecimal(t.startsWith("+") ? t.substring(1) : t);
    }
    return v;
  }

  private static BigDecimal parseInt(String raw) {
    String t = raw.replace("_", "");
    boolean negative = t.startsWith("-");
    if (t.startsWith("-") || t.startsWith("+")) {
      t = t.substring(1);
    }
    BigInteger value;
    if (t.startsWith("0b")) {
      value = new BigInteger(t.substring(2), 2);
    } else if (t.startsWith("0x")) {
      value = new BigInteger(t.substring(2), 16);
    } else if (t.contains(":")) {
      return negative ? sexagesimal(t).negate() : sexagesimal(t);
    } else if (t.length() > 1 && t.startsWith("0")) {
      value = new BigInteger(t.substring(1), 8);
    } else {
      value = new BigInteger(t);
    }
    return new BigDecimal(negative ? value.negate() : value);
  }

  private static BigDecimal sexagesimal(String t) {
    BigDecimal result = BigDecimal.ZERO;
    for (String part : t.split(":")) {
      result = result.multiply(BigDecimal.valueOf(60)).add(new BigDecimal(part));
    }
    return result;
  }

  /**
   * True when a plain (unquoted) scalar was typed by YAML 1.1 rules in a way YAML 1.2 would not.
   */
  static boolean isYaml11Surprise(ScalarNode n) {
    if (n.getScalarStyle() != org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN) {
      return false;
    }
    String v = n.getValue();
    String l = v.toLowerCase(Locale.ROOT);
    if (Tag.BOOL.equals(n.getTag())) {
      return !(l.equals("true") || l.equals("false"));
    }
    if (Tag.INT.equals(n.getTag())) {
      return v.contains(":") || v.replaceFirst("^[-+]", "").matches("0[0-7_]+") || v.contains("0b");
    }
    return false;
  }

  /** The entries of a mapping with string keys, keeping duplicates (the caller reports them). */
  static List<Map.Entry<String, NodeTuple>> entries(MappingNode m) {
    List<Map.Entry<String, NodeTuple>> out = new ArrayList<>();
    for (NodeTuple t : m.getValue()) {
      Node k = t.getKeyNode();
      String key = k instanceof ScalarNode s ? s.getValue() : String.valueOf(k);
      out.add(Map.entry(key, t));
    }
    return out;
  }

  /** The mapping as an ordered map, last duplicate winning; duplicates are returned separately. */
  static Map<String, NodeTuple> map(MappingNode m, List<NodeTuple> duplicates) {
    Map<String, NodeTuple> out = new LinkedHashMap<>();
    for (Map.Entry<String, NodeTuple> e : entries(m)) {
      NodeTuple prev = out.put(e.getKey(), e.getValue());
      if (prev != null && duplicates != null) {
        duplicates.add(e.getValue());
      }
    }
    return out;
  }

  /** A scalar's text, or null for null or non-scalars. */
  static String text(Node n) {
    if (n instanceof ScalarNode s && !Tag.NULL.equals(s.getTag())) {
      return s.getValue();
    }
    return null;
  }

  /** A string or a list of strings (a single scalar becomes a one-element list). */
  static List<String> strings(Node n) {
    List<String> out = new ArrayList<>();
    if (n instanceof SequenceNode seq) {
      for (Node c : seq.getValue()) {
        String t = text(c);
        if (t != null) {
          out.add(t);
        }
      }
    } else {
      String t = text(n);
      if (t != null) {
        out.add(t);
      }
    }
    return out;
  }

  /** Converts any node to plain Java objects (maps, lists, scalars) for custom attributes. */
  static Object plain(Node n) {
    return switch (n) {
      case ScalarNode s -> {
        Object v = value(s);
        yield v == NULL ? null : v;
      }
      case SequenceNode seq -> {
        List<Object> l = new ArrayList<>();
        for (Node c : seq.getValue()) {
          l.add(plain(c));
        }
        yield l;
      }
      case MappingNode m -> {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, NodeTuple> e : entries(m)) {
          map.put(e.getKey(), plain(e.getValue().getValueNode()));
        }
        yield map;
      }
      default -> String.valueOf(n);
    };
  }
}
