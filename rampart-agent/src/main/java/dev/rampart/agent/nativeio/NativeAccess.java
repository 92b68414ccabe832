package dev.rampart.agent.nativeio;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * What the agent needs from the operating system beyond Java's file API: every extended attribute
 * (ACLs and file capabilities live there), ext2-style inode flags ({@code chattr}), and
 * filesystem-wide change events with the process behind each (fanotify). Implemented in the {@code
 * rampart-agent-native} module with the foreign function API (Java 22 and later), found through
 * {@link ServiceLoader}; on an older JDK, or without that module, {@link #get} is empty and the
 * agent says what it cannot see.
 */
public interface NativeAccess {
  /** The implementation's name, for status lines ({@code linux-ffm}). */
  String name();

  /** Extended attributes of {@code p} without following links, every namespace: name → value. */
  Map<String, byte[]> xattrs(Path p) throws IOException;

  /** The inode flags {@code lsattr} shows, or -1 where there are none (links, devices). */
  int inodeFlags(Path p) throws IOException;

  /**
   * Reports file events under {@code roots} from the whole of their filesystems until closed.
   *
   * @throws IOException when the kernel refuses (no CAP_SYS_ADMIN, no fanotify)
   */
  Closeable watch(List<Path> roots, Consumer<FileEvent> sink) throws IOException;

  /**
   * A file event: the path (null with {@code overflow}: events were lost, rescan), and the process
   * that caused it.
   */
  record FileEvent(Path path, boolean overflow, int pid) {}

  /** The implementation on the class path that works on this JDK, if any. */
  static Optional<NativeAccess> get() {
    return Holder.INSTANCE;
  }

  /** Loaded once; an implementation built for a newer JDK fails to load here and is skipped. */
  final class Holder {
    static final Optional<NativeAccess> INSTANCE = load();

    private Holder() {}

    private static Optional<NativeAccess> load() {
      try {
        for (NativeAccess n : ServiceLoader.load(NativeAccess.class)) {
          return Optional.of(n);
        }
      } catch (java.util.ServiceConfigurationError | LinkageError notHere) {
        // built for a newer JDK than this one
      }
      return Optional.empty();
    }
  }
}
