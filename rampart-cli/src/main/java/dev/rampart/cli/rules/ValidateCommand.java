package dev.rampart.cli.rules;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.rampart.cli.ExitCodes;
import dev.rampart.sigma.load.RuleSet;
import dev.rampart.sigma.parse.LoadProblem;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rampart rules validate}: load rules and report every problem with its position. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Load Sigma rules (files, folders, zip archives) and report every problem as",
      "file:line:column with the rule and the construct at fault. Exit code 1 when a rule is",
      "rejected."
    },
    footer = {
      "",
      "Examples:",
      "  rampart rules validate rules/",
      "  rampart rules validate sigma_all_rules.zip --json",
      "  rampart rules validate rules-placeholder/ --placeholders placeholders.yml",
    })
public final class ValidateCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Rule files, folders or zips.")
  List<Path> paths;

  @Mixin RuleOptions options;

  @Option(names = "--json", description = "Print {loaded, rejected, warnings, problems} as JSON.")
  boolean json;

  @Option(names = "--warnings", description = "Also list warnings (they are counted either way).")
  boolean warnings;

  @Override
  public Integer call() throws IOException {
    long t0 = System.nanoTime();
    RuleSet set = options.load(paths);
    double secs = (System.nanoTime() - t0) / 1e9;
    PrintStream out = System.out;
    if (json) {
      JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
      g.writeStartObject();
      g.writeNumberField("loaded", set.loaded());
      g.writeNumberField("rejected", set.rejected());
      g.writeNumberField("rules", set.rules().size());
      g.writeNumberField("correlations", set.correlations().size());
      g.writeNumberField("filters", set.filters().size());
      g.writeNumberField("warnings", set.warnings().size());
      g.writeArrayFieldStart("problems");
      for (LoadProblem p : set.problems()) {
        if (!p.isError() && !warnings) {
          continue;
        }
        g.writeStartObject();
        g.writeStringField("file", p.file());
        g.writeNumberField("line", p.line());
        g.writeNumberField("column", p.column());
        g.writeStringField("severity", p.severity().name().toLowerCase(Locale.ROOT));
        if (p.rule() != null) {
          g.writeStringField("rule", p.rule());
        }
        g.writeStringField("message", p.message());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
      g.writeRaw('\n');
      g.flush();
    } else {
      for (LoadProblem p : set.problems()) {
        if (p.isError() || warnings) {
          out.println(p);
        }
      }
      out.printf(
          Locale.ROOT,
          "%d loaded (%d rules, %d correlations, %d filters), %d rejected, %d warnings in %.1f s%n",
          set.loaded(),
          set.rules().size(),
          set.correlations().size(),
          set.filters().size(),
          set.rejected(),
          set.warnings().size(),
          secs);
    }
    return set.rejected() > 0 ? ExitCodes.FINDINGS : ExitCodes.OK;
  }
}
