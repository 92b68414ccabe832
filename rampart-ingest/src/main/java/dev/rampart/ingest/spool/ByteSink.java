package dev.rampart.ingest.spool;

import java.util.Arrays;

/**
 * A growable byte array without the locking of {@link java.io.ByteArrayOutputStream}, whose every
 * {@code write} is synchronized: encoding events byte by byte, that lock was a third of ingest
 * time. One owner thread.
 */
public final class ByteSink {
  private byte[] buf;
  private int size;

  public ByteSink(int capacity) {
    buf = new byte[Math.max(16, capacity)];
  }

  public void write(int b) {
    if (size == buf.length) {
      buf = Arrays.copyOf(buf, buf.length * 2);
    }
    buf[size++] = (byte) b;
  }

  public void writeBytes(byte[] b) {
    if (size + b.length > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + b.length));
    }
    System.arraycopy(b, 0, buf, size, b.length);
    size += b.length;
  }

  /** Makes room for {@code n} more bytes; afterwards {@link #array()} may be written directly. */
  public void ensure(int n) {
    if (size + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
    }
  }

  /** Moves the end to {@code size} (after writing into {@link #array()} directly, or to undo). */
  public void size(int size) {
    this.size = size;
  }

  public int size() {
    return size;
  }

  public void reset() {
    size = 0;
  }

  /** The backing array; valid up to {@link #size()} until the next write. */
  public byte[] array() {
    return buf;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }
}
