package dev.rampart.cli.demo;

import dev.rampart.cli.DataOptions;
import dev.rampart.cli.ExitCodes;
import dev.rampart.cli.Main;
import dev.rampart.cli.UsageException;
import dev.rampart.cli.rules.RuleOptions;
import dev.rampart.ingest.server.IngestConfig;
import dev.rampart.server.Platform;
import dev.rampart.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rampart demo}: what a newcomer runs first. It starts the whole platform with Rampart's own
 * rules and feeds it the simulated office with every attack scenario, continuously, so the console
 * shows a SOC at work; {@code --files} instead writes a sample dataset and profiles it.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Start Rampart (ingestion, store, detection, incidents, playbooks, API and console) in the",
      "data folder with Rampart's own rules, and stream simulated attacks into it continuously",
      "(rampart simulate, every scenario each minute). Prints the console's address and, on a",
      "fresh data folder, the one-time admin password. Ctrl-C stops it.",
      "With --files: generate a sample dataset instead and show its field profile."
    },
    footer = {
      "",
      "Examples:",
      "  rampart demo                                  # then open the Console: URL it prints",
      "  rampart demo --port 9090 --data /tmp/rampart-demo --rate 500",
      "  rampart demo --files --events 1000000         # a dataset on disk instead of a server",
    })
public final class DemoCommand implements Callable<Integer> {
  @Mixin DataOptions data;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "8080",
      description = "The console's and API's port (default: ${DEFAULT-VALUE}; 0: any free port).")
  int port;

  @Option(
      names = "--rate",
      paramLabel = "N",
      defaultValue = "200",
      description = "Simulated events per second (default: ${DEFAULT-VALUE}).")
  int rate;

  @Option(names = "--files", description = "Write a sample dataset and profile it; no server.")
  boolean files;

  @Option(
      names = "--events",
      paramLabel = "N",
      defaultValue = "200000",
      description = "With --files: events to generate (default: ${DEFAULT-VALUE}).")
  long events;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "7",
      description = "With --files: random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    if (files) {
      return files();
    }
    if (port < 0 || port > 65535) {
      throw new UsageException("--port is 0..65535");
    }
    if (rate < 1 || rate > 100_000) {
      throw new UsageException("--rate is 1..100000 events per second");
    }
    Path dir = data.dataDir().toAbsolutePath().normalize();
    Files.createDirectories(dir);
    // The demo's own config: syslog on free ports (never in the way of a real server), the
    // console and API on --port.
    Path config = dir.resolve("demo.yaml");
    Files.writeString(
        config,
        """
        # Written by rampart demo at each start.
        data: .
        inputs:
          - {type: syslog-tcp, port: 0}
          - {type: syslog-udp, port: 0}
        api:
          port: %d
        """
            .formatted(port));
    Platform platform =
        Platform.start(
            new Platform.Options(
                IngestConfig.load(config),
                ServerConfig.load(config),
                RuleOptions.defaultPaths(dir),
                line -> System.err.println("rampart: " + line)));
    java.util.concurrent.atomic.AtomicBoolean stop =
        new java.util.concurrent.atomic.AtomicBoolean();
    Thread feed =
        Thread.ofPlatform()
            .name("demo-feed")
            .start(
                () -> {
                  try {
                    new DemoFeed(platform.ingest().spool(), rate).run(stop::get);
                  } catch (Exception e) {
                    if (!stop.get()) {
                      System.err.println("rampart: the demo feed stopped: " + e);
                    }
                  }
                });
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .unstarted(
                    () -> {
                      stop.set(true);
                      try {
                        feed.join(5_000);
                        platform.close();
                      } catch (Exception e) {
                        System.err.println("rampart: stopping: " + e.getMessage());
                      }
                    }));
    System.out.printf(
        Locale.ROOT,
        "Rampart demo: %d rules detecting, %,d simulated events a second with every attack"
            + " scenario each minute; data in %s%n",
        platform.engine().rules().size(),
        rate,
        dir);
    System.out.println("Console: http://127.0.0.1:" + platform.apiPort() + "/");
    System.out.println(
        "Admin password: "
            + (platform.adminPassword() != null
                ? platform.adminPassword() + "   (user admin; shown this once)"
                : "set at the first start of this data folder (reset: rampart users passwd admin"
                    + " --data "
                    + dir
                    + ")"));
    System.out.println(
        "API token: "
            + dir.resolve("api-token")
            + " (curl -H \"Authorization: Bearer $(cat ...)\")");
    System.out.println("Ctrl-C stops the demo.");
    System.out.flush();
    platform.awaitShutdown();
    return ExitCodes.OK;
  }

  /** The dataset mode: simulate into files and profile them. */
  private int files() throws Exception {
    Path dir = data.dataDir().resolve("demo");
    Files.createDirectories(dir);
    Path events = dir.resolve("events.ndjson.gz");
    Path truth = dir.resolve("truth.ndjson");
    System.out.printf(
        Locale.ROOT,
        "Rampart demo: simulating %,d events of a 50-workstation office with every attack scenario%n%n",
        this.events);
    int rc = Main.execute("simulate", "--list");
    if (rc != 0) {
      return rc;
    }
    System.out.println();
    rc =
        Main.execute(
            "simulate",
            "--scenario",
            "all",
            "--events",
            Long.toString(this.events),
            "--seed",
            Long.toString(seed),
            "--out",
            events.toString(),
            "--truth",
            truth.toString());
    if (rc != 0) {
      return rc;
    }
    System.out.printf("%nField profile of %s:%n%n", events);
    System.out.flush();
    rc = Main.execute("events", "stats", events.toString(), "--top", "3");
    if (rc != 0) {
      return rc;
    }
    System.out.printf(
        "%nNext:%n"
            + "  ./rampart events cat %s --where 'CommandLine~-enc' --fields @timestamp,host.name,CommandLine%n"
            + "  ./rampart events cat %s --where EventID=7045%n"
            + "  The ground truth (which events are attacks) is in %s%n",
        events, events, truth);
    return ExitCodes.OK;
  }
}
