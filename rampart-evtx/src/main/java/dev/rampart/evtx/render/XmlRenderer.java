package dev.rampart.evtx.render;

import dev.rampart.evtx.binxml.XmlNode;

/**
 * A record as XML text, as Event Viewer exports it: one element per line, two-space indentation,
 * {@code &amp; &lt; &gt;} escaped in text and quotes in attributes, references kept as written.
 */
public final class XmlRenderer {
  private XmlRenderer() {}

  public static String render(XmlNode.Element root) {
    StringBuilder sb = new StringBuilder(2048);
    sb.append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    element(root, 0, sb);
    return sb.toString();
  }

  private static void element(XmlNode.Element e, int depth, StringBuilder sb) {
    sb.repeat("  ", depth).append('<').append(e.name());
    for (XmlNode.Attribute a : e.attributes()) {
      if (!a.hasText()) {
        continue;
      }
      sb.append(' ').append(a.name()).append("=\"");
      content(a.value(), true, sb);
      sb.append('"');
    }
    if (e.children().isEmpty() || !e.hasElementChild() && !e.hasText()) {
      sb.append("/>\n");
      return;
    }
    sb.append('>');
    if (!e.hasElementChild()) {
      content(e.children(), false, sb);
      sb.append("</").append(e.name()).append(">\n");
      return;
    }
    sb.append('\n');
    for (XmlNode n : e.children()) {
      switch (n) {
        case XmlNode.Element child -> element(child, depth + 1, sb);
        case XmlNode.ProcessingInstruction p ->
            sb.repeat("  ", depth + 1)
                .append("<?")
                .append(p.target())
                .append(' ')
                .append(p.data())
                .append("?>\n");
        default -> {
          sb.repeat("  ", depth + 1);
          content(java.util.List.of(n), false, sb);
          sb.append('\n');
        }
      }
    }
    sb.repeat("  ", depth).append("</").append(e.name()).append(">\n");
  }

  private static void content(java.util.List<XmlNode> nodes, boolean attribute, StringBuilder sb) {
    for (XmlNode n : nodes) {
      switch (n) {
        case XmlNode.ValueNode v -> escape(v.value().text(), attribute, sb);
        case XmlNode.CData c -> sb.append("<![CDATA[").append(c.text()).append("]]>");
        case XmlNode.CharRef r -> sb.append("&#").append(r.codePoint()).append(';');
        case XmlNode.EntityRef r -> sb.append('&').append(r.name()).append(';');
        default -> {}
      }
    }
  }

  private static void escape(String s, boolean attribute, StringBuilder sb) {
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append(attribute ? "&quot;" : "\"");
        // XML parsers turn a raw CR LF into LF (and, in attributes, tabs and newlines into
        // spaces); references survive, so values like PrivilegeList read back unchanged.
        case '\r' -> sb.append("&#13;");
        case '\n' -> sb.append(attribute ? "&#10;" : "\n");
        case '\t' -> sb.append(attribute ? "&#9;" : "\t");
        default -> {
          // XML 1.0 cannot carry control characters, not even as references; event data
          // sometimes holds them (binary junk in a string field). U+FFFD keeps the output
          // well-formed; the JSON output keeps the original characters.
          boolean invalid =
              ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r' || ch == 0xFFFE || ch == 0xFFFF;
          sb.append(invalid ? '\uFFFD' : ch);
        }
      }
    }
  }
}
