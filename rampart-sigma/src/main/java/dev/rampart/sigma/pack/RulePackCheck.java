package dev.rampart.sigma.pack;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.rampart.core.event.Event;
import dev.rampart.core.io.Problems;
import dev.rampart.core.json.JsonEventReader;
import dev.rampart.core.json.ReadOptions;
import dev.rampart.core.normalize.Normalizers;
import dev.rampart.sigma.compile.SigmaEngine;
import dev.rampart.sigma.compile.SigmaMatcher;
import dev.rampart.sigma.eval.Explainer;
import dev.rampart.sigma.eval.ReferenceEvaluator;
import dev.rampart.sigma.load.RuleLoader;
import dev.rampart.sigma.load.RuleSet;
import dev.rampart.sigma.mapping.LogsourceMapping;
import dev.rampart.sigma.parse.LoadProblem;
import dev.rampart.sigma.rule.SigmaRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Checks a rule pack against the test events its rules carry. Every rule file {@code name.yml} has
 * a sidecar {@code name.tests.json}:
 *
 * <pre>{@code {"match": [event, ...], "no_match": [event, ...]}}</pre>
 *
 * <p>A rule passes when it loads without problems, has at least one event of each kind, every
 * {@code match} event is of the rule's log source and matches, and no {@code no_match} event
 * matches, in the reference interpreter and in the compiled engine (compiled over the whole pack,
 * so the pack's rules are also checked for interfering with each other). Events are read and
 * normalized exactly as {@code rampart hunt} reads them.
 */
public final class RulePackCheck {
  /** Suffix of the sidecar that holds a rule's test events. */
  public static final String TESTS_SUFFIX = ".tests.json";

  private static final JsonFactory JSON = new JsonFactory();

  /** The outcome for one rule file. */
  public record RuleResult(
      Path file, String id, String title, int matchCases, int noMatchCases, List<String> failures) {
    public RuleResult {
      failures = List.copyOf(failures);
    }

    public boolean passed() {
      return failures.isEmpty();
    }
  }

  /** The outcome for a pack; {@code problems} are load problems of files that are not rules. */
  public record Report(List<RuleResult> rules, List<String> problems) {
    public Report {
      rules = List.copyOf(rules);
      problems = List.copyOf(problems);
    }

    public long failed() {
      return rules.stream().filter(r -> !r.passed()).count() + problems.size();
    }

    public int cases() {
      return rules.stream().mapToInt(r -> r.matchCases() + r.noMatchCases()).sum();
    }
  }

  private record Case(String label, boolean expectMatch, Event event) {}

  private RulePackCheck() {}

  /** Checks every rule under {@code folder} (recursively) with the given mapping. */
  public static Report check(Path folder, LogsourceMapping mapping) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(folder)) {
      files =
          walk.filter(Files::isRegularFile)
              .filter(
                  p -> {
                    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                    return n.endsWith(".yml") || n.endsWith(".yaml");
                  })
              .sorted()
              .toList();
    }
    List<String> problems = new ArrayList<>();
    List<SigmaRule> all = new ArrayList<>();
    Map<Path, SigmaRule> byFile = new HashMap<>();
    Map<Path, List<String>> loadFailures = new HashMap<>();
    for (Path f : files) {
      RuleSet set = new RuleLoader().add(f).build();
      List<String> failures = new ArrayList<>();
      for (LoadProblem p : set.problems()) {
        failures.add(p.toString());
      }
      if (set.rules().size() != 1) {
        failures.add(
            f
                + ": a pack rule file holds exactly one detection rule, this one holds "
                + set.rules().size());
      } else {
        byFile.put(f, set.rules().get(0));
        all.add(set.rules().get(0));
      }
      loadFailures.put(f, failures);
    }
    SigmaEngine engine = SigmaEngine.compile(all, mapping);
    SigmaMatcher matcher = engine.newMatcher();
    ReferenceEvaluator reference = new ReferenceEvaluator(mapping);
    Explainer explainer = new Explainer(mapping);
    Map<String, Integer> seenIds = new HashMap<>();
    List<RuleResult> results = new ArrayList<>();
    for (Path f : files) {
      List<String> failures = new ArrayList<>(loadFailures.get(f));
      SigmaRule rule = byFile.get(f);
      if (rule == null) {
        results.add(new RuleResult(f, "", "", 0, 0, failures));
        continue;
      }
      Integer dup = seenIds.put(rule.id(), 1);
      if (dup != null) {
        failures.add(f + ": rule id " + rule.id() + " is used by another rule of the pack");
      }
      int index = all.indexOf(rule);
      Path tests = sidecar(f);
      List<Case> cases = List.of();
      if (!Files.isRegularFile(tests)) {
        failures.add(f + ": no test events; add " + tests.getFileName());
      } else {
        try {
          cases = readCases(tests, failures);
        } catch (IOException e) {
          failures.add(tests + ": " + e.getMessage());
        }
      }
      int m = 0;
      int n = 0;
      for (Case c : cases) {
        if (c.expectMatch()) {
          m++;
        } else {
          n++;
        }
        boolean ref = reference.matches(rule, c.event());
        matcher.match(c.event());
        boolean compiled = matcher.matchedRules().contains(index);
        if (ref != compiled) {
          failures.add(
              c.label()
                  + ": the engines disagree (reference "
                  + ref
                  + ", compiled "
                  + compiled
                  + ")");
        }
        if (ref != c.expectMatch()) {
          failures.add(c.label() + ": " + why(explainer.explain(rule, c.event()), c.expectMatch()));
        }
      }
      if (m == 0 && Files.isRegularFile(tests)) {
        failures.add(tests + ": no \"match\" event; every pack rule needs a positive example");
      }
      if (n == 0 && Files.isRegularFile(tests)) {
        failures.add(tests + ": no \"no_match\" event; every pack rule needs a negative example");
      }
      results.add(new RuleResult(f, rule.id(), rule.title(), m, n, failures));
    }
    checkOrphans(folder, files, problems);
    return new Report(results, problems);
  }

  /** The sidecar of a rule file: {@code x.yml} → {@code x.tests.json}. */
  public static Path sidecar(Path ruleFile) {
    String n = ruleFile.getFileName().toString();
    return ruleFile.resolveSibling(n.substring(0, n.lastIndexOf('.')) + TESTS_SUFFIX);
  }

  private static void checkOrphans(Path folder, List<Path> ruleFiles, List<String> problems)
      throws IOException {
    List<Path> expected = ruleFiles.stream().map(RulePackCheck::sidecar).toList();
    try (Stream<Path> walk = Files.walk(folder)) {
      walk.filter(p -> p.getFileName().toString().endsWith(TESTS_SUFFIX))
          .filter(p -> !expected.contains(p))
          .sorted()
          .forEach(p -> problems.add(p + ": test events without a rule file beside them"));
    }
  }

  private static String why(Explainer.Explanation x, boolean expected) {
    if (expected && !x.applies()) {
      return "expected a match, but the event's log sources "
          + x.bindings()
          + " (log type '"
          + x.logType()
          + "') do not include the rule's";
    }
    StringBuilder sb = new StringBuilder(expected ? "expected a match; " : "expected no match; ");
    sb.append("searches:");
    for (Explainer.SearchResult s : x.searches()) {
      sb.append(' ').append(s.name()).append('=').append(s.matched());
    }
    return sb.toString();
  }

  private static List<Case> readCases(Path tests, List<String> failures) throws IOException {
    byte[] data = Files.readAllBytes(tests);
    List<Case> cases = new ArrayList<>();
    try (JsonParser p = JSON.createParser(data)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        failures.add(tests + ": expected an object {\"match\": [...], \"no_match\": [...]}");
        return cases;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        JsonToken t = p.nextToken();
        boolean expect;
        if (key.equals("match")) {
          expect = true;
        } else if (key.equals("no_match")) {
          expect = false;
        } else {
          failures.add(
              tests
                  + ":"
                  + p.currentTokenLocation().getLineNr()
                  + ": unknown key '"
                  + key
                  + "'; use match and no_match");
          p.skipChildren();
          continue;
        }
        if (t != JsonToken.START_ARRAY) {
          failures.add(tests + ": '" + key + "' must be an array of events");
          p.skipChildren();
          continue;
        }
        int i = 0;
        while (p.nextToken() == JsonToken.START_OBJECT) {
          int line = p.currentTokenLocation().getLineNr();
          int start = (int) p.currentTokenLocation().getByteOffset();
          p.skipChildren();
          int end = (int) p.currentLocation().getByteOffset();
          String label = tests + ":" + line + " " + key + "[" + i++ + "]";
          Event e = new Event();
          Problems problems = new Problems(5);
          try (JsonEventReader reader =
              new JsonEventReader(
                  Arrays.copyOfRange(data, start, end), label, ReadOptions.DEFAULTS, problems)) {
            if (!reader.next(e)) {
              failures.add(label + ": not an event " + problems.kept());
              continue;
            }
          }
          Normalizers.normalize(e);
          cases.add(new Case(label, expect, e));
        }
      }
    }
    return cases;
  }
}
