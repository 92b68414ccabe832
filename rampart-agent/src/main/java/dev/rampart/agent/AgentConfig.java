package dev.rampart.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rampart.agent.wal.AgentWal;
import dev.rampart.core.time.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The agent's configuration file (YAML): where it keeps its state, the write-ahead log's bound,
 * what file integrity monitoring watches, which logs it forwards, and how often it reports
 * inventory, configuration checks and heartbeats. Every problem is collected with its key, and
 * unknown keys are problems (a misspelt key silently ignored is a monitoring gap).
 *
 * <pre>
 * data: /var/lib/rampart-agent
 * wal: {max_mb: 256, when_full: refuse}      # or drop_oldest
 * fim: {paths: [/etc, /usr/bin], exclude: ["*.swp"], scan_every: 12h, full_rehash_every: 7d}
 * logs:
 *   - {path: /var/log/auth.log, parser: syslog}
 *   - {path: /var/log/audit/audit.log, parser: auditd}
 *   - {path: /var/log/app.log, parser: kv, parse_on: server}
 * journald: {enabled: true, command: journalctl}
 * inventory_every: 6h
 * sca_every: 12h
 * heartbeat_every: 30s
 * response: {allow: [block_ip, kill_process, disable_user, isolate]}   # none by default
 * </pre>
 */
