package dev.rampart.cli.bench;

import dev.rampart.bench.AgentBench;
import dev.rampart.cli.Progress;
import java.nio.file.Path;
import java.util.List;
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
      "when the native plug-in loads and the process may use it, else inotify), idle_rss_mb and",
      "idle_cpu_percent (rampart agent run watching /etc in a child JVM, 25 s after start, over",
      "10 s; null when it could not run)."
    })
public final class AgentCommand implements Callable<Integer> {
  @Option(
      names = "--agent-java-options",
      description =
          "JVM options for the idle agent measured (as RAMPART_JAVA_OPTS would give it), e.g."
              + " \"-Xmx64m -XX:+UseSerialGC\".")
  String agentJavaOptions;

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
    AgentBench.Idle idle =
        AgentBench.idle(
            Path.of("/etc"),
            agentJavaOptions == null ? List.of() : List.of(agentJavaOptions.trim().split("\\s+")),
            java.time.Duration.ofSeconds(25),
            java.time.Duration.ofSeconds(10));
    if (json) {
      System.out.printf(
          Locale.ROOT,
          "{\"tree\":\"%s\",\"entries\":%d,\"baseline_files_per_s\":%.0f,\"baseline_mb_per_s\":%.1f,"
              + "\"aide_entries\":%s,\"aide_files_per_s\":%s,\"ratio\":%s,\"idle_rss_mb\":%s,"
              + "\"idle_cpu_percent\":%s,"
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
          idle.rssMb() == null ? "null" : String.format(Locale.ROOT, "%.1f", idle.rssMb()),
          idle.cpuPercent() == null
              ? "null"
              : String.format(Locale.ROOT, "%.2f", idle.cpuPercent()),
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
      System.out.println(
          idle.problem() != null
              ? "idle agent: not measured: " + idle.problem()
              : String.format(
                  Locale.ROOT,
                  "idle agent (rampart agent run watching /etc, server away): RSS %.0f MB, CPU %.2f %% of a core",
                  idle.rssMb(),
                  idle.cpuPercent()));
    }
    return 0;
  }
}
