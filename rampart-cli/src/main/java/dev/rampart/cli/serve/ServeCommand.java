package dev.rampart.cli.serve;

import dev.rampart.cli.ExitCodes;
import dev.rampart.cli.UsageException;
import dev.rampart.ingest.server.IngestConfig;
import dev.rampart.server.Platform;
import dev.rampart.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rampart serve}: the ingestion server, configured by a YAML file. */
@Command(
    name = "server",
    aliases = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Run the ingestion server: the inputs the config lists (syslog over TCP, TLS and UDP,",
      "HTTP with Elasticsearch _bulk, Splunk HEC and NDJSON, file tailing) feed parsers and the",
      "durable spool under the config's data folder. A sender's events are acknowledged only",
      "once they are on disk. From the spool, events are indexed into the store (rampart search)",
      "and run through the Sigma rules; alerts pass exceptions and suppression into incidents",
      "(rampart incidents); playbooks respond; the REST API (/api/openapi.json) serves it all.",
      "Bound ports go to DATA/ports.json; metrics are on the HTTP input's GET /metrics. Stops",
      "cleanly on Ctrl-C or SIGTERM. The config format is in docs/ingest-config.md; --check",
      "validates a config, the alert policy and the playbooks, and exits."
    },
    footer = {
      "",
      "Examples:",
      "  RAMPART_INGEST_TOKEN=s3cret rampart serve --config rampart.yaml",
      "  rampart serve --config rampart.yaml --check",
      "  curl -H \"Authorization: Bearer $(cat data/api-token)\" http://127.0.0.1:8080/api/incidents",
      "",
      "Send a test event:",
      "  logger --tcp --port 6514 --server 127.0.0.1 'hello from logger'",
      "  curl -H 'Authorization: Bearer s3cret' --data-binary @events.ndjson \\",
      "       http://127.0.0.1:9200/ingest"
    })
