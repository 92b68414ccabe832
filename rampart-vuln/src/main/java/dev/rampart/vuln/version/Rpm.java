package dev.rampart.vuln.version;

/**
 * RPM's version order ({@code rpmvercmp} over {@code [epoch:]version[-release]}): the epoch (none
 * is 0), then version, then release (none sorts before any), each split into runs of digits and of
 * letters (other characters only separate); numbers beat letters, {@code ~} sorts before everything
 * including the end, {@code ^} after the end but before anything else.
 */
public final class Rpm {
  private Rpm() {}

  public static int compare(String a, String b) {
    int ca = a.indexOf(':');
    int cb = b.indexOf(':');
    // Real epochs are numbers; whatever stands before the colon is compared the rpmvercmp way,
    // as OSV's Red Hat order does, so odd strings still order sensibly.
    int c = rpmvercmp(ca <= 0 ? "0" : a.substring(0, ca), cb <= 0 ? "0" : b.substring(0, cb));
    if (c != 0) {
      return c;
    }
    String ra = a.substring(ca + 1);
    String rb = b.substring(cb + 1);
    int da = ra.lastIndexOf('-');
    int db = rb.lastIndexOf('-');
    c = rpmvercmp(da < 0 ? ra : ra.substring(0, da), db < 0 ? rb : rb.substring(0, db));
    if (c != 0) {
      return c;
    }
    if (da < 0 || db < 0) {
      return da < 0 && db < 0 ? 0 : da < 0 ? -1 : 1; // no release sorts before any release
    }
    return rpmvercmp(ra.substring(da + 1), rb.substring(db + 1));
  }

  private static boolean alnum(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean digit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  static int rpmvercmp(String a, String b) {
    if (a.equals(b)) {
      return 0;
    }
    int i = 0;
    int j = 0;
    int n = a.length();
    int m = b.length();
    while (i < n || j < m) {
      while (i < n && !alnum(a.charAt(i)) && a.charAt(i) != '~' && a.charAt(i) != '^') {
        i++;
      }
      while (j < m && !alnum(b.charAt(j)) && b.charAt(j) != '~' && b.charAt(j) != '^') {
        j++;
      }
      boolean at = i < n && a.charAt(i) == '~';
      boolean bt = j < m && b.charAt(j) == '~';
      if (at || bt) {
        if (!at) {
          return 1;
        }
        if (!bt) {
          return -1;
        }
        i++;
        j++;
        continue;
      }
      boolean ac = i < n && a.charAt(i) == '^';
      boolean bc = j < m && b.charAt(j) == '^';
      if (ac || bc) {
        if (i >= n) {
          return -1;
        }
        if (j >= m) {
          return 1;
        }
        if (!ac) {
          return 1;
        }
        if (!bc) {
          return -1;
        }
        i++;
        j++;
        continue;
      }
      if (i >= n || j >= m) {
        break;
      }
      int si = i;
      int sj = j;
      boolean num = digit(a.charAt(i));
      if (num) {
        while (i < n && digit(a.charAt(i))) {
          i++;
        }
        while (j < m && digit(b.charAt(j))) {
          j++;
        }
      } else {
        while (i < n && alpha(a.charAt(i))) {
          i++;
        }
        while (j < m && alpha(b.charAt(j))) {
          j++;
        }
      }
      if (sj == j) {
        return num ? 1 : -1; // segments of different types: a number is newer
      }
      String x = a.substring(si, i);
      String y = b.substring(sj, j);
      if (num) {
        x = stripZeros(x);
        y = stripZeros(y);
        if (x.length() != y.length()) {
          return x.length() > y.length() ? 1 : -1;
        }
      }
      int c = x.compareTo(y);
      if (c != 0) {
        return c < 0 ? -1 : 1;
      }
    }
    if (i >= n && j >= m) {
      return 0;
    }
    return i >= n ? -1 : 1;
  }

  private static String stripZeros(String s) {
    int k = 0;
    while (k < s.length() - 1 && s.charAt(k) == '0') {
      k++;
    }
    return s.substring(k);
  }
}
