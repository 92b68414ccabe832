package dev.rampart.agent.nativefs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rampart.agent.fim.Fim;
import dev.rampart.agent.fim.FimWatcher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File integrity with the native plug-in on the class path: the rows of the test matrix that need
 * it (POSIX ACL, file capability, chattr flags, non-user extended attributes), and real-time
 * reports that name the process, executable and user behind a change.
 */
class NativeFimTest {
  @TempDir Path dir;

  static void run(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", argv) + ": " + out).isZero();
  }

  Map<String, List<String>> changed(Map<String, Fim.Entry> base) throws Exception {
    Fim.State now = Fim.scan(List.of(dir), Fim.Options.DEFAULTS, null, x -> {});
    return Fim.compare(base, now.entries()).changed();
  }

  @Test
  void aclCapabilitiesChattrAndEveryXattrNamespaceAreCompared() throws Exception {
    assumeTrue(Fim.complete(), "the native plug-in did not load");
    assumeTrue(
        "root".equals(System.getProperty("user.name"))
            && LinuxNativeTest.tool("setfacl")
            && LinuxNativeTest.tool("setcap")
            && LinuxNativeTest.tool("chattr")
            && LinuxNativeTest.tool("setfattr"),
        "needs root, setfacl, setcap, chattr and setfattr");
    Path acl = Files.writeString(dir.resolve("acl"), "x");
    Path cap = Files.copy(Path.of("/bin/true"), dir.resolve("cap"));
    Path flags = Files.writeString(dir.resolve("flags"), "x");
    Path trusted = Files.writeString(dir.resolve("trusted"), "x");
    Map<String, Fim.Entry> base =
        Fim.scan(List.of(dir), Fim.Options.DEFAULTS, null, x -> {}).entries();
    assertThat(base.get(flags.toString()).e2fsattrs()).isNotNull();
    assertThat(changed(base)).isEmpty();

    run("setfacl", "-m", "u:nobody:rw", acl.toString());
    run("setcap", "cap_net_bind_service+ep", cap.toString());
    run("chattr", "+a", flags.toString());
    run("setfattr", "-n", "trusted.rampart", "-v", "1", trusted.toString());
    try {
      Map<String, List<String>> c = changed(base);
      assertThat(c.get(acl.toString())).contains("acl").doesNotContain("xattrs", "caps");
      assertThat(c.get(cap.toString())).contains("caps").doesNotContain("acl", "xattrs");
      assertThat(c.get(flags.toString())).contains("e2fsattrs").doesNotContain("content");
      assertThat(c.get(trusted.toString())).contains("xattrs").doesNotContain("acl", "caps");
    } finally {
      run("chattr", "-a", flags.toString());
    }
  }

  @Test
  void realTimeReportsNameTheProcessBehindAChange() throws Exception {
    assumeTrue(Fim.complete(), "the native plug-in did not load");
    assumeTrue("root".equals(System.getProperty("user.name")), "fanotify needs CAP_SYS_ADMIN");
    Path conf = Files.writeString(dir.resolve("sshd_config"), "PermitRootLogin no\n");
    Files.createDirectories(dir.resolve("cache"));
    Map<String, Fim.Entry> base =
        Fim.scan(List.of(dir), Fim.Options.DEFAULTS, null, x -> {}).entries();
    List<FimWatcher.Change> seen = new CopyOnWriteArrayList<>();
    try (FimWatcher w =
        new FimWatcher(
            List.of(dir), base, new Fim.Options(List.of("**/cache/**"), 2, false), seen::add)) {
      assertThat(w.mode()).isEqualTo(FimWatcher.FANOTIFY);
      Files.readString(conf); // a read (atime) is never a change
      Files.writeString(dir.resolve("cache/tmp"), "excluded");
      // a long-lived writer, so /proc still names it when the change is judged
      Process p =
          new ProcessBuilder("sh", "-c", "echo 'PermitRootLogin yes' > " + conf + "; sleep 5")
              .start();
      try {
        long deadline = System.currentTimeMillis() + 5000;
        while (seen.stream().noneMatch(c -> c.path().equals(conf.toString()))
            && System.currentTimeMillis() < deadline) {
          Thread.sleep(20);
        }
        FimWatcher.Change c =
            seen.stream().filter(x -> x.path().equals(conf.toString())).findFirst().orElseThrow();
        assertThat(c.kind()).isEqualTo("changed");
        assertThat(c.attributes()).contains("content", "size");
        assertThat((long) c.pid()).isEqualTo(p.pid());
        assertThat(c.exe()).endsWith("sh"); // the shell that wrote it (dash or bash)
        assertThat(c.user()).isEqualTo("root");
        assertThat(seen).noneMatch(x -> x.path().contains("/cache/"));
      } finally {
        p.destroyForcibly();
      }
    }
  }
}
