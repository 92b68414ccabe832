package dev.rampart.intel.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Byte strings packed into 16 MB chunks, each with a one- or two-byte length in front, addressed by
 * an int (chunk number and position): no object per string.
 */
final class Arena {
  private static final int CHUNK_BITS = 24;
  private static final int CHUNK = 1 << CHUNK_BITS;
  private final List<byte[]> chunks = new ArrayList<>();
  private byte[] current;
  private int pos = CHUNK;

  /** Stores {@code b} (at most 32767 bytes); returns its address. */
  int add(byte[] b) {
    if (b.length > 32767) {
      throw new IllegalArgumentException("a value longer than 32767 bytes");
    }
    int need = b.length + 2;
    if (pos + need > CHUNK) {
      if (chunks.size() >= 127) {
        throw new IllegalStateException("the indicator arena is full (2 GB)");
      }
      current = new byte[CHUNK];
      chunks.add(current);
      pos = 0;
    }
    int at = pos;
    current[pos++] = (byte) (b.length >>> 8);
    current[pos++] = (byte) b.length;
    System.arraycopy(b, 0, current, pos, b.length);
    pos += b.length;
    return (chunks.size() - 1) << CHUNK_BITS | at;
  }

  private byte[] chunk(int ref) {
    return chunks.get(ref >>> CHUNK_BITS);
  }

  private static int offset(int ref) {
    return ref & (CHUNK - 1);
  }

  private static int length(byte[] c, int off) {
    return (c[off] & 0xFF) << 8 | (c[off + 1] & 0xFF);
  }

  byte[] get(int ref) {
    byte[] c = chunk(ref);
    int off = offset(ref);
    return Arrays.copyOfRange(c, off + 2, off + 2 + length(c, off));
  }

  boolean equalsBytes(int ref, byte[] b) {
    byte[] c = chunk(ref);
    int off = offset(ref);
    return length(c, off) == b.length
        && Arrays.equals(c, off + 2, off + 2 + b.length, b, 0, b.length);
  }

  /** Whether the stored bytes equal {@code s[from, to)} lower-cased (ASCII only). */
  boolean equalsAsciiLower(int ref, String s, int from, int to) {
    byte[] c = chunk(ref);
    int off = offset(ref);
    if (length(c, off) != to - from) {
      return false;
    }
    for (int k = 0; k < to - from; k++) {
      char ch = s.charAt(from + k);
      if (ch >= 'A' && ch <= 'Z') {
        ch = (char) (ch + 32);
      }
      if (c[off + 2 + k] != (byte) ch) {
        return false;
      }
    }
    return true;
  }

  /** Whether the stored raw bytes are the digest written in hex by {@code hex}. */
  boolean equalsHex(int ref, String hex) {
    byte[] c = chunk(ref);
    int off = offset(ref);
    int n = length(c, off);
    if (n * 2 != hex.length()) {
      return false;
    }
    for (int k = 0; k < n; k++) {
      int v =
          Character.digit(hex.charAt(2 * k), 16) << 4 | Character.digit(hex.charAt(2 * k + 1), 16);
      if (c[off + 2 + k] != (byte) v) {
        return false;
      }
    }
    return true;
  }
}
