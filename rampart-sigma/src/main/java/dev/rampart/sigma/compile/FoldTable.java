package dev.rampart.sigma.compile;

import dev.rampart.sigma.eval.Fold;

/**
 * Simple case folding of UTF-16 chars by table lookup, for the hot loops that fold while they scan
 * (no folded copy of the text is ever made). Supplementary code points are folded by callers that
 * see surrogate pairs; simple folding never maps a BMP char outside the BMP.
 */
final class FoldTable {
  private static final char[] TABLE = new char[65536];

  static {
    for (int c = 0; c < 65536; c++) {
      if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
        TABLE[c] = (char) c;
      } else {
        int f = Fold.fold(c);
        TABLE[c] = f <= 0xFFFF ? (char) f : (char) c;
      }
    }
  }

  private FoldTable() {}

  static char fold(char c) {
    return TABLE[c];
  }
}
