package dev.rampart.cli.intel;

import dev.rampart.cli.DataOptions;
import dev.rampart.cli.ExitCodes;
import dev.rampart.cli.UsageException;
import dev.rampart.intel.Indicator;
import dev.rampart.intel.feed.Feeds;
import dev.rampart.intel.index.IntelIndex;
import dev.rampart.intel.store.IntelStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rampart intel}: import indicator feeds, see what is held, look a value up. */
@Command(
    name = "intel",
    mixinStandardHelpOptions = true,
    description = {
      "Threat-intelligence indicators (IP addresses and networks, domains, URLs, MD5, SHA-1,",
      "SHA-256) from STIX 2.1 bundles, MISP event JSON and CSV files. They are kept in",
      "DATA/intel; a running server picks up an import within seconds, matches every event",
      "against them, and searches the last 30 days of stored events for the new ones."
    },
    subcommands = {IntelCommand.Import.class, IntelCommand.Stats.class, IntelCommand.Check.class},
    footer = {
      "",
      "Examples:",
      "  rampart intel import feed.stix.json misp-event.json blocklist.csv",
      "  rampart intel import bad-ips.txt --format csv --source edge-blocklist",
      "  rampart intel stats",
      "  rampart intel check 198.51.100.7 www.evil.example"
    })
public final class IntelCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UsageException("say what to do: import, stats or check (--help)");
  }

  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description = "Read feed files and add their indicators; what cannot be used is listed.",
      footer = {"", "Examples:", "  rampart intel import feed.stix.json --source cert-eu"})
  static final class Import implements Callable<Integer> {
    @Mixin DataOptions data;

    @Parameters(paramLabel = "FILE", arity = "1..*")
    List<Path> files;

    @Option(
        names = "--format",
        defaultValue = "auto",
        description = "auto, stix, misp or csv (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--source", description = "The feed's name in alerts (default: the file name).")
    String source;

    @Override
    public Integer call() throws Exception {
      Feeds.Format f;
      try {
        f = Feeds.Format.valueOf(format.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--format is auto, stix, misp or csv");
      }
      IntelStore store = new IntelStore(data.dataDir());
      int unreadable = 0;
      for (Path file : files) {
        Feeds.Result r;
        try {
          r = Feeds.read(file, f, source);
        } catch (java.nio.charset.CharacterCodingException e) {
          System.err.println(
              file
                  + ": cannot read it as a feed: not UTF-8 text (a STIX or MISP JSON file or a CSV)");
          unreadable++;
          continue;
        } catch (java.io.IOException e) {
          System.err.println(file + ": cannot read it as a feed: " + e.getMessage());
          unreadable++;
          continue;
        }
        store.append(r.indicators());
        r.problems().stream().limit(20).forEach(p -> System.err.println(p));
        if (r.problems().size() > 20) {
          System.err.printf("%s: %d more problems%n", file, r.problems().size() - 20);
        }
        System.out.printf(
            "%s: %,d indicators imported, %,d skipped%n",
            file, r.indicators().size(), r.problems().size());
      }
      return unreadable > 0 ? ExitCodes.USAGE : ExitCodes.OK;
    }
  }

  @Command(
      name = "stats",
      mixinStandardHelpOptions = true,
      description = "Indicators held, by type and by source.",
      footer = {"", "Examples:", "  rampart intel stats --data data"})
  static final class Stats implements Callable<Integer> {
    @Mixin DataOptions data;

    @Override
    public Integer call() throws Exception {
      IntelStore.Loaded l = new IntelStore(data.dataDir()).load();
      IntelIndex idx = l.index();
      System.out.printf(
          "%,d indicators (%,d lines, %,d damaged)%n", idx.size(), l.lines(), l.damaged());
      idx.counts().forEach((t, n) -> System.out.printf("  %-8s %,d%n", t.label(), n));
      java.util.Map<String, Integer> bySource = new java.util.TreeMap<>();
      long now = System.currentTimeMillis();
      int expired = 0;
      for (int i = 0; i < idx.size(); i++) {
        Indicator ind = idx.indicator(i);
        bySource.merge(ind.source(), 1, Integer::sum);
        if (!ind.live(now)) {
          expired++;
        }
      }
      System.out.printf("%,d expired (kept, no longer matching)%n", expired);
      bySource.forEach((s, n) -> System.out.printf("  source %-30s %,d%n", s, n));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = "Look values up: the indicator each matches, if any (exit 1 when one does).",
      footer = {"", "Examples:", "  rampart intel check 198.51.100.7 a.b.evil.example"})
  static final class Check implements Callable<Integer> {
    @Mixin DataOptions data;

    @Parameters(paramLabel = "VALUE", arity = "1..*")
    List<String> values;

    @Override
    public Integer call() throws Exception {
      IntelIndex idx = new IntelStore(data.dataDir()).load().index();
      long now = System.currentTimeMillis();
      List<String> hits = new ArrayList<>();
      for (String v : values) {
        String s = v.strip();
        int i = idx.lookup(s);
        if (i < 0) {
          System.out.println(s + "  no indicator");
          continue;
        }
        Indicator ind = idx.indicator(i);
        hits.add(s);
        System.out.printf(
            "%s  %s %s  source=%s confidence=%d%s%s%n",
            s,
            ind.type().label(),
            ind.value(),
            ind.source(),
            ind.confidence(),
            ind.expiresAt() == 0 ? "" : " expires=" + Instant.ofEpochMilli(ind.expiresAt()),
            idx.live(i, now) ? "" : " (expired)");
      }
      return hits.isEmpty() ? ExitCodes.OK : ExitCodes.FINDINGS;
    }
  }
}
