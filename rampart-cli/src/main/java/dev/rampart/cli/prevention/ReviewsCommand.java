package dev.rampart.cli.prevention;

import dev.rampart.cases.incident.CaseException;
import dev.rampart.cli.DataOptions;
import dev.rampart.cli.UsageException;
import dev.rampart.prevention.identity.Directory;
import dev.rampart.prevention.reviews.AccessReviews;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rampart reviews}: access-review campaigns over privileged memberships. */
@Command(
    name = "reviews",
    mixinStandardHelpOptions = true,
    description = {
      "Access reviews: a campaign asks each person's manager to confirm or revoke each",
      "privileged group membership by a due date; decisions are recorded with who and when, and",
      "memberships revoked but still in the directory at its next import are reported."
    },
    subcommands = {
      ReviewsCommand.Start.class,
      ReviewsCommand.Status.class,
      ReviewsCommand.Decide.class,
      ReviewsCommand.Report.class,
      ReviewsCommand.Approve.class
    },
    footer = {
      "",
      "Examples:",
      "  rampart reviews start --name 'Q1 privileged access' --due 14d --fallback-reviewer ciso@corp.example",
      "  rampart reviews status",
      "  rampart reviews decide 3f2a... revoke --comment 'left the on-call rota'",
      "  rampart reviews report"
    })
