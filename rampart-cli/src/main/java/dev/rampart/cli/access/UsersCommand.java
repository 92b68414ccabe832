package dev.rampart.cli.access;

import dev.rampart.auth.AccessStore;
import dev.rampart.auth.Passwords;
import dev.rampart.cases.CaseStore;
import dev.rampart.cli.DataOptions;
import dev.rampart.cli.ExitCodes;
import dev.rampart.cli.UsageException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rampart users}: Rampart's own accounts, in DATA/cases.db. */
@Command(
    name = "users",
    mixinStandardHelpOptions = true,
    description = {
      "Rampart's users: add them, change roles and passwords, disable them. Passwords are stored",
      "as Argon2id hashes; five wrong passwords lock an account for 15 minutes. Every change goes",
      "to the audit trail (rampart audit list)."
    },
    subcommands = {
      UsersCommand.Add.class,
      UsersCommand.ListAll.class,
      UsersCommand.Role.class,
      UsersCommand.Passwd.class,
      UsersCommand.Disable.class,
      UsersCommand.Tenants.class
    },
    footer = {
      "",
      "Examples:",
      "  rampart users add alice --role analyst        # prints a generated password once",
      "  rampart users list",
      "  rampart users role alice admin",
      "  echo 'a new long passphrase' | rampart users passwd alice --stdin",
      "  rampart users disable bob",
      "  rampart users tenants ann acme globex         # ann sees only these tenants",
      "  rampart users tenants ann --all               # every tenant again"
    })
public final class UsersCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UsageException(
        "say what to do: add, list, role, passwd, disable or tenants (--help)");
  }

  static CaseStore open(DataOptions data) {
    return CaseStore.open("jdbc:sqlite:" + data.dataDir().resolve("cases.db"));
  }

  static String actor() {
    return dev.rampart.cli.Actor.name();
  }

  static String password(boolean stdin) throws Exception {
    if (!stdin) {
      return null;
    }
    String line =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    if (line == null) {
      throw new UsageException("--stdin: no password on standard input");
    }
    return line.strip();
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = "Add a user; without --stdin a password is generated and printed once.",
      footer = {"", "Examples:", "  rampart users add alice --role analyst"})
  static final class Add implements Callable<Integer> {
    @Mixin DataOptions data;

    @Parameters(paramLabel = "NAME", description = "Lower-case name.")
    String name;

    @Option(names = "--role", required = true, description = "admin, analyst, viewer or custom.")
    String role;

    @Option(names = "--stdin", description = "Read the password from standard input.")
    boolean stdin;

    @Override
    public Integer call() throws Exception {
      String given = password(stdin);
      String pw = given == null ? Passwords.generate() : given;
      try (CaseStore cases = open(data)) {
        new AccessStore(cases.db()).createUser(name, role, pw, actor());
      }
      if (given == null) {
        System.out.println(pw);
        System.err.println("rampart: user " + name + " added; the password above is shown once");
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List users with role, state and failed logins.",
      footer = {"", "Examples:", "  rampart users list"})
  static final class ListAll implements Callable<Integer> {
    @Mixin DataOptions data;

    @Override
    public Integer call() throws Exception {
      long now = System.currentTimeMillis();
      try (CaseStore cases = open(data)) {
        for (AccessStore.User u : new AccessStore(cases.db()).users()) {
          String state =
              u.disabled()
                  ? "disabled"
                  : u.lockedUntil() != null && u.lockedUntil() > now
                      ? "locked until " + Instant.ofEpochMilli(u.lockedUntil())
                      : "active";
          var tenants = new AccessStore(cases.db()).tenantsOf(u.name());
          System.out.printf(
              "%-24s %-10s %-30s tenants=%s failed=%d since %s%n",
              u.name(),
              u.role(),
              state,
              tenants.isEmpty() ? "all" : String.join(",", tenants),
              u.failedLogins(),
              Instant.ofEpochMilli(u.createdAt()));
        }
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "role",
      mixinStandardHelpOptions = true,
      description = "Change a user's role; their tokens narrow at once.",
      footer = {"", "Examples:", "  rampart users role alice admin"})
  static final class Role implements Callable<Integer> {
    @Mixin DataOptions data;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "ROLE")
    String role;

    @Override
    public Integer call() throws Exception {
      try (CaseStore cases = open(data)) {
        new AccessStore(cases.db()).setRole(name, role, actor());
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "passwd",
      mixinStandardHelpOptions = true,
      description = "Set a new password (generated and printed once without --stdin); unlocks.",
      footer = {
        "",
        "Examples:",
        "  rampart users passwd admin",
        "  rampart users passwd alice --stdin < pw.txt"
      })
  static final class Passwd implements Callable<Integer> {
    @Mixin DataOptions data;

    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--stdin", description = "Read the password from standard input.")
    boolean stdin;

    @Override
    public Integer call() throws Exception {
      String given = password(stdin);
      String pw = given == null ? Passwords.generate() : given;
      try (CaseStore cases = open(data)) {
        new AccessStore(cases.db()).setPassword(name, pw, actor());
      }
      if (given == null) {
        System.out.println(pw);
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "disable",
      mixinStandardHelpOptions = true,
      description = "Disable a user (no login; tokens stop working); --enable undoes it.",
      footer = {
        "",
        "Examples:",
        "  rampart users disable bob",
        "  rampart users disable bob --enable"
      })
  static final class Disable implements Callable<Integer> {
    @Mixin DataOptions data;

    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--enable", description = "Enable the user again.")
    boolean enable;

    @Override
    public Integer call() throws Exception {
      try (CaseStore cases = open(data)) {
        new AccessStore(cases.db()).setDisabled(name, !enable, actor());
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "tenants",
      mixinStandardHelpOptions = true,
      description = {
        "Set the tenants a user sees: their events, alerts and incidents only (tenants own",
        "inputs: the tenants section of the server config). No tenants: every tenant."
      },
      footer = {
        "",
        "Examples:",
        "  rampart users tenants ann acme",
        "  rampart users tenants ann --all"
      })
  static final class Tenants implements Callable<Integer> {
    @Mixin DataOptions data;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1..*", paramLabel = "TENANT", arity = "0..*")
    java.util.List<String> tenants = new java.util.ArrayList<>();

    @Option(names = "--all", description = "Every tenant (clears the list).")
    boolean all;

    @Override
    public Integer call() throws Exception {
      if (tenants.isEmpty() && !all) {
        throw new UsageException("name the tenants, or --all for every tenant");
      }
      try (CaseStore cases = open(data)) {
        var now =
            new AccessStore(cases.db())
                .setTenants(
                    name, all ? java.util.Set.of() : java.util.Set.copyOf(tenants), actor());
        System.out.println(
            name + " sees " + (now.isEmpty() ? "every tenant" : String.join(", ", now)));
      }
      return ExitCodes.OK;
    }
  }
}