public final class ServeCommand implements Callable<Integer> {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "The server's YAML configuration. Without it: DATA/rampart.yaml, written with "
              + "the defaults on first start (syslog TCP 6514 and UDP 5514 and the API on "
              + "127.0.0.1).")
  Path config;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "The data folder when there is no --config (default: $RAMPART_DATA or ./data).")
  Path data;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "The API's port when there is no --config (default 8080; 0: any free port).")
  Integer port;

  @Option(names = "--check", description = "Validate the configuration, print it, and exit.")
  boolean check;

  /**
   * An input as --check reports it: its name, type and where it listens or what it follows, and for
   * a file input its multi-line rule and how many files it keeps open.
   */
  static String inputLine(dev.rampart.ingest.server.IngestConfig.Input in) {
    if (in.port() != null) {
      return in.effectiveName() + " (" + in.type() + ") " + in.effectiveBind() + ":" + in.port();
    }
    return in.effectiveName()
        + " ("
        + in.type()
        + ") "
        + in.paths()
        + (in.firstLine() == null ? "" : ", an event starts at lines matching " + in.firstLine())
        + ", up to "
        + (in.maxOpenFiles() == null
            ? dev.rampart.ingest.input.FileTailInput.Options.DEFAULT_MAX_OPEN_FILES
            : in.maxOpenFiles())
        + " files open";
  }

  /** The spool's limits and what keeps its page cache small, as {@code --check} shows them. */
  static String spoolLine(dev.rampart.ingest.server.IngestConfig.Spool sp) {
    dev.rampart.ingest.spool.PageCache cache = dev.rampart.ingest.spool.PageCache.system();
    return String.format(
        java.util.Locale.ROOT,
        "segments of %d MiB, kept up to %s GiB and %s days; page cache: %s",
        sp.segmentMb(),
        new java.math.BigDecimal(Double.toString(sp.retentionGb()))
            .stripTrailingZeros()
            .toPlainString(),
        new java.math.BigDecimal(Double.toString(sp.retentionDays()))
            .stripTrailingZeros()
            .toPlainString(),
        cache == dev.rampart.ingest.spool.PageCache.NONE
            ? "left to the system (dropping behind needs Linux and a JDK of 22 or later)"
            : "the newest "
                + sp.cacheMb()
                + " MiB kept, older pages dropped ("
                + cache.name()
                + ")");
  }

  @Override
  public Integer call() throws Exception {
    if (config == null) {
      config = defaultConfig();
    } else if (data != null || port != null) {
      throw new UsageException("--data and --port apply without --config; set them in the file");
    }
    if (!Files.isReadable(config)) {
      throw new UsageException(
          "cannot read " + config + "; docs/ingest-config.md has an example to start from");
    }
    IngestConfig c;
    ServerConfig sc;
    try {
      c = IngestConfig.load(config);
      sc = ServerConfig.load(config);
    } catch (IngestConfig.ConfigException e) {
      System.err.println("rampart: " + e.getMessage());
      return ExitCodes.USAGE;
    } catch (ServerConfig.ConfigException e) {
      System.err.println("rampart: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    if (check) {
      // The files the platform reads are checked too, with their lines.
      if (sc.alerting() != null) {
        try {
          dev.rampart.cases.triage.AlertPolicy.load(sc.alerting());
        } catch (dev.rampart.cases.triage.AlertPolicy.PolicyException e) {
          System.err.println("rampart: " + e.getMessage());
          return ExitCodes.USAGE;
        }
      }
      if (sc.playbooks() != null && java.nio.file.Files.isDirectory(sc.playbooks())) {
        dev.rampart.playbooks.playbook.Settings settings =
            dev.rampart.playbooks.playbook.Settings.of(
                sc.response().smtp(),
                sc.response().allowCommands(),
                c.data().resolve("blocklists"),
                sc.playbooks());
        int bad = 0;
        try (var files = java.nio.file.Files.newDirectoryStream(sc.playbooks(), "*.{yaml,yml}")) {
          for (Path f : files) {
            var r = dev.rampart.playbooks.playbook.PlaybookParser.load(f, settings);
            for (var problem : r.problems()) {
              System.err.println("rampart: " + problem);
              bad++;
            }
          }
        }
        if (bad > 0) {
          return ExitCodes.USAGE;
        }
      }
      System.out.println("configuration ok: data in " + c.data());
      c.inputs().forEach(in -> System.out.println("  " + inputLine(in)));
      System.out.println("  spool: " + spoolLine(c.spool()));
      return ExitCodes.OK;
    }
    // Detection uses Rampart's pack and the installed packs; without any the server still
    // ingests and indexes, and says detection is off.
    List<Path> rulePaths;
    try {
      rulePaths = dev.rampart.cli.rules.RuleOptions.defaultPaths(c.data());
    } catch (UsageException none) {
      System.err.println(
          "rampart: no rule packs (Rampart's rules/ folder is missing and none is installed):"
              + " detection is off; install one with 'rampart rules import'");
      rulePaths = List.of();
    }
    Platform platform;
    try {
      platform =
          Platform.start(
              new Platform.Options(
                  c, sc, rulePaths, line -> System.err.println("rampart: " + line)));
    } catch (dev.rampart.cases.yaml.Doc.ProblemsException e) {
      System.err.println("rampart: " + e.getMessage());
      return ExitCodes.USAGE;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .unstarted(
                    () -> {
                      try {
                        platform.close();
                      } catch (java.io.IOException e) {
                        System.err.println("rampart: stopping: " + e.getMessage());
                      }
                    }));
    System.err.println(
        "rampart: serving; data in "
            + c.data()
            + ", "
            + platform.engine().rules().size()
            + " rules detecting, "
            + platform.playbooks().playbooks().size()
            + " playbooks (Ctrl-C stops)");
    for (String line : platform.describe()) {
      System.err.println("  listening: " + line);
    }
    if (sc.api().enabled()) {
      System.err.println(
          "  api token: the admin's, in "
              + c.data().resolve("api-token")
              + " (readable by this user only)");
    }
    if (platform.adminPassword() != null) {
      // First start: the only time this password is shown.
      System.err.println("Admin password: " + platform.adminPassword());
      System.err.println("  (user admin; shown once; change it with rampart users passwd admin)");
    }
    platform.awaitShutdown();
    return ExitCodes.OK;
  }

  /** DATA/rampart.yaml, written with the defaults when missing (the file to edit later). */
  private Path defaultConfig() throws java.io.IOException {
    Path dir = data != null ? data : Path.of(System.getenv().getOrDefault("RAMPART_DATA", "data"));
    Path file = dir.resolve("rampart.yaml");
    int apiPort = port == null ? 8080 : port;
    if (port != null && (port < 0 || port > 65535)) {
      throw new UsageException("--port is 0..65535");
    }
    if (!Files.exists(file)) {
      Files.createDirectories(dir);
      Files.writeString(
          file,
          """
          # Written by rampart server on first start; edit and restart (docs/ingest-config.md).
          data: .
          inputs:
            - {type: syslog-tcp, port: 6514}
            - {type: syslog-udp, port: 5514}
          api:
            port: %d
          """
              .formatted(apiPort));
      System.err.println("rampart: wrote the default configuration to " + file);
    } else if (port != null) {
      // --port wins over the file's API port, for this run only (the file is left as it is).
      String text = Files.readString(file);
      String withPort = rewriteApiPort(text, apiPort);
      if (withPort.equals(text + "\n") || withPort.equals(text)) {
        withPort = text + (text.contains("\napi:") ? "" : "\napi:\n  port: " + apiPort + "\n");
      }
      Path tmp = dir.resolve(".rampart-run.yaml");
      Files.writeString(tmp, withPort);
      return tmp;
    }
    return file;
  }

  /** The config text with the api section's port set to {@code p}. */
  static String rewriteApiPort(String text, int p) {
    StringBuilder out = new StringBuilder();
    boolean inApi = false;
    boolean done = false;
    for (String line : text.split("\n", -1)) {
      if (!line.startsWith(" ") && !line.startsWith("#") && !line.isBlank()) {
        inApi = line.startsWith("api:");
      }
      if (inApi && !done && line.matches("\\s+port:\\s*\\d+\\s*")) {
        line = line.replaceAll("\\d+", Integer.toString(p));
        done = true;
      }
      out.append(line).append('\n');
    }
    return out.toString();
  }
}
