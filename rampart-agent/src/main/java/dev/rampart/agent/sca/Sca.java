package dev.rampart.agent.sca;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Configuration checks (security configuration assessment): a policy of checks, each a condition
 * (all, any, none) over rules about files, folders, sysctl values, command output, services,
 * processes and packages, judged pass, fail or not applicable with the evidence. Policies are
 * Rampart's own YAML (docs/agent.md) or Wazuh SCA YAML read from a user's file. Regular expressions
 * are RE2 (linear time: a policy cannot hang the agent); commands run without a shell, with a
 * timeout. Everything is read under a root folder, so a mounted image can be assessed.
 */
public final class Sca {
  private Sca() {}

  /**
   * A numeric content check: the first match of {@code pattern}'s group 1 compared with {@code
   * value} by {@code op} ({@code <, <=, ==, !=, >=, >}); Wazuh's {@code n:RE compare OP V}.
   */
  public record Numeric(Pattern pattern, String op, long value) {
    boolean holds(long n) {
      return switch (op) {
        case "<" -> n < value;
        case "<=" -> n <= value;
        case "==" -> n == value;
        case "!=" -> n != value;
        case ">=" -> n >= value;
        case ">" -> n > value;
        default -> false;
      };
    }
  }

  /** One rule; {@code negate} inverts it (Wazuh's {@code not}). */
  public sealed interface Rule {
    boolean negate();
  }

  /**
   * A file: exists, and optionally its content (every pattern must match, no {@code notMatches}
   * may), its mode at most {@code modeMax}, its owner and group among the allowed.
   */
  public record FileRule(
      String path,
      boolean negate,
      List<Pattern> matches,
      List<Pattern> notMatches,
      List<Numeric> numbers,
      Integer modeMax,
      List<String> owners,
      List<String> groups)
      implements Rule {}

  public record DirRule(String path, boolean negate) implements Rule {}

  /** A sysctl value read from /proc/sys, equal to {@code equals} or matching {@code matches}. */
  public record SysctlRule(String key, boolean negate, String equals, Pattern matches)
      implements Rule {}

  /** A command's output (stdout and stderr) matching all of {@code matches}, none of the rest. */
  public record CommandRule(
      List<String> argv,
      boolean negate,
      List<Pattern> matches,
      List<Pattern> notMatches,
      List<Numeric> numbers)
      implements Rule {}

  /** A running process by name (its {@code comm}). */
  public record ProcessRule(String name, boolean negate) implements Rule {}

  /** An installed package (dpkg status). */
  public record PackageRule(String name, boolean negate) implements Rule {}

  /** A check: applies when {@code applies} holds (all of it), then passes by its condition. */
  public record Check(
      String id,
      String title,
      String rationale,
      String remediation,
      List<Rule> applies,
      String condition,
      List<Rule> rules) {}

  /**
   * A policy; {@code requires} must hold (all of it) for any check to apply: Rampart's {@code
   * requires:} list, or Wazuh's {@code requirements:} (with its condition).
   */
  public record Policy(
      String id,
      String name,
      String description,
      List<Rule> requires,
      String requiresCondition,
      List<Check> checks) {}

  /** The outcome of a check: pass, fail or not-applicable, with what was seen. */
  public record Result(
      String id, String title, String outcome, List<String> evidence, String remediation) {}

  /** A policy file that cannot be read: where and why. */
  public static final class PolicyException extends Exception {
    private static final long serialVersionUID = 1L;

    public PolicyException(String message) {
      super(message);
    }
  }

  // ---------------------------------------------------------------- reading policies

  private static final YAMLMapper YAML = new YAMLMapper();

