package dev.rampart.cli.vuln;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.rampart.cli.ExitCodes;
import dev.rampart.cli.UsageException;
import dev.rampart.core.io.Problem;
import dev.rampart.vuln.advisory.Advisories;
import dev.rampart.vuln.inventory.Inventory;
import dev.rampart.vuln.inventory.Sboms;
import dev.rampart.vuln.match.Finding;
import dev.rampart.vuln.match.VulnDb;
import dev.rampart.vuln.priority.Kev;
import dev.rampart.vuln.priority.Priority;
import dev.rampart.vuln.score.Cvss;
import dev.rampart.vuln.version.Ecosystem;
import dev.rampart.vuln.version.Vectors;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rampart vuln}: vulnerability assessment of inventories against advisory data. */
@Command(
    name = "vuln",
    mixinStandardHelpOptions = true,
    description = {
      "Vulnerability assessment: which packages of an SBOM or package database are affected by",
      "which advisories, explained (the version compared, the fixed version, the data source).",
      "Distribution packages are matched by their source package against their own release's",
      "data; language packages by name against version ranges."
    },
    subcommands = {
      VulnCommand.ScanSbom.class,
      ImportInventoryCommand.class,
      ScanCommand.class,
      FindingsCommand.class,
      FeedsCommand.class,
      SlaCommand.class,
      RiskCommand.Exceptions.class,
      RiskCommand.VexImport.class,
      VulnCommand.Compare.class
    },
    footer = {
      "",
      "Examples:",
      "  rampart vuln feeds add security-tracker/ osv-go.zip known_exploited_vulnerabilities.json",
      "  rampart vuln import-inventory /var/lib/dpkg/status --asset web-01 --distro debian-12",
      "  rampart vuln findings --severity high --overdue",
      "  rampart vuln sla",
      "  rampart vuln scan-sbom image.cdx.xml --advisories security-tracker/",
      "  rampart vuln compare debian 1:1.2-1 1.3-1",
      "  rampart vuln compare pypi --tsv versions.tsv --json"
    })
