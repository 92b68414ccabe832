package dev.rampart.evtx.binxml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.evtx.render.JsonRenderer;
import dev.rampart.evtx.render.XmlRenderer;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Binary XML built by hand: the tokens the corpora rarely or never contain (CDATA, character and
 * entity references, processing instructions) and a template whose substitutions cover every value
 * type, including arrays and embedded binary XML.
 */
class BinXmlTest {
  static final int BASE = 512;

  private static XmlNode.Element parse(BinXmlWriter w) {
    byte[] chunk = new byte[65536];
    byte[] data = w.toByteArray();
    System.arraycopy(data, 0, chunk, BASE, data.length);
    return new ChunkParser(chunk, 65536).record(BASE, BASE + data.length);
  }

  private static String json(XmlNode.Element root) throws Exception {
    StringWriter sw = new StringWriter();
    try (var g = new ObjectMapper().getFactory().createGenerator(sw)) {
      JsonRenderer.write(root, g);
    }
    return sw.toString();
  }

  @Test
  void referencesCdataAndProcessingInstructions() throws Exception {
    BinXmlWriter w = new BinXmlWriter(BASE);
    w.fragmentHeader();
    w.open("Event", true).attribute("Kind", false).text("a<b").closeStart();
    w.open("A", false).closeStart().text("x").entityRef("amp").text("y").end();
    w.open("B", false).closeStart().cdata("raw <xml> & more").end();
    w.open("C", false).closeStart().charRef(65).end();
    w.pi("target", "some data");
    w.open("D", false).closeEmpty();
    w.end().eof();
    XmlNode.Element root = parse(w);
    String xml = XmlRenderer.render(root);
    assertThat(xml)
        .contains("<Event Kind=\"a&lt;b\">")
        .contains("<A>x&amp;y</A>")
        .contains("<B><![CDATA[raw <xml> & more]]></B>")
        .contains("<C>&#65;</C>")
        .contains("<?target some data?>")
        .contains("<D/>");
    assertThat(json(root))
        .isEqualTo(
            "{\"Event\":{\"#attributes\":{\"Kind\":\"a<b\"},\"A\":\"x&amp;y\",\"B\":\"raw <xml> & more\",\"C\":\"&#65;\",\"D\":null}}");
  }

