package dev.rampart.cli.bench;

import dev.rampart.bench.CasesBench;
import dev.rampart.bench.IngestBench;
import dev.rampart.cli.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rampart bench cases}: incident listing at scale in PostgreSQL. */
@Command(
    name = "cases",
    mixinStandardHelpOptions = true,
    description = {
      "Measure incident listing: a PostgreSQL (embedded, in a temporary folder, unless",
      "--jdbc-url names one) gets --incidents incidents over 90 days, then the console's listing",
      "calls run --calls times: the newest page, by status, by priority, by owner, and ten pages",
      "deep by cursor. Reports p50 and p95 per call."
    },
    footer = {
      "",
      "Examples:",
      "  rampart bench cases",
      "  rampart bench cases --incidents 100000 --json",
      "",
      "JSON keys: incident_list_p50_ms, incident_list_p95_ms, incidents, seed_seconds, calls."
    })
public final class CasesCommand implements Callable<Integer> {
  @Option(
      names = "--incidents",
      defaultValue = "1000000",
      description = "Incidents (default: ${DEFAULT-VALUE}).")
  long incidents;

  @Option(
      names = "--calls",
      defaultValue = "500",
      description = "Listing calls measured (default: ${DEFAULT-VALUE}).")
  int calls;

  @Option(
      names = "--jdbc-url",
      paramLabel = "URL",
      description =
          "An empty PostgreSQL database to use instead (user and password in RAMPART_DB_USER, RAMPART_DB_PASSWORD).")
  String jdbcUrl;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("rampart-bench-cases");
    try (Progress p = Progress.start("seed", incidents, "incidents")) {
      CasesBench.Result r =
          jdbcUrl == null
              ? CasesBench.run(dir, incidents, Math.max(1, calls), p::set)
              : CasesBench.run(
                  jdbcUrl,
                  System.getenv("RAMPART_DB_USER"),
                  System.getenv("RAMPART_DB_PASSWORD"),
                  incidents,
                  Math.max(1, calls),
                  p::set);
      if (json) {
        System.out.printf(
            Locale.ROOT,
            "{\"incident_list_p50_ms\":%.2f,\"incident_list_p95_ms\":%.2f,\"incidents\":%d,"
                + "\"seed_seconds\":%.1f,\"calls\":%d}%n",
            r.p50Ms(),
            r.p95Ms(),
            r.incidents(),
            r.seedSeconds(),
            r.calls());
      } else {
        System.out.printf(
            Locale.ROOT,
            "%,d incidents (seeded in %.1f s); listing p50 %.2f ms, p95 %.2f ms over %d calls%n",
            r.incidents(),
            r.seedSeconds(),
            r.p50Ms(),
            r.p95Ms(),
            r.calls());
      }
      return 0;
    } finally {
      IngestBench.settleDisk(dir);
    }
  }
}
