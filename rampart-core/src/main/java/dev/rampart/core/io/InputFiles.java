package dev.rampart.core.io;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Opens log files, decompressing gzip and zstd transparently. Compression is recognised by its
 * magic bytes, never by the file name, so a renamed {@code .gz} or a {@code .log} that is really
 * zstd both work.
 */
public final class InputFiles {
  private static final int BUFFER = 1 << 16;

  private InputFiles() {}

  /** The compression a stream starts with. */
  public enum Compression {
    NONE,
    GZIP,
    ZSTD
  }

  /** Opens {@code file} for reading its decompressed bytes. */
  public static InputStream open(Path file) throws IOException {
    return decompress(Files.newInputStream(file));
  }

  /** Wraps {@code raw} in a decompressor when it starts with gzip or zstd magic bytes. */
  public static InputStream decompress(InputStream raw) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
    try {
      return switch (sniff(in)) {
        case GZIP -> new BufferedInputStream(new GZIPInputStream(in, BUFFER), BUFFER);
        case ZSTD -> new BufferedInputStream(new ZstdInputStream(in), BUFFER);
        case NONE -> in;
      };
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  /** Peeks at the first bytes of a mark-supporting stream. */
  public static Compression sniff(InputStream in) throws IOException {
    in.mark(4);
    byte[] head = in.readNBytes(4);
    in.reset();
    if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
      return Compression.GZIP;
    }
    if (head.length == 4
        && (head[0] & 0xff) == 0x28
        && (head[1] & 0xff) == 0xb5
        && (head[2] & 0xff) == 0x2f
        && (head[3] & 0xff) == 0xfd) {
      return Compression.ZSTD;
    }
    return Compression.NONE;
  }

  /**
   * Expands paths: a file stays itself, a folder becomes every regular file under it (recursively,
   * sorted, hidden files skipped), so that results are the same on every run.
   */
  public static List<Path> expand(List<Path> paths) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> walk = Files.walk(p)) {
          walk.filter(Files::isRegularFile)
              .filter(f -> !f.getFileName().toString().startsWith("."))
              .sorted()
              .forEach(out::add);
        }
      } else {
        out.add(p);
      }
    }
    return out;
  }
}
