package dev.rampart.vuln.advisory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The documents of a feed as published: one file, a folder (walked in name order), or a zip dump
 * (OSV's {@code all.zip}, the Node.js security WG's repository). Each comes with a name that says
 * where it is ({@code osv.zip!data/osv/GO-2020-0001.json}) for problem reports.
 */
final class Documents {
  private Documents() {}

  /** A document larger than this is reported and skipped (an advisory is a few kilobytes). */
  static final long MAX_BYTES = 16L << 20;

  /** One document: where it is and its bytes, or why it was not read. */
  record Doc(String name, String path, byte[] bytes, String problem) {
    boolean yaml() {
      String p = path.toLowerCase(Locale.ROOT);
      return p.endsWith(".yaml") || p.endsWith(".yml");
    }
  }

  interface Visitor {
    void visit(Doc doc) throws IOException;
  }

  static boolean interesting(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".json") || n.endsWith(".yaml") || n.endsWith(".yml");
  }

  static boolean isZip(Path p) {
    return Files.isRegularFile(p)
        && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip");
  }

  /** Visits every JSON or YAML document under {@code path}. */
  static void each(Path path, Visitor v) throws IOException {
    if (isZip(path)) {
      try (ZipFile zip = new ZipFile(path.toFile())) {
        List<ZipEntry> entries = new ArrayList<>();
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
          ZipEntry z = e.nextElement();
          if (!z.isDirectory() && interesting(z.getName())) {
            entries.add(z);
          }
        }
        entries.sort((a, b) -> a.getName().compareTo(b.getName()));
        for (ZipEntry z : entries) {
          String name = path.getFileName() + "!" + z.getName();
          if (z.getSize() > MAX_BYTES) {
            v.visit(new Doc(name, z.getName(), null, "larger than " + (MAX_BYTES >> 20) + " MB"));
            continue;
          }
          try (InputStream in = zip.getInputStream(z)) {
            byte[] b = in.readNBytes((int) MAX_BYTES + 1);
            v.visit(
                b.length > MAX_BYTES
                    ? new Doc(name, z.getName(), null, "larger than " + (MAX_BYTES >> 20) + " MB")
                    : new Doc(name, z.getName(), b, null));
          }
        }
      }
      return;
    }
    if (Files.isDirectory(path)) {
      List<Path> files;
      try (Stream<Path> s = Files.walk(path)) {
        files =
            s.filter(Files::isRegularFile)
                .filter(f -> interesting(f.getFileName().toString()))
                .sorted()
                .toList();
      }
      for (Path f : files) {
        one(f, path.relativize(f).toString().replace('\\', '/'), v);
      }
      return;
    }
    one(path, path.getFileName().toString(), v);
  }

  private static void one(Path f, String rel, Visitor v) throws IOException {
    if (Files.size(f) > MAX_BYTES) {
      v.visit(new Doc(f.toString(), rel, null, "larger than " + (MAX_BYTES >> 20) + " MB"));
    } else {
      v.visit(new Doc(f.toString(), rel, Files.readAllBytes(f), null));
    }
  }
}
