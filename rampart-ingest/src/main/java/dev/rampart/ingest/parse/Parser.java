package dev.rampart.ingest.parse;

import dev.rampart.core.event.Event;
import java.util.List;

/**
 * Turns one message (a line, a syslog frame, an HTTP document) into an event: ECS core fields
 * beside the source's native fields, {@code event.original}, and the log type the Sigma mapping
 * routes on. Parsers are pure functions of the message and their options; one instance may serve
 * one thread at a time.
 */
public interface Parser {
  /** The registry name ({@code rampart parse --parser NAME}). */
  String name();

  /** One line for {@code rampart parsers list}. */
  String description();

  /**
   * Whether this parser recognises the message's format (cheap; used by {@code auto}). A parser may
   * still fail on a message it claims.
   */
  boolean accepts(String message);

  /**
   * Parses {@code message} into {@code into} (cleared first). Returns null on success, or the error
   * with the column where parsing failed; on error {@code into} holds at least {@code
   * event.original} and {@code message}.
   */
  ParseError parse(String message, Event into);

  /**
   * The message's next event, after {@link #parse} succeeded: a message may carry several (a
   * CloudTrail or Azure Monitor document of {@code {"Records": [...]}}, as shippers forward them),
   * and the first is what {@code parse} gave. Fills {@code into} and returns true, or false when
   * the message has no more (the default: one event per message).
   */
  default boolean next(Event into) {
    return false;
  }

  /**
   * The records of the message that could not be read and are in none of the events {@link #parse}
   * and {@link #next} gave (an element of a {@code {"Records": [...]}} document nested too deep,
   * say), each with its own text and why, for the dead letters: the message as a whole parsed, so
   * without this they would vanish uncounted. Complete once {@code next} returned false; empty (the
   * default) for formats of one event per message, and when {@code parse} failed.
   */
  default List<Rejected> rejected() {
    return List.of();
  }

  /** A record left out of a message's events: its text (part of the message) and why. */
  record Rejected(String text, ParseError error) {}

  /**
   * A new joiner for a stream of lines when one event of this format spans several lines that may
   * interleave with other events' (auditd); null (the default) when every line is a message.
   */
  default RecordJoiner joiner() {
    return null;
  }
}
