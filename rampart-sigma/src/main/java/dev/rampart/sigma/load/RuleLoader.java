package dev.rampart.sigma.load;

import dev.rampart.sigma.parse.LoadProblem;
import dev.rampart.sigma.parse.ParsedDocument;
import dev.rampart.sigma.parse.Placeholders;
import dev.rampart.sigma.parse.RuleParser;
import dev.rampart.sigma.rule.Condition;
import dev.rampart.sigma.rule.Position;
import dev.rampart.sigma.rule.Search;
import dev.rampart.sigma.rule.SigmaCorrelation;
import dev.rampart.sigma.rule.SigmaFilter;
import dev.rampart.sigma.rule.SigmaRule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Loads Sigma rules from files, folders (recursively, sorted) and zip archives (the form SigmaHQ
 * releases take), applies filters, checks correlation references, and collects every problem
 * instead of stopping at the first.
 */
public final class RuleLoader {
  private final Placeholders placeholders;
  private final List<ParsedDocument> documents = new ArrayList<>();
  private final List<LoadProblem> problems = new ArrayList<>();
  private int rejected;

  public RuleLoader(Placeholders placeholders) {
    this.placeholders = placeholders;
  }

  public RuleLoader() {
    this(Placeholders.NONE);
  }

  /** Loads a file, a folder or a zip archive; unreadable paths become problems. */
  public RuleLoader add(Path path) {
    try {
      if (Files.isDirectory(path)) {
        try (Stream<Path> walk = Files.walk(path)) {
          for (Path f :
              walk.filter(Files::isRegularFile).filter(RuleLoader::isRuleFile).sorted().toList()) {
            addFile(f);
          }
        }
      } else if (path.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".zip")) {
        addZip(path);
      } else if (Files.isRegularFile(path)) {
        addFile(path);
      } else {
        problems.add(
            LoadProblem.error(path.toString(), Position.UNKNOWN, null, "no such file or folder"));
        rejected++;
      }
    } catch (IOException e) {
      problems.add(
          LoadProblem.error(
              path.toString(), Position.UNKNOWN, null, "cannot read: " + e.getMessage()));
      rejected++;
    }
    return this;
  }

  /** Adds rule text directly (tests, the API, the console). */
  public RuleLoader addText(String name, String yaml) {
    record(new RuleParser(placeholders).parse(name, yaml));
    return this;
  }

  private static boolean isRuleFile(Path p) {
    String n = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    return (n.endsWith(".yml") || n.endsWith(".yaml")) && !n.startsWith(".");
  }

  private void addFile(Path f) throws IOException {
    String text;
    try {
      text = Files.readString(f, StandardCharsets.UTF_8);
    } catch (java.nio.charset.MalformedInputException e) {
      problems.add(LoadProblem.error(f.toString(), Position.UNKNOWN, null, "not UTF-8 text"));
      rejected++;
      return;
    }
    record(new RuleParser(placeholders).parse(f.toString(), text));
  }

  private void addZip(Path zip) throws IOException {
    try (ZipFile zf = new ZipFile(zip.toFile())) {
      List<? extends ZipEntry> entries =
          zf.stream()
              .filter(e -> !e.isDirectory() && isRuleFile(Path.of(e.getName()).getFileName()))
              .sorted(java.util.Comparator.comparing(ZipEntry::getName))
              .toList();
      for (ZipEntry e : entries) {
        if (e.getSize() > 8L << 20) {
          problems.add(
              LoadProblem.error(
                  zip + "!" + e.getName(),
                  Position.UNKNOWN,
                  null,
                  "larger than 8 MiB; not a rule file"));
          rejected++;
          continue;
        }
        try (InputStream in = zf.getInputStream(e)) {
          String text = new String(in.readNBytes(8 << 20), StandardCharsets.UTF_8);
          record(new RuleParser(placeholders).parse(zip + "!" + e.getName(), text));
        }
      }
    }
  }

  private void record(RuleParser.Result r) {
    documents.addAll(r.documents());
    problems.addAll(r.problems());
    rejected += r.rejected();
  }

  /** Applies filters, checks correlations, and returns the set. */
  public RuleSet build() {
    List<SigmaRule> rules = new ArrayList<>();
    List<SigmaCorrelation> correlations = new ArrayList<>();
    List<SigmaFilter> filters = new ArrayList<>();
    for (ParsedDocument d : documents) {
      switch (d) {
        case ParsedDocument.Rule r -> rules.add(r.rule());
        case ParsedDocument.Correlation c -> correlations.add(c.correlation());
        case ParsedDocument.Filter f -> filters.add(f.filter());
      }
    }
    List<LoadProblem> out = new ArrayList<>(problems);
    Set<String> ids = new HashSet<>();
    for (SigmaRule r : rules) {
      if (r.id() != null && !ids.add(r.id())) {
        out.add(
            LoadProblem.warning(
                r.file(), r.position(), r.id(), "duplicate rule id; both rules are kept"));
      }
    }
    List<SigmaRule> filtered = applyFilters(rules, filters);
    int rej = rejected;
    List<SigmaCorrelation> good = new ArrayList<>();
    for (SigmaCorrelation c : correlations) {
      String problem = checkReferences(c, rules, correlations);
      if (problem == null) {
        good.add(c);
      } else {
        out.add(
            LoadProblem.error(
                c.file(), c.position(), c.id() != null ? c.id() : c.title(), problem));
        rej++;
      }
    }
    return new RuleSet(filtered, good, filters, rej, out);
  }

  private static String checkReferences(
      SigmaCorrelation c, List<SigmaRule> rules, List<SigmaCorrelation> correlations) {
    Map<String, Object> byRef = new HashMap<>();
    for (SigmaRule r : rules) {
      if (r.id() != null) {
        byRef.put(r.id(), r);
      }
      if (r.name() != null) {
        byRef.putIfAbsent(r.name(), r);
      }
    }
    for (SigmaCorrelation o : correlations) {
      if (o.id() != null) {
        byRef.put(o.id(), o);
      }
      if (o.name() != null) {
        byRef.putIfAbsent(o.name(), o);
      }
    }
    for (String ref : c.rules()) {
      if (!byRef.containsKey(ref)) {
        return "correlation references '" + ref + "', which is not a loaded rule id or name";
      }
    }
    // Cycles through chained correlations.
    Set<SigmaCorrelation> seen = new HashSet<>();
    List<SigmaCorrelation> stack = new ArrayList<>(List.of(c));
    int depth = 0;
    while (!stack.isEmpty()) {
      if (++depth > 64) {
        return "correlation chain deeper than 64";
      }
      SigmaCorrelation cur = stack.remove(stack.size() - 1);
      if (!seen.add(cur)) {
        continue;
      }
      for (String ref : cur.rules()) {
        if (byRef.get(ref) instanceof SigmaCorrelation next) {
          if (next == c) {
            return "correlation refers back to itself through '" + ref + "'";
          }
          stack.add(next);
        }
      }
    }
    return null;
  }

  /** ANDs each applicable filter's condition into the rule's, under prefixed identifiers. */
  static List<SigmaRule> applyFilters(List<SigmaRule> rules, List<SigmaFilter> filters) {
    if (filters.isEmpty()) {
      return rules;
    }
    List<SigmaRule> out = new ArrayList<>(rules.size());
    for (SigmaRule r : rules) {
      SigmaRule cur = r;
      int n = 0;
      for (SigmaFilter f : filters) {
        boolean listed =
            f.rules() == null
                || (r.id() != null && f.rules().contains(r.id()))
                || (r.name() != null && f.rules().contains(r.name()));
        if (!listed || !f.logsource().isSatisfiedBy(r.logsource())) {
          continue;
        }
        String prefix = "__filter" + (n++) + "_";
        Map<String, Search> searches = new LinkedHashMap<>(cur.searches());
        f.searches().forEach((k, v) -> searches.put(prefix + k, v));
        Condition fc = rename(f.condition(), prefix);
        cur =
            cur.withCondition(
                new Condition.And(List.of(cur.condition(), fc)),
                searches,
                "(" + cur.conditionText() + ") and (" + f.conditionText() + ")");
      }
      out.add(cur);
    }
    return out;
  }

  private static Condition rename(Condition c, String prefix) {
    return switch (c) {
      case Condition.Ref r -> new Condition.Ref(prefix + r.name());
      case Condition.Not n -> new Condition.Not(rename(n.child(), prefix));
      case Condition.And a ->
          new Condition.And(a.children().stream().map(x -> rename(x, prefix)).toList());
      case Condition.Or o ->
          new Condition.Or(o.children().stream().map(x -> rename(x, prefix)).toList());
    };
  }
}
