package dev.rampart.vuln.advisory;

import dev.rampart.core.io.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Loads advisory data from what a user points at, telling the kind from the layout. */
public final class Advisories {
  private Advisories() {}

  /** What was loaded from one path. */
  public record Loaded(Path path, String kind, List<Advisory> advisories, List<Problem> problems) {}

  /**
   * A Debian security-tracker checkout (a folder with {@code data/DSA/list} and/or {@code
   * data/DLA/list}). Other feeds are refused with a message naming what is supported.
   */
  public static Loaded load(Path path) throws IOException {
    if (!Files.exists(path)) {
      throw new IOException(path + ": no such file or folder");
    }
    List<Problem> problems = new ArrayList<>();
    if (Files.isDirectory(path) && DebianTracker.isTracker(path)) {
      List<Advisory> all = new ArrayList<>();
      for (Path list : DebianTracker.lists(path)) {
        all.addAll(DebianTracker.read(list, problems));
      }
      return new Loaded(path, "debian-tracker", all, problems);
    }
    throw new IOException(
        path
            + ": not advisory data Rampart reads yet (supported: a Debian security-tracker"
            + " checkout with data/DSA/list and data/DLA/list)");
  }
}
