package dev.rampart.vuln.version;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python's version order (PEP 440, as the {@code packaging} library implements it): epoch, release
 * (trailing zeros ignored), then pre-release (a &lt; b &lt; rc), post-release, development release
 * and local label, with {@code 1.0.dev0 < 1.0a1 < 1.0 < 1.0.post1} and {@code 1.0 < 1.0+local}.
 * Spellings are normalised ({@code alpha}, {@code c}, {@code preview}, {@code -1} as a
 * post-release, separators, case).
 *
 * <p>Strings that are not PEP 440 versions (legacy versions such as {@code 2.0-SNAPSHOT-x}) never
 * fail a comparison: they sort before every valid version, and among themselves by their lower-case
 * text — the order setuptools' old {@code LegacyVersion} gave them first and last.
 */
public final class Pep440 {
  private Pep440() {}

  // The specification's own regular expression (packaging.version.VERSION_PATTERN).
  private static final Pattern VERSION =
      Pattern.compile(
          "^\\s*v?(?:(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\\.[0-9]+)*)"
              + "(?<pre>[-_.]?(?<prel>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<pren>[0-9]+)?)?"
              + "(?<post>(?:-(?<postn1>[0-9]+))|(?:[-_.]?(?<postl>post|rev|r)[-_.]?(?<postn2>[0-9]+)?))?"
              + "(?<dev>[-_.]?(?<devl>dev)[-_.]?(?<devn>[0-9]+)?)?)"
              + "(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?\\s*$",
          Pattern.CASE_INSENSITIVE);

  /** A parsed version; compare with {@link #compareTo}. */
  public record Version(
      BigInteger epoch,
      List<BigInteger> release,
      int preKind, // -1 none, 0 a, 1 b, 2 rc
      BigInteger pre,
      BigInteger post, // null: none
      BigInteger dev, // null: none
      List<Object> local) // null: none; BigInteger or String parts
      implements Comparable<Version> {

    public boolean isPrerelease() {
      return preKind >= 0 || dev != null;
    }

    @Override
    public int compareTo(Version o) {
      int c = epoch.compareTo(o.epoch);
      if (c != 0) {
        return c;
      }
      c = compareRelease(release, o.release);
      if (c != 0) {
        return c;
      }
      c = Integer.compare(preRank(), o.preRank());
      if (c != 0) {
        return c;
      }
      if (preRank() == 1) {
        c = Integer.compare(preKind, o.preKind);
        if (c != 0) {
          return c;
        }
        c = pre.compareTo(o.pre);
        if (c != 0) {
          return c;
        }
      }
      // post: none sorts first
      c = compareNullable(post, o.post, true);
      if (c != 0) {
        return c;
      }
      // dev: none sorts last
      c = compareNullable(dev, o.dev, false);
      if (c != 0) {
        return c;
      }
      return compareLocal(local, o.local);
    }

    // 0: a dev release of the final version (1.0.dev1, before its pre-releases); 1: a
    // pre-release; 2: none (the final release, or a post-release)
    private int preRank() {
      if (preKind < 0 && post == null && dev != null) {
        return 0;
      }
      return preKind >= 0 ? 1 : 2;
    }
  }

  private static int compareRelease(List<BigInteger> a, List<BigInteger> b) {
    int n = Math.max(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      BigInteger x = i < a.size() ? a.get(i) : BigInteger.ZERO;
      BigInteger y = i < b.size() ? b.get(i) : BigInteger.ZERO;
      int c = x.compareTo(y);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private static int compareNullable(BigInteger a, BigInteger b, boolean noneFirst) {
    if (a == null || b == null) {
      return a == b ? 0 : (a == null) == noneFirst ? -1 : 1;
    }
    return a.compareTo(b);
  }

  // No local label sorts first; numeric parts beat alphanumeric ones, which compare as text.
  private static int compareLocal(List<Object> a, List<Object> b) {
    if (a == null || b == null) {
      return a == b ? 0 : a == null ? -1 : 1;
    }
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      Object x = a.get(i);
      Object y = b.get(i);
      int c;
      if (x instanceof BigInteger xi && y instanceof BigInteger yi) {
        c = xi.compareTo(yi);
      } else if (x instanceof BigInteger) {
        c = 1;
      } else if (y instanceof BigInteger) {
        c = -1;
      } else {
        c = ((String) x).compareTo((String) y);
      }
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  /** The version, or null when {@code s} is not a PEP 440 version. */
  public static Version parse(String s) {
    Matcher m = VERSION.matcher(s);
    if (!m.matches()) {
      return null;
    }
    BigInteger epoch =
        m.group("epoch") == null ? BigInteger.ZERO : new BigInteger(m.group("epoch"));
    List<BigInteger> release = new ArrayList<>();
    for (String p : m.group("release").split("\\.")) {
      release.add(new BigInteger(p));
    }
    int preKind = -1;
    BigInteger pre = null;
    if (m.group("pre") != null) {
      preKind =
          switch (m.group("prel").toLowerCase(Locale.ROOT)) {
            case "a", "alpha" -> 0;
            case "b", "beta" -> 1;
            default -> 2; // c, rc, pre, preview
          };
      pre = m.group("pren") == null ? BigInteger.ZERO : new BigInteger(m.group("pren"));
    }
    BigInteger post = null;
    if (m.group("post") != null) {
      String n = m.group("postn1") != null ? m.group("postn1") : m.group("postn2");
      post = n == null ? BigInteger.ZERO : new BigInteger(n);
    }
    BigInteger dev = null;
    if (m.group("dev") != null) {
      dev = m.group("devn") == null ? BigInteger.ZERO : new BigInteger(m.group("devn"));
    }
    List<Object> local = null;
    if (m.group("local") != null) {
      local = new ArrayList<>();
      for (String p : m.group("local").toLowerCase(Locale.ROOT).split("[-_.]")) {
        local.add(p.chars().allMatch(Character::isDigit) ? new BigInteger(p) : p);
      }
    }
    return new Version(epoch, List.copyOf(release), preKind, pre, post, dev, local);
  }

  public static boolean valid(String s) {
    return parse(s) != null;
  }

  /** -1, 0 or 1; invalid versions sort before valid ones (see the class comment). */
  public static int compare(String a, String b) {
    Version x = parse(a);
    Version y = parse(b);
    if (x == null || y == null) {
      if (x != null) {
        return 1;
      }
      if (y != null) {
        return -1;
      }
      return Integer.signum(a.toLowerCase(Locale.ROOT).compareTo(b.toLowerCase(Locale.ROOT)));
    }
    return Integer.signum(x.compareTo(y));
  }
}
