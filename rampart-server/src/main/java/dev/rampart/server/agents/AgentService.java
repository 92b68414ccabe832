package dev.rampart.server.agents;

import dev.rampart.agent.AgentEvents;
import dev.rampart.alerting.alert.Alert;
import dev.rampart.cases.db.Db;
import dev.rampart.cases.incident.CaseException;
import dev.rampart.core.event.Event;
import dev.rampart.core.event.EventSource;
import dev.rampart.core.event.Timestamps;
import dev.rampart.ingest.spool.Spool;
import dev.rampart.server.ServerConfig;
import dev.rampart.server.tls.Certificates;
import dev.rampart.server.vuln.VulnService;
import dev.rampart.vuln.inventory.InventoryFormat;
import dev.rampart.vuln.track.VulnStore;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Agents in the platform: the registry, the CA and the agents' port, with what happens to an
 * agent's records — stamped with the agent (id, name, host) and appended to the platform's spool,
 * so the store indexes them and detection sees them like any input; an inventory's package database
 * also goes to the vulnerability module as the host's inventory — and the watch for silent agents,
 * which raises one alert per silence.
 */
public final class AgentService implements Closeable {
  private final ServerConfig.Agents options;
  private final AgentRegistry registry;
  private final AgentActions actions;
  private final AgentGateway gateway;
  private final Spool spool;
  private final VulnService vuln;
  private final Consumer<List<Alert>> alerts;
  private final Consumer<String> say;
  private final Thread watch;
  private final String fingerprint;
  private volatile boolean stopping;

  public AgentService(
      ServerConfig.Agents options,
      Path data,
      Db db,
      Spool spool,
      VulnService vuln,
      Certificates.Loaded tls,
      Consumer<List<Alert>> alerts,
      Consumer<String> say)
      throws IOException {
    this.options = options;
    this.registry = new AgentRegistry(db);
    this.spool = spool;
    this.vuln = vuln;
    this.alerts = alerts;
    this.say = say;
    this.fingerprint = tls.fingerprint();
    AgentCa ca;
    try {
      ca = AgentCa.open(data);
    } catch (GeneralSecurityException e) {
      throw new IOException("agent CA: " + e.getMessage(), e);
    }
    this.actions = new AgentActions(db, registry, ca);
    this.gateway =
        new AgentGateway(
            new AgentGateway.Options(options.bind(), options.port(), options.maxBatchMb()),
            registry,
            ca,
            actions,
            tls,
            new AgentGateway.Intake() {
              @Override
              public void accept(AgentRegistry.Agent agent, Event e) throws IOException {
                record(agent, e);
              }

              @Override
              public void flush() throws IOException {
                spool.sync();
              }
            });
    this.watch = Thread.ofPlatform().name("agent-watch").daemon().start(this::watchLoop);
  }

  public AgentRegistry registry() {
    return registry;
  }

  public AgentActions actions() {
    return actions;
  }

  /**
   * Orders an action on the active agent with id or name {@code agent} (playbooks name hosts);
   * valid ten minutes. Returns the order's id.
   */
  public String order(
      String agent,
      String action,
      Map<String, String> args,
      boolean dryRun,
      java.time.Duration undoAfter,
      String actor)
      throws CaseException {
    AgentRegistry.Agent a = registry.find(agent);
    if (a == null) {
      List<AgentRegistry.Agent> named =
          registry.list().stream().filter(x -> x.active() && x.name().equals(agent)).toList();
      if (named.size() != 1) {
        throw new CaseException(
            named.isEmpty() ? CaseException.Kind.NOT_FOUND : CaseException.Kind.CONFLICT,
            named.isEmpty()
                ? "no active agent called " + agent
                : named.size() + " active agents are called " + agent + "; order by id");
      }
      a = named.get(0);
    }
    return actions
        .issue(a.id(), action, args, dryRun, undoAfter, java.time.Duration.ofMinutes(10), actor)
        .id();
  }

  public AgentGateway gateway() {
    return gateway;
  }

  public int port() {
    return gateway.port();
  }

  /** The SHA-256 of the certificate agents pin (they enrol with it). */
  public String fingerprint() {
    return fingerprint;
  }

  private void record(AgentRegistry.Agent agent, Event raw) throws IOException {
    for (Event e : parsedHere(raw)) {
      recordOne(agent, e);
    }
  }

