package dev.rampart.ingest.parse;

/**
 * ASCII digit checks for the parse hot path, where {@code String.matches("\\d{n,m}")} would compile
 * a regex per call.
 */
public final class Digits {
  private Digits() {}

  /** Whether {@code s[from, to)} is non-empty and only ASCII digits. */
  public static boolean all(CharSequence s, int from, int to) {
    if (to <= from || from < 0 || to > s.length()) {
      return false;
    }
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code s} is between {@code min} and {@code max} ASCII digits long ({@code
   * \\d{min,max}}).
   */
  public static boolean count(String s, int min, int max) {
    return s.length() >= min && s.length() <= max && all(s, 0, s.length());
  }
}
