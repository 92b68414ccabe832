package dev.rampart.cli.ingest;

import dev.rampart.cli.DataOptions;
import dev.rampart.cli.ExitCodes;
import dev.rampart.cli.Progress;
import dev.rampart.cli.ReadingOptions;
import dev.rampart.core.io.Problems;
import dev.rampart.ingest.files.LogFiles;
import dev.rampart.ingest.pipeline.Pipeline;
import dev.rampart.ingest.spool.Spool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code rampart ingest}: one-shot import of log files into the spool. */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = {
      "Import log files once into the durable spool under DATA/spool, where a server's detection",
      "and store consume them (or rampart store index): text logs through the parsers (each file's",
      "format recognised, audit records joined), Windows .evtx files, JSON (lines or documents),",
      "files or folders, .gz, .zst, zip and tar archives too. Every event carries log.file.path. Text",
      "lines that do not parse go to DATA/dead-letter.ndjson with the reason; the summary counts",
      "both."
    },
    footer = {
      "",
      "Examples:",
      "  rampart ingest /var/log/auth.log",
      "  rampart ingest firewall/*.log.gz --parser cef --data /srv/rampart",
      "  rampart ingest seized/winevt/Logs/ seized/var/log/ --zone Europe/Berlin",
    })
public final class IngestCommand implements Callable<Integer> {
  @Parameters(
      arity = "1..*",
      paramLabel = "FILE",
      description = "Log files or folders (.gz, .zst, zip and tar archives too).")
  List<Path> files;

  @Mixin ReadingOptions reading;
  @Mixin DataOptions data;

  /** The parsing of the file being read, made once per file rather than per message. */
  private Pipeline.Parsing parsing;

  @Override
  public Integer call() throws Exception {
    LogFiles.Options options = reading.options();
    Path dir = data.dataDir();
    Files.createDirectories(dir);
    Problems problems = new Problems(20, p -> System.err.println(p));
    long[] events = {0};
    int[] read = {0};
    try (Spool spool = Spool.open(dir.resolve("spool"), Spool.Options.defaults(), problems);
        LogFiles.Inputs inputs = LogFiles.open(files)) {
      inputs.problems().forEach(problems::report);
      long before = spool.end();
      // A smaller queue than a server's: it may hold events already read (EVTX), not only lines.
      Pipeline pipeline =
          new Pipeline(
              spool,
              dir.resolve("dead-letter.ndjson"),
              new Pipeline.Options(
                  reading.parser(),
                  16_384,
                  Math.max(1, Runtime.getRuntime().availableProcessors()),
                  4096));
      try (pipeline;
          Progress progress = Progress.start("ingest", 0, "events")) {
        for (Path f : inputs.files()) {
          String input = "file:" + f.getFileName();
          Map<String, Object> extra = Map.of("log.file.path", LogFiles.name(f));
          parsing = null;
          LogFiles.Result r =
              LogFiles.read(
                  f,
                  null,
                  options,
                  problems,
                  (e, line, offset) -> {
                    submit(pipeline, Pipeline.Message.read(e.copy(), input, extra));
                    tick(progress, ++events[0]);
                  },
                  (text, line, parser, parse) -> {
                    if (parsing == null) {
                      parsing = new Pipeline.Parsing(parser, parse);
                    }
                    submit(
                        pipeline,
                        new Pipeline.Message(text, input, "", null, extra, parsing, null));
                    tick(progress, ++events[0]);
                  });
          if (r.kind() != LogFiles.Kind.BINARY) {
            read[0]++;
          }
        }
      }
      System.err.printf(
          "%,d records from %d files: %,d events spooled (%s, %,d bytes), %,d to %s, %,d bad"
              + " records%n",
          events[0],
          read[0],
          pipeline.parsed.get(),
          dir.resolve("spool"),
          spool.end() - before,
          pipeline.failed.get(),
          dir.resolve("dead-letter.ndjson"),
          problems.errors());
      return pipeline.failed.get() > 0 || problems.errors() > 0 ? ExitCodes.FINDINGS : ExitCodes.OK;
    }
  }

  private static void submit(Pipeline pipeline, Pipeline.Message m)
      throws java.io.InterruptedIOException {
    try {
      pipeline.submit(m);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted");
    }
  }

  private static void tick(Progress progress, long n) {
    if ((n & 4095) == 0) {
      progress.set(n);
    }
  }
}
