package dev.rampart.vuln.version;

/**
 * Alpine's version order (apk-tools 3): {@code digits{.digits}...{letter}{_suffix{digits}}...
 * {~hash}{-r#}}, read as tokens. Equal tokens of the same kind continue; numbers compare as numbers
 * unless either has a leading zero (then as strings, as Gentoo does); suffixes rank alpha &lt; beta
 * &lt; pre &lt; rc &lt; (none) &lt; cvs &lt; svn &lt; git &lt; hg &lt; p. When one version runs out
 * first, a pre-release suffix on the other makes that one older; otherwise the longer is newer. A
 * malformed tail is an "invalid" token that sorts below everything.
 */
public final class Apk {
  private Apk() {}

  // Token kinds in apk's order: a later kind where the other version ends means "older".
  private static final int INITIAL_DIGIT = 0;
  private static final int DIGIT = 1;
  private static final int LETTER = 2;
  private static final int SUFFIX = 3;
  private static final int SUFFIX_NO = 4;
  private static final int COMMIT_HASH = 5;
  private static final int REVISION_NO = 6;
  private static final int END = 7;
  private static final int INVALID = 8;

  private static final String[] SUFFIXES = {
    "alpha", "beta", "pre", "rc", "", "cvs", "svn", "git", "hg", "p"
  };
  private static final int SUFFIX_NONE = 4;

  /** A cursor over one version string: the current token, its text and value. */
  private static final class Tokens {
    final String s;
    final boolean lenient;
    int pos;
    int token;
    int start;
    int end;
    long number;
    int suffix;

    Tokens(String s, boolean lenient) {
      this.s = s;
      this.lenient = lenient;
      token = INITIAL_DIGIT;
      digits();
    }

    private void digits() {
      start = pos;
      number = 0;
      while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
        number = number * 10 + (s.charAt(pos) - '0'); // wraps like apk's uint64 on absurd input
        pos++;
      }
      end = pos;
      if (end == start) {
        token = INVALID;
      }
    }

    void next() {
      if (pos >= s.length()) {
        token = END;
        return;
      }
      char c = s.charAt(pos);
      if (c >= 'a' && c <= 'z') {
        if (token > DIGIT) {
          token = INVALID;
          return;
        }
        start = pos;
        end = ++pos;
        token = LETTER;
      } else if (c == '.' || (c >= '0' && c <= '9')) {
        if (c == '.') {
          if (token > DIGIT) {
            token = INVALID;
            return;
          }
          pos++;
        }
        if (token == INITIAL_DIGIT || token == DIGIT || (lenient && token == LETTER && c != '.')) {
          // 5.7.1p1: apk 3 calls a number after a letter invalid, apk 2 read on, and Alpine's
          // security data has such versions, so comparisons read on; validity is apk 3's
          token = DIGIT;
        } else if (token == SUFFIX) {
          token = SUFFIX_NO;
        } else {
          token = INVALID;
          return;
        }
        digits();
      } else if (c == '_') {
        if (token > SUFFIX_NO) {
          token = INVALID;
          return;
        }
        start = ++pos;
        while (pos < s.length() && s.charAt(pos) >= 'a' && s.charAt(pos) <= 'z') {
          pos++;
        }
        end = pos;
        suffix = suffix(s.substring(start, end));
        token = suffix < 0 ? INVALID : SUFFIX;
      } else if (c == '~') {
        if (token >= COMMIT_HASH) {
          token = INVALID;
          return;
        }
        start = ++pos;
        while (pos < s.length() && hex(s.charAt(pos))) {
          pos++;
        }
        end = pos;
        token = end == start ? INVALID : COMMIT_HASH;
      } else if (c == '-') {
        if (token >= REVISION_NO || pos + 1 >= s.length() || s.charAt(pos + 1) != 'r') {
          token = INVALID;
          return;
        }
        pos += 2;
        token = REVISION_NO;
        digits();
      } else {
        token = INVALID;
      }
    }

    char first() {
      return start < end ? s.charAt(start) : 0;
    }
  }

  private static boolean hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static int suffix(String name) {
    if (name.isEmpty()) {
      return -1;
    }
    for (int i = 0; i < SUFFIXES.length; i++) {
      if (i != SUFFIX_NONE && SUFFIXES[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static int tokenCompare(Tokens a, Tokens b) {
    long x;
    long y;
    switch (a.token) {
      case DIGIT:
        if (a.first() == '0' || b.first() == '0') {
          return text(a, b); // a leading zero compares as text, as in Gentoo
        }
        x = a.number;
        y = b.number;
        break;
      case INITIAL_DIGIT, SUFFIX_NO, REVISION_NO:
        x = a.number;
        y = b.number;
        break;
      case LETTER:
        x = a.first();
        y = b.first();
        break;
      case SUFFIX:
        x = a.suffix;
        y = b.suffix;
        break;
      default:
        return text(a, b);
    }
    return Long.compareUnsigned(x, y) < 0 ? -1 : Long.compareUnsigned(x, y) > 0 ? 1 : 0;
  }

  private static int text(Tokens a, Tokens b) {
    int la = a.end - a.start;
    int lb = b.end - b.start;
    for (int i = 0; i < Math.min(la, lb); i++) {
      int d = a.s.charAt(a.start + i) - b.s.charAt(b.start + i);
      if (d != 0) {
        return d < 0 ? -1 : 1;
      }
    }
    return Integer.compare(la, lb);
  }

  /** -1, 0 or 1; {@code fuzzy}: a version equals any longer one it is a prefix of ({@code ~}). */
  static int compare(String a, String b, boolean fuzzy) {
    Tokens ta = new Tokens(a, true);
    Tokens tb = new Tokens(b, true);
    while (ta.token == tb.token && ta.token < END) {
      int r = tokenCompare(ta, tb);
      if (r != 0) {
        return r;
      }
      ta.next();
      tb.next();
    }
    if (ta.token == tb.token) {
      return 0;
    }
    if (tb.token == END && fuzzy) {
      return 0;
    }
    if (ta.token == SUFFIX && ta.suffix < SUFFIX_NONE) {
      return -1;
    }
    if (tb.token == SUFFIX && tb.suffix < SUFFIX_NONE) {
      return 1;
    }
    return ta.token > tb.token ? -1 : tb.token > ta.token ? 1 : 0;
  }

  public static int compare(String a, String b) {
    return compare(a, b, false);
  }

  /** Whether apk accepts {@code v} as a version. */
  public static boolean valid(String v) {
    Tokens t = new Tokens(v, false);
    while (t.token < END) {
      t.next();
    }
    return t.token == END;
  }

  /**
   * apk's dependency operators: {@code <}, {@code <=}, {@code =}, {@code >=}, {@code >}, {@code ~}
   * (same prefix: {@code 3.6.9 ~ 3.6}), {@code <~}, {@code >~}, each negated by a leading {@code
   * !}.
   */
  public static boolean matches(String a, String op, String b) {
    if (op.startsWith("!")) {
      return !matches(a, op.substring(1), b); // a conflict: anything but
    }
    boolean fuzzy = op.contains("~");
    int r = compare(a, b, fuzzy);
    return switch (op) {
      case "<" -> r < 0;
      case "<=", "<~" -> r <= 0;
      case "=", "~", "==" -> r == 0;
      case ">=", ">~" -> r >= 0;
      case ">" -> r > 0;
      default -> throw new IllegalArgumentException("not an apk operator: " + op);
    };
  }
}
