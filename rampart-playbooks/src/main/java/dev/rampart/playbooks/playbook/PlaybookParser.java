package dev.rampart.playbooks.playbook;

import dev.rampart.cases.triage.AlertPolicy;
import dev.rampart.cases.yaml.Doc;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates one playbook file. Every problem is reported with the file and line; a file
 * with any problem yields no playbook (the caller keeps the previous valid version).
 */
public final class PlaybookParser {
  private static final Set<String> ACTIONS =
      Set.of("email", "webhook", "slack", "teams", "blocklist", "command", "agent");
  private static final Set<String> INCIDENT_EVENTS =
      Set.of(
          "created",
          "changed",
          "status",
          "owner",
          "priority",
          "comment",
          "tags",
          "evidence",
          "merged",
          "alerts");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  private PlaybookParser() {}

  /** The playbook, or null with the problems. */
  public record Result(Playbook playbook, List<Doc.Problem> problems) {}

  public static Result load(Path file, Settings settings) throws IOException {
    String text;
    try {
      text = Files.readString(file);
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IOException(file + ": not UTF-8 text, so not a playbook (YAML)", e);
    }
    return parse(file.toString(), text, defaultName(file), settings);
  }

  static String defaultName(Path file) {
    String n = file.getFileName().toString();
    return n.replaceFirst("\\.ya?ml$", "");
  }

  public static Result parse(String file, String yaml, String defaultName, Settings settings) {
    Doc d = new Doc(file);
    Doc.Obj root = d.parse(yaml);
    if (root == null) {
      return new Result(null, d.problems());
    }
    d.onlyKeys(root, "a playbook", Set.of("name", "description", "enabled", "on", "steps"));
    String name = d.string(root, "name", false);
    if (name == null) {
      name = defaultName;
    }
    if (!NAME.matcher(name).matches()) {
      d.error(
          Doc.line(root, "name"),
          "name: 1 to 64 letters, digits, '_', '.' or '-', not '" + name + "'");
    }
    String description = d.string(root, "description", false);
    boolean enabled = bool(d, root, "enabled", true);
    Playbook.Trigger trigger = trigger(d, root);
    List<Step> steps = new ArrayList<>();
    List<Doc.Node> raw = d.list(root, "steps");
    if (raw.isEmpty()) {
      d.error(Doc.line(root, "steps"), "a playbook needs at least one step under 'steps'");
    }
    int i = 0;
    for (Doc.Node n : raw) {
      i++;
      if (!(n instanceof Doc.Obj s)) {
        d.error(n.line(), "step " + i + ": a mapping such as {webhook: {url: ...}}");
        continue;
      }
      Step step = step(d, s, i, settings);
      if (step != null) {
        steps.add(step);
      }
    }
    if (!d.problems().isEmpty()) {
      return new Result(null, d.problems());
    }
    return new Result(new Playbook(name, file, description, enabled, trigger, steps), List.of());
  }

  private static boolean bool(Doc d, Doc.Obj o, String key, boolean fallback) {
    String v = d.string(o, key, false);
    if (v == null) {
      return fallback;
    }
    if (v.equals("true") || v.equals("false")) {
      return Boolean.parseBoolean(v);
    }
    d.error(Doc.line(o, key), "'" + key + "' is true or false, not '" + v + "'");
    return fallback;
  }