  /** Rampart's own policy for Debian 12 hosts (SSH, PAM, sysctl, permissions, auditd). */
  public static Policy debian12() throws PolicyException {
    try (InputStream in = Sca.class.getResourceAsStream("debian12.yml")) {
      return parse("debian12.yml", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new PolicyException("debian12.yml: " + e.getMessage());
    }
  }

  public static Policy read(Path file) throws PolicyException {
    try {
      return parse(file.toString(), Files.readString(file));
    } catch (IOException e) {
      throw new PolicyException(file + ": " + e.getMessage());
    }
  }

  /** A Rampart policy, or a Wazuh SCA policy (recognised by its {@code rules:} strings). */
  public static Policy parse(String name, String yaml) throws PolicyException {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (IOException e) {
      throw new PolicyException(name + ": not YAML: " + e.getMessage());
    }
    if (root == null || !root.has("checks")) {
      throw new PolicyException(name + ": a policy has checks:");
    }
    JsonNode p = root.path("policy");
    List<Check> checks = new ArrayList<>();
    JsonNode cs = root.get("checks");
    for (int i = 0; i < cs.size(); i++) {
      JsonNode c = cs.get(i);
      String where = name + ": checks[" + i + "]";
      List<Rule> rules = new ArrayList<>();
      for (JsonNode r : c.path("rules")) {
        rules.add(r.isTextual() ? wazuh(r.asText(), where) : own(r, where));
      }
      List<Rule> applies = new ArrayList<>();
      for (JsonNode r : c.path("applies")) {
        applies.add(r.isTextual() ? wazuh(r.asText(), where) : own(r, where));
      }
      String cond = c.path("condition").asText("all").toLowerCase(Locale.ROOT);
      if (!List.of("all", "any", "none").contains(cond)) {
        throw new PolicyException(where + ".condition: all, any or none, not " + cond);
      }
      if (rules.isEmpty()) {
        throw new PolicyException(where + ": a check has rules:");
      }
      checks.add(
          new Check(
              c.path("id").asText(""),
              c.path("title").asText(""),
              c.path("rationale").asText(null),
              c.path("remediation").asText(null),
              applies,
              cond,
              rules));
    }
    List<Rule> requires = new ArrayList<>();
    String reqCond = "all";
    JsonNode req =
        root.has("requires") ? root.get("requires") : root.path("requirements").path("rules");
    if (root.has("requirements")) {
      reqCond = root.path("requirements").path("condition").asText("all").toLowerCase(Locale.ROOT);
    }
    for (JsonNode r : req) {
      requires.add(
          r.isTextual() ? wazuh(r.asText(), name + ": requirements") : own(r, name + ": requires"));
    }
    return new Policy(
        p.path("id").asText(name),
        p.path("name").asText(name),
        p.path("description").asText(""),
        requires,
        reqCond,
        checks);
  }

  private static Pattern regex(String re, String where) throws PolicyException {
    try {
      return Pattern.compile(re, Pattern.MULTILINE);
    } catch (PatternSyntaxException e) {
      throw new PolicyException(
          where + ": bad regular expression '" + re + "': " + e.getDescription());
    }
  }

  private static List<Pattern> regexes(JsonNode n, String where) throws PolicyException {
    List<Pattern> out = new ArrayList<>();
    if (n.isTextual()) {
      out.add(regex(n.asText(), where));
    } else {
      for (JsonNode x : n) {
        out.add(regex(x.asText(), where));
      }
    }
    return out;
  }

  // own language: number: {matches: RE with one group, op: "<=", value: 4} (or a list of them)
  private static List<Numeric> numbers(JsonNode n, String where) throws PolicyException {
    List<Numeric> out = new ArrayList<>();
    List<JsonNode> items = new ArrayList<>();
    if (n.isObject()) {
      items.add(n);
    } else {
      n.forEach(items::add);
    }
    for (JsonNode x : items) {
      out.add(
          numeric(
              x.path("matches").asText(""),
              x.path("op").asText(""),
              x.path("value").asText(""),
              where));
    }
    return out;
  }

  private static Numeric numeric(String re, String op, String value, String where)
      throws PolicyException {
    if (!List.of("<", "<=", "==", "!=", ">=", ">").contains(op)) {
      throw new PolicyException(
          where + ": a number is compared with <, <=, ==, !=, >= or >, not '" + op + "'");
    }
    try {
      return new Numeric(regex(re, where), op, Long.parseLong(value.strip()));
    } catch (NumberFormatException e) {
      throw new PolicyException(where + ": '" + value + "' is not a whole number");
    }
  }

  private static final java.util.regex.Pattern WAZUH_NUMERIC =
      java.util.regex.Pattern.compile("^n:(.*)\\s+compare\\s+(<=|>=|==|!=|<|>)\\s*(-?\\d+)\\s*$");

  private static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    if (n.isTextual()) {
      out.add(n.asText());
    } else {
      n.forEach(x -> out.add(x.asText()));
    }
    return out;
  }

