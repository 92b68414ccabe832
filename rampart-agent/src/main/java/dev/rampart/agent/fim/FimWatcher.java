package dev.rampart.agent.fim;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Real-time file integrity in its degraded mode: the JDK's watch service (inotify on Linux) on
 * every folder under the roots, each event judged by re-reading the path and comparing it with the
 * baseline, so a report names the attributes that changed, as {@code fim check} does. A queue
 * overflow triggers a rescan of the folder it concerns. It cannot name the process that made a
 * change (fanotify can; not built yet), and is reported as {@code inotify (degraded)}.
 */
public final class FimWatcher implements Closeable {
  /**
   * One change, seen {@code nanos} after the watcher started (for latency figures).
   *
   * @param kind added, removed or changed
   */
  public record Change(String kind, String path, List<String> attributes, long seenNanos) {}

  /** The watch mode, for heartbeats and the console. */
  public static final String MODE = "inotify (degraded: no process attribution)";

  private final WatchService service;
  private final Map<WatchKey, Path> keys = new ConcurrentHashMap<>();
  private final Map<String, Fim.Entry> state;
  private final Fim.Options options;
  private final Consumer<Change> sink;
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * Starts watching {@code roots}, judging changes against {@code baseline} (updated as changes are
   * reported).
   */
  public FimWatcher(
      List<Path> roots, Map<String, Fim.Entry> baseline, Fim.Options options, Consumer<Change> sink)
      throws IOException {
    this.service = FileSystems.getDefault().newWatchService();
    this.state = new ConcurrentHashMap<>(baseline);
    this.options = options;
    this.sink = sink;
    for (Path r : roots) {
      registerTree(r.toAbsolutePath().normalize());
    }
    this.thread = Thread.ofPlatform().name("fim-watch").daemon().start(this::loop);
  }

  private void registerTree(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var s = Files.walk(dir)) {
      for (Path d :
          (Iterable<Path>)
              s.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))::iterator) {
        keys.put(
            d.register(
                service,
                StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_DELETE,
                StandardWatchEventKinds.ENTRY_MODIFY),
            d);
      }
    }
  }

  private void loop() {
    while (running) {
      WatchKey key;
      try {
        key = service.take();
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      }
      Path dir = keys.get(key);
      for (WatchEvent<?> ev : key.pollEvents()) {
        if (dir == null) {
          continue;
        }
        try {
          if (ev.kind() == StandardWatchEventKinds.OVERFLOW) {
            rescan(dir); // events were lost: compare the whole folder with what we know
          } else {
            Path p = dir.resolve((Path) ev.context());
            judge(p);
            if (ev.kind() == StandardWatchEventKinds.ENTRY_CREATE
                && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
              registerTree(p);
              rescan(p); // what was created inside before the watch was in place
            }
          }
        } catch (IOException | InterruptedException | RuntimeException e) {
          // a path that vanished between the event and the look: the next event tells
        }
      }
      if (!key.reset()) {
        keys.remove(key);
      }
    }
  }

  private void judge(Path p) throws IOException, InterruptedException {
    String path = p.toString();
    Fim.Entry before = state.get(path);
    Fim.Entry now;
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      if (before != null) {
        state.remove(path);
        sink.accept(new Change("removed", path, List.of(), System.nanoTime()));
      }
      return;
    }
    Fim.State s = Fim.scan(List.of(p), new Fim.Options(options.exclude(), 1, true), null, n -> {});
    now = s.entries().get(path);
    if (now == null) {
      return; // excluded
    }
    state.put(path, now);
    if (before == null) {
      sink.accept(new Change("added", path, List.of(), System.nanoTime()));
      return;
    }
    List<String> d = Fim.differences(before, now);
    if (!d.isEmpty()) {
      sink.accept(new Change("changed", path, d, System.nanoTime()));
    }
  }

  private void rescan(Path dir) throws IOException, InterruptedException {
    String prefix = dir.toString() + "/";
    Map<String, Fim.Entry> before = new HashMap<>();
    for (var e : state.entrySet()) {
      if (e.getKey().startsWith(prefix)) {
        before.put(e.getKey(), e.getValue());
      }
    }
    Fim.State s = Fim.scan(List.of(dir), options, before, n -> {});
    Map<String, Fim.Entry> now = new HashMap<>(s.entries());
    now.remove(dir.toString());
    Fim.Diff d = Fim.compare(before, now);
    long t = System.nanoTime();
    for (String a : d.added()) {
      state.put(a, now.get(a));
      sink.accept(new Change("added", a, List.of(), t));
    }
    for (String r : d.removed()) {
      state.remove(r);
      sink.accept(new Change("removed", r, List.of(), t));
    }
    for (Fim.Rename r : d.renamed()) {
      state.remove(r.from());
      state.put(r.to(), now.get(r.to()));
      sink.accept(new Change("removed", r.from(), List.of(), t));
      sink.accept(new Change("added", r.to(), List.of(), t));
    }
    for (var c : d.changed().entrySet()) {
      state.put(c.getKey(), now.get(c.getKey()));
      sink.accept(new Change("changed", c.getKey(), new ArrayList<>(c.getValue()), t));
    }
  }

  /** What the watcher knows now (to save as the next baseline). */
  public Map<String, Fim.Entry> state() {
    return Map.copyOf(state);
  }

  public int watchedFolders() {
    return keys.size();
  }

  @Override
  public void close() throws IOException {
    running = false;
    service.close();
    thread.interrupt();
  }
}
