package dev.rampart.ingest.parse;

import dev.rampart.core.event.Event;
import dev.rampart.ingest.parse.access.AccessLogParser;
import dev.rampart.ingest.parse.cef.CefParser;
import dev.rampart.ingest.parse.json.JsonLineParser;
import dev.rampart.ingest.parse.kv.KeyValueParser;
import dev.rampart.ingest.parse.leef.LeefParser;
import dev.rampart.ingest.parse.raw.RawParser;
import dev.rampart.ingest.parse.syslog.SyslogParser;
import dev.rampart.ingest.parse.winxml.WindowsXmlParser;
import java.util.List;

/**
 * The parser registry: every parser, in the order {@code auto} tries them (most specific first:
 * JSON, CEF and LEEF are recognised anywhere behind a syslog header; syslog before key=value). The
 * entry point of message parsing.
 */
public final class Parsers {
  private Parsers() {}

  /** Fresh instances of every parser (parsers are per-thread). */
  public static List<Parser> all(ParseOptions options) {
    return List.of(
        new JsonLineParser(),
        new WindowsXmlParser(),
        new CefParser(options),
        new LeefParser(options),
        new AccessLogParser(),
        new dev.rampart.ingest.parse.auditd.AuditdParser(),
        new dev.rampart.ingest.parse.zeek.ZeekTsvParser(),
        new dev.rampart.ingest.parse.w3c.W3cParser(options),
        new SyslogParser(options),
        new KeyValueParser());
  }

  /** The parser of that name, {@code raw} or {@code auto}; null when there is none. */
  public static Parser named(String name, ParseOptions options) {
    if (name.equals("auto")) {
      return new Auto(all(options));
    }
    if (name.equals("raw")) {
      return new RawParser();
    }
    return all(options).stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
  }

  /** Tries the parsers that accept the message, in registry order; the first success wins. */
  static final class Auto implements Parser {
    private final List<Parser> parsers;

    Auto(List<Parser> parsers) {
      this.parsers = parsers;
    }

    @Override
    public String name() {
      return "auto";
    }

    @Override
    public String description() {
      return "recognise the format: "
          + String.join(", ", parsers.stream().map(Parser::name).toList());
    }

    @Override
    public boolean accepts(String message) {
      return true;
    }

    private Parser chosen;

    @Override
    public ParseError parse(String message, Event into) {
      ParseError first = null;
      chosen = null;
      for (Parser p : parsers) {
        if (p.accepts(message)) {
          ParseError e = p.parse(message, into);
          if (e == null) {
            chosen = p;
            return null;
          }
          if (first == null) {
            first = e;
          }
        }
      }
      if (first == null) {
        into.clear();
        into.addString(Fields.ORIGINAL, message);
        into.addString(Fields.MESSAGE, message);
        return new ParseError("auto", 1, "no parser recognises this format");
      }
      return first;
    }

    @Override
    public boolean next(Event into) {
      return chosen != null && chosen.next(into);
    }

    @Override
    public java.util.List<Rejected> rejected() {
      return chosen == null ? java.util.List.of() : chosen.rejected();
    }
  }
}
