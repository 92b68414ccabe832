package dev.rampart.ingest.pagecache;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.rampart.ingest.spool.PageCache;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * {@code posix_fadvise(POSIX_FADV_DONTNEED)} on a descriptor of its own: the advice applies to the
 * file's cached pages whichever descriptor names it, so the spool's {@code FileChannel} (whose
 * descriptor Java does not expose) need not be touched. Linux with glibc or musl, x86-64 and
 * AArch64 (the constants below are the same on both).
 */
public final class FadvisePageCache implements PageCache {
  private static final Linker LINKER = Linker.nativeLinker();
  private static final SymbolLookup LIBC = LINKER.defaultLookup();
  static final int O_RDONLY = 0;
  static final int O_CLOEXEC = 0x80000;
  static final int POSIX_FADV_DONTNEED = 4;

  private static final MethodHandle OPEN =
      fn("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
  private static final MethodHandle CLOSE = fn("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
  private static final MethodHandle FADVISE =
      fn(
          "posix_fadvise",
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));

  private static MethodHandle fn(String name, FunctionDescriptor d) {
    MemorySegment symbol =
        LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
    return LINKER.downcallHandle(symbol, d);
  }

  public FadvisePageCache() {
    if (!System.getProperty("os.name", "").equals("Linux")) {
      // POSIX_FADV_DONTNEED's value and its effect on clean pages are Linux's
      throw new UnsupportedOperationException("Linux only");
    }
  }

  @Override
  public String name() {
    return "posix_fadvise";
  }

  @Override
  public void drop(Path file, long offset, long length) {
    if (length <= 0) {
      return;
    }
    try (Arena arena = Arena.ofConfined()) {
      int fd = (int) OPEN.invokeExact(arena.allocateFrom(file.toString()), O_RDONLY | O_CLOEXEC);
      if (fd < 0) {
        return; // deleted by retention meanwhile: nothing cached to drop
      }
      try {
        // An error (EINVAL on a filesystem without a page cache) leaves the pages cached: advice.
        int ignored = (int) FADVISE.invokeExact(fd, offset, length, POSIX_FADV_DONTNEED);
      } finally {
        int ignored = (int) CLOSE.invokeExact(fd);
      }
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("posix_fadvise: " + t, t); // downcalls throw nothing else
    }
  }
}
