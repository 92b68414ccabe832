package dev.rampart.ingest.server;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.rampart.core.io.Problem;
import dev.rampart.ingest.parse.ParseOptions;
import dev.rampart.ingest.parse.Parsers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The server's YAML configuration: where state lives, the pipeline, the spool and the inputs. Names
 * are snake_case; unknown keys are errors (a typo must not silently disable an input). Every
 * problem is collected with its file, line and the key, so one run lists them all. Secrets are
 * never written in the file: tokens and keystore passwords come from environment variables or files
 * that the config names. See docs/ingest-config.md.
 *
 * <pre>{@code
 * data: /var/lib/rampart
 * inputs:
 *   - {type: syslog-tcp, port: 6514}
 *   - {type: http, port: 9200, token_env: RAMPART_INGEST_TOKEN}
 * }</pre>
 */
// The platform's own sections of the same file (alert policy, playbooks, response, API, case
// database) are read by rampart-server's ServerConfig; ingestion leaves them alone.
@com.fasterxml.jackson.annotation.JsonIgnoreProperties({
  "alerting",
  "playbooks",
  "response",
  "api",
  "database",
  "oidc",
  "tenants",
  "anomalies",
  "correlation",
  "vulnerabilities",
  "agents",
  "kafka",
  "opensearch",
  "store",
  "reports"
})
public record IngestConfig(Path data, Pipeline pipeline, Spool spool, List<Input> inputs) {

  /**
   * The pipeline: default parser, queue capacity, parser threads (0: one per core), batch. A key
   * left out takes its default.
   */
  public record Pipeline(String parser, Integer queue, Integer workers, Integer batch) {
    static final Pipeline DEFAULTS = new Pipeline("auto", 65_536, 0, 1024);

    Pipeline withDefaults() {
      return new Pipeline(
          parser == null ? DEFAULTS.parser : parser,
          queue == null ? DEFAULTS.queue : queue,
          workers == null ? DEFAULTS.workers : workers,
          batch == null ? DEFAULTS.batch : batch);
    }
  }

  /** Spool segments and retention; a key left out takes its default. */
  public record Spool(
      @JsonProperty("segment_mb") Long segmentMb,
      @JsonProperty("retention_gb") Double retentionGb,
      @JsonProperty("retention_days") Double retentionDays,
      @JsonProperty("cache_mb") Long cacheMb) {
    static final Spool DEFAULTS =
        new Spool(64L, 10.0, 7.0, dev.rampart.ingest.spool.Spool.Options.DEFAULT_CACHE_BYTES >> 20);

    Spool withDefaults() {
      return new Spool(
          segmentMb == null ? DEFAULTS.segmentMb : segmentMb,
          retentionGb == null ? DEFAULTS.retentionGb : retentionGb,
          retentionDays == null ? DEFAULTS.retentionDays : retentionDays,
          cacheMb == null ? DEFAULTS.cacheMb : cacheMb);
    }
  }

  /**
   * One input. {@code type} is {@code syslog-tcp}, {@code syslog-tls}, {@code syslog-udp}, {@code
   * http} or {@code file}; the other keys apply to the types named in docs/ingest-config.md.
   */
  public record Input(
      String type,
      String name,
      String bind,
      Integer port,
      String parser,
      String keystore,
      @JsonProperty("keystore_password_env") String keystorePasswordEnv,
      @JsonProperty("keystore_password_file") Path keystorePasswordFile,
      @JsonProperty("token_env") String tokenEnv,
      @JsonProperty("token_file") Path tokenFile,
      @JsonProperty("max_body_mb") Integer maxBodyMb,
      String paths,
      @JsonProperty("first_line") String firstLine,
      @JsonProperty("poll_ms") Integer pollMs,
      @JsonProperty("max_open_files") Integer maxOpenFiles) {

    /** The name metrics and events carry: the configured one, else the type. */
    public String effectiveName() {
      return name != null ? name : type;
    }

    public String effectiveBind() {
      return bind != null ? bind : "127.0.0.1";
    }

    /** With relative file names taken from {@code base} (the config file's folder). */
    Input resolve(Path base) {
      return new Input(
          type,
          name,
          bind,
          port,
          parser,
          keystore == null ? null : base.resolve(keystore).toString(),
          keystorePasswordEnv,
          keystorePasswordFile == null ? null : base.resolve(keystorePasswordFile),
          tokenEnv,
          tokenFile == null ? null : base.resolve(tokenFile),
          maxBodyMb,
          paths == null ? null : base.resolve(paths).toString(),
          firstLine,
          pollMs,
          maxOpenFiles);
    }
  }

