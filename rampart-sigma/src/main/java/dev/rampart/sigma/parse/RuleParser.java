package dev.rampart.sigma.parse;

import dev.rampart.sigma.rule.Condition;
import dev.rampart.sigma.rule.Level;
import dev.rampart.sigma.rule.Logsource;
import dev.rampart.sigma.rule.Position;
import dev.rampart.sigma.rule.Search;
import dev.rampart.sigma.rule.SigmaCorrelation;
import dev.rampart.sigma.rule.SigmaFilter;
import dev.rampart.sigma.rule.SigmaRule;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Parses a Sigma file (one or more YAML documents) into rules, correlations and filters. Every
 * document is parsed on its own: a broken one is reported with file, line, column and a reason
 * naming the construct, and the others still load. Legacy {@code action: global/reset/repeat}
 * documents are honoured.
 */
public final class RuleParser {
  static final Set<String> CORRELATION_TYPES =
      Set.of(
          "event_count",
          "value_count",
          "temporal",
          "temporal_ordered",
          "value_sum",
          "value_avg",
          "value_percentile",
          "value_median");
  private static final Pattern TIMESPAN = Pattern.compile("^\\d+[smhdwMy]$");
  private static final Set<String> RULE_KEYS =
      Set.of(
          "title",
          "id",
          "name",
          "related",
          "taxonomy",
          "status",
          "description",
          "license",
          "author",
          "references",
          "date",
          "modified",
          "logsource",
          "detection",
          "fields",
          "falsepositives",
          "level",
          "tags",
          "scope");

  private final Placeholders placeholders;

  public RuleParser(Placeholders placeholders) {
    this.placeholders = placeholders;
  }

  /** Result of parsing one file. */
  public record Result(List<ParsedDocument> documents, int rejected, List<LoadProblem> problems) {}

  public Result parse(String file, String text) {
    List<ParsedDocument> docs = new ArrayList<>();
    List<LoadProblem> problems = new ArrayList<>();
    int rejected = 0;
    List<Node> nodes = new ArrayList<>();
    try {
      Yaml yaml = yaml();
      for (Node n : yaml.composeAll(new StringReader(text))) {
        nodes.add(n);
      }
    } catch (MarkedYAMLException e) {
      Position p =
          e.getProblemMark() == null
              ? Position.UNKNOWN
              : new Position(e.getProblemMark().getLine() + 1, e.getProblemMark().getColumn() + 1);
      problems.add(LoadProblem.error(file, p, null, "malformed YAML: " + e.getProblem()));
      return new Result(docs, Math.max(1, nodes.size()), problems);
    } catch (YAMLException e) {
      problems.add(
          LoadProblem.error(file, Position.UNKNOWN, null, "malformed YAML: " + e.getMessage()));
      return new Result(docs, 1, problems);
    }
    MappingNode global = null;
    MappingNode previous = null;
    for (Node node : nodes) {
      if (node == null) {
        continue;
      }
      if (!(node instanceof MappingNode map)) {
        problems.add(
            LoadProblem.error(
                file,
                Nodes.pos(node),
                null,
                "a Sigma document is a map of keys such as title, logsource and detection"));
        rejected++;
        continue;
      }
      Map<String, NodeTuple> top = Nodes.map(map, null);
      if (top.containsKey("action")) {
        String action = Nodes.text(top.get("action").getValueNode());
        MappingNode rest = without(map, "action");
        switch (action == null ? "" : action) {
          case "global" -> global = global == null ? rest : merge(global, rest);
          case "reset" -> global = null;
          case "repeat" -> {
            if (previous == null) {
              problems.add(
                  LoadProblem.error(
                      file, Nodes.pos(node), null, "action: repeat without a previous document"));
              rejected++;
            } else {
              MappingNode repeated = merge(previous, rest);
              rejected += parseDocument(file, repeated, docs, problems);
              previous = repeated;
            }
          }
          default -> {
            problems.add(
                LoadProblem.error(
                    file,
                    Nodes.pos(top.get("action").getValueNode()),
                    null,
                    "unknown action '" + action + "' (global, reset or repeat)"));
            rejected++;
          }
        }
        continue;
      }
      MappingNode doc = map;
      if (global != null && !top.containsKey("correlation") && !top.containsKey("filter")) {
        doc = merge(global, map);
      }
      previous = doc;
      rejected += parseDocument(file, doc, docs, problems);
    }
    return new Result(docs, rejected, problems);
  }

