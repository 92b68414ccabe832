package dev.rampart.evtx.file;

import dev.rampart.core.io.Problem;
import dev.rampart.core.io.ProblemSink;
import dev.rampart.evtx.binxml.ChunkParser;
import dev.rampart.evtx.binxml.EvtxFormatException;
import dev.rampart.evtx.binxml.Values;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * Reads an EVTX file as a stream: the 4 KiB file header, then 64 KiB chunks, each with its header,
 * checksums and records. Works from any {@link InputStream} (plain or decompressed), one chunk in
 * memory at a time.
 *
 * <p>Damage never stops the file: a bad file header is reported and the chunks are still read; a
 * chunk with bad checksums is reported and its records are still tried; a record that does not
 * parse is reported with its offset and skipped; a truncated file yields the records of the part
 * that is there. Every chunk present is read, whatever the header's chunk count says (files not
 * closed cleanly have stale headers).
 */
public final class EvtxReader {
  public static final int FILE_HEADER_SIZE = 4096;
  public static final int CHUNK_SIZE = 65536;
  private static final int CHUNK_HEADER_SIZE = 512;
  private static final byte[] FILE_MAGIC = "ElfFile\0".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CHUNK_MAGIC = "ElfChnk\0".getBytes(StandardCharsets.US_ASCII);
  private static final int RECORD_MAGIC = 0x00002a2a;

  private final String name;
  private final ProblemSink problems;
  private long records;
  private long badRecords;
  private long chunks;
  private long badChunks;
  private long bytes;
  private long internalErrors;

  /** What the file header says (null until read, or when the file has none). */
  public record FileHeader(
      long firstChunk,
      long lastChunk,
      long nextRecordId,
      int minorVersion,
      int majorVersion,
      int chunkCount,
      int flags,
      boolean checksumValid) {
    public boolean dirty() {
      return (flags & 1) != 0;
    }

    public boolean full() {
      return (flags & 2) != 0;
    }
  }

  private FileHeader header;

  public EvtxReader(String name, ProblemSink problems) {
    this.name = name;
    this.problems = problems;
  }

  /** Reads the whole stream, handing each good record to {@code sink}. */
  public void read(InputStream in, Consumer<EvtxRecord> sink) throws IOException {
    if (readHeader(in)) {
      readChunks(in, 0, Integer.MAX_VALUE, sink);
    }
  }

  /** Reads and checks the 4 KiB file header; false when the stream ends inside it. */
  public boolean readHeader(InputStream in) throws IOException {
    byte[] head = in.readNBytes(FILE_HEADER_SIZE);
    bytes += head.length;
    if (head.length < FILE_HEADER_SIZE) {
      error(head.length, "file ends inside the 4096-byte file header; not an EVTX file?");
      return false;
    }
    readHeader(head);
    return true;
  }

  /**
   * Reads up to {@code count} chunks from a stream positioned at the start of chunk {@code first}
   * (chunks are self-contained, so a large file can be read in ranges on several threads).
   */
  public void readChunks(InputStream in, int first, int count, Consumer<EvtxRecord> sink)
      throws IOException {
    byte[] chunk = new byte[CHUNK_SIZE];
    long start = FILE_HEADER_SIZE + (long) first * CHUNK_SIZE;
    for (int index = first; index - first < count; index++) {
      int n = in.readNBytes(chunk, 0, CHUNK_SIZE);
      if (n == 0) {
        break;
      }
      long offset = start + (long) (index - first) * CHUNK_SIZE;
      bytes += n;
      if (n < CHUNK_SIZE) {
        Arrays.fill(chunk, n, CHUNK_SIZE, (byte) 0);
        if (n >= CHUNK_HEADER_SIZE) {
          warn(
              offset + n,
              "chunk " + index + " is truncated (" + n + " of 65536 bytes); reading what is there");
        } else if (!allZero(chunk, 0, n)) {
          warn(offset, "file ends with " + n + " bytes, less than a chunk header");
        }
      }
      if (n >= CHUNK_HEADER_SIZE) {
        readChunk(chunk, n, index, offset, sink);
      }
      if (n < CHUNK_SIZE) {
        break;
      }
    }
  }

  private void readHeader(byte[] h) {
    if (!Arrays.equals(h, 0, 8, FILE_MAGIC, 0, 8)) {
      error(
          0,
          "no 'ElfFile' signature: not an EVTX file, or its header is damaged; trying the chunks");
      return;
    }
    CRC32 crc = new CRC32();
    crc.update(h, 0, 120);
    boolean ok = (int) crc.getValue() == Values.i32(h, 124);
    header =
        new FileHeader(
            Values.i64(h, 8),
            Values.i64(h, 16),
            Values.i64(h, 24),
            Values.u16(h, 36),
            Values.u16(h, 38),
            Values.u16(h, 42),
            Values.i32(h, 120),
            ok);
    if (!ok) {
      warn(124, "file header checksum does not match");
    }
    if (header.dirty()) {
      warn(120, "file was not closed cleanly (dirty flag); its header may be stale");
    }
  }

