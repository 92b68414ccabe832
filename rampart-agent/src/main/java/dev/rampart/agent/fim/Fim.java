package dev.rampart.agent.fim;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * File integrity: a baseline of paths (every file, folder, link, FIFO... under them, not following
 * links) with their attributes and SHA-256 digests, and the comparison of a later state with it, as
 * AIDE does. Hashing runs on all cores; a check re-hashes only what changed by size, mtime, ctime
 * or inode (the skip rule) unless asked for a full re-hash. Access times are never compared:
 * reading a file is not a change.
 */
public final class Fim {
  private Fim() {}

  /** What is compared, by the names {@code fim check --json} reports. */
  public static final List<String> ATTRIBUTES =
      List.of(
          "content",
          "size",
          "mode",
          "uid",
          "gid",
          "mtime",
          "ctime",
          "inode",
          "nlink",
          "linkname",
          "ftype",
          "xattrs",
          "acl",
          "caps",
          "e2fsattrs");

  // every xattr namespace, inode flags: through the native plug-in when this JDK can load it
  private static final java.util.Optional<dev.rampart.agent.nativeio.NativeAccess> NATIVE =
      dev.rampart.agent.nativeio.NativeAccess.get();

  /**
   * Whether this process reads every extended attribute namespace (ACLs, capabilities) and inode
   * flags; without the native plug-in only {@code user.} attributes are compared.
   */
  public static boolean complete() {
    return NATIVE.isPresent();
  }

  /**
   * One path's state.
   *
   * @param ftype file, dir, symlink, fifo, socket, block, char
   * @param mode the permission bits with setuid, setgid and sticky (octal 07777)
   * @param sha256 the content digest of regular files, else null
   * @param xattrs extended attributes, name to SHA-256 of the value (empty: none): every namespace
   *     when {@code allXattrs}, else the {@code user.} ones
   * @param e2fsattrs the inode flags as {@code lsattr} letters ({@code ""}: none), or null when not
   *     read
   */
  public record Entry(
      String path,
      String ftype,
      int mode,
      int uid,
      int gid,
      long size,
      long mtime,
      long ctime,
      long inode,
      int nlink,
      String linkname,
      String sha256,
      Map<String, String> xattrs,
      boolean allXattrs,
      String e2fsattrs) {}

  /** A problem with one path (unreadable, vanished): reported, never fatal. */
  public record Problem(String path, String message) {}

  /** A baseline or a scan: entries by path, and what could not be read. */
  public record State(Map<String, Entry> entries, List<Problem> problems) {}

  /** Options of a scan. */
  public record Options(List<String> exclude, int threads, boolean fullRehash) {
    public static final Options DEFAULTS =
        new Options(List.of(), Runtime.getRuntime().availableProcessors(), false);
  }

