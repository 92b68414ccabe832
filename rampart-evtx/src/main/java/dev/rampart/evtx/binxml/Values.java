package dev.rampart.evtx.binxml;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Decoding of substitution values (libevtx "value types") into {@link Value}s, rendered the way the
 * Rust {@code evtx} crate renders them so that our JSON equals its JSON: GUIDs upper case without
 * braces, hex integers as {@code 0x} plus lower-case digits without leading zeros, times as {@code
 * yyyy-MM-ddTHH:mm:ss.ffffffZ}, binary as upper-case hex, arrays comma-separated.
 */
public final class Values {
  public static final int NULL = 0x00;
  public static final int STRING = 0x01;
  public static final int ANSI_STRING = 0x02;
  public static final int INT8 = 0x03;
  public static final int UINT8 = 0x04;
  public static final int INT16 = 0x05;
  public static final int UINT16 = 0x06;
  public static final int INT32 = 0x07;
  public static final int UINT32 = 0x08;
  public static final int INT64 = 0x09;
  public static final int UINT64 = 0x0a;
  public static final int REAL32 = 0x0b;
  public static final int REAL64 = 0x0c;
  public static final int BOOL = 0x0d;
  public static final int BINARY = 0x0e;
  public static final int GUID = 0x0f;
  public static final int SIZE_T = 0x10;
  public static final int FILETIME = 0x11;
  public static final int SYSTEMTIME = 0x12;
  public static final int SID = 0x13;
  public static final int HEX_INT32 = 0x14;
  public static final int HEX_INT64 = 0x15;
  public static final int EVT_HANDLE = 0x20;
  public static final int BIN_XML = 0x21;
  public static final int EVT_XML = 0x23;
  public static final int ARRAY = 0x80;

  /** FILETIME of 1970-01-01T00:00:00Z (100 ns ticks since 1601). */
  private static final long FILETIME_EPOCH = 116_444_736_000_000_000L;

  private static final Charset ANSI = Charset.forName("windows-1252");
  private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();

  private Values() {}

  /** Decodes a scalar or array value; binary XML is the caller's (it needs the chunk context). */
  public static Value decode(byte[] b, int off, int len, int type) {
    if (len == 0 || type == NULL) {
      return type == STRING || type == ANSI_STRING ? new Value.Text("") : Value.Null.INSTANCE;
    }
    if ((type & ARRAY) != 0) {
      return new Value.Text(array(b, off, len, type & 0x7f));
    }
    if (len < minWidth(type)) {
      return new Value.Text(hex(b, off, len)); // damaged: show the bytes rather than misread
    }
    return switch (type) {
      case STRING -> new Value.Text(utf16z(b, off, len));
      case ANSI_STRING -> new Value.Text(ansiz(b, off, len));
      case INT8 -> new Value.Int(b[off], false);
      case UINT8 -> new Value.Int(b[off] & 0xff, true);
      case INT16 -> new Value.Int((short) u16(b, off), false);
      case UINT16 -> new Value.Int(u16(b, off), true);
      case INT32 -> new Value.Int(i32(b, off, len), false);
      case UINT32 -> new Value.Int(i32(b, off, len) & 0xffffffffL, true);
      case INT64 -> new Value.Int(i64(b, off, len), false);
      case UINT64 -> new Value.Int(i64(b, off, len), true);
      case BOOL -> new Value.Bool(len >= 4 ? i32(b, off, len) != 0 : b[off] != 0);
      default -> new Value.Text(text(b, off, len, type));
    };
  }

  private static int minWidth(int type) {
    return switch (type) {
      case INT16, UINT16 -> 2;
      case INT32, UINT32, REAL32, HEX_INT32, BOOL, SIZE_T -> 4;
      case INT64, UINT64, REAL64, HEX_INT64, FILETIME -> 8;
      case GUID, SYSTEMTIME -> 16;
      default -> 1;
    };
  }

