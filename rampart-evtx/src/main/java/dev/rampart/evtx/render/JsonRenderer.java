package dev.rampart.evtx.render;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.rampart.evtx.binxml.Value;
import dev.rampart.evtx.binxml.XmlNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A record as JSON in the layout of the Rust {@code evtx} crate's {@code evtx_dump -o json} (the
 * layout of SigmaHQ's regression data and what Hayabusa and Chainsaw users know):
 *
 * <ul>
 *   <li>an element is a key; with only text it is that value (a number when the text is one integer
 *       or boolean value), with nothing it is {@code null}, otherwise an object;
 *   <li>attributes go under {@code #attributes} (empty ones are left out), text beside children
 *       under {@code #text};
 *   <li>repeated child names get {@code _1}, {@code _2}, ... suffixes;
 *   <li>inside {@code EventData}/{@code UserData}, {@code <Data Name="X">v</Data>} becomes {@code
 *       "X": v} (empty data is {@code ""}); unnamed {@code Data} elements become {@code "Data":
 *       {"#text": v}} or {@code {"#text": [v, ...]}}.
 * </ul>
 */
public final class JsonRenderer {
  private JsonRenderer() {}

  /** Writes {@code {"Event": {...}}} for a record's root element. */
  public static void write(XmlNode.Element root, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeFieldName(root.name());
    value(root, false, g);
    g.writeEndObject();
  }

  private static void value(XmlNode.Element e, boolean container, JsonGenerator g)
      throws IOException {
    boolean text = e.hasText();
    boolean attributes = hasAttributeText(e);
    boolean children = e.hasElementChild();
    if (!children && !text && !attributes) {
      g.writeNull();
    } else if (!children && !attributes) {
      scalar(e.children(), g);
    } else {
      body(e, container, g);
    }
  }

  private static void body(XmlNode.Element e, boolean container, JsonGenerator g)
      throws IOException {
    g.writeStartObject();
    if (hasAttributeText(e)) {
      g.writeObjectFieldStart("#attributes");
      for (XmlNode.Attribute a : e.attributes()) {
        if (a.hasText()) {
          g.writeFieldName(a.name());
          scalar(a.value(), g);
        }
      }
      g.writeEndObject();
    }
    if (e.hasText()) {
      g.writeFieldName("#text");
      scalarSkippingElements(e.children(), g);
    }
    boolean named = false;
    int positional = 0;
    if (container) {
      for (XmlNode n : e.children()) {
        if (n instanceof XmlNode.Element d && d.name().equals("Data")) {
          XmlNode.Attribute name = d.attribute("Name");
          if (name != null && name.hasText()) {
            named = true;
          }
          positional++;
        }
      }
    }
    boolean positionalDone = false;
    Map<String, Integer> seen = null;
    for (XmlNode n : e.children()) {
      if (!(n instanceof XmlNode.Element child)) {
        continue;
      }
      if (container && child.name().equals("Data")) {
        if (named) {
          XmlNode.Attribute name = child.attribute("Name");
          if (name != null && name.hasText()) {
            g.writeFieldName(text(name.value()));
            dataValue(child, g);
          }
        } else if (!positionalDone) {
          positionalDone = true;
          g.writeObjectFieldStart("Data");
          g.writeFieldName("#text");
          if (positional == 1) {
            dataValue(child, g);
          } else {
            g.writeStartArray();
            for (XmlNode m : e.children()) {
              if (m instanceof XmlNode.Element d && d.name().equals("Data")) {
                dataValue(d, g);
              }
            }
            g.writeEndArray();
          }
          g.writeEndObject();
        }
        continue;
      }
      if (seen == null) {
        seen = new HashMap<>();
      }
      int count = seen.merge(child.name(), 1, Integer::sum);
      g.writeFieldName(count == 1 ? child.name() : child.name() + "_" + (count - 1));
      value(child, child.name().equals("EventData") || child.name().equals("UserData"), g);
    }
    g.writeEndObject();
  }

  private static void dataValue(XmlNode.Element d, JsonGenerator g) throws IOException {
    if (d.hasElementChild()) {
      body(d, false, g);
    } else if (!d.hasText()) {
      g.writeString("");
    } else {
      scalar(d.children(), g);
    }
  }

  /**
   * One integer or boolean value is a JSON number or boolean; anything else is a string, without
   * trailing white space (the evtx crate's JSON drops it, and rules are written against that).
   */
  private static void scalar(List<XmlNode> nodes, JsonGenerator g) throws IOException {
    if (nodes.size() == 1 && nodes.get(0) instanceof XmlNode.ValueNode v && number(v.value(), g)) {
      return;
    }
    g.writeString(text(nodes).stripTrailing());
  }

  private static void scalarSkippingElements(List<XmlNode> nodes, JsonGenerator g)
      throws IOException {
    Value single = singleValue(nodes);
    if (single != null && number(single, g)) {
      return;
    }
    g.writeString(text(nodes).stripTrailing());
  }

  /**
   * The one non-empty value among {@code nodes} when elements and processing instructions aside
   * there is nothing else (a number then stays a number), else null.
   */
  static Value singleValue(List<XmlNode> nodes) {
    Value single = null;
    int values = 0;
    for (XmlNode n : nodes) {
      switch (n) {
        case XmlNode.Element e -> {}
        case XmlNode.ValueNode v -> {
          if (!v.value().isEmpty()) {
            single = v.value();
            values++;
          }
        }
        case XmlNode.ProcessingInstruction p -> {}
        default -> {
          return null;
        }
      }
    }
    return values == 1 ? single : null;
  }

  private static boolean number(Value v, JsonGenerator g) throws IOException {
    switch (v) {
      case Value.Int i -> {
        if (i.unsigned() && i.value() < 0) {
          g.writeNumber(new java.math.BigInteger(Long.toUnsignedString(i.value())));
        } else {
          g.writeNumber(i.value());
        }
        return true;
      }
      case Value.Bool b -> {
        g.writeBoolean(b.value());
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  /** The text of content: values, text, CDATA; references kept as written in XML. */
  static String text(List<XmlNode> nodes) {
    if (nodes.size() == 1 && nodes.get(0) instanceof XmlNode.ValueNode v) {
      return v.value().text();
    }
    StringBuilder sb = new StringBuilder();
    for (XmlNode n : nodes) {
      switch (n) {
        case XmlNode.ValueNode v -> sb.append(v.value().text());
        case XmlNode.CData c -> sb.append(c.text());
        case XmlNode.CharRef r -> sb.append("&#").append(r.codePoint()).append(';');
        case XmlNode.EntityRef r -> sb.append('&').append(r.name()).append(';');
        default -> {}
      }
    }
    return sb.toString();
  }

  private static boolean hasAttributeText(XmlNode.Element e) {
    for (XmlNode.Attribute a : e.attributes()) {
      if (a.hasText()) {
        return true;
      }
    }
    return false;
  }
}