  /** Parses a file from a reader (convenience for archives and streams). */
  public Result parse(String file, Reader reader) throws java.io.IOException {
    StringBuilder sb = new StringBuilder();
    char[] buf = new char[8192];
    int n;
    while ((n = reader.read(buf)) > 0) {
      sb.append(buf, 0, n);
    }
    return parse(file, sb.toString());
  }

  private static Yaml yaml() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(true); // we report duplicates ourselves, with positions
    options.setMaxAliasesForCollections(50);
    options.setCodePointLimit(8 * 1024 * 1024);
    return new Yaml(
        new SafeConstructor(options),
        new Representer(new org.yaml.snakeyaml.DumperOptions()),
        new org.yaml.snakeyaml.DumperOptions(),
        options,
        new PySigmaResolver());
  }

  /** Returns 1 when the document was rejected, else 0. */
  private int parseDocument(
      String file, MappingNode doc, List<ParsedDocument> out, List<LoadProblem> problems) {
    Map<String, NodeTuple> top = Nodes.map(doc, null);
    String label = labelOf(top);
    List<LoadProblem> mine = new ArrayList<>();
    try {
      reportDuplicates(file, doc, label, mine);
      if (top.containsKey("correlation")) {
        out.add(new ParsedDocument.Correlation(correlation(file, doc, top, label, mine)));
      } else if (top.containsKey("filter")) {
        out.add(new ParsedDocument.Filter(filter(file, doc, top, label, mine)));
      } else {
        out.add(new ParsedDocument.Rule(rule(file, doc, top, label, mine)));
      }
      problems.addAll(mine);
      return 0;
    } catch (RuleSyntaxException e) {
      problems.addAll(mine);
      problems.add(LoadProblem.error(file, e.position(), label, e.getMessage()));
      return 1;
    }
  }

  private static String labelOf(Map<String, NodeTuple> top) {
    String id = top.containsKey("id") ? Nodes.text(top.get("id").getValueNode()) : null;
    if (id != null) {
      return id;
    }
    return top.containsKey("title") ? Nodes.text(top.get("title").getValueNode()) : null;
  }

  private static void reportDuplicates(
      String file, MappingNode node, String label, List<LoadProblem> out) {
    List<NodeTuple> dups = new ArrayList<>();
    Nodes.map(node, dups);
    for (NodeTuple d : dups) {
      out.add(
          LoadProblem.warning(
              file,
              Nodes.pos(d.getKeyNode()),
              label,
              "duplicate key '"
                  + Nodes.text(d.getKeyNode())
                  + "': YAML keeps only the last; use |all or a second selection for two conditions on one field"));
    }
    for (NodeTuple t : node.getValue()) {
      if (t.getValueNode() instanceof MappingNode m) {
        reportDuplicates(file, m, label, out);
      } else if (t.getValueNode() instanceof SequenceNode s) {
        for (Node c : s.getValue()) {
          if (c instanceof MappingNode m) {
            reportDuplicates(file, m, label, out);
          }
        }
      }
    }
  }

  // ---- detection rules ----

  private SigmaRule rule(
      String file,
      MappingNode doc,
      Map<String, NodeTuple> top,
      String label,
      List<LoadProblem> problems) {
    String title = requiredString(top, "title", doc);
    Logsource logsource = logsource(required(top, "logsource", doc));
    Node detectionNode = required(top, "detection", doc);
    if (!(detectionNode instanceof MappingNode detection)) {
      throw new RuleSyntaxException(
          Nodes.pos(detectionNode),
          "detection must be a map of search identifiers and a condition");
    }
    Map<String, Search> searches = new LinkedHashMap<>();
    Node conditionNode = null;
    for (Map.Entry<String, NodeTuple> e : Nodes.map(detection, null).entrySet()) {
      String key = e.getKey();
      Node value = e.getValue().getValueNode();
      if (key.equals("condition")) {
        conditionNode = value;
      } else if (key.equals("timeframe")) {
        problems.add(
            LoadProblem.warning(
                file,
                Nodes.pos(e.getValue().getKeyNode()),
                label,
                "detection.timeframe is Sigma 1 aggregation syntax and is ignored; use a correlation rule"));
      } else {
        searches.put(key, search(file, key, value, label, problems));
      }
    }
    if (searches.isEmpty()) {
      throw new RuleSyntaxException(
          Nodes.pos(detection), "detection defines no search identifiers");
    }
    if (conditionNode == null) {
      throw new RuleSyntaxException(Nodes.pos(detection), "detection has no condition");
    }
    List<String> conditionTexts = new ArrayList<>();
    List<Condition> conditions = new ArrayList<>();
    List<String> names = List.copyOf(searches.keySet());
    List<Node> condNodes =
        conditionNode instanceof SequenceNode seq ? seq.getValue() : List.of(conditionNode);
    for (Node cn : condNodes) {
      String text = Nodes.text(cn);
      if (text == null || !(cn instanceof ScalarNode)) {
        throw new RuleSyntaxException(
            Nodes.pos(cn), "a condition is a string such as 'selection and not filter'");
      }
      conditions.add(ConditionParser.parse(text, names, conditionStart((ScalarNode) cn)));
      conditionTexts.add(text);
    }
    Condition condition = conditions.size() == 1 ? conditions.get(0) : new Condition.Or(conditions);
    String levelText = string(top, "level");
    Level level = Level.parse(levelText);
    if (levelText != null && level == null) {
      throw new RuleSyntaxException(
          Nodes.pos(top.get("level").getValueNode()),
          "level '" + levelText + "' is not informational, low, medium, high or critical");
    }
    Map<String, Object> custom = new LinkedHashMap<>();
    for (Map.Entry<String, NodeTuple> e : top.entrySet()) {
      if (!RULE_KEYS.contains(e.getKey())) {
        custom.put(e.getKey(), Nodes.plain(e.getValue().getValueNode()));
      }
    }
    return new SigmaRule(
        string(top, "id"),
        string(top, "name"),
        title,
        string(top, "status"),
        level == null ? Level.MEDIUM : level,
        strings(top, "tags"),
        logsource,
        searches,
        condition,
        String.join(
            " or ",
            conditionTexts.size() == 1
                ? conditionTexts
                : conditionTexts.stream().map(t -> "(" + t + ")").toList()),
        strings(top, "fields"),
        string(top, "description"),
        strings(top, "falsepositives"),
        strings(top, "references"),
        string(top, "author"),
        string(top, "date"),
        string(top, "modified"),
        custom,
        file,
        Nodes.pos(doc));
  }

  private static Position conditionStart(ScalarNode n) {
    Position p = Nodes.pos(n);
    return switch (n.getScalarStyle()) {
      case SINGLE_QUOTED, DOUBLE_QUOTED -> p.plusColumns(1);
      default -> p;
    };
  }

  Search search(String file, String name, Node value, String label, List<LoadProblem> problems) {
    return switch (value) {
      case MappingNode m -> items(file, m, label, problems);
      case SequenceNode seq -> {
        boolean anyMap = seq.getValue().stream().anyMatch(n -> n instanceof MappingNode);
        if (!anyMap) {
          yield keyword(file, seq, label, problems);
        }
        List<Search> alts = new ArrayList<>();
        for (Node c : seq.getValue()) {
          if (c instanceof MappingNode m) {
            alts.add(items(file, m, label, problems));
          } else if (c instanceof ScalarNode) {
            alts.add(keyword(file, c, label, problems));
          } else {
            throw new RuleSyntaxException(
                Nodes.pos(c), "search '" + name + "': a nested list is not a Sigma search");
          }
        }
        yield new Search.Any(alts);
      }
      case ScalarNode s -> {
        if (Tag.NULL.equals(s.getTag())) {
          throw new RuleSyntaxException(Nodes.pos(s), "search '" + name + "' is empty");
        }
        yield keyword(file, s, label, problems);
      }
      default ->
          throw new RuleSyntaxException(
              Nodes.pos(value), "search '" + name + "' has an unsupported shape");
    };
  }

  private Search items(String file, MappingNode m, String label, List<LoadProblem> problems) {
    List<Search> items = new ArrayList<>();
    for (Map.Entry<String, NodeTuple> e : Nodes.map(m, null).entrySet()) {
      Position pos = Nodes.pos(e.getValue().getKeyNode());
      items.add(
          new ItemParser(placeholders, warnAt(file, pos, label, problems))
              .parse(e.getKey(), e.getValue().getValueNode(), pos));
    }
    if (items.isEmpty()) {
      throw new RuleSyntaxException(Nodes.pos(m), "an empty map is not a search");
    }
    return items.size() == 1 ? items.get(0) : new Search.All(items);
  }

  private Search keyword(String file, Node values, String label, List<LoadProblem> problems) {
    Position pos = Nodes.pos(values);
    return new ItemParser(placeholders, warnAt(file, pos, label, problems)).parse("", values, pos);
  }

  private static Consumer<String> warnAt(
      String file, Position pos, String label, List<LoadProblem> problems) {
    return msg -> problems.add(LoadProblem.warning(file, pos, label, msg));
  }

  private static Logsource logsource(Node node) {
    if (!(node instanceof MappingNode m)) {
      throw new RuleSyntaxException(
          Nodes.pos(node), "logsource must be a map (category, product, service)");
    }
    String category = null;
    String product = null;
    String service = null;
    String definition = null;
    Map<String, String> custom = new LinkedHashMap<>();
    for (Map.Entry<String, NodeTuple> e : Nodes.map(m, null).entrySet()) {
      String v = Nodes.text(e.getValue().getValueNode());
      switch (e.getKey()) {
        case "category" -> category = v;
        case "product" -> product = v;
        case "service" -> service = v;
        case "definition" -> definition = v;
        default -> {
          if (v != null) {
            custom.put(e.getKey(), v);
          }
        }
      }
    }
    return new Logsource(category, product, service, definition, custom);
  }

  // ---- filters ----

  private SigmaFilter filter(
      String file,
      MappingNode doc,
      Map<String, NodeTuple> top,
      String label,
      List<LoadProblem> problems) {
    String title = requiredString(top, "title", doc);
    Logsource logsource =
        top.containsKey("logsource")
            ? logsource(top.get("logsource").getValueNode())
            : Logsource.EMPTY;
    Node fnode = top.get("filter").getValueNode();
    if (!(fnode instanceof MappingNode fmap)) {
      throw new RuleSyntaxException(
          Nodes.pos(fnode), "filter must be a map with rules, search identifiers and a condition");
    }
    List<String> rules = null;
    Map<String, Search> searches = new LinkedHashMap<>();
    Node conditionNode = null;
    for (Map.Entry<String, NodeTuple> e : Nodes.map(fmap, null).entrySet()) {
      Node v = e.getValue().getValueNode();
      switch (e.getKey()) {
        case "rules" -> {
          List<String> r = Nodes.strings(v);
          rules = r.isEmpty() || (r.size() == 1 && r.get(0).equals("any")) ? null : r;
        }
        case "condition" -> conditionNode = v;
        default -> searches.put(e.getKey(), search(file, e.getKey(), v, label, problems));
      }
    }
    if (conditionNode == null || !(conditionNode instanceof ScalarNode cs)) {
      throw new RuleSyntaxException(Nodes.pos(fmap), "a filter needs one condition string");
    }
    if (searches.isEmpty()) {
      throw new RuleSyntaxException(Nodes.pos(fmap), "the filter defines no search identifiers");
    }
    String text = cs.getValue();
    Condition c = ConditionParser.parse(text, List.copyOf(searches.keySet()), conditionStart(cs));
    return new SigmaFilter(
        string(top, "id"), title, logsource, rules, searches, c, text, file, Nodes.pos(doc));
  }

  // ---- correlations ----

  private SigmaCorrelation correlation(
      String file,
      MappingNode doc,
      Map<String, NodeTuple> top,
      String label,
      List<LoadProblem> problems) {
    String title = requiredString(top, "title", doc);
    Node cnode = top.get("correlation").getValueNode();
    if (!(cnode instanceof MappingNode cmap)) {
      throw new RuleSyntaxException(
          Nodes.pos(cnode),
          "correlation must be a map with type, rules, group-by, timespan and condition");
    }
    Map<String, NodeTuple> c = Nodes.map(cmap, null);
    String type = requiredString(c, "type", cmap);
    if (!CORRELATION_TYPES.contains(type)) {
      throw new RuleSyntaxException(
          Nodes.pos(c.get("type").getValueNode()),
          "correlation type '" + type + "' is not one of " + CORRELATION_TYPES);
    }
    List<String> rules =
        c.containsKey("rules") ? Nodes.strings(c.get("rules").getValueNode()) : List.of();
    Object condition =
        c.containsKey("condition") ? Nodes.plain(c.get("condition").getValueNode()) : null;
    if (rules.isEmpty() && !(condition instanceof String)) {
      throw new RuleSyntaxException(
          Nodes.pos(cmap), "correlation.rules must name at least one rule");
    }
    String timespan = requiredString(c, "timespan", cmap);
    if (!TIMESPAN.matcher(timespan).matches() || timespan.matches("^0+[smhdwMy]$")) {
      throw new RuleSyntaxException(
          Nodes.pos(c.get("timespan").getValueNode()),
          "timespan '" + timespan + "' must be a positive number with s, m, h or d, such as 5m");
    }
    List<String> groupBy =
        c.containsKey("group-by") ? Nodes.strings(c.get("group-by").getValueNode()) : List.of();
    if (groupBy.isEmpty()) {
      problems.add(
          LoadProblem.warning(
              file,
              Nodes.pos(cmap),
              label,
              "correlation without group-by: all events form one group"));
    }
    Map<String, Object> cond = new LinkedHashMap<>();
    if (condition instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String k = String.valueOf(e.getKey());
        if (!Set.of("gt", "gte", "lt", "lte", "eq", "neq", "field", "percentile").contains(k)) {
          throw new RuleSyntaxException(
              Nodes.pos(c.get("condition").getValueNode()),
              "correlation condition key '"
                  + k
                  + "' is not gt, gte, lt, lte, eq, neq, field or percentile");
        }
        cond.put(k, e.getValue());
      }
    } else if (condition instanceof String s) {
      cond.put("expression", s);
    } else if (condition == null && !type.startsWith("temporal")) {
      throw new RuleSyntaxException(
          Nodes.pos(cmap), "correlation type " + type + " needs a condition such as {gte: 10}");
    }
    if (type.startsWith("value_") && !cond.containsKey("field")) {
      throw new RuleSyntaxException(
          Nodes.pos(cmap), "correlation type " + type + " needs condition.field");
    }
    Map<String, Map<String, String>> aliases = new LinkedHashMap<>();
    if (c.containsKey("aliases")
        && Nodes.plain(c.get("aliases").getValueNode()) instanceof Map<?, ?> am) {
      for (Map.Entry<?, ?> e : am.entrySet()) {
        Map<String, String> perRule = new LinkedHashMap<>();
        if (e.getValue() instanceof Map<?, ?> pm) {
          pm.forEach((k, v) -> perRule.put(String.valueOf(k), String.valueOf(v)));
        }
        aliases.put(String.valueOf(e.getKey()), perRule);
      }
    }
    boolean generate =
        c.containsKey("generate")
            && Boolean.TRUE.equals(Nodes.plain(c.get("generate").getValueNode()));
    Level level = Level.parse(string(top, "level"));
    return new SigmaCorrelation(
        string(top, "id"),
        string(top, "name"),
        title,
        level == null ? Level.MEDIUM : level,
        type,
        rules,
        groupBy,
        timespan,
        cond,
        aliases,
        generate,
        strings(top, "tags"),
        file,
        Nodes.pos(doc));
  }

  // ---- helpers ----

  private static Node required(Map<String, NodeTuple> top, String key, Node doc) {
    NodeTuple t = top.get(key);
    if (t == null || (t.getValueNode() instanceof ScalarNode s && Tag.NULL.equals(s.getTag()))) {
      throw new RuleSyntaxException(Nodes.pos(doc), "missing required key '" + key + "'");
    }
    return t.getValueNode();
  }

  private static String requiredString(Map<String, NodeTuple> top, String key, Node doc) {
    Node n = required(top, key, doc);
    String s = Nodes.text(n);
    if (s == null) {
      throw new RuleSyntaxException(Nodes.pos(n), "'" + key + "' must be a string");
    }
    return s;
  }

  private static String string(Map<String, NodeTuple> top, String key) {
    NodeTuple t = top.get(key);
    return t == null ? null : Nodes.text(t.getValueNode());
  }

  private static List<String> strings(Map<String, NodeTuple> top, String key) {
    NodeTuple t = top.get(key);
    return t == null ? List.of() : Nodes.strings(t.getValueNode());
  }

  private static MappingNode without(MappingNode m, String key) {
    List<NodeTuple> kept = new ArrayList<>();
    for (NodeTuple t : m.getValue()) {
      if (!key.equals(Nodes.text(t.getKeyNode()))) {
        kept.add(t);
      }
    }
    return new MappingNode(Tag.MAP, true, kept, m.getStartMark(), m.getEndMark(), m.getFlowStyle());
  }

  /** Deep merge for {@code action: global}: maps merge key by key, everything else is replaced. */
  static MappingNode merge(MappingNode base, MappingNode overlay) {
    Map<String, NodeTuple> out = new LinkedHashMap<>(Nodes.map(base, null));
    for (Map.Entry<String, NodeTuple> e : Nodes.map(overlay, null).entrySet()) {
      NodeTuple prev = out.get(e.getKey());
      if (prev != null
          && prev.getValueNode() instanceof MappingNode pm
          && e.getValue().getValueNode() instanceof MappingNode om) {
        out.put(e.getKey(), new NodeTuple(prev.getKeyNode(), merge(pm, om)));
      } else {
        out.put(e.getKey(), e.getValue());
      }
    }
    return new MappingNode(
        Tag.MAP,
        true,
        new ArrayList<>(out.values()),
        overlay.getStartMark(),
        overlay.getEndMark(),
        overlay.getFlowStyle());
  }
}
