package dev.rampart.cli.serve;

import dev.rampart.cli.ExitCodes;
import dev.rampart.cli.UsageException;
import dev.rampart.ingest.server.IngestConfig;
import dev.rampart.ingest.server.IngestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rampart serve}: the ingestion server, configured by a YAML file. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Run the ingestion server: the inputs the config lists (syslog over TCP, TLS and UDP,",
      "HTTP with Elasticsearch _bulk, Splunk HEC and NDJSON, file tailing) feed parsers and the",
      "durable spool under the config's data folder. A sender's events are acknowledged only",
      "once they are on disk. Bound ports go to DATA/ports.json; metrics are on the HTTP input's",
      "GET /metrics. Stops cleanly on Ctrl-C or SIGTERM. The config format is in",
      "docs/ingest-config.md; --check validates a config and exits."
    },
    footer = {
      "",
      "Examples:",
      "  RAMPART_INGEST_TOKEN=s3cret rampart serve --config rampart.yaml",
      "  rampart serve --config rampart.yaml --check",
      "",
      "Send a test event:",
      "  logger --tcp --port 6514 --server 127.0.0.1 'hello from logger'",
      "  curl -H 'Authorization: Bearer s3cret' --data-binary @events.ndjson \\",
      "       http://127.0.0.1:9200/ingest"
    })
public final class ServeCommand implements Callable<Integer> {
  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "The server's YAML configuration.")
  Path config;

  @Option(names = "--check", description = "Validate the configuration, print it, and exit.")
  boolean check;

  @Override
  public Integer call() throws Exception {
    if (!Files.isReadable(config)) {
      throw new UsageException(
          "cannot read " + config + "; docs/ingest-config.md has an example to start from");
    }
    IngestConfig c;
    try {
      c = IngestConfig.load(config);
    } catch (IngestConfig.ConfigException e) {
      System.err.println("rampart: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    if (check) {
      System.out.println("configuration ok: data in " + c.data());
      c.inputs()
          .forEach(
              in ->
                  System.out.println(
                      "  "
                          + in.effectiveName()
                          + " ("
                          + in.type()
                          + ") "
                          + (in.port() != null
                              ? in.effectiveBind() + ":" + in.port()
                              : in.paths())));
      return ExitCodes.OK;
    }
    IngestServer server = IngestServer.start(c);
    // The store indexes what the spool holds, from its committed offset, about once a second.
    dev.rampart.store.EventStore store =
        dev.rampart.store.EventStore.open(
            c.data().resolve("store"),
            dev.rampart.store.StoreOptions.defaults(),
            p -> System.err.println("rampart: store: " + p));
    java.util.concurrent.atomic.AtomicBoolean stopping =
        new java.util.concurrent.atomic.AtomicBoolean();
    Thread indexer =
        Thread.ofPlatform()
            .name("store-indexer")
            .start(
                () -> {
                  try {
                    store.spoolIndexer(server.spool()).run(stopping::get, 1000);
                  } catch (java.io.IOException | RuntimeException e) {
                    if (!stopping.get()) {
                      System.err.println("rampart: store indexing stopped: " + e);
                    }
                  }
                });
    // Detection follows the spool too: Rampart's pack and the installed packs, alerts into
    // DATA/alerts/alerts.ndjson (rampart alerts lists them).
    // Without any rule pack the server still ingests and indexes; it says detection is off.
    List<Path> rulePaths;
    try {
      rulePaths = dev.rampart.cli.rules.RuleOptions.defaultPaths(c.data());
    } catch (UsageException none) {
      System.err.println(
          "rampart: no rule packs (Rampart's rules/ folder is missing and none is installed):"
              + " detection is off; install one with 'rampart rules import'");
      rulePaths = List.of();
    }
    dev.rampart.sigma.compile.SigmaEngine engine =
        dev.rampart.sigma.Sigma.compile(
            dev.rampart.sigma.Sigma.load(rulePaths.toArray(Path[]::new)));
    dev.rampart.alerting.alert.AlertLog alertLog =
        dev.rampart.alerting.alert.AlertLog.open(
            c.data().resolve("alerts").resolve("alerts.ndjson"));
    // Alerts become incidents: the same host within an hour shares one (DATA/cases.db).
    dev.rampart.cases.CaseStore cases =
        dev.rampart.cases.CaseStore.open("jdbc:sqlite:" + c.data().resolve("cases.db"));
    dev.rampart.cases.triage.Triage grouper =
        new dev.rampart.cases.triage.Triage(cases, dev.rampart.cases.triage.AlertPolicy.defaults());
    Thread detector =
        Thread.ofPlatform()
            .name("detector")
            .start(
                () -> {
                  try {
                    new dev.rampart.alerting.detect.StreamingDetector(
                            server.spool(),
                            engine,
                            alertLog,
                            alerts -> {
                              alerts.forEach(
                                  a ->
                                      System.err.println(
                                          "rampart: alert ["
                                              + a.level()
                                              + "] "
                                              + a.title()
                                              + (a.entities().host() == null
                                                  ? ""
                                                  : " on " + a.entities().host())));
                              try {
                                grouper.accept(alerts);
                              } catch (dev.rampart.cases.incident.CaseException e) {
                                System.err.println("rampart: incidents: " + e.getMessage());
                              }
                            })
                        .run(stopping::get, 20);
                  } catch (java.io.IOException | RuntimeException e) {
                    if (!stopping.get()) {
                      System.err.println("rampart: detection stopped: " + e);
                    }
                  }
                });
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .unstarted(
                    () -> {
                      stopping.set(true);
                      try {
                        indexer.join(10_000);
                        detector.join(10_000);
                        alertLog.close();
                        cases.close();
                        store.close();
                        server.close();
                      } catch (java.io.IOException e) {
                        System.err.println("rampart: stopping: " + e.getMessage());
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    }));
    System.err.println(
        "rampart: serving; data in "
            + c.data()
            + ", indexed into "
            + c.data().resolve("store")
            + ", "
            + engine.rules().size()
            + " rules detecting (Ctrl-C stops)");
    for (String line : server.describe()) {
      System.err.println("  listening: " + line);
    }
    server.awaitShutdown();
    return ExitCodes.OK;
  }
}
