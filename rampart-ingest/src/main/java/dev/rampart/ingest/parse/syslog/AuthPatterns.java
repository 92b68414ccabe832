package dev.rampart.ingest.parse.syslog;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.FieldNames;
import dev.rampart.core.event.IpAddress;
import io.krakens.grok.api.Grok;
import io.krakens.grok.api.GrokCompiler;
import io.krakens.grok.api.Match;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What sshd, sudo, su and PAM say, read with grok patterns into ECS: {@code event.action}, {@code
 * event.outcome}, {@code event.category}, {@code user.name}, {@code source.ip}/{@code port}, {@code
 * user.effective.name}, {@code process.command_line}. The action names are the ones Rampart's
 * simulator writes ({@code ssh_login_failed}, {@code ssh_login}, {@code sudo}, ...), so rules and
 * dashboards see the same fields for real and simulated logs. Patterns run only for those programs,
 * so other syslog traffic pays nothing.
 */
final class AuthPatterns {
  /** One pattern and what a match means. */
  private record Rule(Grok grok, String action, String outcome, String category) {}

  private static final Set<String> PROGRAMS = Set.of("sshd", "sudo", "su", "sshd-session");
  private static final int ACTION = FieldNames.id("event.action");
  private static final int OUTCOME = FieldNames.id("event.outcome");
  private static final int CATEGORY = FieldNames.id("event.category");

  private final Map<String, List<Rule>> byProgram;

  AuthPatterns() {
    GrokCompiler c = GrokCompiler.newInstance();
    c.registerDefaultPatterns();
    List<Rule> sshd =
        List.of(
            rule(
                c,
                "Failed %{WORD:ssh_method} for (invalid user )?%{USERNAME:user_name} from %{IP:source_ip} port %{INT:source_port}",
                "ssh_login_failed",
                "failure"),
            rule(
                c,
                "Accepted %{WORD:ssh_method} for %{USERNAME:user_name} from %{IP:source_ip} port %{INT:source_port}",
                "ssh_login",
                "success"),
            rule(
                c,
                "[Ii]nvalid user %{USERNAME:user_name}? ?from %{IP:source_ip}( port %{INT:source_port})?",
                "ssh_invalid_user",
                "failure"),
            rule(
                c,
                "authentication failure; logname=%{DATA} uid=%{INT} euid=%{INT} tty=%{DATA} ruser=%{DATA} rhost=%{IPORHOST:source_ip}(  user=%{USERNAME:user_name}| user=%{USERNAME:user_name})?",
                "authentication_failure",
                "failure"),
            rule(
                c,
                "Disconnected from (invalid |authenticating )?user %{USERNAME:user_name} %{IP:source_ip} port %{INT:source_port}",
                "ssh_disconnect",
                null));
    List<Rule> sudo =
        List.of(
            rule(
                c,
                "^\\s*%{USERNAME:user_name} : (%{DATA} ; )?TTY=%{DATA} ; PWD=%{DATA} ; USER=%{USERNAME:user_effective_name} ; (%{DATA} ; )?COMMAND=%{GREEDYDATA:process_command_line}",
                "sudo",
                "success"),
            rule(
                c,
                "^\\s*%{USERNAME:user_name} : (%{DATA} ; )?%{DATA:sudo_reason} ; TTY=",
                "sudo_failed",
                "failure"));
    List<Rule> su =
        List.of(
            rule(
                c,
                "(Successful su|pam_unix\\(su(-l)?:session\\): session opened) for (user )?%{USERNAME:user_effective_name}(\\(uid=%{INT}\\))? by %{USERNAME:user_name}?",
                "su",
                "success"),
            rule(
                c,
                "FAILED (SU|su) (\\(to %{USERNAME:user_effective_name}\\) )?%{USERNAME:user_name}",
                "su_failed",
                "failure"));
    byProgram = Map.of("sshd", sshd, "sshd-session", sshd, "sudo", sudo, "su", su);
  }

  private static Rule rule(GrokCompiler c, String pattern, String action, String outcome) {
    return new Rule(c.compile(pattern), action, outcome, "authentication");
  }

  /** Adds the fields of the first pattern that matches; nothing when none does. */
  void apply(String program, String message, Event into) {
    if (program == null || !PROGRAMS.contains(program)) {
      return;
    }
    for (Rule r : byProgram.get(program)) {
      Match m = r.grok().match(message);
      Map<String, Object> captured = m.capture();
      if (captured.isEmpty()) {
        continue;
      }
      into.addString(ACTION, r.action());
      if (r.outcome() != null) {
        into.addString(OUTCOME, r.outcome());
      }
      into.addList(
          CATEGORY,
          List.of(
              new dev.rampart.core.event.Value.Str(
                  r.action().startsWith("sudo") || r.action().startsWith("su")
                      ? "process"
                      : r.category())));
      for (Map.Entry<String, Object> e : captured.entrySet()) {
        if (e.getValue() == null
            || e.getKey().equals(e.getKey().toUpperCase(java.util.Locale.ROOT))) {
          continue; // unnamed sub-patterns (DATA, INT) and empty optional groups
        }
        String value = e.getValue().toString();
        if (value.isEmpty()) {
          continue;
        }
        String field = e.getKey().replace('_', '.');
        switch (field) {
          case "source.ip" -> {
            IpAddress ip = IpAddress.parse(value);
            if (ip != null) {
              into.addIp(FieldNames.id("source.ip"), ip);
            } else {
              into.addString(FieldNames.id("source.domain"), value);
            }
          }
          case "source.port" -> into.addLong(FieldNames.id("source.port"), Long.parseLong(value));
          case "user.effective.name",
              "user.name",
              "process.command.line",
              "ssh.method",
              "sudo.reason" ->
              into.addString(
                  FieldNames.id(
                      field.equals("process.command.line") ? "process.command_line" : field),
                  value);
          default -> {}
        }
      }
      return;
    }
  }
}
