package dev.rampart.ingest.spool;

import java.nio.file.Path;
import java.util.ServiceLoader;

/**
 * Tells the operating system that part of a file need not stay in its page cache. The spool writes
 * each byte once and its consumers read it back within moments, so pages far behind the newest
 * write only crowd out memory, and new pages cost the kernel more than reused ones (see {@link
 * Spool.Options#cacheBytes}). Java has no call for this; the {@code rampart-ingest-native} module
 * implements it with {@code posix_fadvise} through the foreign function API (Java 22 and later),
 * found through {@link ServiceLoader}. Without it (an older JDK, another system) {@link #system} is
 * {@link #NONE} and the spool works as before.
 */
public interface PageCache {
  /** The implementation's name, for status lines ({@code posix_fadvise}, {@code none}). */
  String name();

  /**
   * Drops the cached pages of {@code file} from {@code offset} for {@code length} bytes. Best
   * effort: pages not yet written back stay, and a file that is gone is no error. Never loses data;
   * only a later read of these bytes goes to the disk.
   */
  void drop(Path file, long offset, long length);

  /** Leaves the page cache to the operating system. */
  PageCache NONE =
      new PageCache() {
        @Override
        public String name() {
          return "none";
        }

        @Override
        public void drop(Path file, long offset, long length) {}
      };

  /** The implementation on the class path that works here, else {@link #NONE}. */
  static PageCache system() {
    return Holder.INSTANCE;
  }

  /** Loaded once; an implementation built for a newer JDK, or another system, is skipped. */
  final class Holder {
    static final PageCache INSTANCE = load();

    private Holder() {}

    private static PageCache load() {
      try {
        for (PageCache p : ServiceLoader.load(PageCache.class)) {
          return p;
        }
      } catch (java.util.ServiceConfigurationError | LinkageError notHere) {
        // built for a newer JDK than this one, or no posix_fadvise in this C library
      }
      return NONE;
    }
  }
}
