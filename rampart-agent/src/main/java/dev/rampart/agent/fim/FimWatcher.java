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
 * Real-time file integrity. Each event is judged by re-reading the path and comparing it with the
 * baseline, so a report names the attributes that changed, as {@code fim check} does. With the
 * native plug-in and CAP_SYS_ADMIN, events come from fanotify filesystem marks and each report
 * names the process behind the change (pid, executable, user); otherwise from the JDK's watch
 * service (inotify) on every folder under the roots, reported as degraded. A lost-events signal
 * triggers a rescan (of the folder with inotify, of the roots with fanotify); a fanotify watch that
 * dies falls back to inotify.
 */
public final class FimWatcher implements Closeable {
  /**
   * One change, seen {@code nanos} after the watcher started (for latency figures), with the
   * process behind it when fanotify names one ({@code pid} 0 otherwise; {@code exe} and {@code
   * user} null when the process was already gone).
   *
   * @param kind added, removed or changed
   * @param pkg for a content change, the package whose recorded digest the new content has (an
   *     install or upgrade, not an intrusion), else null
   */
  public record Change(
      String kind,
      String path,
      List<String> attributes,
      long seenNanos,
      int pid,
      String exe,
      String user,
      String pkg) {
    public Change(String kind, String path, List<String> attributes, long seenNanos) {
      this(kind, path, attributes, seenNanos, 0, null, null, null);
    }
  }

  /**
   * How many paths may be judged per second (a package upgrade touching ten thousand files must not
   * flood the server); beyond it, paths wait in a bounded set and are judged as the budget allows,
   * or, past the bound, by a rescan. Nothing is lost, only later.
   *
   * @param packages the package manager's digests for content changes (NONE: no check)
   */
  public record Limits(
      int judgedPerSecond, int maxDeferred, java.util.function.Supplier<PackageDigests> packages) {
    public static final Limits DEFAULTS = new Limits(500, 100_000, () -> PackageDigests.NONE);
  }

  /** The watch mode without fanotify, for heartbeats and the console. */
  public static final String DEGRADED = "inotify (degraded: no process attribution)";

  public static final String FANOTIFY = "fanotify (filesystem marks, process attribution)";

  private WatchService service;
  private final Map<WatchKey, Path> keys = new ConcurrentHashMap<>();
  private final Map<String, Fim.Entry> state;
  private final Fim.Options options;
  private final Consumer<Change> sink;
  private final List<Path> roots;
  private final List<String> prefixes = new ArrayList<>();
  private final Map<Integer, String> userNames = new ConcurrentHashMap<>();
  private Thread thread;
  private Closeable fanotify;
  private volatile String mode;
  private final Limits limits;
  private final Thread drainer;
  // paths over the rate, with the process behind their latest event; guarded by this
  private final java.util.LinkedHashMap<String, Integer> deferred = new java.util.LinkedHashMap<>();
  private boolean rescanAll;
  private double tokens;
  private long refilled = System.nanoTime();
  public final java.util.concurrent.atomic.AtomicLong rateLimited =
      new java.util.concurrent.atomic.AtomicLong();
  private volatile boolean running = true;

  /**
   * Starts watching {@code roots}, judging changes against {@code baseline} (updated as changes are
   * reported).
   */
  public FimWatcher(
      List<Path> roots, Map<String, Fim.Entry> baseline, Fim.Options options, Consumer<Change> sink)
      throws IOException {
    this(roots, baseline, options, Limits.DEFAULTS, sink);
  }

  public FimWatcher(
      List<Path> roots,
      Map<String, Fim.Entry> baseline,
      Fim.Options options,
      Limits limits,
      Consumer<Change> sink)
      throws IOException {
    this.limits = limits;
    this.tokens = limits.judgedPerSecond();
    this.drainer = Thread.ofPlatform().name("fim-deferred").daemon().start(this::drainLoop);
    this.state = new ConcurrentHashMap<>(baseline);
    this.options = options;
    this.sink = sink;
    this.roots = roots.stream().map(r -> r.toAbsolutePath().normalize()).toList();
    for (Path r : this.roots) {
      prefixes.add(r.toString().endsWith("/") ? r.toString() : r + "/");
    }
    var nat = dev.rampart.agent.nativeio.NativeAccess.get();
    if (nat.isPresent()) {
      try {
        fanotify = nat.get().watch(this.roots, this::onNative);
        mode = FANOTIFY;
        return;
      } catch (IOException refused) {
        // no CAP_SYS_ADMIN, or an old kernel: inotify below
      }
    }
    startInotify();
  }

  private synchronized void startInotify() throws IOException {
    if (service != null) {
      return;
    }
    service = FileSystems.getDefault().newWatchService();
    for (Path r : roots) {
      registerTree(r);
    }
    mode = DEGRADED;
    thread = Thread.ofPlatform().name("fim-watch").daemon().start(this::loop);
  }

  /** How changes are seen: {@link #FANOTIFY} or {@link #DEGRADED}. */
  public String mode() {
    return mode;
  }

  private boolean watched(Path p) {
    String s = p.toString();
    for (int i = 0; i < prefixes.size(); i++) {
      if (s.startsWith(prefixes.get(i)) || s.equals(roots.get(i).toString())) {
        return true;
      }
    }
    return false;
  }

