package dev.rampart.cli.evtx;

import dev.rampart.cli.UsageException;
import dev.rampart.core.io.InputFiles;
import dev.rampart.core.io.Problems;
import dev.rampart.evtx.Evtx;
import dev.rampart.evtx.file.EvtxReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code rampart evtx info}: header facts and record counts, damage included. */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    description = {
      "Show each EVTX file's header (format version, chunk count, dirty and full flags, checksum)",
      "and what reading it found: chunks, good and bad records, and every problem with its offset."
    },
    footer = {
      "",
      "Examples:",
      "  rampart evtx info Security.evtx",
      "  rampart evtx info seized/Logs/"
    })
public final class InfoCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "FILE", description = "EVTX files or folders.")
  List<Path> paths;

  @Override
  public Integer call() throws IOException {
    List<Path> files = InputFiles.expand(paths).stream().filter(Evtx::isEvtx).toList();
    if (files.isEmpty()) {
      throw new UsageException("no .evtx files in " + paths);
    }
    for (Path f : files) {
      Problems problems = new Problems(20);
      long[] first = {Long.MAX_VALUE};
      long[] last = {Long.MIN_VALUE};
      EvtxReader r =
          Evtx.read(
              f,
              problems,
              rec -> {
                first[0] = Math.min(first[0], rec.writtenNanos());
                last[0] = Math.max(last[0], rec.writtenNanos());
              });
      System.out.println(f);
      EvtxReader.FileHeader h = r.header();
      if (h != null) {
        System.out.printf(
            "  format %d.%d, %d chunks in header, next record id %d, %s%s, header checksum %s%n",
            h.majorVersion(),
            h.minorVersion(),
            h.chunkCount(),
            h.nextRecordId(),
            h.dirty() ? "dirty (not closed cleanly)" : "clean",
            h.full() ? ", full" : "",
            h.checksumValid() ? "ok" : "BAD");
      }
      System.out.printf(
          "  %,d bytes, %d chunks read (%d damaged), %,d records, %,d bad records%n",
          r.bytesRead(), r.chunks(), r.badChunks(), r.records(), r.badRecords());
      if (r.records() > 0) {
        System.out.printf(
            "  written %s .. %s%n",
            dev.rampart.core.event.Timestamps.format(first[0]),
            dev.rampart.core.event.Timestamps.format(last[0]));
      }
      problems.kept().forEach(p -> System.out.println("  " + p));
      if (problems.total() > problems.kept().size()) {
        System.out.printf("  ... %d more problems%n", problems.total() - problems.kept().size());
      }
    }
    return 0;
  }
}
