package dev.rampart.cli.ingest;

import dev.rampart.cli.DataOptions;
import dev.rampart.cli.ExitCodes;
import dev.rampart.cli.Progress;
import dev.rampart.cli.UsageException;
import dev.rampart.core.io.InputFiles;
import dev.rampart.core.io.Problems;
import dev.rampart.ingest.parse.ParseOptions;
import dev.rampart.ingest.parse.Parsers;
import dev.rampart.ingest.pipeline.Pipeline;
import dev.rampart.ingest.spool.Spool;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rampart ingest}: one-shot import of log files into the spool. */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = {
      "Import log files once: every line goes through the parser (auto by default) into the",
      "durable spool under DATA/spool, where detection and the store consume it. Lines that do",
      "not parse go to DATA/dead-letter.ndjson with the reason; the summary counts both."
    },
    footer = {
      "",
      "Examples:",
      "  rampart ingest /var/log/auth.log",
      "  rampart ingest firewall/*.log.gz --parser cef --data /srv/rampart",
    })
public final class IngestCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Log files (.gz and .zst too).")
  List<Path> files;

  @Option(
      names = "--parser",
      paramLabel = "NAME",
      defaultValue = "auto",
      description = "Parser name or auto (default).")
  String parser;

  @Mixin DataOptions data;

  @Override
  public Integer call() throws Exception {
    if (Parsers.named(parser, ParseOptions.defaults()) == null) {
      throw new UsageException("no parser '" + parser + "'; see rampart parsers list");
    }
    Path dir = data.dataDir();
    Files.createDirectories(dir);
    Problems problems = new Problems(20, p -> System.err.println(p));
    long lines = 0;
    try (Spool spool = Spool.open(dir.resolve("spool"), Spool.Options.defaults(), problems)) {
      long before = spool.end();
      Pipeline pipeline =
          new Pipeline(
              spool,
              dir.resolve("dead-letter.ndjson"),
              new Pipeline.Options(
                  parser, 65_536, Math.max(1, Runtime.getRuntime().availableProcessors()), 4096));
      try (pipeline;
          Progress progress = Progress.start("ingest", 0, "lines")) {
        // Formats whose events span interleaved lines (auditd) are joined per file first.
        dev.rampart.ingest.parse.Parser probe =
            dev.rampart.ingest.parse.Parsers.named(parser, ParseOptions.defaults());
        for (Path f : files) {
          String input = "file:" + f.getFileName();
          dev.rampart.ingest.parse.RecordJoiner joiner = probe.joiner();
          try (BufferedReader r =
              new BufferedReader(
                  new InputStreamReader(InputFiles.open(f), StandardCharsets.UTF_8), 1 << 16)) {
            String line;
            while ((line = r.readLine()) != null) {
              if (!line.isBlank()) {
                if (joiner == null) {
                  pipeline.submit(new Pipeline.Message(line, input, "", null));
                } else {
                  for (var joined : joiner.accept(line)) {
                    pipeline.submit(new Pipeline.Message(joined.text(), input, "", null));
                  }
                }
                if ((++lines & 4095) == 0) {
                  progress.set(lines);
                }
              }
            }
          }
          if (joiner != null) {
            for (var joined : joiner.flush()) {
              pipeline.submit(new Pipeline.Message(joined.text(), input, "", null));
            }
          }
        }
      }
      System.err.printf(
          "%,d lines from %d files: %,d events spooled (%s, %,d bytes), %,d to %s%n",
          lines,
          files.size(),
          pipeline.parsed.get(),
          dir.resolve("spool"),
          spool.end() - before,
          pipeline.failed.get(),
          dir.resolve("dead-letter.ndjson"));
      return pipeline.failed.get() > 0 ? ExitCodes.FINDINGS : ExitCodes.OK;
    }
  }
}
