package dev.rampart.cli.rules;

import dev.rampart.cli.DataOptions;
import dev.rampart.cli.ExitCodes;
import dev.rampart.cli.ReadingOptions;
import dev.rampart.cli.UsageException;
import dev.rampart.core.event.Event;
import dev.rampart.core.io.Problems;
import dev.rampart.ingest.files.LogFiles;
import dev.rampart.sigma.eval.Explainer;
import dev.rampart.sigma.load.RuleSet;
import dev.rampart.sigma.mapping.LogsourceMapping;
import dev.rampart.sigma.parse.LoadProblem;
import dev.rampart.sigma.rule.SigmaRule;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rampart rules test}: why a rule does or does not match each event. */
@Command(
    name = "test",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluate one rule against the events of log files (JSON, .evtx, text logs, zip/tar archives)",
      "and show, for each event, whether the rule applies to its log source, which search",
      "identifiers matched, and for every detection item the event's values and which rule values",
      "matched or failed.",
      "Exit code 1 when --expect is given and an event disagrees."
    },
    footer = {
      "",
      "Examples:",
      "  rampart rules test rules/windows/ps_encoded_command.yml events.ndjson",
      "  rampart rules test 0b3d4c1e-5f7a-4a8b-9c2d-6e1f0a3b5c7d sysmon.json --rules sigma/rules",
      "  rampart rules test my_rule.yml positive.json --expect match",
    })
public final class TestCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "RULE",
      description = "A rule file, or the id or title of a loaded rule.")
  String rule;

  @Parameters(
      index = "1..*",
      arity = "1..*",
      paramLabel = "EVENTS",
      description = "Event files or folders: JSON, Windows .evtx, text logs.")
  List<Path> events;

  @Mixin DataOptions data;
  @Mixin RuleOptions options;
  @Mixin ReadingOptions reading;

  @Option(
      names = "--mapping",
      paramLabel = "NAME|FILE",
      defaultValue = "default",
      description = "Log source mapping: default, ecs, universal or a YAML file.")
  String mapping;

  @Option(
      names = "--expect",
      paramLabel = "match|nomatch",
      description = "Check that every event matches (or none does).")
  String expect;

  @Override
  public Integer call() throws IOException {
    SigmaRule r = resolve();
    Explainer explainer = new Explainer(LogsourceMapping.named(mapping));
    PrintStream out = System.out;
    out.printf(
        "rule %s  %s  [%s]  level %s%n", r.id(), r.title(), r.logsource().key(), r.level().label());
    out.printf("condition: %s%n", r.conditionText());
    LogFiles.Options readOptions = reading.options();
    int[] disagree = {0};
    int[] n = {0};
    try (LogFiles.Inputs inputs = LogFiles.open(events)) {
      inputs.problems().forEach(System.err::println);
      for (Path f : inputs.files()) {
        Problems problems = new Problems(20, p -> System.err.println(p));
        LogFiles.read(
            f,
            null,
            readOptions,
            problems,
            (e, line, offset) -> {
              n[0]++;
              boolean matched =
                  explain(
                      out, explainer, r, e, LogFiles.name(f) + (offset >= 0 ? "#" : ":") + line);
              if (expect != null && matched != expect.equals("match")) {
                disagree[0]++;
              }
            });
      }
    }
    if (expect != null) {
      if (!expect.equals("match") && !expect.equals("nomatch")) {
        throw new UsageException("--expect takes match or nomatch");
      }
      out.printf("%n%d events, %d not as expected (%s)%n", n[0], disagree[0], expect);
      return disagree[0] > 0 ? ExitCodes.FINDINGS : ExitCodes.OK;
    }
    return ExitCodes.OK;
  }

  /** Prints why {@code r} does or does not match {@code e}; whether it matched. */
  private static boolean explain(
      PrintStream out, Explainer explainer, SigmaRule r, Event e, String place) {
    Explainer.Explanation x = explainer.explain(r, e);
    out.printf("%n%s  %s%n", place, x.matched() ? "MATCH" : "no match");
    if (!x.applies()) {
      out.printf(
          "  the rule's log source %s is not among this event's %s (log type '%s'); evaluated anyway below%n",
          r.logsource().key(), x.bindings(), x.logType());
    }
    for (Explainer.SearchResult s : x.searches()) {
      out.printf("  %s %s%n", s.matched() ? "[x]" : "[ ]", s.name());
      for (Explainer.ItemResult item : s.items()) {
        out.printf(
            "      %s %s   event %s = %s%n",
            item.matched() ? "+" : "-",
            item.key(),
            item.eventFields().size() == 1 ? item.eventFields().get(0) : item.eventFields(),
            item.eventValues().isEmpty() ? "(absent)" : abbreviate(item.eventValues().toString()));
        for (Explainer.ValueResult v : item.values()) {
          out.printf(
              "          %s %s%n", v.matched() ? "matched" : "failed ", abbreviate(v.value()));
        }
      }
    }
    return x.matched();
  }

  private static String abbreviate(String s) {
    return s.length() <= 160 ? s : s.substring(0, 157) + "...";
  }

  private SigmaRule resolve() throws IOException {
    Path p = Path.of(rule);
    RuleSet set;
    if (Files.isRegularFile(p)) {
      set = options.load(List.of(p));
      for (LoadProblem problem : set.problems()) {
        System.err.println(problem);
      }
      if (set.rules().isEmpty()) {
        throw new UsageException(rule + ": no detection rule loaded");
      }
      return set.rules().get(0);
    }
    set = options.load(options.paths(data));
    return set.rules().stream()
        .filter(r -> rule.equals(r.id()) || rule.equalsIgnoreCase(r.title()))
        .findFirst()
        .orElseThrow(
            () ->
                new UsageException("no rule file or loaded rule with id or title '" + rule + "'"));
  }
}
