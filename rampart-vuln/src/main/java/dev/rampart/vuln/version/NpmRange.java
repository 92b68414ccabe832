package dev.rampart.vuln.version;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * npm's version ranges ({@code semver.satisfies}, {@code validRange}, {@code gtr}/{@code ltr}) with
 * node-semver's exact desugaring: hyphen ranges, x-ranges, tilde and caret, comparator sets joined
 * by {@code ||}, loose mode and {@code includePrerelease}. Advisories (the Node.js security WG's,
 * GitHub's for npm) state affected versions this way, so matching them must read ranges as npm
 * does, including its rule that a pre-release only satisfies a set that names a pre-release of the
 * same major.minor.patch.
 *
 * <p>The steps, their order and their regular expressions follow node-semver 7 ({@code
 * classes/range.js}, {@code internal/re.js}) because the normalised text is observable ({@code
 * validRange}) and the vector files compare it; a Java semver library with its own reading
 * (semver4j's, for one) gives other normal forms. Proven on node-semver's own fixtures
 * (npm_semver_*.tsv).
 */
public final class NpmRange {
  /** Options as in node-semver. */
  public record Options(boolean loose, boolean includePrerelease) {
    public static final Options DEFAULT = new Options(false, false);
  }

  private static final int MAX_LENGTH = 1024;

  // internal/re.js, built from the same pieces
  private static final String NUM = "0|[1-9]\\d*";
  private static final String NUM_LOOSE = "\\d+";
  private static final String NON_NUM = "\\d*[a-zA-Z-][a-zA-Z0-9-]*";
  private static final String MAIN = "(" + NUM + ")\\.(" + NUM + ")\\.(" + NUM + ")";
  private static final String MAIN_LOOSE =
      "(" + NUM_LOOSE + ")\\.(" + NUM_LOOSE + ")\\.(" + NUM_LOOSE + ")";
  private static final String PRE_ID = "(?:" + NON_NUM + "|" + NUM + ")";
  private static final String PRE_ID_LOOSE = "(?:" + NON_NUM + "|" + NUM_LOOSE + ")";
  private static final String PRE = "(?:-(" + PRE_ID + "(?:\\." + PRE_ID + ")*))";
  private static final String PRE_LOOSE =
      "(?:-?(" + PRE_ID_LOOSE + "(?:\\." + PRE_ID_LOOSE + ")*))";
  private static final String BUILD = "(?:\\+([a-zA-Z0-9-]+(?:\\.[a-zA-Z0-9-]+)*))";
  private static final String FULL_PLAIN = "v?" + MAIN + PRE + "?" + BUILD + "?";
  private static final String LOOSE_PLAIN = "[v=\\s]*" + MAIN_LOOSE + PRE_LOOSE + "?" + BUILD + "?";
  private static final String GTLT = "((?:<|>)?=?)";
  private static final String XID = NUM + "|x|X|\\*";
  private static final String XID_LOOSE = NUM_LOOSE + "|x|X|\\*";
  private static final String XPLAIN =
      "[v=\\s]*("
          + XID
          + ")(?:\\.("
          + XID
          + ")(?:\\.("
          + XID
          + ")(?:"
          + PRE
          + ")?"
          + BUILD
          + "?)?)?";
  private static final String XPLAIN_LOOSE =
      "[v=\\s]*("
          + XID_LOOSE
          + ")(?:\\.("
          + XID_LOOSE
          + ")(?:\\.("
          + XID_LOOSE
          + ")(?:"
          + PRE_LOOSE
          + ")?"
          + BUILD
          + "?)?)?";

  private record Res(
      Pattern hyphen,
      Pattern xrange,
      Pattern tilde,
      Pattern caret,
      Pattern comparator,
      Pattern version) {}

  private static final Res STRICT =
      new Res(
          Pattern.compile("^\\s*(" + XPLAIN + ")\\s+-\\s+(" + XPLAIN + ")\\s*$"),
          Pattern.compile("^" + GTLT + "\\s*" + XPLAIN + "$"),
          Pattern.compile("^(?:~>?)" + XPLAIN + "$"),
          Pattern.compile("^(?:\\^)" + XPLAIN + "$"),
          Pattern.compile("^" + GTLT + "\\s*(" + FULL_PLAIN + ")$|^$"),
          Pattern.compile("^" + FULL_PLAIN + "$"));
  private static final Res LOOSE =
      new Res(
          Pattern.compile("^\\s*(" + XPLAIN_LOOSE + ")\\s+-\\s+(" + XPLAIN_LOOSE + ")\\s*$"),
          Pattern.compile("^" + GTLT + "\\s*" + XPLAIN_LOOSE + "$"),
          Pattern.compile("^(?:~>?)" + XPLAIN_LOOSE + "$"),
          Pattern.compile("^(?:\\^)" + XPLAIN_LOOSE + "$"),
          Pattern.compile("^" + GTLT + "\\s*(" + LOOSE_PLAIN + ")$|^$"),
          Pattern.compile("^" + LOOSE_PLAIN + "$"));
  private static final Pattern COMPARATOR_TRIM =
      Pattern.compile("(\\s*)" + GTLT + "\\s*(" + LOOSE_PLAIN + "|" + XPLAIN + ")");
  private static final Pattern TILDE_TRIM = Pattern.compile("(\\s*)(?:~>?)\\s+");
  private static final Pattern CARET_TRIM = Pattern.compile("(\\s*)(?:\\^)\\s+");
  private static final Pattern BUILD_ANY = Pattern.compile(BUILD);
  private static final Pattern STAR = Pattern.compile("(<|>)?=?\\s*\\*");
  private static final Pattern GTE0 = Pattern.compile("^\\s*>=\\s*0\\.0\\.0\\s*$");
  private static final Pattern GTE0_PRE = Pattern.compile("^\\s*>=\\s*0\\.0\\.0-0\\s*$");
  private static final Pattern SPACES = Pattern.compile("\\s+");

  /** A version as node-semver holds it: numbers, and pre-release identifiers. */
  public record Version(long major, long minor, long patch, List<Object> pre) {
    String text() {
      StringBuilder b = new StringBuilder().append(major).append('.').append(minor).append('.');
      b.append(patch);
      if (!pre.isEmpty()) {
        b.append('-');
        for (int i = 0; i < pre.size(); i++) {
          b.append(i == 0 ? "" : ".").append(pre.get(i));
        }
      }
      return b.toString();
    }
  }

  /** One comparator: an operator ("" for equality) and a version; {@code version} null is any. */
  record Comparator(String op, Version version) {
    String value() {
      return version == null ? "" : op + version.text();
    }
  }

  private final List<List<Comparator>> set;
  private final Options options;

  private NpmRange(List<List<Comparator>> set, Options options) {
    this.set = set;
    this.options = options;
  }

  /** The version in node-semver's reading, or null if it is not one in this mode. */
  public static Version version(String s, boolean loose) {
    if (s == null || s.length() > 256) {
      return null;
    }
    Matcher m = (loose ? LOOSE : STRICT).version().matcher(s.strip());
    if (!m.matches()) {
      return null;
    }
    Long maj = safe(m.group(1));
    Long min = safe(m.group(2));
    Long pat = safe(m.group(3));
    if (maj == null || min == null || pat == null) {
      return null;
    }
    List<Object> pre = new ArrayList<>();
    if (m.group(4) != null) {
      for (String id : m.group(4).split("\\.", -1)) {
        Long n = id.chars().allMatch(c -> c >= '0' && c <= '9') ? safe(id) : null;
        pre.add(n != null ? (Object) n : id);
      }
    }
    return new Version(maj, min, pat, List.copyOf(pre));
  }

  // JavaScript's Number.MAX_SAFE_INTEGER bounds node-semver's numbers
  private static Long safe(String digits) {
    if (digits.length() > 16) {
      return null;
    }
    long v = Long.parseLong(digits);
    return v > 9007199254740991L ? null : v;
  }

  public static int compare(Version a, Version b) {
    int c = Long.compare(a.major(), b.major());
    if (c == 0) {
      c = Long.compare(a.minor(), b.minor());
    }
    if (c == 0) {
      c = Long.compare(a.patch(), b.patch());
    }
    if (c != 0) {
      return Integer.signum(c);
    }
    if (a.pre().isEmpty() || b.pre().isEmpty()) {
      return a.pre().isEmpty() == b.pre().isEmpty() ? 0 : a.pre().isEmpty() ? 1 : -1;
    }
    for (int i = 0; ; i++) {
      if (i == a.pre().size() || i == b.pre().size()) {
        return Integer.compare(a.pre().size(), b.pre().size());
      }
      Object x = a.pre().get(i);
      Object y = b.pre().get(i);
      int d;
      if (x instanceof Long p && y instanceof Long q) {
        d = Long.compare(p, q);
      } else if (x instanceof Long) {
        d = -1;
      } else if (y instanceof Long) {
        d = 1;
      } else {
        d = ((String) x).compareTo((String) y);
      }
      if (d != 0) {
        return Integer.signum(d);
      }
    }
  }

  /** The range, or null when node-semver would throw "Invalid SemVer Range/comparator". */
  public static NpmRange parse(String range, Options o) {
    if (range == null || range.length() > MAX_LENGTH) {
      return null;
    }
    String raw = SPACES.matcher(range.strip()).replaceAll(" ");
    List<List<Comparator>> set = new ArrayList<>();
    for (String part : raw.split("\\|\\|", -1)) {
      List<Comparator> cs;
      try {
        cs = parseSet(part.strip(), o);
      } catch (Invalid e) {
        return null;
      }
      if (cs == null) {
        return null;
      }
      if (!cs.isEmpty()) {
        set.add(cs);
      }
    }
    if (set.isEmpty()) {
      return null;
    }
    if (set.size() > 1) {
      List<Comparator> first = set.get(0);
      set.removeIf(c -> isNull(c.get(0)));
      if (set.isEmpty()) {
        set.add(first);
      } else if (set.size() > 1) {
        for (List<Comparator> c : set) {
          if (c.size() == 1 && c.get(0).version() == null) {
            set = new ArrayList<>(List.of(c));
            break;
          }
        }
      }
    }
    return new NpmRange(set, o);
  }

  private static boolean isNull(Comparator c) {
    return c.value().equals("<0.0.0-0");
  }

  private static List<Comparator> parseSet(String range, Options o) {
    Res re = o.loose() ? LOOSE : STRICT;
    range = replace(re.hyphen(), range, m -> hyphen(m, o.includePrerelease()));
    range = replace(COMPARATOR_TRIM, range, m -> g(m, 1) + g(m, 2) + g(m, 3));
    range = replace(TILDE_TRIM, range, m -> g(m, 1) + "~");
    range = replace(CARET_TRIM, range, m -> g(m, 1) + "^");
    StringBuilder joined = new StringBuilder();
    for (String comp : range.split(" ", -1)) {
      joined.append(joined.isEmpty() ? "" : " ").append(comparator(comp, o));
    }
    List<String> list = new ArrayList<>();
    for (String comp : SPACES.split(joined.toString(), -1)) {
      String c = comp.strip();
      c = (o.includePrerelease() ? GTE0_PRE : GTE0).matcher(c).replaceAll("");
      if (o.loose() && !re.comparator().matcher(c).find()) {
        continue;
      }
      list.add(c);
    }
    Map<String, Comparator> map = new LinkedHashMap<>();
    for (String c : list) {
      Comparator cmp = comparatorOf(c, o);
      if (cmp == null) {
        return null;
      }
      if (isNull(cmp)) {
        return List.of(cmp);
      }
      map.put(cmp.value(), cmp);
    }
    if (map.size() > 1) {
      map.remove("");
    }
    return new ArrayList<>(map.values());
  }

  private static Comparator comparatorOf(String comp, Options o) {
    comp = SPACES.matcher(comp.strip()).replaceAll(" ");
    Matcher m = (o.loose() ? LOOSE : STRICT).comparator().matcher(comp);
    if (!m.find()) {
      return null;
    }
    String op = m.group(1) == null ? "" : m.group(1);
    if (op.equals("=")) {
      op = "";
    }
    if (m.group(2) == null || m.group(2).isEmpty()) {
      return new Comparator(op, null);
    }
    Version v = version(m.group(2), o.loose());
    return v == null ? null : new Comparator(op, v);
  }

  private static String comparator(String comp, Options o) {
    comp = BUILD_ANY.matcher(comp).replaceAll("");
    comp = each(comp, c -> caret(c, o));
    comp = each(comp, c -> tilde(c, o));
    comp = each(comp, c -> xrange(c, o));
    return STAR.matcher(comp.strip()).replaceAll("");
  }

  private static String each(String comp, Function<String, String> f) {
    StringBuilder b = new StringBuilder();
    for (String c : SPACES.split(comp.strip(), -1)) {
      b.append(b.isEmpty() ? "" : " ").append(f.apply(c));
    }
    return b.toString();
  }

  /** node-semver refuses a number after a wildcard ({@code 1.x.5}, {@code x.1}). */
  private static final class Invalid extends RuntimeException {
    Invalid() {
      super(null, null, false, false);
    }
  }

  private static void xThenNumber(String... parts) {
    boolean x = false;
    for (String p : parts) {
      if (p == null) {
        return;
      }
      if (isX(p)) {
        x = true;
      } else if (x) {
        throw new Invalid();
      }
    }
  }

  private static boolean isX(String id) {
    return id == null || id.isEmpty() || id.equalsIgnoreCase("x") || id.equals("*");
  }

  private static String inc(String n) {
    return Long.toString(Long.parseLong(n) + 1);
  }

  private static String tilde(String comp, Options o) {
    Res re = o.loose() ? LOOSE : STRICT;
    String z = o.includePrerelease() ? "-0" : "";
    return replace(
        re.tilde(),
        comp,
        m -> {
          String maj = m.group(1);
          String min = m.group(2);
          String pat = m.group(3);
          String pr = m.group(4);
          xThenNumber(maj, min, pat);
          if (isX(maj)) {
            return "";
          } else if (isX(min)) {
            return ">=" + maj + ".0.0" + z + " <" + inc(maj) + ".0.0-0";
          } else if (isX(pat)) {
            return ">=" + maj + "." + min + ".0" + z + " <" + maj + "." + inc(min) + ".0-0";
          } else if (pr != null) {
            return ">=" + maj + "." + min + "." + pat + "-" + pr + " <" + maj + "." + inc(min)
                + ".0-0";
          }
          return ">=" + maj + "." + min + "." + pat + " <" + maj + "." + inc(min) + ".0-0";
        });
  }

  private static String caret(String comp, Options o) {
    Res re = o.loose() ? LOOSE : STRICT;
    String z = o.includePrerelease() ? "-0" : "";
    return replace(
        re.caret(),
        comp,
        m -> {
          String maj = m.group(1);
          String min = m.group(2);
          String pat = m.group(3);
          String pr = m.group(4);
          xThenNumber(maj, min, pat);
          if (isX(maj)) {
            return "";
          } else if (isX(min)) {
            return ">=" + maj + ".0.0" + z + " <" + inc(maj) + ".0.0-0";
          } else if (isX(pat)) {
            return maj.equals("0")
                ? ">=" + maj + "." + min + ".0" + z + " <" + maj + "." + inc(min) + ".0-0"
                : ">=" + maj + "." + min + ".0" + z + " <" + inc(maj) + ".0.0-0";
          }
          String from = ">=" + maj + "." + min + "." + pat + (pr != null ? "-" + pr : "");
          if (maj.equals("0")) {
            return min.equals("0")
                ? from + " <" + maj + "." + min + "." + inc(pat) + "-0"
                : from + " <" + maj + "." + inc(min) + ".0-0";
          }
          return from + " <" + inc(maj) + ".0.0-0";
        });
  }

  private static String xrange(String comp, Options o) {
    comp = comp.strip();
    Res re = o.loose() ? LOOSE : STRICT;
    return replace(
        re.xrange(),
        comp,
        m -> {
          String ret = m.group();
          String gtlt = m.group(1);
          String maj = m.group(2);
          String min = m.group(3);
          String pat = m.group(4);
          xThenNumber(maj, min, pat);
          boolean xM = isX(maj);
          boolean xm = xM || isX(min);
          boolean xp = xm || isX(pat);
          if (gtlt.equals("=") && xp) {
            gtlt = "";
          }
          String pr = o.includePrerelease() ? "-0" : "";
          if (xM) {
            return gtlt.equals(">") || gtlt.equals("<") ? "<0.0.0-0" : "*";
          } else if (!gtlt.isEmpty() && xp) {
            if (xm) {
              min = "0";
            }
            pat = "0";
            if (gtlt.equals(">")) {
              gtlt = ">=";
              if (xm) {
                maj = inc(maj);
                min = "0";
              } else {
                min = inc(min);
              }
            } else if (gtlt.equals("<=")) {
              gtlt = "<";
              if (xm) {
                maj = inc(maj);
              } else {
                min = inc(min);
              }
            }
            if (gtlt.equals("<")) {
              pr = "-0";
            }
            return gtlt + maj + "." + min + "." + pat + pr;
          } else if (xm) {
            return ">=" + maj + ".0.0" + pr + " <" + inc(maj) + ".0.0-0";
          } else if (xp) {
            return ">=" + maj + "." + min + ".0" + pr + " <" + maj + "." + inc(min) + ".0-0";
          }
          return ret;
        });
  }

  private static String hyphen(Matcher m, boolean incPr) {
    String from = m.group(1);
    String fM = m.group(2);
    String fm = m.group(3);
    String fp = m.group(4);
    String fpr = m.group(5);
    String to = m.group(7);
    String tM = m.group(8);
    String tm = m.group(9);
    String tp = m.group(10);
    String tpr = m.group(11);
    xThenNumber(fM, fm, fp);
    xThenNumber(tM, tm, tp);
    String pre = incPr ? "-0" : "";
    if (isX(fM)) {
      from = "";
    } else if (isX(fm)) {
      from = ">=" + fM + ".0.0" + pre;
    } else if (isX(fp)) {
      from = ">=" + fM + "." + fm + ".0" + pre;
    } else if (fpr != null) {
      from = ">=" + from;
    } else {
      from = ">=" + from + pre;
    }
    if (isX(tM)) {
      to = "";
    } else if (isX(tm)) {
      to = "<" + inc(tM) + ".0.0-0";
    } else if (isX(tp)) {
      to = "<" + tM + "." + inc(tm) + ".0-0";
    } else if (tpr != null) {
      to = "<=" + tM + "." + tm + "." + tp + "-" + tpr;
    } else if (incPr) {
      to = "<" + tM + "." + tm + "." + inc(tp) + "-0";
    } else {
      to = "<=" + to;
    }
    return (from + " " + to).strip();
  }

  private static String g(Matcher m, int group) {
    String s = m.group(group);
    return s == null ? "" : s;
  }

  // String.replace with a global regular expression and a function, as JavaScript has it
  private static String replace(Pattern p, String s, Function<Matcher, String> f) {
    Matcher m = p.matcher(s);
    StringBuilder b = new StringBuilder();
    int last = 0;
    while (m.find()) { // find() steps past an empty match, as JavaScript's lastIndex does
      b.append(s, last, m.start()).append(f.apply(m));
      last = m.end();
    }
    return b.append(s, last, s.length()).toString();
  }

  /** node-semver's {@code range.range}: the normal form ({@code validRange} prints "*" if ""). */
  public String normalized() {
    StringBuilder b = new StringBuilder();
    for (List<Comparator> cs : set) {
      StringBuilder one = new StringBuilder();
      for (Comparator c : cs) {
        one.append(one.isEmpty() ? "" : " ").append(c.value());
      }
      b.append(b.isEmpty() ? "" : "||").append(one.toString().strip());
    }
    return b.toString().strip();
  }

  /** {@code semver.satisfies}: false for a string that is not a version in this mode. */
  public boolean test(String version) {
    Version v = version(version, options.loose());
    return v != null && test(v);
  }

  public boolean test(Version v) {
    for (List<Comparator> cs : set) {
      if (testSet(cs, v)) {
        return true;
      }
    }
    return false;
  }

  private boolean testSet(List<Comparator> cs, Version v) {
    for (Comparator c : cs) {
      if (!holds(c, v)) {
        return false;
      }
    }
    if (!v.pre().isEmpty() && !options.includePrerelease()) {
      // a pre-release only passes a set that names a pre-release of the same x.y.z
      for (Comparator c : cs) {
        Version a = c.version();
        if (a != null
            && !a.pre().isEmpty()
            && a.major() == v.major()
            && a.minor() == v.minor()
            && a.patch() == v.patch()) {
          return true;
        }
      }
      return false;
    }
    return true;
  }

  private static boolean holds(Comparator c, Version v) {
    if (c.version() == null) {
      return true;
    }
    int d = compare(v, c.version());
    return switch (c.op()) {
      case "" -> d == 0;
      case ">" -> d > 0;
      case ">=" -> d >= 0;
      case "<" -> d < 0;
      case "<=" -> d <= 0;
      default -> false;
    };
  }

  /**
   * {@code semver.gtr} ({@code high}) or {@code semver.ltr}: whether the version is above (below)
   * every version the range allows.
   */
  public boolean outside(Version v, boolean high) {
    if (test(v)) {
      return false;
    }
    String comp = high ? ">" : "<";
    String ecomp = high ? ">=" : "<=";
    Version zero = new Version(0, 0, 0, List.of());
    for (List<Comparator> cs : set) {
      Comparator hi = null;
      Comparator lo = null;
      for (Comparator c0 : cs) {
        Comparator c = c0.version() == null ? new Comparator(">=", zero) : c0;
        hi = hi == null ? c : hi;
        lo = lo == null ? c : lo;
        int toHigh = compare(c.version(), hi.version());
        int toLow = compare(c.version(), lo.version());
        if (high ? toHigh > 0 : toHigh < 0) {
          hi = c;
        } else if (high ? toLow < 0 : toLow > 0) {
          lo = c;
        }
      }
      if (hi.op().equals(comp) || hi.op().equals(ecomp)) {
        return false;
      }
      int d = compare(v, lo.version());
      if ((lo.op().isEmpty() || lo.op().equals(comp)) && (high ? d <= 0 : d >= 0)) {
        return false;
      } else if (lo.op().equals(ecomp) && (high ? d < 0 : d > 0)) {
        return false;
      }
    }
    return true;
  }
}