  /** One template, one value of every type; the record carries the values. */
  @Test
  void everyValueTypeThroughATemplate() throws Exception {
    List<int[]> types = new ArrayList<>(); // {type}
    List<byte[]> values = new ArrayList<>();
    List<String> names = new ArrayList<>();
    add(names, types, values, "String", Values.STRING, utf16("héllo wörld\0"));
    add(
        names,
        types,
        values,
        "Ansi",
        Values.ANSI_STRING,
        "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));
    add(names, types, values, "Int8", Values.INT8, new byte[] {(byte) -5});
    add(names, types, values, "UInt8", Values.UINT8, new byte[] {(byte) 250});
    add(names, types, values, "Int16", Values.INT16, le(-300, 2));
    add(names, types, values, "UInt16", Values.UINT16, le(65000, 2));
    add(names, types, values, "Int32", Values.INT32, le(-70000, 4));
    add(names, types, values, "UInt32", Values.UINT32, le(4000000000L, 4));
    add(names, types, values, "Int64", Values.INT64, le(-5000000000L, 8));
    add(names, types, values, "UInt64", Values.UINT64, le(-1L, 8));
    add(names, types, values, "Real32", Values.REAL32, le(Float.floatToIntBits(1.5f), 4));
    add(names, types, values, "Real64", Values.REAL64, le(Double.doubleToLongBits(0.25), 8));
    add(names, types, values, "Bool", Values.BOOL, le(1, 4));
    add(names, types, values, "Binary", Values.BINARY, new byte[] {0x0a, (byte) 0xbc, 0x01});
    add(names, types, values, "Guid", Values.GUID, guid());
    add(names, types, values, "SizeT", Values.SIZE_T, le(0x1234, 8));
    add(
        names,
        types,
        values,
        "FileTime",
        Values.FILETIME,
        le(132_000_000_000_000_000L + 1234567, 8));
    add(names, types, values, "SysTime", Values.SYSTEMTIME, systemtime());
    add(names, types, values, "Sid", Values.SID, sid());
    add(names, types, values, "Hex32", Values.HEX_INT32, le(0xbeef, 4));
    add(names, types, values, "Hex64", Values.HEX_INT64, le(0x8000000000000000L, 8));
    add(names, types, values, "Strings", Values.STRING | Values.ARRAY, utf16("one\0two\0"));
    add(names, types, values, "UInt16s", Values.UINT16 | Values.ARRAY, concat(le(1, 2), le(2, 2)));
    add(names, types, values, "Null", Values.NULL, new byte[0]);

    BinXmlWriter w = new BinXmlWriter(BASE);
    w.fragmentHeader();
    // Template instance with the definition inline.
    w.u8(0x0c).u8(0x01).i32(7);
    int defOffset = w.pos() + 4;
    w.i32(defOffset);
    BinXmlWriter def = new BinXmlWriter(defOffset + 24);
    def.fragmentHeader();
    def.open("Event", false).closeStart();
    def.open("EventData", false).closeStart();
    for (int i = 0; i < names.size(); i++) {
      def.open("Data", true).attribute("Name", false).text(names.get(i)).closeStart();
      def.subst(i, types.get(i)[0], true).end();
    }
    def.open("Data", true).attribute("Name", false).text("Xml").closeStart();
    def.subst(names.size(), Values.BIN_XML, true).end();
    def.end().end().eof();
    byte[] d = def.toByteArray();
    w.i32(0).bytes(new byte[16]).i32(d.length).bytes(d);
    // Instance data: the values of the template, then a binary XML value.
    int valuesLength = values.stream().mapToInt(v -> v.length).sum();
    int nestedAt = w.pos() + 4 + 4 * (names.size() + 1) + valuesLength;
    BinXmlWriter nested = new BinXmlWriter(nestedAt);
    nested.open("Inner", false, false).closeStart().text("deep").end().eof();
    byte[] xmlValue = nested.toByteArray();
    w.i32(names.size() + 1);
    for (int i = 0; i < names.size(); i++) {
      w.u16(values.get(i).length).u8(types.get(i)[0]).u8(0);
    }
    w.u16(xmlValue.length).u8(Values.BIN_XML).u8(0);
    for (byte[] v : values) {
      w.bytes(v);
    }
    w.bytes(xmlValue);
    w.eof();

    XmlNode.Element root = parse(w);
    String json = json(root);
    assertThat(json)
        .contains("\"String\":\"héllo wörld\"")
        .contains("\"Ansi\":\"café\"")
        .contains("\"Int8\":-5")
        .contains("\"UInt8\":250")
        .contains("\"Int16\":-300")
        .contains("\"UInt16\":65000")
        .contains("\"Int32\":-70000")
        .contains("\"UInt32\":4000000000")
        .contains("\"Int64\":-5000000000")
        .contains("\"UInt64\":18446744073709551615")
        .contains("\"Real32\":\"1.5\"")
        .contains("\"Real64\":\"0.25\"")
        .contains("\"Bool\":true")
        .contains("\"Binary\":\"0ABC01\"")
        .contains("\"Guid\":\"33221100-5544-7766-8899-AABBCCDDEEFF\"")
        .contains("\"SizeT\":\"0x1234\"")
        .contains("\"FileTime\":\"2019-04-17T18:40:00.123456Z\"")
        .contains("\"SysTime\":\"2024-02-29T23:59:58.123000Z\"")
        .contains("\"Sid\":\"S-1-5-21-1000-2000-500\"")
        .contains("\"Hex32\":\"0xbeef\"")
        .contains("\"Hex64\":\"0x8000000000000000\"")
        .contains("\"Strings\":\"one,two\"")
        .contains("\"UInt16s\":\"1,2\"")
        .contains("\"Null\":\"\"")
        // A Data element holding elements keeps its Name attribute, as the evtx crate writes it.
        .contains("\"Xml\":{\"#attributes\":{\"Name\":\"Xml\"},\"Inner\":\"deep\"}");
    assertThat(XmlRenderer.render(root)).contains("<Data Name=\"Xml\">", "<Inner>deep</Inner>");
  }

  @Test
  void damageEndsInOurOwnParseErrorWithAnOffset() {
    BinXmlWriter w = new BinXmlWriter(BASE);
    w.fragmentHeader().open("Event", false).closeStart().u8(0x33); // not a token
    assertThatThrownBy(() -> parse(w))
        .isInstanceOf(EvtxFormatException.class)
        .hasMessageContaining("unexpected token 0x33");
    BinXmlWriter cut = new BinXmlWriter(BASE);
    cut.fragmentHeader().open("Event", false).closeStart().text("runs off the end");
    assertThatThrownBy(() -> parse(cut)).isInstanceOf(EvtxFormatException.class);
  }

  private static void add(
      List<String> names, List<int[]> types, List<byte[]> values, String n, int t, byte[] v) {
    names.add(n);
    types.add(new int[] {t});
    values.add(v);
  }

  private static byte[] utf16(String s) {
    return s.getBytes(StandardCharsets.UTF_16LE);
  }

  private static byte[] le(long v, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (v >>> (8 * i));
    }
    return b;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] guid() {
    byte[] g = new byte[16];
    for (int i = 0; i < 16; i++) {
      g[i] = (byte) (i * 0x11);
    }
    return g;
  }

  private static byte[] systemtime() {
    return concat(
        concat(concat(le(2024, 2), le(2, 2)), concat(le(4, 2), le(29, 2))),
        concat(concat(le(23, 2), le(59, 2)), concat(le(58, 2), le(123, 2))));
  }

  private static byte[] sid() {
    byte[] head = {1, 4, 0, 0, 0, 0, 0, 5};
    return concat(concat(head, le(21, 4)), concat(le(1000, 4), concat(le(2000, 4), le(500, 4))));
  }
}
