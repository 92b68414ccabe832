package dev.rampart.agent.nativefs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rampart.agent.nativeio.NativeAccess;
import java.io.Closeable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native layer on this machine's kernel: every extended attribute namespace (user, POSIX ACL,
 * file capability), chattr flags, and fanotify naming the file and the process that wrote it. What
 * needs root or a missing tool is skipped with a message saying so.
 */
class LinuxNativeTest {
  @TempDir Path dir;

  static boolean tool(String name) {
    for (String d : List.of("/usr/bin/", "/usr/sbin/", "/bin/", "/sbin/")) {
      if (Files.isExecutable(Path.of(d + name))) {
        return true;
      }
    }
    System.err.println("LinuxNativeTest: " + name + " is not installed; that part is skipped");
    return false;
  }

  static boolean root() {
    boolean r = "root".equals(System.getProperty("user.name"));
    if (!r) {
      System.err.println("LinuxNativeTest: not root; capabilities, chattr and fanotify skipped");
    }
    return r;
  }

  static void run(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", argv) + ": " + out).isZero();
  }

  @Test
  void theServiceIsFoundAndReadsEveryXattrNamespace() throws Exception {
    NativeAccess n = NativeAccess.get().orElseThrow();
    assertThat(n.name()).isEqualTo("linux-ffm");
    Path f = Files.writeString(dir.resolve("f"), "x");
    assertThat(n.xattrs(f)).isEmpty();
    UserDefinedFileAttributeView v =
        Files.getFileAttributeView(f, UserDefinedFileAttributeView.class);
    v.write("rampart", ByteBuffer.wrap("one".getBytes(StandardCharsets.UTF_8)));
    assertThat(n.xattrs(f)).containsKey("user.rampart");
    assertThat(new String(n.xattrs(f).get("user.rampart"), StandardCharsets.UTF_8))
        .isEqualTo("one");
    if (tool("setfacl")) {
      run("setfacl", "-m", "u:nobody:r", f.toString());
      assertThat(n.xattrs(f)).containsKey("system.posix_acl_access");
    }
    if (root() && tool("setcap")) {
      Path bin = Files.copy(Path.of("/bin/true"), dir.resolve("true"));
      run("setcap", "cap_net_raw+ep", bin.toString());
      assertThat(n.xattrs(bin)).containsKey("security.capability");
    }
    Path link = Files.createSymbolicLink(dir.resolve("l"), f);
    assertThat(n.xattrs(link)).doesNotContainKey("user.rampart"); // links are not followed
  }

  @Test
  void inodeFlagsAreReadWithoutFollowingLinks() throws Exception {
    NativeAccess n = NativeAccess.get().orElseThrow();
    Path f = Files.writeString(dir.resolve("f"), "x");
    int before = n.inodeFlags(f);
    assertThat(n.inodeFlags(Files.createSymbolicLink(dir.resolve("l"), f))).isEqualTo(-1);
    assumeTrue(before >= 0, "this filesystem keeps no inode flags");
    if (root() && tool("chattr")) {
      run("chattr", "+a", f.toString());
      try {
        assertThat(n.inodeFlags(f) & 0x20).isEqualTo(0x20); // FS_APPEND_FL
      } finally {
        run("chattr", "-a", f.toString());
      }
      assertThat(n.inodeFlags(f)).isEqualTo(before);
    }
  }

  @Test
  void fanotifyNamesTheFileAndTheProcessThatWroteIt() throws Exception {
    assumeTrue(root(), "fanotify needs CAP_SYS_ADMIN");
    NativeAccess n = NativeAccess.get().orElseThrow();
    List<NativeAccess.FileEvent> events = new CopyOnWriteArrayList<>();
    Path target = dir.resolve("written-by-sh");
    try (Closeable w = n.watch(List.of(dir), events::add)) {
      Files.writeString(dir.resolve("ours"), "this process's own writes are reported too");
      Process p = new ProcessBuilder("sh", "-c", "echo x > " + target).start();
      long pid = p.pid();
      assertThat(p.waitFor()).isZero();
      long deadline = System.currentTimeMillis() + 5000;
      while (events.stream().noneMatch(e -> target.equals(e.path()))
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      assertThat(events).anyMatch(e -> target.equals(e.path()) && e.pid() == pid);
      assertThat(events)
          .anyMatch(
              e ->
                  dir.resolve("ours").equals(e.path()) && e.pid() == ProcessHandle.current().pid());
    }
  }
}
