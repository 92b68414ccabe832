package dev.rampart.evtx.binxml;

/**
 * Damaged or unsupported binary data at a chunk offset. Our own parse error: the only exception the
 * reader lets out of a record, and it never escapes the reader (the record is reported and
 * skipped).
 */
public final class EvtxFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int offset;

  public EvtxFormatException(int offset, String message) {
    super(message);
    this.offset = offset;
  }

  /** The offset in the chunk where the problem was found. */
  public int offset() {
    return offset;
  }
}