  private static Rule own(JsonNode r, String where) throws PolicyException {
    boolean negate = r.path("not").asBoolean(false);
    if (r.has("file")) {
      Integer mode = null;
      if (r.has("mode_max")) {
        try {
          mode = Integer.parseInt(r.get("mode_max").asText(), 8);
        } catch (NumberFormatException e) {
          throw new PolicyException(where + ".mode_max: an octal mode such as \"0640\"");
        }
      }
      return new FileRule(
          r.get("file").asText(),
          negate,
          regexes(r.path("matches"), where),
          regexes(r.path("not_matches"), where),
          numbers(r.path("number"), where),
          mode,
          strings(r.path("owner")),
          strings(r.path("group")));
    } else if (r.has("dir")) {
      return new DirRule(r.get("dir").asText(), negate);
    } else if (r.has("sysctl")) {
      return new SysctlRule(
          r.get("sysctl").asText(),
          negate,
          r.has("equals") ? r.get("equals").asText() : null,
          r.has("matches") ? regex(r.get("matches").asText(), where) : null);
    } else if (r.has("command")) {
      return new CommandRule(
          strings(r.get("command")),
          negate,
          regexes(r.path("output_matches"), where),
          regexes(r.path("output_not_matches"), where),
          numbers(r.path("number"), where));
    } else if (r.has("service")) {
      // systemd's own answer: is-enabled / is-active print one word
      return new CommandRule(
          List.of(
              "systemctl",
              r.path("state").asText("active").equals("enabled") ? "is-enabled" : "is-active",
              r.get("service").asText()),
          negate,
          List.of(regex("^" + r.path("state").asText("active") + "$", where)),
          List.of(),
          List.of());
    } else if (r.has("process")) {
      return new ProcessRule(r.get("process").asText(), negate);
    } else if (r.has("package")) {
      return new PackageRule(r.get("package").asText(), negate);
    }
    throw new PolicyException(
        where + ": a rule names file, dir, sysctl, command, service, process or package");
  }

  /**
   * A Wazuh SCA rule string: {@code [not ]TYPE:TARGET [-> CONTENT [&& CONTENT]...]} with types
   * {@code f} (file), {@code d} (folder), {@code c} (command), {@code p} (process), and content
   * checks {@code r:REGEX}, {@code !r:REGEX} (Wazuh's {@code n:} numeric comparisons and registry
   * rules are refused with a message).
   */
  static Rule wazuh(String text, String where) throws PolicyException {
    String s = text.strip();
    boolean negate = false;
    if (s.startsWith("not ")) {
      negate = true;
      s = s.substring(4).strip();
    }
    int arrow = s.indexOf(" -> ");
    String head = arrow < 0 ? s : s.substring(0, arrow).strip();
    String tail = arrow < 0 ? null : s.substring(arrow + 4).strip();
    if (head.length() < 3 || head.charAt(1) != ':') {
      throw new PolicyException(where + ": '" + text + "' is not TYPE:TARGET");
    }
    String target = head.substring(2).strip();
    List<Pattern> matches = new ArrayList<>();
    List<Pattern> notMatches = new ArrayList<>();
    List<Numeric> numbers = new ArrayList<>();
    if (tail != null) {
      for (String part : tail.split("\\s+&&\\s+")) {
        String q = part.strip();
        if (q.startsWith("!r:")) {
          notMatches.add(regex(q.substring(3), where));
        } else if (q.startsWith("r:")) {
          matches.add(regex(q.substring(2), where));
        } else if (q.startsWith("n:")) {
          java.util.regex.Matcher m = WAZUH_NUMERIC.matcher(q);
          if (!m.matches()) {
            throw new PolicyException(where + ": '" + text + "': write n:REGEX compare OP NUMBER");
          }
          numbers.add(numeric(m.group(1), m.group(2), m.group(3), where));
        } else {
          matches.add(regex("^" + Pattern.quote(q) + "$", where));
        }
      }
    }
    return switch (head.charAt(0)) {
      case 'f' ->
          new FileRule(target, negate, matches, notMatches, numbers, null, List.of(), List.of());
      case 'd' -> new DirRule(target, negate);
      case 'c' ->
          new CommandRule(List.of(target.split("\\s+")), negate, matches, notMatches, numbers);
      case 'p' -> new ProcessRule(target, negate);
      default ->
          throw new PolicyException(
              where
                  + ": '"
                  + text
                  + "': rule type "
                  + head.charAt(0)
                  + " is not supported (f, d, c, p)");
    };
  }

