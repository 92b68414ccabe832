package dev.rampart.cli.rules;

import dev.rampart.cli.DataOptions;
import dev.rampart.cli.ExitCodes;
import dev.rampart.cli.UsageException;
import dev.rampart.sigma.coverage.AttackCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code rampart rules import-attack}: ATT&CK's techniques and tactics, for coverage. */
@Command(
    name = "import-attack",
    mixinStandardHelpOptions = true,
    description = {
      "Read MITRE ATT&CK's STIX bundle (enterprise-attack.json from",
      "https://github.com/mitre-attack/attack-stix-data, which you download) and keep its",
      "techniques, sub-techniques and tactics in DATA/attack/catalog.json. Coverage (rampart rules",
      "coverage, the console's ATT&CK coverage page, /api/coverage) then names techniques, puts",
      "them under their own tactics, lists the techniques no rule covers, and points out rules",
      "tagged with revoked, deprecated or unknown techniques. Importing again replaces it; a",
      "running server reads the new one at its next coverage request."
    },
    footer = {
      "",
      "Examples:",
      "  rampart rules import-attack ~/Downloads/enterprise-attack.json",
      "  rampart rules import-attack enterprise-attack-17.1.json --data /var/lib/rampart"
    })
public final class ImportAttackCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "The STIX bundle (JSON).")
  Path file;

  @Mixin DataOptions data;

  @Override
  public Integer call() throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new UsageException("no such file: " + file);
    }
    AttackCatalog c;
    try {
      c = AttackCatalog.fromStix(file);
    } catch (IOException e) {
      throw new UsageException(e.getMessage());
    }
    Path to = AttackCatalog.file(data.dataDir());
    c.write(to);
    long techniques = c.techniques().stream().filter(t -> !t.subTechnique()).count();
    long current = c.techniques().stream().filter(AttackCatalog.Technique::current).count();
    System.err.printf(
        "%s: %d techniques and %d sub-techniques (%d current), %d tactics; saved in %s%s%n",
        c.title(),
        techniques,
        c.techniques().size() - techniques,
        current,
        c.tactics().size(),
        to,
        c.content().skipped() > 0
            ? " (" + c.content().skipped() + " attack patterns without an ATT&CK id left out)"
            : "");
    return ExitCodes.OK;
  }
}