public final class ReviewsCommand {
  private ReviewsCommand() {}

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description = "Start a campaign over every privileged membership of active people.",
      footer = {
        "",
        "Examples:",
        "  rampart reviews start --name 'Q1 privileged access' --due 14d",
        "  rampart reviews start --name 'Leavers check' --due 72h --fallback-reviewer ciso@corp.example"
      })
  static final class Start implements Callable<Integer> {
    @Mixin DataOptions data;

    @Option(names = "--name", required = true, description = "The campaign's name.")
    String name;

    @Option(names = "--due", defaultValue = "14d", description = "Time to decide (default: 14d).")
    String due;

    @Option(
        names = "--fallback-reviewer",
        paramLabel = "ACCOUNT",
        description = "Who reviews memberships of people without a manager (an account or email).")
    String fallback;

    @Override
    public Integer call() throws Exception {
      Duration d;
      try {
        d = dev.rampart.core.time.Durations.parse(due);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--due " + due + ": a duration such as 14d or 72h");
      }
      try (Prevention p = Prevention.open(data)) {
        String reviewer = null;
        if (fallback != null) {
          Directory.Person r = p.directory.byAccount(fallback);
          if (r == null) {
            throw new UsageException("--fallback-reviewer " + fallback + ": no such identity");
          }
          reviewer = r.id();
        }
        AccessReviews reviews = new AccessReviews(p.directory);
        AccessReviews.Campaign c =
            reviews.start(
                name,
                System.currentTimeMillis() + d.toMillis(),
                reviewer,
                dev.rampart.cli.Actor.name());
        var s = reviews.status(c.id(), System.currentTimeMillis());
        System.out.printf(
            Locale.ROOT,
            "campaign %s '%s': %d memberships to review, due %s%n",
            c.id(),
            c.name(),
            s.items(),
            Instant.ofEpochMilli(c.dueAt()).toString().substring(0, 10));
        return 0;
      }
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Campaigns and their progress; with a campaign id, its items.",
      footer = {
        "",
        "Examples:",
        "  rampart reviews status",
        "  rampart reviews status CAMPAIGN-ID"
      })
  static final class Status implements Callable<Integer> {
    @Mixin DataOptions data;

    @Parameters(paramLabel = "CAMPAIGN", arity = "0..1")
    String campaign;

    @Override
    public Integer call() throws Exception {
      long now = System.currentTimeMillis();
      try (Prevention p = Prevention.open(data)) {
        AccessReviews reviews = new AccessReviews(p.directory);
        if (campaign == null) {
          for (AccessReviews.Campaign c : reviews.campaigns()) {
            var s = reviews.status(c.id(), now);
            System.out.printf(
                Locale.ROOT,
                "%s  %-30s due %s  %d items: %d open, %d confirmed, %d revoked%s%n",
                c.id(),
                c.name(),
                Instant.ofEpochMilli(c.dueAt()).toString().substring(0, 10),
                s.items(),
                s.open(),
                s.confirmed(),
                s.revoked(),
                s.overdue() ? "  OVERDUE" : "");
          }
          return 0;
        }
        try {
          reviews.status(campaign, now);
        } catch (CaseException e) {
          throw new UsageException(e.getMessage());
        }
        print(reviews.items(campaign));
        return 0;
      }
    }
  }

  static void print(List<AccessReviews.Item> items) {
    for (AccessReviews.Item i : items) {
      System.out.printf(
          Locale.ROOT,
          "%s  %-24s %-22s reviewer %-20s %s%n",
          i.id(),
          i.personLabel(),
          i.group(),
          i.reviewerLabel() == null ? "(unassigned)" : i.reviewerLabel(),
          i.decision() == null
              ? "open"
              : i.decision()
                  + " by "
                  + i.decidedBy()
                  + (i.comment() == null ? "" : ": " + i.comment()));
    }
  }

  @Command(
      name = "decide",
      mixinStandardHelpOptions = true,
      description = "Confirm or revoke one membership under review (recorded and audited).",
      footer = {
        "",
        "Examples:",
        "  rampart reviews decide ITEM-ID confirm",
        "  rampart reviews decide ITEM-ID revoke --comment 'left the on-call rota'"
      })
  static final class Decide implements Callable<Integer> {
    @Mixin DataOptions data;

    @Parameters(index = "0", paramLabel = "ITEM")
    String item;

    @Parameters(index = "1", paramLabel = "confirm|revoke")
    String decision;

    @Option(names = "--comment", description = "Why (kept with the decision).")
    String comment;

    @Override
    public Integer call() throws Exception {
      try (Prevention p = Prevention.open(data)) {
        AccessReviews.Item i =
            new AccessReviews(p.directory)
                .decide(item, decision, comment, dev.rampart.cli.Actor.name());
        System.out.printf("%s: %s in %s: %s%n", i.id(), i.personLabel(), i.group(), i.decision());
        return 0;
      } catch (CaseException e) {
        throw new UsageException(e.getMessage());
      }
    }
  }

  @Command(
      name = "report",
      mixinStandardHelpOptions = true,
      description = {
        "Memberships revoked in a review that the directory still showed at a later import (the",
        "access was not removed), and open items past their due date."
      },
      footer = {
        "",
        "Examples:",
        "  rampart reviews report",
        "",
        "Exit codes: 0 nothing to report, 1 findings."
      })
  static final class Report implements Callable<Integer> {
    @Mixin DataOptions data;

    @Override
    public Integer call() throws Exception {
      try (Prevention p = Prevention.open(data)) {
        AccessReviews reviews = new AccessReviews(p.directory);
        List<AccessReviews.Item> present = reviews.revokedButPresent();
        System.out.println("Revoked but still present: " + present.size());
        print(present);
        List<AccessReviews.Item> late = reviews.overdue(System.currentTimeMillis());
        System.out.println("Open past due: " + late.size());
        print(late);
        return present.isEmpty() && late.isEmpty() ? 0 : 1;
      }
    }
  }

  @Command(
      name = "approve",
      mixinStandardHelpOptions = true,
      description = {
        "Approve adding an account to a privileged group ahead of time (a change ticket): until it",
        "runs out, an alert about exactly that change (Windows 4728/4732/4756, usermod, gpasswd)",
        "leaves the queue, with the approval in the audit trail. Without approvals, the list of",
        "recorded ones."
      },
      footer = {
        "",
        "Examples:",
        "  rampart reviews approve mateo sudo --reason 'CHG-1042 on-call rota' --for 7d",
        "  rampart reviews approve 'CORP\\adiaz' 'Domain Admins' --reason CHG-1043",
        "  rampart reviews approve --list"
      })
  static final class Approve implements Callable<Integer> {
    @Mixin DataOptions data;

    @Parameters(index = "0", arity = "0..1", paramLabel = "ACCOUNT")
    String account;

    @Parameters(index = "1", arity = "0..1", paramLabel = "GROUP")
    String group;

    @Option(names = "--reason", description = "Why: the change ticket (required to approve).")
    String reason;

    @Option(names = "--for", defaultValue = "7d", description = "How long it holds (default: 7d).")
    String holds;

    @Option(names = "--list", description = "List the recorded approvals.")
    boolean list;

    @Override
    public Integer call() throws Exception {
      try (Prevention p = Prevention.open(data)) {
        var changes = new dev.rampart.prevention.reviews.ApprovedChanges(p.directory);
        if (list || account == null) {
          for (var a : changes.list()) {
            System.out.printf(
                Locale.ROOT,
                "%s  %-20s %-20s until %s  %s (by %s)%n",
                a.id(),
                a.account(),
                a.group(),
                Instant.ofEpochMilli(a.until()).toString().substring(0, 16),
                a.reason(),
                a.approvedBy());
          }
          return 0;
        }
        if (group == null || reason == null || reason.isBlank()) {
          throw new UsageException("approve ACCOUNT GROUP --reason TICKET [--for 7d]");
        }
        Duration d;
        try {
          d = dev.rampart.core.time.Durations.parse(holds);
        } catch (IllegalArgumentException e) {
          throw new UsageException("--for " + holds + ": a duration such as 7d or 72h");
        }
        var a =
            changes.approve(
                account,
                group,
                reason,
                System.currentTimeMillis() + d.toMillis(),
                dev.rampart.cli.Actor.name());
        System.out.printf(
            Locale.ROOT,
            "approved: %s to %s until %s (%s)%n",
            a.account(),
            a.group(),
            Instant.ofEpochMilli(a.until()).toString().substring(0, 16),
            a.reason());
        return 0;
      } catch (CaseException e) {
        throw new UsageException(e.getMessage());
      }
    }
  }
}
