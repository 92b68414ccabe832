package dev.rampart.cli.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.agent.fim.Fim;
import dev.rampart.agent.fim.FimDb;
import dev.rampart.cli.ExitCodes;
import dev.rampart.cli.Progress;
import dev.rampart.cli.UsageException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rampart agent}: the host agent's commands. */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description = {
      "The host agent: enrol with a server, run (file integrity in real time, logs, journal,",
      "inventory, configuration checks, all through a write-ahead log over mutual TLS), or use",
      "its parts offline: fim init/check like AIDE, inventory, sca."
    },
    subcommands = {
      EnrollCommand.class,
      RunCommand.class,
      RenewCommand.class,
      AgentCommand.FimCommand.class,
      AgentCommand.InventoryCommand.class,
      AgentCommand.ScaCommand.class
    },
    footer = {
      "",
      "Examples:",
      "  rampart agent enroll --server https://soc:8444 --token rae_... --fingerprint AB:..."
          + " --data /var/lib/rampart-agent",
      "  rampart agent run --config /etc/rampart/agent.yml",
      "  rampart agent renew --data /var/lib/rampart-agent",
      "  rampart agent fim init --db /var/lib/rampart/fim.db /etc /usr/bin",
      "  rampart agent fim check --db /var/lib/rampart/fim.db /etc /usr/bin --json"
    })
