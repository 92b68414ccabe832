package dev.rampart.agent.nativefs;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import dev.rampart.agent.nativeio.NativeAccess;
import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Linux through the foreign function API: {@code llistxattr}/{@code lgetxattr} for every extended
 * attribute, {@code ioctl(FS_IOC_GETFLAGS)} for inode flags, and fanotify with filesystem marks
 * reporting the directory and name of each change ({@code FAN_REPORT_DFID_NAME}), resolved with
 * {@code open_by_handle_at}, and the process id behind it. x86-64 and AArch64 (their open flags
 * differ).
 */
public final class LinuxNative implements NativeAccess {
  private static final Linker LINKER = Linker.nativeLinker();
  private static final SymbolLookup LIBC = LINKER.defaultLookup();
  private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final Linker.Option ERR = Linker.Option.captureCallState("errno");

  private static final boolean ARM = System.getProperty("os.arch", "").equals("aarch64");
  static final int O_RDONLY = 0;
  static final int O_NONBLOCK = 0x800;
  static final int O_NOFOLLOW = ARM ? 0x8000 : 0x20000;
  static final int O_DIRECTORY = ARM ? 0x4000 : 0x10000;
  static final int O_CLOEXEC = 0x80000;
  static final int O_PATH = 0x200000;
  static final int O_NOCTTY = 0x100;
  static final long FS_IOC_GETFLAGS = 0x80086601L;
  static final int ENOENT = 2;
  static final int EAGAIN = 11;
  static final int ENOTTY = 25;
  static final int ERANGE = 34;
  static final int ENODATA = 61;
  static final int EOPNOTSUPP = 95;

  static final int FAN_CLOEXEC = 0x1;
  static final int FAN_NONBLOCK = 0x2;
  static final int FAN_REPORT_DFID_NAME = 0xc00;
  static final int FAN_MARK_ADD = 0x1;
  static final int FAN_MARK_FILESYSTEM = 0x100;
  static final long FAN_MODIFY = 0x2;
  static final long FAN_ATTRIB = 0x4;
  static final long FAN_CLOSE_WRITE = 0x8;
  static final long FAN_MOVED_FROM = 0x40;
  static final long FAN_MOVED_TO = 0x80;
  static final long FAN_CREATE = 0x100;
  static final long FAN_DELETE = 0x200;
  static final long FAN_Q_OVERFLOW = 0x4000;
  static final long FAN_ONDIR = 0x40000000L;
  static final int FAN_EVENT_INFO_TYPE_DFID_NAME = 2;
  static final int AT_FDCWD = -100;