  /** The text of one value of a scalar type (also used for array items). */
  static String text(byte[] b, int off, int len, int type) {
    if (len < minWidth(type)) {
      return hex(b, off, len);
    }
    return switch (type) {
      case STRING -> utf16z(b, off, len);
      case ANSI_STRING -> ansiz(b, off, len);
      case INT8 -> Integer.toString(b[off]);
      case UINT8 -> Integer.toString(b[off] & 0xff);
      case INT16 -> Integer.toString((short) u16(b, off));
      case UINT16 -> Integer.toString(u16(b, off));
      case INT32 -> Integer.toString(i32(b, off, len));
      case UINT32 -> Long.toString(i32(b, off, len) & 0xffffffffL);
      case INT64 -> Long.toString(i64(b, off, len));
      case UINT64 -> Long.toUnsignedString(i64(b, off, len));
      case REAL32 -> real(Float.intBitsToFloat(i32(b, off, len)));
      case REAL64 -> real(Double.longBitsToDouble(i64(b, off, len)));
      case BOOL -> (len >= 4 ? i32(b, off, len) != 0 : b[off] != 0) ? "true" : "false";
      case BINARY -> hex(b, off, len);
      case GUID -> len >= 16 ? guid(b, off) : hex(b, off, len);
      case SIZE_T, HEX_INT32, HEX_INT64 ->
          "0x" + Long.toHexString(len >= 8 ? i64(b, off, len) : i32(b, off, len) & 0xffffffffL);
      case FILETIME -> len >= 8 ? filetime(i64(b, off, len)) : hex(b, off, len);
      case SYSTEMTIME -> len >= 16 ? systemtime(b, off) : hex(b, off, len);
      case SID -> sid(b, off, len);
      default -> hex(b, off, len); // EvtHandle, EvtXml and unknown types: show the bytes
    };
  }

  private static String array(byte[] b, int off, int len, int type) {
    StringBuilder sb = new StringBuilder();
    int end = off + len;
    if (type == STRING || type == ANSI_STRING) {
      int unit = type == STRING ? 2 : 1;
      int start = off;
      for (int i = off; i + unit <= end; i += unit) {
        boolean nul = b[i] == 0 && (unit == 1 || b[i + 1] == 0);
        if (nul) {
          appendItem(sb, type == STRING ? utf16(b, start, i - start) : ansi(b, start, i - start));
          start = i + unit;
        }
      }
      if (start < end) {
        appendItem(
            sb, type == STRING ? utf16z(b, start, end - start) : ansiz(b, start, end - start));
      }
      return sb.toString();
    }
    int width =
        switch (type) {
          case INT8, UINT8 -> 1;
          case INT16, UINT16 -> 2;
          case INT32, UINT32, REAL32, BOOL, HEX_INT32 -> 4;
          case INT64, UINT64, REAL64, FILETIME, HEX_INT64 -> 8;
          case GUID, SYSTEMTIME -> 16;
          case SIZE_T -> len % 8 == 0 ? 8 : 4;
          default -> 0;
        };
    if (type == SID) {
      for (int i = off; i + 8 <= end; ) {
        int n = 8 + 4 * (b[i + 1] & 0xff);
        appendItem(sb, sid(b, i, Math.min(n, end - i)));
        i += n;
      }
      return sb.toString();
    }
    if (width == 0) {
      return hex(b, off, len);
    }
    for (int i = off; i + width <= end; i += width) {
      appendItem(sb, text(b, i, width, type));
    }
    return sb.toString();
  }

  private static void appendItem(StringBuilder sb, String item) {
    if (!sb.isEmpty()) {
      sb.append(',');
    }
    sb.append(item);
  }

  public static int u16(byte[] b, int off) {
    return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
  }

  public static int i32(byte[] b, int off) {
    return (b[off] & 0xff)
        | (b[off + 1] & 0xff) << 8
        | (b[off + 2] & 0xff) << 16
        | (b[off + 3] & 0xff) << 24;
  }

  private static int i32(byte[] b, int off, int len) {
    return len >= 4 ? i32(b, off) : len >= 2 ? u16(b, off) : b[off] & 0xff;
  }

  public static long i64(byte[] b, int off) {
    return (i32(b, off) & 0xffffffffL) | (long) i32(b, off + 4) << 32;
  }

  private static long i64(byte[] b, int off, int len) {
    return len >= 8 ? i64(b, off) : i32(b, off, len) & 0xffffffffL;
  }

  /**
   * UTF-16LE of {@code len} bytes. Event log text is nearly all Latin-1, which the JDK stores one
   * byte per char: narrowing it here skips the general UTF-16 decoder (a tenth of parse time).
   */
  public static String utf16(byte[] b, int off, int len) {
    int n = len >> 1;
    for (int i = 0; i < n; i++) {
      if (b[off + 2 * i + 1] != 0) {
        return new String(b, off, n * 2, StandardCharsets.UTF_16LE);
      }
    }
    byte[] latin1 = new byte[n];
    for (int i = 0; i < n; i++) {
      latin1[i] = b[off + 2 * i];
    }
    return new String(latin1, StandardCharsets.ISO_8859_1);
  }

  /** UTF-16LE up to the first NUL character. */
  static String utf16z(byte[] b, int off, int len) {
    int n = len & ~1;
    for (int i = 0; i < n; i += 2) {
      if (b[off + i] == 0 && b[off + i + 1] == 0) {
        n = i;
        break;
      }
    }
    return utf16(b, off, n);
  }

  private static String ansi(byte[] b, int off, int len) {
    return new String(b, off, len, ANSI);
  }

