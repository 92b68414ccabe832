package dev.rampart.cli.vuln;

import dev.rampart.cli.DataOptions;
import dev.rampart.cli.UsageException;
import dev.rampart.vuln.match.VulnDb;
import dev.rampart.vuln.track.VulnStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rampart vuln feeds}: which advisory data is loaded, and how old it is. */
@Command(
    name = "feeds",
    mixinStandardHelpOptions = true,
    description = {
      "Advisory data Rampart matches against: list what is registered (kind, advisories, newest",
      "advisory, when loaded), register files or folders, or re-load them all after they changed",
      "and re-match every asset."
    },
    subcommands = {FeedsCommand.Add.class, FeedsCommand.Update.class},
    footer = {
      "",
      "Examples:",
      "  rampart vuln feeds",
      "  rampart vuln feeds add security-tracker/ osv-pypi.zip known_exploited_vulnerabilities.json",
      "  rampart vuln feeds update"
    })
public final class FeedsCommand implements Callable<Integer> {
  @Mixin DataOptions data;

  @Option(names = "--json", description = "Print JSON lines.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    try (Workspace w = Workspace.open(data)) {
      List<VulnStore.Feed> feeds = w.store.feeds();
      if (feeds.isEmpty()) {
        System.err.println("rampart: no feeds yet; add some with rampart vuln feeds add PATH");
        return 0;
      }
      long now = System.currentTimeMillis();
      if (!json) {
        System.out.printf(
            "%-20s %11s %8s %-10s %-9s %s%n",
            "KIND", "ADVISORIES", "PROBLEMS", "NEWEST", "LOADED", "PATH");
      }
      for (VulnStore.Feed f : feeds) {
        if (json) {
          System.out.printf(
              Locale.ROOT,
              "{\"path\":%s,\"kind\":%s,\"advisories\":%d,\"problems\":%d,\"newest\":%s,"
                  + "\"loaded_at\":%d}%n",
              quote(f.path()),
              quote(f.kind()),
              f.advisories(),
              f.problems(),
              f.newest() == null ? "null" : quote(f.newest()),
              f.loadedAt());
        } else {
          System.out.printf(
              "%-20s %,11d %,8d %-10s %-9s %s%n",
              f.kind(),
              f.advisories(),
              f.problems(),
              f.newest() == null ? "-" : f.newest(),
              age(now - f.loadedAt()) + " ago",
              f.path());
        }
      }
    }
    return 0;
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(s, b);
    return b.append('"').toString();
  }

  static String age(long ms) {
    Duration d = Duration.ofMillis(Math.max(0, ms));
    if (d.toDays() > 0) {
      return d.toDays() + "d";
    } else if (d.toHours() > 0) {
      return d.toHours() + "h";
    }
    return Math.max(1, d.toMinutes()) + "m";
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = {
        "Register advisory data (checked by loading it now): a Debian security-tracker checkout,",
        "OSV JSON/YAML files, folders or zips, Alpine secdb, the Node.js security WG repository or",
        "zip, or CISA's known_exploited_vulnerabilities.json[.gz]. Then re-match every asset."
      },
      footer = {
        "",
        "Examples:",
        "  rampart vuln feeds add ~/feeds/security-tracker ~/feeds/osv-go.zip",
        "  rampart vuln feeds add known_exploited_vulnerabilities.json"
      })
  static final class Add implements Callable<Integer> {
    @Mixin DataOptions data;

    @Parameters(paramLabel = "PATH", arity = "1..*")
    List<Path> paths;

    @Override
    public Integer call() throws Exception {
      try (Workspace w = Workspace.open(data)) {
        for (Path p : paths) {
          Workspace.Loaded l = Workspace.load(p, dev.rampart.cli.Actor.name());
          w.store.recordFeed(l.feed());
          System.err.printf(
              "%s: %,d %s, %d problems%n",
              p, l.feed().advisories(), l.feed().kind(), l.feed().problems());
        }
        return Update.rematch(w);
      }
    }
  }

  @Command(
      name = "update",
      mixinStandardHelpOptions = true,
      description = {
        "Re-load every registered feed from its path (after a git pull or a new download) and",
        "re-match every asset's last inventory: new advisories open findings, withdrawn ones close."
      },
      footer = {
        "",
        "Examples:",
        "  (cd ~/feeds/security-tracker && git pull) && rampart vuln feeds update"
      })
  static final class Update implements Callable<Integer> {
    @Mixin DataOptions data;

    @Override
    public Integer call() throws Exception {
      try (Workspace w = Workspace.open(data)) {
        for (VulnStore.Feed f : w.store.feeds()) {
          Workspace.Loaded l = Workspace.load(Path.of(f.path()), dev.rampart.cli.Actor.name());
          w.store.recordFeed(l.feed());
          System.err.printf(
              "%s: %,d %s (was %,d)%n", f.path(), l.feed().advisories(), f.kind(), f.advisories());
        }
        return rematch(w);
      }
    }

    static int rematch(Workspace w) throws Exception {
      if (w.store.assets().isEmpty()) {
        return 0;
      }
      VulnDb db;
      try {
        db = w.advisories(true);
      } catch (UsageException e) {
        return 0; // only KEV so far: nothing to match
      }
      int opened = 0;
      int fixed = 0;
      List<VulnStore.ImportResult> rs = w.store.rematch(db, dev.rampart.cli.Actor.name());
      for (VulnStore.ImportResult r : rs) {
        opened += r.opened() + r.reopened();
        fixed += r.fixed();
      }
      System.err.printf(
          "re-matched %,d assets: %,d findings opened, %,d closed%n", rs.size(), opened, fixed);
      return 0;
    }
  }
}