  private static final MethodHandle LLISTXATTR =
      fn("llistxattr", FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG));
  private static final MethodHandle LGETXATTR =
      fn("lgetxattr", FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
  private static final MethodHandle OPEN =
      fn("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
  private static final MethodHandle CLOSE = fn("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
  private static final MethodHandle IOCTL =
      LINKER.downcallHandle(
          symbol("ioctl"),
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
          ERR,
          Linker.Option.firstVariadicArg(2));
  private static final MethodHandle FANOTIFY_INIT =
      fn("fanotify_init", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
  private static final MethodHandle FANOTIFY_MARK =
      fn(
          "fanotify_mark",
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, ADDRESS));
  private static final MethodHandle READ =
      fn("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
  private static final MethodHandle POLL =
      fn("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
  private static final MethodHandle OPEN_BY_HANDLE_AT =
      fn("open_by_handle_at", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));

  private static MemorySegment symbol(String name) {
    return LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
  }

  private static MethodHandle fn(String name, FunctionDescriptor d) {
    return LINKER.downcallHandle(symbol(name), d, ERR);
  }

  private static int errno(MemorySegment capture) {
    return (int) ERRNO.get(capture, 0L);
  }

  public LinuxNative() {
    if (!System.getProperty("os.name", "").equals("Linux")) {
      throw new UnsupportedOperationException("Linux only");
    }
  }

  @Override
  public String name() {
    return "linux-ffm";
  }

  @Override
  public Map<String, byte[]> xattrs(Path p) throws IOException {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment cap = a.allocate(CAPTURE);
      MemorySegment path = a.allocateFrom(p.toString());
      for (int attempt = 0; attempt < 4; attempt++) {
        long size = (long) LLISTXATTR.invokeExact(cap, path, MemorySegment.NULL, 0L);
        if (size < 0) {
          return noneOrThrow(errno(cap), p, "llistxattr");
        }
        if (size == 0) {
          return Map.of();
        }
        MemorySegment list = a.allocate(size);
        long got = (long) LLISTXATTR.invokeExact(cap, path, list, size);
        if (got < 0) {
          if (errno(cap) == ERANGE) {
            continue; // an attribute was added meanwhile
          }
          return noneOrThrow(errno(cap), p, "llistxattr");
        }
        Map<String, byte[]> out = new LinkedHashMap<>();
        long start = 0;
        for (long i = 0; i < got; i++) {
          if (list.get(JAVA_BYTE, i) == 0) {
            if (i > start) {
              MemorySegment name = list.asSlice(start, i - start + 1);
              byte[] v = value(a, cap, path, name, p);
              if (v != null) {
                out.put(name.getString(0), v);
              }
            }
            start = i + 1;
          }
        }
        return out;
      }
      throw new IOException(p + ": its extended attributes keep changing");
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException("llistxattr: " + t, t);
    }
  }

  private static byte[] value(
      Arena a, MemorySegment cap, MemorySegment path, MemorySegment name, Path p) throws Throwable {
    for (int attempt = 0; attempt < 4; attempt++) {
      long size = (long) LGETXATTR.invokeExact(cap, path, name, MemorySegment.NULL, 0L);
      if (size < 0) {
        if (errno(cap) == ENODATA) {
          return null; // removed between the list and the read
        }
        noneOrThrow(errno(cap), p, "lgetxattr");
        return null;
      }
      MemorySegment buf = a.allocate(Math.max(1, size));
      long got = (long) LGETXATTR.invokeExact(cap, path, name, buf, Math.max(1, size));
      if (got >= 0) {
        return buf.asSlice(0, got).toArray(JAVA_BYTE);
      }
      if (errno(cap) != ERANGE) {
        noneOrThrow(errno(cap), p, "lgetxattr");
        return null;
      }
    }
    throw new IOException(p + ": an extended attribute keeps changing size");
  }

  private static Map<String, byte[]> noneOrThrow(int errno, Path p, String call)
      throws IOException {
    if (errno == EOPNOTSUPP) {
      return Map.of(); // the filesystem has no extended attributes
    }
    if (errno == ENOENT) {
      throw new NoSuchFileException(p.toString());
    }
    throw new IOException(p + ": " + call + " failed, errno " + errno);
  }

  @Override
  public int inodeFlags(Path p) throws IOException {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment cap = a.allocate(CAPTURE);
      int fd =
          (int)
              OPEN.invokeExact(
                  cap,
                  a.allocateFrom(p.toString()),
                  O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
      if (fd < 0) {
        int e = errno(cap);
        if (e == ENOENT) {
          throw new NoSuchFileException(p.toString());
        }
        return -1; // a link (ELOOP), a socket, or not readable
      }
      try {
        MemorySegment flags = a.allocate(JAVA_LONG);
        int r = (int) IOCTL.invokeExact(cap, fd, FS_IOC_GETFLAGS, flags);
        if (r < 0) {
          return -1; // ENOTTY, EOPNOTSUPP: this filesystem keeps no such flags
        }
        return flags.get(JAVA_INT, 0);
      } finally {
        int ignored = (int) CLOSE.invokeExact(cap, fd);
      }
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException("ioctl: " + t, t);
    }
  }

  @Override
  public Closeable watch(List<Path> roots, Consumer<FileEvent> sink) throws IOException {
    return new Fanotify(roots, sink);
  }

  /** A fanotify group with a filesystem mark per root, read by one thread. */
  static final class Fanotify implements Closeable {
    private final Arena arena = Arena.ofShared();
    private final int fd;
    private final List<Integer> mountFds = new ArrayList<>();
    private final Consumer<FileEvent> sink;
    private final Thread thread;
    private volatile boolean running = true;

    Fanotify(List<Path> roots, Consumer<FileEvent> sink) throws IOException {
      this.sink = sink;
      MemorySegment cap = arena.allocate(CAPTURE);
      try {
        fd =
            (int)
                FANOTIFY_INIT.invokeExact(
                    cap, FAN_CLOEXEC | FAN_NONBLOCK | FAN_REPORT_DFID_NAME, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
          throw new IOException(
              "fanotify_init failed, errno "
                  + errno(cap)
                  + " (it needs CAP_SYS_ADMIN and a kernel of 5.9 or later)");
        }
        // no FAN_MODIFY: every write() would re-hash the file; a content change is judged once,
        // when the writer closes it
        long mask =
            FAN_ATTRIB
                | FAN_CLOSE_WRITE
                | FAN_MOVED_FROM
                | FAN_MOVED_TO
                | FAN_CREATE
                | FAN_DELETE
                | FAN_ONDIR;
        for (Path r : roots) {
          MemorySegment path = arena.allocateFrom(r.toString());
          int m =
              (int)
                  FANOTIFY_MARK.invokeExact(
                      cap, fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, mask, AT_FDCWD, path);
          if (m < 0) {
            int e = errno(cap);
            closeAll();
            throw new IOException("fanotify_mark on " + r + " failed, errno " + e);
          }
          int mfd = (int) OPEN.invokeExact(cap, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
          if (mfd >= 0) {
            mountFds.add(mfd);
          }
        }
      } catch (IOException e) {
        throw e;
      } catch (Throwable t) {
        throw new IOException("fanotify: " + t, t);
      }
      this.thread = Thread.ofPlatform().name("fanotify").daemon().start(this::loop);
    }

    private void loop() {
      try (Arena a = Arena.ofConfined()) {
        MemorySegment cap = a.allocate(CAPTURE);
        MemorySegment pfd = a.allocate(8);
        MemorySegment buf = a.allocate(64 * 1024, 8);
        pfd.set(JAVA_INT, 0, fd);
        pfd.set(JAVA_SHORT, 4, (short) 1); // POLLIN
        while (running) {
          int ready = (int) POLL.invokeExact(cap, pfd, 1L, 200);
          if (ready <= 0) {
            continue;
          }
          long n = (long) READ.invokeExact(cap, fd, buf, buf.byteSize());
          if (n <= 0) {
            continue; // EAGAIN: another wake-up
          }
          parse(a, cap, buf, n);
        }
      } catch (Throwable t) {
        if (running) {
          // the watch is over: tell the watcher, which rescans and falls back to inotify
          sink.accept(new FileEvent(null, true, -1));
        }
      }
    }

    private void parse(Arena a, MemorySegment cap, MemorySegment buf, long n) throws Throwable {
      long off = 0;
      while (off + 24 <= n) {
        int len = buf.get(JAVA_INT_UNALIGNED, off);
        int metaLen = Short.toUnsignedInt(buf.get(JAVA_SHORT_UNALIGNED, off + 6));
        long mask = buf.get(JAVA_LONG_UNALIGNED, off + 8);
        int pid = buf.get(JAVA_INT_UNALIGNED, off + 20);
        if (len < 24 || off + len > n) {
          return;
        }
        if ((mask & FAN_Q_OVERFLOW) != 0) {
          sink.accept(new FileEvent(null, true, 0));
        } else {
          long info = off + metaLen;
          while (info + 4 <= off + len) {
            int type = Byte.toUnsignedInt(buf.get(JAVA_BYTE, info));
            int infoLen = Short.toUnsignedInt(buf.get(JAVA_SHORT_UNALIGNED, info + 2));
            if (infoLen < 4) {
              break;
            }
            if (type == FAN_EVENT_INFO_TYPE_DFID_NAME) {
              Path p = resolve(a, cap, buf, info, infoLen);
              if (p != null) {
                sink.accept(new FileEvent(p, false, pid));
              }
            }
            info += infoLen;
          }
        }
        off += len;
      }
    }

    // hdr(4) fsid(8) file_handle{handle_bytes u32, handle_type s32, f_handle[]} name\0
    private Path resolve(Arena a, MemorySegment cap, MemorySegment buf, long info, int infoLen)
        throws Throwable {
      long handle = info + 12;
      int handleBytes = buf.get(JAVA_INT_UNALIGNED, handle);
      long nameAt = handle + 8 + handleBytes;
      if (nameAt >= info + infoLen) {
        return null;
      }
      MemorySegment fh = buf.asSlice(handle, 8 + handleBytes);
      String name = buf.getString(nameAt);
      for (int m : mountFds) {
        int dfd = (int) OPEN_BY_HANDLE_AT.invokeExact(cap, m, fh, O_PATH | O_CLOEXEC);
        if (dfd >= 0) {
          try {
            Path dir = Files.readSymbolicLink(Path.of("/proc/self/fd/" + dfd));
            return name.isEmpty() || name.equals(".") ? dir : dir.resolve(name);
          } catch (IOException gone) {
            return null;
          } finally {
            int ignored = (int) CLOSE.invokeExact(cap, dfd);
          }
        }
      }
      return null; // the folder is gone already; the scan that follows a removal sees it
    }

    private void closeAll() {
      try (Arena a = Arena.ofConfined()) {
        MemorySegment cap = a.allocate(CAPTURE);
        for (int m : mountFds) {
          int ignored = (int) CLOSE.invokeExact(cap, m);
        }
        int ignored = (int) CLOSE.invokeExact(cap, fd);
      } catch (Throwable t) {
        // closing: nothing to do about it
      }
    }

    @Override
    public void close() {
      running = false;
      try {
        thread.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      closeAll();
      arena.close();
    }
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
