package dev.rampart.server;

import dev.rampart.alerting.alert.Alert;
import dev.rampart.alerting.alert.AlertLog;
import dev.rampart.alerting.anomaly.Anomalies;
import dev.rampart.alerting.correlate.StreamingCorrelations;
import dev.rampart.alerting.detect.StreamingDetector;
import dev.rampart.auth.AccessStore;
import dev.rampart.cases.CaseStore;
import dev.rampart.cases.incident.CaseException;
import dev.rampart.cases.triage.AlertPolicy;
import dev.rampart.cases.triage.Triage;
import dev.rampart.cases.yaml.Doc;
import dev.rampart.core.event.Event;
import dev.rampart.ingest.server.IngestConfig;
import dev.rampart.ingest.server.IngestServer;
import dev.rampart.playbooks.playbook.Settings;
import dev.rampart.playbooks.run.PlaybookRunner;
import dev.rampart.server.api.RestApi;
import dev.rampart.server.intel.IntelService;
import dev.rampart.server.rules.RuleCatalog;
import dev.rampart.server.tls.Certificates;
import dev.rampart.sigma.Sigma;
import dev.rampart.sigma.compile.SigmaEngine;
import dev.rampart.store.EventStore;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The platform in one process: inputs into the durable spool; from the spool, the event store
 * indexer and the streaming detector; alerts through triage (exceptions, suppression, grouping)
 * into incidents; playbooks on alerts and incident changes; the REST API over all of it. Each stage
 * follows the spool or the case database on its own thread, so a slow stage never blocks ingestion,
 * and each restarts from its own committed position.
 *
 * <pre>{@code
 * try (Platform p = Platform.start(new Platform.Options(ingest, server, rules, System.err::println))) {
 *   p.awaitShutdown();
 * }
 * }</pre>
 */
public final class Platform implements Closeable {
  /**
   * @param rules Sigma rule files or folders (empty: detection off, said once)
   * @param say where start-up and problem lines go (stderr in the CLI)
   */
  public record Options(
      IngestConfig ingest, ServerConfig server, List<Path> rules, Consumer<String> say) {}

  private final Options options;
  private final IngestServer ingest;
  private final EventStore store;
  private final AlertLog alertLog;
  private final CaseStore cases;
  private final Triage triage;
  private dev.rampart.server.search.SearchAlerts searchAlerts;
  private final PlaybookRunner playbooks;
  private final SigmaEngine engine;
  private final RestApi api;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();
  private final AccessStore access;
  private final RuleCatalog rules;
  private final IntelService intel;
  private final dev.rampart.server.vuln.VulnService vuln;
  private final dev.rampart.server.vuln.NetworkScans scans;
  private final dev.rampart.server.agents.AgentService agents;
  private dev.rampart.server.kafka.KafkaBridge kafka;
  private final dev.rampart.store.search.EventSearch search;
  private final dev.rampart.server.prevention.PreventionService prevention;
  private final org.opensearch.client.RestClient opensearch;
  private final StreamingCorrelations correlations;
  // Used by the detector thread only.
  private final Anomalies anomalies;
  private final String adminPassword;
  private final java.util.concurrent.atomic.LongAdder silencedByRuleSwitch =
      new java.util.concurrent.atomic.LongAdder();

