package dev.rampart.evtx.binxml;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Binary XML of one 64 KiB chunk: the token stream, names and template definitions (both stored
 * once per chunk and referenced by chunk offset, so they are cached here per chunk), and template
 * instances with their substitution values. The layout follows the libyal libevtx documentation;
 * where it is silent, the Rust {@code evtx} crate's observable output is the reference.
 *
 * <p>Every read is bounds-checked against the chunk and every loop advances, so damaged data ends
 * in an {@link EvtxFormatException} with the chunk offset, never in a hang or another exception.
 */
public final class ChunkParser {
  private static final int MAX_DEPTH = 64;

  private final byte[] b;
  private final int limit;
  private final Map<Integer, String> names = new HashMap<>();
  private final Map<Integer, Template> templates = new HashMap<>();
  private int depth;

  /** A parsed template definition: its root element with substitution placeholders. */
  record Template(int offset, List<XmlNode.Element> roots) {}

  /**
   * @param chunk the chunk's bytes, offset 0 = the chunk header
   * @param limit how many bytes of it are valid (less than 65536 in a truncated file)
   */
  public ChunkParser(byte[] chunk, int limit) {
    this.b = chunk;
    this.limit = Math.min(limit, chunk.length);
  }

  /** Templates parsed so far in this chunk (a measure for tests and benchmarks). */
  public int templates() {
    return templates.size();
  }

  /** Parses the binary XML of a record that lies in {@code [start, end)} to its root element. */
  public XmlNode.Element record(int start, int end) {
    depth = 0;
    List<XmlNode.Element> roots = fragment(new Cursor(start, end), false);
    if (roots.isEmpty()) {
      throw new EvtxFormatException(start, "record holds no element");
    }
    return roots.get(0);
  }

  // ---- token stream ----

  private final class Cursor {
    int pos;
    final int end;

    Cursor(int pos, int end) {
      this.pos = pos;
      this.end = Math.min(end, limit);
    }

    void need(int n) {
      if (n < 0 || pos + n > end) {
        throw new EvtxFormatException(pos, "binary XML runs past its end (" + n + " bytes needed)");
      }
    }

    int peek() {
      need(1);
      return b[pos] & 0xff;
    }

    int u8() {
      need(1);
      return b[pos++] & 0xff;
    }

    int u16() {
      need(2);
      int v = Values.u16(b, pos);
      pos += 2;
      return v;
    }

    int i32() {
      need(4);
      int v = Values.i32(b, pos);
      pos += 4;
      return v;
    }

    void skip(int n) {
      need(n);
      pos += n;
    }

    String utf16(int chars) {
      need(chars * 2);
      String s = Values.utf16(b, pos, chars * 2);
      pos += chars * 2;
      return s;
    }
  }

  /** A fragment: header, then elements or template instances, until EOF or the end. */
  private List<XmlNode.Element> fragment(Cursor c, boolean inSubstitution) {
    enter(c.pos);
    try {
      List<XmlNode.Element> out = new ArrayList<>(1);
      while (c.pos < c.end) {
        int t = c.peek();
        switch (t & ~0x40) {
          case 0x0f -> c.skip(4); // fragment header: token, major, minor, flags
          case 0x0c -> out.addAll(templateInstance(c));
          case 0x01 -> out.add(element(c, inSubstitution, false));
          case 0x0a -> processingInstruction(c);
          case 0x00 -> {
            c.u8();
            return out;
          }
          default ->
              throw new EvtxFormatException(
                  c.pos, "unexpected token 0x" + Integer.toHexString(t) + " in a fragment");
        }
      }
      return out;
    } finally {
      depth--;
    }
  }

  private void enter(int pos) {
    if (++depth > MAX_DEPTH) {
      throw new EvtxFormatException(pos, "binary XML nested deeper than " + MAX_DEPTH + " levels");
    }
  }

