package dev.rampart.evtx.binxml;

import java.util.List;

/**
 * The XML tree of a record. Template definitions parse into the same nodes with {@link Subst}
 * placeholders; instantiating a template replaces them with the record's values.
 */
public sealed interface XmlNode {
  /**
   * An element. {@code dynamic} is true when the subtree contains substitutions, so a template's
   * static parts are shared between records instead of copied.
   */
  record Element(String name, List<Attribute> attributes, List<XmlNode> children, boolean dynamic)
      implements XmlNode {
    public Element {
      attributes = List.copyOf(attributes);
      children = List.copyOf(children);
    }

    public boolean hasElementChild() {
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
  record Attribute(String name, List<XmlNode> value) {
    public Attribute {
      value = List.copyOf(value);
    }
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