  private Platform(Options o) throws IOException, Doc.ProblemsException {
    this.options = o;
    Path data = o.ingest().data();
    ServerConfig sc = o.server();
    // Validate the files the platform reads before anything listens.
    AlertPolicy policy = AlertPolicy.defaults();
    if (sc.alerting() != null) {
      try {
        policy = AlertPolicy.load(sc.alerting());
      } catch (AlertPolicy.PolicyException e) {
        throw new Doc.ProblemsException(e.problems());
      }
    }
    this.ingest = IngestServer.start(o.ingest());
    this.store =
        EventStore.open(
            data.resolve("store"), sc.store().options(), p -> o.say().accept("store: " + p));
    store
        .mapping()
        .conflicts()
        .forEach(
            (f, why) ->
                o.say()
                    .accept(
                        "store.mapping."
                            + f
                            + ": the field is already mapped ("
                            + why
                            + "); kept (a new type applies to fields not yet seen)"));
    dev.rampart.sigma.load.RuleSet ruleSet = Sigma.load(o.rules().toArray(Path[]::new));
    this.engine = Sigma.compile(ruleSet);
    this.correlations =
        ruleSet.correlations().isEmpty()
            ? null
            : new StreamingCorrelations(
                ruleSet.correlations(),
                ruleSet.rules(),
                data.resolve("alerts").resolve("correlation-state.json"),
                sc.correlation().options(),
                source -> sc.tenantOf(source.input()));
    this.alertLog = AlertLog.open(data.resolve("alerts").resolve("alerts.ndjson"));
    ServerConfig.Database db = sc.database();
    this.cases =
        db.url() == null
            ? CaseStore.open("jdbc:sqlite:" + data.resolve("cases.db"))
            : CaseStore.open(db.url(), db.user(), db.password(), java.time.Clock.systemUTC());
    try {
      this.triage = new Triage(cases, policy);
    } catch (CaseException e) {
      throw new IOException("reading the suppression windows: " + e.getMessage(), e);
    }
    this.playbooks =
        new PlaybookRunner(
            cases,
            Settings.of(
                    sc.response().smtp(),
                    sc.response().allowCommands(),
                    data.resolve("blocklists"),
                    sc.playbooks())
                .withAgents(sc.agents().enabled() ? agentOrders() : null)
                .withConsole(sc.api().publicUrl()),
            sc.playbooks());
    for (Doc.Problem p : playbooks.reload()) {
      o.say().accept("playbook not loaded: " + p);
    }
    this.rules =
        new RuleCatalog(
            engine,
            store,
            cases.rules(),
            ruleSet.correlations(),
            dev.rampart.sigma.coverage.AttackCatalog.file(data),
            new RuleCatalog.Filing(
                source -> sc.tenantOf(source.input()),
                found -> {
                  try {
                    List<Alert> fresh = alertLog.append(found);
                    onAlerts(fresh);
                    return fresh;
                  } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                },
                cases::audit));
    this.anomalies = new Anomalies(sc.anomalies(), source -> sc.tenantOf(source.input()));
    anomalies.restore(anomalyState());
    registerDetectionMetrics();
    this.intel =
        new IntelService(
            data,
            store,
            e -> sc.tenantOf(e.source().input()),
            found -> {
              try {
                onAlerts(alertLog.append(found));
              } catch (IOException ex) {
                o.say().accept("intel retro-hunt alerts: " + ex.getMessage());
              }
            },
            java.time.Duration.ofDays(30));
    if (intel.index().size() > 0) {
      o.say().accept("intel: " + intel.index().size() + " indicators");
    }
    this.vuln =
        new dev.rampart.server.vuln.VulnService(
            cases,
            sc.vulnerabilities().sla(),
            sc.vulnerabilities().alerts(),
            found -> {
              try {
                onAlerts(alertLog.append(found));
              } catch (IOException ex) {
                o.say().accept("vulnerability alerts: " + ex.getMessage());
              }
            });
    try {
      this.scans =
          new dev.rampart.server.vuln.NetworkScans(
              cases.db(), vuln, sc.vulnerabilities().scans(), o.say());
    } catch (CaseException e) {
      throw new IOException("network scans: " + e.getMessage(), e);
    }
    triage.onFiled(playbooks::onFiled);
    cases.onChange(playbooks::onChange);
    this.access = new AccessStore(cases.db());
    try {
      this.adminPassword = access.ensureAdmin();
      localToken(data);
    } catch (CaseException e) {
      throw new IOException("setting up the admin account: " + e.getMessage(), e);
    }
    this.prevention = new dev.rampart.server.prevention.PreventionService(cases);
    triage.identities(prevention.triageContext(o.say()));
    playbooks.identityRisk(prevention::riskLevel);
    // the search seam before the API that uses it: the embedded store, or OpenSearch
    this.opensearch = sc.opensearch() == null ? null : sc.opensearch().options().client();
    this.search =
        sc.opensearch() != null && sc.opensearch().search()
            ? new dev.rampart.opensearch.OpenSearchSearch(opensearch, sc.opensearch().options())
            : store;
    if (sc.api().enabled()) {
      Certificates.Loaded tls = null;
      if (sc.api().tlsOn()) {
        tls = certificates(sc, data);
        o.say()
            .accept(
                "api TLS certificate "
                    + tls.file()
                    + (tls.made() ? " (self-signed, made now)" : "")
                    + ", SHA-256 "
                    + tls.fingerprint());
      }
      this.api = new RestApi(this, access, sc.api(), sc.api().token(), tls);
      ingest.publishPort("api", api.port());
    } else {
      this.api = null;
    }
    if (sc.agents().enabled()) {
      Certificates.Loaded tls = certificates(sc, data);
      this.agents =
          new dev.rampart.server.agents.AgentService(
              sc.agents(),
              data,
              cases.db(),
              ingest.spool(),
              vuln,
              tls,
              found -> {
                try {
                  onAlerts(alertLog.append(found));
                } catch (IOException ex) {
                  o.say().accept("agent alerts: " + ex.getMessage());
                }
              },
              o.say());
      ingest.publishPort("agents", agents.port());
      o.say()
          .accept(
              "agents: mutual TLS on "
                  + sc.agents().bind()
                  + ":"
                  + agents.port()
                  + "; agents enrol with the server fingerprint "
                  + tls.fingerprint());
    } else {
      this.agents = null;
    }
    if (sc.alerting() != null) {
      try {
        cases.audit(
            "server",
            "policy.load",
            sc.alerting().toString(),
            policy.exceptions().size() + " exceptions in the file");
      } catch (CaseException e) {
        o.say().accept("audit: " + e.getMessage());
      }
    }
    if (sc.kafka() != null) {
      this.kafka =
          new dev.rampart.server.kafka.KafkaBridge(
              sc.kafka(),
              ingest.spool(),
              ruleTexts(),
              found -> {
                try {
                  onAlerts(alertLog.append(found)); // durable first, like detection's own
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e); // not committed: read again
                }
              },
              o.say());
      o.say()
          .accept(
              "kafka: events to "
                  + sc.kafka().eventsTopic()
                  + ", alerts from "
                  + sc.kafka().alertsTopic());
    }
    ServerConfig.OpenSearch os = sc.opensearch();
    if (os != null) {
      if (os.index()) {
        threads.add(
            Thread.ofPlatform().name("opensearch-indexer").start(() -> indexLoop(os, o.say())));
      }
      o.say()
          .accept(
              "opensearch: "
                  + os.urls()
                  + (os.index() ? ", fed from " + sc.kafka().eventsTopic() : "")
                  + (os.search() ? ", searched by the console and the API" : ""));
    }
    threads.add(Thread.ofPlatform().name("config-reloader").daemon().start(this::reloadLoop));
    if (!sc.reports().isEmpty()) {
      var scheduled =
          new dev.rampart.server.report.ScheduledReports(
              sc.reports(),
              o.ingest().data().resolve("reports").resolve("sent.json"),
              cases,
              vuln.store(),
              tenants ->
                  dev.rampart.server.report.EventCounts.of(
                      search(), dev.rampart.server.tenant.Tenancy.eventScope(tenants, config())),
              sc.response().smtp(),
              sc.api().publicUrl());
      threads.add(
          Thread.ofPlatform().name("reports").daemon().start(() -> reportLoop(scheduled, o.say())));
    }
    searchAlerts =
        new dev.rampart.server.search.SearchAlerts(
            cases,
            search(),
            triage,
            tenants -> dev.rampart.server.tenant.Tenancy.eventScope(tenants, config()),
            () -> dev.rampart.server.tenant.Tenancy.all(config()),
            // ids are spool offsets in the embedded store; OpenSearch's say nothing of the order
            () -> search instanceof EventStore st ? st.indexedSpool() : -1);
    threads.add(
        Thread.ofPlatform()
            .name("search-alerts")
            .daemon()
            .start(() -> searchAlertLoop(searchAlerts, o.say())));
    if (sc.response().smtp() != null) {
      threads.add(
          Thread.ofPlatform()
              .name("prevention-reminders")
              .daemon()
              .start(() -> remindLoop(sc.response().smtp(), o.say())));
    }
    threads.add(
        Thread.ofPlatform()
            .name("store-indexer")
            .start(
                () -> {
                  try {
                    Runnable retention = retention(sc.store(), o.say());
                    store.spoolIndexer(ingest.spool()).run(stopping::get, 1000, retention);
                  } catch (IOException | RuntimeException e) {
                    if (!stopping.get()) {
                      o.say().accept("store indexing stopped: " + e);
                    }
                  }
                }));
    threads.add(
        Thread.ofPlatform()
            .name("detector")
            .start(
                () -> {
                  try {
                    new StreamingDetector(
                            ingest.spool(),
                            engine,
                            alertLog,
                            this::onAlerts,
                            source -> sc.tenantOf(source.input()))
                        .also(
                            new StreamingDetector.Extra() {
                              @Override
                              public void on(Event e, long offset, List<Alert> out) {
                                intel.match(e, offset, out);
                                anomalies.observe(e, offset, out);
                              }

                              @Override
                              public void checkpoint(long offset, boolean now) throws IOException {
                                anomalies.checkpoint(anomalyState(), offset, now);
                              }
                            })
                        .correlating(correlations)
                        .run(stopping::get, 20);
                  } catch (IOException | RuntimeException e) {
                    if (!stopping.get()) {
                      o.say().accept("detection stopped: " + e);
                    }
                  }
                }));
  }

  // playbooks' agent steps; the agent service starts after the playbooks load, so it is looked
  // up when a step runs
  private Settings.AgentOrders agentOrders() {
    return new Settings.AgentOrders() {
      @Override
      public java.util.Set<String> actions() {
        return java.util.Set.copyOf(dev.rampart.agent.response.Action.ids());
      }

      @Override
      public String order(
          String agent,
          String action,
          java.util.Map<String, String> args,
          boolean dryRun,
          java.time.Duration undoAfter,
          String actor)
          throws CaseException {
        if (agents == null) {
          throw new CaseException(CaseException.Kind.CONFLICT, "agents are not started");
        }
        return agents.order(agent, action, args, dryRun, undoAfter, actor);
      }
    };
  }

  /** The API's key and certificate: the configured key store, or the self-signed one. */
  private static Certificates.Loaded certificates(ServerConfig sc, Path data) throws IOException {
    try {
      return sc.api().tls().keystore() != null
          ? Certificates.load(sc.api().tls().keystore(), sc.api().tls().password())
          : Certificates.selfSigned(data);
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("TLS certificate: " + e.getMessage(), e);
    }
  }

  // the rules in force by key, with their files' text: what the rules topic carries
  private java.util.Map<String, String> ruleTexts() {
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    for (RuleCatalog.Info i : rules.search("")) {
      try {
        out.put(i.key(), rules.yaml(i.key()));
      } catch (CaseException gone) {
        // listed a moment ago; skipped
      }
    }
    return out;
  }

  /** Bounded detection state shows what it had to let go, at {@code /metrics}. */
  private void registerDetectionMetrics() {
    var m = ingest.metrics();
    if (correlations != null) {
      var c = correlations.correlator();
      m.counter(
              "rampart.correlation.groups.evicted",
              "correlation groups evicted to stay within correlation.max_groups",
              c::evictedGroups)
          .counter(
              "rampart.correlation.signals.late",
              "matches that came after their windows were judged (older than the lateness)",
              c::lateSignals)
          .counter(
              "rampart.correlation.signals.dropped",
              "matches dropped from a group beyond correlation.max_signals_per_group",
              c::droppedSignals)
          .gauge("rampart.correlation.groups.open", "open correlation groups", c::openGroups)
          .gauge(
              "rampart.correlation.signals.pending",
              "matches waiting for the watermark",
              c::pendingSignals);
    }
    m.counter(
        "rampart.anomaly.entities.evicted",
        "entities the anomaly detectors forgot to stay within their max_entities",
        anomalies::evicted);
  }

  /** Where the anomaly detectors' learnt state is saved. */
  private Path anomalyState() {
    return options.ingest().data().resolve("alerts").resolve("anomaly-state.json");
  }

  /**
   * Picks up edits to the alert policy and the playbooks every two seconds. A file with mistakes is
   * reported with its lines and the previous valid version stays in force.
   */
  private void reloadLoop() {
    ServerConfig sc = options.server();
    long policyStamp = stamp(sc.alerting());
    long playbookStamp = stamp(sc.playbooks());
    while (!stopping.get()) {
      try {
        Thread.sleep(2000);
      } catch (InterruptedException e) {
        return;
      }
      sampleIngest();
      try {
        if (intel.reloadIfChanged()) {
          options.say().accept("intel reloaded: " + intel.index().size() + " indicators");
        }
      } catch (IOException | RuntimeException e) {
        options.say().accept("intel not reloaded: " + e.getMessage());
      }
      try {
        long p = stamp(sc.alerting());
        if (p != policyStamp) {
          policyStamp = p;
          try {
            triage.policy(AlertPolicy.load(sc.alerting()), "file:" + sc.alerting().getFileName());
            options.say().accept("alert policy reloaded from " + sc.alerting());
          } catch (AlertPolicy.PolicyException e) {
            options
                .say()
                .accept("alert policy not reloaded (the previous one stays): " + e.getMessage());
          }
        }
        long b = stamp(sc.playbooks());
        if (b != playbookStamp) {
          playbookStamp = b;
          List<Doc.Problem> problems = playbooks.reload();
          problems.forEach(
              x ->
                  options.say().accept("playbook not reloaded (the previous version stays): " + x));
          options.say().accept(playbooks.playbooks().size() + " playbooks active");
        }
      } catch (IOException | CaseException | RuntimeException e) {
        options.say().accept("reloading configuration: " + e);
      }
    }
  }

  // Events spooled, sampled every 2 s over the last minute: [time ms, count] pairs, oldest first.
  // Counted at the spool, so agents' events and the demo's feed count as the inputs' do.
  private final java.util.ArrayDeque<double[]> ingestSamples = new java.util.ArrayDeque<>();

  private void sampleIngest() {
    double spooled = ingest.spool().appended();
    synchronized (ingestSamples) {
      ingestSamples.addLast(new double[] {System.currentTimeMillis(), spooled});
      while (ingestSamples.size() > 31) {
        ingestSamples.removeFirst();
      }
    }
  }

  /** Events spooled per second over the last minute (0 before two samples). */
  public double ingestRate() {
    synchronized (ingestSamples) {
      if (ingestSamples.size() < 2) {
        return 0;
      }
      double[] first = ingestSamples.peekFirst();
      double[] last = ingestSamples.peekLast();
      double seconds = (last[0] - first[0]) / 1000;
      return seconds <= 0 ? 0 : Math.max(0, (last[1] - first[1]) / seconds);
    }
  }

  /** How far each spool consumer (store indexing, detection) is behind the spool's end, bytes. */
  public java.util.Map<String, Long> lag() {
    java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
    var spool = ingest.spool();
    List<String> consumers =
        new ArrayList<>(
            List.of(dev.rampart.store.index.SpoolIndexer.CONSUMER, StreamingDetector.CONSUMER));
    if (kafka != null) {
      consumers.add(dev.rampart.kafka.KafkaEventSink.CONSUMER); // a broker outage shows here
    }
    for (String c : consumers) {
      try {
        out.put(c, Math.max(0, spool.end() - spool.committed(c)));
      } catch (IOException e) {
        out.put(c, -1L);
      }
    }
    return out;
  }

  /** A fingerprint of a file's or a folder's YAML files' modification times and names. */
  static long stamp(Path p) {
    if (p == null || !Files.exists(p)) {
      return 0;
    }
    try {
      if (!Files.isDirectory(p)) {
        return Files.getLastModifiedTime(p).toMillis() ^ Files.size(p) * 31;
      }
      long h = 1;
      try (var files = Files.newDirectoryStream(p, "*.{yaml,yml}")) {
        for (Path f : files) {
          h +=
              f.getFileName().toString().hashCode() * 31L + Files.getLastModifiedTime(f).toMillis()
                  ^ Files.size(f);
        }
      }
      return h;
    } catch (IOException e) {
      return -1;
    }
  }

  /** Starts everything; the caller closes it (a shutdown hook, in the CLI). */
  public static Platform start(Options o) throws IOException, Doc.ProblemsException {
    return new Platform(o);
  }

  // Synchronized: the detector thread and an intel import's retro-hunt both file alerts, and
  // triage is written for one caller at a time.
  private synchronized void onAlerts(List<Alert> detected) {
    // A switched-off rule's alerts stay in the raw alert log and go no further.
    List<Alert> alerts = new ArrayList<>(detected.size());
    for (Alert a : detected) {
      if (cases.rules().isDisabled(a.ruleId())) {
        silencedByRuleSwitch.increment();
      } else {
        alerts.add(a);
      }
    }
    if (alerts.isEmpty()) {
      return;
    }
    for (Alert a : alerts) {
      options
          .say()
          .accept(
              "alert ["
                  + a.level()
                  + "] "
                  + a.title()
                  + (a.entities().host() == null ? "" : " on " + a.entities().host()));
    }
    try {
      triage.accept(alerts);
    } catch (CaseException | RuntimeException e) {
      options.say().accept("incidents: " + e.getMessage());
    }
  }

  /**
   * The local operator's admin token in DATA/api-token (owner-only), made when the file is missing:
   * scripts and the CLI on this machine use it. It is an ordinary token of the admin user (stored
   * hashed, audited, revocable, a year long); delete the file and restart for a new one.
   */
  private void localToken(Path data) throws IOException, CaseException {
    Path f = data.resolve("api-token");
    if (Files.exists(f)) {
      return;
    }
    AccessStore.NewToken t =
        access.createToken(
            "admin",
            "local operator (DATA/api-token)",
            java.util.Set.of(),
            java.time.Instant.ofEpochMilli(cases.now()).plus(java.time.Duration.ofDays(365)),
            "server");
    Files.createDirectories(data);
    Path tmp = data.resolve("api-token.tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, t.token() + "\n");
    Files.move(tmp, f, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** The admin password made at this start (the first), to be shown once; null otherwise. */
  public String adminPassword() {
    return adminPassword;
  }

  /** The platform sections of the server config it runs with. */
  public ServerConfig config() {
    return options.server();
  }

  public AccessStore access() {
    return access;
  }

  /** Lines describing what listens where (no secrets). */
  public List<String> describe() {
    List<String> out = new ArrayList<>(ingest.describe());
    if (api != null) {
      out.add(
          "api (rest) "
              + api.scheme()
              + "://"
              + options.server().api().bind()
              + ":"
              + api.port()
              + "/api/openapi.json");
    }
    return out;
  }

  public IngestServer ingest() {
    return ingest;
  }

  /** Identities, training, phishing simulations, access reviews, identity risk. */
  public dev.rampart.server.prevention.PreventionService prevention() {
    return prevention;
  }

  public CaseStore cases() {
    return cases;
  }

  public Triage triage() {
    return triage;
  }

  /** The saved searches that alert, run by a thread of their own (tests call it directly). */
  public dev.rampart.server.search.SearchAlerts searchAlerts() {
    return searchAlerts;
  }

  public PlaybookRunner playbooks() {
    return playbooks;
  }

  public AlertLog alerts() {
    return alertLog;
  }

  public SigmaEngine engine() {
    return engine;
  }

  /** Vulnerability management: inventories, findings, feeds, deadlines. */
  public dev.rampart.server.vuln.VulnService vuln() {
    return vuln;
  }

  /** Network scans: scheduled by the config, or asked for through the API. */
  public dev.rampart.server.vuln.NetworkScans scans() {
    return scans;
  }

  /** Agents, or null when the agents' port is off. */
  public dev.rampart.server.agents.AgentService agents() {
    return agents;
  }

  /** Threat-intel indicators, matching and imports. */
  public IntelService intel() {
    return intel;
  }

  /** The rules in force, for search, the YAML, switching and tests. */
  public RuleCatalog rules() {
    return rules;
  }

  /** Alerts of switched-off rules dropped since start. */
  public long silencedByRuleSwitch() {
    return silencedByRuleSwitch.sum();
  }

  public EventStore store() {
    return store;
  }

  /**
   * Runs the saved searches that alert, a look every 15 seconds; what alerted or failed is said (a
   * quiet window is not).
   */
  private void searchAlertLoop(
      dev.rampart.server.search.SearchAlerts alerts, java.util.function.Consumer<String> say) {
    long next = 0;
    while (!stopping.get()) {
      if (System.currentTimeMillis() >= next) {
        next = System.currentTimeMillis() + 15_000;
        try {
          for (var r : alerts.runDue(cases.now())) {
            if (r.alerted() || r.lateAlerts() > 0 || r.problem() != null) {
              say.accept(
                  "saved search '"
                      + r.search().name()
                      + "': "
                      + (r.problem() != null
                          ? r.problem()
                          : r.matched()
                              + " events matched"
                              + (r.alerted() ? ": alert filed" : "")
                              + (r.lateAlerts() > 0
                                  ? "; "
                                      + r.lateAlerts()
                                      + " earlier window(s) alerted on late events"
                                  : "")));
            }
          }
        } catch (CaseException | RuntimeException e) {
          say.accept("saved searches: not run: " + e.getMessage());
        }
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Sends the configured reports as their periods end: a look every half minute (the first at
   * start, so a report missed while the server was down goes now), short naps for a quick stop.
   */
  private void reportLoop(
      dev.rampart.server.report.ScheduledReports reports, java.util.function.Consumer<String> say) {
    long next = 0;
    while (!stopping.get()) {
      if (System.currentTimeMillis() >= next) {
        next = System.currentTimeMillis() + 30_000;
        try {
          for (var r : reports.runDue(cases.now())) {
            say.accept(
                "reports: "
                    + (r.sent() ? "sent" : "not sent")
                    + " the report of "
                    + r.period()
                    + " to "
                    + String.join(", ", r.report().to())
                    + (r.sent() ? "" : " (" + r.detail() + "; trying again in 10 minutes)"));
          }
        } catch (IOException | CaseException | RuntimeException e) {
          say.accept("reports: not sent: " + e.getMessage());
        }
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Reminds reviewers of overdue access-review decisions and people of overdue training, hourly
   * (the first round a minute after start); what could not be sent is said and tried again.
   */
  private void remindLoop(
      dev.rampart.playbooks.playbook.Settings.Smtp smtp, java.util.function.Consumer<String> say) {
    long next = System.currentTimeMillis() + 60_000;
    while (!stopping.get()) {
      try {
        Thread.sleep(500); // short naps: stopping the platform must not wait for the hour
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (stopping.get() || System.currentTimeMillis() < next) {
        continue;
      }
      next = System.currentTimeMillis() + 3_600_000;
      try {
        var r = prevention.remind(smtp, System.currentTimeMillis(), config().api().publicUrl());
        if (r.sent() + r.failed() > 0 || r.unreachable() > 0) {
          say.accept(
              "prevention: "
                  + r.sent()
                  + " reminders sent, "
                  + r.failed()
                  + " failed"
                  + (r.errors().isEmpty() ? "" : " (" + r.errors().get(0) + ")")
                  + ", "
                  + r.unreachable()
                  + " without an email in the directory");
        }
      } catch (CaseException | RuntimeException e) {
        say.accept("prevention: reminders not sent: " + e.getMessage());
      }
    }
  }

  /**
   * The store's retention, for the indexing thread to run between passes (no day is being written
   * then): at the first pass and hourly after, whole days older than the configured age, then the
   * oldest while the store is larger than the configured size. Deleted days are said.
   */
  private Runnable retention(ServerConfig.Store cfg, java.util.function.Consumer<String> say) {
    if (!cfg.retains()) {
      return () -> {};
    }
    long[] next = {0};
    return () -> {
      long now = System.currentTimeMillis();
      if (now < next[0]) {
        return;
      }
      next[0] = now + 3_600_000;
      try {
        var deleted =
            store.applyRetention(cfg.maxAge(), cfg.maxBytes(), java.time.Instant.ofEpochMilli(now));
        if (!deleted.isEmpty()) {
          say.accept("store retention: deleted " + deleted.size() + " day(s): " + deleted);
        }
      } catch (IOException | RuntimeException e) {
        say.accept("store retention failed (tried again in an hour): " + e.getMessage());
      }
    };
  }

  /** Where the console and the API search: the embedded store, or OpenSearch when configured. */
  public dev.rampart.store.search.EventSearch search() {
    return search;
  }

  /** Entity pages: one host's or user's events, alerts, incidents, agent, vulnerabilities. */
  public dev.rampart.server.entity.EntityProfiles entities() {
    // cheap to make: it holds references only, and the parts it asks for are read when asked
    return new dev.rampart.server.entity.EntityProfiles(
        cases,
        search,
        new dev.rampart.server.entity.EntityProfiles.Sources(
            () -> vuln == null ? null : vuln.store(),
            () -> agents == null ? null : agents.registry(),
            this::prevention,
            () -> intel == null ? null : intel.index()));
  }

  /**
   * Feeds OpenSearch from the events topic until the platform stops; an unreachable OpenSearch at
   * start or a failure later is said and retried (the backlog waits in Kafka as lag).
   */
  private void indexLoop(ServerConfig.OpenSearch os, java.util.function.Consumer<String> say) {
    long wait = 1_000;
    while (!stopping.get()) {
      try (var indexer =
          new dev.rampart.opensearch.EventIndexer(
              opensearch,
              os.options(),
              new dev.rampart.opensearch.EventIndexer.Options(
                  config().kafka().eventsTopic(),
                  config().kafka().deadLetterTopic(),
                  config().kafka().client(),
                  java.time.Duration.ofSeconds(30)))) {
        wait = 1_000;
        indexer.run(stopping::get);
      } catch (Exception e) {
        say.accept("opensearch: indexing paused (" + e.getMessage() + "); retrying");
        try {
          Thread.sleep(wait);
        } catch (InterruptedException x) {
          Thread.currentThread().interrupt();
          return;
        }
        wait = Math.min(wait * 2, 60_000);
      }
    }
  }

  /** The REST API's port, or -1 when it is off. */
  public int apiPort() {
    return api == null ? -1 : api.port();
  }

  public void awaitShutdown() throws InterruptedException {
    ingest.awaitShutdown();
  }

  @Override
  public void close() throws IOException {
    stopping.set(true);
    if (api != null) {
      api.close();
    }
    scans.close(); // before the case database it writes to
    if (agents != null) {
      agents.close(); // before the spool and the case database it writes to
    }
    if (kafka != null) {
      kafka.close();
    }
    for (Thread t : threads) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (opensearch != null) {
      opensearch.close();
    }
    playbooks.close();
    alertLog.close();
    cases.close();
    store.close();
    ingest.close();
  }
}
