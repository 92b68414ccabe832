package dev.rampart.cli.access;

import dev.rampart.cases.CaseStore;
import dev.rampart.cases.db.Db;
import dev.rampart.cli.DataOptions;
import dev.rampart.cli.ExitCodes;
import dev.rampart.cli.UsageException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rampart audit}: the hash-chained audit trail. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = {
      "The audit trail of security-relevant actions (logins, lockouts, user and role changes,",
      "token use, exceptions, policy reloads), kept as a SHA-256 hash chain in DATA/cases.db."
    },
    subcommands = {AuditCommand.ListAll.class, AuditCommand.Verify.class},
    footer = {"", "Examples:", "  rampart audit list --limit 20", "  rampart audit verify"})
public final class AuditCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UsageException("say what to do: list or verify (rampart audit --help)");
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "The newest entries, newest first.",
      footer = {
        "",
        "Examples:",
        "  rampart audit list",
        "  rampart audit list --limit 500",
        "  rampart audit list --action incident. --actor alice   # alice's changes of incidents",
        "  rampart audit list --before 1200                      # the page before entry 1200"
      })
  static final class ListAll implements Callable<Integer> {
    @Mixin DataOptions data;

    @Option(names = "--limit", defaultValue = "50", description = "Most shown (1..1000).")
    int limit;

    @Option(names = "--actor", paramLabel = "NAME", description = "Only this actor's entries.")
    String actor;

    @Option(
        names = "--action",
        paramLabel = "PREFIX",
        description = "Only actions starting with this (incident., rule.disable, events.export).")
    String action;

    @Option(
        names = "--before",
        paramLabel = "SEQ",
        description = "Only entries older than this one (the first column): the next page.")
    Long before;

    @Override
    public Integer call() throws Exception {
      if (limit < 1 || limit > 1000) {
        throw new UsageException("--limit is 1..1000");
      }
      try (CaseStore cases = UsersCommand.open(data)) {
        List<Db.AuditEntry> entries = cases.db().audit(before, actor, action, limit);
        for (Db.AuditEntry e : entries) {
          System.out.printf(
              "%6d %s  %-16s %-22s %s %s%n",
              e.seq(), Instant.ofEpochMilli(e.at()), e.actor(), e.action(), e.target(), e.detail());
        }
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Recompute the hash chain; exit 0 when intact, 1 with the first broken entry when an",
        "entry was changed, removed, or the newest ones were cut off."
      },
      footer = {
        "",
        "Examples:",
        "  rampart audit verify",
        "  rampart audit verify --data /var/lib/rampart"
      })
  static final class Verify implements Callable<Integer> {
    @Mixin DataOptions data;

    @Override
    public Integer call() throws Exception {
      try (CaseStore cases = UsersCommand.open(data)) {
        Db.AuditCheck c = cases.db().verifyAudit();
        if (c.intact()) {
          System.out.println("audit trail intact: " + c.entries() + " entries");
          return ExitCodes.OK;
        }
        System.out.println("audit trail BROKEN at entry " + c.brokenAt() + ": " + c.problem());
        return 1;
      }
    }
  }
}
