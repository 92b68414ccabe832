package dev.rampart.vuln.version;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The version orders of the smaller ecosystems OSV publishes advisories for: Packagist (Composer,
 * PHP's {@code version_compare}), RubyGems ({@code Gem::Version}), NuGet, Pub (Dart), CRAN and
 * Hackage. Each is the ecosystem's documented rule, checked by OSV's vector files. None throws:
 * what is not a number compares as text in the ecosystem's own way.
 */
public final class MoreOrders {
  private MoreOrders() {}

  private static BigInteger number(String s) {
    if (s.isEmpty()) {
      return null;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return null;
      }
    }
    return new BigInteger(s);
  }

  // ---------------------------------------------------------------- Packagist

  private static final Pattern PHP_SEPARATORS = Pattern.compile("[-_+]");
  private static final Pattern PHP_ALPHA_DIGIT = Pattern.compile("([^\\d.])(\\d)");
  private static final Pattern PHP_DIGIT_ALPHA = Pattern.compile("(\\d)([^\\d.])");

  /**
   * PHP's {@code version_compare} as Composer uses it: separators become dots, a dot goes between
   * digits and letters, then parts compare as numbers, or by weight: dev &lt; alpha (a) &lt; beta
   * (b) &lt; RC &lt; a number &lt; patch (p); unknown words weigh as dev.
   */
  public static int packagist(String a, String b) {
    return packagistParts(phpParts(a), phpParts(b));
  }

  private static List<String> phpParts(String v) {
    String s = v.startsWith("v") || v.startsWith("V") ? v.substring(1) : v;
    s = PHP_SEPARATORS.matcher(s).replaceAll(".");
    s = PHP_ALPHA_DIGIT.matcher(s).replaceAll("$1.$2");
    s = PHP_DIGIT_ALPHA.matcher(s).replaceAll("$1.$2");
    return List.of(s.split("\\.", -1));
  }

  private static int weight(String s) {
    if (s.startsWith("RC") || s.startsWith("rc")) {
      return 3;
    }
    String[] specials = {"dev", "a", "b", "rc", "#", "p"};
    for (int i = 0; i < specials.length; i++) {
      if (s.startsWith(specials[i])) {
        return i;
      }
    }
    return 0;
  }

  private static int packagistParts(List<String> a, List<String> b) {
    int n = Math.min(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      BigInteger x = number(a.get(i));
      BigInteger y = number(b.get(i));
      int c;
      if (x != null && y != null) {
        c = x.compareTo(y);
      } else if (x == null && y == null) {
        c = Integer.compare(weight(a.get(i)), weight(b.get(i)));
      } else if (x != null) {
        c = Integer.compare(weight("#"), weight(b.get(i)));
      } else {
        c = Integer.compare(weight(a.get(i)), weight("#"));
      }
      if (c != 0) {
        return Integer.signum(c);
      }
    }
    if (a.size() > b.size()) {
      return number(a.get(b.size())) != null
          ? 1
          : packagistParts(a.subList(b.size(), a.size()), List.of("#"));
    }
    if (a.size() < b.size()) {
      return number(b.get(a.size())) != null
          ? -1
          : packagistParts(List.of("#"), b.subList(a.size(), b.size()));
    }
    return 0;
  }

  // ---------------------------------------------------------------- RubyGems

  /**
   * {@code Gem::Version}: a dot goes between digits and letters; the numeric segments before the
   * first non-numeric one, and the rest, each lose trailing zeros; then segment by segment (a
   * missing one is 0), numbers by value, strings by text, a string below a number (so {@code
   * 1.2.4.beta} &lt; {@code 1.2.4}).
   */
  public static int rubygems(String a, String b) {
    List<String> x = gemSegments(a);
    List<String> y = gemSegments(b);
    int n = Math.max(x.size(), y.size());
    for (int i = 0; i < n; i++) {
      String p = i < x.size() ? x.get(i) : "0";
      String q = i < y.size() ? y.get(i) : "0";
      BigInteger pn = number(p);
      BigInteger qn = number(q);
      int c;
      if (pn != null && qn != null) {
        c = pn.compareTo(qn);
      } else if (pn == null && qn == null) {
        c = p.compareTo(q);
      } else {
        c = pn != null ? 1 : -1;
      }
      if (c != 0) {
        return Integer.signum(c);
      }
    }
    return 0;
  }

  private static List<String> gemSegments(String v) {
    StringBuilder b = new StringBuilder();
    boolean check = false;
    boolean wasDigit = true;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '.') {
        check = false;
        b.append('.');
        continue;
      }
      boolean digit = Character.isDigit(c);
      if (check && wasDigit != digit) {
        b.append('.');
      }
      b.append(c);
      wasDigit = digit;
      check = true;
    }
    List<String> numbers = new ArrayList<>();
    List<String> rest = new ArrayList<>();
    for (String s : b.toString().split("\\.", -1)) {
      if (!rest.isEmpty() || number(s) == null) {
        rest.add(s);
      } else {
        numbers.add(s);
      }
    }
    List<String> out = new ArrayList<>(dropZeros(numbers));
    out.addAll(dropZeros(rest));
    return out;
  }

  private static List<String> dropZeros(List<String> segs) {
    int end = segs.size();
    while (end > 0 && segs.get(end - 1).equals("0")) {
      end--;
    }
    return segs.subList(0, end);
  }

  // ---------------------------------------------------------------- NuGet

  /**
   * NuGet: up to four numeric parts (missing ones are 0), then the pre-release compared without
   * case by SemVer's rules (none sorts last); build metadata is ignored.
   */
  public static int nuget(String a, String b) {
    String[] x = nugetSplit(a);
    String[] y = nugetSplit(b);
    int c = numericParts(x[0], y[0], true);
    if (c != 0) {
      return c;
    }
    return Semver.comparePrerelease(x[1], y[1]);
  }

  private static String[] nugetSplit(String v) {
    String s = v.strip().toLowerCase(Locale.ROOT);
    int plus = s.indexOf('+');
    if (plus >= 0) {
      s = s.substring(0, plus);
    }
    int dash = s.indexOf('-');
    return dash >= 0
        ? new String[] {s.substring(0, dash), s.substring(dash)}
        : new String[] {s, ""};
  }

  // dotted numbers: by value part by part; missing parts are 0 (pad) or sort first (not pad)
  private static int numericParts(String a, String b, boolean pad) {
    String[] x = a.split("[.\\-]", -1);
    String[] y = b.split("[.\\-]", -1);
    int n = pad ? Math.max(x.length, y.length) : Math.min(x.length, y.length);
    for (int i = 0; i < n; i++) {
      String p = i < x.length ? x[i] : "0";
      String q = i < y.length ? y[i] : "0";
      BigInteger pn = number(p);
      BigInteger qn = number(q);
      int c =
          pn != null && qn != null
              ? pn.compareTo(qn)
              : pn != null ? 1 : qn != null ? -1 : p.compareTo(q);
      if (c != 0) {
        return Integer.signum(c);
      }
    }
    return pad ? 0 : Integer.compare(x.length, y.length);
  }

  // ---------------------------------------------------------------- Pub

  /**
   * Dart's pub_semver: major.minor.patch, then the pre-release (none sorts after one), then the
   * build (none sorts before one), both compared part by part, numbers below words.
   */
  public static int pub(String a, String b) {
    String[] x = pubSplit(a);
    String[] y = pubSplit(b);
    int c = numericParts(x[0], y[0], true);
    if (c == 0) {
      c = Semver.comparePrerelease(x[1], y[1]);
    }
    if (c == 0) {
      if (x[2].isEmpty() || y[2].isEmpty()) {
        return x[2].isEmpty() == y[2].isEmpty() ? 0 : x[2].isEmpty() ? -1 : 1;
      }
      c = Semver.comparePrerelease("-" + x[2], "-" + y[2]);
    }
    return c;
  }

  private static String[] pubSplit(String v) {
    String s = v.strip();
    if (s.startsWith("v")) {
      s = s.substring(1); // a leading v is tolerated, as OSV reads pub versions
    }
    String build = "";
    int plus = s.indexOf('+');
    if (plus >= 0) {
      build = s.substring(plus + 1);
      s = s.substring(0, plus);
    }
    int dash = s.indexOf('-');
    return dash >= 0
        ? new String[] {s.substring(0, dash), s.substring(dash), build}
        : new String[] {s, "", build};
  }

  // ---------------------------------------------------------------- CRAN and Hackage

  /**
   * CRAN ({@code package_version}): integers separated by dots or dashes, by value; with one a
   * prefix of the other, the longer is greater ({@code 0.01} &lt; {@code 0.1-0}).
   */
  public static int cran(String a, String b) {
    return numericParts(a.strip(), b.strip(), false);
  }

  /**
   * Hackage ({@code Data.Version}): dotted integers by value; a longer prefix-equal one is greater.
   */
  public static int hackage(String a, String b) {
    return numericParts(a.strip(), b.strip(), false);
  }
}
