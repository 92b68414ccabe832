package dev.rampart.cli.bench;

import dev.rampart.bench.VulnBench;
import dev.rampart.cli.Progress;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rampart bench vuln}: SBOM scan, version vectors, fleet re-match. */
@Command(
    name = "vuln",
    mixinStandardHelpOptions = true,
    description = {
      "Measure vulnerability assessment on the corpora: load every feed (Debian tracker, Alpine",
      "secdb, Node.js security WG, OSV Go/PyPI/crates.io); scan keycloak's and juice-shop's SBOMs",
      "(parse + match; median of five after a cold run); evaluate every version vector suite;",
      "re-match a fleet of --hosts hosts x --packages Debian packages on all cores."
    },
    footer = {
      "",
      "Examples:",
      "  rampart bench vuln",
      "  rampart bench vuln --hosts 1000 --json",
      "",
      "JSON keys: sbom_scan_ms, sbom_scan_cold_ms, vectors_ms, vector_rows,",
      "vector_disagreements, fleet_rematch_s, fleet_findings, hosts, packages_per_host,",
      "advisories, load_ms, sbom_packages, sbom_findings."
    })
public final class VulnCommand implements Callable<Integer> {
  @Option(
      names = "--hosts",
      defaultValue = "10000",
      description = "Hosts in the fleet (default: ${DEFAULT-VALUE}).")
  int hosts;

  @Option(
      names = "--packages",
      defaultValue = "800",
      description = "Packages per host (default: ${DEFAULT-VALUE}).")
  int packages;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    VulnBench.Result r;
    try (Progress p = Progress.start("fleet", hosts, "hosts")) {
      r = VulnBench.run(hosts, packages, p::set);
    }
    if (json) {
      System.out.printf(
          Locale.ROOT,
          "{\"sbom_scan_ms\":%.1f,\"sbom_scan_cold_ms\":%.1f,\"vectors_ms\":%.1f,"
              + "\"vector_rows\":%d,\"vector_disagreements\":%d,\"fleet_rematch_s\":%.2f,"
              + "\"fleet_findings\":%d,\"hosts\":%d,\"packages_per_host\":%d,\"advisories\":%d,"
              + "\"load_ms\":%.0f,\"sbom_packages\":%d,\"sbom_findings\":%d}%n",
          r.sbomScanMs(),
          r.sbomScanColdMs(),
          r.vectorsMs(),
          r.vectorRows(),
          r.vectorDisagreements(),
          r.fleetRematchS(),
          r.fleetFindings(),
          r.hosts(),
          r.packagesPerHost(),
          r.advisories(),
          r.loadMs(),
          r.sbomPackages(),
          r.sbomFindings());
    } else {
      System.out.printf(
          Locale.ROOT,
          "feeds: %,d advisories loaded in %.0f ms%n"
              + "SBOM scan: %,d packages, %,d findings in %.0f ms (cold %.0f ms)   goal < 2,000 ms%n"
              + "vectors: %,d rows (%,d known differences) in %.0f ms   goal < 10,000 ms%n"
              + "fleet: %,d hosts x %,d packages re-matched in %.1f s, %,d findings   goal < 60 s%n",
          r.advisories(),
          r.loadMs(),
          r.sbomPackages(),
          r.sbomFindings(),
          r.sbomScanMs(),
          r.sbomScanColdMs(),
          r.vectorRows(),
          r.vectorDisagreements(),
          r.vectorsMs(),
          r.hosts(),
          r.packagesPerHost(),
          r.fleetRematchS(),
          r.fleetFindings());
    }
    return 0;
  }
}