public final class VulnCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UsageException(
        "say what to do: scan-sbom, import-inventory, scan, findings, feeds, sla, exceptions, vex or"
            + " compare (rampart vuln --help)");
  }

  static Ecosystem ecosystem(String name) {
    Ecosystem e = Ecosystem.of(name);
    if (e == null) {
      throw new UsageException(
          "unknown ecosystem '"
              + name
              + "'; one of: "
              + String.join(
                  ", ",
                  Arrays.stream(Ecosystem.values())
                      .map(x -> x.name().toLowerCase(Locale.ROOT))
                      .toList()));
    }
    return e;
  }

  @Command(
      name = "compare",
      mixinStandardHelpOptions = true,
      description = {
        "Compare two versions in an ecosystem's order (prints -1, 0 or 1), or check a TSV file of",
        "rows a, b, cmp and report where the order disagrees. Ecosystems: debian, ubuntu, alpine,",
        "rpm, maven, npm, pypi, go."
      },
      footer = {
        "",
        "Examples:",
        "  rampart vuln compare debian 2.2~rc-4 2.2-1            # -1: ~ sorts before the release",
        "  rampart vuln compare pypi 1.0.dev0 1.0a1              # -1",
        "  rampart vuln compare maven --tsv maven.tsv --json     # {\"rows\": N, \"agree\": N, ...}",
        "  rampart vuln compare rpm --tsv rpm.tsv --strict       # exit 1 on any disagreement"
      })
  static final class Compare implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ECOSYSTEM")
    String ecosystem;

    @Parameters(index = "1..2", arity = "0..2", paramLabel = "VERSION")
    List<String> versions;

    @Option(names = "--tsv", paramLabel = "FILE", description = "Check every row of this file.")
    Path tsv;

    @Option(names = "--json", description = "With --tsv: print the outcome as JSON.")
    boolean json;

    @Option(
        names = "--strict",
        description = "With --tsv: exit 1 when any row disagrees (default: exit 0 once evaluated).")
    boolean strict;

    @Override
    public Integer call() throws Exception {
      Ecosystem e = ecosystem(ecosystem);
      if (tsv == null) {
        if (versions == null || versions.size() != 2) {
          throw new UsageException("give two versions, or --tsv FILE");
        }
        System.out.println(e.compare(versions.get(0), versions.get(1)));
        return ExitCodes.OK;
      }
      Vectors.Result r = Vectors.evaluate(e, tsv);
      PrintStream out = System.out;
      if (json) {
        JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
        g.writeStartObject();
        g.writeNumberField("rows", r.rows());
        g.writeNumberField("agree", r.agree());
        g.writeArrayFieldStart("disagreements");
        for (Vectors.Disagreement d : r.disagreements()) {
          g.writeStartObject();
          g.writeNumberField("line", d.line());
          g.writeStringField("a", d.a());
          g.writeStringField("b", d.b());
          g.writeNumberField("expected", d.expected());
          g.writeNumberField("ours", d.actual());
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("bad_rows");
        for (String b : r.bad()) {
          g.writeString(b);
        }
        g.writeEndArray();
        g.writeEndObject();
        g.flush();
        out.println();
      } else {
        for (Vectors.Disagreement d : r.disagreements()) {
          out.printf(
              "%s:%d: %s vs %s: expected %d, %s says %d%n",
              tsv, d.line(), d.a(), d.b(), d.expected(), e.order(), d.actual());
        }
        r.bad().forEach(System.err::println);
        out.printf(
            Locale.ROOT,
            "%,d of %,d rows agree (%.3f%%)%n",
            r.agree(),
            r.rows(),
            100.0 * r.agreement());
      }
      return strict && !r.disagreements().isEmpty() ? ExitCodes.FINDINGS : ExitCodes.OK;
    }
  }

  @Command(
      name = "scan-sbom",
      mixinStandardHelpOptions = true,
      description = {
        "Match one SBOM (CycloneDX JSON/XML, SPDX JSON/tag-value) against advisory data, once,",
        "like osv-scanner. Exit 1 when something is affected."
      },
      footer = {
        "",
        "Examples:",
        "  rampart vuln scan-sbom postgres-stretch.cdx.xml --advisories security-tracker/",
        "  rampart vuln scan-sbom bom.json --advisories security-tracker/ --format json",
        "  rampart vuln scan-sbom bom.json --advisories osv.zip --kev kev.json",
        "  rampart vuln scan-sbom app.cdx.json --advisories osv-all.zip --advisories nodejs-wg.zip"
      })
  static final class ScanSbom implements Callable<Integer> {
    @Parameters(paramLabel = "FILE")
    Path file;

    @Option(
        names = "--advisories",
        paramLabel = "PATH",
        required = true,
        description =
            "Advisory data (repeatable): a Debian security-tracker checkout; OSV records as "
                + "JSON/YAML files, folders or zip dumps; Alpine secdb YAML (file, folder or "
                + "zip); the Node.js security WG repository or its zip (vuln/npm/*.json).")
    List<Path> advisories;

    @Option(
        names = "--kev",
        paramLabel = "FILE",
        description = "CISA's KEV catalog (known_exploited_vulnerabilities.json[.gz]).")
    Path kev;

    @Option(
        names = "--format",
        defaultValue = "table",
        description = "table or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() throws Exception {
      if (!format.equals("table") && !format.equals("json")) {
        throw new UsageException("--format is table or json");
      }
      long t0 = System.nanoTime();
      VulnDb db = new VulnDb();
      for (Path p : advisories) {
        Advisories.Loaded l;
        try {
          l = Advisories.load(p);
        } catch (IOException e) {
          throw new UsageException(e.getMessage());
        }
        l.advisories().forEach(db::add);
        l.problems().stream().limit(10).forEach(System.err::println);
        System.err.printf(
            "%s: %,d advisories (%s), %d problems%n",
            p, l.advisories().size(), l.kind(), l.problems().size());
        l.skipped().forEach((why, n) -> System.err.printf("  skipped %,d %s%n", n, why));
      }
      if (kev != null) {
        Kev k;
        try {
          k = Kev.load(kev);
        } catch (IOException e) {
          throw new UsageException(e.getMessage());
        }
        db.kev(k);
        System.err.printf(
            "%s: %,d known exploited CVEs (catalog %s)%n", kev, k.size(), k.version());
      }
      Inventory inv;
      try {
        inv = Sboms.read(file, file.getFileName().toString());
      } catch (IOException e) {
        throw new UsageException(e.getMessage());
      }
      for (Problem pr : inv.problems()) {
        System.err.println(pr);
      }
      VulnDb.Result r = db.match(inv);
      r.notAssessed().forEach(s -> System.err.println("not assessed: " + s));
      List<Finding> fs =
          r.findings().stream()
              .sorted(
                  Comparator.comparing((Finding f) -> f.priority().kev() == null)
                      .thenComparing(
                          f -> f.priority().score() == null ? 0 : f.priority().score(),
                          Comparator.reverseOrder())
                      .thenComparing(f -> f.pkg().name())
                      .thenComparing(f -> f.advisory().id()))
              .toList();
      if (format.equals("json")) {
        writeJson(System.out, inv, fs);
      } else {
        System.out.printf(
            "%-8s %-4s %-3s %-28s %-26s %-16s %-26s %s%n",
            "SEVERITY", "CVSS", "KEV", "PACKAGE", "VERSION", "ADVISORY", "FIXED", "WHY");
        for (Finding f : fs) {
          Priority pr = f.priority();
          System.out.printf(
              "%-8s %-4s %-3s %-28s %-26s %-16s %-26s %s%n",
              pr.severity(),
              pr.score() == null ? "-" : Cvss.format(pr.score()),
              pr.kev() == null ? "" : "yes",
              f.pkg().name(),
              f.pkg().version(),
              f.advisory().id(),
              f.fixedVersion() == null ? "(no fix)" : f.fixedVersion(),
              f.explanation());
        }
      }
      System.err.printf(
          Locale.ROOT,
          "%,d packages, %,d findings in %,d packages, %,d not assessed, %.0f ms%n",
          inv.packages().size(),
          fs.size(),
          fs.stream().map(f -> f.pkg().purl()).distinct().count(),
          r.notAssessed().size(),
          (System.nanoTime() - t0) / 1e6);
      return fs.isEmpty() ? ExitCodes.OK : ExitCodes.FINDINGS;
    }

    static void writeJson(PrintStream out, Inventory inv, List<Finding> fs) throws IOException {
      JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeStringField("asset", inv.asset());
      g.writeNumberField("packages", inv.packages().size());
      g.writeArrayFieldStart("findings");
      for (Finding f : fs) {
        g.writeStartObject();
        g.writeStringField("package", f.pkg().name());
        g.writeStringField("version", f.pkg().version());
        g.writeStringField("purl", f.pkg().purl());
        g.writeStringField("ecosystem", f.pkg().ecosystem().osvName());
        g.writeStringField("source_package", f.comparedName());
        g.writeStringField("source_version", f.comparedVersion());
        g.writeStringField("advisory", f.advisory().id());
        g.writeArrayFieldStart("aliases");
        for (String a : f.advisory().aliases()) {
          g.writeString(a);
        }
        g.writeEndArray();
        g.writeStringField("fixed_version", f.fixedVersion());
        g.writeStringField("published", f.advisory().published());
        g.writeStringField("source", f.advisory().source());
        g.writeStringField("explanation", f.explanation());
        Priority pr = f.priority();
        g.writeStringField("severity", pr.severity());
        if (pr.score() != null) {
          g.writeNumberField("cvss", pr.score());
          g.writeStringField("cvss_vector", pr.vector());
        }
        g.writeBooleanField("kev", pr.kev() != null);
        if (pr.kev() != null && pr.kev().dueDate() != null) {
          g.writeStringField("kev_due_date", pr.kev().dueDate().toString());
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
      g.flush();
      out.println();
    }
  }
}
