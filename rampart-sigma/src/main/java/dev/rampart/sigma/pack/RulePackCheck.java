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
import dev.rampart.sigma.correlate.Correlator;
import dev.rampart.sigma.eval.Explainer;
import dev.rampart.sigma.eval.ReferenceEvaluator;
import dev.rampart.sigma.load.RuleLoader;
import dev.rampart.sigma.load.RuleSet;
import dev.rampart.sigma.mapping.LogsourceMapping;
import dev.rampart.sigma.parse.LoadProblem;
import dev.rampart.sigma.rule.SigmaCorrelation;
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

  /**
   * One test case: an event for a detection rule, a time-ordered list of events for a correlation
   * rule ({@code sequence}).
   */
  private record Case(String label, boolean expectMatch, boolean sequence, List<Event> events) {
    Event event() {
      return events.get(0);
    }
  }

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
    Map<Path, SigmaCorrelation> correlations = new HashMap<>();
    // Correlation rules refer to other rules of the pack, so they are loaded with the whole pack.
    RuleSet pack = new RuleLoader().add(folder).build();
    Map<Path, SigmaCorrelation> packCorrelations = new HashMap<>();
    for (SigmaCorrelation c : pack.correlations()) {
      packCorrelations.put(Path.of(c.file()).toAbsolutePath().normalize(), c);
    }
    for (Path f : files) {
      Path abs = f.toAbsolutePath().normalize();
      SigmaCorrelation correlation = packCorrelations.get(abs);
      RuleSet set = correlation != null ? pack : new RuleLoader().add(f).build();
      List<String> failures = new ArrayList<>();
      for (LoadProblem p : set.problems()) {
        if (correlation == null || Path.of(p.file()).toAbsolutePath().normalize().equals(abs)) {
          failures.add(p.toString());
        }
      }
      if (correlation != null) {
        correlations.put(f, correlation);
      } else if (set.rules().size() != 1) {
        failures.add(
            f
                + ": a pack rule file holds exactly one detection or correlation rule, this one"
                + " holds "
                + set.rules().size()
                + " and "
                + set.correlations().size());
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
      if (correlations.containsKey(f)) {
        results.add(checkCorrelation(f, correlations.get(f), all, engine, failures, seenIds));
        continue;
      }
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
        if (c.sequence()) {
          failures.add(c.label() + ": a detection rule's case is one event, not a list");
          continue;
        }
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

  /**
   * A correlation rule of the pack: each case is a list of events that, run through the pack's
   * detection rules and then the correlation (batch semantics, as in {@code rampart hunt}), must
   * fire it ({@code match}) or must not ({@code no_match}).
   */
  private static RuleResult checkCorrelation(
      Path f,
      SigmaCorrelation corr,
      List<SigmaRule> all,
      SigmaEngine engine,
      List<String> failures,
      Map<String, Integer> seenIds)
      throws IOException {
    if (seenIds.put(corr.id(), 1) != null) {
      failures.add(f + ": rule id " + corr.id() + " is used by another rule of the pack");
    }
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
    SigmaMatcher matcher = engine.newMatcher();
    int m = 0;
    int n = 0;
    for (Case c : cases) {
      if (!c.sequence()) {
        failures.add(c.label() + ": a correlation rule's case is a list of events");
        continue;
      }
      if (c.expectMatch()) {
        m++;
      } else {
        n++;
      }
      Correlator correlator;
      try {
        correlator = new Correlator(List.of(corr), all, Correlator.Options.BATCH);
      } catch (RuntimeException e) {
        failures.add(f + ": " + e.getMessage());
        break;
      }
      List<Correlator.Signal> signals = new ArrayList<>();
      for (int i = 0; i < c.events().size(); i++) {
        Event e = c.events().get(i);
        int k = matcher.match(e);
        for (int j = 0; j < k; j++) {
          String key = Correlator.key(engine.rule(matcher.matched(j)));
          if (correlator.listensTo(key)) {
            Map<String, String> fields = new HashMap<>();
            for (String field : correlator.fieldsFor(key)) {
              String v = e.getText(field);
              if (v != null) {
                fields.put(field, v);
              }
            }
            signals.add(new Correlator.Signal(key, e.timestamp(), fields, "event " + i));
          }
        }
      }
      List<Correlator.Match> fired = new ArrayList<>();
      signals.stream()
          .sorted(java.util.Comparator.comparingLong(Correlator.Signal::time))
          .forEach(sig -> correlator.accept(sig, fired::add));
      correlator.finish(fired::add);
      boolean hit = fired.stream().anyMatch(x -> x.rule().id().equals(corr.id()));
      if (hit != c.expectMatch()) {
        failures.add(
            c.label()
                + ": expected the correlation "
                + (c.expectMatch() ? "to fire" : "not to fire")
                + "; "
                + signals.size()
                + " events matched the rules it refers to"
                + (fired.isEmpty() ? "" : ", it fired on " + fired.get(0).refs()));
      }
    }
    if (m == 0 && Files.isRegularFile(tests)) {
      failures.add(tests + ": no \"match\" case; every pack rule needs a positive example");
    }
    if (n == 0 && Files.isRegularFile(tests)) {
      failures.add(tests + ": no \"no_match\" case; every pack rule needs a negative example");
    }
    return new RuleResult(f, corr.id(), corr.title(), m, n, failures);
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
        JsonToken item;
        while ((item = p.nextToken()) == JsonToken.START_OBJECT || item == JsonToken.START_ARRAY) {
          String label =
              tests + ":" + p.currentTokenLocation().getLineNr() + " " + key + "[" + i++ + "]";
          if (item == JsonToken.START_OBJECT) {
            Event e = readEvent(p, data, label, failures);
            if (e != null) {
              cases.add(new Case(label, expect, false, List.of(e)));
            }
            continue;
          }
          List<Event> events = new ArrayList<>();
          int j = 0;
          while (p.nextToken() == JsonToken.START_OBJECT) {
            Event e = readEvent(p, data, label + "[" + j++ + "]", failures);
            if (e != null) {
              events.add(e);
            }
          }
          cases.add(new Case(label, expect, true, events));
        }
      }
    }
    return cases;
  }

  /** The event whose object starts at the parser's current token; null (reported) if not one. */
  private static Event readEvent(JsonParser p, byte[] data, String label, List<String> failures)
      throws IOException {
    int start = (int) p.currentTokenLocation().getByteOffset();
    p.skipChildren();
    int end = (int) p.currentLocation().getByteOffset();
    Event e = new Event();
    Problems problems = new Problems(5);
    try (JsonEventReader reader =
        new JsonEventReader(
            Arrays.copyOfRange(data, start, end), label, ReadOptions.DEFAULTS, problems)) {
      if (!reader.next(e)) {
        failures.add(label + ": not an event " + problems.kept());
        return null;
      }
    }
    Normalizers.normalize(e);
    return e;
  }
}
