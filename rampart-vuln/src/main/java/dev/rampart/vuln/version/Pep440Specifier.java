package dev.rampart.vuln.version;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One PEP 440 version specifier ({@code ~=1.4.2}, {@code ==2.*}, {@code !=2.0.0+local}, {@code
 * <3.0a1}, {@code ===1.0}) and whether it contains a version, as {@code packaging}'s {@code
 * Specifier.contains} decides with pre-releases allowed: wildcards match by prefix after padding
 * the release with zeros, local labels are ignored unless the specifier names one, {@code <V}
 * excludes V's own pre-releases and {@code >V} its post-releases and local builds.
 */
public final class Pep440Specifier {
  private static final Pattern SPEC =
      Pattern.compile("^\\s*(~=|===|==|!=|<=|>=|<|>)\\s*(\\S+)\\s*$");
  private static final Pattern PRE_PART = Pattern.compile("^([0-9]+)((?:a|b|c|rc)[0-9]+)$");

  private final String op;
  private final String text;

  private Pep440Specifier(String op, String text) {
    this.op = op;
    this.text = text;
  }

  /** The specifier, or null when it is not one. */
  public static Pep440Specifier parse(String s) {
    Matcher m = SPEC.matcher(s);
    if (!m.matches()) {
      return null;
    }
    String v = m.group(2);
    boolean wildcard = v.endsWith(".*");
    if (wildcard && !(m.group(1).equals("==") || m.group(1).equals("!="))) {
      return null;
    }
    if (!m.group(1).equals("===")
        && Pep440.parse(wildcard ? v.substring(0, v.length() - 2) : v) == null) {
      return null;
    }
    return new Pep440Specifier(m.group(1), v);
  }

  public boolean contains(String version) {
    if (op.equals("===")) {
      return version.strip().equalsIgnoreCase(text);
    }
    Pep440.Version v = Pep440.parse(version);
    if (v == null) {
      return false;
    }
    return switch (op) {
      case "==" -> equal(v);
      case "!=" -> !equal(v);
      case "<=" -> publicOf(v).compareTo(Pep440.parse(text)) <= 0;
      case ">=" -> publicOf(v).compareTo(Pep440.parse(text)) >= 0;
      case "<" -> less(v);
      case ">" -> greater(v);
      case "~=" -> compatible(v);
      default -> false;
    };
  }

  private boolean equal(Pep440.Version v) {
    if (text.endsWith(".*")) {
      List<String> spec =
          split(canonical(Pep440.parse(text.substring(0, text.length() - 2)), false));
      List<String> prospective = pad(split(canonical(v, false)), spec);
      return prospective.subList(0, Math.min(prospective.size(), spec.size())).equals(spec)
          && prospective.size() >= spec.size();
    }
    Pep440.Version s = Pep440.parse(text);
    Pep440.Version p = s.local() == null ? publicOf(v) : v;
    return p.compareTo(s) == 0;
  }

  private boolean less(Pep440.Version v) {
    Pep440.Version s = Pep440.parse(text);
    if (v.compareTo(s) >= 0) {
      return false;
    }
    return s.isPrerelease() || !v.isPrerelease() || base(v).compareTo(base(s)) != 0;
  }

  private boolean greater(Pep440.Version v) {
    Pep440.Version s = Pep440.parse(text);
    if (v.compareTo(s) <= 0) {
      return false;
    }
    if (s.post() == null && v.post() != null && base(v).compareTo(base(s)) == 0) {
      return false;
    }
    // a local build of the very version named is not greater than it
    return v.local() == null || publicOf(v).compareTo(s) != 0;
  }

  private boolean compatible(Pep440.Version v) {
    List<String> parts = new ArrayList<>();
    for (String p : split(canonical(Pep440.parse(text), false))) {
      if (p.startsWith("post")
          || p.startsWith("dev")
          || p.startsWith("a")
          || p.startsWith("b")
          || p.startsWith("rc")) {
        break;
      }
      parts.add(p);
    }
    parts.remove(parts.size() - 1);
    // the prefix joined back: epoch!release (split puts the epoch first)
    StringBuilder prefix = new StringBuilder(parts.get(0)).append('!');
    for (int i = 1; i < parts.size(); i++) {
      prefix.append(i == 1 ? "" : ".").append(parts.get(i));
    }
    return publicOf(v).compareTo(Pep440.parse(text)) >= 0
        && new Pep440Specifier("==", prefix + ".*").equal(v);
  }

  private static Pep440.Version publicOf(Pep440.Version v) {
    return new Pep440.Version(
        v.epoch(), v.release(), v.preKind(), v.pre(), v.post(), v.dev(), null);
  }

  private static Pep440.Version base(Pep440.Version v) {
    return new Pep440.Version(v.epoch(), v.release(), -1, null, null, null, null);
  }

  /** The normal form: [N!]release[{a|b|rc}N][.postN][.devN][+local]. */
  static String canonical(Pep440.Version v, boolean withLocal) {
    StringBuilder b = new StringBuilder();
    if (v.epoch().signum() != 0) {
      b.append(v.epoch()).append('!');
    }
    for (int i = 0; i < v.release().size(); i++) {
      b.append(i == 0 ? "" : ".").append(v.release().get(i));
    }
    if (v.preKind() >= 0) {
      b.append(new String[] {"a", "b", "rc"}[v.preKind()]).append(v.pre());
    }
    if (v.post() != null) {
      b.append(".post").append(v.post());
    }
    if (v.dev() != null) {
      b.append(".dev").append(v.dev());
    }
    if (withLocal && v.local() != null) {
      b.append('+');
      for (int i = 0; i < v.local().size(); i++) {
        b.append(i == 0 ? "" : ".").append(v.local().get(i));
      }
    }
    return b.toString().toLowerCase(Locale.ROOT);
  }

  // epoch first, then dot-separated parts, "1a1" split into "1" and "a1"
  private static List<String> split(String version) {
    List<String> out = new ArrayList<>();
    int bang = version.lastIndexOf('!');
    out.add(bang < 0 ? "0" : version.substring(0, bang));
    for (String item : version.substring(bang + 1).split("\\.", -1)) {
      Matcher m = PRE_PART.matcher(item);
      if (m.matches()) {
        out.add(m.group(1));
        out.add(m.group(2));
      } else {
        out.add(item);
      }
    }
    return out;
  }

  // the prospective version's release padded with zeros to the specifier's release length
  private static List<String> pad(List<String> left, List<String> right) {
    List<String> lr = release(left);
    List<String> rr = release(right);
    List<String> out = new ArrayList<>(lr);
    while (out.size() < rr.size()) {
      out.add("0");
    }
    out.addAll(left.subList(lr.size(), left.size()));
    return out;
  }

  private static List<String> release(List<String> parts) {
    int i = 0;
    while (i < parts.size()
        && !parts.get(i).isEmpty()
        && parts.get(i).chars().allMatch(Character::isDigit)) {
      i++;
    }
    return parts.subList(0, i);
  }
}
