package dev.rampart.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.agent.fim.Fim;
import dev.rampart.agent.fim.FimWatcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real-time FIM through the watch service: each change reported with its attributes. */
class FimWatcherTest {
  @TempDir Path dir;

  static FimWatcher.Change await(LinkedBlockingQueue<FimWatcher.Change> q, String kind, Path path)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      FimWatcher.Change c = q.poll(100, TimeUnit.MILLISECONDS);
      if (c != null && c.kind().equals(kind) && c.path().equals(path.toString())) {
        return c;
      }
    }
    throw new AssertionError("no " + kind + " of " + path + " within 15 s");
  }

  @Test
  void contentModeNewFolderAndDeleteAreReportedAsTheyHappen() throws Exception {
    Path t = Files.createDirectories(dir.resolve("t"));
    Files.writeString(t.resolve("a.txt"), "alpha\n");
    Files.writeString(t.resolve("b.txt"), "bravo\n");
    Files.createDirectories(t.resolve("cache"));
    Fim.Options o = new Fim.Options(List.of("**/cache", "**/cache/**"), 2, false);
    Fim.State base = Fim.scan(List.of(t), o, null, n -> {});
    LinkedBlockingQueue<FimWatcher.Change> q = new LinkedBlockingQueue<>();
    try (FimWatcher w = new FimWatcher(List.of(t), base.entries(), o, q::add)) {
      assertThat(w.watchedFolders()).isGreaterThanOrEqualTo(1);
      Thread.sleep(20);
      Files.writeString(t.resolve("a.txt"), "ALPHA\n");
      assertThat(await(q, "changed", t.resolve("a.txt")).attributes()).contains("content");
      Files.setPosixFilePermissions(
          t.resolve("b.txt"), PosixFilePermissions.fromString("rw-------"));
      assertThat(await(q, "changed", t.resolve("b.txt")).attributes()).contains("mode");
      Files.createDirectories(t.resolve("new"));
      Files.writeString(t.resolve("new/inside.txt"), "x\n");
      await(q, "added", t.resolve("new"));
      await(q, "added", t.resolve("new/inside.txt"));
      Files.delete(t.resolve("b.txt"));
      await(q, "removed", t.resolve("b.txt"));
      Files.writeString(t.resolve("cache/ignored.tmp"), "x\n");
      Thread.sleep(300);
      assertThat(q).noneMatch(c -> c.path().contains("/cache"));
      assertThat(w.state()).containsKey(t.resolve("new/inside.txt").toString());
    }
  }

  @Test
  void aStormIsRateLimitedWithoutLosingAChange() throws Exception {
    Path t = Files.createDirectories(dir.resolve("storm"));
    for (int i = 0; i < 40; i++) {
      Files.writeString(t.resolve("f" + i), "v0\n");
    }
    Fim.State base = Fim.scan(List.of(t), Fim.Options.DEFAULTS, null, n -> {});
    LinkedBlockingQueue<FimWatcher.Change> q = new LinkedBlockingQueue<>();
    FimWatcher.Limits slow =
        new FimWatcher.Limits(20, 1000, () -> dev.rampart.agent.fim.PackageDigests.NONE);
    try (FimWatcher w =
        new FimWatcher(List.of(t), base.entries(), Fim.Options.DEFAULTS, slow, q::add)) {
      Thread.sleep(20);
      for (int i = 0; i < 40; i++) {
        Files.writeString(t.resolve("f" + i), "v1\n");
      }
      for (int i = 0; i < 40; i++) {
        await(q, "changed", t.resolve("f" + i));
      }
      assertThat(w.rateLimited.get()).isPositive(); // 40 at once against 20 a second
      assertThat(w.deferred()).isZero();
    }
  }

  @Test
  void aChangeToWhatThePackageShippedIsReportedAsThePackages() throws Exception {
    Path t = Files.createDirectories(dir.resolve("etc"));
    Path conf = Files.writeString(t.resolve("app.conf"), "local edit\n");
    // a package database that shipped app.conf with other content
    String shipped = "shipped = true\n";
    String md5 =
        java.util.HexFormat.of()
            .formatHex(
                java.security.MessageDigest.getInstance("MD5")
                    .digest(shipped.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    Path root = Files.createDirectories(dir.resolve("root/var/lib/dpkg/info"));
    Files.writeString(
        root.resolve("app.md5sums"), md5 + "  " + conf.toString().substring(1) + "\n");
    dev.rampart.agent.fim.PackageDigests pkgs =
        dev.rampart.agent.fim.PackageDigests.dpkg(dir.resolve("root"));
    Fim.State base = Fim.scan(List.of(t), Fim.Options.DEFAULTS, null, n -> {});
    LinkedBlockingQueue<FimWatcher.Change> q = new LinkedBlockingQueue<>();
    try (FimWatcher w =
        new FimWatcher(
            List.of(t),
            base.entries(),
            Fim.Options.DEFAULTS,
            new FimWatcher.Limits(500, 1000, () -> pkgs),
            q::add)) {
      Thread.sleep(20);
      Files.writeString(conf, "an intruder's edit\n");
      assertThat(await(q, "changed", conf).pkg()).isNull();
      Files.writeString(conf, shipped); // what an upgrade writes
      // (a write that truncates first may be seen twice: empty, then whole)
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      String pkg = null;
      while (pkg == null && System.nanoTime() < deadline) {
        FimWatcher.Change c = q.poll(100, TimeUnit.MILLISECONDS);
        if (c != null && c.path().equals(conf.toString())) {
          pkg = c.pkg();
        }
      }
      assertThat(pkg).isEqualTo("app");
    }
  }
}
