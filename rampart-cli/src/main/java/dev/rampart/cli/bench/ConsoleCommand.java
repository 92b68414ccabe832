package dev.rampart.cli.bench;

import dev.rampart.alerting.alert.Alert;
import dev.rampart.bench.IngestBench;
import dev.rampart.bench.StoreBench;
import dev.rampart.cli.Progress;
import dev.rampart.core.event.Timestamps;
import dev.rampart.ingest.server.IngestConfig;
import dev.rampart.server.Platform;
import dev.rampart.server.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rampart bench console}: the console's pages at the size the issue names. A whole platform
 * in a temporary folder gets --events simulated events over the last day (through its spool and
 * indexer) and --alerts alerts in incidents of ten; then each page is fetched as a signed-in
 * analyst over loopback, and its p50 and p95 are reported. The times include HTTP on loopback, so
 * they bound the server's rendering time from above.
 */
@Command(
    name = "console",
    mixinStandardHelpOptions = true,
    description = {
      "Measure console pages: --events simulated events over the last 24 hours and --alerts",
      "alerts (in incidents of ten), then every page fetched --calls times as a signed-in user.",
      "Reports p50 and p95 per page (loopback HTTP included)."
    },
    footer = {
      "",
      "Examples:",
      "  rampart bench console",
      "  rampart bench console --events 100000 --alerts 10000 --json",
      "",
      "JSON keys: events, alerts, seed_seconds, pages (page -> {p50_ms, p95_ms}), worst_p95_ms."
    })
public final class ConsoleCommand implements Callable<Integer> {
  @Option(
      names = "--events",
      defaultValue = "1000000",
      description = "Events stored (default: ${DEFAULT-VALUE}).")
  long events;

  @Option(
      names = "--alerts",
      defaultValue = "100000",
      description = "Alerts stored (default: ${DEFAULT-VALUE}).")
  int alerts;

