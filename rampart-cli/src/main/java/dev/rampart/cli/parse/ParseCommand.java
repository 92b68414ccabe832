package dev.rampart.cli.parse;

import dev.rampart.cli.ExitCodes;
import dev.rampart.cli.UsageException;
import dev.rampart.core.event.Event;
import dev.rampart.core.io.InputFiles;
import dev.rampart.core.json.JsonEventWriter;
import dev.rampart.ingest.parse.Fields;
import dev.rampart.ingest.parse.ParseError;
import dev.rampart.ingest.parse.ParseOptions;
import dev.rampart.ingest.parse.Parser;
import dev.rampart.ingest.parse.Parsers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rampart parse}: try a parser on your own log lines. */
@Command(
    name = "parse",
    mixinStandardHelpOptions = true,
    description = {
      "Parse log files line by line with one parser (or recognise the format with auto) and print",
      "the events as NDJSON, the way Rampart will store them. A summary on stderr counts what",
      "parsed, what failed and why (with line and column), so you can check a parser on your logs",
      "before pointing a sender at Rampart. Exit code 1 when a line failed."
    },
    footer = {
      "",
      "Examples:",
      "  rampart parse /var/log/auth.log --parser syslog | head",
      "  rampart parse firewall.log                           # auto: JSON, CEF, LEEF, syslog, kv",
      "  rampart parse qradar.log --parser leef --errors-only",
      "",
      "Parsers: rampart parsers list"
    })
public final class ParseCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Log files (.gz and .zst too).")
  List<Path> files;

  @Option(
      names = "--parser",
      paramLabel = "NAME",
      defaultValue = "auto",
      description = "A parser name from 'rampart parsers list', or auto (default).")
  String parserName;

  @Option(names = "--errors-only", description = "Print only the lines that failed, with why.")
  boolean errorsOnly;

  @Override
  public Integer call() throws IOException {
    Parser parser = Parsers.named(parserName, ParseOptions.defaults());
    if (parser == null) {
      throw new UsageException(
          "no parser '" + parserName + "'; see rampart parsers list (or use auto)");
    }
    long lines = 0;
    long rawLines = 0; // differs from lines (messages) when a joiner groups them
    long failed = 0;
    long leftOut = 0; // records inside messages that parsed, which could not be read
    Map<String, Long> reasons = new TreeMap<>();
    OutputStream os = new java.io.BufferedOutputStream(System.out, 1 << 16);
    JsonEventWriter out = new JsonEventWriter(os);
    Event e = new Event();
    for (Path f : files) {
      // A format whose events span interleaved lines (auditd) joins them first, per file.
      dev.rampart.ingest.parse.RecordJoiner joiner = parser.joiner();
      List<dev.rampart.ingest.parse.RecordJoiner.Joined> messages = new java.util.ArrayList<>();
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(InputFiles.open(f), StandardCharsets.UTF_8))) {
        String line;
        long n = 0;
        while (true) {
          line = r.readLine();
          messages.clear();
          if (line == null) {
            if (joiner != null) {
              messages.addAll(joiner.flush());
            }
          } else {
            n++;
            rawLines++;
            if (line.isBlank()) {
              continue;
            }
            if (joiner == null) {
              messages.add(new dev.rampart.ingest.parse.RecordJoiner.Joined(line, n));
            } else {
              messages.addAll(joiner.accept(line));
            }
          }
          for (dev.rampart.ingest.parse.RecordJoiner.Joined m : messages) {
            lines++;
            ParseError error = parser.parse(m.text(), e);
            if (error != null) {
              failed++;
              reasons.merge(
                  error.parser() + ": " + error.message().replaceAll("'[^']*'", "'…'"),
                  1L,
                  Long::sum);
              if (failed <= 20) {
                System.err.printf("%s:%d:%d: %s%n", f, m.line(), error.column(), error);
              }
              e.addString("rampart.parse_error", error.toString());
            }
            if (!errorsOnly || error != null) {
              out.write(e);
            }
            // the further records of a {"Records": [...]} message
            while (error == null && parser.next(e)) {
              if (!errorsOnly) {
                out.write(e);
              }
            }
            for (Parser.Rejected left :
                error == null ? parser.rejected() : List.<Parser.Rejected>of()) {
              leftOut++;
              reasons.merge(left.error().parser() + ": " + left.error().message(), 1L, Long::sum);
              if (failed + leftOut <= 20) {
                System.err.printf(
                    "%s:%d:%d: %s (a record inside the message)%n",
                    f, m.line(), left.error().column(), left.error());
              }
              e.clear();
              e.addString(Fields.ORIGINAL, left.text());
              e.addString(Fields.MESSAGE, left.text());
              e.addString("rampart.parse_error", left.error().toString());
              out.write(e);
            }
          }
          if (line == null) {
            break;
          }
        }
      }
    }
    out.flush();
    os.flush();
    System.err.printf(
        "%,d %s, %,d parsed, %,d failed (parser %s)%n",
        lines,
        parser.joiner() == null ? "lines" : String.format("events from %,d lines", rawLines),
        lines - failed,
        failed,
        parser.name());
    if (leftOut > 0) {
      System.err.printf(
          "%,d records inside messages that parsed could not be read (printed with"
              + " rampart.parse_error)%n",
          leftOut);
    }
    reasons.forEach((why, count) -> System.err.printf("  %,8d  %s%n", count, why));
    return failed + leftOut > 0 ? ExitCodes.FINDINGS : ExitCodes.OK;
  }
}
