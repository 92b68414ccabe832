package dev.rampart.evtx.binxml;

import java.util.List;

/**
 * The XML tree of a record. Template definitions parse into the same nodes with {@link Subst}
 * placeholders; instantiating a template replaces them with the record's values.
 */
public sealed interface XmlNode {
  /**
   * An element. {@code dynamic} is true when the subtree contains substitutions, so a template's
   * static parts are shared between records instead of copied. {@code hasElementChild} and {@code
   * hasText} (non-empty content other than elements) are computed once here because renderers ask
   * for them at every level. The lists are the parser's own and are never modified after
   * construction; they are not copied, since records are built by the hundred thousand per second.
   */
  record Element(
      String name,
      List<Attribute> attributes,
      List<XmlNode> children,
      boolean dynamic,
      boolean hasElementChild,
      boolean hasText)
      implements XmlNode {
    public Element(
        String name, List<Attribute> attributes, List<XmlNode> children, boolean dynamic) {
      this(name, attributes, children, dynamic, anyElement(children), anyText(children));
    }

    private static boolean anyElement(List<XmlNode> children) {
      for (XmlNode n : children) {
        if (n instanceof Element) {
          return true;
        }
      }
      return false;
    }

    /** The first attribute of that name, or null. */
    public Attribute attribute(String attributeName) {
      for (Attribute a : attributes) {
        if (a.name().equals(attributeName)) {
          return a;
        }
      }
      return null;
    }
  }

  /** An attribute; its value is a sequence of text, values and references. */
  record Attribute(String name, List<XmlNode> value, boolean hasText) {
    public Attribute(String name, List<XmlNode> value) {
      this(name, value, anyText(value));
    }
  }

  /** Whether content holds anything but elements and empty values: what JSON treats as text. */
  static boolean anyText(List<XmlNode> nodes) {
    for (XmlNode n : nodes) {
      switch (n) {
        case ValueNode v -> {
          if (!v.value().isEmpty()) {
            return true;
          }
        }
        case CData c -> {
          if (!c.text().isEmpty()) {
            return true;
          }
        }
        case CharRef r -> {
          return true;
        }
        case EntityRef r -> {
          return true;
        }
        case Subst s -> {
          return true; // in a template: unknown until instantiated
        }
        default -> {}
      }
    }
    return false;
  }

  /** Literal or substituted content. */
  record ValueNode(Value value) implements XmlNode {}

  /** {@code &#N;} */
  record CharRef(int codePoint) implements XmlNode {}

  /** {@code &name;} */
  record EntityRef(String name) implements XmlNode {}

  record CData(String text) implements XmlNode {}

  record ProcessingInstruction(String target, String data) implements XmlNode {}

  /** A template placeholder for the value at {@code index}; never present in a record's tree. */
  record Subst(int index, int type, boolean optional) implements XmlNode {}
}