  private void readChunk(byte[] c, int n, int index, long fileOffset, Consumer<EvtxRecord> sink) {
    if (!Arrays.equals(c, 0, 8, CHUNK_MAGIC, 0, 8)) {
      if (!allZero(c, 0, Math.min(n, CHUNK_HEADER_SIZE))) {
        badChunks++;
        error(fileOffset, "chunk " + index + " has no 'ElfChnk' signature; skipped");
      }
      return;
    }
    chunks++;
    CRC32 crc = new CRC32();
    crc.update(c, 0, 120);
    crc.update(c, 128, CHUNK_HEADER_SIZE - 128);
    if ((int) crc.getValue() != Values.i32(c, 124)) {
      badChunks++;
      warn(
          fileOffset + 124,
          "chunk " + index + " header checksum does not match; reading its records anyway");
    }
    int freeSpace = Values.i32(c, 48);
    int lastRecordOffset = Values.i32(c, 44);
    int end = freeSpace > CHUNK_HEADER_SIZE && freeSpace <= n ? freeSpace : n;
    if (freeSpace > CHUNK_HEADER_SIZE && freeSpace <= CHUNK_SIZE) {
      crc.reset();
      crc.update(c, CHUNK_HEADER_SIZE, Math.min(freeSpace, n) - CHUNK_HEADER_SIZE);
      if ((int) crc.getValue() != Values.i32(c, 52)) {
        warn(
            fileOffset + 52,
            "chunk " + index + " records checksum does not match; reading its records anyway");
      }
    }
    ChunkParser parser = new ChunkParser(c, n);
    int off = CHUNK_HEADER_SIZE;
    while (off + 28 <= end) {
      if (Values.i32(c, off) != RECORD_MAGIC) {
        // Past the last record (zeros or slack), or damage: look for the next record signature.
        int next = off <= lastRecordOffset ? nextRecord(c, off + 1, end) : -1;
        if (next < 0) {
          if (off <= lastRecordOffset && !allZero(c, off, Math.min(end, off + 28) - off)) {
            badRecords++;
            error(
                fileOffset + off,
                "chunk "
                    + index
                    + ": no record signature where a record was expected; rest of chunk skipped");
          }
          break;
        }
        error(
            fileOffset + off,
            "chunk "
                + index
                + ": "
                + (next - off)
                + " bytes of damage skipped before the next record");
        badRecords++;
        off = next;
        continue;
      }
      int size = Values.i32(c, off + 4);
      if (size < 28 || off + size > n) {
        badRecords++;
        int next = nextRecord(c, off + 1, end);
        error(
            fileOffset + off,
            "chunk "
                + index
                + ": record size "
                + size
                + " does not fit the chunk; "
                + (next < 0 ? "rest of chunk skipped" : "resuming at the next record signature"));
        if (next < 0) {
          break;
        }
        off = next;
        continue;
      }
      long recordId = Values.i64(c, off + 8);
      if (Values.i32(c, off + size - 4) != size) {
        warn(
            fileOffset + off + size - 4,
            "record " + recordId + ": size copy at its end differs; trying it anyway");
      }
      try {
        var root = parser.record(off + 24, off + size - 4);
        records++;
        sink.accept(
            new EvtxRecord(
                recordId,
                Values.filetimeNanos(Values.i64(c, off + 16)),
                root,
                index,
                fileOffset + off));
      } catch (EvtxFormatException e) {
        badRecords++;
        error(
            fileOffset + e.offset(),
            "record " + recordId + " (chunk " + index + "): " + e.getMessage() + "; skipped");
      } catch (RuntimeException e) {
        // A gap in our own checks: still never lose the rest of the file over one record.
        internalErrors++;
        badRecords++;
        error(
            fileOffset + off,
            "record "
                + recordId
                + " (chunk "
                + index
                + "): internal parser error "
                + e
                + "; skipped");
      }
      off += size;
    }
  }

  /** The next offset that holds a record signature with a size that fits, or -1. */
  private static int nextRecord(byte[] c, int from, int end) {
    for (int p = from; p + 28 <= end; p++) {
      if (c[p] == 0x2a && c[p + 1] == 0x2a && c[p + 2] == 0 && c[p + 3] == 0) {
        int size = Values.i32(c, p + 4);
        if (size >= 28 && p + size <= CHUNK_SIZE && Values.i32(c, p + size - 4) == size) {
          return p;
        }
      }
    }
    return -1;
  }

  private static boolean allZero(byte[] b, int from, int len) {
    for (int i = from; i < from + len; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** Reports damage the reader worked around (the data is still read). */
  private void warn(long offset, String message) {
    problems.report(Problem.warning(name, 0, offset, message));
  }

  /** Reports damage that cost data (a record or chunk skipped). */
  private void error(long offset, String message) {
    problems.report(Problem.error(name, 0, offset, message));
  }

  public FileHeader header() {
    return header;
  }

  public long records() {
    return records;
  }

  public long badRecords() {
    return badRecords;
  }

  public long chunks() {
    return chunks;
  }

  public long badChunks() {
    return badChunks;
  }

  /** Records lost to an exception other than our own parse error (a bug; tests expect 0). */
  public long internalErrors() {
    return internalErrors;
  }

  public long bytesRead() {
    return bytes;
  }
}
