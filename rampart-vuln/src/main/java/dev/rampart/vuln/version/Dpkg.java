package dev.rampart.vuln.version;

/**
 * Debian's version order, as {@code dpkg --compare-versions}: {@code [epoch:]upstream[-revision]},
 * the epoch numerically, then upstream and revision by dpkg's {@code verrevcmp}: runs of non-digits
 * compared character by character where {@code ~} sorts before everything (even the end), letters
 * before other characters; runs of digits compared as numbers. Any string compares (dpkg's own
 * parser would reject some; a comparison never fails).
 */
public final class Dpkg {
  private Dpkg() {}

  public static int compare(String a, String b) {
    int ca = a.indexOf(':');
    int cb = b.indexOf(':');
    long ea = epoch(a, ca);
    long eb = epoch(b, cb);
    if (ea != eb) {
      return ea < eb ? -1 : 1;
    }
    String ra = a.substring(ca + 1);
    String rb = b.substring(cb + 1);
    int da = ra.lastIndexOf('-');
    int db = rb.lastIndexOf('-');
    int c = verrevcmp(da < 0 ? ra : ra.substring(0, da), db < 0 ? rb : rb.substring(0, db));
    if (c != 0) {
      return c;
    }
    return verrevcmp(da < 0 ? "" : ra.substring(da + 1), db < 0 ? "" : rb.substring(db + 1));
  }

  private static long epoch(String v, int colon) {
    if (colon <= 0) {
      return 0;
    }
    long n = 0;
    for (int i = 0; i < colon; i++) {
      char c = v.charAt(i);
      if (c < '0' || c > '9') {
        return 0; // not an epoch: dpkg refuses it, we read it as none
      }
      n = Math.min(n * 10 + (c - '0'), Integer.MAX_VALUE);
    }
    return n;
  }

  private static int order(String s, int i) {
    if (i >= s.length()) {
      return 0;
    }
    char c = s.charAt(i);
    if (c >= '0' && c <= '9') {
      return 0;
    }
    if (Character.isLetter(c) && c < 128) {
      return c;
    }
    if (c == '~') {
      return -1;
    }
    return c + 256;
  }

  private static boolean digit(String s, int i) {
    return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9';
  }

  static int verrevcmp(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() || j < b.length()) {
      int firstDiff = 0;
      while ((i < a.length() && !digit(a, i)) || (j < b.length() && !digit(b, j))) {
        int ac = order(a, i);
        int bc = order(b, j);
        if (ac != bc) {
          return ac < bc ? -1 : 1;
        }
        i++;
        j++;
      }
      while (i < a.length() && a.charAt(i) == '0') {
        i++;
      }
      while (j < b.length() && b.charAt(j) == '0') {
        j++;
      }
      while (digit(a, i) && digit(b, j)) {
        if (firstDiff == 0) {
          firstDiff = a.charAt(i) - b.charAt(j);
        }
        i++;
        j++;
      }
      if (digit(a, i)) {
        return 1;
      }
      if (digit(b, j)) {
        return -1;
      }
      if (firstDiff != 0) {
        return firstDiff < 0 ? -1 : 1;
      }
    }
    return 0;
  }
}
