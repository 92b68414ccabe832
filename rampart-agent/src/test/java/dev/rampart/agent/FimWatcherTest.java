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
}
