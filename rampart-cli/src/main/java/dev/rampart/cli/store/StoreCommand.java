package dev.rampart.cli.store;

import dev.rampart.cli.DataOptions;
import dev.rampart.cli.Progress;
import dev.rampart.cli.ReadingOptions;
import dev.rampart.cli.UsageException;
import dev.rampart.core.io.Problems;
import dev.rampart.ingest.files.LogFiles;
import dev.rampart.ingest.spool.Spool;
import dev.rampart.store.EventStore;
import dev.rampart.store.StoreOptions;
import dev.rampart.store.mapping.FieldType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rampart store ...}: load, inspect and trim the event store. */
@Command(
    name = "store",
    mixinStandardHelpOptions = true,
    description = {
      "The event store under DATA/store: one Lucene index per UTC day. Search it with",
      "rampart search."
    },
    subcommands = {
      StoreCommand.Import.class,
      StoreCommand.Index.class,
      StoreCommand.Stats.class,
      StoreCommand.Retention.class
    },
    footer = {
      "",
      "Examples:",
      "  rampart store import events.ndjson.gz",
      "  rampart store index            # everything the spool holds that the store does not",
      "  rampart store stats",
      "  rampart store retention --max-age 90d --max-size 200GB"
    })
public final class StoreCommand implements Runnable {
  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        new picocli.CommandLine(this), "name a subcommand: import, index, stats or retention");
  }

  /** {@code --map FIELD=TYPE} options as field types; a usage error names a bad one. */
  public static Map<String, FieldType> overrides(List<String> specs) {
    Map<String, FieldType> out = new HashMap<>();
    for (String s : specs == null ? List.<String>of() : specs) {
      int eq = s.indexOf('=');
      FieldType t = eq < 0 ? null : FieldType.parse(s.substring(eq + 1));
      if (t == null) {
        throw new UsageException(
            "--map wants FIELD=TYPE with TYPE one of keyword, text, long, double, date, ip,"
                + " boolean, none; got '"
                + s
                + "'");
      }
      out.put(s.substring(0, eq), t);
    }
    return out;
  }

  static EventStore open(Path data, List<String> map) throws java.io.IOException {
    Problems problems = new Problems(20, p -> System.err.println(p));
    EventStore store =
        EventStore.open(
            data.resolve("store"), StoreOptions.defaults().withOverrides(overrides(map)), problems);
    store
        .mapping()
        .conflicts()
        .forEach(
            (f, why) ->
                System.err.println(
                    "warning: --map " + f + ": the field is already mapped (" + why + "); kept"));
    return store;
  }

  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description = {
        "Load events straight into the store, without the spool: JSON (NDJSON as rampart simulate",
        "and rampart parse write them, Windows event exports, Sysmon, Zeek, cloud audit logs),",
        "Windows .evtx files and text logs through the parsers, files or folders, .gz and .zst",
        "too, normalized as ingestion does (native fields kept, ECS names added). Importing a",
        "file twice stores its events twice."
      },
      footer = {
        "",
        "Examples:",
        "  rampart simulate --events 1000000 --out sim.ndjson.zst && rampart store import sim.ndjson.zst",
        "  rampart store import auth.ndjson --map user.name=keyword --map message=text",
        "  rampart store import seized/winevt/Logs/ seized/var/log/   # then search it, or the console"
      })
  static final class Import implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE")
    List<Path> files;

    @Option(
        names = "--map",
        paramLabel = "FIELD=TYPE",
        description = "Type of a field not yet in the store (keyword, text, long, ...).")
    List<String> map;

    @Mixin ReadingOptions reading;
    @Mixin DataOptions data;

    @Override
    public Integer call() throws Exception {
      Problems problems = new Problems(20, p -> System.err.println(p));
      long t0 = System.nanoTime();
      long n;
      try (EventStore store = open(data.dataDir(), map)) {
        EventStore.Importer importer = store.importer();
        try (importer;
            Progress progress = Progress.start("import", 0, "events")) {
          LogFiles.Options readOptions = reading.options();
          try (LogFiles.Inputs inputs = LogFiles.open(files)) {
            inputs.problems().forEach(problems::report);
            for (Path f : inputs.files()) {
              // JSON normalized as ingestion does: native names gain their ECS ones (CommandLine
              // also process.command_line), so searches and pages find imported events the same
              // way.
              LogFiles.read(
                  f,
                  null,
                  readOptions,
                  problems,
                  (e, line, offset) -> {
                    importer.add(e);
                    if ((importer.added() & 4095) == 0) {
                      progress.set(importer.added());
                    }
                  });
            }
          }
        }
        n = importer.added();
        double s = (System.nanoTime() - t0) / 1e9;
        System.err.printf(
            Locale.ROOT,
            "imported %,d events in %.1f s (%,.0f events/s) into %s; %,d values did not fit"
                + " their field's type (kept in the stored event); %,d bad records%n",
            n,
            s,
            n / s,
            data.dataDir().resolve("store"),
            store.indexer().unindexedValues.get(),
            problems.errors());
      }
      return problems.errors() > 0 ? 1 : 0;
    }
  }

  @Command(
      name = "index",
      mixinStandardHelpOptions = true,
      description = {
        "Index what the spool (DATA/spool) holds beyond the store's committed offset, then",
        "commit. After a crash it resumes there: nothing is indexed twice or missed.",
        "rampart serve does this continuously; this command is for spools filled by rampart",
        "ingest or a stopped server."
      },
      footer = {
        "",
        "Examples:",
        "  rampart ingest /var/log/auth.log && rampart store index",
        "  rampart store index --data /srv/rampart"
      })
  static final class Index implements Callable<Integer> {
    @Mixin DataOptions data;

    @Override
    public Integer call() throws Exception {
      Path dir = data.dataDir();
      Problems problems = new Problems(20, p -> System.err.println(p));
      long t0 = System.nanoTime();
      try (Spool spool = Spool.open(dir.resolve("spool"), Spool.Options.defaults(), problems);
          EventStore store = open(dir, null);
          Progress progress = Progress.start("index", spool.durable(), "bytes")) {
        long end = store.indexSpool(spool, progress::set);
        double s = (System.nanoTime() - t0) / 1e9;
        System.err.printf(
            Locale.ROOT,
            "indexed %,d events (%,d already in the store) in %.1f s; spool offset %,d committed%n",
            store.indexer().indexed.get(),
            store.indexer().skipped.get(),
            s,
            end);
      }
      return 0;
    }
  }

  @Command(
      name = "stats",
      mixinStandardHelpOptions = true,
      description = "Events and bytes per day, and the mapped fields with their types.",
      footer = {
        "",
        "Examples:",
        "  rampart store stats",
        "  rampart store stats --json | jq .days"
      })
  static final class Stats implements Callable<Integer> {
    @Mixin DataOptions data;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      try (EventStore store = open(data.dataDir(), null)) {
        var days = store.stats();
        var fields = store.fields();
        if (json) {
          var out = new java.util.LinkedHashMap<String, Object>();
          out.put(
              "days",
              days.stream()
                  .map(
                      d ->
                          Map.of(
                              "day", d.day().toString(), "events", d.events(), "bytes", d.bytes()))
                  .toList());
          var f = new java.util.TreeMap<String, String>();
          fields.forEach((k, v) -> f.put(k, v.label()));
          out.put("fields", f);
          System.out.println(
              new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(out));
          return 0;
        }
        long events = 0;
        long bytes = 0;
        System.out.printf("%-12s %14s %14s%n", "day", "events", "bytes");
        for (var d : days) {
          System.out.printf(Locale.ROOT, "%-12s %,14d %,14d%n", d.day(), d.events(), d.bytes());
          events += d.events();
          bytes += d.bytes();
        }
        System.out.printf(Locale.ROOT, "%-12s %,14d %,14d%n", "total", events, bytes);
        System.out.printf("%n%d fields:%n", fields.size());
        fields.forEach((k, v) -> System.out.printf("  %-50s %s%n", k, v.label()));
      }
      return 0;
    }
  }

  @Command(
      name = "retention",
      mixinStandardHelpOptions = true,
      description = {
        "Delete whole days: those older than --max-age, then the oldest while the store is",
        "larger than --max-size (the newest day is kept)."
      },
      footer = {
        "",
        "Examples:",
        "  rampart store retention --max-age 90d",
        "  rampart store retention --max-age 90d --max-size 500GB"
      })
  static final class Retention implements Callable<Integer> {
    @Mixin DataOptions data;

    @Option(names = "--max-age", paramLabel = "AGE", description = "e.g. 30d, 12w.")
    String maxAge;

    @Option(names = "--max-size", paramLabel = "SIZE", description = "e.g. 500MB, 200GB.")
    String maxSize;

    @Override
    public Integer call() throws Exception {
      if (maxAge == null && maxSize == null) {
        throw new UsageException("give --max-age, --max-size or both");
      }
      Duration age = maxAge == null ? null : Duration.ofNanos(span(maxAge));
      long bytes = maxSize == null ? 0 : size(maxSize);
      try (EventStore store = open(data.dataDir(), null)) {
        var deleted = store.applyRetention(age, bytes, Instant.now());
        System.err.println(
            deleted.isEmpty()
                ? "nothing to delete"
                : "deleted " + deleted.size() + " days: " + deleted);
      }
      return 0;
    }

    static long span(String s) {
      try {
        return dev.rampart.store.query.QueryParser.duration(s, 1);
      } catch (dev.rampart.store.query.QueryException e) {
        throw new UsageException("--max-age: " + e.problem());
      }
    }

    static long size(String s) {
      try {
        return StoreOptions.bytes(s);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--max-size wants " + e.getMessage());
      }
    }
  }
}
