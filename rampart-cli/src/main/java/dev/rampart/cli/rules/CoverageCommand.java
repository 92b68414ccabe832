package dev.rampart.cli.rules;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rampart.cli.DataOptions;
import dev.rampart.cli.ExitCodes;
import dev.rampart.cli.UsageException;
import dev.rampart.sigma.coverage.AttackCoverage;
import dev.rampart.sigma.load.RuleSet;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rampart rules coverage}: the ATT&CK techniques a rule set covers, by tactic. */
@Command(
    name = "coverage",
    mixinStandardHelpOptions = true,
    description = {
      "Which ATT&CK techniques the rules cover, by tactic, from their own tags: each technique"
          + " with how many rules carry it. Sigma tags do not pair techniques with tactics, so a"
          + " rule's techniques count under every tactic it names. The server's console shows the"
          + " same with alert counts (/rules/coverage)."
    },
    footer = {
      "",
      "Examples:",
      "  rampart rules coverage",
      "  rampart rules coverage --rules sigma/rules --format csv > coverage.csv",
      "  rampart rules coverage --rules sigma/rules --format json",
    })
public final class CoverageCommand implements Callable<Integer> {
  @Mixin DataOptions data;
  @Mixin RuleOptions options;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table (default), csv (tactic,technique,rules) or json.")
  String format;

  @Override
  public Integer call() throws IOException {
    if (!java.util.Set.of("table", "csv", "json").contains(format)) {
      throw new UsageException("--format must be table, csv or json, not '" + format + "'");
    }
    RuleSet set = options.load(options.paths(data));
    AttackCoverage.Coverage c =
        AttackCoverage.of(set.rules(), set.correlations(), k -> true, null, 0);
    switch (format) {
      case "json" -> {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        System.out.println(json.writeValueAsString(c));
      }
      case "csv" -> {
        System.out.println("tactic,technique,rules");
        for (var t : c.tactics()) {
          for (var x : t.techniques()) {
            System.out.println(t.tag() + "," + x.id() + "," + x.rules());
          }
        }
      }
      default -> {
        for (var t : c.tactics()) {
          System.out.printf("%s (%d)%n", t.label(), t.techniques().size());
          StringBuilder line = new StringBuilder("  ");
          for (var x : t.techniques()) {
            String cell = x.id() + " (" + x.rules() + ")";
            if (line.length() + cell.length() > 98) {
              System.out.println(line.toString().stripTrailing());
              line = new StringBuilder("  ");
            }
            line.append(cell).append("  ");
          }
          System.out.println(line.toString().stripTrailing());
        }
        System.out.printf(
            "%d techniques from %d of %d rules (the others carry no technique tag)%n",
            c.techniques(), c.tagged(), c.rules());
      }
    }
    return ExitCodes.OK;
  }
}
