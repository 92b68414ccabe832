package dev.rampart.cli.bench;

import dev.rampart.bench.IngestBench;
import dev.rampart.cli.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
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
      "JSON keys: syslog_tcp_msgs_per_s, rsyslog_msgs_per_s (null without rsyslog), ratio,",
      "http_bulk_events_per_s, http_bulk_requests, http_bulk_refused, messages, seconds,",
      "dropped. Progress goes to stderr; each phase warms up for 2 s before it measures."
    })
public final class IngestCommand implements Callable<Integer> {
  @Option(
      names = "--seconds",
      defaultValue = "10",
      description = "Measurement time (default: ${DEFAULT-VALUE}).")
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

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("rampart-bench-ingest");
    try {
      // Each phase starts on a quiet disk: the previous phase's gigabytes deleted and written back,
      // so that no phase pays for another's writeback.
      IngestBench.settleDisk(null);
      System.err.printf(Locale.ROOT, "syslog TCP into rampart (%.0f s) ...%n", seconds + 2);
      IngestBench.Result r = IngestBench.syslogTcp(dir.resolve("rampart"), connections, seconds);
      IngestBench.settleDisk(dir.resolve("rampart"));
      System.err.printf(Locale.ROOT, "the same into rsyslog (%.0f s) ...%n", seconds + 2);
      double rsyslog = IngestBench.rsyslog(dir.resolve("rsyslog"), connections, seconds);
      IngestBench.settleDisk(dir.resolve("rsyslog"));
      System.err.printf(Locale.ROOT, "HTTP _bulk into rampart (%.0f s) ...%n", seconds + 2);
      IngestBench.BulkResult bulk = IngestBench.httpBulk(dir.resolve("bulk"), clients, seconds);
      if (json) {
        System.out.printf(
            Locale.ROOT,
            "{\"syslog_tcp_msgs_per_s\":%.0f,\"rsyslog_msgs_per_s\":%s,\"ratio\":%s,\"http_bulk_events_per_s\":%.0f,\"http_bulk_requests\":%d,\"http_bulk_refused\":%d,\"messages\":%d,\"seconds\":%.1f,\"dropped\":%d}%n",
            r.syslogTcpPerSecond(),
            rsyslog < 0 ? "null" : String.format(Locale.ROOT, "%.0f", rsyslog),
            rsyslog <= 0
                ? "null"
                : String.format(Locale.ROOT, "%.2f", r.syslogTcpPerSecond() / rsyslog),
            bulk.eventsPerSecond(),
            bulk.requests(),
            bulk.refused(),
            r.messages(),
            r.seconds(),
            r.dropped());
      } else {
        System.out.printf(
            Locale.ROOT,
            "rampart     %,10.0f messages/s  (syslog TCP, parsed, spooled with fsync per batch)%n",
            r.syslogTcpPerSecond());
        if (rsyslog < 0) {
          System.out.println("rsyslog     not installed (apt-get install rsyslog) — no comparison");
        } else {
          System.out.printf(
              Locale.ROOT,
              "rsyslog     %,10.0f messages/s  (imtcp in, omfile out)   ratio %.2f%n",
              rsyslog,
              r.syslogTcpPerSecond() / rsyslog);
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