  private void recordOne(AgentRegistry.Agent agent, Event e) throws IOException {
    EventSource s = e.source();
    String host = s.host().isEmpty() ? agent.name() : s.host();
    e.source(new EventSource(AgentEvents.INPUT, host, s.logType()));
    if (!e.hasTimestamp()) {
      e.timestamp(Timestamps.fromInstant(Instant.now()));
    }
    if (!e.has("host.name")) {
      e.addString("host.name", host);
    }
    e.addString("agent.id", agent.id());
    e.addString("agent.name", agent.name());
    e.addString("agent.type", "rampart");
    if (AgentEvents.INVENTORY.equals(s.logType())) {
      inventory(agent, host, e);
    } else if (AgentEvents.RESPONSE.equals(s.logType())) {
      String id = e.getText("rampart.response.command_id");
      if (id != null) {
        try {
          actions.result(
              agent.id(),
              id,
              e.getText("rampart.response.outcome"),
              String.valueOf(e.getText("rampart.response.detail")));
        } catch (CaseException ex) {
          say.accept("agent " + agent.name() + ": action result not recorded: " + ex.getMessage());
        }
      }
    }
    spool.append(e);
  }

  // parsers by name, each used by one batch at a time (they keep per-instance state)
  private final Map<String, dev.rampart.ingest.parse.Parser> parsers =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * A line the agent forwarded unparsed ({@code parse_on: server}) parsed here with the parser it
   * names, keeping where it came from; a line the parser rejects is kept as it came (raw), with the
   * reason in {@code rampart.parse_error}. A line of several records ({@code {"Records": [...]}})
   * gives each.
   */
  private List<Event> parsedHere(Event e) {
    String name = e.getText(AgentEvents.PARSE);
    String message = e.getText("message");
    if (name == null || message == null) {
      return List.of(e);
    }
    dev.rampart.ingest.parse.Parser p =
        parsers.computeIfAbsent(
            name,
            n ->
                dev.rampart.ingest.parse.Parsers.named(
                    n, dev.rampart.ingest.parse.ParseOptions.defaults()));
    if (p == null) {
      e.addString("rampart.parse_error", "no parser " + name + " on this server");
      return List.of(e);
    }
    List<Event> all = new java.util.ArrayList<>(1);
    Event out = new Event();
    dev.rampart.ingest.parse.ParseError err;
    List<dev.rampart.ingest.parse.Parser.Rejected> rejected = List.of();
    synchronized (p) {
      err = p.parse(message, out);
      if (err == null) {
        all.add(out);
        for (Event next = new Event(); p.next(next); next = new Event()) {
          all.add(next);
        }
        rejected = List.copyOf(p.rejected());
      }
    }
    if (err != null) {
      e.addString("rampart.parse_error", name + ": " + err);
      return List.of(e);
    }
    for (Event one : all) {
      keepOrigin(e, one);
    }
    for (dev.rampart.ingest.parse.Parser.Rejected r : rejected) {
      // a record of the line that could not be read: kept as the agent sent it, with why
      Event bad = e.copy();
      bad.removeAll(dev.rampart.core.event.FieldNames.id("message"));
      bad.addString("message", r.text());
      bad.addString("rampart.parse_error", name + ": " + r.error());
      all.add(bad);
    }
    return all;
  }

  /** What the agent said of where a line came from, onto an event parsed from it here. */
  private static void keepOrigin(Event e, Event out) {
    for (String f : List.of("log.file.path", "log.file.inode", "log.offset")) {
      int i = e.indexOf(f);
      if (i >= 0 && !out.has(f)) {
        out.addCopy(dev.rampart.core.event.FieldNames.id(f), e, i);
      }
    }
    if (!out.hasTimestamp() && e.hasTimestamp()) {
      out.timestamp(e.timestamp());
    }
    EventSource s = out.source();
    out.source(
        new EventSource(
            e.source().input(), s.host().isEmpty() ? e.source().host() : s.host(), s.logType()));
  }