  private static Playbook.Trigger trigger(Doc d, Doc.Obj root) {
    Doc.Obj on = d.obj(root, "on");
    if (on == null) {
      d.error(
          Doc.line(root, "on"), "missing 'on': say what triggers the playbook (alert, incident)");
      return new Playbook.Trigger(false, Set.of(), Set.of(), null, null, Set.of());
    }
    d.onlyKeys(on, "'on'", Set.of("alert", "incident"));
    boolean alerts = on.entries().containsKey("alert");
    Set<String> rules = Set.of();
    Set<String> tags = Set.of();
    String minLevel = null;
    String minRisk = null;
    Doc.Node a = on.entries().get("alert");
    if (a instanceof Doc.Obj ao) {
      d.onlyKeys(ao, "'on.alert'", Set.of("rules", "tags", "min_level", "identity_risk"));
      rules = new LinkedHashSet<>(d.strings(ao, "rules"));
      tags = new LinkedHashSet<>(d.strings(ao, "tags"));
      minLevel = d.string(ao, "min_level", false);
      if (minLevel != null && !AlertPolicy.LEVELS.contains(minLevel)) {
        d.error(
            Doc.line(ao, "min_level"),
            "min_level is one of " + AlertPolicy.LEVELS + ", not '" + minLevel + "'");
      }
      minRisk = d.string(ao, "identity_risk", false);
      if (minRisk != null && !Playbook.Trigger.RISK_LEVELS.contains(minRisk)) {
        d.error(
            Doc.line(ao, "identity_risk"),
            "identity_risk is one of "
                + Playbook.Trigger.RISK_LEVELS
                + " (the least risk of the alert's user), not '"
                + minRisk
                + "'");
      }
    } else if (a instanceof Doc.Scalar s && !s.value().equals("any") && !s.value().isEmpty()) {
      d.error(s.line(), "'alert' is 'any' or a mapping with rules, tags and min_level");
    } else if (a instanceof Doc.Seq s) {
      d.error(s.line(), "'alert' is 'any' or a mapping with rules, tags and min_level");
    }
    Set<String> incident = new LinkedHashSet<>();
    for (String e : d.strings(on, "incident")) {
      if (!INCIDENT_EVENTS.contains(e)) {
        d.error(
            Doc.line(on, "incident"),
            "incident events are "
                + new java.util.TreeSet<>(INCIDENT_EVENTS)
                + ", not '"
                + e
                + "'");
      }
      incident.add(e);
    }
    if (!alerts && incident.isEmpty()) {
      d.error(on.line(), "'on' needs 'alert' or 'incident'");
    }
    return new Playbook.Trigger(alerts, rules, tags, minLevel, minRisk, incident);
  }

  private static Step step(Doc d, Doc.Obj s, int i, Settings settings) {
    List<String> actions = new ArrayList<>();
    for (String k : s.entries().keySet()) {
      if (ACTIONS.contains(k)) {
        actions.add(k);
      } else if (!k.equals("name")) {
        d.error(
            Doc.line(s, k),
            "step "
                + i
                + ": unknown action '"
                + k
                + "'; actions are "
                + new java.util.TreeSet<>(ACTIONS));
        return null;
      }
    }
    if (actions.size() != 1) {
      d.error(
          s.line(),
          "step "
              + i
              + ": exactly one action ("
              + String.join(", ", new java.util.TreeSet<>(ACTIONS))
              + ") per step");
      return null;
    }
    String action = actions.get(0);
    String name = d.string(s, "name", false);
    if (name == null) {
      name = action + "-" + i;
    }
    Doc.Obj a = d.obj(s, action);
    if (a == null) {
      d.error(Doc.line(s, action), "step " + i + ": '" + action + "' needs its settings");
      return null;
    }
    String where = "step " + i + " (" + action + ")";
    return switch (action) {
      case "email" -> {
        d.onlyKeys(a, where, Set.of("to", "subject", "body"));
        if (settings.smtp() == null) {
          d.error(
              Doc.line(s, action),
              where + ": e-mail needs an SMTP server (response.smtp in the server config)");
        }
        List<Template> to = new ArrayList<>();
        for (String t : d.strings(a, "to")) {
          to.add(template(d, a, "to", t));
        }
        if (to.isEmpty()) {
          d.error(a.line(), where + ": 'to' lists at least one address");
        }
        yield new Step.Email(
            name,
            to,
            template(d, a, "subject", required(d, a, "subject")),
            template(d, a, "body", required(d, a, "body")));
      }
      case "webhook" -> {
        d.onlyKeys(
            a, where, Set.of("url", "secret_env", "secret_file", "retries", "backoff", "timeout"));
        yield new Step.Webhook(
            name,
            url(d, a, where),
            secret(d, a, where, settings),
            retries(d, a, where),
            d.duration(a, "backoff", Duration.ofSeconds(1)),
            d.duration(a, "timeout", Duration.ofSeconds(10)));
      }
      case "slack" -> {
        d.onlyKeys(a, where, Set.of("url", "text", "retries", "backoff"));
        yield new Step.Slack(
            name,
            url(d, a, where),
            template(d, a, "text", required(d, a, "text")),
            retries(d, a, where),
            d.duration(a, "backoff", Duration.ofSeconds(1)));
      }
      case "teams" -> {
        d.onlyKeys(a, where, Set.of("url", "title", "text", "retries", "backoff"));
        String title = d.string(a, "title", false);
        yield new Step.Teams(
            name,
            url(d, a, where),
            template(d, a, "title", title == null ? "Rampart: {{alert.title}}" : title),
            template(d, a, "text", required(d, a, "text")),
            retries(d, a, where),
            d.duration(a, "backoff", Duration.ofSeconds(1)));
      }
      case "blocklist" -> {
        d.onlyKeys(a, where, Set.of("list", "value"));
        String list = required(d, a, "list");
        if (!list.isEmpty() && !NAME.matcher(list).matches()) {
          d.error(Doc.line(a, "list"), where + ": a list name is letters, digits, '_', '.', '-'");
        }
        yield new Step.Blocklist(name, list, template(d, a, "value", required(d, a, "value")));
      }
      case "agent" -> {
        d.onlyKeys(a, where, Set.of("agent", "action", "args", "dry_run", "undo_after"));
        String command = required(d, a, "action");
        if (settings.agents() == null) {
          d.error(
              Doc.line(s, action),
              where + ": agents are off; the server config must set agents: {enabled: true}");
        } else if (!command.isEmpty() && !settings.agents().actions().contains(command)) {
          d.error(
              Doc.line(a, "action"),
              where
                  + ": action is one of "
                  + String.join(", ", new java.util.TreeSet<>(settings.agents().actions())));
        }
        java.util.Map<String, Template> args = new java.util.LinkedHashMap<>();
        Doc.Obj ar = d.obj(a, "args");
        if (ar != null) {
          for (String k : ar.entries().keySet()) {
            String v = d.string(ar, k, true);
            args.put(k, template(d, ar, k, v == null ? "" : v));
          }
        }
        yield new Step.AgentAction(
            name,
            template(d, a, "agent", required(d, a, "agent")),
            command,
            args,
            "true".equals(d.string(a, "dry_run", false)),
            d.duration(a, "undo_after", Duration.ZERO));
      }
      default -> {
        d.onlyKeys(a, where, Set.of("run", "timeout"));
        if (!settings.allowCommands()) {
          d.error(
              Doc.line(s, action),
              where
                  + ": local commands are off; the server config must set"
                  + " response.allow_commands: true");
        }
        List<Template> argv = new ArrayList<>();
        for (String t : d.strings(a, "run")) {
          argv.add(template(d, a, "run", t));
        }
        if (argv.isEmpty()) {
          d.error(a.line(), where + ": 'run' lists the program and its arguments");
        }
        yield new Step.Command(name, argv, d.duration(a, "timeout", Duration.ofSeconds(30)));
      }
    };
  }

