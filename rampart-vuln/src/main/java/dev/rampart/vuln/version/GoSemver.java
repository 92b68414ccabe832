package dev.rampart.vuln.version;

/**
 * Go's module version order ({@code golang.org/x/mod/semver}): {@code vMAJOR[.MINOR[.PATCH]]
 * [-prerelease][+build]}, the shorthands {@code v1} and {@code v1.2} meaning {@code v1.0.0} and
 * {@code v1.2.0} (not with a pre-release); numbers without leading zeros; build metadata ignored.
 * Pseudo-versions ({@code v0.0.0-20060102150405-abcdef123456}) are pre-releases and order by their
 * timestamp. Invalid strings sort before every valid one and are equal to each other, as in Go.
 */
public final class GoSemver {
  private GoSemver() {}

  /** major, minor, patch (decimal text, no leading zeros), pre-release (with its '-') or "". */
  record Parsed(String major, String minor, String patch, String pre) {}

  static Parsed parse(String v) {
    if (v.length() < 2 || v.charAt(0) != 'v') {
      return null;
    }
    int[] pos = {1};
    String major = number(v, pos);
    if (major == null) {
      return null;
    }
    String minor = "0";
    String patch = "0";
    boolean shorthand = false;
    if (pos[0] == v.length()) {
      return new Parsed(major, minor, patch, "");
    }
    if (v.charAt(pos[0]) == '.') {
      pos[0]++;
      minor = number(v, pos);
      if (minor == null) {
        return null;
      }
      if (pos[0] == v.length()) {
        return new Parsed(major, minor, patch, "");
      }
      if (v.charAt(pos[0]) == '.') {
        pos[0]++;
        patch = number(v, pos);
        if (patch == null) {
          return null;
        }
      } else {
        shorthand = true;
      }
    } else {
      shorthand = true;
    }
    if (shorthand) {
      return null; // v1-pre and v1.2+build are not valid: only bare v1 and v1.2 are shorthands
    }
    String pre = "";
    if (pos[0] < v.length() && v.charAt(pos[0]) == '-') {
      int start = pos[0];
      pos[0]++;
      if (!identifiers(v, pos, true)) {
        return null;
      }
      pre = v.substring(start, pos[0]);
    }
    if (pos[0] < v.length() && v.charAt(pos[0]) == '+') {
      pos[0]++;
      if (!identifiers(v, pos, false)) {
        return null;
      }
    }
    return pos[0] == v.length() ? new Parsed(major, minor, patch, pre) : null;
  }

  private static String number(String v, int[] pos) {
    int i = pos[0];
    int start = i;
    while (i < v.length() && v.charAt(i) >= '0' && v.charAt(i) <= '9') {
      i++;
    }
    if (i == start || (v.charAt(start) == '0' && i - start > 1)) {
      return null;
    }
    pos[0] = i;
    return v.substring(start, i);
  }

  // dot-separated [0-9A-Za-z-]+; in a pre-release, numeric identifiers have no leading zeros
  private static boolean identifiers(String v, int[] pos, boolean pre) {
    int i = pos[0];
    int start = i;
    while (true) {
      int s = i;
      boolean digits = true;
      while (i < v.length()
          && (Character.isLetterOrDigit(v.charAt(i)) || v.charAt(i) == '-')
          && v.charAt(i) < 128) {
        digits &= v.charAt(i) >= '0' && v.charAt(i) <= '9';
        i++;
      }
      if (i == s) {
        return false;
      }
      if (pre && digits && i - s > 1 && v.charAt(s) == '0') {
        return false;
      }
      if (i < v.length() && v.charAt(i) == '.') {
        i++;
        continue;
      }
      break;
    }
    pos[0] = i;
    return i > start;
  }

  public static boolean valid(String v) {
    return parse(v) != null;
  }

  /** The canonical form ({@code v1.2} → {@code v1.2.0}, build dropped), or "" if invalid. */
  public static String canonical(String v) {
    Parsed p = parse(v);
    if (p == null) {
      return "";
    }
    return "v" + p.major() + "." + p.minor() + "." + p.patch() + p.pre();
  }

  public static int compare(String a, String b) {
    Parsed x = parse(a);
    Parsed y = parse(b);
    if (x == null || y == null) {
      return x == null && y == null ? 0 : x == null ? -1 : 1;
    }
    int c = numeric(x.major(), y.major());
    if (c == 0) {
      c = numeric(x.minor(), y.minor());
    }
    if (c == 0) {
      c = numeric(x.patch(), y.patch());
    }
    return c != 0 ? c : Semver.comparePrerelease(x.pre(), y.pre());
  }

  static int numeric(String a, String b) {
    if (a.length() != b.length()) {
      return a.length() < b.length() ? -1 : 1;
    }
    return Integer.signum(a.compareTo(b));
  }
}
