package dev.rampart.agent.inventory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The RPM database, read through {@code rpm} itself (its format is the program's business: Berkeley
 * DB, NDB or SQLite by release). Only where the host has one; the program is {@code rpm} on the
 * PATH unless {@code rampart.rpm} names another (tests use a stand-in).
 */
public final class Rpm {
  private Rpm() {}

  /** Where RPM systems keep the database, under a root. */
  static final List<String> DATABASES = List.of("var/lib/rpm", "usr/lib/sysimage/rpm");

  /** Whether {@code root} holds an RPM database. */
  public static boolean present(Path root) {
    for (String d : DATABASES) {
      if (Files.isDirectory(root.resolve(d))) {
        return true;
      }
    }
    return false;
  }

  /** The database folder's newest change (for reloading digests after a transaction), or -1. */
  public static long stamp(Path root) {
    long newest = -1;
    for (String d : DATABASES) {
      Path p = root.resolve(d);
      if (Files.isDirectory(p)) {
        try (var files = Files.list(p)) {
          for (Path f : (Iterable<Path>) files::iterator) {
            newest = Math.max(newest, Files.getLastModifiedTime(f).toMillis());
          }
        } catch (IOException e) {
          // unreadable: compared as before
        }
      }
    }
    return newest;
  }

  /**
   * {@code rpm --root ROOT -qa --qf FORMAT}: its output, or an IOException saying why not (no
   * program, a failing database), at most 120 s.
   */
  public static String query(Path root, String format) throws IOException {
    List<String> argv = new ArrayList<>();
    argv.add(System.getProperty("rampart.rpm", "rpm"));
    argv.add("--root");
    argv.add(root.toAbsolutePath().toString());
    argv.add("-qa");
    argv.add("--qf");
    argv.add(format);
    Process p;
    try {
      p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new IOException("an RPM database, but no rpm program to read it: " + e.getMessage(), e);
    }
    try {
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException(
            "rpm -qa failed (status " + (p.isAlive() ? "timeout" : p.exitValue()) + ")");
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted", e);
    }
  }
}
