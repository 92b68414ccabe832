package dev.rampart.core.normalize;

import dev.rampart.core.event.Event;

/**
 * Turns a raw event of one source shape into Rampart's schema (docs/schema.md): native fields under
 * the names the source uses (what Sigma rules expect), ECS fields added beside them, the event
 * timestamp set, and the log type the detection engine routes on.
 *
 * <p>Normalizers work in place on the reader's reusable event, so the hot path allocates nothing
 * beyond new field values. They describe themselves, and {@link Normalizers} lists them.
 */
public interface Normalizer {
  /** A short stable name, such as {@code windows}. */
  String name();

  /** One line for {@code rampart parsers list} and the docs. */
  String description();

  /**
   * Normalizes {@code e} if it has this normalizer's shape. Returns false, leaving {@code e}
   * untouched, when it does not.
   */
  boolean normalize(Event e);
}
