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
      "folder that is deleted afterwards."
    },
    footer = {
      "",
      "Examples:",
      "  rampart bench ingest",
      "  rampart bench ingest --json --seconds 20 --connections 4",
      "",
      "JSON keys: syslog_tcp_msgs_per_s, messages, seconds, dropped. HTTP bulk and the rsyslog",
      "comparison are not measured yet."
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

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("rampart-bench-ingest");
    try {
      IngestBench.Result r = IngestBench.syslogTcp(dir, connections, seconds);
      if (json) {
        System.out.printf(
            Locale.ROOT,
            "{\"syslog_tcp_msgs_per_s\":%.0f,\"messages\":%d,\"seconds\":%.1f,\"dropped\":%d}%n",
            r.syslogTcpPerSecond(),
            r.messages(),
            r.seconds(),
            r.dropped());
      } else {
        System.out.printf(
            Locale.ROOT,
            "syslog TCP  %,10.0f messages/s  (%,d messages in %.1f s, parsed and spooled with fsync)%n",
            r.syslogTcpPerSecond(),
            r.messages(),
            r.seconds());
      }
    } finally {
      try (var walk = Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    return ExitCodes.OK;
  }
}
