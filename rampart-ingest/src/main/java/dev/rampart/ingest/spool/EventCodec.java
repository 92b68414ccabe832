package dev.rampart.ingest.spool;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.EventSource;
import dev.rampart.core.event.IpAddress;
import dev.rampart.core.event.Kind;
import dev.rampart.core.event.Value;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The spool's binary event encoding, version 1: a version byte, the timestamp, the source (input,
 * host, log type), then each field as name, kind byte and value. Integers are zig-zag varints,
 * strings length-prefixed UTF-8, lists and objects nested. Every kind of the event model round
 * trips exactly (big numbers as their text, IPs as their bytes). A reader meeting another version
 * refuses the record instead of misreading it.
 */
public final class EventCodec {
  public static final int VERSION = 1;

  private EventCodec() {}

  /** Encodes into {@code out} (appended). */
  public static void encode(Event e, ByteSink out) {
    out.write(VERSION);
    varlong(out, e.timestamp());
    string(out, e.source().input());
    string(out, e.source().host());
    string(out, e.source().logType());
    fields(e, out);
  }

  private static void fields(Event e, ByteSink out) {
    varlong(out, e.size());
    for (int i = 0; i < e.size(); i++) {
      string(out, e.name(i));
      value(e.value(i), out);
    }
  }

  private static void value(Value v, ByteSink out) {
    switch (v) {
      case Value.Null n -> out.write(Kind.NULL.ordinal());
      case Value.Str s -> {
        out.write(Kind.STRING.ordinal());
        string(out, s.value());
      }
      case Value.Int64 l -> {
        out.write(Kind.LONG.ordinal());
        varlong(out, l.value());
      }
      case Value.Float64 d -> {
        out.write(Kind.DOUBLE.ordinal());
        long bits = Double.doubleToRawLongBits(d.value());
        for (int k = 0; k < 8; k++) {
          out.write((int) (bits >>> (8 * k)));
        }
      }
      case Value.Bool b -> {
        out.write(Kind.BOOLEAN.ordinal());
        out.write(b.value() ? 1 : 0);
      }
      case Value.Ip ip -> {
        out.write(Kind.IP.ordinal());
        byte[] bytes = ip.value().bytes();
        out.write(bytes.length);
        out.writeBytes(bytes);
      }
      case Value.Time t -> {
        out.write(Kind.TIMESTAMP.ordinal());
        varlong(out, t.epochNanos());
      }
      case Value.BigNumber b -> {
        out.write(Kind.BIG_NUMBER.ordinal());
        string(out, b.text());
      }
      case Value.Binary b -> {
        out.write(Kind.BINARY.ordinal());
        varlong(out, b.bytes().length);
        out.writeBytes(b.bytes());
      }
      case Value.ListValue l -> {
        out.write(Kind.LIST.ordinal());
        varlong(out, l.items().size());
        for (Value item : l.items()) {
          value(item, out);
        }
      }
      case Value.Obj o -> {
        out.write(Kind.OBJECT.ordinal());
        fields(o.fields(), out);
      }
    }
  }

  /** Decodes {@code [off, off+len)} into {@code into} (cleared first). */
  public static void decode(byte[] b, int off, int len, Event into) {
    Reader r = new Reader(b, off, off + len);
    int version = r.u8();
    if (version != VERSION) {
      throw new IllegalStateException(
          "spool record of encoding version " + version + "; this build reads " + VERSION);
    }
    into.clear();
    into.timestamp(r.varlong());
    into.source(new EventSource(r.string(), r.string(), r.string()));
    r.fields(into);
    if (r.pos != r.end) {
      throw new IllegalStateException("spool record has " + (r.end - r.pos) + " trailing bytes");
    }
  }

  private static final class Reader {
    final byte[] b;
    int pos;
    final int end;

    Reader(byte[] b, int pos, int end) {
      this.b = b;
      this.pos = pos;
      this.end = end;
    }

    int u8() {
      if (pos >= end) {
        throw new IllegalStateException("spool record ends early");
      }
      return b[pos++] & 0xff;
    }

    long varlong() {
      long raw = 0;
      int shift = 0;
      while (true) {
        int x = u8();
        raw |= (long) (x & 0x7f) << shift;
        if ((x & 0x80) == 0) {
          break;
        }
        shift += 7;
        if (shift > 63) {
          throw new IllegalStateException("varint too long");
        }
      }
      return (raw >>> 1) ^ -(raw & 1);
    }

    String string() {
      int n = (int) varlong();
      if (n < 0 || pos + n > end) {
        throw new IllegalStateException("string runs past the record");
      }
      String s = new String(b, pos, n, StandardCharsets.UTF_8);
      pos += n;
      return s;
    }

    void fields(Event into) {
      long n = varlong();
      for (long i = 0; i < n; i++) {
        String name = string();
        into.add(name, value());
      }
    }

    Value value() {
      Kind k = Kind.values()[u8()];
      return switch (k) {
        case NULL -> Value.Null.INSTANCE;
        case STRING -> new Value.Str(string());
        case LONG -> new Value.Int64(varlong());
        case DOUBLE -> {
          long bits = 0;
          for (int i = 0; i < 8; i++) {
            bits |= (long) u8() << (8 * i);
          }
          yield new Value.Float64(Double.longBitsToDouble(bits));
        }
        case BOOLEAN -> Value.Bool.of(u8() != 0);
        case IP -> {
          int n = u8();
          byte[] ip = java.util.Arrays.copyOfRange(b, pos, pos + n);
          pos += n;
          yield new Value.Ip(IpAddress.of(ip));
        }
        case TIMESTAMP -> new Value.Time(varlong());
        case BIG_NUMBER -> new Value.BigNumber(string());
        case BINARY -> {
          int n = (int) varlong();
          byte[] bin = java.util.Arrays.copyOfRange(b, pos, pos + n);
          pos += n;
          yield new Value.Binary(bin);
        }
        case LIST -> {
          int n = (int) varlong();
          List<Value> items = new ArrayList<>(Math.min(n, 1024));
          for (int i = 0; i < n; i++) {
            items.add(value());
          }
          yield new Value.ListValue(items);
        }
        case OBJECT -> {
          Event o = new Event(4);
          fields(o);
          yield new Value.Obj(o);
        }
      };
    }
  }

  private static void varlong(ByteSink out, long v) {
    long z = (v << 1) ^ (v >> 63);
    while ((z & ~0x7fL) != 0) {
      out.write((int) ((z & 0x7f) | 0x80));
      z >>>= 7;
    }
    out.write((int) z);
  }

  private static void string(ByteSink out, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    varlong(out, bytes.length);
    out.writeBytes(bytes);
  }
}
