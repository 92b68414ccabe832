package dev.rampart.cli.rules;

import dev.rampart.cli.DataOptions;
import dev.rampart.cli.UsageException;
import dev.rampart.sigma.load.RuleLoader;
import dev.rampart.sigma.load.RuleSet;
import dev.rampart.sigma.parse.Placeholders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * Where rules come from, shared by every command that loads them: {@code --rules} paths (folders,
 * files, zips), or by default Rampart's own pack ({@code rules/} of the installation) plus every
 * pack installed with {@code rampart rules import} under {@code DATA/rules}.
 */
public final class RuleOptions {
  @Option(
      names = "--rules",
      paramLabel = "PATH",
      description =
          "Rule file, folder or zip (repeatable; default: Rampart's pack and installed packs).")
  public List<Path> rules = new ArrayList<>();

  @Option(
      names = "--placeholders",
      paramLabel = "FILE",
      description = "YAML with values for %%placeholder%% names used with |expand.")
  Path placeholders;

  @Option(
      names = "--placeholder-policy",
      paramLabel = "POLICY",
      defaultValue = "strict",
      description = "strict (reject rules with unknown placeholders) or wildcard (use *).")
  String policy;

  /** Rampart's own rule pack: the {@code rules} folder of the installation. */
  public static Path ownPack() {
    String home = System.getProperty("rampart.home");
    return Path.of(home != null ? home : ".").resolve("rules");
  }

  public Placeholders placeholders() {
    Placeholders.Policy p;
    switch (policy.toLowerCase(java.util.Locale.ROOT)) {
      case "strict" -> p = Placeholders.Policy.STRICT;
      case "wildcard" -> p = Placeholders.Policy.WILDCARD;
      default ->
          throw new UsageException(
              "--placeholder-policy must be strict or wildcard, not '" + policy + "'");
    }
    if (placeholders == null) {
      return Placeholders.NONE.withPolicy(p);
    }
    try {
      return Placeholders.load(placeholders, p);
    } catch (IOException | RuntimeException e) {
      throw new UsageException("cannot read placeholders " + placeholders + ": " + e.getMessage());
    }
  }

  /** The rule paths to load: the given ones, or the defaults. */
  public List<Path> paths(DataOptions data) throws IOException {
    if (!rules.isEmpty()) {
      return rules;
    }
    return defaultPaths(data.dataDir());
  }

  /** Rampart's own pack (when present) and every pack installed under {@code DATA/rules}. */
  public static List<Path> defaultPaths(Path dataDir) throws IOException {
    List<Path> out = new ArrayList<>();
    if (Files.isDirectory(ownPack())) {
      out.add(ownPack());
    }
    Path installed = dataDir.resolve("rules");
    if (Files.isDirectory(installed)) {
      try (Stream<Path> list = Files.list(installed)) {
        list.filter(Files::isDirectory).sorted().forEach(out::add);
      }
    }
    if (out.isEmpty()) {
      throw new UsageException(
          "no rules: give --rules PATH, or install a pack with 'rampart rules import'");
    }
    return out;
  }

  public RuleSet load(List<Path> paths) {
    RuleLoader loader = new RuleLoader(placeholders());
    for (Path p : paths) {
      loader.add(p);
    }
    return loader.build();
  }
}