  /**
   * Scans {@code roots}. With {@code previous}, a regular file whose size, mtime, ctime and inode
   * are unchanged keeps its previous digest (unless {@code fullRehash}).
   */
  public static State scan(
      List<Path> roots, Options o, Map<String, Entry> previous, LongConsumer progress)
      throws IOException, InterruptedException {
    List<PathMatcher> excludes = new ArrayList<>();
    for (String g : o.exclude()) {
      excludes.add(FileSystems.getDefault().getPathMatcher("glob:" + g));
    }
    List<Entry> found = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    for (Path root : roots) {
      Path r = root.toAbsolutePath().normalize();
      if (!Files.exists(r, LinkOption.NOFOLLOW_LINKS)) {
        problems.add(new Problem(r.toString(), "no such file or folder"));
        continue;
      }
      Files.walkFileTree(
          r,
          new SimpleFileVisitor<Path>() {
            private boolean excluded(Path p) {
              for (PathMatcher m : excludes) {
                if (m.matches(p) || m.matches(p.getFileName() == null ? p : p.getFileName())) {
                  return true;
                }
              }
              return false;
            }

            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              if (excluded(dir)) {
                return FileVisitResult.SKIP_SUBTREE;
              }
              add(dir);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (!excluded(file)) {
                add(file);
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              problems.add(new Problem(file.toString(), reason(e)));
              return FileVisitResult.CONTINUE;
            }

            private void add(Path p) {
              try {
                found.add(attributes(p));
              } catch (IOException e) {
                problems.add(new Problem(p.toString(), reason(e)));
              }
            }
          });
    }
    // digests of regular files, on all cores; unchanged files keep theirs (the skip rule)
    Map<String, Entry> out = new TreeMap<>();
    List<Entry> toHash = new ArrayList<>();
    for (Entry e : found) {
      Entry before = previous == null ? null : previous.get(e.path());
      if (!e.ftype().equals("file")) {
        out.put(e.path(), e);
      } else if (!o.fullRehash()
          && before != null
          && before.sha256() != null
          && before.size() == e.size()
          && before.mtime() == e.mtime()
          && before.ctime() == e.ctime()
          && before.inode() == e.inode()) {
        out.put(e.path(), withDigest(e, before.sha256()));
      } else {
        toHash.add(e);
      }
    }
    long[] done = {out.size()};
    progress.accept(done[0]);
    try (ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, o.threads()))) {
      List<Future<Entry>> futures = new ArrayList<>(toHash.size());
      for (Entry e : toHash) {
        futures.add(pool.submit(() -> withDigest(e, digest(Path.of(e.path())))));
      }
      for (int i = 0; i < futures.size(); i++) {
        try {
          Entry e = futures.get(i).get();
          out.put(e.path(), e);
        } catch (java.util.concurrent.ExecutionException x) {
          Entry e = toHash.get(i);
          problems.add(new Problem(e.path(), "cannot read: " + reason(x.getCause())));
          out.put(e.path(), e); // kept without a digest: its other attributes still count
        }
        progress.accept(++done[0]);
      }
    }
    return new State(out, problems);
  }

  private static String reason(Throwable e) {
    return e instanceof java.nio.file.NoSuchFileException
        ? "vanished while scanning"
        : e instanceof java.nio.file.AccessDeniedException
            ? "permission denied"
            : e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  private static Entry withDigest(Entry e, String sha) {
    return new Entry(
        e.path(),
        e.ftype(),
        e.mode(),
        e.uid(),
        e.gid(),
        e.size(),
        e.mtime(),
        e.ctime(),
        e.inode(),
        e.nlink(),
        e.linkname(),
        sha,
        e.xattrs(),
        e.allXattrs(),
        e.e2fsattrs());
  }

  private static final ThreadLocal<ByteBuffer> BUFFER =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(1 << 16));

  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException(e);
            }
          });

  /** SHA-256 of a file's bytes (the JDK's intrinsic), one reused buffer per thread. */
  static String digest(Path p) throws IOException {
    MessageDigest md = SHA256.get();
    md.reset();
    ByteBuffer b = BUFFER.get();
    // O_NOFOLLOW semantics: the path was a regular file when listed; a link swapped in since is
    // not followed
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      while (true) {
        b.clear();
        int n = ch.read(b);
        if (n < 0) {
          break;
        }
        b.flip();
        md.update(b);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** A path's attributes, without following a link it is. */
  static Entry attributes(Path p) throws IOException {
    Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) a.get("mode");
    String ftype =
        switch (mode & 0170000) {
          case 0100000 -> "file";
          case 0040000 -> "dir";
          case 0120000 -> "symlink";
          case 0010000 -> "fifo";
          case 0140000 -> "socket";
          case 0060000 -> "block";
          case 0020000 -> "char";
          default -> "unknown";
        };
    String link = ftype.equals("symlink") ? Files.readSymbolicLink(p).toString() : null;
    return new Entry(
        p.toString(),
        ftype,
        mode & 07777,
        (Integer) a.get("uid"),
        (Integer) a.get("gid"),
        (Long) a.get("size"),
        nanos((FileTime) a.get("lastModifiedTime")),
        nanos((FileTime) a.get("ctime")),
        (Long) a.get("ino"),
        (Integer) a.get("nlink"),
        link,
        null,
        xattrs(p, ftype),
        NATIVE.isPresent(),
        e2fsattrs(p, ftype));
  }

  // lsattr's letters, in its order
  private static final String FLAG_LETTERS = "suSDiadAcEjItTeCxFNPVm";
  private static final int[] FLAG_BITS = {
    0x1,
    0x2,
    0x8,
    0x10000,
    0x10,
    0x20,
    0x40,
    0x80,
    0x4,
    0x800,
    0x4000,
    0x1000,
    0x8000,
    0x20000,
    0x80000,
    0x800000,
    0x2000000,
    0x40000000,
    0x10000000,
    0x20000000,
    0x100000,
    0x400
  };

  /** Inode flags as lsattr letters; null where they are not read or do not apply. */
  static String e2fsattrs(Path p, String ftype) throws IOException {
    if (NATIVE.isEmpty() || !(ftype.equals("file") || ftype.equals("dir"))) {
      return null;
    }
    int f = NATIVE.get().inodeFlags(p);
    if (f < 0) {
      return null;
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < FLAG_BITS.length; i++) {
      if ((f & FLAG_BITS[i]) != 0) {
        b.append(FLAG_LETTERS.charAt(i));
      }
    }
    return b.toString();
  }

  private static String sha256(byte[] v) {
    MessageDigest md = SHA256.get();
    md.reset();
    return HexFormat.of().formatHex(md.digest(v));
  }

  private static long nanos(FileTime t) {
    return t.to(java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  private static Map<String, String> xattrs(Path p, String ftype) throws IOException {
    if (NATIVE.isPresent()) {
      Map<String, byte[]> all = NATIVE.get().xattrs(p);
      if (all.isEmpty()) {
        return Map.of();
      }
      Map<String, String> out = new TreeMap<>();
      all.forEach((k, v) -> out.put(k, sha256(v)));
      return out;
    }
    if (!ftype.equals("file") && !ftype.equals("dir")) {
      return Map.of();
    }
    UserDefinedFileAttributeView v =
        Files.getFileAttributeView(
            p, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    if (v == null) {
      return Map.of();
    }
    try {
      List<String> names = v.list();
      if (names.isEmpty()) {
        return Map.of();
      }
      Map<String, String> out = new TreeMap<>();
      for (String n : names) {
        ByteBuffer b = ByteBuffer.allocate(v.size(n));
        v.read(n, b);
        b.flip();
        MessageDigest md = SHA256.get();
        md.reset();
        md.update(b);
        out.put("user." + n, HexFormat.of().formatHex(md.digest()));
      }
      return out;
    } catch (IOException | UnsupportedOperationException e) {
      return Map.of(); // a file system without user xattrs
    }
  }

  // ---------------------------------------------------------------- comparison

  /** A file that moved: the same inode, type and content under a new name. */
  public record Rename(String from, String to) {}

  /** What changed between a baseline and now. */
  public record Diff(
      List<String> added,
      List<String> removed,
      List<Rename> renamed,
      Map<String, List<String>> changed) {
    public boolean empty() {
      return added.isEmpty() && removed.isEmpty() && renamed.isEmpty() && changed.isEmpty();
    }
  }

  public static Diff compare(Map<String, Entry> before, Map<String, Entry> now) {
    List<String> added = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    Map<String, List<String>> changed = new LinkedHashMap<>();
    for (Entry n : now.values()) {
      Entry b = before.get(n.path());
      if (b == null) {
        added.add(n.path());
      } else {
        List<String> d = differences(b, n);
        if (!d.isEmpty()) {
          changed.put(n.path(), d);
        }
      }
    }
    for (Entry b : before.values()) {
      if (!now.containsKey(b.path())) {
        removed.add(b.path());
      }
    }
    // pair removals with additions: the same inode, type and (for files) content. The content
    // matters: a deleted file's inode is often reused at once by the next file created.
    List<Rename> renamed = new ArrayList<>();
    Map<String, String> byInode = new LinkedHashMap<>();
    for (String a : added) {
      Entry e = now.get(a);
      byInode.putIfAbsent(e.ftype() + ":" + e.inode(), a);
    }
    for (String r : new ArrayList<>(removed)) {
      Entry e = before.get(r);
      String to = byInode.get(e.ftype() + ":" + e.inode());
      if (to == null || (e.sha256() != null && !e.sha256().equals(now.get(to).sha256()))) {
        continue;
      }
      renamed.add(new Rename(r, to));
      removed.remove(r);
      added.remove(to);
      byInode.values().remove(to);
      List<String> d = differences(e, now.get(to));
      d.remove("ctime"); // a rename touches the inode's ctime; that is the rename itself
      if (!d.isEmpty()) {
        changed.put(to, d);
      }
    }
    return new Diff(added, removed, renamed, changed);
  }

  /** The attributes that differ, in {@link #ATTRIBUTES} order. */
  static List<String> differences(Entry b, Entry n) {
    List<String> d = new ArrayList<>();
    if (b.sha256() != null && n.sha256() != null && !b.sha256().equals(n.sha256())) {
      d.add("content");
    }
    if (b.ftype().equals(n.ftype()) && !b.ftype().equals("dir") && b.size() != n.size()) {
      d.add("size");
    }
    if (b.mode() != n.mode()) {
      d.add("mode");
    }
    if (b.uid() != n.uid()) {
      d.add("uid");
    }
    if (b.gid() != n.gid()) {
      d.add("gid");
    }
    if (b.mtime() != n.mtime()) {
      d.add("mtime");
    }
    if (b.ctime() != n.ctime()) {
      d.add("ctime");
    }
    if (b.inode() != n.inode()) {
      d.add("inode");
    }
    if (b.nlink() != n.nlink()) {
      d.add("nlink");
    }
    if (!java.util.Objects.equals(b.linkname(), n.linkname())) {
      d.add("linkname");
    }
    if (!b.ftype().equals(n.ftype())) {
      d.add("ftype");
    }
    // a baseline read without the native plug-in knows only user. attributes: compare those
    boolean all = b.allXattrs() && n.allXattrs();
    if (!xattrs(b, all, Fim::plainXattr).equals(xattrs(n, all, Fim::plainXattr))) {
      d.add("xattrs");
    }
    if (all
        && !xattrs(b, true, k -> k.startsWith("system.posix_acl_"))
            .equals(xattrs(n, true, k -> k.startsWith("system.posix_acl_")))) {
      d.add("acl");
    }
    if (all
        && !xattrs(b, true, "security.capability"::equals)
            .equals(xattrs(n, true, "security.capability"::equals))) {
      d.add("caps");
    }
    if (b.e2fsattrs() != null && n.e2fsattrs() != null && !b.e2fsattrs().equals(n.e2fsattrs())) {
      d.add("e2fsattrs");
    }
    return d;
  }

  private static boolean plainXattr(String name) {
    return !name.startsWith("system.posix_acl_") && !name.equals("security.capability");
  }

  private static Map<String, String> xattrs(
      Entry e, boolean all, java.util.function.Predicate<String> which) {
    Map<String, String> out = new TreeMap<>();
    e.xattrs()
        .forEach(
            (k, v) -> {
              if (which.test(k) && (all || k.startsWith("user."))) {
                out.put(k, v);
              }
            });
    return out;
  }
}
