package dev.rampart.vuln.version;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Semantic Versioning 2.0 order (npm's {@code semver.compare}): major, minor, patch as numbers,
 * then a version without pre-release above one with; pre-release identifiers left to right, numeric
 * ones by value and below alphanumeric ones (ASCII order), a longer list above its prefix. Build
 * metadata is ignored. {@code loose} accepts what npm's loose mode does: a leading {@code =} or
 * {@code v}, spaces, a pre-release without its hyphen.
 */
public final class Semver {
  private Semver() {}

  private static final Pattern STRICT =
      Pattern.compile(
          "^v?(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
              + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][a-zA-Z0-9-]*)"
              + "(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][a-zA-Z0-9-]*))*))?"
              + "(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?$");
  private static final Pattern LOOSE =
      Pattern.compile(
          "^[v=\\s]*(\\d+)\\.(\\d+)\\.(\\d+)"
              + "(?:-?((?:\\d+|\\d*[a-zA-Z-][a-zA-Z0-9-]*)"
              + "(?:\\.(?:\\d+|\\d*[a-zA-Z-][a-zA-Z0-9-]*))*))?"
              + "(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?$");

  /** A parsed version: numbers as decimal text without leading zeros, pre-release "" if none. */
  public record Version(String major, String minor, String patch, String pre) {}

  /** The version, or null if {@code s} is not one (in the given mode). */
  public static Version parse(String s, boolean loose) {
    Matcher m = (loose ? LOOSE : STRICT).matcher(s.strip());
    if (!m.matches()) {
      return null;
    }
    return new Version(
        strip(m.group(1)),
        strip(m.group(2)),
        strip(m.group(3)),
        m.group(4) == null ? "" : "-" + m.group(4));
  }

  private static String strip(String n) {
    int i = 0;
    while (i < n.length() - 1 && n.charAt(i) == '0') {
      i++;
    }
    return n.substring(i);
  }

  public static int compare(Version a, Version b) {
    int c = GoSemver.numeric(a.major(), b.major());
    if (c == 0) {
      c = GoSemver.numeric(a.minor(), b.minor());
    }
    if (c == 0) {
      c = GoSemver.numeric(a.patch(), b.patch());
    }
    return c != 0 ? c : comparePrerelease(a.pre(), b.pre());
  }

  /**
   * -1, 0 or 1. Strings that are not versions even loosely sort before every version and among
   * themselves by their text (a comparison never fails).
   */
  public static int compare(String a, String b, boolean loose) {
    Version x = parse(a, loose);
    Version y = parse(b, loose);
    if (x == null || y == null) {
      if (x != null || y != null) {
        return x == null ? -1 : 1;
      }
      return Integer.signum(a.compareTo(b));
    }
    return compare(x, y);
  }

  public static int compare(String a, String b) {
    return compare(a, b, true);
  }

  /** Pre-releases with their leading '-', or "" for none (which sorts last). */
  static int comparePrerelease(String x, String y) {
    if (x.equals(y)) {
      return 0;
    }
    if (x.isEmpty()) {
      return 1;
    }
    if (y.isEmpty()) {
      return -1;
    }
    String[] a = x.substring(1).split("\\.", -1);
    String[] b = y.substring(1).split("\\.", -1);
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      boolean an = numericId(a[i]);
      boolean bn = numericId(b[i]);
      int c;
      if (an && bn) {
        c = GoSemver.numeric(strip(a[i]), strip(b[i]));
      } else if (an != bn) {
        c = an ? -1 : 1;
      } else {
        c = Integer.signum(a[i].compareTo(b[i]));
      }
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.length, b.length);
  }

  private static boolean numericId(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