  // ---------------------------------------------------------------- evaluating

  /** Runs every check of {@code policy} against the host under {@code root}. */
  public static List<Result> run(Policy policy, Path root) {
    List<Result> out = new ArrayList<>();
    if (!policy.requires().isEmpty()) {
      List<String> why = new ArrayList<>();
      int held = 0;
      for (Rule r : policy.requires()) {
        held += holds(r, root, why) ? 1 : 0;
      }
      boolean ok =
          switch (policy.requiresCondition()) {
            case "any" -> held > 0;
            case "none" -> held == 0;
            default -> held == policy.requires().size();
          };
      if (!ok) {
        for (Check c : policy.checks()) {
          out.add(new Result(c.id(), c.title(), "not-applicable", why, c.remediation()));
        }
        return out;
      }
    }
    for (Check c : policy.checks()) {
      List<String> evidence = new ArrayList<>();
      boolean applies = true;
      for (Rule r : c.applies()) {
        applies &= holds(r, root, evidence);
      }
      if (!applies) {
        out.add(new Result(c.id(), c.title(), "not-applicable", evidence, c.remediation()));
        continue;
      }
      int held = 0;
      for (Rule r : c.rules()) {
        if (holds(r, root, evidence)) {
          held++;
        }
      }
      boolean pass =
          switch (c.condition()) {
            case "any" -> held > 0;
            case "none" -> held == 0;
            default -> held == c.rules().size();
          };
      out.add(new Result(c.id(), c.title(), pass ? "pass" : "fail", evidence, c.remediation()));
    }
    return out;
  }

  private static Path under(Path root, String path) {
    return root.resolve(path.startsWith("/") ? path.substring(1) : path);
  }

  static boolean holds(Rule r, Path root, List<String> evidence) {
    boolean v = evaluate(r, root, evidence);
    return r.negate() != v;
  }

  private static boolean evaluate(Rule r, Path root, List<String> ev) {
    return switch (r) {
      case FileRule f -> file(f, under(root, f.path()), ev);
      case DirRule d -> {
        boolean is = Files.isDirectory(under(root, d.path()), LinkOption.NOFOLLOW_LINKS);
        ev.add(d.path() + (is ? " is a folder" : " is not a folder"));
        yield is;
      }
      case SysctlRule s -> {
        Path p = under(root, "/proc/sys/" + s.key().replace('.', '/'));
        String val;
        try {
          val = Files.readString(p).strip();
        } catch (IOException e) {
          ev.add(s.key() + ": cannot be read");
          yield false;
        }
        ev.add(s.key() + " = " + val);
        yield (s.equals() == null || s.equals().equals(val))
            && (s.matches() == null || s.matches().matcher(val).find());
      }
      case CommandRule c -> command(c, root, ev);
      case ProcessRule p -> process(p.name(), root, ev);
      case PackageRule p -> packageInstalled(p.name(), root, ev);
    };
  }

  private static boolean file(FileRule f, Path p, List<String> ev) {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      ev.add(f.path() + " does not exist");
      return false;
    }
    boolean ok = true;
    if (f.modeMax() != null || !f.owners().isEmpty() || !f.groups().isEmpty()) {
      try {
        Map<String, Object> a =
            Files.readAttributes(p, "unix:mode,owner,group", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode") & 07777;
        String owner = a.get("owner").toString();
        String group = a.get("group").toString();
        ev.add(
            String.format(
                Locale.ROOT, "%s: mode %04o, owner %s, group %s", f.path(), mode, owner, group));
        if (f.modeMax() != null && (mode & ~f.modeMax()) != 0) {
          ok = false;
        }
        ok &= f.owners().isEmpty() || f.owners().contains(owner);
        ok &= f.groups().isEmpty() || f.groups().contains(group);
      } catch (IOException | RuntimeException e) {
        ev.add(f.path() + ": attributes cannot be read");
        return false;
      }
    }
    if (!f.matches().isEmpty() || !f.notMatches().isEmpty() || !f.numbers().isEmpty()) {
      String text;
      try {
        if (Files.size(p) > (8 << 20)) {
          ev.add(f.path() + ": larger than 8 MB; content not checked");
          return false;
        }
        text = Files.readString(p, StandardCharsets.ISO_8859_1);
      } catch (IOException e) {
        ev.add(f.path() + ": cannot be read");
        return false;
      }
      ok &= content(f.path(), text, f.matches(), f.notMatches(), f.numbers(), ev);
    } else if (f.modeMax() == null && f.owners().isEmpty() && f.groups().isEmpty()) {
      ev.add(f.path() + " exists");
    }
    return ok;
  }

