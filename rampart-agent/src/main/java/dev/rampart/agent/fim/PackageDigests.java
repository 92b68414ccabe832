package dev.rampart.agent.fim;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The digests the package manager recorded for the files it installed (dpkg's {@code
 * /var/lib/dpkg/info/*.md5sums}, or rpm's file digests: MD5 on old releases, SHA-256 on current
 * ones): a changed file whose new content is exactly what its package shipped was changed by a
 * package install or upgrade, not by an intruder.
 */
public final class PackageDigests {
  /** The package a path belongs to and the digest (MD5 or SHA-256, hex) it shipped with. */
  public record Shipped(String pkg, String digest) {}

  private final Map<String, Shipped> byPath;

  private PackageDigests(Map<String, Shipped> byPath) {
    this.byPath = byPath;
  }

  /** No package database: nothing is verified. */
  public static final PackageDigests NONE = new PackageDigests(Map.of());

  /** Reads every {@code *.md5sums} under {@code root}'s dpkg info folder (none: {@link #NONE}). */
  public static PackageDigests dpkg(Path root) {
    Path info = root.resolve("var/lib/dpkg/info");
    if (!Files.isDirectory(info)) {
      return NONE;
    }
    Map<String, Shipped> m = new HashMap<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(info, "*.md5sums")) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        String pkg = name.substring(0, name.length() - ".md5sums".length());
        int colon = pkg.indexOf(':'); // multi-arch: libc6:amd64
        pkg = colon > 0 ? pkg.substring(0, colon) : pkg;
        for (String l : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          int sp = l.indexOf("  ");
          if (sp == 32) {
            m.put("/" + l.substring(sp + 2), new Shipped(pkg, l.substring(0, sp)));
          }
        }
      }
    } catch (IOException e) {
      return new PackageDigests(m); // what could be read
    }
    return new PackageDigests(m);
  }

  /**
   * The live host's digests, read again whenever dpkg's status file changes (an install or an
   * upgrade), for a watcher that runs for months.
   */
  public static java.util.function.Supplier<PackageDigests> live(Path root) {
    Path status = root.resolve("var/lib/dpkg/status");
    return new java.util.function.Supplier<>() {
      private long stamp = Long.MIN_VALUE;
      private PackageDigests current = NONE;

      @Override
      public synchronized PackageDigests get() {
        long now;
        try {
          now =
              Files.exists(status)
                  ? Files.getLastModifiedTime(status).toMillis()
                  : dev.rampart.agent.inventory.Rpm.stamp(root);
        } catch (IOException e) {
          return NONE;
        }
        if (now != stamp) {
          current = of(root);
          stamp = now;
        }
        return current;
      }
    };
  }

  /** The host's package manager's digests: dpkg's, else rpm's, else none. */
  public static PackageDigests of(Path root) {
    if (Files.isDirectory(root.resolve("var/lib/dpkg/info"))) {
      return dpkg(root);
    }
    if (dev.rampart.agent.inventory.Rpm.present(root)) {
      return rpm(root);
    }
    return NONE;
  }

  /** rpm's recorded digest of every file of every package (none when rpm cannot be run). */
  public static PackageDigests rpm(Path root) {
    String out;
    try {
      out =
          dev.rampart.agent.inventory.Rpm.query(
              root, "[%{FILENAMES}\\t%{FILEDIGESTS}\\t%{NAME}\\n]");
    } catch (IOException e) {
      return NONE;
    }
    Map<String, Shipped> m = new HashMap<>();
    for (String l : out.split("\n")) {
      String[] f = l.split("\t");
      // folders and ghost files have no digest
      if (f.length == 3 && (f[1].length() == 32 || f[1].length() == 64)) {
        m.put(f[0], new Shipped(f[2], f[1]));
      }
    }
    return new PackageDigests(m);
  }

  public int size() {
    return byPath.size();
  }

  /**
   * The package whose recorded digest the file's current content has, or null (not a packaged file,
   * or content the package did not ship).
   *
   * @param root the host root the path is under ("/" for the live host)
   */
  public String verify(Path root, String path) {
    String rel = path;
    String r = root.toAbsolutePath().normalize().toString();
    if (!r.equals("/") && path.startsWith(r)) {
      rel = path.substring(r.length());
    }
    Shipped s = byPath.get(rel);
    if (s == null) {
      return null;
    }
    try (InputStream in = Files.newInputStream(Path.of(path), LinkOption.NOFOLLOW_LINKS)) {
      // what the package manager recorded (dpkg: MD5; rpm: MD5 or SHA-256); not for security
      MessageDigest md = MessageDigest.getInstance(s.digest().length() == 64 ? "SHA-256" : "MD5");
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest()).equals(s.digest()) ? s.pkg() : null;
    } catch (IOException | NoSuchAlgorithmException e) {
      return null;
    }
  }
}