  private static String ansiz(byte[] b, int off, int len) {
    int n = len;
    for (int i = 0; i < len; i++) {
      if (b[off + i] == 0) {
        n = i;
        break;
      }
    }
    return new String(b, off, n, ANSI);
  }

  static String hex(byte[] b, int off, int len) {
    char[] out = new char[len * 2];
    for (int i = 0; i < len; i++) {
      out[2 * i] = HEX_UPPER[(b[off + i] >> 4) & 0xf];
      out[2 * i + 1] = HEX_UPPER[b[off + i] & 0xf];
    }
    return new String(out);
  }

  /** GUID in the registry form without braces: data1-3 little-endian, upper case. */
  public static String guid(byte[] b, int off) {
    StringBuilder sb = new StringBuilder(36);
    int[] order = {3, 2, 1, 0, -1, 5, 4, -1, 7, 6, -1, 8, 9, -1, 10, 11, 12, 13, 14, 15};
    for (int i : order) {
      if (i < 0) {
        sb.append('-');
      } else {
        sb.append(HEX_UPPER[(b[off + i] >> 4) & 0xf]).append(HEX_UPPER[b[off + i] & 0xf]);
      }
    }
    return sb.toString();
  }

  /** {@code S-R-A-S1-...}: revision, sub-authority count, 48-bit big-endian authority, subs. */
  static String sid(byte[] b, int off, int len) {
    if (len < 8) {
      return hex(b, off, len);
    }
    int revision = b[off] & 0xff;
    int count = b[off + 1] & 0xff;
    long authority = 0;
    for (int i = 2; i < 8; i++) {
      authority = authority << 8 | (b[off + i] & 0xff);
    }
    StringBuilder sb = new StringBuilder("S-").append(revision).append('-').append(authority);
    for (int i = 0; i < count && 8 + 4 * i + 4 <= len; i++) {
      sb.append('-').append(i32(b, off + 8 + 4 * i) & 0xffffffffL);
    }
    return sb.toString();
  }

  /** Epoch nanoseconds of a FILETIME. */
  public static long filetimeNanos(long filetime) {
    return (filetime - FILETIME_EPOCH) * 100;
  }

  static String filetime(long filetime) {
    long ticks = filetime - FILETIME_EPOCH;
    long seconds = Math.floorDiv(ticks, 10_000_000L);
    int micros = (int) (Math.floorMod(ticks, 10_000_000L) / 10);
    return datetime(seconds, micros);
  }

  private static String systemtime(byte[] b, int off) {
    int year = u16(b, off);
    int month = u16(b, off + 2);
    int day = u16(b, off + 6);
    int hour = u16(b, off + 8);
    int minute = u16(b, off + 10);
    int second = u16(b, off + 12);
    int millis = u16(b, off + 14);
    try {
      long seconds =
          java.time.LocalDateTime.of(year, month, day, hour, minute, second)
              .toEpochSecond(java.time.ZoneOffset.UTC);
      return datetime(seconds, millis * 1000);
    } catch (java.time.DateTimeException e) {
      return hex(b, off, 16);
    }
  }

  /** {@code yyyy-MM-ddTHH:mm:ss.ffffffZ} in UTC. */
  static String datetime(long epochSeconds, int micros) {
    java.time.LocalDateTime t =
        java.time.LocalDateTime.ofEpochSecond(epochSeconds, 0, java.time.ZoneOffset.UTC);
    StringBuilder sb = new StringBuilder(27);
    pad(sb, t.getYear(), 4).append('-');
    pad(sb, t.getMonthValue(), 2).append('-');
    pad(sb, t.getDayOfMonth(), 2).append('T');
    pad(sb, t.getHour(), 2).append(':');
    pad(sb, t.getMinute(), 2).append(':');
    pad(sb, t.getSecond(), 2).append('.');
    return pad(sb, micros, 6).append('Z').toString();
  }

  private static StringBuilder pad(StringBuilder sb, int v, int digits) {
    String s = Integer.toString(Math.abs(v));
    if (v < 0) {
      sb.append('-');
    }
    for (int i = s.length(); i < digits; i++) {
      sb.append('0');
    }
    return sb.append(s);
  }

  /** Shortest text that reads back as the same number, without exponent for ordinary sizes. */
  static String real(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    if (d == Math.rint(d) && Math.abs(d) < 1e16) {
      return Long.toString((long) d);
    }
    return new java.math.BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
  }

  private static String real(float f) {
    if (Float.isNaN(f) || Float.isInfinite(f)) {
      return real((double) f);
    }
    if (f == Math.rint(f) && Math.abs(f) < 1e16) {
      return Long.toString((long) f);
    }
    return new java.math.BigDecimal(Float.toString(f)).stripTrailingZeros().toPlainString();
  }
}
