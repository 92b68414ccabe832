package dev.rampart.bench;

import dev.rampart.vuln.advisory.Advisories;
import dev.rampart.vuln.advisory.Advisory;
import dev.rampart.vuln.inventory.Inventory;
import dev.rampart.vuln.inventory.Package;
import dev.rampart.vuln.inventory.Sboms;
import dev.rampart.vuln.match.VulnDb;
import dev.rampart.vuln.version.Ecosystem;
import dev.rampart.vuln.version.Vectors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Vulnerability assessment, measured on the corpora: the one-shot SBOM scan (keycloak's Maven
 * components and juice-shop's npm tree, parsed and matched against every loaded feed), every
 * version vector suite, and a fleet re-match (hosts × packages drawn from the Debian tracker's
 * stretch data, half at a fixed version, half below it) as after a feed update.
 */
public final class VulnBench {
  private VulnBench() {}

  /** What was measured. */
  public record Result(
      long advisories,
      double loadMs,
      long sbomPackages,
      long sbomFindings,
      double sbomScanMs,
      double sbomScanColdMs,
      long vectorRows,
      long vectorDisagreements,
      double vectorsMs,
      int hosts,
      int packagesPerHost,
      long fleetFindings,
      double fleetRematchS) {}

  static final String[] FEEDS = {
    "vuln/debian-security-tracker",
    "vuln/alpine-secdb/secdb-yaml.zip",
    "vuln/nodejs-security-wg/vuln.zip",
    "osv-golang-vulndb/osv.zip",
    "osv-pypa/vulns.zip",
    "osv-rustsec/osv.zip"
  };

  static final String[] SBOMS = {
    "cyclonedx-bom-examples/SBOM/keycloak-10.0.2/bom.json.gz",
    "cyclonedx-bom-examples/SBOM/juice-shop/v11.1.2/bom.json.gz"
  };

  public static Result run(int hosts, int packagesPerHost, LongConsumer progress)
      throws IOException, InterruptedException {
    Path root = BenchData.corpora();
    long t0 = System.nanoTime();
    VulnDb db = new VulnDb();
    List<Advisory> debian = List.of();
    for (String f : FEEDS) {
      Advisories.Loaded l = Advisories.load(require(root.resolve(f)));
      l.advisories().forEach(db::add);
      if (l.kind().equals("debian-tracker")) {
        debian = l.advisories();
      }
    }
    double loadMs = (System.nanoTime() - t0) / 1e6;

    // SBOM scan: parse and match both SBOMs; the first run cold, then the median of five
    double cold = 0;
    double[] warm = new double[5];
    long packages = 0;
    long findings = 0;
    for (int run = -1; run < warm.length; run++) {
      long s = System.nanoTime();
      packages = 0;
      findings = 0;
      for (String f : SBOMS) {
        Inventory inv = Sboms.read(require(root.resolve(f)), f);
        packages += inv.packages().size();
        findings += db.match(inv).findings().size();
      }
      double ms = (System.nanoTime() - s) / 1e6;
      if (run < 0) {
        cold = ms;
      } else {
        warm[run] = ms;
      }
    }
    Arrays.sort(warm);

    // every vector suite
    long v0 = System.nanoTime();
    long rows = 0;
    long disagreements = 0;
    for (Vectors.Suite s : Vectors.SUITES) {
      Vectors.Result r =
          Vectors.evaluate(
              s.ecosystem(), require(root.resolve("vuln/version-vectors/" + s.file())));
      rows += r.rows();
      disagreements += r.disagreements().size();
    }
    double vectorsMs = (System.nanoTime() - v0) / 1e6;

    // the fleet: packages from the tracker's stretch fixes, at the fixed version or below it
    List<Package> pool = new ArrayList<>();
    for (Advisory a : debian) {
      for (Advisory.Affected af : a.affected()) {
        if ("stretch".equals(af.release())
            && af.ranges().get(0) instanceof Advisory.Events ev
            && ev.fixed() != null) {
          String src = af.packageName();
          for (String v : new String[] {ev.fixed(), ev.fixed() + "~old"}) {
            pool.add(
                new Package(
                    src,
                    v,
                    Ecosystem.DEBIAN,
                    "pkg:deb/debian/" + src + "@" + v,
                    src,
                    v,
                    "debian-9"));
          }
        }
      }
    }
    long f0 = System.nanoTime();
    AtomicLong fleetFindings = new AtomicLong();
    AtomicLong done = new AtomicLong();
    int threads = Runtime.getRuntime().availableProcessors();
    try (ExecutorService ex = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t;
        fs.add(
            ex.submit(
                () -> {
                  Random rnd = new Random(42 + first);
                  List<Package> host = new ArrayList<>(packagesPerHost);
                  for (int h = first; h < hosts; h += threads) {
                    host.clear();
                    for (int i = 0; i < packagesPerHost; i++) {
                      host.add(pool.get(rnd.nextInt(pool.size())));
                    }
                    Inventory inv = new Inventory("host-" + h, host, List.of());
                    fleetFindings.addAndGet(db.match(inv).findings().size());
                    progress.accept(done.incrementAndGet());
                  }
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException(e.getCause());
    }
    double fleetS = (System.nanoTime() - f0) / 1e9;
    return new Result(
        db.advisories(),
        loadMs,
        packages,
        findings,
        warm[warm.length / 2],
        cold,
        rows,
        disagreements,
        vectorsMs,
        hosts,
        packagesPerHost,
        fleetFindings.get(),
        fleetS);
  }

  private static Path require(Path p) throws IOException {
    if (!java.nio.file.Files.exists(p)) {
      throw new IOException(
          "benchmark input not found: " + p + " (set RAMPART_CORPORA to the shared corpora)");
    }
    return p;
  }
}
