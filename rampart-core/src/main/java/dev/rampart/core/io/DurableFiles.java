package dev.rampart.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Small state files that must survive a crash whole: the old version or the new, never half. */
public final class DurableFiles {
  private DurableFiles() {}

  /**
   * Writes {@code bytes} to a sibling temporary file, forces it to disk, then renames it over
   * {@code file} atomically.
   */
  public static void writeAtomically(Path file, byte[] bytes) throws IOException {
    write(file, bytes, false);
  }

  /**
   * {@link #writeAtomically}, readable and writable by the owner only from the first byte on: for
   * keys, passwords and anything else secret.
   */
  public static void writePrivately(Path file, byte[] bytes) throws IOException {
    write(file, bytes, true);
  }

  private static void write(Path file, byte[] bytes, boolean owner) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    java.nio.file.attribute.FileAttribute<?>[] attrs =
        owner
            ? new java.nio.file.attribute.FileAttribute<?>[] {
              java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                  java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"))
            }
            : new java.nio.file.attribute.FileAttribute<?>[0];
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            attrs)) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
