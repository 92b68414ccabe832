package dev.rampart.cli.bench;

import dev.rampart.bench.IngestBench;
import dev.rampart.cli.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rampart bench ingest}: end-to-end ingestion over 127.0.0.1. */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = {
      "Measure ingestion end to end on this machine: RFC 5424 syslog over TCP on 127.0.0.1 from",
      "several connections, parsed by the syslog parser on all cores, appended to a spool on disk",
      "with fsync per batch; messages/s counted when spooled. The spool lives in a temporary",
      "folder that is deleted afterwards. Then the same load against rsyslog (imtcp in, omfile",
      "out) when it is installed, for the ratio. Then Elasticsearch _bulk over HTTP: clients",
      "posting 1,000 Filebeat-like JSON documents per request, answered after the fsync."
    },
    footer = {
      "",
      "Examples:",
      "  rampart bench ingest",
      "  rampart bench ingest --json --seconds 20 --connections 4",
      "",
      "JSON keys: syslog_tcp_msgs_per_s and rsyslog_msgs_per_s (medians over the rounds; rsyslog",
      "null when not installed), ratio, syslog_tcp_rounds and rsyslog_rounds (every round),",
      "http_bulk_events_per_s, http_bulk_requests, http_bulk_refused, the last round's",
      "messages, seconds and dropped, and page_cache: how the spool keeps its page cache small",
      "(posix_fadvise: the newest 256 MiB kept, the rest dropped once on disk; none: left to the",
      "system, on Java 21 or off Linux). Progress goes to stderr; each phase warms up for 2 s",
      "and starts on a settled disk."
    })
public final class IngestCommand implements Callable<Integer> {
  @Option(
      names = "--seconds",
      defaultValue = "10",
      description = "Measurement time of each phase, in seconds (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(
      names = "--connections",
      defaultValue = "2",
      description = "Sending TCP connections (default: ${DEFAULT-VALUE}).")
  int connections;

  @Option(
      names = "--clients",
      defaultValue = "4",
      description = "Concurrent HTTP bulk clients (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(
      names = "--rounds",
      defaultValue = "3",
      description =
          "Rounds of Rampart then rsyslog, alternating; the medians are reported (default:"
              + " ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  static double median(List<Double> xs) {
    List<Double> sorted = new ArrayList<>(xs);
    java.util.Collections.sort(sorted);
    int n = sorted.size();
    return n == 0
        ? 0
        : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String rounded(List<Double> xs) {
    return "["
        + String.join(",", xs.stream().map(x -> String.format(Locale.ROOT, "%.0f", x)).toList())
        + "]";
  }

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("rampart-bench-ingest");
    try {
      // Each phase starts on a quiet disk: the previous phase's gigabytes deleted and written back,
      // so that no phase pays for another's writeback.
      // Rampart and rsyslog alternate for a few rounds and the medians are compared: this machine's
      // speed drifts by a fifth from minute to minute, which a single run of each would compare.
      IngestBench.settleDisk(null);
      List<Double> ours = new ArrayList<>();
      List<Double> theirs = new ArrayList<>();
      IngestBench.Result r = null;
      double rsyslog = -1;
      for (int round = 1; round <= Math.max(1, rounds); round++) {
        System.err.printf(
            Locale.ROOT, "round %d: syslog TCP into rampart (%.0f s) ...%n", round, seconds + 2);
        IngestBench.Result one =
            IngestBench.syslogTcp(dir.resolve("rampart"), connections, seconds);
        ours.add(one.syslogTcpPerSecond());
        r = one; // messages, seconds and dropped in the JSON are the last round's
        IngestBench.settleDisk(dir.resolve("rampart"));
        System.err.printf(
            Locale.ROOT, "round %d: the same into rsyslog (%.0f s) ...%n", round, seconds + 2);
        double other = IngestBench.rsyslog(dir.resolve("rsyslog"), connections, seconds);
        IngestBench.settleDisk(dir.resolve("rsyslog"));
        if (other >= 0) {
          theirs.add(other);
        }
      }
      double syslogMedian = median(ours);
      rsyslog = theirs.isEmpty() ? -1 : median(theirs);
      System.err.printf(Locale.ROOT, "HTTP _bulk into rampart (%.0f s) ...%n", seconds + 2);
      IngestBench.BulkResult bulk = IngestBench.httpBulk(dir.resolve("bulk"), clients, seconds);
      if (json) {
        System.out.printf(
            Locale.ROOT,
            "{\"syslog_tcp_msgs_per_s\":%.0f,\"rsyslog_msgs_per_s\":%s,\"ratio\":%s,\"http_bulk_events_per_s\":%.0f,\"http_bulk_requests\":%d,\"http_bulk_refused\":%d,\"syslog_tcp_rounds\":%s,\"rsyslog_rounds\":%s,\"messages\":%d,\"seconds\":%.1f,\"dropped\":%d,\"page_cache\":\"%s\"}%n",
            syslogMedian,
            rsyslog < 0 ? "null" : String.format(Locale.ROOT, "%.0f", rsyslog),
            rsyslog <= 0 ? "null" : String.format(Locale.ROOT, "%.2f", syslogMedian / rsyslog),
            bulk.eventsPerSecond(),
            bulk.requests(),
            bulk.refused(),
            rounded(ours),
            rounded(theirs),
            r.messages(),
            r.seconds(),
            r.dropped(),
            dev.rampart.ingest.spool.PageCache.system().name());
      } else {
        System.out.printf(
            Locale.ROOT,
            "rampart     %,10.0f messages/s  (syslog TCP, parsed, spooled with fsync per batch;"
                + " median of %s; spool page cache: %s)%n",
            syslogMedian,
            rounded(ours),
            dev.rampart.ingest.spool.PageCache.system().name());
        if (rsyslog < 0) {
          System.out.println("rsyslog     not installed (apt-get install rsyslog) — no comparison");
        } else {
          System.out.printf(
              Locale.ROOT,
              "rsyslog     %,10.0f messages/s  (imtcp in, omfile out; median of %s)   ratio %.2f%n",
              rsyslog,
              rounded(theirs),
              syslogMedian / rsyslog);
        }
        System.out.printf(
            Locale.ROOT,
            "http bulk   %,10.0f events/s    (_bulk, %d clients, 1,000 JSON documents per request, %d requests, %d refused)%n",
            bulk.eventsPerSecond(),
            clients,
            bulk.requests(),
            bulk.refused());
      }
    } finally {
      try (var walk = Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    return ExitCodes.OK;
  }
}