public record AgentConfig(
    Path data,
    AgentWal.Options wal,
    Fim fim,
    List<Log> logs,
    Journald journald,
    Duration inventoryEvery,
    Duration scaEvery,
    Path scaPolicy,
    Duration heartbeatEvery,
    java.util.Set<dev.rampart.agent.response.Action> allow) {

  /**
   * Paths watched in real time, exclusions, how often the safety-net scan runs and how often it
   * re-hashes every file (not trusting size, times and inode), and how many paths may be judged per
   * second before the rest wait.
   */
  public record Fim(
      List<Path> paths,
      List<String> exclude,
      Duration scanEvery,
      Duration fullRehashEvery,
      int maxEventsPerSecond) {}

  /**
   * A log file (glob) to follow, the parser that reads it, and where: on the agent (the default) or
   * on the server ({@code parse_on: server}: lines travel as they are, the server parses them).
   */
  public record Log(String path, String parser, boolean parseOnServer) {
    public Log(String path, String parser) {
      this(path, parser, false);
    }
  }

  /** The systemd journal through {@code journalctl -o json --follow}. */
  public record Journald(boolean enabled, String command) {}

  /** The file cannot be used: every problem, each with its key. */
  public static final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;
    public final List<String> problems;

    ConfigException(List<String> problems) {
      super(String.join("; ", problems));
      this.problems = List.copyOf(problems);
    }
  }

  public static AgentConfig defaults(Path data) {
    return new AgentConfig(
        data,
        AgentWal.Options.DEFAULTS,
        new Fim(List.of(), List.of(), Duration.ofHours(12), Duration.ofDays(7), 500),
        List.of(),
        new Journald(false, "journalctl"),
        Duration.ofHours(6),
        Duration.ofHours(12),
        null,
        Duration.ofSeconds(30),
        java.util.Set.of());
  }

  public static AgentConfig load(Path file) throws IOException, ConfigException {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ConfigException(List.of(file + ": not YAML: " + e.getOriginalMessage()));
    }
    return parse(file, root);
  }

  static AgentConfig parse(Path file, JsonNode root) throws ConfigException {
    List<String> problems = new ArrayList<>();
    if (root == null || !root.isObject()) {
      throw new ConfigException(List.of(file + ": a mapping of settings expected"));
    }
    keys(
        root,
        "",
        Set.of(
            "data",
            "wal",
            "fim",
            "logs",
            "journald",
            "inventory_every",
            "sca_every",
            "sca_policy",
            "heartbeat_every",
            "response"),
        problems);
    String dataText = root.path("data").asText("");
    if (dataText.isEmpty()) {
      problems.add("data: the agent's state folder is required (e.g. /var/lib/rampart-agent)");
    }
    AgentConfig d = defaults(Path.of(dataText.isEmpty() ? "." : dataText));
    AgentWal.Options wal = d.wal();
    JsonNode w = root.path("wal");
    if (w.isObject()) {
      keys(w, "wal.", Set.of("max_mb", "when_full"), problems);
      long maxMb = w.path("max_mb").asLong(wal.maxBytes() >> 20);
      if (maxMb < 16) {
        problems.add("wal.max_mb: at least 16");
      }
      AgentWal.WhenFull when = wal.whenFull();
      if (w.has("when_full")) {
        try {
          when = AgentWal.WhenFull.valueOf(w.get("when_full").asText().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          problems.add("wal.when_full: refuse or drop_oldest");
        }
      }
      wal = new AgentWal.Options(maxMb << 20, when, wal.segmentBytes());
    }
    Fim fim = d.fim();
    JsonNode f = root.path("fim");
    if (f.isObject()) {
      keys(
          f,
          "fim.",
          Set.of("paths", "exclude", "scan_every", "full_rehash_every", "max_events_per_s"),
          problems);
      List<Path> paths = new ArrayList<>();
      for (String p : strings(f.path("paths"), "fim.paths", problems)) {
        if (!p.startsWith("/")) {
          problems.add("fim.paths: " + p + " is not an absolute path");
        }
        paths.add(Path.of(p));
      }
      int rate = f.path("max_events_per_s").asInt(fim.maxEventsPerSecond());
      if (rate < 1) {
        problems.add("fim.max_events_per_s: at least 1");
      }
      fim =
          new Fim(
              paths,
              strings(f.path("exclude"), "fim.exclude", problems),
              duration(f, "scan_every", "fim.", fim.scanEvery(), problems),
              duration(f, "full_rehash_every", "fim.", fim.fullRehashEvery(), problems),
              Math.max(1, rate));
    }
    List<Log> logs = new ArrayList<>();
    JsonNode l = root.path("logs");
    if (!l.isMissingNode() && !l.isArray()) {
      problems.add("logs: a list of {path, parser}");
    }
    for (int i = 0; l.isArray() && i < l.size(); i++) {
      JsonNode x = l.get(i);
      keys(x, "logs[" + i + "].", Set.of("path", "parser", "parse_on"), problems);
      String path = x.path("path").asText("");
      if (path.isEmpty()) {
        problems.add("logs[" + i + "].path: required");
      }
      String parser = x.path("parser").asText("auto");
      if (dev.rampart.ingest.parse.Parsers.named(
              parser, dev.rampart.ingest.parse.ParseOptions.defaults())
          == null) {
        problems.add("logs[" + i + "].parser: no parser " + parser);
      }
      String on = x.path("parse_on").asText("agent");
      if (!on.equals("agent") && !on.equals("server")) {
        problems.add("logs[" + i + "].parse_on: agent or server");
      }
      logs.add(new Log(path, parser, on.equals("server")));
    }
    Journald journald = d.journald();
    JsonNode j = root.path("journald");
    if (j.isObject()) {
      keys(j, "journald.", Set.of("enabled", "command"), problems);
      journald =
          new Journald(j.path("enabled").asBoolean(false), j.path("command").asText("journalctl"));
    }
    java.util.Set<dev.rampart.agent.response.Action> allow =
        java.util.EnumSet.noneOf(dev.rampart.agent.response.Action.class);
    JsonNode resp = root.path("response");
    if (resp.isObject()) {
      keys(resp, "response.", Set.of("allow"), problems);
      for (String a : strings(resp.path("allow"), "response.allow", problems)) {
        var action = dev.rampart.agent.response.Action.of(a);
        if (action == null) {
          problems.add(
              "response.allow: no action "
                  + a
                  + " (known: "
                  + String.join(", ", dev.rampart.agent.response.Action.ids())
                  + ")");
        } else {
          allow.add(action);
        }
      }
    }
    String policy = root.path("sca_policy").asText(null);
    AgentConfig c =
        new AgentConfig(
            d.data(),
            wal,
            fim,
            List.copyOf(logs),
            journald,
            duration(root, "inventory_every", "", d.inventoryEvery(), problems),
            duration(root, "sca_every", "", d.scaEvery(), problems),
            policy == null ? null : Path.of(policy),
            duration(root, "heartbeat_every", "", d.heartbeatEvery(), problems),
            java.util.Set.copyOf(allow));
    if (!problems.isEmpty()) {
      List<String> named = new ArrayList<>();
      for (String p : problems) {
        named.add(file + ": " + p);
      }
      throw new ConfigException(named);
    }
    return c;
  }

  private static void keys(JsonNode o, String prefix, Set<String> allowed, List<String> problems) {
    if (!o.isObject()) {
      problems.add(prefix + ": a mapping expected");
      return;
    }
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!allowed.contains(k)) {
        problems.add(prefix + k + ": unknown key (known: " + String.join(", ", allowed) + ")");
      }
    }
  }

  private static List<String> strings(JsonNode n, String key, List<String> problems) {
    List<String> out = new ArrayList<>();
    if (n.isMissingNode() || n.isNull()) {
      return out;
    }
    if (!n.isArray()) {
      problems.add(key + ": a list expected");
      return out;
    }
    n.forEach(x -> out.add(x.asText()));
    return out;
  }

  private static Duration duration(
      JsonNode o, String key, String prefix, Duration fallback, List<String> problems) {
    if (!o.has(key)) {
      return fallback;
    }
    Duration d = Durations.parse(o.get(key).asText());
    if (d == null || d.isZero()) {
      problems.add(prefix + key + ": a duration such as 30s, 10m, 6h");
      return fallback;
    }
    return d;
  }
}
