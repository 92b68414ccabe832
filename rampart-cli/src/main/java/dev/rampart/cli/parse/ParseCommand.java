package dev.rampart.cli.parse;

import dev.rampart.cli.ExitCodes;
import dev.rampart.cli.ReadingOptions;
import dev.rampart.core.event.Event;
import dev.rampart.core.json.JsonEventWriter;
import dev.rampart.ingest.files.LogFiles;
import dev.rampart.ingest.parse.ParseError;
import dev.rampart.ingest.parse.TextLogReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rampart parse}: try a parser on your own log lines. */
@Command(
    name = "parse",
    mixinStandardHelpOptions = true,
    description = {
      "Parse log files line by line with one parser (or recognise each line's format with auto;",
      "an audit log is read with auditd, its records joined, Zeek TSV with zeek, IIS and Windows",
      "Firewall logs with w3c) and print the events as NDJSON, the way Rampart will store them. A summary on stderr counts what parsed,",
      "what failed and why (with line and column), so you can check a parser on your logs before",
      "pointing a sender at Rampart. Exit code 1 when a line failed."
    },
    footer = {
      "",
      "Examples:",
      "  rampart parse /var/log/auth.log --parser syslog | head",
      "  rampart parse firewall.log                           # auto: JSON, CEF, LEEF, syslog, kv",
      "  rampart parse qradar.log --parser leef --errors-only",
      "  rampart parse seized/var/log/ > var-log.ndjson          # a folder's (or archive's) text logs",
      "",
      "Parsers: rampart parsers list"
    })
public final class ParseCommand implements Callable<Integer> {
  @Parameters(
      arity = "1..*",
      paramLabel = "FILE",
      description =
          "Text log files or folders (.gz, .zst, zip and tar archives too); EVTX and binary"
              + " files are passed over with a note.")
  List<Path> files;

  @Mixin ReadingOptions reading;

  @Option(names = "--errors-only", description = "Print only the lines that failed, with why.")
  boolean errorsOnly;

  @Override
  public Integer call() throws IOException {
    LogFiles.Options options = reading.options();
    long messages = 0;
    long rawLines = 0; // differs from messages when a joiner groups lines
    long failed = 0;
    long leftOut = 0; // records inside messages that parsed, which could not be read
    boolean joined = false;
    boolean damaged = false; // an archive that could not be read to its end
    int passedOver = 0; // EVTX and binary files
    int evtx = 0;
    Set<String> used = new TreeSet<>();
    Map<String, Long> reasons = new TreeMap<>();
    OutputStream os = new java.io.BufferedOutputStream(System.out, 1 << 16);
    JsonEventWriter out = new JsonEventWriter(os);
    Event e = new Event();
    try (LogFiles.Inputs inputs = LogFiles.open(files)) {
      inputs.problems().forEach(p -> System.err.println(p));
      damaged =
          inputs.problems().stream()
              .anyMatch(p -> p.severity() == dev.rampart.core.io.Problem.Severity.ERROR);
      for (Path file : inputs.files()) {
        LogFiles.Kind kind = LogFiles.kind(file);
        if (kind != LogFiles.Kind.TEXT && kind != LogFiles.Kind.JSON) {
          if (passedOver++ < 5) {
            System.err.printf(
                "%s: %s, not a text log: passed over%n",
                LogFiles.name(file),
                switch (kind) {
                  case EVTX -> "a Windows event log";
                  case UTMP -> "Linux login records (wtmp/btmp)";
                  default -> "binary (NUL bytes)";
                });
          }
          evtx += kind == LogFiles.Kind.BINARY ? 0 : 1;
          continue;
        }
        String f = LogFiles.name(file);
        try (TextLogReader r =
            new TextLogReader(
                new BufferedReader(
                    new InputStreamReader(LogFiles.openText(file), StandardCharsets.UTF_8)),
                options.parser(),
                LogFiles.yearsBefore(file, options.parse()))) {
          used.add(r.parser());
          joined |= r.joins();
          while (r.next(e)) {
            ParseError error = r.error();
            if (r.first()) {
              messages++;
            }
            if (error != null) {
              String why = error.parser() + ": " + error.message();
              if (r.inside()) {
                leftOut++;
              } else {
                failed++;
                why = why.replaceAll("'[^']*'", "'…'");
              }
              reasons.merge(why, 1L, Long::sum);
              if (failed + leftOut <= 20) {
                System.err.printf(
                    "%s:%d:%d: %s%s%n",
                    f,
                    r.line(),
                    error.column(),
                    error,
                    r.inside() ? " (a record inside the message)" : "");
              }
            }
            if (!errorsOnly || error != null) {
              out.write(e);
            }
          }
          rawLines += r.lines();
          if (r.cutLines() > 0) {
            System.err.printf(
                "%s:%d: %,d lines longer than %,d characters were cut there%n",
                f, r.firstCutLine(), r.cutLines(), TextLogReader.MAX_LINE);
          }
        }
      }
    }
    out.flush();
    os.flush();
    System.err.printf(
        "%,d %s, %,d parsed, %,d failed (parser %s)%n",
        messages,
        joined ? String.format("events from %,d lines", rawLines) : "lines",
        messages - failed,
        failed,
        String.join(", ", used));
    if (leftOut > 0) {
      System.err.printf(
          "%,d records inside messages that parsed could not be read (printed with"
              + " rampart.parse_error)%n",
          leftOut);
    }
    reasons.forEach((why, count) -> System.err.printf("  %,8d  %s%n", count, why));
    if (passedOver > 0) {
      System.err.printf(
          "%,d files passed over, not text logs: %,d event or login record files%s, %,d"
              + " binary%n",
          passedOver,
          evtx,
          evtx > 0 ? " (rampart events cat prints their events)" : "",
          passedOver - evtx);
    }
    return failed + leftOut > 0 || damaged ? ExitCodes.FINDINGS : ExitCodes.OK;
  }
}
