package dev.rampart.cli.evtx;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.rampart.cli.ExitCodes;
import dev.rampart.cli.UsageException;
import dev.rampart.core.io.InputFiles;
import dev.rampart.core.io.Problems;
import dev.rampart.evtx.Evtx;
import dev.rampart.evtx.file.EvtxReader;
import dev.rampart.evtx.render.JsonRenderer;
import dev.rampart.evtx.render.XmlRenderer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rampart evtx dump}: every record of EVTX files as JSON lines or XML. */
@Command(
    name = "dump",
    mixinStandardHelpOptions = true,
    description = {
      "Write every record of EVTX files (.evtx, .evtx.gz; folders recursively) in file order.",
      "json: one record per line in the layout of the Rust evtx crate's evtx_dump (Event ->",
      "System / EventData, attributes under #attributes), the layout Hayabusa, Chainsaw and",
      "SigmaHQ's regression data use. xml: each record's XML. Damaged chunks and records are",
      "reported on stderr with byte offsets and skipped; exit code 1 when any record was bad."
    },
    footer = {
      "",
      "Examples:",
      "  rampart evtx dump Security.evtx | head",
      "  rampart evtx dump seized/winevt/Logs/ --output all.ndjson",
      "  rampart evtx dump Sysmon.evtx.gz --format xml",
    })
public final class DumpCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "FILE", description = "EVTX files or folders.")
  List<Path> paths;

  @Option(
      names = "--format",
      defaultValue = "json",
      paramLabel = "FORMAT",
      description = "json (one record per line) or xml (default: json).")
  String format;

  @Option(names = "--output", paramLabel = "FILE", description = "Write here instead of stdout.")
  Path output;

  @Override
  public Integer call() throws IOException {
    if (!format.equals("json") && !format.equals("xml")) {
      throw new UsageException("--format takes json or xml, not '" + format + "'");
    }
    List<Path> files = InputFiles.expand(paths).stream().filter(Evtx::isEvtx).toList();
    if (files.isEmpty()) {
      throw new UsageException("no .evtx files in " + paths);
    }
    Problems problems = new Problems(100, p -> System.err.println(p));
    long records = 0;
    long bad = 0;
    JsonFactory factory = new JsonFactory();
    try (OutputStream out =
        output == null
            ? new BufferedOutputStream(new NonClosing(System.out), 1 << 16)
            : new BufferedOutputStream(Files.newOutputStream(output), 1 << 16)) {
      for (Path f : files) {
        EvtxReader r =
            Evtx.read(
                f,
                problems,
                rec -> {
                  try {
                    if (format.equals("json")) {
                      try (JsonGenerator g = factory.createGenerator(out, JsonEncoding.UTF8)) {
                        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                        JsonRenderer.write(rec.root(), g);
                      }
                      out.write('\n');
                    } else {
                      out.write(XmlRenderer.render(rec.root()).getBytes(StandardCharsets.UTF_8));
                    }
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                });
        records += r.records();
        bad += r.badRecords();
      }
    }
    System.err.printf("%,d records from %d files, %,d bad%n", records, files.size(), bad);
    return bad > 0 ? ExitCodes.FINDINGS : ExitCodes.OK;
  }

  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