  static final Set<String> TYPES = Set.of("syslog-tcp", "syslog-tls", "syslog-udp", "http", "file");

  /** A configuration that cannot be used, with every problem found. */
  public static final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<Problem> problems;

    ConfigException(List<Problem> problems) {
      super(
          problems.size()
              + " problem(s) in the configuration:\n  "
              + String.join("\n  ", problems.stream().map(Problem::toString).toList()));
      this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
      return problems;
    }
  }

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  /** Reads and checks {@code file}; relative paths in it are taken from the file's folder. */
  public static IngestConfig load(Path file) throws IOException, ConfigException {
    IngestConfig raw;
    try {
      raw = YAML.readValue(Files.readString(file), IngestConfig.class);
    } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
      // The parser has moved past the key's value by now; the key's own line is the line of the
      // token that started the value's mapping entry, which Jackson reports as the location.
      JsonLocation at = e.getLocation();
      List<String> known = new ArrayList<>();
      for (Object k : e.getKnownPropertyIds()) {
        known.add(String.valueOf(k));
      }
      java.util.Collections.sort(known);
      throw new ConfigException(
          List.of(
              Problem.error(
                  file.toString(),
                  keyLine(file, e.getPropertyName(), at == null ? 0 : at.getLineNr()),
                  -1,
                  "at "
                      + path(e)
                      + ": unknown key '"
                      + e.getPropertyName()
                      + "'; known keys here: "
                      + String.join(", ", known))));
    } catch (JsonMappingException e) {
      JsonLocation at = e.getLocation();
      throw new ConfigException(
          List.of(
              Problem.error(
                  file.toString(),
                  at == null ? 0 : at.getLineNr(),
                  -1,
                  (e.getPathReference() == null ? "" : "at " + path(e) + ": ")
                      + e.getOriginalMessage().replaceAll(" \\(class [^)]*\\)", ""))));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new ConfigException(
          List.of(
              Problem.error(
                  file.toString(),
                  at == null ? 0 : at.getLineNr(),
                  -1,
                  "not valid YAML: " + e.getOriginalMessage())));
    }
    if (raw == null) {
      raw = new IngestConfig(null, null, null, null);
    }
    Path base = file.toAbsolutePath().getParent();
    IngestConfig c =
        new IngestConfig(
            base.resolve(raw.data() == null ? Path.of("data") : raw.data()).normalize(),
            raw.pipeline() == null ? Pipeline.DEFAULTS : raw.pipeline().withDefaults(),
            raw.spool() == null ? Spool.DEFAULTS : raw.spool().withDefaults(),
            raw.inputs() == null
                ? List.of()
                : raw.inputs().stream().map(i -> i == null ? null : i.resolve(base)).toList());
    List<Problem> problems = c.check(file.toString(), base);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return c;
  }

  /** The last line at or before {@code near} where {@code key:} starts a mapping entry. */
  private static int keyLine(Path file, String key, int near) throws IOException {
    List<String> lines = Files.readAllLines(file);
    java.util.regex.Pattern p =
        java.util.regex.Pattern.compile(
            "^(\\s*-)?\\s*\\{?.*?\\b" + java.util.regex.Pattern.quote(key) + "\\s*:");
    for (int i = Math.min(near, lines.size()); i >= 1; i--) {
      if (p.matcher(lines.get(i - 1)).find()) {
        return i;
      }
    }
    return near;
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        sb.append(sb.isEmpty() ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private List<Problem> check(String file, Path base) {
    List<Problem> problems = new ArrayList<>();
    java.util.function.Consumer<String> error = m -> problems.add(Problem.error(file, 0, -1, m));
    if (Parsers.named(pipeline.parser(), ParseOptions.defaults()) == null) {
      error.accept("pipeline.parser: no parser '" + pipeline.parser() + "' (rampart parsers list)");
    }
    if (pipeline.queue() < 1 || pipeline.workers() < 0 || pipeline.batch() < 1) {
      error.accept("pipeline: queue and batch must be at least 1, workers at least 0");
    }
    if (spool.segmentMb() < 1 || spool.retentionGb() <= 0 || spool.retentionDays() <= 0) {
      error.accept("spool: segment_mb, retention_gb and retention_days must be positive");
    }
    if (spool.cacheMb() < 0) {
      error.accept("spool: cache_mb must be at least 0 (0 keeps none of the spool cached)");
    }
    if (inputs.isEmpty()) {
      error.accept("inputs: none configured; add at least one (see docs/ingest-config.md)");
    }
    Set<String> names = new HashSet<>();
    Set<String> ports = new HashSet<>();
    for (int i = 0; i < inputs.size(); i++) {
      Input in = inputs.get(i);
      String at = "inputs[" + i + "]";
      if (in == null || in.type() == null || !TYPES.contains(in.type())) {
        error.accept(
            at
                + ".type: one of "
                + new java.util.TreeSet<>(TYPES)
                + " (got "
                + (in == null ? null : in.type())
                + ")");
        continue;
      }
      if (!names.add(in.effectiveName())) {
        error.accept(
            at + ".name: '" + in.effectiveName() + "' is used twice; give each input a name");
      }
      if (in.parser() != null && Parsers.named(in.parser(), ParseOptions.defaults()) == null) {
        error.accept(at + ".parser: no parser '" + in.parser() + "'");
      } else if (in.parser() != null
          && Parsers.named(in.parser(), ParseOptions.defaults()).joiner() != null) {
        // Their events span lines (auditd's records, Zeek's header): a file's tail joins them,
        // a network input passes one message at a time, so every line would fail there.
        if (!in.type().equals("file")) {
          error.accept(
              at
                  + ".parser: '"
                  + in.parser()
                  + "' joins several lines into one event, which only file inputs do; follow the"
                  + " file with a file input (or ship it as JSON)");
        } else if (in.firstLine() != null) {
          error.accept(
              at
                  + ".first_line: '"
                  + in.parser()
                  + "' joins its own lines into events; leave first_line out");
        }
      }
      boolean network = !in.type().equals("file");
      if (network) {
        if (in.port() == null || in.port() < 0 || in.port() > 65535) {
          error.accept(at + ".port: a port from 0 to 65535 is required for " + in.type());
        } else if (in.port() > 0
            && !ports.add((in.type().equals("syslog-udp") ? "udp:" : "tcp:") + in.port())) {
          error.accept(at + ".port: " + in.port() + " is used by another input");
        }
      } else if (in.paths() == null || in.paths().isBlank()) {
        error.accept(at + ".paths: a file or glob to follow is required for file inputs");
      }
      if (in.maxOpenFiles() != null && (network || in.maxOpenFiles() < 1)) {
        error.accept(
            at
                + ".max_open_files: "
                + (network ? "only file inputs keep files open" : "at least 1"));
      }
      if (in.type().equals("syslog-tls")) {
        if (in.keystore() == null) {
          error.accept(
              at + ".keystore: a PKCS#12 keystore with the server certificate is required");
        } else if (!Files.isReadable(base.resolve(in.keystore()))) {
          error.accept(at + ".keystore: cannot read " + base.resolve(in.keystore()));
        }
        if (in.keystorePasswordEnv() == null && in.keystorePasswordFile() == null) {
          error.accept(at + ": keystore_password_env or keystore_password_file is required");
        }
      }
      if (in.type().equals("http")) {
        if (in.tokenEnv() == null && in.tokenFile() == null) {
          error.accept(
              at + ": token_env or token_file is required (senders authenticate with that token)");
        }
        if (in.maxBodyMb() != null && in.maxBodyMb() < 1) {
          error.accept(at + ".max_body_mb: at least 1");
        }
      }
      if (in.firstLine() != null) {
        try {
          com.google.re2j.Pattern.compile(in.firstLine());
        } catch (com.google.re2j.PatternSyntaxException e) {
          error.accept(
              at
                  + ".first_line: not an RE2 regex ("
                  + e.getDescription()
                  + "; no backreferences or lookaround)");
        }
      }
    }
    return problems;
  }
}
