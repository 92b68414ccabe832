package dev.rampart.cli.rules;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.rampart.cli.DataOptions;
import dev.rampart.cli.ExitCodes;
import dev.rampart.cli.UsageException;
import dev.rampart.sigma.load.RuleSet;
import dev.rampart.sigma.rule.Level;
import dev.rampart.sigma.rule.SigmaRule;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rampart rules list}: the loaded rules, filtered. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List rules with their level, log source and ATT&CK techniques.",
    footer = {
      "",
      "Examples:",
      "  rampart rules list",
      "  rampart rules list --rules sigma/rules --filter lsass --min-level high",
      "  rampart rules list --filter attack.t1059 --json",
    })
public final class ListCommand implements Callable<Integer> {
  @Mixin DataOptions data;
  @Mixin RuleOptions options;

  @Option(
      names = "--filter",
      paramLabel = "TEXT",
      description = "Keep rules whose id, title, tags or log source contain TEXT (ignoring case).")
  String filter;

  @Option(
      names = "--min-level",
      paramLabel = "LEVEL",
      description = "Keep rules of this level or higher.")
  String minLevel;

  @Option(names = "--json", description = "One JSON object per rule.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    RuleSet set = options.load(options.paths(data));
    Level min = minLevel == null ? Level.INFORMATIONAL : Level.parse(minLevel);
    if (min == null) {
      throw new UsageException("--min-level must be informational, low, medium, high or critical");
    }
    String f = filter == null ? null : filter.toLowerCase(Locale.ROOT);
    List<SigmaRule> rules =
        set.rules().stream()
            .filter(r -> r.level().compareTo(min) >= 0)
            .filter(r -> f == null || matches(r, f))
            // Most severe first, then by title: the order an analyst reads a list of rules in.
            .sorted(
                java.util.Comparator.comparing(SigmaRule::level)
                    .reversed()
                    .thenComparing(SigmaRule::title))
            .toList();
    if (json) {
      JsonGenerator g = new JsonFactory().createGenerator(System.out, JsonEncoding.UTF8);
      g.setRootValueSeparator(new com.fasterxml.jackson.core.io.SerializedString("\n"));
      for (SigmaRule r : rules) {
        g.writeStartObject();
        g.writeStringField("id", r.id());
        g.writeStringField("title", r.title());
        g.writeStringField("level", r.level().label());
        g.writeStringField("status", r.status());
        g.writeStringField("logsource", r.logsource().key());
        g.writeArrayFieldStart("tags");
        for (String t : r.tags()) {
          g.writeString(t);
        }
        g.writeEndArray();
        g.writeStringField("file", r.file());
        g.writeEndObject();
      }
      g.writeRaw('\n');
      g.flush();
    } else {
      System.out.printf(
          "%-36s  %-8s  %-40s  %-22s  %s%n", "ID", "LEVEL", "LOG SOURCE", "ATT&CK", "TITLE");
      for (SigmaRule r : rules) {
        System.out.printf(
            "%-36s  %-8s  %-40s  %-22s  %s%n",
            r.id() == null ? "-" : r.id(),
            r.level().shortLabel(),
            r.logsource().key(),
            String.join(",", r.techniques()),
            r.title());
      }
      System.out.printf("%d of %d rules%n", rules.size(), set.rules().size());
    }
    return ExitCodes.OK;
  }

  private static boolean matches(SigmaRule r, String f) {
    return (r.id() != null && r.id().toLowerCase(Locale.ROOT).contains(f))
        || r.title().toLowerCase(Locale.ROOT).contains(f)
        || r.logsource().key().toLowerCase(Locale.ROOT).contains(f)
        || r.tags().stream().anyMatch(t -> t.toLowerCase(Locale.ROOT).contains(f));
  }
}
