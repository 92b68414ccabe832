package dev.rampart.cli.exceptions;

import dev.rampart.cases.CaseStore;
import dev.rampart.cases.exception.AlertException;
import dev.rampart.cases.yaml.Doc;
import dev.rampart.cli.DataOptions;
import dev.rampart.cli.UsageException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rampart exceptions}: silence a noisy rule for a host, audited, with an expiry. */
@Command(
    name = "exceptions",
    mixinStandardHelpOptions = true,
    description = {
      "Alert exceptions: an analyst silences a rule for a host (or a user, or everywhere) for a",
      "while and says why. They live in DATA/cases.db apart from the rules, expire on their own,",
      "count the alerts they silence, and every change goes to the audit trail."
    },
    subcommands = {
      ExceptionsCommand.Add.class,
      ExceptionsCommand.ListAll.class,
      ExceptionsCommand.Revoke.class
    },
    footer = {
      "",
      "Examples:",
      "  rampart exceptions add --rule 5f1c... --host backup-01 --for 30d \\",
      "      --reason 'nightly backup runs vssadmin; OPS-1234'",
      "  rampart exceptions list",
      "  rampart exceptions revoke 0b6e2c1a-..."
    })
public final class ExceptionsCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UsageException("say what to do: add, list or revoke (rampart exceptions --help)");
  }

  static String actor(String by) {
    if (by != null && !by.isBlank()) {
      return by;
    }
    return dev.rampart.cli.Actor.name();
  }

  static CaseStore open(DataOptions data) {
    return CaseStore.open("jdbc:sqlite:" + data.dataDir().resolve("cases.db"));
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = "Silence a rule's alerts for a host, a user or everywhere, until it expires.",
      footer = {
        "",
        "Examples:",
        "  rampart exceptions add --rule 5f1c... --host backup-01 --for 30d --reason 'OPS-1234'",
        "  rampart exceptions add --rule 5f1c... --user svc-scan --until 2027-01-31T00:00:00Z \\",
        "      --reason 'weekly vulnerability scan' --by alice"
      })
  static final class Add implements Callable<Integer> {
    @Mixin DataOptions data;

    @Option(
        names = "--rule",
        required = true,
        description = "The rule's id (rampart alerts shows it).")
    String rule;

    @Option(names = "--host", description = "Only this host (default: every host).")
    String host;

    @Option(names = "--user", description = "Only this user (default: every user).")
    String user;

    @Option(
        names = "--for",
        paramLabel = "DURATION",
        description = "How long: 1h, 7d, 2w (at most 365d). Or --until.")
    String duration;

    @Option(names = "--until", paramLabel = "TIME", description = "Until an ISO-8601 instant.")
    String until;

    @Option(names = "--reason", required = true, description = "Why; kept in the audit trail.")
    String reason;

    @Option(names = "--by", description = "Who adds it (default: $USER).")
    String by;

    @Override
    public Integer call() throws Exception {
      long expires;
      if ((duration == null) == (until == null)) {
        throw new UsageException("give either --for DURATION or --until TIME");
      }
      if (duration != null) {
        Duration d = Doc.duration(duration);
        if (d == null) {
          throw new UsageException("--for is a duration such as 12h, 7d or 2w, not " + duration);
        }
        expires = System.currentTimeMillis() + d.toMillis();
      } else {
        try {
          expires = Instant.parse(until).toEpochMilli();
        } catch (DateTimeParseException e) {
          throw new UsageException("--until is an instant such as 2026-12-31T00:00:00Z");
        }
      }
      try (CaseStore cases = open(data)) {
        AlertException e = cases.exceptions().add(rule, host, user, reason, expires, actor(by));
        System.out.println(e.id());
        System.err.println(
            "rampart: rule "
                + rule
                + " is silenced"
                + (e.host() == null ? "" : " on " + e.host())
                + (e.user() == null ? "" : " for " + e.user())
                + " until "
                + Instant.ofEpochMilli(e.expiresAt())
                + " (a running server applies it within seconds)");
      }
      return 0;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List every exception: active, expired and revoked, with hits and reasons.",
      footer = {
        "",
        "Examples:",
        "  rampart exceptions list",
        "  rampart exceptions list --data /var/lib/rampart"
      })
  static final class ListAll implements Callable<Integer> {
    @Mixin DataOptions data;

    @Override
    public Integer call() throws Exception {
      try (CaseStore cases = open(data)) {
        long now = System.currentTimeMillis();
        for (AlertException e : cases.exceptions().list()) {
          String state =
              e.revokedAt() != null ? "revoked" : e.expiresAt() <= now ? "expired" : "active";
          System.out.printf(
              "%s  %-8s rule=%s host=%s user=%s until=%s hits=%d by=%s: %s%n",
              e.id(),
              state,
              e.ruleId(),
              e.host() == null ? "*" : e.host(),
              e.user() == null ? "*" : e.user(),
              Instant.ofEpochMilli(e.expiresAt()),
              e.hits(),
              e.createdBy(),
              e.reason());
        }
      }
      return 0;
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "End an exception now (it stays listed, with who revoked it).",
      footer = {"", "Examples:", "  rampart exceptions revoke 0b6e2c1a-... --by alice"})
  static final class Revoke implements Callable<Integer> {
    @Mixin DataOptions data;

    @Parameters(paramLabel = "ID", description = "The exception's id (rampart exceptions list).")
    String id;

    @Option(names = "--by", description = "Who revokes it (default: $USER).")
    String by;

    @Override
    public Integer call() throws Exception {
      try (CaseStore cases = open(data)) {
        cases.exceptions().revoke(id, actor(by));
      }
      return 0;
    }
  }
}
