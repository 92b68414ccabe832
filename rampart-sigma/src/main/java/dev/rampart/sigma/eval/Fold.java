package dev.rampart.sigma.eval;

/**
 * Unicode simple case folding per code point ({@code toLowerCase(toUpperCase(cp))}), independent of
 * the default locale, so that {@code ПРИВЕТ} matches {@code привет} and the Turkish dotless i does
 * not break matching. Simple folding keeps one code point per code point, so wildcard and substring
 * positions stay valid after folding.
 */
public final class Fold {
  private Fold() {}

  public static int fold(int cp) {
    if (cp < 128) {
      return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
    }
    return Character.toLowerCase(Character.toUpperCase(cp));
  }

  /** Folds a whole string; returns the same instance when nothing changes (the common case). */
  public static String fold(String s) {
    int n = s.length();
    int i = 0;
    while (i < n) {
      char c = s.charAt(i);
      if (c >= 128 || (c >= 'A' && c <= 'Z')) {
        break;
      }
      i++;
    }
    if (i == n) {
      return s;
    }
    StringBuilder sb = new StringBuilder(n);
    sb.append(s, 0, i);
    while (i < n) {
      int cp = s.codePointAt(i);
      sb.appendCodePoint(fold(cp));
      i += Character.charCount(cp);
    }
    return sb.toString();
  }
}
