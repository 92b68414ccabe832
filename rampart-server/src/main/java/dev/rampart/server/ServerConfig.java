package dev.rampart.server;

import dev.rampart.alerting.anomaly.Anomalies;
import dev.rampart.cases.yaml.Doc;
import dev.rampart.playbooks.playbook.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The platform's sections of the server config file (the ingestion sections are read by {@code
 * IngestConfig}): the alert policy file, the playbook folder, what response steps may use, and the
 * REST API. Every key is optional; docs/ingest-config.md shows them all.
 *
 * @param alerting the alert policy file (null: defaults)
 * @param playbooks the playbook folder (null: none)
 * @param response SMTP and whether local commands may run
 * @param api where the REST API listens and how its token is found
 * @param database where incidents, exceptions, the audit trail and playbook runs live
 * @param tenants which tenant owns each input (input name → tenant); events of other inputs, and
 *     their alerts and incidents, belong to {@code default}
 */
public record ServerConfig(
    Path alerting,
    Path playbooks,
    Response response,
    Api api,
    Database database,
    dev.rampart.auth.oidc.Oidc.Options oidc,
    java.util.Map<String, String> tenants,
    dev.rampart.alerting.anomaly.Anomalies.Config anomalies,
    Correlation correlation,
    Vulnerabilities vulnerabilities,
    Agents agents,
    Kafka kafka,
    OpenSearch opensearch,
    Store store,
    List<dev.rampart.server.report.ScheduledReports.Schedule> reports) {
  /**
   * The embedded event store (the {@code store:} section): retention applied by the server (whole
   * days older than {@code maxAge}, then the oldest while larger than {@code maxBytes}; null and 0:
   * keep everything), field types for fields not yet mapped (including {@code none}: kept in the
   * stored event, not indexed), and the indexing buffer per open day.
   */
  public record Store(
      java.time.Duration maxAge,
      long maxBytes,
      Map<String, dev.rampart.store.mapping.FieldType> mapping,
      int bufferMb) {
    public static final Store DEFAULTS =
        new Store(
            null,
            0,
            Map.of(),
            (int) dev.rampart.store.index.Indexer.Options.defaults().ramBufferMb());

    public Store {
      mapping = Map.copyOf(mapping);
    }

    public boolean retains() {
      return maxAge != null || maxBytes > 0;
    }

    public dev.rampart.store.StoreOptions options() {
      dev.rampart.store.StoreOptions d = dev.rampart.store.StoreOptions.defaults();
      return new dev.rampart.store.StoreOptions(
          new dev.rampart.store.index.Indexer.Options(d.indexer().threads(), bufferMb),
          mapping,
          d.commitEvery());
    }
  }

  /**
   * OpenSearch as an event store (the {@code opensearch:} section; null: none): with {@code index}
   * the server feeds it from the events topic (so the {@code kafka:} section is needed), with
   * {@code search} the console's and the API's searches run there.
   */
  public record OpenSearch(
      List<String> urls,
      String indexPrefix,
      String user,
      String password,
      int replicas,
      boolean index,
      boolean search) {
    public dev.rampart.opensearch.OpenSearchOptions options() {
      return new dev.rampart.opensearch.OpenSearchOptions(
          urls, indexPrefix, user, password, replicas, 5_000, 8 << 20);
    }

    @Override
    public String toString() {
      return "OpenSearch" + urls; // never the password
    }
  }

  /**
   * Kafka (the {@code kafka:} section; null: none): the spool's events are forwarded to a topic,
   * alerts of the scale-out detection job are read from one, the rules in force are published to a
   * compacted one. {@code client} holds the client properties (TLS, SASL), from the section's
   * {@code properties} and {@code properties_file}.
   */
  public record Kafka(
      String eventsTopic,
      String deadLetterTopic,
      String alertsTopic,
      String rulesTopic,
      boolean readCommitted,
      Map<String, Object> client) {
    @Override
    public String toString() {
      return "Kafka[" + client.get("bootstrap.servers") + "]"; // never the properties: secrets
    }
  }

  /**
   * The agents' port (the {@code agents:} section): off unless enabled; mutual TLS always; an
   * active agent not heard from for {@code silentAfter} raises an alert.
   *
   * @param port 0 picks a free port (written to DATA/ports.json as "agents")
   */
  public record Agents(
      boolean enabled, String bind, int port, java.time.Duration silentAfter, int maxBatchMb) {
    public static final Agents DEFAULTS =
        new Agents(false, "0.0.0.0", 8444, java.time.Duration.ofMinutes(5), 16);
  }

  /**
   * Vulnerability management: remediation deadlines per severity and which new findings become
   * alerts (the {@code vulnerabilities:} section).
   */
  public record Vulnerabilities(
      dev.rampart.vuln.track.SlaPolicy sla,
      dev.rampart.server.vuln.VulnService.AlertPolicy alerts,
      dev.rampart.server.vuln.NetworkScans.Policy scans) {
    public static final Vulnerabilities DEFAULTS =
        new Vulnerabilities(
            dev.rampart.vuln.track.SlaPolicy.DEFAULTS,
            dev.rampart.server.vuln.VulnService.AlertPolicy.DEFAULTS,
            dev.rampart.server.vuln.NetworkScans.Policy.DEFAULTS);
  }

  /**
   * Bounds on streaming correlation: open groups per correlation rule (the least recently active is
   * evicted, counted in {@code rampart_correlation_groups_evicted_total}), signals held per group,
   * and how late an event may arrive before its windows are judged.
   */
  public record Correlation(int maxGroups, int maxSignalsPerGroup, java.time.Duration lateness) {
    public static final Correlation DEFAULTS =
        new Correlation(100_000, 10_000, java.time.Duration.ofSeconds(60));

    public dev.rampart.sigma.correlate.Correlator.Options options() {
      return new dev.rampart.sigma.correlate.Correlator.Options(
          maxGroups, maxSignalsPerGroup, lateness.toNanos(), null);
    }
  }

  /** The tenant of inputs no tenant claims. */
  public static final String DEFAULT_TENANT = dev.rampart.alerting.alert.Alert.DEFAULT_TENANT;

  public ServerConfig {
    tenants = java.util.Map.copyOf(tenants);
    reports = List.copyOf(reports);
  }

  /** The tenant of events that came through {@code input}. */
  public String tenantOf(String input) {
    return input == null ? DEFAULT_TENANT : tenants.getOrDefault(input, DEFAULT_TENANT);
  }

  /**
   * The case database: null URL means SQLite in DATA/cases.db; otherwise a JDBC URL such as {@code
   * jdbc:postgresql://db:5432/rampart}, with a user and a password from the environment or a file.
   */
  public record Database(String url, String user, String password) {
    @Override
    public String toString() {
      return "Database[" + (url == null ? "sqlite" : url) + "]";
    }
  }

  /** What response steps may use. */
  public record Response(Settings.Smtp smtp, boolean allowCommands) {}

  /**
   * The REST API.
   *
   * @param enabled false when the config says {@code api: {enabled: false}}
   * @param port 0 picks a free port (written to DATA/ports.json as "api")
   * @param token from token_env or token_file; null: made at first start in DATA/api-token
   * @param maxBodyKb requests with larger bodies get 413
   */
  /**
   * @param publicUrl the console's address as people reach it ({@code https://rampart.example.org},
   *     no trailing slash), for links in the mails the server sends; null: mails carry no link
   */
  public record Api(
      boolean enabled,
      String bind,
      int port,
      String token,
      int maxBodyKb,
      Tls tls,
      String publicUrl) {
    /** Whether the API serves TLS: as configured, else on unless it listens on loopback only. */
    public boolean tlsOn() {
      return tls.enabled() != null
          ? tls.enabled()
          : !(bind.equals("127.0.0.1") || bind.equals("::1") || bind.equals("localhost"));
    }

    @Override
    public String toString() {
      return "Api[" + bind + ":" + port + (enabled ? "" : ", off") + "]";
    }
  }

  /**
   * TLS for the API.
   *
   * @param enabled null: on unless the API listens on loopback only
   * @param keystore a PKCS#12 file with the key and certificate; null: self-signed, made at first
   *     start in DATA/tls/
   * @param password the keystore's password (from password_env or password_file)
   */
  public record Tls(Boolean enabled, Path keystore, String password) {
    @Override
    public String toString() {
      return "Tls[" + enabled + ", " + keystore + "]";
    }
  }

  public static ServerConfig defaults() {
    return new ServerConfig(
        null,
        null,
        new Response(null, false),
        new Api(true, "127.0.0.1", 8080, null, 1024, new Tls(null, null, null), null),
        new Database(null, null, null),
        null,
        java.util.Map.of(),
        dev.rampart.alerting.anomaly.Anomalies.Config.DEFAULTS,
        Correlation.DEFAULTS,
        Vulnerabilities.DEFAULTS,
        Agents.DEFAULTS,
        null,
        null,
        Store.DEFAULTS,
        List.of());
  }

  /** The config's mistakes, each with file and line. */
  public static final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    ConfigException(List<Doc.Problem> problems) {
      super(
          problems.size()
              + " problem(s) in the configuration:\n  "
              + String.join("\n  ", problems.stream().map(Doc.Problem::toString).toList()));
    }
  }

  public static ServerConfig load(Path file) throws IOException, ConfigException {
    return parse(file, Files.readString(file), System.getenv()::get);
  }

  /** Parses the platform sections of {@code yaml}; relative paths are from the file's folder. */
  public static ServerConfig parse(Path file, String yaml, Function<String, String> env)
      throws ConfigException {
    Doc d = new Doc(file.toString());
    Doc.Obj root = d.parse(yaml);
    if (root == null) {
      throw new ConfigException(d.problems());
    }
    Path base = file.toAbsolutePath().getParent();
    ServerConfig def = defaults();
    String alerting = d.string(root, "alerting", false);
    String playbooks = d.string(root, "playbooks", false);
    Response response = def.response();
    Doc.Obj r = d.obj(root, "response");
    if (r != null) {
      d.onlyKeys(r, "response", Set.of("smtp", "allow_commands"));
      Settings.Smtp smtp = null;
      Doc.Obj s = d.obj(r, "smtp");
      if (s != null) {
        d.onlyKeys(
            s,
            "response.smtp",
            Set.of("host", "port", "from", "username", "password_env", "password_file", "tls"));
        String host = d.string(s, "host", true);
        int port = integer(d, s, "port", 25, 1, 65535);
        String from = d.string(s, "from", true);
        String user = d.string(s, "username", false);
        String password = secret(d, s, "password_env", "password_file", env, base);
        if (user != null && password == null) {
          d.error(s.line(), "response.smtp: a username needs password_env or password_file");
        }
        smtp =
            new Settings.Smtp(
                host, port, from, user, password, "true".equals(d.string(s, "tls", false)));
      }
      response = new Response(smtp, "true".equals(d.string(r, "allow_commands", false)));
    }
    Api api = def.api();
    Doc.Obj a = d.obj(root, "api");
    if (a != null) {
      d.onlyKeys(
          a,
          "api",
          Set.of(
              "enabled",
              "bind",
              "port",
              "token_env",
              "token_file",
              "max_body_kb",
              "tls",
              "public_url"));
      String bind = d.string(a, "bind", false);
      String publicUrl = d.string(a, "public_url", false);
      if (publicUrl != null) {
        publicUrl = publicUrl.strip().replaceAll("/+$", "");
        if (!publicUrl.matches("https?://[^\\s/?#]+(/[^\\s?#]*)?")) {
          d.error(
              Doc.line(a, "public_url"),
              "api.public_url: the console's address, such as https://rampart.example.org, not '"
                  + publicUrl
                  + "'");
          publicUrl = null;
        }
      }
      api =
          new Api(
              !"false".equals(d.string(a, "enabled", false)),
              bind == null ? api.bind() : bind,
              integer(d, a, "port", api.port(), 0, 65535),
              secret(d, a, "token_env", "token_file", env, base),
              integer(d, a, "max_body_kb", api.maxBodyKb(), 1, 65536),
              tls(d, a, env, base),
              publicUrl);
      if (api.token() != null && api.token().length() < 16) {
        d.error(Doc.line(a, "token_env"), "api: the token must have at least 16 characters");
      }
    }
    Database database = def.database();
    Doc.Obj db = d.obj(root, "database");
    if (db != null) {
      d.onlyKeys(db, "database", Set.of("url", "user", "password_env", "password_file"));
      String url = d.string(db, "url", true);
      if (url != null && !url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:sqlite:")) {
        d.error(Doc.line(db, "url"), "database.url is a jdbc:postgresql: or jdbc:sqlite: URL");
      }
      database =
          new Database(
              url,
              d.string(db, "user", false),
              secret(d, db, "password_env", "password_file", env, base));
    }
    dev.rampart.auth.oidc.Oidc.Options oidc = null;
    Doc.Obj od = d.obj(root, "oidc");
    if (od != null) {
      d.onlyKeys(
          od,
          "oidc",
          Set.of(
              "issuer",
              "client_id",
              "client_secret_env",
              "client_secret_file",
              "redirect_uri",
              "groups_claim",
              "roles",
              "default_role"));
      String issuer = d.string(od, "issuer", true);
      String redirect = d.string(od, "redirect_uri", true);
      for (String k : new String[] {"issuer", "redirect_uri"}) {
        String v = k.equals("issuer") ? issuer : redirect;
        if (v != null
            && !v.startsWith("https://")
            && !v.startsWith("http://127.0.0.1")
            && !v.startsWith("http://localhost")) {
          d.error(
              Doc.line(od, k), "oidc." + k + " must be https:// (plain http only on localhost)");
        }
      }
      String secret = secret(d, od, "client_secret_env", "client_secret_file", env, base);
      if (secret == null) {
        d.error(
            od.line(),
            "oidc: the client secret comes from client_secret_env or client_secret_file");
      }
      java.util.Map<String, String> roles = new java.util.LinkedHashMap<>();
      Doc.Obj rm = d.obj(od, "roles");
      if (rm != null) {
        for (String group : rm.entries().keySet()) {
          String role = d.string(rm, group, true);
          if (role != null) {
            roles.put(group, role);
          }
        }
      }
      String groupsClaim = d.string(od, "groups_claim", false);
      oidc =
          new dev.rampart.auth.oidc.Oidc.Options(
              issuer,
              d.string(od, "client_id", true),
              secret,
              redirect,
              groupsClaim == null ? "groups" : groupsClaim,
              roles,
              d.string(od, "default_role", false));
    }
    java.util.Map<String, String> tenants = new java.util.LinkedHashMap<>();
    Doc.Obj tn = d.obj(root, "tenants");
    if (tn != null) {
      for (String tenant : tn.entries().keySet()) {
        if (!tenant.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
          d.error(
              Doc.line(tn, tenant),
              "tenants: '" + tenant + "' is not a tenant name (letters, digits, _ . -)");
        }
        for (String input : d.strings(tn, tenant)) {
          String before = tenants.put(input, tenant);
          if (before != null && !before.equals(tenant)) {
            d.error(
                Doc.line(tn, tenant),
                "tenants: input '" + input + "' is claimed by " + before + " and " + tenant);
          }
        }
      }
    }
    dev.rampart.alerting.anomaly.Anomalies.Config anomalies = anomalies(d, root);
    // read before the problems are judged, so their mistakes are reported too
    Correlation correlation = correlation(d, root);
    Vulnerabilities vulnerabilities = vulnerabilities(d, root);
    Agents agents = agents(d, root);
    Kafka kafka = kafka(d, root, base);
    OpenSearch opensearch = opensearch(d, root, base, kafka);
    Store store = store(d, root);
    List<dev.rampart.server.report.ScheduledReports.Schedule> reports = reports(d, root, response);
    if (!d.problems().isEmpty()) {
      throw new ConfigException(d.problems());
    }
    return new ServerConfig(
        alerting == null ? null : base.resolve(alerting),
        playbooks == null ? null : base.resolve(playbooks),
        response,
        api,
        database,
        oidc,
        tenants,
        anomalies,
        correlation,
        vulnerabilities,
        agents,
        kafka,
        opensearch,
        store,
        reports);
  }

  private static final java.util.regex.Pattern MAILBOX =
      java.util.regex.Pattern.compile("[^@\\s<>,;]+@[^@\\s<>,;]+\\.[^@\\s<>,;]+");
  private static final java.util.regex.Pattern TENANT =
      java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  private static List<dev.rampart.server.report.ScheduledReports.Schedule> reports(
      Doc d, Doc.Obj root, Response response) {
    List<dev.rampart.server.report.ScheduledReports.Schedule> out = new java.util.ArrayList<>();
    for (Doc.Node n : d.list(root, "reports")) {
      if (!(n instanceof Doc.Obj o)) {
        d.error(n.line(), "reports lists mappings: {to, every, tenants}");
        continue;
      }
      d.onlyKeys(o, "reports", Set.of("to", "every", "tenants"));
      List<String> to = d.strings(o, "to");
      if (to.isEmpty()) {
        d.error(Doc.line(o, "to"), "reports.to: at least one e-mail address");
      }
      for (String a : to) {
        if (!MAILBOX.matcher(a).matches()) {
          d.error(Doc.line(o, "to"), "reports.to: '" + a + "' is not an e-mail address");
        }
      }
      java.time.Duration every = d.duration(o, "every", java.time.Duration.ofDays(7));
      if (every.toMillis() % 86_400_000L != 0 || every.toDays() < 1 || every.toDays() > 366) {
        d.error(
            Doc.line(o, "every"),
            "reports.every: whole days from 1d to 366d (1d: daily, 7d: weekly on Mondays)");
      }
      List<String> tenants = d.strings(o, "tenants");
      for (String t : tenants) {
        if (!TENANT.matcher(t).matches()) {
          d.error(Doc.line(o, "tenants"), "reports.tenants: '" + t + "' is not a tenant name");
        }
      }
      if (response.smtp() == null) {
        d.error(o.line(), "reports: e-mailing a report needs response.smtp (the mail server)");
      }
      out.add(new dev.rampart.server.report.ScheduledReports.Schedule(to, every, tenants));
    }
    return out;
  }

  private static Store store(Doc d, Doc.Obj root) {
    Doc.Obj o = d.obj(root, "store");
    if (o == null) {
      return Store.DEFAULTS;
    }
    d.onlyKeys(o, "store", Set.of("retention", "mapping", "buffer_mb"));
    java.time.Duration maxAge = null;
    long maxBytes = 0;
    Doc.Obj r = d.obj(o, "retention");
    if (r != null) {
      d.onlyKeys(r, "store.retention", Set.of("max_age", "max_size"));
      maxAge = d.duration(r, "max_age", null);
      String size = d.string(r, "max_size", false);
      if (size != null) {
        try {
          maxBytes = dev.rampart.store.StoreOptions.bytes(size);
        } catch (IllegalArgumentException e) {
          d.error(Doc.line(r, "max_size"), "store.retention.max_size: " + e.getMessage());
        }
      }
    }
    Map<String, dev.rampart.store.mapping.FieldType> mapping = new java.util.LinkedHashMap<>();
    Doc.Obj m = d.obj(o, "mapping");
    if (m != null) {
      for (String field : m.entries().keySet()) {
        String type = d.string(m, field, true);
        dev.rampart.store.mapping.FieldType t =
            type == null ? null : dev.rampart.store.mapping.FieldType.parse(type);
        if (t == null) {
          d.error(
              Doc.line(m, field),
              "store.mapping."
                  + field
                  + ": a type, one of keyword, text, long, double, date, ip, boolean, none");
        } else {
          mapping.put(field, t);
        }
      }
    }
    return new Store(
        maxAge, maxBytes, mapping, integer(d, o, "buffer_mb", Store.DEFAULTS.bufferMb(), 16, 2048));
  }

  private static OpenSearch opensearch(Doc d, Doc.Obj root, Path base, Kafka kafka) {
    Doc.Obj o = d.obj(root, "opensearch");
    if (o == null) {
      return null;
    }
    d.onlyKeys(
        o,
        "opensearch",
        Set.of("urls", "index_prefix", "user", "password_file", "replicas", "index", "search"));
    // a list, or one string of comma-separated URLs
    List<String> urls = new java.util.ArrayList<>();
    for (String u : d.strings(o, "urls")) {
      for (String part : u.split(",")) {
        if (!part.isBlank()) {
          urls.add(part.strip());
        }
      }
    }
    if (urls.isEmpty()) {
      d.error(Doc.line(o, "urls"), "opensearch.urls: at least one, https://os-1:9200");
    }
    for (String u : urls) {
      if (!u.startsWith("http://") && !u.startsWith("https://")) {
        d.error(Doc.line(o, "urls"), "opensearch.urls: '" + u + "' is not an http(s) URL");
      }
    }
    String prefix = d.string(o, "index_prefix", false);
    String user = d.string(o, "user", false);
    String password = null;
    String file = d.string(o, "password_file", false);
    if (file != null) {
      try {
        password = Files.readString(base.resolve(file)).strip(); // never in the YAML itself
      } catch (IOException e) {
        d.error(Doc.line(o, "password_file"), "opensearch.password_file: " + e.getMessage());
      }
    } else if (System.getenv("RAMPART_OPENSEARCH_PASSWORD") != null) {
      password = System.getenv("RAMPART_OPENSEARCH_PASSWORD");
    }
    String replicas = d.string(o, "replicas", false);
    int r = 1;
    if (replicas != null) {
      try {
        r = Integer.parseInt(replicas);
      } catch (NumberFormatException e) {
        d.error(Doc.line(o, "replicas"), "opensearch.replicas: a number, not '" + replicas + "'");
      }
    }
    boolean index = !"false".equals(d.string(o, "index", false));
    boolean search = !"false".equals(d.string(o, "search", false));
    if (index && kafka == null) {
      d.error(
          Doc.line(o, "index"),
          "opensearch.index: OpenSearch is fed from the events topic: add a kafka: section, or"
              + " set index: false when something else feeds it");
    }
    if (urls.isEmpty()) {
      return null;
    }
    return new OpenSearch(
        List.copyOf(urls),
        prefix == null ? "rampart-events" : prefix,
        user,
        password,
        r,
        index,
        search);
  }

  private static Kafka kafka(Doc d, Doc.Obj root, Path base) {
    Doc.Obj k = d.obj(root, "kafka");
    if (k == null) {
      return null;
    }
    d.onlyKeys(
        k,
        "kafka",
        Set.of(
            "bootstrap_servers",
            "events_topic",
            "dead_letter_topic",
            "alerts_topic",
            "rules_topic",
            "read_committed",
            "properties",
            "properties_file"));
    Map<String, Object> client = new java.util.LinkedHashMap<>();
    String servers = d.string(k, "bootstrap_servers", true);
    if (servers != null) {
      client.put("bootstrap.servers", servers);
    }
    Doc.Obj props = d.obj(k, "properties");
    if (props != null) {
      for (String key : props.entries().keySet()) {
        client.put(key, d.string(props, key, true));
      }
    }
    String file = d.string(k, "properties_file", false);
    if (file != null) {
      java.util.Properties p = new java.util.Properties();
      try (var r = Files.newBufferedReader(base.resolve(file))) {
        p.load(r); // secrets (sasl.jaas.config, key store passwords) stay out of the YAML
      } catch (IOException e) {
        d.error(Doc.line(k, "properties_file"), "kafka.properties_file: " + e.getMessage());
      }
      p.forEach((a, b) -> client.put(String.valueOf(a), String.valueOf(b)));
    }
    String events = d.string(k, "events_topic", false);
    String dead = d.string(k, "dead_letter_topic", false);
    String alerts = d.string(k, "alerts_topic", false);
    String rules = d.string(k, "rules_topic", false);
    return new Kafka(
        events == null ? "rampart.events" : events,
        dead == null ? "rampart.events.dlq" : dead,
        alerts == null ? "rampart.alerts" : alerts,
        rules == null ? "rampart.rules" : rules,
        !"false".equals(d.string(k, "read_committed", false)),
        Map.copyOf(client));
  }

  private static Agents agents(Doc d, Doc.Obj root) {
    Doc.Obj a = d.obj(root, "agents");
    if (a == null) {
      return Agents.DEFAULTS;
    }
    Agents def = Agents.DEFAULTS;
    d.onlyKeys(a, "agents", Set.of("enabled", "bind", "port", "silent_after", "max_batch_mb"));
    String bind = d.string(a, "bind", false);
    return new Agents(
        !"false".equals(d.string(a, "enabled", false)),
        bind == null ? def.bind() : bind,
        integer(d, a, "port", def.port(), 0, 65535),
        d.duration(a, "silent_after", def.silentAfter()),
        integer(d, a, "max_batch_mb", def.maxBatchMb(), 1, 256));
  }

  private static final Set<String> SEVERITIES =
      Set.of("critical", "high", "medium", "low", "none", "unknown");

  private static Vulnerabilities vulnerabilities(Doc d, Doc.Obj root) {
    Doc.Obj v = d.obj(root, "vulnerabilities");
    if (v == null) {
      return Vulnerabilities.DEFAULTS;
    }
    d.onlyKeys(v, "vulnerabilities", Set.of("sla", "alerts", "scans"));
    dev.rampart.vuln.track.SlaPolicy sla = dev.rampart.vuln.track.SlaPolicy.DEFAULTS;
    Doc.Obj s = d.obj(v, "sla");
    if (s != null) {
      d.onlyKeys(s, "vulnerabilities.sla", SEVERITIES);
      java.util.Map<String, java.time.Duration> m = new java.util.HashMap<>(sla.bySeverity());
      for (String sev : SEVERITIES) {
        m.put(sev, d.duration(s, sev, sla.of(sev)));
      }
      sla = new dev.rampart.vuln.track.SlaPolicy(m);
    }
    dev.rampart.server.vuln.VulnService.AlertPolicy def =
        dev.rampart.server.vuln.VulnService.AlertPolicy.DEFAULTS;
    dev.rampart.server.vuln.VulnService.AlertPolicy alerts = def;
    Doc.Obj a = d.obj(v, "alerts");
    if (a != null) {
      d.onlyKeys(
          a,
          "vulnerabilities.alerts",
          Set.of("kev_internet_facing", "min_severity_internet_facing", "min_severity"));
      alerts =
          new dev.rampart.server.vuln.VulnService.AlertPolicy(
              !"false".equals(d.string(a, "kev_internet_facing", false)),
              severity(d, a, "min_severity_internet_facing", def.minSeverityInternetFacing()),
              severity(d, a, "min_severity", def.minSeverityAnywhere()));
    }
    return new Vulnerabilities(sla, alerts, scans(d, v));
  }

  /**
   * {@code vulnerabilities.scans}: the networks the server may scan besides loopback, the pace, and
   * the scheduled jobs, each target checked against the allowed networks now (a mistake is found at
   * start, not at 3 a.m.).
   */
  private static dev.rampart.server.vuln.NetworkScans.Policy scans(Doc d, Doc.Obj v) {
    var def = dev.rampart.server.vuln.NetworkScans.Policy.DEFAULTS;
    Doc.Obj s = d.obj(v, "scans");
    if (s == null) {
      return def;
    }
    d.onlyKeys(s, "vulnerabilities.scans", Set.of("allow", "rate", "max_time", "jobs"));
    List<String> allow = d.strings(s, "allow");
    for (String a : allow) {
      String net = a.contains("/") ? a.substring(0, a.indexOf('/')) : a;
      String probe = net.contains(":") ? "[" + net + "]:1" : net + ":1";
      try {
        dev.rampart.vuln.netscan.NetScan.targets(
            probe,
            new dev.rampart.server.vuln.NetworkScans.Policy(List.of(a), 1, def.maxTime(), List.of())
                .options());
      } catch (dev.rampart.vuln.netscan.NetScan.Refused e) {
        d.error(
            Doc.line(s, "allow"),
            "vulnerabilities.scans.allow: '" + a + "' is not a network (CIDR such as 10.0.5.0/24)");
      }
    }
    int rate = integer(d, s, "rate", def.rate(), 1, 10_000);
    java.time.Duration maxTime = d.duration(s, "max_time", def.maxTime());
    var policy = new dev.rampart.server.vuln.NetworkScans.Policy(allow, rate, maxTime, List.of());
    List<dev.rampart.server.vuln.NetworkScans.Job> jobs = new java.util.ArrayList<>();
    for (Doc.Node n : d.list(s, "jobs")) {
      if (!(n instanceof Doc.Obj j)) {
        d.error(n.line(), "vulnerabilities.scans.jobs lists mappings: {asset, target, every}");
        continue;
      }
      d.onlyKeys(j, "vulnerabilities.scans.jobs", Set.of("asset", "target", "every"));
      String asset = d.string(j, "asset", true);
      String target = d.string(j, "target", true);
      java.time.Duration every = d.duration(j, "every", java.time.Duration.ofDays(1));
      if (every.compareTo(java.time.Duration.ofMinutes(1)) < 0) {
        d.error(Doc.line(j, "every"), "vulnerabilities.scans.jobs.every: at least 1m");
      }
      if (target != null) {
        try {
          dev.rampart.vuln.netscan.NetScan.targets(target, policy.options());
        } catch (dev.rampart.vuln.netscan.NetScan.Refused e) {
          d.error(
              Doc.line(j, "target"),
              "vulnerabilities.scans.jobs.target: "
                  + e.getMessage()
                  + " (add its network to vulnerabilities.scans.allow if you may scan it)");
        }
      }
      if (asset != null && target != null) {
        jobs.add(new dev.rampart.server.vuln.NetworkScans.Job(asset, target, every));
      }
    }
    return new dev.rampart.server.vuln.NetworkScans.Policy(allow, rate, maxTime, jobs);
  }

  // a severity, or "none" for no alerts by severity
  private static String severity(Doc d, Doc.Obj o, String key, String fallback) {
    String s = d.string(o, key, false);
    if (s == null) {
      return fallback;
    }
    if (s.equals("none")) {
      return null;
    }
    if (!Set.of("critical", "high", "medium", "low").contains(s)) {
      d.error(
          Doc.line(o, key),
          "vulnerabilities.alerts." + key + ": critical, high, medium, low or none");
      return fallback;
    }
    return s;
  }

  private static Correlation correlation(Doc d, Doc.Obj root) {
    Doc.Obj c = d.obj(root, "correlation");
    if (c == null) {
      return Correlation.DEFAULTS;
    }
    d.onlyKeys(c, "correlation", Set.of("max_groups", "max_signals_per_group", "lateness"));
    Correlation def = Correlation.DEFAULTS;
    return new Correlation(
        integer(d, c, "max_groups", def.maxGroups(), 1, 100_000_000),
        integer(d, c, "max_signals_per_group", def.maxSignalsPerGroup(), 1, 10_000_000),
        d.duration(c, "lateness", def.lateness()));
  }

  private static final Set<String> LEVELS =
      Set.of("informational", "low", "medium", "high", "critical");

  /**
   * The anomaly detectors: the built-in ones unless the config's {@code anomalies:} section lists
   * its own of a kind ({@code first_seen:}, {@code rare:}, {@code spikes:}, {@code brute_force:});
   * none when {@code enabled: false}. Names are unique: the checkpoint keeps state by name.
   */
  private static Anomalies.Config anomalies(Doc d, Doc.Obj root) {
    Anomalies.Config def = Anomalies.Config.DEFAULTS;
    Doc.Obj a = d.obj(root, "anomalies");
    if (a == null) {
      return def;
    }
    d.onlyKeys(a, "anomalies", Set.of("enabled", "first_seen", "rare", "spikes", "brute_force"));
    if ("false".equals(d.string(a, "enabled", false))) {
      return Anomalies.Config.NONE;
    }
    Set<String> names = new java.util.HashSet<>();
    List<Anomalies.FirstSeen> firstSeen =
        detectors(
            d,
            a,
            "first_seen",
            def.firstSeen(),
            Set.of("title", "entity", "value", "only", "learn", "max_entities", "max_values"),
            names,
            (f, name) ->
                new Anomalies.FirstSeen(
                    name,
                    title(d, f, "First seen", name),
                    fields(d, f, "entity"),
                    fields(d, f, "value"),
                    only(d, f),
                    d.duration(f, "learn", java.time.Duration.ofHours(24)),
                    integer(d, f, "max_entities", 100_000, 1, 10_000_000),
                    integer(d, f, "max_values", 256, 1, 100_000),
                    level(d, f)));
    List<Anomalies.Rare> rare =
        detectors(
            d,
            a,
            "rare",
            def.rare(),
            Set.of(
                "title", "host", "value", "only", "max_hosts", "min_fleet", "learn", "max_values"),
            names,
            (f, name) ->
                new Anomalies.Rare(
                    name,
                    title(d, f, "Rare in the fleet", name),
                    fields(d, f, "host"),
                    fields(d, f, "value"),
                    only(d, f),
                    integer(d, f, "max_hosts", 2, 1, 1000),
                    integer(d, f, "min_fleet", 10, 1, 1_000_000),
                    d.duration(f, "learn", java.time.Duration.ofHours(24)),
                    integer(d, f, "max_values", 200_000, 1, 10_000_000),
                    level(d, f)));
    List<Anomalies.Spike> spikes =
        detectors(
            d,
            a,
            "spikes",
            def.spikes(),
            Set.of("title", "entity", "z", "min_count", "warmup_minutes", "max_entities"),
            names,
            (f, name) -> {
              double z = 6;
              String zs = d.string(f, "z", false);
              if (zs != null) {
                try {
                  z = Double.parseDouble(zs);
                } catch (NumberFormatException e) {
                  d.error(Doc.line(f, "z"), "anomalies.spikes.z is a number such as 6");
                }
              }
              return new Anomalies.Spike(
                  name,
                  title(d, f, "Volume spike", name),
                  fields(d, f, "entity"),
                  z,
                  integer(d, f, "min_count", 200, 1, 100_000_000),
                  0.05,
                  integer(d, f, "warmup_minutes", 30, 0, 100_000),
                  integer(d, f, "max_entities", 50_000, 1, 10_000_000),
                  level(d, f));
            });
    List<Anomalies.BruteForce> bruteForce =
        detectors(
            d,
            a,
            "brute_force",
            def.bruteForce(),
            Set.of(
                "title",
                "source",
                "target",
                "outcome",
                "window",
                "failures",
                "targets",
                "max_sources"),
            names,
            (f, name) -> {
              String outcome = d.string(f, "outcome", false);
              return new Anomalies.BruteForce(
                  name,
                  title(d, f, "Failed logons", name),
                  fields(d, f, "source"),
                  fields(d, f, "target"),
                  outcome == null ? "event.outcome" : outcome,
                  d.duration(f, "window", java.time.Duration.ofMinutes(10)),
                  integer(d, f, "failures", 10, 2, 100_000),
                  integer(d, f, "targets", 5, 1, 100_000),
                  integer(d, f, "max_sources", 100_000, 1, 10_000_000),
                  level(d, f));
            });
    return new Anomalies.Config(firstSeen, spikes, bruteForce, rare);
  }

  /**
   * The detectors of one kind listed under {@code anomalies.KEY} (each a mapping with a unique
   * {@code name}, a {@code level} and {@code keys}), or {@code builtIn} when the key is absent.
   */
  private static <T> List<T> detectors(
      Doc d,
      Doc.Obj a,
      String key,
      List<T> builtIn,
      Set<String> keys,
      Set<String> names,
      java.util.function.BiFunction<Doc.Obj, String, T> make) {
    if (!a.entries().containsKey(key)) {
      return builtIn;
    }
    Set<String> allowed = new java.util.HashSet<>(keys);
    allowed.add("name");
    allowed.add("level");
    List<T> out = new java.util.ArrayList<>();
    for (Doc.Node n : d.list(a, key)) {
      if (!(n instanceof Doc.Obj f)) {
        d.error(n.line(), "anomalies." + key + " lists mappings, each with a name");
        continue;
      }
      d.onlyKeys(f, "anomalies." + key, allowed);
      String name = d.string(f, "name", true);
      if (name != null && !names.add(name)) {
        d.error(Doc.line(f, "name"), "anomaly detector name '" + name + "' is used twice");
      }
      out.add(make.apply(f, name));
    }
    return out;
  }

  private static String title(Doc d, Doc.Obj f, String kind, String name) {
    String t = d.string(f, "title", false);
    return t != null ? t : kind + " (" + name + ")";
  }

  /** {@code only: {field: value}}: the detector looks at events with that value only. */
  private static String[] only(Doc d, Doc.Obj f) {
    Doc.Obj o = d.obj(f, "only");
    if (o == null) {
      return null;
    }
    if (o.entries().size() != 1) {
      d.error(o.line(), "anomalies: 'only' is one field: value, such as {EventID: 4624}");
      return null;
    }
    String k = o.entries().keySet().iterator().next();
    return new String[] {k, d.string(o, k, true)};
  }

  private static List<String> fields(Doc d, Doc.Obj o, String key) {
    List<String> out = d.strings(o, key);
    if (out.isEmpty()) {
      d.error(
          Doc.line(o, key), "'" + key + "' names at least one field (the first present is used)");
    }
    return out;
  }

  private static String level(Doc d, Doc.Obj o) {
    String l = d.string(o, "level", false);
    if (l == null) {
      return "low";
    }
    if (!LEVELS.contains(l)) {
      d.error(
          Doc.line(o, "level"), "level is informational, low, medium, high or critical, not " + l);
      return "low";
    }
    return l;
  }

  private static Tls tls(Doc d, Doc.Obj a, Function<String, String> env, Path base) {
    Doc.Node n = a.entries().get("tls");
    if (n == null) {
      return new Tls(null, null, null);
    }
    if (n instanceof Doc.Scalar sc) {
      if (sc.value().equals("true") || sc.value().equals("false")) {
        return new Tls(Boolean.parseBoolean(sc.value()), null, null);
      }
      d.error(sc.line(), "api.tls is true, false, or a mapping with keystore and password_env");
      return new Tls(null, null, null);
    }
    Doc.Obj t = d.obj(a, "tls");
    if (t == null) {
      return new Tls(null, null, null);
    }
    d.onlyKeys(t, "api.tls", Set.of("keystore", "password_env", "password_file"));
    String ks = d.string(t, "keystore", true);
    String pw = secret(d, t, "password_env", "password_file", env, base);
    if (ks != null && pw == null) {
      d.error(t.line(), "api.tls: the keystore needs password_env or password_file");
    }
    if (ks != null && !java.nio.file.Files.isReadable(base.resolve(ks))) {
      d.error(Doc.line(t, "keystore"), "cannot read " + base.resolve(ks));
    }
    return new Tls(true, ks == null ? null : base.resolve(ks), pw);
  }

  private static int integer(Doc d, Doc.Obj o, String key, int fallback, int min, int max) {
    String v = d.string(o, key, false);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    d.error(
        Doc.line(o, key),
        "'" + key + "' is a number from " + min + " to " + max + ", not '" + v + "'");
    return fallback;
  }

  private static String secret(
      Doc d, Doc.Obj o, String envKey, String fileKey, Function<String, String> env, Path base) {
    String name = d.string(o, envKey, false);
    String file = d.string(o, fileKey, false);
    if (name != null) {
      String v = env.apply(name);
      if (v == null || v.isEmpty()) {
        d.error(Doc.line(o, envKey), "environment variable " + name + " is not set");
      }
      return v;
    }
    if (file != null) {
      try {
        return Files.readString(base.resolve(file)).strip();
      } catch (IOException e) {
        d.error(Doc.line(o, fileKey), "cannot read " + base.resolve(file));
      }
    }
    return null;
  }
}
