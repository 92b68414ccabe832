package dev.rampart.ingest.parse.winxml;

import static dev.rampart.ingest.parse.Fields.*;

import dev.rampart.core.event.Event;
import dev.rampart.core.normalize.Normalizers;
import dev.rampart.evtx.binxml.Value;
import dev.rampart.evtx.binxml.XmlNode;
import dev.rampart.evtx.render.EventBuilder;
import dev.rampart.ingest.parse.ParseError;
import dev.rampart.ingest.parse.Parser;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Windows events as XML, one {@code <Event>} per message, as Windows Event Forwarding, NXLog
 * ({@code to_xml}) and {@code wevtutil qe /f:xml} write them. The XML becomes the same tree the
 * EVTX reader builds and goes through the same {@link EventBuilder} and normalizer, so a forwarded
 * event and the same record read from an .evtx file give the same fields. System values that
 * Windows types as numbers (EventID, Level, ProcessID, ...) are numbers here too. DTDs and external
 * entities are refused (no XXE).
 */
public final class WindowsXmlParser implements Parser {
  private static final Set<String> NUMERIC =
      Set.of(
          "EventID",
          "Version",
          "Level",
          "Task",
          "Opcode",
          "EventRecordID",
          "ProcessID",
          "ThreadID",
          "Qualifiers");
  private static final XMLInputFactory XML = XMLInputFactory.newFactory();

  static {
    XML.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    XML.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    XML.setProperty(XMLInputFactory.IS_COALESCING, true);
  }

  private final EventBuilder builder = new EventBuilder();

  @Override
  public String name() {
    return "winxml";
  }

  @Override
  public String description() {
    return "Windows event XML (WEF, NXLog, wevtutil) to the same fields as EVTX files";
  }

  @Override
  public boolean accepts(String m) {
    int i = m.indexOf("<Event");
    return i >= 0 && i < 64 && m.contains("</Event>");
  }

  @Override
  public ParseError parse(String m, Event into) {
    XmlNode.Element root;
    try {
      root = read(m);
    } catch (XMLStreamException | RuntimeException e) {
      into.clear();
      into.addString(ORIGINAL, m);
      into.addString(MESSAGE, m);
      int column =
          e instanceof XMLStreamException x && x.getLocation() != null
              ? x.getLocation().getColumnNumber()
              : 1;
      return new ParseError(
          name(), Math.max(1, column), "not well-formed event XML: " + e.getMessage());
    }
    if (root == null || !root.name().equals("Event")) {
      into.clear();
      into.addString(ORIGINAL, m);
      into.addString(MESSAGE, m);
      return new ParseError(name(), 1, "the root element is not <Event>");
    }
    if (!builder.build(root, into)) {
      into.clear();
      into.addString(ORIGINAL, m);
      into.addString(MESSAGE, m);
      return new ParseError(name(), 1, "event shape not supported (nested unnamed data)");
    }
    Normalizers.normalize(into);
    into.addString(ORIGINAL, m);
    return null;
  }

  private static XmlNode.Element read(String m) throws XMLStreamException {
    XMLStreamReader r = XML.createXMLStreamReader(new StringReader(m));
    try {
      List<Object[]> stack = new ArrayList<>(); // {name, attributes, children}
      XmlNode.Element root = null;
      while (r.hasNext()) {
        int t = r.next();
        switch (t) {
          case XMLStreamConstants.START_ELEMENT -> {
            List<XmlNode.Attribute> attrs = new ArrayList<>();
            // Namespace declarations are attributes in the binary XML, so they are here too.
            for (int i = 0; i < r.getNamespaceCount(); i++) {
              String prefix = r.getNamespacePrefix(i);
              String name = prefix == null || prefix.isEmpty() ? "xmlns" : "xmlns:" + prefix;
              attrs.add(new XmlNode.Attribute(name, List.of(text(r.getNamespaceURI(i), false))));
            }
            for (int i = 0; i < r.getAttributeCount(); i++) {
              String name = r.getAttributeLocalName(i);
              // Values are kept as written: a braced GUID in Windows XML may be GUID-typed in the
              // record (the EVTX layout shows those bare) or a string (shown with braces); the XML
              // cannot tell, and no Sigma rule depends on it.
              String v = r.getAttributeValue(i);
              attrs.add(new XmlNode.Attribute(name, List.of(text(v, NUMERIC.contains(name)))));
            }
            stack.add(new Object[] {r.getLocalName(), attrs, new ArrayList<XmlNode>()});
          }
          case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> {
            if (!stack.isEmpty() && !r.isWhiteSpace()) {
              Object[] top = stack.get(stack.size() - 1);
              @SuppressWarnings("unchecked")
              List<XmlNode> children = (List<XmlNode>) top[2];
              children.add(text(r.getText(), NUMERIC.contains((String) top[0])));
            }
          }
          case XMLStreamConstants.END_ELEMENT -> {
            Object[] top = stack.remove(stack.size() - 1);
            @SuppressWarnings("unchecked")
            XmlNode.Element e =
                new XmlNode.Element(
                    (String) top[0],
                    (List<XmlNode.Attribute>) top[1],
                    (List<XmlNode>) top[2],
                    false);
            if (stack.isEmpty()) {
              root = e;
            } else {
              @SuppressWarnings("unchecked")
              List<XmlNode> parent = (List<XmlNode>) stack.get(stack.size() - 1)[2];
              parent.add(e);
            }
          }
          default -> {}
        }
      }
      return root;
    } finally {
      r.close();
    }
  }

  private static XmlNode.ValueNode text(String s, boolean numeric) {
    if (numeric && !s.isEmpty() && s.length() < 19 && s.chars().allMatch(Character::isDigit)) {
      return new XmlNode.ValueNode(new Value.Int(Long.parseLong(s), true));
    }
    return new XmlNode.ValueNode(new Value.Text(s));
  }
}