  // the package database goes to the vulnerability module; the event keeps the summary only
  private void inventory(AgentRegistry.Agent agent, String host, Event e) {
    int i = e.indexOf(AgentEvents.PACKAGES);
    if (i < 0) {
      return;
    }
    String text = e.string(i);
    e.remove(i);
    String format = e.getText(AgentEvents.PACKAGES_FORMAT);
    try {
      if (!vuln.store().hasAdvisories()) {
        return; // nothing to match against yet; the next change of packages sends them again
      }
      VulnStore.ImportResult r =
          vuln.importInventory(
              host,
              "dpkg".equals(format) ? "status" : "installed",
              text,
              format == null ? null : InventoryFormat.of(format),
              new VulnStore.ImportOptions(
                  e.getText(AgentEvents.DISTRO), false, "medium", null, "agent " + agent.id()),
              "agent:" + agent.id());
      say.accept(
          "agent "
              + agent.name()
              + ": inventory of "
              + r.packages()
              + " packages, "
              + r.opened()
              + " new findings");
    } catch (IOException | CaseException ex) {
      say.accept("agent " + agent.name() + ": inventory not imported: " + ex.getMessage());
    }
  }

  private void watchLoop() {
    long every = Math.max(1000, Math.min(30_000, options.silentAfter().toMillis() / 2));
    while (!stopping) {
      try {
        Thread.sleep(every);
        checkSilent();
        checkCertificates();
      } catch (InterruptedException e) {
        return;
      } catch (CaseException | RuntimeException e) {
        say.accept("agent watch: " + e.getMessage());
      }
    }
  }

  /**
   * Certificates this close to their end were not renewed when due (two thirds into a 397-day
   * validity, about 132 days before it ends): the agent will be locked out when it ends.
   */
  public static final java.time.Duration CERT_WARNING = java.time.Duration.ofDays(30);

  /**
   * Raises an alert for each active agent whose certificate ends within {@link #CERT_WARNING} (once
   * per certificate: the alert id names its serial, and the alert log keeps an id once).
   */
  public void checkCertificates() throws CaseException {
    checkCertificates(System.currentTimeMillis());
  }

  /** {@link #checkCertificates()} as of {@code now} (epoch ms). */
  public void checkCertificates(long now) throws CaseException {
    List<Alert> out = new ArrayList<>();
    for (AgentRegistry.Agent a : registry.list()) {
      Long end = a.certExpiresAt();
      if (!a.active() || end == null || end - now > CERT_WARNING.toMillis()) {
        continue;
      }
      String when = Instant.ofEpochMilli(end).toString();
      out.add(
          new Alert(
              "agent-cert:" + a.id() + "@" + a.certSerial(),
              "agent:cert-expiring",
              "Agent "
                  + a.name()
                  + " ("
                  + a.id()
                  + ") certificate "
                  + (end <= now ? "expired at " : "ends at ")
                  + when
                  + " and was not renewed; enrol it again if it ends",
              end <= now ? "high" : "medium",
              List.of("agent", "health"),
              List.of(),
              List.of(),
              now * 1_000_000,
              now * 1_000_000,
              Map.of(
                  "agent.id", List.of(a.id()),
                  "cert_expires", List.of(when),
                  "cert_serial", List.of(a.certSerial())),
              new Alert.Entities(a.name(), null, null, null),
              null));
    }
    if (!out.isEmpty()) {
      alerts.accept(out);
    }
  }

  /** Raises an alert for each active agent silent longer than the limit (once per silence). */
  public void checkSilent() throws CaseException {
    long now = System.currentTimeMillis();
    List<Alert> out = new ArrayList<>();
    for (AgentRegistry.Agent a : registry.markSilent(now - options.silentAfter().toMillis())) {
      long last = a.lastSeen() == null ? a.enrolledAt() : a.lastSeen();
      out.add(
          new Alert(
              "agent-silent:" + a.id() + "@" + last, // one per silence, even if replayed
              "agent:silent",
              "Agent " + a.name() + " (" + a.id() + ") silent since " + Instant.ofEpochMilli(last),
              "high",
              List.of("agent", "health"),
              // a silenced agent is what tampering with monitoring looks like (Impair Defenses)
              List.of("T1562.001"),
              List.of(),
              last * 1_000_000,
              now * 1_000_000,
              Map.of(
                  "agent.id", List.of(a.id()),
                  "last_seen", List.of(Instant.ofEpochMilli(last).toString()),
                  "silent_after", List.of(options.silentAfter().toString())),
              new Alert.Entities(a.name(), null, null, null),
              null));
    }
    if (!out.isEmpty()) {
      alerts.accept(out);
    }
  }

  @Override
  public void close() {
    stopping = true;
    watch.interrupt();
    gateway.close();
  }
}