  /**
   * An element. {@code inSubstitution}: element starts inside a binary XML value carry no
   * dependency identifier ([MS-EVEN6]); {@code template}: substitutions are allowed.
   */
  private XmlNode.Element element(Cursor c, boolean inSubstitution, boolean template) {
    enter(c.pos);
    try {
      int start = c.pos;
      int token = c.u8();
      boolean hasAttributes = (token & 0x40) != 0;
      if (hasDependencyId(c, !inSubstitution)) {
        c.skip(2);
      }
      c.i32(); // data size
      String name = name(c);
      List<XmlNode.Attribute> attributes = List.of();
      boolean dynamic = false;
      if (hasAttributes) {
        c.i32(); // attribute list size
        attributes = new ArrayList<>(4);
        while ((c.peek() & ~0x40) == 0x06) {
          c.u8();
          String attributeName = name(c);
          List<XmlNode> value = new ArrayList<>(1);
          dynamic |= values(c, value, template);
          attributes.add(new XmlNode.Attribute(attributeName, value));
        }
      }
      int close = c.u8();
      if (close == 0x03) {
        return new XmlNode.Element(name, attributes, List.of(), dynamic);
      }
      if (close != 0x02) {
        throw new EvtxFormatException(
            c.pos - 1,
            "element <"
                + name
                + "> at "
                + start
                + ": expected the end of its start tag, found 0x"
                + Integer.toHexString(close));
      }
      List<XmlNode> children = new ArrayList<>(4);
      while (true) {
        int t = c.peek();
        switch (t & ~0x40) {
          case 0x04 -> {
            c.u8();
            return new XmlNode.Element(name, attributes, children, dynamic);
          }
          case 0x01 -> {
            XmlNode.Element child = element(c, inSubstitution, template);
            dynamic |= child.dynamic();
            children.add(child);
          }
          case 0x0c -> children.addAll(templateInstance(c));
          case 0x0a -> {
            String[] pi = processingInstruction(c);
            children.add(new XmlNode.ProcessingInstruction(pi[0], pi[1]));
          }
          case 0x05, 0x07, 0x08, 0x09, 0x0d, 0x0e -> dynamic |= values(c, children, template);
          default ->
              throw new EvtxFormatException(
                  c.pos,
                  "unexpected token 0x"
                      + Integer.toHexString(t)
                      + " in element <"
                      + printable(name)
                      + ">");
        }
      }
    } finally {
      depth--;
    }
  }