  private static String required(Doc d, Doc.Obj a, String key) {
    String v = d.string(a, key, true);
    return v == null ? "" : v;
  }

  private static Template template(Doc d, Doc.Obj a, String key, String source) {
    List<String> unknown = new ArrayList<>();
    Template t = Template.of(source, unknown);
    for (String u : unknown) {
      d.error(
          Doc.line(a, key),
          "unknown placeholder {{" + u + "}}; known: " + String.join(", ", Template.NAMES));
    }
    return t;
  }

  private static String url(Doc d, Doc.Obj a, String where) {
    String url = required(d, a, "url");
    try {
      URI u = URI.create(url);
      if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
        d.error(Doc.line(a, "url"), where + ": url must be http:// or https:// with a host");
      }
    } catch (IllegalArgumentException e) {
      d.error(Doc.line(a, "url"), where + ": not a URL: " + e.getMessage());
    }
    return url;
  }

  private static int retries(Doc d, Doc.Obj a, String where) {
    String r = d.string(a, "retries", false);
    if (r == null) {
      return 3;
    }
    try {
      int n = Integer.parseInt(r);
      if (n >= 0 && n <= 10) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    d.error(Doc.line(a, "retries"), where + ": retries is 0..10, not '" + r + "'");
    return 3;
  }

  private static String secret(Doc d, Doc.Obj a, String where, Settings settings) {
    String env = d.string(a, "secret_env", false);
    String file = d.string(a, "secret_file", false);
    if (env != null && file != null) {
      d.error(a.line(), where + ": give secret_env or secret_file, not both");
      return null;
    }
    if (env != null) {
      String v = settings.secrets().apply(env);
      if (v == null || v.isEmpty()) {
        d.error(Doc.line(a, "secret_env"), where + ": environment variable " + env + " is not set");
      }
      return v;
    }
    if (file != null) {
      Path p = settings.base() == null ? Path.of(file) : settings.base().resolve(file);
      try {
        String v = Files.readString(p).strip();
        if (v.isEmpty()) {
          d.error(Doc.line(a, "secret_file"), where + ": " + p + " is empty");
        }
        return v;
      } catch (IOException e) {
        d.error(Doc.line(a, "secret_file"), where + ": cannot read " + p);
      }
    }
    return null;
  }
}