public final class AgentCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UsageException(
        "say what to do: enroll, run, renew, fim, inventory or sca (rampart agent --help)");
  }

  @Command(
      name = "fim",
      mixinStandardHelpOptions = true,
      description = "File integrity: make a baseline (init), compare with it (check).",
      subcommands = {Init.class, Check.class, Watch.class},
      footer = {
        "",
        "Examples:",
        "  rampart agent fim init --db fim.db --exclude '*.log' /etc",
        "  rampart agent fim check --db fim.db --exclude '*.log' /etc --json"
      })
  public static final class FimCommand implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new UsageException("say what to do: init or check (rampart agent fim --help)");
    }
  }

  @Command(
      name = "inventory",
      mixinStandardHelpOptions = true,
      description = {
        "What this host is and runs: OS and kernel, listening TCP/UDP sockets with their",
        "processes, users and groups, and the installed packages (dpkg or apk database). With",
        "--asset, the packages go to the vulnerability module as that asset's inventory (its",
        "release from os-release), and its findings are brought up to date."
      },
      footer = {
        "",
        "Examples:",
        "  rampart agent inventory",
        "  rampart agent inventory --json",
        "  rampart agent inventory --asset $(hostname) --data /var/lib/rampart",
        "  rampart agent inventory --root /mnt/seized-disk --json     # an image mounted read-only"
      })
  static final class InventoryCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin dev.rampart.cli.DataOptions data;

    @Option(names = "--root", defaultValue = "/", description = "Read the host under this folder.")
    Path root;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--asset", description = "Import the packages as this asset's inventory.")
    String asset;

    @Override
    public Integer call() throws Exception {
      dev.rampart.agent.inventory.HostInventory.Inventory inv =
          dev.rampart.agent.inventory.HostInventory.read(root);
      inv.problems().forEach(p -> System.err.println("rampart: " + p));
      dev.rampart.vuln.inventory.Inventory packages = null;
      if (inv.packageDb() != null) {
        packages =
            dev.rampart.vuln.inventory.InventoryFormat.read(
                inv.packageDb(),
                dev.rampart.vuln.inventory.InventoryFormat.of(inv.packageFormat()),
                asset == null ? inv.hostname() : asset,
                inv.os().distro());
      }
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hostname", inv.hostname());
        m.put("os", inv.os());
        m.put("distro", inv.os().distro());
        m.put("listeners", inv.listeners());
        m.put("users", inv.users());
        m.put("groups", inv.groups());
        List<Map<String, String>> ps = new ArrayList<>();
        if (packages != null) {
          for (var p : packages.packages()) {
            ps.add(
                Map.of(
                    "name",
                    p.name(),
                    "version",
                    p.version(),
                    "purl",
                    p.purl(),
                    "source",
                    p.sourceName()));
          }
        }
        m.put("packages", ps);
        System.out.println(new ObjectMapper().writeValueAsString(m));
      } else {
        System.out.printf(
            "%s: %s, kernel %s; %d packages (%s), %d users, %d groups%n",
            inv.hostname(),
            inv.os().prettyName(),
            inv.os().kernel(),
            packages == null ? 0 : packages.packages().size(),
            inv.packageFormat() == null ? "no package database" : inv.packageFormat(),
            inv.users().size(),
            inv.groups().size());
        System.out.printf("%-5s %-40s %6s %8s %s%n", "PROTO", "ADDRESS", "PORT", "PID", "PROCESS");
        for (var l : inv.listeners()) {
          System.out.printf(
              "%-5s %-40s %6d %8s %s%n",
              l.protocol(),
              l.address(),
              l.port(),
              l.pid() == null ? "-" : l.pid(),
              l.process() == null ? "" : l.process());
        }
      }
      if (asset != null) {
        if (packages == null) {
          throw new UsageException("no package database under " + root + " to import");
        }
        try (dev.rampart.cli.vuln.Workspace w = dev.rampart.cli.vuln.Workspace.open(data)) {
          var r =
              w.store.importInventory(
                  packages,
                  new dev.rampart.vuln.track.VulnStore.ImportOptions(
                      inv.os().distro(),
                      false,
                      "medium",
                      null,
                      "agent inventory " + inv.packageDb()),
                  w.advisories(true),
                  dev.rampart.cli.Actor.name());
          System.err.printf(
              "%s: %,d packages; findings: %,d new, %,d reopened, %,d still open, %,d fixed%n",
              asset,
              packages.packages().size(),
              r.opened(),
              r.reopened(),
              r.stillOpen(),
              r.fixed());
        }
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "sca",
      mixinStandardHelpOptions = true,
      description = {
        "Configuration checks: run a policy (Rampart's Debian 12 hardening policy by default, or",
        "--policy files in Rampart's or Wazuh's SCA YAML) and report pass, fail or",
        "not-applicable per check with the evidence. Exit 1 when a check fails."
      },
      footer = {
        "",
        "Examples:",
        "  rampart agent sca",
        "  rampart agent sca --json",
        "  rampart agent sca --policy cis_debian12.yml          # a Wazuh SCA policy file",
        "  rampart agent sca --root /mnt/image                  # files only: commands need the live host"
      })
  static final class ScaCommand implements Callable<Integer> {
    @Option(names = "--policy", paramLabel = "FILE", description = "Policy files (repeatable).")
    List<Path> policies = new ArrayList<>();

    @Option(
        names = "--root",
        defaultValue = "/",
        description = "Assess the host under this folder.")
    Path root;

    @Option(names = "--json", description = "Print one JSON object per policy.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      List<dev.rampart.agent.sca.Sca.Policy> ps = new ArrayList<>();
      try {
        if (policies.isEmpty()) {
          ps.add(dev.rampart.agent.sca.Sca.debian12());
        }
        for (Path f : policies) {
          ps.add(dev.rampart.agent.sca.Sca.read(f));
        }
      } catch (dev.rampart.agent.sca.Sca.PolicyException e) {
        throw new UsageException(e.getMessage());
      }
      boolean failed = false;
      for (var p : ps) {
        var results = dev.rampart.agent.sca.Sca.run(p, root);
        long pass = results.stream().filter(r -> r.outcome().equals("pass")).count();
        long fail = results.stream().filter(r -> r.outcome().equals("fail")).count();
        failed |= fail > 0;
        if (json) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("policy", p.id());
          m.put("name", p.name());
          m.put("pass", pass);
          m.put("fail", fail);
          m.put("not_applicable", results.size() - pass - fail);
          m.put("score", pass + fail == 0 ? null : Math.round(100.0 * pass / (pass + fail)));
          m.put("checks", results);
          System.out.println(new ObjectMapper().writeValueAsString(m));
        } else {
          System.out.printf("%s (%s)%n", p.name(), p.id());
          for (var r : results) {
            System.out.printf("  %-14s %-30s %s%n", r.outcome(), r.id(), r.title());
            if (r.outcome().equals("fail")) {
              r.evidence().forEach(e -> System.out.println("                   " + e));
            }
          }
          System.out.printf(
              "  %d pass, %d fail, %d not applicable%s%n",
              pass,
              fail,
              results.size() - pass - fail,
              pass + fail == 0 ? "" : ", score " + Math.round(100.0 * pass / (pass + fail)) + "%");
        }
      }
      return failed ? ExitCodes.FINDINGS : ExitCodes.OK;
    }
  }

  abstract static class Scan {
    @Option(names = "--db", required = true, paramLabel = "FILE", description = "The baseline.")
    Path db;

    @Option(
        names = "--exclude",
        paramLabel = "GLOB",
        description = "Leave out matching paths or names (repeatable): '*.log', '/var/cache/**'.")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--threads", description = "Hashing threads (default: the number of cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Files or folders to watch.")
    List<Path> paths;

    FimDb.Baseline baseline() {
      try {
        return FimDb.read(db);
      } catch (IOException e) {
        throw new UsageException(e.getMessage());
      }
    }

    Fim.State scan(Map<String, Fim.Entry> previous, boolean full) throws Exception {
      if (threads < 1 || threads > 256) {
        throw new UsageException("--threads is 1..256");
      }
      try (Progress p = Progress.start("fim", -1, "entries")) {
        Fim.State s = Fim.scan(paths, new Fim.Options(exclude, threads, full), previous, p::set);
        for (Fim.Problem pr : s.problems()) {
          System.err.println(pr.path() + ": " + pr.message() + "; skipped");
        }
        return s;
      }
    }
  }

  @Command(
      name = "init",
      mixinStandardHelpOptions = true,
      description = {
        "Record the baseline: type, mode (with setuid/setgid/sticky), owner, group, size,",
        "mtime, ctime, inode, link count, link target, user xattrs and the SHA-256 of every",
        "file under the paths (links are not followed). Unreadable paths are reported and skipped."
      },
      footer = {
        "",
        "Examples:",
        "  rampart agent fim init --db fim.db /etc /usr/bin /usr/sbin",
        "  rampart agent fim init --db fim.db --exclude '/etc/mtab' --exclude '*.swp' /etc"
      })
  static final class Init extends Scan implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      long t0 = System.nanoTime();
      Fim.State s = scan(null, true);
      FimDb.write(
          db,
          new FimDb.Header(
              1,
              paths.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList(),
              exclude,
              System.currentTimeMillis()),
          s.entries());
      double secs = (System.nanoTime() - t0) / 1e9;
      System.err.printf(
          java.util.Locale.ROOT,
          "%s: %,d entries in %.1f s (%,.0f/s), %d problems%n",
          db,
          s.entries().size(),
          secs,
          s.entries().size() / Math.max(secs, 1e-9),
          s.problems().size());
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "watch",
      mixinStandardHelpOptions = true,
      description = {
        "Report changes as they happen (one line, or one JSON object, per change), judged against",
        "the baseline like check. Runs until interrupted. Mode: inotify through Java's watch",
        "service (degraded: the process that made a change is not known yet)."
      },
      footer = {
        "",
        "Examples:",
        "  rampart agent fim watch --db fim.db /etc --json",
        "  rampart agent fim watch --db fim.db --exclude '*.swp' /etc /usr/bin"
      })
  static final class Watch extends Scan implements Callable<Integer> {
    @Option(names = "--json", description = "Print one JSON object per change.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      FimDb.Baseline base = baseline();
      ObjectMapper m = new ObjectMapper();
      try (dev.rampart.agent.fim.FimWatcher w =
          new dev.rampart.agent.fim.FimWatcher(
              paths,
              base.entries(),
              new Fim.Options(exclude, threads, false),
              c -> {
                try {
                  System.out.println(
                      json
                          ? m.writeValueAsString(
                              Map.of(
                                  "kind", c.kind(), "path", c.path(), "attributes", c.attributes()))
                          : c.kind()
                              + "  "
                              + c.path()
                              + (c.attributes().isEmpty()
                                  ? ""
                                  : " (" + String.join(", ", c.attributes()) + ")"));
                  System.out.flush();
                } catch (IOException e) {
                  // stdout closed: nothing to report to
                }
              })) {
        System.err.printf(
            "watching %,d folders (%s); Ctrl-C stops%n", w.watchedFolders(), w.mode());
        Thread.currentThread().join(); // until interrupted
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "Compare the paths with the baseline: added, removed, renamed (same inode, or the same",
        "content) and changed, each change named (content, size, mode, uid, gid, mtime, ctime,",
        "inode, nlink, linkname, ftype, xattrs). Reading a file (atime) is not a change. Files",
        "whose size, mtime, ctime and inode are unchanged are not re-hashed unless --full.",
        "Exit 1 when something changed."
      },
      footer = {
        "",
        "Examples:",
        "  rampart agent fim check --db fim.db /etc --json",
        "  rampart agent fim check --db fim.db /etc --update     # accept the changes as the new baseline"
      })
  static final class Check extends Scan implements Callable<Integer> {
    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--full", description = "Re-hash every file.")
    boolean full;

    @Option(names = "--update", description = "Write the current state as the new baseline.")
    boolean update;

    @Option(
        names = "--no-package-check",
        description = "Do not check changed files against dpkg's recorded digests.")
    boolean noPackages;

    @Override
    public Integer call() throws Exception {
      FimDb.Baseline base = baseline();
      Fim.State now = scan(base.entries(), full);
      // compare only what these paths cover: a baseline of more paths is not "removed" here
      List<String> roots =
          paths.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList();
      Map<String, Fim.Entry> before = new LinkedHashMap<>();
      for (Fim.Entry e : base.entries().values()) {
        for (String r : roots) {
          if (e.path().equals(r) || e.path().startsWith(r.endsWith("/") ? r : r + "/")) {
            before.put(e.path(), e);
            break;
          }
        }
      }
      Fim.Diff d = Fim.compare(before, now.entries());
      // content the package manager shipped: a package install or upgrade, not an intrusion
      Map<String, String> byPackage = new java.util.TreeMap<>();
      if (!noPackages) {
        dev.rampart.agent.fim.PackageDigests pkgs =
            dev.rampart.agent.fim.PackageDigests.of(Path.of("/"));
        for (var it = d.changed().entrySet().iterator(); it.hasNext(); ) {
          var e = it.next();
          if (e.getValue().contains("content")) {
            String pkg = pkgs.verify(Path.of("/"), e.getKey());
            if (pkg != null) {
              byPackage.put(e.getKey(), pkg);
              it.remove();
            }
          }
        }
      }
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("added", d.added());
        m.put("removed", d.removed());
        List<Map<String, String>> renamed = new ArrayList<>();
        for (Fim.Rename r : d.renamed()) {
          renamed.add(Map.of("from", r.from(), "to", r.to()));
        }
        m.put("renamed", renamed);
        m.put("changed", d.changed());
        m.put("changed_by_packages", byPackage);
        System.out.println(new ObjectMapper().writeValueAsString(m));
      } else {
        d.added().forEach(p -> System.out.println("added    " + p));
        d.removed().forEach(p -> System.out.println("removed  " + p));
        d.renamed().forEach(r -> System.out.println("renamed  " + r.from() + " -> " + r.to()));
        d.changed()
            .forEach(
                (p, a) -> System.out.println("changed  " + p + " (" + String.join(", ", a) + ")"));
        byPackage.forEach(
            (p, k) -> System.out.println("package  " + p + " (as " + k + " shipped it)"));
        System.err.printf(
            "%,d added, %,d removed, %,d renamed, %,d changed of %,d entries%n",
            d.added().size(),
            d.removed().size(),
            d.renamed().size(),
            d.changed().size(),
            now.entries().size());
      }
      if (update) {
        FimDb.write(
            db, new FimDb.Header(1, roots, exclude, System.currentTimeMillis()), now.entries());
      }
      return d.empty() ? ExitCodes.OK : ExitCodes.FINDINGS;
    }
  }
}