  /** A name for a message: damaged names are garbage, so keep them short and printable. */
  private static String printable(String name) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < name.length() && sb.length() < 40; i++) {
      char ch = name.charAt(i);
      sb.append(ch >= 0x20 && ch < 0x7f ? ch : '?');
    }
    return name.length() > 40 ? sb + "..." : sb.toString();
  }

  /**
   * Whether an element start carries the 2-byte dependency identifier. Windows writes it in
   * template definitions, [MS-EVEN6] leaves it out inside binary XML values, and tools that write
   * records without templates leave it out too. The name offset decides: it either points right
   * behind itself (an inline name) or at a name stored earlier in the chunk, which is only true for
   * one of the two readings.
   */
  private boolean hasDependencyId(Cursor c, boolean expected) {
    int with = c.pos + 2 + 4;
    int without = c.pos + 4;
    boolean withOk = with + 4 <= c.end && plausibleName(Values.i32(b, with), with + 4);
    boolean withoutOk = without + 4 <= c.end && plausibleName(Values.i32(b, without), without + 4);
    if (withOk != withoutOk) {
      return withOk;
    }
    return expected;
  }

  private boolean plausibleName(int offset, int after) {
    if (offset == after) {
      return true;
    }
    if (names.containsKey(offset)) {
      return true;
    }
    // An earlier name: inside the chunk's data, before this point, with a sane length.
    return offset >= 512
        && offset < after
        && offset + 8 <= limit
        && Values.u16(b, offset + 6) < 4096;
  }

  /**
   * Consecutive value tokens (text, substitutions, references, CDATA) into {@code out}; returns
   * whether a substitution was among them.
   */
  private boolean values(Cursor c, List<XmlNode> out, boolean template) {
    boolean subst = false;
    while (c.pos < c.end) {
      int t = c.peek();
      switch (t & ~0x40) {
        case 0x05 -> {
          c.u8();
          int type = c.u8();
          int chars = c.u16();
          String text = c.utf16(chars);
          if (type != Values.STRING) {
            throw new EvtxFormatException(
                c.pos, "value token of type 0x" + Integer.toHexString(type) + " (expected string)");
          }
          out.add(new XmlNode.ValueNode(new Value.Text(text)));
        }
        case 0x07 -> {
          c.u8();
          out.add(new XmlNode.CData(c.utf16(c.u16())));
        }
        case 0x08 -> {
          c.u8();
          out.add(new XmlNode.CharRef(c.u16()));
        }
        case 0x09 -> {
          c.u8();
          out.add(new XmlNode.EntityRef(name(c)));
        }
        case 0x0d, 0x0e -> {
          if (!template) {
            throw new EvtxFormatException(c.pos, "substitution outside a template definition");
          }
          c.u8();
          int index = c.u16();
          int type = c.u8();
          out.add(new XmlNode.Subst(index, type, (t & ~0x40) == 0x0e));
          subst = true;
        }
        default -> {
          return subst;
        }
      }
    }
    return subst;
  }

  private String[] processingInstruction(Cursor c) {
    c.u8(); // PI target
    String target = name(c);
    String data = "";
    if (c.pos < c.end && c.peek() == 0x0b) {
      c.u8();
      data = c.utf16(c.u16());
    }
    return new String[] {target, data};
  }

  /**
   * A name reference: a chunk offset. When it points at the current position the name is stored
   * right here (and the cursor moves past it); otherwise it was stored earlier in the chunk.
   */
  private String name(Cursor c) {
    int offset = c.i32();
    if (offset == c.pos) {
      c.skip(4 + 2); // next-string offset, hash
      int chars = c.u16();
      String s = c.utf16(chars);
      c.skip(2); // NUL
      names.putIfAbsent(offset, s);
      return s;
    }
    String cached = names.get(offset);
    if (cached != null) {
      return cached;
    }
    if (offset < 0 || offset + 8 > limit) {
      throw new EvtxFormatException(c.pos - 4, "name offset " + offset + " outside the chunk");
    }
    int chars = Values.u16(b, offset + 6);
    if (offset + 8 + chars * 2 > limit) {
      throw new EvtxFormatException(offset, "name at " + offset + " runs past the chunk");
    }
    String s = Values.utf16(b, offset + 8, chars * 2);
    names.put(offset, s);
    return s;
  }

  // ---- templates ----

  private List<XmlNode.Element> templateInstance(Cursor c) {
    int start = c.pos;
    c.u8(); // token
    c.u8(); // unknown
    c.i32(); // template id
    int definition = c.i32();
    Template template;
    if (definition == c.pos) {
      template = definition(definition);
      c.pos = definition + 24 + dataSize(definition);
    } else {
      template = templates.get(definition);
      if (template == null) {
        template = definition(definition);
      }
    }
    // Instance data: value count, (size, type, 0) descriptors, then the values back to back.
    int count = c.i32();
    if (count < 0 || count > 4096) {
      throw new EvtxFormatException(start, "template instance with " + count + " values");
    }
    int[] sizes = new int[count];
    int[] types = new int[count];
    for (int i = 0; i < count; i++) {
      sizes[i] = c.u16();
      types[i] = c.u8();
      c.u8();
    }
    Value[] values = new Value[count];
    for (int i = 0; i < count; i++) {
      c.need(sizes[i]);
      values[i] = value(c.pos, sizes[i], types[i]);
      c.pos += sizes[i];
    }
    List<XmlNode.Element> out = new ArrayList<>(template.roots().size());
    for (XmlNode.Element root : template.roots()) {
      out.add(instantiate(root, values));
    }
    return out;
  }

  private int dataSize(int definition) {
    if (definition < 0 || definition + 24 > limit) {
      throw new EvtxFormatException(definition, "template definition outside the chunk");
    }
    return Values.i32(b, definition + 20);
  }

  /** A template definition at a chunk offset: next offset, GUID, data size, then a fragment. */
  private Template definition(int offset) {
    Template cached = templates.get(offset);
    if (cached != null) {
      return cached;
    }
    int size = dataSize(offset);
    if (size < 0 || offset + 24 + size > limit) {
      throw new EvtxFormatException(
          offset, "template definition of " + size + " bytes runs past the chunk");
    }
    // Guard against a definition that (through damage) instantiates itself while being parsed.
    templates.put(offset, new Template(offset, List.of()));
    boolean done = false;
    try {
      List<XmlNode.Element> roots = templateFragment(new Cursor(offset + 24, offset + 24 + size));
      Template t = new Template(offset, roots);
      templates.put(offset, t);
      done = true;
      return t;
    } finally {
      if (!done) {
        templates.remove(offset); // a damaged definition must not stand in for later records
      }
    }
  }

  private List<XmlNode.Element> templateFragment(Cursor c) {
    enter(c.pos);
    try {
      List<XmlNode.Element> out = new ArrayList<>(1);
      while (c.pos < c.end) {
        int t = c.peek();
        switch (t & ~0x40) {
          case 0x0f -> c.skip(4);
          case 0x01 -> out.add(element(c, false, true));
          case 0x0c -> out.addAll(templateInstance(c));
          case 0x00 -> {
            return out;
          }
          default ->
              throw new EvtxFormatException(
                  c.pos, "unexpected token 0x" + Integer.toHexString(t) + " in a template");
        }
      }
      return out;
    } finally {
      depth--;
    }
  }

  private Value value(int off, int size, int type) {
    if (type == Values.BIN_XML) {
      if (size == 0) {
        return Value.Null.INSTANCE;
      }
      return new Value.Xml(fragment(new Cursor(off, off + size), true));
    }
    return Values.decode(b, off, size, type);
  }

  /** The template's tree with placeholders replaced; static subtrees are shared. */
  private static XmlNode.Element instantiate(XmlNode.Element e, Value[] values) {
    if (!e.dynamic()) {
      return e;
    }
    List<XmlNode.Attribute> attributes = e.attributes();
    if (!attributes.isEmpty()) {
      List<XmlNode.Attribute> resolved = new ArrayList<>(attributes.size());
      for (XmlNode.Attribute a : attributes) {
        resolved.add(new XmlNode.Attribute(a.name(), substitute(a.value(), values)));
      }
      attributes = resolved;
    }
    List<XmlNode> children = new ArrayList<>(e.children().size());
    for (XmlNode n : e.children()) {
      switch (n) {
        case XmlNode.Element child -> children.add(instantiate(child, values));
        case XmlNode.Subst s -> {
          Value v = s.index() < values.length ? values[s.index()] : Value.Null.INSTANCE;
          if (v instanceof Value.Xml xml) {
            children.addAll(xml.elements());
          } else {
            children.add(new XmlNode.ValueNode(v));
          }
        }
        default -> children.add(n);
      }
    }
    return new XmlNode.Element(e.name(), attributes, children, false);
  }

  private static List<XmlNode> substitute(List<XmlNode> nodes, Value[] values) {
    List<XmlNode> out = new ArrayList<>(nodes.size());
    for (XmlNode n : nodes) {
      if (n instanceof XmlNode.Subst s) {
        out.add(
            new XmlNode.ValueNode(
                s.index() < values.length ? values[s.index()] : Value.Null.INSTANCE));
      } else {
        out.add(n);
      }
    }
    return out;
  }
}