  private static boolean content(
      String what,
      String text,
      List<Pattern> matches,
      List<Pattern> notMatches,
      List<Numeric> numbers,
      List<String> ev) {
    boolean ok = true;
    for (Numeric n : numbers) {
      var x = n.pattern().matcher(text);
      if (!x.find() || x.groupCount() < 1 || x.group(1) == null) {
        ev.add(what + ": nothing matches " + n.pattern().pattern());
        ok = false;
        continue;
      }
      long v;
      try {
        v = Long.parseLong(x.group(1).strip());
      } catch (NumberFormatException e) {
        ev.add(what + ": '" + x.group(1) + "' is not a number");
        ok = false;
        continue;
      }
      boolean h = n.holds(v);
      ev.add(what + ": " + v + (h ? " is " : " is not ") + n.op() + " " + n.value());
      ok &= h;
    }
    for (Pattern m : matches) {
      var x = m.matcher(text);
      if (x.find()) {
        ev.add(what + ": '" + line(text, x.start()) + "' matches " + m.pattern());
      } else {
        ev.add(what + ": nothing matches " + m.pattern());
        ok = false;
      }
    }
    for (Pattern m : notMatches) {
      var x = m.matcher(text);
      if (x.find()) {
        ev.add(what + ": '" + line(text, x.start()) + "' must not match " + m.pattern());
        ok = false;
      }
    }
    return ok;
  }

  private static String line(String text, int at) {
    int s = text.lastIndexOf('\n', Math.max(0, at - 1)) + 1;
    int e = text.indexOf('\n', at);
    String l = text.substring(s, e < 0 ? text.length() : e).strip();
    return l.length() > 120 ? l.substring(0, 120) + "…" : l;
  }

  private static boolean command(CommandRule c, Path root, List<String> ev) {
    if (!root.equals(Path.of("/"))) {
      ev.add(String.join(" ", c.argv()) + ": commands run only on the live host (--root /)");
      return false;
    }
    try {
      Process p = new ProcessBuilder(c.argv()).redirectErrorStream(true).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readNBytes(1 << 20);
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        ev.add(String.join(" ", c.argv()) + ": no answer in 10 s");
        return false;
      }
      String text = new String(out, StandardCharsets.UTF_8).strip();
      if (c.matches().isEmpty() && c.notMatches().isEmpty() && c.numbers().isEmpty()) {
        ev.add(String.join(" ", c.argv()) + " exited " + p.exitValue());
        return p.exitValue() == 0;
      }
      return content(
          String.join(" ", c.argv()), text, c.matches(), c.notMatches(), c.numbers(), ev);
    } catch (IOException e) {
      ev.add(String.join(" ", c.argv()) + ": cannot run (" + e.getMessage() + ")");
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static boolean process(String name, Path root, List<String> ev) {
    try (var procs = Files.newDirectoryStream(under(root, "/proc"))) {
      for (Path p : procs) {
        try {
          if (Files.readString(p.resolve("comm")).strip().equals(name)) {
            ev.add(name + " runs as process " + p.getFileName());
            return true;
          }
        } catch (IOException e) {
          // not a process folder, or one that ended
        }
      }
    } catch (IOException e) {
      // no /proc
    }
    ev.add(name + " is not running");
    return false;
  }

  private static boolean packageInstalled(String name, Path root, List<String> ev) {
    Path status = under(root, "/var/lib/dpkg/status");
    try {
      String current = null;
      for (String l : Files.readAllLines(status, StandardCharsets.UTF_8)) {
        if (l.startsWith("Package: ")) {
          current = l.substring(9).strip();
        } else if (l.startsWith("Status: ") && name.equals(current) && l.endsWith(" installed")) {
          ev.add(name + " is installed");
          return true;
        }
      }
    } catch (IOException e) {
      ev.add("no dpkg status to tell whether " + name + " is installed");
      return false;
    }
    ev.add(name + " is not installed");
    return false;
  }
}
