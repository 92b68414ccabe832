package dev.rampart.cli.vuln;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.cases.yaml.Doc;
import dev.rampart.cli.DataOptions;
import dev.rampart.cli.ExitCodes;
import dev.rampart.cli.UsageException;
import dev.rampart.vuln.netscan.Banners;
import dev.rampart.vuln.netscan.NetScan;
import dev.rampart.vuln.track.VulnStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rampart vuln scan}: open ports, banners and TLS weaknesses, from the network side. */
@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    description = {
      "Scan HOST[:PORTS] (a name, an address, [IPv6] or a network up to /20 of addresses) with TCP",
      "connects: each open port's banner or HTTP answer, and for TLS the certificate (expired,",
      "not yet valid, self-signed), TLS 1.0/1.1 still accepted, weak ciphers accepted. Only",
      "loopback may be scanned unless --allow names the networks you are authorised to scan.",
      "Connections are paced (--rate) and the scan stops at --max-time. With --asset, the",
      "issues become findings of that asset (a later scan fixes what it no longer sees), and",
      "when advisory feeds are registered an SSH banner naming Debian's package revision",
      "(OpenSSH_7.4p1 Debian-10+deb9u3) is matched against them. Exit 1 when an issue is found."
    },
    footer = {
      "",
      "Examples:",
      "  rampart vuln scan 127.0.0.1",
      "  rampart vuln scan 10.0.5.0/24:22,443,8443 --allow 10.0.5.0/24 --rate 50",
      "  rampart vuln scan lb-01.internal:443 --allow 10.0.0.0/8 --asset lb-01 --json"
    })
public final class ScanCommand implements Callable<Integer> {
  @Mixin DataOptions data;

  @Parameters(paramLabel = "HOST[:PORTS]")
  String target;

  @Option(
      names = "--allow",
      paramLabel = "CIDR",
      description = "A network you may scan, besides loopback (repeatable).")
  List<String> allow = new ArrayList<>();

  @Option(
      names = "--rate",
      defaultValue = "200",
      description = "Connections per second (default: ${DEFAULT-VALUE}).")
  int rate;

  @Option(
      names = "--concurrency",
      defaultValue = "64",
      description = "Connections at once (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--timeout",
      defaultValue = "1s",
      description = "Connect timeout (default: ${DEFAULT-VALUE}).")
  String timeout;

  @Option(
      names = "--max-time",
      defaultValue = "5m",
      description = "Stop the scan after this long (default: ${DEFAULT-VALUE}).")
  String maxTime;

  @Option(names = "--asset", description = "Record the issues as this asset's findings.")
  String asset;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  private static Duration duration(String option, String v) {
    Duration d = Doc.duration(v);
    if (d == null || d.isZero() || d.isNegative()) {
      throw new UsageException(option + " is a duration such as 500ms, 2s or 10m, not " + v);
    }
    return d;
  }

