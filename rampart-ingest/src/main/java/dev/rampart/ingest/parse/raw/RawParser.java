package dev.rampart.ingest.parse.raw;

import static dev.rampart.ingest.parse.Fields.*;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.EventSource;
import dev.rampart.ingest.parse.ParseError;
import dev.rampart.ingest.parse.Parser;

/**
 * Plain text: the message as it is, for logs no parser knows (application logs, stack traces joined
 * by a multi-line rule). Never fails; {@code auto} does not use it, so unknown formats still show
 * up as failures there.
 */
public final class RawParser implements Parser {
  @Override
  public String name() {
    return "raw";
  }

  @Override
  public String description() {
    return "plain text: the message as it is (never fails; not part of auto)";
  }

  @Override
  public boolean accepts(String message) {
    return true;
  }

  @Override
  public ParseError parse(String message, Event into) {
    into.clear();
    into.addString(ORIGINAL, message);
    into.addString(MESSAGE, message);
    into.source(new EventSource("", "", "raw"));
    return null;
  }
}