  @Option(
      names = "--calls",
      defaultValue = "20",
      description =
          "Fetches of each page measured, after 3 unmeasured (default: ${DEFAULT-VALUE}).")
  int calls;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  static final String[] LEVELS = {"low", "medium", "medium", "high", "critical"};

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("rampart-bench-console");
    try {
      return run(dir);
    } finally {
      IngestBench.settleDisk(dir);
    }
  }

  private int run(Path dir) throws Exception {
    long t0 = System.nanoTime();
    Path data = dir.resolve("data");
    long day = 86_400_000_000_000L;
    long now = Timestamps.fromInstant(Instant.now());
    try (Progress p = Progress.start("events", events, "events")) {
      StoreBench.fill(data.resolve("spool"), events, 42, now - day, day - 60_000_000_000L, p::set);
    }
    Path config = dir.resolve("rampart.yaml");
    Files.writeString(
        config, "data: " + data + "\ninputs:\n  - {type: syslog-udp, port: 0}\napi: {port: 0}\n");
    try (Platform platform =
        Platform.start(
            new Platform.Options(
                IngestConfig.load(config), ServerConfig.load(config), List.of(), l -> {}))) {
      try (Progress p = Progress.start("index", events, "events")) {
        long spoolEnd = platform.ingest().spool().end();
        while (platform.lag().get("store") > 0) {
          p.set((long) ((double) (spoolEnd - platform.lag().get("store")) / spoolEnd * events));
          Thread.sleep(200);
        }
      }
      String incident = seedAlerts(platform, now / 1_000_000);
      double seedSeconds = (System.nanoTime() - t0) / 1e9;
      Map<String, Object> newest =
          platform
              .store()
              .search(dev.rampart.store.search.SearchRequest.of("*").withLimit(1))
              .rows()
              .get(0);
      long eventId = (Long) newest.get("_id");
      Object eventHost = newest.getOrDefault("host.name", newest.get("rampart.host"));
      var seeded = platform.cases().get(incident);
      Map<String, String> pages = new LinkedHashMap<>();
      pages.put("queue", "/");
      pages.put("alerts", "/alerts");
      pages.put("alerts_high_new", "/alerts?level=high&state=new");
      pages.put("incident", "/incidents/" + incident);
      pages.put("search_all_24h", "/search?q=*&range=24h");
      pages.put("search_term_24h", "/search?q=event.code:4625&range=24h");
      pages.put("search_stats", "/search?q=*+%7C+stats+count()+by+host.name&range=24h");
      pages.put("event", "/events/" + eventId);
      // a host of many events, and a host and a user of many alerts
      pages.put("host", "/entities/host/" + encode(String.valueOf(eventHost)));
      pages.put("host_alerts", "/entities/host/" + encode(seeded.host()));
      pages.put("user_alerts", "/entities/user/" + encode(seeded.user()));
      pages.put("dashboard", "/dashboard");
      pages.put("report_7d", "/report?last=7d");
      pages.put("incident_report", "/incidents/" + incident + "/report?format=html");
      pages.put("rules", "/rules");
      pages.put("coverage", "/rules/coverage");
      pages.put("settings", "/settings");
      String base = "http://127.0.0.1:" + platform.apiPort();
      HttpClient http = HttpClient.newBuilder().build();
      String cookie = signIn(http, base, platform.adminPassword());
      Map<String, double[]> times = new LinkedHashMap<>();
      double worst = 0;
      try (Progress p = Progress.start("pages", (long) pages.size() * calls, "fetches")) {
        for (var e : pages.entrySet()) {
          double[] ms = new double[calls];
          for (int i = -3; i < calls; i++) {
            long s = System.nanoTime();
            HttpResponse<String> r =
                http.send(
                    HttpRequest.newBuilder(URI.create(base + e.getValue()))
                        .header("Cookie", cookie)
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
              throw new IllegalStateException(e.getValue() + " answered " + r.statusCode());
            }
            if (i >= 0) {
              ms[i] = (System.nanoTime() - s) / 1e6;
              p.add(1);
            }
          }
          Arrays.sort(ms);
          double p50 = ms[(int) Math.floor(0.5 * (calls - 1))];
          double p95 = ms[(int) Math.ceil(0.95 * (calls - 1))];
          times.put(e.getKey(), new double[] {p50, p95});
          worst = Math.max(worst, p95);
        }
      }
      print(seedSeconds, times, worst);
    }
    return 0;
  }

  /** Incidents of ten alerts each, detected over the last 24 hours; returns one incident's id. */
  private String seedAlerts(Platform platform, long nowMs) throws Exception {
    Random rnd = new Random(7);
    String last = null;
    try (Progress p = Progress.start("alerts", alerts, "alerts")) {
      for (int i = 0; i < alerts; i += 10) {
        List<Alert> batch = new ArrayList<>();
        String host = "ws-" + rnd.nextInt(500);
        for (int k = i; k < Math.min(alerts, i + 10); k++) {
          long detected = nowMs - (long) (rnd.nextDouble() * 86_000_000L);
          String level = LEVELS[rnd.nextInt(LEVELS.length)];
          batch.add(
              new Alert(
                  "rule-" + (k % 40) + "@" + k,
                  "rule-" + (k % 40),
                  "Bench rule " + (k % 40),
                  level,
                  List.of("attack.t1110"),
                  List.of("T1110"),
                  List.of((long) k),
                  (detected - 1000) * 1_000_000,
                  detected * 1_000_000,
                  Map.of(),
                  new Alert.Entities(
                      host, "user" + rnd.nextInt(50), "10.0.0." + rnd.nextInt(250), null),
                  null));
        }
        last = platform.cases().open("Bench incident on " + host, "high", batch, "bench").id();
        p.add(batch.size());
      }
    }
    return last;
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8)
        .replace("+", "%20");
  }

  private static String signIn(HttpClient http, String base, String password) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/login"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"admin\",\"password\":\"" + password + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String set = r.headers().firstValue("Set-Cookie").orElseThrow();
    return set.substring(0, set.indexOf(';'));
  }

  private void print(double seedSeconds, Map<String, double[]> times, double worst) {
    if (json) {
      StringBuilder sb = new StringBuilder();
      sb.append(
          String.format(
              Locale.ROOT,
              "{\"events\":%d,\"alerts\":%d,\"seed_seconds\":%.1f,\"pages\":{",
              events,
              alerts,
              seedSeconds));
      int n = 0;
      for (var e : times.entrySet()) {
        sb.append(n++ == 0 ? "" : ",")
            .append(
                String.format(
                    Locale.ROOT,
                    "\"%s\":{\"p50_ms\":%.1f,\"p95_ms\":%.1f}",
                    e.getKey(),
                    e.getValue()[0],
                    e.getValue()[1]));
      }
      sb.append(String.format(Locale.ROOT, "},\"worst_p95_ms\":%.1f}", worst));
      System.out.println(sb);
      return;
    }
    System.out.printf(
        Locale.ROOT,
        "%,d events and %,d alerts (seeded in %.1f s); %d fetches per page:%n",
        events,
        alerts,
        seedSeconds,
        calls);
    for (var e : times.entrySet()) {
      System.out.printf(
          Locale.ROOT,
          "  %-18s p50 %7.1f ms   p95 %7.1f ms%n",
          e.getKey(),
          e.getValue()[0],
          e.getValue()[1]);
    }
    System.out.printf(Locale.ROOT, "worst p95 %.1f ms (goal: under 200 ms)%n", worst);
  }
}