  @Override
  public Integer call() throws Exception {
    if (rate < 1 || rate > 10_000 || concurrency < 1 || concurrency > 1024) {
      throw new UsageException("--rate is 1..10000 and --concurrency 1..1024");
    }
    List<String> allowed = new ArrayList<>(NetScan.Options.DEFAULTS.allowed());
    allowed.addAll(allow);
    NetScan.Options o =
        new NetScan.Options(
            allowed,
            duration("--timeout", timeout),
            NetScan.Options.DEFAULTS.bannerWait(),
            concurrency,
            rate,
            duration("--max-time", maxTime));
    NetScan.Targets t;
    try {
      t = NetScan.targets(target, o);
    } catch (NetScan.Refused e) {
      throw new UsageException(
          e.getMessage()
              + (e.getMessage().contains("outside the networks")
                  ? "; add one with --allow CIDR if you are authorised to scan it"
                  : ""));
    }
    System.err.printf(
        "scanning %,d addresses x %,d ports at up to %,d connections/s%n",
        t.addresses().size(), t.ports().size(), rate);
    NetScan.Result r = NetScan.scan(t, o);
    // with --asset, what Debian's OpenSSH banners claim, by the registered feeds (if any)
    List<Banners.Matched> banners = List.of();
    if (asset != null) {
      try (Workspace w = Workspace.open(data)) {
        if (w.store.hasAdvisories()) {
          banners = Banners.match(asset, r.services(), w.advisories(true));
        }
      }
    }
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("target", target);
      m.put("probed", r.probed());
      m.put("complete", r.complete());
      m.put("seconds", r.took().toMillis() / 1000.0);
      List<Map<String, Object>> services = new ArrayList<>();
      for (NetScan.Service sv : r.services()) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("address", sv.address());
        x.put("port", sv.port());
        x.put("kind", sv.kind());
        x.put("banner", sv.banner());
        if (sv.tls() != null) {
          NetScan.Tls tl = sv.tls();
          Map<String, Object> y = new LinkedHashMap<>();
          y.put("protocol", tl.protocol());
          y.put("cipher", tl.cipher());
          y.put("subject", tl.subject());
          y.put("issuer", tl.issuer());
          y.put("not_before", tl.notBefore().toString());
          y.put("not_after", tl.notAfter().toString());
          y.put("self_signed", tl.selfSigned());
          y.put("legacy_protocols", tl.legacyProtocols());
          y.put("weak_ciphers", tl.weakCiphers());
          x.put("tls", y);
        }
        services.add(x);
      }
      m.put("services", services);
      m.put("issues", r.issues());
      List<Map<String, Object>> advisories = new ArrayList<>();
      for (Banners.Matched b : banners) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("address", b.claim().address());
        x.put("port", b.claim().port());
        x.put("banner", b.claim().banner());
        x.put("package", b.claim().pkg().name() + " " + b.claim().pkg().version());
        x.put("advisory", b.finding().advisory().id());
        x.put("severity", b.finding().priority().severity());
        x.put("fixed_version", b.finding().fixedVersion());
        advisories.add(x);
      }
      m.put("banner_advisories", advisories);
      System.out.println(
          new ObjectMapper()
              .setPropertyNamingStrategy(
                  com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
              .writeValueAsString(m));
    } else {
      System.out.printf("%-16s %6s %-8s %s%n", "ADDRESS", "PORT", "KIND", "WHAT ANSWERED");
      for (NetScan.Service s : r.services()) {
        String what =
            s.tls() != null
                ? s.tls().protocol()
                    + " "
                    + s.tls().cipher()
                    + ", certificate "
                    + s.tls().subject()
                    + " until "
                    + s.tls().notAfter()
                : s.banner() == null ? "" : s.banner();
        System.out.printf("%-16s %6d %-8s %s%n", s.address(), s.port(), s.kind(), what);
      }
      if (!r.issues().isEmpty()) {
        System.out.printf(
            "%n%-8s %-16s %6s %-32s %s%n", "SEVERITY", "ADDRESS", "PORT", "ISSUE", "DETAIL");
        for (NetScan.Issue i : r.issues()) {
          System.out.printf(
              "%-8s %-16s %6d %-32s %s%n", i.severity(), i.address(), i.port(), i.id(), i.detail());
        }
      }
      if (!banners.isEmpty()) {
        System.out.printf(
            "%n%-8s %-16s %6s %-16s %-22s %s%n",
            "SEVERITY", "ADDRESS", "PORT", "ADVISORY", "FIXED IN", "WHAT THE BANNER CLAIMS");
        for (Banners.Matched b : banners) {
          System.out.printf(
              "%-8s %-16s %6d %-16s %-22s %s%n",
              b.finding().priority().severity(),
              b.claim().address(),
              b.claim().port(),
              b.finding().advisory().id(),
              b.finding().fixedVersion(),
              b.claim().pkg().sourceName() + " " + b.claim().pkg().version());
        }
      }
      System.err.printf(
          Locale.ROOT,
          "%,d connections, %,d open, %,d issues in %.1f s%s%n",
          r.probed(),
          r.services().size(),
          r.issues().size(),
          r.took().toMillis() / 1000.0,
          r.complete() ? "" : " (stopped at --max-time: not every port was tried)");
    }
    if (asset != null) {
      try (Workspace w = Workspace.open(data)) {
        VulnStore.ImportResult ir =
            w.store.importScan(asset, r.issues(), banners, target, dev.rampart.cli.Actor.name());
        System.err.printf(
            "%s: findings %,d new, %,d reopened, %,d still open, %,d fixed%n",
            asset, ir.opened(), ir.reopened(), ir.stillOpen(), ir.fixed());
      }
    }
    return r.issues().isEmpty() && banners.isEmpty() ? ExitCodes.OK : ExitCodes.FINDINGS;
  }
}
