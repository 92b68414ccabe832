package dev.rampart.core.event;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 address as its 4 or 16 bytes.
 *
 * <p>{@link #parse(String)} accepts only literals and never touches DNS ({@link
 * InetAddress#getByName} would resolve host names, which a log parser must never do).
 */
public final class IpAddress implements Comparable<IpAddress> {
  private final byte[] bytes;

  private IpAddress(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Wraps 4 (IPv4) or 16 (IPv6) bytes. */
  public static IpAddress of(byte[] bytes) {
    if (bytes.length != 4 && bytes.length != 16) {
      throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + bytes.length);
    }
    return new IpAddress(bytes.clone());
  }

  /** Parses an IPv4 or IPv6 literal, or returns null when {@code s} is not one. */
  public static IpAddress parse(String s) {
    if (s == null || s.isEmpty() || s.length() > 45) {
      return null;
    }
    byte[] v4 = parseV4(s, 0, s.length());
    if (v4 != null) {
      return new IpAddress(v4);
    }
    byte[] v6 = parseV6(s);
    return v6 == null ? null : new IpAddress(v6);
  }

  /** Returns true when {@code s} is an IP literal. */
  public static boolean isLiteral(String s) {
    return parse(s) != null;
  }

  private static byte[] parseV4(String s, int from, int to) {
    byte[] out = new byte[4];
    int part = 0;
    int value = -1;
    int digits = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        if (digits > 0 && value == 0) {
          return null; // leading zeros are ambiguous (octal in some libcs): not a literal
        }
        value = (value < 0 ? 0 : value * 10) + (c - '0');
        if (++digits > 3 || value > 255) {
          return null;
        }
      } else if (c == '.') {
        if (value < 0 || part == 3) {
          return null;
        }
        out[part++] = (byte) value;
        value = -1;
        digits = 0;
      } else {
        return null;
      }
    }
    if (part != 3 || value < 0) {
      return null;
    }
    out[3] = (byte) value;
    return out;
  }

  private static byte[] parseV6(String s) {
    if (s.indexOf(':') < 0) {
      return null;
    }
    int len = s.length();
    int[] groups = new int[8];
    int n = 0;
    int gap = -1;
    int i = 0;
    if (s.startsWith("::")) {
      gap = 0;
      i = 2;
      if (i == len) {
        return new byte[16];
      }
    } else if (s.charAt(0) == ':') {
      return null;
    }
    byte[] tail4 = null;
    while (i < len) {
      int start = i;
      int value = 0;
      while (i < len && hex(s.charAt(i)) >= 0 && i - start < 4) {
        value = value * 16 + hex(s.charAt(i));
        i++;
      }
      if (i < len && s.charAt(i) == '.') {
        // Embedded IPv4 in the last 32 bits (::ffff:1.2.3.4).
        tail4 = parseV4(s, start, len);
        if (tail4 == null || n > 6) {
          return null;
        }
        i = len;
        break;
      }
      if (i == start || n == 8) {
        return null;
      }
      groups[n++] = value;
      if (i == len) {
        break;
      }
      if (s.charAt(i) != ':') {
        return null;
      }
      i++;
      if (i < len && s.charAt(i) == ':') {
        if (gap >= 0) {
          return null;
        }
        gap = n;
        i++;
        if (i == len) {
          break;
        }
      } else if (i == len) {
        return null;
      }
    }
    int total = n + (tail4 != null ? 2 : 0);
    if (gap < 0 ? total != 8 : total > 7) {
      return null;
    }
    byte[] out = new byte[16];
    int zeros = 8 - total;
    int g = 0;
    for (int k = 0; k < n; k++) {
      if (k == gap) {
        g += zeros;
      }
      out[2 * g] = (byte) (groups[k] >>> 8);
      out[2 * g + 1] = (byte) groups[k];
      g++;
    }
    if (tail4 != null) {
      System.arraycopy(tail4, 0, out, 12, 4);
    }
    return out;
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /** Returns a copy of the address bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  public boolean isV4() {
    return bytes.length == 4;
  }

  /** Returns the address as a JDK object without any name lookup. */
  public InetAddress toInetAddress() {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new AssertionError("4 or 16 bytes are always valid", e);
    }
  }

  /** The canonical text form: dotted quad, or RFC 5952 (lowercase, longest zero run as ::). */
  @Override
  public String toString() {
    if (bytes.length == 4) {
      return (bytes[0] & 0xff)
          + "."
          + (bytes[1] & 0xff)
          + "."
          + (bytes[2] & 0xff)
          + "."
          + (bytes[3] & 0xff);
    }
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpAddress other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public int compareTo(IpAddress o) {
    if (bytes.length != o.bytes.length) {
      return Integer.compare(bytes.length, o.bytes.length);
    }
    return Arrays.compareUnsigned(bytes, o.bytes);
  }
}
