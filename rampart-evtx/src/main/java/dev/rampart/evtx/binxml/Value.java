package dev.rampart.evtx.binxml;

import java.util.List;

/**
 * A substitution value of a record, decoded from its binary form. Most types become {@link Text} in
 * the form Windows tools render them (GUIDs, SIDs, times, hex integers, binary); integers and
 * booleans keep their type because JSON renders them as numbers; binary XML values hold the
 * elements they contain.
 */
public sealed interface Value {
  /** The text form (what XML shows and what JSON shows for non-numbers). */
  String text();

  /** No value: an optional substitution that is absent, or an empty payload. */
  record Null() implements Value {
    public static final Null INSTANCE = new Null();

    @Override
    public String text() {
      return "";
    }
  }

  record Text(String text) implements Value {}

  /** A signed or unsigned integer of any width; {@code unsigned} values use all 64 bits. */
  record Int(long value, boolean unsigned) implements Value {
    @Override
    public String text() {
      return unsigned ? Long.toUnsignedString(value) : Long.toString(value);
    }
  }

  record Bool(boolean value) implements Value {
    @Override
    public String text() {
      return value ? "true" : "false";
    }
  }

  /** Embedded binary XML: the elements it holds, already resolved. */
  record Xml(List<XmlNode.Element> elements) implements Value {
    @Override
    public String text() {
      return "";
    }
  }

  /**
   * Whether this value counts as content (JSON renders elements with only empty values as null).
   */
  default boolean isEmpty() {
    return switch (this) {
      case Null n -> true;
      case Text t -> t.text().isEmpty();
      case Xml x -> x.elements().isEmpty();
      default -> false;
    };
  }
}
