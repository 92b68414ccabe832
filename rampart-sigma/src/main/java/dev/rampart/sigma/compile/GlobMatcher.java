package dev.rampart.sigma.compile;

import dev.rampart.sigma.eval.Fold;
import dev.rampart.sigma.rule.Glob;

/**
 * A compiled wildcard pattern matched against raw text with on-the-fly case folding: the classic
 * two-pointer algorithm with one backtrack point per {@code *}, no allocation. {@code ?} consumes
 * one code point (a surrogate pair counts as one).
 */
final class GlobMatcher {
  private static final char STAR = '\uFFFF';
  private static final char ONE = '\uFFFE';
  private final char[] p;
  private final boolean fold;

  GlobMatcher(Glob glob, boolean fold) {
    this.fold = fold;
    StringBuilder sb = new StringBuilder();
    for (Glob.Part part : glob.parts()) {
      switch (part) {
        case Glob.Literal l -> sb.append(fold ? Fold.fold(l.text()) : l.text());
        case Glob.Wildcard w -> sb.append(w == Glob.Wildcard.ANY_STRING ? STAR : ONE);
      }
    }
    p = sb.toString().toCharArray();
  }

  boolean matches(CharSequence t) {
    int n = t.length();
    int i = 0;
    int j = 0;
    int starP = -1;
    int starT = 0;
    while (i < n) {
      if (j < p.length && p[j] == STAR) {
        starP = j++;
        starT = i;
        continue;
      }
      if (j < p.length) {
        char pc = p[j];
        char tc = t.charAt(i);
        if (pc == ONE) {
          i +=
              Character.isHighSurrogate(tc)
                      && i + 1 < n
                      && Character.isLowSurrogate(t.charAt(i + 1))
                  ? 2
                  : 1;
          j++;
          continue;
        }
        if (pc == (fold ? FoldTable.fold(tc) : tc)) {
          i++;
          j++;
          continue;
        }
      }
      if (starP < 0) {
        return false;
      }
      // Let the last star swallow one more code point and retry.
      char sc = t.charAt(starT);
      starT +=
          Character.isHighSurrogate(sc)
                  && starT + 1 < n
                  && Character.isLowSurrogate(t.charAt(starT + 1))
              ? 2
              : 1;
      i = starT;
      j = starP + 1;
    }
    while (j < p.length && p[j] == STAR) {
      j++;
    }
    return j == p.length;
  }
}
