package dev.rampart.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.agent.fim.Fim;
import dev.rampart.agent.fim.FimDb;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FIM change matrix on a real file system: each change is made to a baselined tree and the
 * check must name it (or, for reads and excluded folders, say nothing).
 */
class FimTest {
  @TempDir Path dir;
  Path t;
  Map<String, Fim.Entry> base;

  static final Fim.Options OPTIONS = new Fim.Options(List.of("**/cache/**", "**/cache"), 2, false);

  @BeforeEach
  void tree() throws Exception {
    t = Files.createDirectories(dir.resolve("t"));
    Files.writeString(t.resolve("a.txt"), "alpha\n");
    Files.writeString(t.resolve("b.txt"), "bravo\n");
    Files.writeString(t.resolve("same.txt"), "same\n");
    byte[] big = new byte[3 << 20];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) i;
    }
    Files.write(t.resolve("big.bin"), big);
    Files.createDirectories(t.resolve("sub"));
    Files.writeString(t.resolve("sub/c.txt"), "charlie\n");
    Files.createSymbolicLink(t.resolve("link"), Path.of("a.txt"));
    Files.createDirectories(t.resolve("cache"));
    Files.writeString(t.resolve("cache/x.tmp"), "x\n");
    base = scan(null);
    // ctime has nanosecond resolution, but the clock that sets it may tick coarsely: let the
    // changes below land on a later tick than the baseline
    Thread.sleep(20);
  }

  Map<String, Fim.Entry> scan(Map<String, Fim.Entry> previous) throws Exception {
    Fim.State s = Fim.scan(List.of(t), OPTIONS, previous, n -> {});
    assertThat(s.problems()).isEmpty();
    return s.entries();
  }

  Fim.Diff check() throws Exception {
    return Fim.compare(base, scan(base));
  }

  String p(String rel) {
    return t.resolve(rel).toString();
  }

  @Test
  void contentChangesWithAndWithoutSizeChange() throws Exception {
    Files.writeString(t.resolve("a.txt"), "ALPHA\n"); // same size
    Files.writeString(t.resolve("b.txt"), "bravo, longer\n");
    Fim.Diff d = check();
    assertThat(d.changed().get(p("a.txt"))).contains("content", "mtime").doesNotContain("size");
    assertThat(d.changed().get(p("b.txt"))).contains("content", "size");
  }

  @Test
  void sameSizeOverwriteWithMtimeRestoredIsStillFound() throws Exception {
    FileTime before = Files.getLastModifiedTime(t.resolve("a.txt"));
    Files.writeString(t.resolve("a.txt"), "ALPHA\n");
    Files.setLastModifiedTime(t.resolve("a.txt"), before);
    // size and mtime are as before; ctime is not, so the skip rule re-hashes it
    assertThat(check().changed().get(p("a.txt")))
        .contains("content", "ctime")
        .doesNotContain("mtime");
  }

  @Test
  void revertToIdenticalBytesIsNotAContentChange() throws Exception {
    Files.writeString(t.resolve("a.txt"), "other\n");
    Files.writeString(t.resolve("a.txt"), "alpha\n");
    assertThat(check().changed().get(p("a.txt"))).doesNotContain("content");
  }

  @Test
  void truncateAndTheLastByteOfALargeFile() throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(t.resolve("b.txt").toFile(), "rw")) {
      f.setLength(0);
    }
    try (RandomAccessFile f = new RandomAccessFile(t.resolve("big.bin").toFile(), "rw")) {
      f.seek(f.length() - 1);
      int last = f.read();
      f.seek(f.length() - 1);
      f.write(last ^ 1);
    }
    Fim.Diff d = check();
    assertThat(d.changed().get(p("b.txt"))).contains("content", "size");
    assertThat(d.changed().get(p("big.bin"))).contains("content").doesNotContain("size");
  }

  @Test
  void modeSetuidOwnerAndGroup() throws Exception {
    Files.setPosixFilePermissions(t.resolve("a.txt"), PosixFilePermissions.fromString("rw-------"));
    Files.setAttribute(t.resolve("b.txt"), "unix:mode", 04755, LinkOption.NOFOLLOW_LINKS);
    boolean root = "root".equals(System.getProperty("user.name"));
    if (root) {
      Files.setAttribute(t.resolve("same.txt"), "unix:uid", 1, LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(t.resolve("sub/c.txt"), "unix:gid", 1, LinkOption.NOFOLLOW_LINKS);
    }
    Fim.Diff d = check();
    assertThat(d.changed().get(p("a.txt"))).contains("mode", "ctime").doesNotContain("content");
    assertThat(d.changed().get(p("b.txt"))).contains("mode");
    assertThat(base.get(p("b.txt")).mode() & 04000).isZero();
    if (root) {
      assertThat(d.changed().get(p("same.txt"))).contains("uid");
      assertThat(d.changed().get(p("sub/c.txt"))).contains("gid");
    }
  }

  @Test
  void newFileFolderAndFifoAndDeletedFileAndFolder() throws Exception {
    Files.writeString(t.resolve("n.txt"), "new\n");
    Files.createDirectories(t.resolve("newdir"));
    Process mk = new ProcessBuilder("mkfifo", t.resolve("pipe").toString()).start();
    assertThat(mk.waitFor()).isZero();
    Files.delete(t.resolve("sub/c.txt"));
    Files.delete(t.resolve("sub"));
    Fim.Diff d = check();
    assertThat(d.added()).contains(p("n.txt"), p("newdir"), p("pipe"));
    assertThat(d.removed()).contains(p("sub"), p("sub/c.txt"));
    assertThat(scan(null).get(p("pipe")).ftype()).isEqualTo("fifo");
  }

  @Test
  void renameIsPairedAndTouchAndReadAreTold() throws Exception {
    Files.move(t.resolve("b.txt"), t.resolve("b2.txt"));
    Files.setLastModifiedTime(
        t.resolve("same.txt"), FileTime.fromMillis(System.currentTimeMillis() + 5000));
    Files.readAllBytes(t.resolve("a.txt")); // atime only: not a change
    Fim.Diff d = check();
    assertThat(d.renamed()).containsExactly(new Fim.Rename(p("b.txt"), p("b2.txt")));
    assertThat(d.added()).doesNotContain(p("b2.txt"));
    assertThat(d.removed()).doesNotContain(p("b.txt"));
    assertThat(d.changed().get(p("same.txt"))).contains("mtime").doesNotContain("content");
    assertThat(d.changed()).doesNotContainKey(p("a.txt"));
  }

  @Test
  void aDeletedFilesInodeReusedByANewFileIsNoRename() throws Exception {
    Files.delete(t.resolve("b.txt"));
    Files.writeString(t.resolve("z.txt"), "zulu\n"); // likely gets b.txt's inode back
    Fim.Diff d = check();
    assertThat(d.renamed()).isEmpty();
    assertThat(d.removed()).contains(p("b.txt"));
    assertThat(d.added()).contains(p("z.txt"));
  }

  @Test
  void linksCopiesAndTypeChanges() throws Exception {
    Files.delete(t.resolve("link"));
    Files.createSymbolicLink(t.resolve("link"), Path.of("b.txt")); // retarget
    Files.createLink(t.resolve("hard"), t.resolve("a.txt")); // a.txt's link count grows
    Path copy = t.resolve("copy.tmp");
    Files.copy(t.resolve("same.txt"), copy);
    Files.move(copy, t.resolve("same.txt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.delete(t.resolve("b.txt"));
    Files.createSymbolicLink(t.resolve("b.txt"), Path.of("a.txt")); // a file became a link
    Fim.Diff d = check();
    assertThat(d.changed().get(p("link"))).contains("linkname");
    assertThat(d.changed().get(p("a.txt"))).contains("nlink");
    assertThat(d.changed().get(p("same.txt"))).contains("inode").doesNotContain("content");
    assertThat(d.changed().get(p("b.txt"))).contains("ftype", "linkname");
  }

  @Test
  void userXattrsAndExcludedFolders() throws Exception {
    UserDefinedFileAttributeView v =
        Files.getFileAttributeView(t.resolve("a.txt"), UserDefinedFileAttributeView.class);
    boolean xattrs;
    try {
      v.write("rampart", ByteBuffer.wrap("1".getBytes(StandardCharsets.UTF_8)));
      xattrs = true;
    } catch (IOException | UnsupportedOperationException e) {
      xattrs = false; // a file system without user xattrs (tmpfs on old kernels)
    }
    Files.writeString(t.resolve("cache/x.tmp"), "changed\n");
    Files.writeString(t.resolve("cache/y.tmp"), "new\n");
    Fim.Diff d = check();
    if (xattrs) {
      assertThat(d.changed().get(p("a.txt"))).contains("xattrs");
    }
    assertThat(d.added()).noneMatch(x -> x.contains("/cache"));
    assertThat(d.changed().keySet()).noneMatch(x -> x.contains("/cache"));
    assertThat(base.keySet()).noneMatch(x -> x.contains("/cache"));
  }

  @Test
  void aChangeThePackageManagerShippedIsToldApartFromATamperedFile() throws Exception {
    Path root = dir.resolve("host");
    Files.createDirectories(root.resolve("var/lib/dpkg/info"));
    Files.createDirectories(root.resolve("usr/bin"));
    String md5 =
        java.util.HexFormat.of()
            .formatHex(
                java.security.MessageDigest.getInstance("MD5")
                    .digest("version 2\n".getBytes(StandardCharsets.UTF_8)));
    Files.writeString(
        root.resolve("var/lib/dpkg/info/demo:amd64.md5sums"), md5 + "  usr/bin/demo\n");
    Files.writeString(root.resolve("usr/bin/demo"), "version 2\n");
    dev.rampart.agent.fim.PackageDigests pkgs = dev.rampart.agent.fim.PackageDigests.dpkg(root);
    assertThat(pkgs.size()).isEqualTo(1);
    assertThat(pkgs.verify(root, root.resolve("usr/bin/demo").toString())).isEqualTo("demo");
    Files.writeString(root.resolve("usr/bin/demo"), "tampered\n");
    assertThat(pkgs.verify(root, root.resolve("usr/bin/demo").toString())).isNull();
    assertThat(pkgs.verify(root, root.resolve("usr/bin/other").toString())).isNull();
  }

  @Test
  void theBaselineRoundTripsAndADamagedOneSaysWhere() throws Exception {
    Path db = dir.resolve("fim.db");
    FimDb.write(db, new FimDb.Header(1, List.of(t.toString()), List.of(), 1), base);
    assertThat(FimDb.read(db).entries()).isEqualTo(base);
    Files.writeString(db, "not gzip");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> FimDb.read(db))
        .hasMessageContaining("damaged baseline");
    // an unreadable file is reported and the scan goes on
    Path secret = t.resolve("secret");
    Files.writeString(secret, "s");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
    Fim.State s = Fim.scan(List.of(t), OPTIONS, null, n -> {});
    if (!"root".equals(System.getProperty("user.name"))) {
      assertThat(s.problems()).anyMatch(x -> x.path().endsWith("secret"));
    }
    assertThat(s.entries()).containsKey(p("a.txt"));
  }
}
