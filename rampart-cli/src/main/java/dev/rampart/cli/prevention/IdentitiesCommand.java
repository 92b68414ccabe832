package dev.rampart.cli.prevention;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.cli.DataOptions;
import dev.rampart.cli.UsageException;
import dev.rampart.core.io.Csv;
import dev.rampart.core.io.Problem;
import dev.rampart.prevention.identity.Directory;
import dev.rampart.prevention.identity.IdentityReader;
import dev.rampart.prevention.identity.Names;
import dev.rampart.prevention.risk.IdentityRisk;
import dev.rampart.prevention.training.Awareness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rampart identities}: the people and accounts of the organisation. */
@Command(
    name = "identities",
    mixinStandardHelpOptions = true,
    description = {
      "The organisation's people and accounts, imported from directory and identity-provider",
      "exports, merged across files, linked to the accounts events name; privileged group",
      "memberships feed access reviews, and each person has a risk score with its reasons."
    },
    subcommands = {
      IdentitiesCommand.Import.class,
      IdentitiesCommand.Show.class,
      IdentitiesCommand.ListPeople.class
    },
    footer = {
      "",
      "Examples:",
      "  rampart identities import hr-export.csv",
      "  rampart identities import ad-users.ldif --privileged-group 'Tier0 Admins'",
      "  rampart identities import okta-users.json --merge-on email,account",
      "  rampart identities show 'CORP\\olivia'",
      "  rampart identities list --privileged"
    })
