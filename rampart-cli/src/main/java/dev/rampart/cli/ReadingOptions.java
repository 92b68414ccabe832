package dev.rampart.cli;

import dev.rampart.ingest.files.LogFiles;
import dev.rampart.ingest.parse.ParseOptions;
import dev.rampart.ingest.parse.Parsers;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import picocli.CommandLine.Option;

/**
 * How the commands that read log files read text logs: {@code --parser} and {@code --zone}. A
 * seized disk's syslog files carry local times without a zone or a year; the zone is the user's to
 * say, the year comes from each file's last write.
 */
public final class ReadingOptions {
  @Option(
      names = "--parser",
      paramLabel = "NAME",
      defaultValue = "auto",
      description =
          "The parser for text logs (files that are neither JSON nor EVTX): a name from 'rampart"
              + " parsers list', or auto (default: each line's format recognised; an audit log's"
              + " records joined by serial, Zeek TSV and W3C logs (IIS, Windows Firewall) read"
              + " under their header).")
  String parser;

  @Option(
      names = "--zone",
      paramLabel = "ZONE",
      description =
          "The time zone of text log times written without one (classic syslog), e.g."
              + " Europe/Berlin or +02:00 (default: UTC). Times without a year take the latest"
              + " year that puts them before the file's last write.")
  String zone;

  /** The options, or a usage error that says what is wrong. */
  public LogFiles.Options options() {
    if (!parser.equals("auto") && Parsers.named(parser, ParseOptions.defaults()) == null) {
      throw new UsageException(
          "no parser '" + parser + "'; see rampart parsers list (or use auto)");
    }
    return LogFiles.Options.DEFAULTS
        .withParser(parser)
        .withParse(new ParseOptions(zone(), Instant.now()));
  }

  public String parser() {
    return parser;
  }

  /** The zone given, or UTC. */
  public ZoneId zone() {
    if (zone == null) {
      return ZoneOffset.UTC;
    }
    try {
      return ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw new UsageException(
          "--zone "
              + zone
              + ": not a time zone (use a region such as Europe/Berlin or an offset such as +02:00)");
    }
  }
}
