package dev.rampart.cli.vuln;

import dev.rampart.cases.yaml.Doc;
import dev.rampart.cli.DataOptions;
import dev.rampart.cli.UsageException;
import dev.rampart.vuln.track.VulnStore;
import dev.rampart.vuln.vex.Vex;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Accepted risk and suppliers' statements: {@code vuln exceptions} and {@code vuln vex}. */
final class RiskCommand {
  private RiskCommand() {}

  @Command(
      name = "exceptions",
      mixinStandardHelpOptions = true,
      description = {
        "Accepted risk: an advisory (on one asset or package, or everywhere) is not counted as",
        "open until the exception expires. Owner and reason are required and audited."
      },
      subcommands = {Add.class},
      footer = {
        "",
        "Examples:",
        "  rampart vuln exceptions",
        "  rampart vuln exceptions add --advisory CVE-2022-1292 --asset db-01 --owner carol \\",
        "      --reason 'c_rehash is not used; RISK-42' --for 90d"
      })
  static final class Exceptions implements Callable<Integer> {
    @Mixin DataOptions data;

    @Override
    public Integer call() throws Exception {
      long now = System.currentTimeMillis();
      try (Workspace w = Workspace.open(data)) {
        List<VulnStore.ExceptionRow> all = w.store.exceptions();
        System.out.printf(
            "%-36s %-18s %-12s %-14s %-10s %-10s %s%n",
            "ID", "ADVISORY", "ASSET", "PACKAGE", "OWNER", "EXPIRES", "REASON");
        for (VulnStore.ExceptionRow e : all) {
          System.out.printf(
              "%-36s %-18s %-12s %-14s %-10s %-10s %s%n",
              e.id(),
              e.advisory(),
              e.asset() == null ? "(all)" : e.asset(),
              e.packageName() == null ? "(all)" : e.packageName(),
              e.owner(),
              FindingsCommand.day(e.expiresAt()) + (e.expiresAt() <= now ? " (expired)" : ""),
              e.reason());
        }
      }
      return 0;
    }
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = "Accept the risk of an advisory until a date, with an owner and a reason.",
      footer = {
        "",
        "Examples:",
        "  rampart vuln exceptions add --advisory CVE-2022-1292 --owner carol --reason RISK-42 \\",
        "      --for 90d",
        "  rampart vuln exceptions add --advisory DLA-3008-1 --asset db-01 --package libssl1.1 \\",
        "      --owner carol --reason 'no c_rehash' --until 2027-03-31T00:00:00Z"
      })
  static final class Add implements Callable<Integer> {
    @Mixin DataOptions data;

    @Option(names = "--advisory", required = true, description = "Advisory id or CVE.")
    String advisory;

    @Option(names = "--asset", description = "Only on this asset (default: every asset).")
    String asset;

    @Option(names = "--package", description = "Only this package (default: every package).")
    String pkg;

    @Option(names = "--owner", required = true, description = "Who owns the risk.")
    String owner;

    @Option(names = "--reason", required = true, description = "Why it is accepted.")
    String reason;

    @Option(names = "--for", paramLabel = "DURATION", description = "30d, 12w ... (or --until).")
    String duration;

    @Option(names = "--until", paramLabel = "TIME", description = "An ISO-8601 instant.")
    String until;

    @Override
    public Integer call() throws Exception {
      Instant expires;
      if ((duration == null) == (until == null)) {
        throw new UsageException("give either --for DURATION or --until TIME");
      }
      if (duration != null) {
        Duration d = Doc.duration(duration);
        if (d == null) {
          throw new UsageException("--for is a duration such as 30d or 12w, not " + duration);
        }
        expires = Instant.now().plus(d);
      } else {
        try {
          expires = Instant.parse(until);
        } catch (DateTimeParseException e) {
          throw new UsageException("--until is an instant such as 2027-03-31T00:00:00Z");
        }
      }
      try (Workspace w = Workspace.open(data)) {
        VulnStore.ExceptionRow e =
            w.store.addException(
                advisory, asset, pkg, owner, reason, expires, dev.rampart.cli.Actor.name());
        System.out.println(e.id());
      } catch (dev.rampart.cases.incident.CaseException e) {
        throw new UsageException(e.getMessage());
      }
      return 0;
    }
  }

  @Command(
      name = "vex",
      mixinStandardHelpOptions = true,
      description = {
        "Import VEX documents (OpenVEX or CycloneDX VEX): findings a supplier states not_affected",
        "or fixed for a product are suppressed (kept, and shown with --suppressed)."
      },
      footer = {
        "",
        "Examples:",
        "  rampart vuln vex node.openvex.json",
        "  rampart vuln vex product.cdx-vex.json"
      })
  static final class VexImport implements Callable<Integer> {
    @Mixin DataOptions data;

    @Parameters(paramLabel = "FILE", arity = "1..*")
    List<Path> files;

    @Override
    public Integer call() throws Exception {
      try (Workspace w = Workspace.open(data)) {
        for (Path f : files) {
          Vex.Document d;
          try {
            d = Vex.read(f);
          } catch (IOException e) {
            throw new UsageException(e.getMessage());
          }
          d.problems().forEach(System.err::println);
          int n = w.store.importVex(d, f.getFileName().toString(), dev.rampart.cli.Actor.name());
          System.err.printf(Locale.ROOT, "%s: %,d statements (%s)%n", f, n, d.format());
        }
      }
      return 0;
    }
  }
}