public final class IdentitiesCommand {
  private IdentitiesCommand() {}

  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description = {
        "Add and update people from a CSV (a header naming email, login or employee id, and any of",
        "name, department, title, manager, status, groups), an LDIF export (users with memberOf,",
        "or groups with member/memberUid) or IdP JSON (Okta users, Microsoft Graph users from",
        "Entra ID). Each bad row is reported with its file and line and the rest load; records that",
        "share a merge key become one person, reported. Nobody is removed unless --prune."
      },
      footer = {
        "",
        "Examples:",
        "  rampart identities import hr-export.csv",
        "  rampart identities import ad-users.ldif --privileged-group 'Tier0 Admins'",
        "  rampart identities import entra-users.json --merge-on email --json",
        "  rampart identities import hr-export.csv --prune",
        "",
        "Exit codes: 0 loaded, 1 loaded with rows refused, 2 unreadable or a usage error."
      })
  static final class Import implements Callable<Integer> {
    @Mixin DataOptions data;

    @Parameters(paramLabel = "FILE")
    Path file;

    @Option(names = "--format", description = "csv, ldif or json (default: from the file).")
    String format;

    @Option(
        names = "--merge-on",
        split = ",",
        description = "Keys that make two records one person (default: email,employee_id,account).")
    List<String> mergeOn = List.of("email", "employee_id", "account");

    @Option(
        names = "--privileged-group",
        description =
            "A group whose members hold privileged access, beside the defaults (Domain Admins,"
                + " Enterprise Admins, Administrators, sudo, wheel, Global Administrator, ...).")
    List<String> privileged = new ArrayList<>();

    @Option(
        names = "--only-privileged-groups",
        description = "Count only the --privileged-group names as privileged, not the defaults.")
    boolean onlyGiven;

    @Option(
        names = "--prune",
        description =
            "Remove people an earlier import of this file brought and it no longer lists.")
    boolean prune;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      if (!Files.isReadable(file)) {
        throw new UsageException(file + ": not a readable file");
      }
      IdentityReader.Format f;
      try {
        f =
            format == null
                ? IdentityReader.Format.of(file)
                : IdentityReader.Format.valueOf(format.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--format " + format + ": csv, ldif or json");
      }
      List<Directory.MergeKey> keys = new ArrayList<>();
      try {
        for (String k : mergeOn) {
          keys.add(Directory.MergeKey.parse(k));
        }
      } catch (IllegalArgumentException e) {
        throw new UsageException("--merge-on " + e.getMessage());
      }
      Set<String> groups = new LinkedHashSet<>(onlyGiven ? Set.of() : Directory.DEFAULT_PRIVILEGED);
      privileged.forEach(g -> groups.add(Names.key(g)));
      IdentityReader.Result read = IdentityReader.read(file, f);
      Directory.ImportReport r;
      try (Prevention p = Prevention.open(data)) {
        r =
            p.directory.importPeople(
                read.people(),
                new Directory.ImportOptions(
                    file.getFileName().toString(),
                    keys,
                    groups,
                    prune,
                    dev.rampart.cli.Actor.name()));
      }
      List<Problem> problems = new ArrayList<>(read.problems());
      problems.addAll(r.problems());
      long errors = problems.stream().filter(Problem::isError).count();
      if (json) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file", file.toString());
        out.put("format", f.name().toLowerCase(Locale.ROOT));
        out.put("read", read.people().size());
        out.put("added", r.added());
        out.put("updated", r.updated());
        out.put("removed", r.removed());
        out.put("merged", r.merges());
        out.put("problems", problems.stream().map(Problem::toString).toList());
        System.out.println(new ObjectMapper().writeValueAsString(out));
      } else {
        for (Problem pr : problems) {
          System.err.println(pr);
        }
        for (String m : r.merges()) {
          System.out.println("merged: " + m);
        }
        System.out.printf(
            Locale.ROOT,
            "%s: %d people read, %d added, %d updated, %d removed, %d merged, %d refused%n",
            file,
            read.people().size(),
            r.added(),
            r.updated(),
            r.removed(),
            r.merges().size(),
            errors);
      }
      return errors > 0 ? 1 : 0;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = {
        "One person, found by an account as events name it (CORP\\olivia, olivia@corp.example) or",
        "by email: accounts, groups (privileged marked), manager, and the risk score with its",
        "reasons (phishing simulations, overdue training, privileged access)."
      },
      footer = {
        "",
        "Examples:",
        "  rampart identities show 'CORP\\olivia'",
        "  rampart identities show olivia@corp.example --json"
      })
  static final class Show implements Callable<Integer> {
    @Mixin DataOptions data;

    @Parameters(paramLabel = "ACCOUNT")
    String account;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      try (Prevention p = Prevention.open(data)) {
        Directory.Person who = p.directory.byAccount(account);
        if (who == null) {
          System.err.println(
              "rampart: no identity for '" + account + "' (import identities first)");
          return 1;
        }
        long now = System.currentTimeMillis();
        Awareness a = new Awareness(p.directory);
        IdentityRisk.Score s = IdentityRisk.score(who, a.history(who.id(), now), 0, now);
        Directory.Person manager = who.manager() == null ? null : p.directory.byId(who.manager());
        if (json) {
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("id", who.id());
          out.put("name", who.displayName());
          out.put("email", who.email());
          out.put("employee_id", who.employeeId());
          out.put("department", who.department());
          out.put("title", who.title());
          out.put("active", who.active());
          out.put("manager", manager == null ? null : manager.label());
          out.put("accounts", who.accounts());
          out.put("groups", who.memberships());
          out.put("risk", Map.of("score", s.value(), "level", s.level(), "reasons", s.reasons()));
          System.out.println(new ObjectMapper().writeValueAsString(out));
        } else {
          System.out.printf("%s%s%n", who.label(), who.active() ? "" : " (disabled)");
          line("email", who.email());
          line("employee id", who.employeeId());
          line("department", who.department());
          line("title", who.title());
          line("manager", manager == null ? null : manager.label());
          line("accounts", String.join(", ", who.accounts()));
          List<String> gs = new ArrayList<>();
          for (Directory.Membership m : who.memberships()) {
            gs.add(m.group() + (m.privileged() ? " (privileged)" : ""));
          }
          line("groups", String.join(", ", gs));
          System.out.printf(Locale.ROOT, "  %-12s %d (%s)%n", "risk", s.value(), s.level());
          for (IdentityRisk.Reason r : s.reasons()) {
            System.out.printf(Locale.ROOT, "  %12s %+d  %s%n", "", r.points(), r.why());
          }
        }
        return 0;
      }
    }

    private static void line(String k, String v) {
      if (v != null && !v.isBlank()) {
        System.out.printf(Locale.ROOT, "  %-12s %s%n", k, v);
      }
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Everyone, or only people with privileged access, with their risk score.",
      footer = {
        "",
        "Examples:",
        "  rampart identities list",
        "  rampart identities list --privileged --csv > privileged-access.csv"
      })
  static final class ListPeople implements Callable<Integer> {
    @Mixin DataOptions data;

    @Option(names = "--privileged", description = "Only people in a privileged group.")
    boolean privilegedOnly;

    @Option(names = "--csv", description = "Print CSV (for a spreadsheet or a report).")
    boolean csv;

    @Override
    public Integer call() throws Exception {
      try (Prevention p = Prevention.open(data)) {
        long now = System.currentTimeMillis();
        Awareness a = new Awareness(p.directory);
        if (csv) {
          System.out.println("name,email,department,active,privileged_groups,risk,risk_level");
        } else {
          System.out.printf(
              Locale.ROOT,
              "%-28s %-30s %-14s %-5s %s%n",
              "NAME",
              "EMAIL",
              "DEPARTMENT",
              "RISK",
              "PRIVILEGED");
        }
        for (Directory.Person who : p.directory.people()) {
          if (privilegedOnly && !who.privileged()) {
            continue;
          }
          IdentityRisk.Score s = IdentityRisk.score(who, a.history(who.id(), now), 0, now);
          String groups =
              String.join(
                  ";",
                  who.memberships().stream()
                      .filter(Directory.Membership::privileged)
                      .map(Directory.Membership::group)
                      .toList());
          if (csv) {
            System.out.println(
                Csv.row(
                    who.label(),
                    who.email(),
                    who.department(),
                    who.active(),
                    groups,
                    s.value(),
                    s.level()));
          } else {
            System.out.printf(
                Locale.ROOT,
                "%-28s %-30s %-14s %-5d %s%n",
                who.label() + (who.active() ? "" : " (disabled)"),
                who.email() == null ? "" : who.email(),
                who.department() == null ? "" : who.department(),
                s.value(),
                groups);
          }
        }
        return 0;
      }
    }
  }
}
