package dev.rampart.cli.rules;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rampart.cli.DataOptions;
import dev.rampart.cli.ExitCodes;
import dev.rampart.cli.UsageException;
import dev.rampart.core.io.Csv;
import dev.rampart.sigma.coverage.AttackCatalog;
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
          + " with how many rules carry it. With ATT&CK's data (imported once with 'rampart rules"
          + " import-attack enterprise-attack.json', or given with --attack) techniques have names"
          + " and their own tactics, each tactic says how many of its techniques a rule covers,"
          + " --gaps lists the others, and tags naming revoked, deprecated or unknown techniques"
          + " are pointed out. Without it, Sigma tags do not pair techniques with tactics, so a"
          + " rule's techniques count under every tactic it names. The server's console shows the"
          + " same with alert counts (/rules/coverage)."
    },
    footer = {
      "",
      "Examples:",
      "  rampart rules coverage",
      "  rampart rules coverage --rules sigma/rules --gaps",
      "  rampart rules coverage --rules sigma/rules --attack enterprise-attack.json --format csv",
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

  @Option(
      names = "--attack",
      paramLabel = "FILE",
      description =
          "ATT&CK's STIX bundle (enterprise-attack.json from MITRE's attack-stix-data); default:"
              + " the one imported into the data folder, if any.")
  java.nio.file.Path attack;

  @Option(
      names = "--gaps",
      description =
          "Also list, per tactic, the ATT&CK techniques no rule covers (needs ATT&CK's data).")
  boolean gaps;

  @Override
  public Integer call() throws IOException {
    if (!java.util.Set.of("table", "csv", "json").contains(format)) {
      throw new UsageException("--format must be table, csv or json, not '" + format + "'");
    }
    AttackCatalog catalog;
    try {
      catalog =
          attack != null ? AttackCatalog.fromStix(attack) : AttackCatalog.load(data.dataDir());
    } catch (java.nio.file.NoSuchFileException e) {
      throw new UsageException("no such file: " + e.getFile());
    } catch (IOException e) {
      throw new UsageException(e.getMessage());
    }
    if (gaps && catalog == null) {
      throw new UsageException(
          "--gaps needs ATT&CK's data: rampart rules import-attack enterprise-attack.json (from"
              + " https://github.com/mitre-attack/attack-stix-data), or --attack FILE");
    }
    RuleSet set = options.load(options.paths(data));
    AttackCoverage.Coverage c =
        AttackCoverage.of(set.rules(), set.correlations(), k -> true, null, 0, catalog);
    switch (format) {
      case "json" -> {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        System.out.println(json.writeValueAsString(c));
      }
      case "csv" -> {
        System.out.println("tactic,technique,name,rules,problem");
        for (var t : c.tactics()) {
          for (var x : t.techniques()) {
            System.out.println(Csv.row(t.tag(), x.id(), x.name(), x.rules(), x.problem()));
          }
          if (gaps) {
            for (var g : t.gaps()) {
              System.out.println(Csv.row(t.tag(), g.id(), g.name(), 0, "no rule"));
            }
          }
        }
      }
      default -> table(c);
    }
    return ExitCodes.OK;
  }

  private void table(AttackCoverage.Coverage c) {
    for (var t : c.tactics()) {
      System.out.printf(
          "%s (%d%s)%n",
          t.label(),
          t.techniques().size(),
          t.known() > 0 ? "; " + t.covered() + " of its " + t.known() + " techniques covered" : "");
      StringBuilder line = new StringBuilder("  ");
      for (var x : t.techniques()) {
        String cell = x.id() + " (" + x.rules() + ")" + (x.problem() == null ? "" : "!");
        if (line.length() + cell.length() > 98) {
          System.out.println(line.toString().stripTrailing());
          line = new StringBuilder("  ");
        }
        line.append(cell).append("  ");
      }
      System.out.println(line.toString().stripTrailing());
      if (gaps && !t.gaps().isEmpty()) {
        System.out.println("  not covered:");
        for (var g : t.gaps()) {
          System.out.printf("    %s %s%n", g.id(), g.name());
        }
      }
    }
    // tags ATT&CK no longer has (or never had), once each however many tactics show them
    java.util.Map<String, AttackCoverage.Technique> flagged = new java.util.TreeMap<>();
    for (var t : c.tactics()) {
      for (var x : t.techniques()) {
        if (x.problem() != null) {
          flagged.putIfAbsent(x.id(), x);
        }
      }
    }
    if (!flagged.isEmpty()) {
      System.out.println("Tags to fix (marked !):");
      for (var x : flagged.values()) {
        System.out.printf("  %s: %s (%s)%n", x.id(), x.problem(), String.join("; ", x.titles()));
      }
    }
    System.out.printf(
        "%d techniques from %d of %d rules (the others carry no technique tag)%s%n",
        c.techniques(),
        c.tagged(),
        c.rules(),
        c.catalog() == null
            ? "; names and gaps: rampart rules import-attack enterprise-attack.json"
            : "; names from " + c.catalog());
  }
}
