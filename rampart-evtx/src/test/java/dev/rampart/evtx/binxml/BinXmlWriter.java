package dev.rampart.evtx.binxml;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes binary XML by hand for tests, at a fixed chunk offset, so that offsets in names and
 * template references are real chunk offsets. Element sizes are not patched (the parser does not
 * rely on them).
 */
final class BinXmlWriter {
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final int base;

  BinXmlWriter(int base) {
    this.base = base;
  }

  int pos() {
    return base + out.size();
  }

  BinXmlWriter u8(int v) {
    out.write(v);
    return this;
  }

  BinXmlWriter u16(int v) {
    out.write(v);
    out.write(v >> 8);
    return this;
  }

  BinXmlWriter i32(int v) {
    u16(v);
    return u16(v >>> 16);
  }

  BinXmlWriter i64(long v) {
    i32((int) v);
    return i32((int) (v >>> 32));
  }

  BinXmlWriter bytes(byte[] b) {
    out.writeBytes(b);
    return this;
  }

  BinXmlWriter utf16(String s) {
    return bytes(s.getBytes(StandardCharsets.UTF_16LE));
  }

  BinXmlWriter fragmentHeader() {
    return u8(0x0f).u8(1).u8(1).u8(0);
  }

  /** A name stored inline: its offset points right behind the offset field. */
  BinXmlWriter inlineName(String name) {
    i32(pos() + 4);
    i32(0).u16(0).u16(name.length()).utf16(name).u16(0);
    return this;
  }

  BinXmlWriter open(String name, boolean attributes) {
    return open(name, attributes, true);
  }

  /** Element starts inside a binary XML value carry no dependency id ([MS-EVEN6]). */
  BinXmlWriter open(String name, boolean attributes, boolean dependencyId) {
    u8(attributes ? 0x41 : 0x01);
    if (dependencyId) {
      u16(0xffff);
    }
    i32(0);
    inlineName(name);
    if (attributes) {
      i32(0);
    }
    return this;
  }

  BinXmlWriter attribute(String name, boolean more) {
    u8(more ? 0x46 : 0x06);
    return inlineName(name);
  }

  BinXmlWriter text(String s) {
    return u8(0x05).u8(0x01).u16(s.length()).utf16(s);
  }

  BinXmlWriter closeStart() {
    return u8(0x02);
  }

  BinXmlWriter closeEmpty() {
    return u8(0x03);
  }

  BinXmlWriter end() {
    return u8(0x04);
  }

  BinXmlWriter cdata(String s) {
    return u8(0x07).u16(s.length()).utf16(s);
  }

  BinXmlWriter charRef(int c) {
    return u8(0x08).u16(c);
  }

  BinXmlWriter entityRef(String name) {
    u8(0x09);
    return inlineName(name);
  }

  BinXmlWriter pi(String target, String data) {
    u8(0x0a);
    inlineName(target);
    return u8(0x0b).u16(data.length()).utf16(data);
  }

  BinXmlWriter subst(int index, int type, boolean optional) {
    return u8(optional ? 0x0e : 0x0d).u16(index).u8(type);
  }

  BinXmlWriter eof() {
    return u8(0x00);
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }
}
