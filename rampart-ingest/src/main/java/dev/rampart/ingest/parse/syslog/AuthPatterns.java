package dev.rampart.ingest.parse.syslog;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.FieldNames;
import dev.rampart.core.event.IpAddress;
import dev.rampart.core.event.Value;
import io.krakens.grok.api.Grok;
import io.krakens.grok.api.GrokCompiler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What sshd, sudo, su and PAM say, read with grok patterns into ECS: {@code event.action}, {@code
 * event.outcome}, {@code event.category}, {@code user.name}, {@code source.ip}/{@code port}, {@code
 * user.effective.name}, {@code process.command_line}. The action names are the ones Rampart's
 * simulator writes ({@code ssh_login_failed}, {@code ssh_login}, {@code sudo}, ...), so rules and
 * dashboards see the same fields for real and simulated logs.
 *
 * <p>The patterns are written in grok; java-grok expands them, and the expanded regex runs once per
 * line through {@link Matcher} (grok's own {@code capture()} builds maps per line, which cost more
 * than the match). Grok's IP pattern is a large IPv6 alternation that dominated the match, so
 * addresses match as {@code RAMPART_ADDR} and are validated by {@link IpAddress#parse} (a host name
 * goes to {@code source.domain}). Patterns run only for those programs, each only when its literal
 * is in the line, and only on lines up to {@link #MAX_LINE} characters: the patterns have no nested
 * quantifiers, so that bound also bounds the backtracking on hostile input (docs/decisions.md says
 * why this is java.util.regex and not RE2/J).
 */
final class AuthPatterns {
  /** What a capture group writes: a field id and how ({@code ip}, {@code long} or text). */
  private record Target(int group, int field, char how) {}

  /** One pattern, the literal a line must contain for it to match, and what a match means. */
  private record Rule(
      Pattern regex, String literal, List<Target> targets, String action, String outcome) {}

  /** Longer lines skip the patterns; sshd, sudo and su never write lines this long. */
  static final int MAX_LINE = 4096;

  private static final int ACTION = FieldNames.id("event.action");
  private static final int OUTCOME = FieldNames.id("event.outcome");
  private static final int CATEGORY = FieldNames.id("event.category");
  private static final int SOURCE_IP = FieldNames.id("source.ip");
  private static final int SOURCE_DOMAIN = FieldNames.id("source.domain");
  private static final List<Value> AUTHENTICATION = List.of(new Value.Str("authentication"));
  private static final List<Value> PROCESS = List.of(new Value.Str("process"));

  private final Map<String, List<Rule>> byProgram;

  AuthPatterns() {
    GrokCompiler c = GrokCompiler.newInstance();
    c.registerDefaultPatterns();
    // One class for IPv4, IPv6 (with a zone) and host names: an alternation would stop at the
    // digits that start a name like 220-135-151-1.example.net.
    c.register("RAMPART_ADDR", "[A-Za-z0-9:.%_-]+");
    // sshd's method names include keyboard-interactive/pam, which grok's WORD (\b\w+\b) cannot
    // match; WORD's word boundaries were also the slowest part of the match.
    c.register("RAMPART_METHOD", "[^ ]+");
    List<Rule> sshd =
        List.of(
            rule(
                c,
                "Failed ",
                "Failed %{RAMPART_METHOD:ssh_method} for (invalid user )?%{USERNAME:user_name} from %{RAMPART_ADDR:source_ip} port %{INT:source_port}",
                "ssh_login_failed",
                "failure"),
            rule(
                c,
                "Accepted ",
                "Accepted %{RAMPART_METHOD:ssh_method} for %{USERNAME:user_name} from %{RAMPART_ADDR:source_ip} port %{INT:source_port}",
                "ssh_login",
                "success"),
            rule(
                c,
                "nvalid user ",
                "[Ii]nvalid user %{USERNAME:user_name}? ?from %{RAMPART_ADDR:source_ip}( port %{INT:source_port})?",
                "ssh_invalid_user",
                "failure"),
            rule(
                c,
                "authentication failure;",
                "authentication failure; logname=%{DATA} uid=%{INT} euid=%{INT} tty=%{DATA} ruser=%{DATA} rhost=%{RAMPART_ADDR:source_ip}(  user=%{USERNAME:user_name}| user=%{USERNAME:user_name})?",
                "authentication_failure",
                "failure"),
            rule(
                c,
                "Disconnected from ",
                "Disconnected from (invalid |authenticating )?user %{USERNAME:user_name} %{RAMPART_ADDR:source_ip} port %{INT:source_port}",
                "ssh_disconnect",
                null));
    List<Rule> sudo =
        List.of(
            rule(
                c,
                "COMMAND=",
                "^\\s*%{USERNAME:user_name} : (%{DATA} ; )?TTY=%{DATA} ; PWD=%{DATA} ; USER=%{USERNAME:user_effective_name} ; (%{DATA} ; )?COMMAND=%{GREEDYDATA:process_command_line}",
                "sudo",
                "success"),
            rule(
                c,
                " ; TTY=",
                "^\\s*%{USERNAME:user_name} : (%{DATA} ; )?%{DATA:sudo_reason} ; TTY=",
                "sudo_failed",
                "failure"));
    List<Rule> su =
        List.of(
            rule(
                c,
                " for ",
                "(Successful su|pam_unix\\(su(-l)?:session\\): session opened) for (user )?%{USERNAME:user_effective_name}(\\(uid=%{INT}\\))? by %{USERNAME:user_name}?",
                "su",
                "success"),
            rule(
                c,
                "FAILED ",
                "FAILED (SU|su) (\\(to %{USERNAME:user_effective_name}\\) )?%{USERNAME:user_name}",
                "su_failed",
                "failure"));
    byProgram = Map.of("sshd", sshd, "sshd-session", sshd, "sudo", sudo, "su", su);
  }

  private static Rule rule(
      GrokCompiler c, String literal, String pattern, String action, String outcome) {
    Grok grok = c.compile(pattern);
    Pattern regex = Pattern.compile(grok.getNamedRegex());
    // Grok names its groups name0, name1, ...; the collection says which pattern or field each is.
    Map<String, String> names = grok.getNamedRegexCollection();
    List<Target> targets = new ArrayList<>();
    Map<String, Integer> groups = regex.namedGroups();
    for (Map.Entry<String, String> g : names.entrySet()) {
      String key = g.getValue();
      Integer group = groups.get(g.getKey());
      if (group == null || key.equals(key.toUpperCase(java.util.Locale.ROOT))) {
        continue; // unnamed sub-patterns (DATA, INT)
      }
      String field = key.replace('_', '.');
      switch (field) {
        case "source.ip" -> targets.add(new Target(group, SOURCE_IP, 'i'));
        case "source.port" -> targets.add(new Target(group, FieldNames.id(field), 'l'));
        case "process.command.line" ->
            targets.add(new Target(group, FieldNames.id("process.command_line"), 's'));
        case "user.effective.name", "user.name", "ssh.method", "sudo.reason" ->
            targets.add(new Target(group, FieldNames.id(field), 's'));
        default -> throw new IllegalArgumentException("no mapping for grok field " + key);
      }
    }
    targets.sort(java.util.Comparator.comparingInt(Target::group));
    return new Rule(regex, literal, List.copyOf(targets), action, outcome);
  }

  /** Adds the fields of the first pattern that matches; nothing when none does. */
  void apply(String program, String message, Event into) {
    List<Rule> rules = program == null ? null : byProgram.get(program);
    if (rules == null || message.length() > MAX_LINE) {
      return;
    }
    for (Rule r : rules) {
      if (!message.contains(r.literal())) {
        continue;
      }
      Matcher m = r.regex().matcher(message);
      if (!m.find()) {
        continue;
      }
      into.addString(ACTION, r.action());
      if (r.outcome() != null) {
        into.addString(OUTCOME, r.outcome());
      }
      into.addList(
          CATEGORY,
          r.action().startsWith("sudo") || r.action().startsWith("su") ? PROCESS : AUTHENTICATION);
      int lastField = -1;
      for (Target t : r.targets()) {
        String value = m.group(t.group());
        if (value == null || value.isEmpty() || t.field() == lastField) {
          continue; // an optional group that did not take part; or the same field twice
          // (alternation)
        }
        lastField = t.field();
        switch (t.how()) {
          case 'i' -> {
            IpAddress ip = IpAddress.parse(value);
            if (ip != null) {
              into.addIp(SOURCE_IP, ip);
            } else {
              into.addString(SOURCE_DOMAIN, value);
            }
          }
          case 'l' -> into.addLong(t.field(), Long.parseLong(value));
          default -> into.addString(t.field(), value);
        }
      }
      return;
    }
  }
}
