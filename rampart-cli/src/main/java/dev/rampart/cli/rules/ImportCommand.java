package dev.rampart.cli.rules;

import dev.rampart.cli.DataOptions;
import dev.rampart.cli.ExitCodes;
import dev.rampart.cli.UsageException;
import dev.rampart.sigma.load.RuleSet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rampart rules import}: install a rule pack the user downloaded. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Install a Sigma rule pack (a folder or a zip such as SigmaHQ's release archives) into",
      "DATA/rules/NAME, after validating it. Hunts and the server load installed packs by default."
    },
    footer = {
      "",
      "Examples:",
      "  rampart rules import ~/Downloads/sigma_core.zip",
      "  rampart rules import ./sigma/rules --name sigmahq --replace",
    })
public final class ImportCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "PATH|ZIP",
      description = "The pack: a folder or a zip archive.")
  Path source;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "Pack name (default: the file or folder name).")
  String name;

  @Option(names = "--replace", description = "Replace an installed pack of the same name.")
  boolean replace;

  @Mixin DataOptions data;
  @Mixin RuleOptions options;

  @Override
  public Integer call() throws IOException {
    if (!Files.exists(source)) {
      throw new UsageException("no such file or folder: " + source);
    }
    String pack =
        name != null ? name : source.getFileName().toString().replaceFirst("(?i)\\.zip$", "");
    if (!pack.matches("[A-Za-z0-9._-]+")) {
      throw new UsageException(
          "pack name '" + pack + "' may use letters, digits, '.', '_' and '-' only");
    }
    RuleSet set = options.load(List.of(source));
    if (set.loaded() == 0) {
      set.errors().stream().limit(20).forEach(p -> System.err.println(p));
      throw new UsageException(
          source
              + ": no Sigma rule could be loaded from it ("
              + set.rejected()
              + " rejected); nothing installed");
    }
    Path target = data.dataDir().resolve("rules").resolve(pack);
    if (Files.exists(target)) {
      if (!replace) {
        throw new UsageException("pack '" + pack + "' is installed; use --replace or --name");
      }
      try (Stream<Path> walk = Files.walk(target)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(target);
    int files = 0;
    if (Files.isDirectory(source)) {
      try (Stream<Path> walk = Files.walk(source)) {
        for (Path f : walk.filter(Files::isRegularFile).filter(ImportCommand::isRule).toList()) {
          Path dest = target.resolve(source.relativize(f).toString());
          Files.createDirectories(dest.getParent());
          Files.copy(f, dest, StandardCopyOption.REPLACE_EXISTING);
          files++;
        }
      }
    } else if (source.toString().toLowerCase(Locale.ROOT).endsWith(".zip")) {
      try (ZipFile zip = new ZipFile(source.toFile())) {
        for (ZipEntry e :
            zip.stream().filter(x -> !x.isDirectory() && isRule(Path.of(x.getName()))).toList()) {
          Path dest = target.resolve(e.getName()).normalize();
          if (!dest.startsWith(target)) {
            throw new UsageException(
                source
                    + ": entry '"
                    + e.getName()
                    + "' points outside the pack (zip slip); refusing");
          }
          Files.createDirectories(dest.getParent());
          try (InputStream in = zip.getInputStream(e)) {
            Files.copy(in, dest, StandardCopyOption.REPLACE_EXISTING);
          }
          files++;
        }
      }
    } else {
      Files.copy(source, target.resolve(source.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      files++;
    }
    set.errors().stream().limit(20).forEach(p -> System.err.println(p));
    System.out.printf(
        "installed %s: %d files, %d rules loaded, %d rejected -> %s%n",
        pack, files, set.loaded(), set.rejected(), target);
    return set.rejected() > 0 ? ExitCodes.FINDINGS : ExitCodes.OK;
  }

  private static boolean isRule(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".yml") || n.endsWith(".yaml");
  }
}
