package dev.rampart.playbooks.run;

import dev.rampart.alerting.alert.Alert;
import dev.rampart.cases.CaseStore;
import dev.rampart.cases.incident.CaseException;
import dev.rampart.cases.incident.Incident;
import dev.rampart.cases.triage.AlertPolicy;
import dev.rampart.cases.triage.Triage;
import dev.rampart.cases.yaml.Doc;
import dev.rampart.playbooks.playbook.Playbook;
import dev.rampart.playbooks.playbook.PlaybookParser;
import dev.rampart.playbooks.playbook.Settings;
import dev.rampart.playbooks.playbook.Step;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs playbooks when their triggers fire: alerts filed into incidents ({@link #onFiled}) and
 * incident changes ({@link #onChange}). Runs go to virtual threads, so a slow webhook or a failing
 * step never holds up detection; at most {@link #MAX_CONCURRENT} run at once, and a trigger beyond
 * that is recorded as skipped, never silently lost. Every run and step result is in the {@link
 * RunLog}.
 *
 * <pre>{@code
 * PlaybookRunner runner = new PlaybookRunner(cases, settings, Path.of("playbooks"));
 * runner.reload().forEach(System.err::println);   // problems, with file:line
 * triage.onFiled(runner::onFiled);
 * cases.onChange(runner::onChange);
 * }</pre>
 */
public final class PlaybookRunner implements Closeable {
  public static final int MAX_CONCURRENT = 64;
  private static final Logger LOG = LoggerFactory.getLogger(PlaybookRunner.class);

  private final CaseStore cases;
  private final Settings settings;
  private final Path dir;
  private final RunLog log;
  private final Actions actions;
  private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
  private final Semaphore slots = new Semaphore(MAX_CONCURRENT);
  private final AtomicInteger inFlight = new AtomicInteger();
  // file -> the last valid version of its playbook; a broken edit leaves the old one active
  private volatile Map<String, Playbook> byFile = Map.of();

  public PlaybookRunner(CaseStore cases, Settings settings, Path dir) {
    this(cases, settings, dir, d -> Thread.sleep(d));
  }

  PlaybookRunner(CaseStore cases, Settings settings, Path dir, Actions.Sleeper sleeper) {
    this.cases = cases;
    this.settings = settings;
    this.dir = dir;
    this.log = new RunLog(cases.db());
    this.actions = new Actions(settings, sleeper);
  }

  /**
   * (Re)loads {@code *.yaml}/{@code *.yml} from the folder. A file with problems keeps its previous
   * valid version active (or none, if it never had one); duplicate names are problems too.
   *
   * @return every problem found, with file and line; empty when all loaded
   */
  public synchronized List<Doc.Problem> reload() throws IOException {
    List<Doc.Problem> problems = new ArrayList<>();
    Map<String, Playbook> next = new TreeMap<>();
    Map<String, Playbook> previous = byFile;
    if (dir != null && Files.isDirectory(dir)) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.{yaml,yml}")) {
        for (Path f : files) {
          PlaybookParser.Result r = PlaybookParser.load(f, settings);
          if (r.playbook() != null) {
            next.put(f.toString(), r.playbook());
          } else {
            problems.addAll(r.problems());
            Playbook old = previous.get(f.toString());
            if (old != null) {
              next.put(f.toString(), old);
            }
          }
        }
      }
    }
    Map<String, String> names = new HashMap<>();
    for (var e : List.copyOf(next.entrySet())) {
      String other = names.putIfAbsent(e.getValue().name(), e.getKey());
      if (other != null) {
        problems.add(
            new Doc.Problem(
                e.getKey(),
                1,
                "playbook name '" + e.getValue().name() + "' is also used by " + other));
        next.remove(e.getKey());
      }
    }
    byFile = Map.copyOf(next);
    return problems;
  }

  /** The active playbooks, by name. */
  public List<Playbook> playbooks() {
    List<Playbook> out = new ArrayList<>(byFile.values());
    out.sort((a, b) -> a.name().compareTo(b.name()));
    return out;
  }

  /** The run records. */
  public RunLog runs() {
    return log;
  }

  private volatile java.util.function.Function<Alert, String> identityRisk = a -> null;

  /**
   * How to know the identity-risk level (low, medium, high, critical) of an alert's user, for
   * {@code on.alert.identity_risk} triggers and the {@code alert.identity_risk} value; null: the
   * user is nobody the directory knows.
   */
  public void identityRisk(java.util.function.Function<Alert, String> levelOf) {
    this.identityRisk = levelOf;
  }

  /** An alert reached an incident: runs the playbooks whose alert trigger matches it. */
  public void onFiled(Triage.Filed f) {
    String risk = null;
    boolean asked = false;
    for (Playbook p : byFile.values()) {
      if (!p.enabled() || !p.on().alerts() || !matches(p.on(), f.alert())) {
        continue;
      }
      if (!asked) {
        risk = identityRisk.apply(f.alert());
        asked = true;
      }
      if (!riskMatches(p.on(), risk)) {
        continue;
      }
      Map<String, String> values = values(p, "alert", f.alert(), f.incident(), null);
      if (risk != null) {
        values.put("alert.identity_risk", risk);
      }
      submit(p, "alert", f.alert().id(), values);
    }
  }

  public static boolean riskMatches(Playbook.Trigger t, String risk) {
    if (t.minIdentityRisk() == null) {
      return true;
    }
    return risk != null
        && Playbook.Trigger.RISK_LEVELS.indexOf(risk)
            >= Playbook.Trigger.RISK_LEVELS.indexOf(t.minIdentityRisk());
  }

  /** An incident changed: runs the playbooks whose incident trigger lists the change. */
  public void onChange(CaseStore.Change c) {
    for (Playbook p : byFile.values()) {
      if (!p.enabled()) {
        continue;
      }
      boolean created = c.kind().equals("opened");
      java.util.Set<String> on = p.on().incident();
      if ((created && on.contains("created"))
          || (!created && (on.contains("changed") || on.contains(c.kind())))) {
        String trigger = "incident." + (created ? "created" : c.kind());
        String subject = c.incidentId() + "#" + c.seq();
        // The incident is read off the committing thread; counted so awaitIdle sees it.
        inFlight.incrementAndGet();
        pool.execute(
            () -> {
              try {
                Incident i = cases.get(c.incidentId());
                submit(p, trigger, subject, values(p, trigger, null, i, c));
              } catch (CaseException | RuntimeException e) {
                LOG.warn(
                    "playbook {}: cannot read incident {}: {}",
                    p.name(),
                    c.incidentId(),
                    e.toString());
              } finally {
                inFlight.decrementAndGet();
              }
            });
      }
    }
  }

  static boolean matches(Playbook.Trigger t, Alert a) {
    if (!t.rules().isEmpty() && !t.rules().contains(a.ruleId())) {
      return false;
    }
    if (!t.tags().isEmpty() && a.tags().stream().noneMatch(t.tags()::contains)) {
      return false;
    }
    return t.minLevel() == null
        || AlertPolicy.LEVELS.indexOf(a.level()) >= AlertPolicy.LEVELS.indexOf(t.minLevel());
  }

  private void submit(Playbook p, String trigger, String subject, Map<String, String> values) {
    if (!slots.tryAcquire()) {
      try {
        log.finish(log.start(p.name(), trigger, subject, "skipped"), "skipped");
      } catch (CaseException | RuntimeException e) {
        LOG.warn("playbook {}: cannot record a skipped run: {}", p.name(), e.toString());
      }
      LOG.warn(
          "playbook {}: {} runs in progress; {} {} skipped",
          p.name(),
          MAX_CONCURRENT,
          trigger,
          subject);
      return;
    }
    inFlight.incrementAndGet();
    pool.execute(
        () -> {
          try {
            run(p, trigger, subject, values);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (CaseException | RuntimeException e) {
            LOG.warn("playbook {} on {} {}: {}", p.name(), trigger, subject, e.toString());
          } finally {
            slots.release();
            inFlight.decrementAndGet();
          }
        });
  }

  private void run(Playbook p, String trigger, String subject, Map<String, String> values)
      throws CaseException, InterruptedException {
    String runId = log.start(p.name(), trigger, subject, "running");
    if (runId == null) {
      return; // this trigger already ran this playbook
    }
    Map<String, Object> payload = payload(p, trigger, values);
    boolean allOk = true;
    int index = 0;
    for (Step s : p.steps()) {
      long started = cases.now();
      Actions.Result r = actions.run(s, values, payload, runId + ":" + index);
      allOk &= r.ok();
      log.step(
          runId,
          new RunLog.StepRecord(
              index,
              s.name(),
              s.action(),
              r.ok() ? "ok" : "failed",
              r.attempts(),
              r.detail(),
              started,
              cases.now()));
      index++;
    }
    log.finish(runId, allOk ? "ok" : "failed");
  }

  /** What a webhook receives: the trigger and the alert, incident and change it is about. */
  private static Map<String, Object> payload(Playbook p, String trigger, Map<String, String> v) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("playbook", p.name());
    out.put("trigger", trigger);
    for (String group : List.of("alert", "incident", "change")) {
      Map<String, String> m = new LinkedHashMap<>();
      v.forEach(
          (k, val) -> {
            if (k.startsWith(group + ".")) {
              m.put(k.substring(group.length() + 1), val);
            }
          });
      if (!m.isEmpty()) {
        out.put(group, m);
      }
    }
    return out;
  }

  private Map<String, String> values(
      Playbook p, String trigger, Alert a, Incident i, CaseStore.Change c) {
    Map<String, String> v = new HashMap<>();
    v.put("playbook", p.name());
    v.put("trigger", trigger);
    if (a != null) {
      v.put("alert.id", a.id());
      v.put("alert.rule_id", a.ruleId());
      v.put("alert.title", a.title());
      v.put("alert.level", a.level());
      v.put("alert.tags", String.join(", ", a.tags()));
      v.put("alert.techniques", String.join(", ", a.techniques()));
      putIf(v, "alert.host", a.entities().host());
      putIf(v, "alert.user", a.entities().user());
      putIf(v, "alert.source_ip", a.entities().sourceIp());
      putIf(v, "alert.process", a.entities().process());
      v.put("alert.event_time", Instant.ofEpochSecond(0, a.eventTime()).toString());
    }
    if (i != null) {
      v.put("incident.id", i.id());
      v.put("incident.title", i.title());
      v.put("incident.status", i.status().label());
      v.put("incident.priority", i.priority());
      putIf(v, "incident.owner", i.owner());
      putIf(v, "incident.host", i.host());
      putIf(v, "incident.user", i.user());
      v.put("incident.tags", String.join(", ", i.tags()));
      if (settings.consoleUrl() != null) {
        v.put("incident.url", settings.consoleUrl() + "/incidents/" + i.id());
      }
    }
    if (c != null) {
      v.put("change.kind", c.kind());
      v.put("change.actor", c.actor());
      v.put("change.detail", c.detail());
    }
    return v;
  }

  private static void putIf(Map<String, String> v, String k, String value) {
    if (value != null) {
      v.put(k, value);
    }
  }

  /** Waits until no run is in progress (tests, shutdown); false on timeout. */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (inFlight.get() > 0 || slots.availablePermits() < MAX_CONCURRENT) {
      if (System.nanoTime() > end) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  @Override
  public void close() {
    pool.shutdown();
    try {
      if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
        pool.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