  // fanotify events arrive on one thread, the native layer's
  private void onNative(dev.rampart.agent.nativeio.NativeAccess.FileEvent ev) {
    if (!running) {
      return;
    }
    try {
      if (ev.overflow()) {
        for (Path r : roots) {
          rescan(r);
        }
        if (ev.pid() < 0) { // the fanotify watch ended: carry on with inotify
          startInotify();
        }
        return;
      }
      if (watched(ev.path())) {
        admit(ev.path(), ev.pid());
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      // a path that vanished between the event and the look: the next event tells
    }
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
            admit(p, 0);
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

  /** Judges now when the rate allows, else defers the path (lossless: its state is untouched). */
  private void admit(Path p, int pid) throws IOException, InterruptedException {
    synchronized (this) {
      long now = System.nanoTime();
      tokens =
          Math.min(
              limits.judgedPerSecond(), tokens + (now - refilled) / 1e9 * limits.judgedPerSecond());
      refilled = now;
      if (tokens < 1 || !deferred.isEmpty()) {
        rateLimited.incrementAndGet();
        if (deferred.size() < limits.maxDeferred()) {
          deferred.put(p.toString(), pid);
        } else {
          rescanAll = true; // too many to remember one by one: compare everything later
        }
        return;
      }
      tokens -= 1;
    }
    judge(p, pid);
  }

  // judges deferred paths as the budget refills; a storm past the bound ends in a rescan
  private void drainLoop() {
    while (running) {
      try {
        Thread.sleep(200);
        List<Map.Entry<String, Integer>> batch = new ArrayList<>();
        boolean all;
        synchronized (this) {
          long now = System.nanoTime();
          tokens =
              Math.min(
                  limits.judgedPerSecond(),
                  tokens + (now - refilled) / 1e9 * limits.judgedPerSecond());
          refilled = now;
          var it = deferred.entrySet().iterator();
          while (it.hasNext() && tokens >= 1) {
            var next = it.next();
            batch.add(Map.entry(next.getKey(), next.getValue()));
            it.remove();
            tokens -= 1;
          }
          all = rescanAll && deferred.isEmpty();
          if (all) {
            rescanAll = false;
          }
        }
        for (Map.Entry<String, Integer> e : batch) {
          judge(Path.of(e.getKey()), e.getValue());
        }
        if (all) {
          for (Path r : roots) {
            rescan(r);
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        // a path gone meanwhile; the scheduled scan is the safety net
      }
    }
  }

  /** Paths waiting for the rate limit (for heartbeats). */
  public synchronized int deferred() {
    return deferred.size();
  }

  private synchronized void judge(Path p, int pid) throws IOException, InterruptedException {
    String path = p.toString();
    Fim.Entry before = state.get(path);
    Fim.Entry now;
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      if (before != null) {
        state.remove(path);
        sink.accept(attributed("removed", path, List.of(), pid));
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
      sink.accept(attributed("added", path, List.of(), pid));
      return;
    }
    List<String> d = Fim.differences(before, now);
    if (!d.isEmpty()) {
      Change c = attributed("changed", path, d, pid);
      String pkg =
          d.contains("content") ? limits.packages().get().verify(Path.of("/"), path) : null;
      sink.accept(
          pkg == null
              ? c
              : new Change(
                  c.kind(),
                  c.path(),
                  c.attributes(),
                  c.seenNanos(),
                  c.pid(),
                  c.exe(),
                  c.user(),
                  pkg));
    }
  }

  /** A change with the process behind it, read from /proc while it may still run. */
  private Change attributed(String kind, String path, List<String> attrs, int pid) {
    long t = System.nanoTime();
    if (pid <= 0) {
      return new Change(kind, path, attrs, t);
    }
    String exe = null;
    String user = null;
    try {
      exe = Files.readSymbolicLink(Path.of("/proc", Integer.toString(pid), "exe")).toString();
    } catch (IOException | UnsupportedOperationException gone) {
      // a short-lived writer (echo > file) is gone before we look
    }
    try {
      for (String l : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "status"))) {
        if (l.startsWith("Uid:")) {
          int uid = Integer.parseInt(l.substring(4).trim().split("\\s+")[0]);
          user = userNames.computeIfAbsent(uid, FimWatcher::userName);
          break;
        }
      }
    } catch (IOException | RuntimeException gone) {
      // as above
    }
    return new Change(kind, path, attrs, t, pid, exe, user, null);
  }

  private static String userName(int uid) {
    try {
      for (String l : Files.readAllLines(Path.of("/etc/passwd"))) {
        String[] f = l.split(":", -1);
        if (f.length > 2 && f[2].equals(Integer.toString(uid))) {
          return f[0];
        }
      }
    } catch (IOException e) {
      // the number is all there is
    }
    return Integer.toString(uid);
  }

  private synchronized void rescan(Path dir) throws IOException, InterruptedException {
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
    drainer.interrupt();
    if (fanotify != null) {
      fanotify.close();
    }
    synchronized (this) {
      if (service != null) {
        service.close();
        thread.interrupt();
      }
    }
  }
}
