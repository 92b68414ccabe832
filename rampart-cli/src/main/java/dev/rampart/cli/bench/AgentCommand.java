package dev.rampart.cli.bench;

import dev.rampart.bench.AgentBench;
import dev.rampart.cli.Progress;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rampart bench agent}: the FIM baseline, beside AIDE on the same tree. */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description = {
      "Measure the agent: a FIM baseline (attributes and SHA-256 of every file) of --tree, in",
      "entries/s and MB/s, and AIDE's --init on the same tree with the same attributes when",
      "Debian's aide is installed (both with the tree already in the page cache)."
    },
    footer = {
      "",
      "Examples:",
      "  rampart bench agent",
      "  rampart bench agent --tree /usr/share --json",
      "",
      "JSON keys: baseline_files_per_s, baseline_mb_per_s, entries, aide_files_per_s,",
      "aide_entries, ratio, change_to_alert_p50_ms, change_to_alert_p99_ms, watch_mode (fanotify",
      "when the native plug-in loads and the process may use it, else inotify), and idle_rss_mb",
      "(null: not measured yet)."
    })
public final class AgentCommand implements Callable<Integer> {
  @Option(
      names = "--tree",
      defaultValue = "/usr",
      description = "The tree (default: ${DEFAULT-VALUE}).")
  Path tree;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    AgentBench.Result r;
    try (Progress p = Progress.start("baseline", -1, "entries")) {
      r = AgentBench.run(tree, p::set);
    }
    Double ratio =
        r.aideEntriesPerSecond() == null ? null : r.entriesPerSecond() / r.aideEntriesPerSecond();
    AgentBench.Latency lat = AgentBench.changeToAlert(200);
    if (json) {
      System.out.printf(
          Locale.ROOT,
          "{\"tree\":\"%s\",\"entries\":%d,\"baseline_files_per_s\":%.0f,\"baseline_mb_per_s\":%.1f,"
              + "\"aide_entries\":%s,\"aide_files_per_s\":%s,\"ratio\":%s,\"idle_rss_mb\":null,"
              + "\"change_to_alert_p50_ms\":%.2f,\"change_to_alert_p99_ms\":%.2f,\"watch_mode\":\"%s\"}%n",
          r.tree(),
          r.entries(),
          r.entriesPerSecond(),
          r.mbPerSecond(),
          r.aideEntries() == null ? "null" : r.aideEntries().toString(),
          r.aideEntriesPerSecond() == null
              ? "null"
              : String.format(Locale.ROOT, "%.0f", r.aideEntriesPerSecond()),
          ratio == null ? "null" : String.format(Locale.ROOT, "%.2f", ratio),
          lat.p50Ms(),
          lat.p99Ms(),
          lat.mode());
    } else {
      System.out.printf(
          Locale.ROOT,
          "baseline of %s: %,d entries, %,.0f MB in %.1f s: %,.0f entries/s, %.0f MB/s%n",
          r.tree(),
          r.entries(),
          r.bytes() / 1e6,
          r.seconds(),
          r.entriesPerSecond(),
          r.mbPerSecond());
      if (r.aideEntriesPerSecond() != null) {
        System.out.printf(
            Locale.ROOT,
            "AIDE --init, same tree and attributes: %,d entries in %.1f s: %,.0f entries/s (%.1fx)%n",
            r.aideEntries(),
            r.aideSeconds(),
            r.aideEntriesPerSecond(),
            ratio);
      } else {
        System.out.println("AIDE: " + r.aideProblem());
      }
      System.out.printf(
          Locale.ROOT,
          "change to report (%s, %d writes): p50 %.2f ms, p99 %.2f ms%n",
          lat.mode(),
          lat.changes(),
          lat.p50Ms(),
          lat.p99Ms());
      System.out.println("idle RSS: not yet (no resident agent process)");
    }
    return 0;
  }
}
