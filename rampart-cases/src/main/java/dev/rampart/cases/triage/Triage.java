package dev.rampart.cases.triage;

import dev.rampart.alerting.alert.Alert;
import dev.rampart.cases.CaseStore;
import dev.rampart.cases.db.Db;
import dev.rampart.cases.exception.AlertException;
import dev.rampart.cases.incident.CaseException;
import dev.rampart.cases.incident.Incident;
import dev.rampart.cases.queue.AlertQueue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Alert handling between detection and incidents, in this order: an analyst's exception silences
 * the alert; a suppression window swallows a repeat; the rule's severity may be overridden; then
 * the alert joins the open incident about the same entity (its host, or its user when it has no
 * host, by default) changed within the grouping window, or opens one whose priority follows the
 * level. Alerts already in an incident (a replay after a crash) are skipped. Every alert stays in
 * the alert log whatever happens here. Suppression windows are kept in the case database as they
 * open, so a restart does not reopen them. Meant for one consumer thread, after the detector.
 */
public final class Triage {
  /** What happened to one alert that reached an incident. */
  public record Filed(Alert alert, Incident incident, boolean opened) {}

  /**
   * Counts since start: filed into incidents, new incidents, suppressed, silenced by exceptions.
   */
  public record Counts(long filed, long opened, long suppressed, long excepted) {}

  private final CaseStore cases;
  private volatile AlertPolicy policy;

  /** A running suppression window: when it ends (epoch ms) and the alert that opened it. */
  private record Window(long until, String openedBy) {}

  // SHA-256 of the suppression key -> its window; as in the database, pruned of expired ones
  private final Map<String, Window> windows = new HashMap<>();
  private final Map<String, LongAdder> suppressedByRule = new ConcurrentHashMap<>();
  private final LongAdder filed = new LongAdder();
  private final LongAdder opened = new LongAdder();
  private final LongAdder suppressed = new LongAdder();
  private final LongAdder excepted = new LongAdder();
  private final List<Consumer<Filed>> listeners = new CopyOnWriteArrayList<>();
  private volatile Identities identities = new Identities() {};

  /**
   * What preventive controls know about an alert's people (they live in another module, so they
   * reach triage through this seam): an approved change that explains the alert takes it off the
   * queue; a high-risk identity raises its incident's priority one step. Each answer is a reason
   * for the audit trail, or null.
   */
  public interface Identities {
    /** Why this alert is expected (an approved change matches it), or null. */
    default String approved(Alert a) {
      return null;
    }

    /** Why this alert's incident should be one priority higher, or null. */
    default String raise(Alert a) {
      return null;
    }
  }

  public void identities(Identities i) {
    this.identities = i;
  }

  public Triage(CaseStore cases, AlertPolicy policy) throws CaseException {
    this.cases = cases;
    this.policy = policy;
    cases.sla(policy.sla());
    long now = cases.now();
    cases
        .db()
        .tx(
            c -> {
              Db.update(c, "DELETE FROM suppression_windows WHERE until_ms <= ?", now);
              for (Object[] w :
                  Db.query(
                      c,
                      "SELECT window_key, until_ms, opened_by FROM suppression_windows",
                      r -> new Object[] {r.getString(1), r.getLong(2), r.getString(3)})) {
                windows.put((String) w[0], new Window((Long) w[1], (String) w[2]));
              }
              return null;
            });
  }

  /**
   * Replaces the policy (a reloaded file); suppression windows already running continue. The change
   * of the file's exceptions goes to the audit trail, by {@code actor}.
   */
  public void policy(AlertPolicy p, String actor) throws CaseException {
    AlertPolicy old = this.policy;
    this.policy = p;
    cases.sla(p.sla());
    List<AlertPolicy.FileException> added = new ArrayList<>(p.exceptions());
    added.removeAll(old.exceptions());
    List<AlertPolicy.FileException> removed = new ArrayList<>(old.exceptions());
    removed.removeAll(p.exceptions());
    for (AlertPolicy.FileException e : added) {
      cases.audit(actor, "exception.file.add", e.rule(), describe(e));
    }
    for (AlertPolicy.FileException e : removed) {
      cases.audit(actor, "exception.file.remove", e.rule(), describe(e));
    }
  }

  private static String describe(AlertPolicy.FileException e) {
    return "rule "
        + e.rule()
        + " host "
        + (e.host() == null ? "*" : e.host())
        + " user "
        + (e.user() == null ? "*" : e.user())
        + " until "
        + java.time.Instant.ofEpochMilli(e.expiresAt())
        + (e.by() == null ? "" : " by " + e.by())
        + ": "
        + e.reason();
  }

  public AlertPolicy policy() {
    return policy;
  }

  /** Tells {@code listener} of each alert filed into an incident (after it is committed). */
  public void onFiled(Consumer<Filed> listener) {
    listeners.add(listener);
  }

  /** Handles {@code alerts}; returns how many opened a new incident. */
  public int accept(List<Alert> alerts) throws CaseException {
    AlertPolicy p = policy;
    int newIncidents = 0;
    for (Alert raw : alerts) {
      if (cases.queue().has(raw.id()) || cases.hasAlert(raw.id())) {
        continue;
      }
      String host = raw.entities().host();
      String user = raw.entities().user();
      AlertException ex = cases.exceptions().match(raw.ruleId(), host, user);
      if (ex != null || fileException(p, raw) != null) {
        excepted.increment();
        cases.queue().record(raw, AlertQueue.EXCEPTED);
        continue;
      }
      String approved = identities.approved(raw);
      if (approved != null) {
        excepted.increment();
        cases.queue().record(raw, AlertQueue.EXCEPTED);
        cases.audit("triage", "alert.approved-change", raw.id(), approved);
        continue;
      }
      if (suppress(p, raw)) {
        suppressed.increment();
        suppressedByRule.computeIfAbsent(raw.ruleId(), k -> new LongAdder()).increment();
        cases.queue().record(raw, AlertQueue.SUPPRESSED);
        continue;
      }
      Alert a = withLevel(raw, p.severity().get(raw.ruleId()));
      Incident open = null;
      String about = null;
      long since = cases.now() - p.groupWindow().toMillis();
      for (String key : p.groupBy()) {
        String value = key.equals("host") ? host : user;
        if (value == null) {
          continue;
        }
        // The first entity the alert has decides: a host's alerts never join a user's incident.
        about = value;
        open =
            cases.findOpen(
                raw.tenant(),
                key.equals("host") ? value : null,
                key.equals("user") ? value : null,
                since);
        break;
      }
      Incident i;
      boolean isNew = open == null;
      String raise = identities.raise(a);
      if (open != null) {
        i = cases.addAlerts(open.id(), List.of(a), "triage");
        if (raise != null) {
          String up = higher(priority(a.level()));
          if (rank(up) > rank(i.priority())) {
            i = cases.prioritize(i.id(), up, "triage: " + raise);
          }
        }
      } else {
        if (about == null) {
          about = host != null ? host : user != null ? user : a.entities().sourceIp();
        }
        i =
            cases.open(
                a.title() + (about == null ? "" : " on " + about),
                raise == null ? priority(a.level()) : higher(priority(a.level())),
                List.of(a),
                raise == null ? "triage" : "triage: " + raise);
        newIncidents++;
        opened.increment();
      }
      filed.increment();
      for (Consumer<Filed> l : listeners) {
        l.accept(new Filed(a, i, isNew));
      }
    }
    return newIncidents;
  }

  private AlertPolicy.FileException fileException(AlertPolicy p, Alert a) {
    long now = cases.now();
    for (AlertPolicy.FileException e : p.exceptions()) {
      if (e.covers(a.ruleId(), a.entities().host(), a.entities().user(), now)) {
        return e;
      }
    }
    return null;
  }

  /**
   * Whether a suppression window covers {@code a}; starts a window when one applies, saved before
   * the alert is filed (a crash in between replays the alert, which its own window lets through).
   */
  private boolean suppress(AlertPolicy p, Alert a) throws CaseException {
    long now = cases.now();
    for (AlertPolicy.Suppression s : p.suppress()) {
      if (!s.appliesTo(a.ruleId())) {
        continue;
      }
      StringBuilder key = new StringBuilder(a.ruleId());
      for (String f : s.by()) {
        key.append('\u0001').append(value(a, f));
      }
      String k = sha256(key.toString());
      Window w = windows.get(k);
      if (w != null && w.until() > now) {
        return !w.openedBy().equals(a.id());
      }
      if (windows.size() >= 100_000) {
        prune(now);
      }
      Window opened = new Window(now + s.window().toMillis(), a.id());
      cases
          .db()
          .tx(
              c ->
                  Db.update(
                      c,
                      "INSERT INTO suppression_windows (window_key, until_ms, opened_by)"
                          + " VALUES (?,?,?) ON CONFLICT (window_key) DO UPDATE"
                          + " SET until_ms = excluded.until_ms, opened_by = excluded.opened_by",
                      k,
                      opened.until(),
                      opened.openedBy()));
      windows.put(k, opened);
      return false;
    }
    return false;
  }

  private void prune(long now) throws CaseException {
    windows.values().removeIf(w -> w.until() <= now);
    cases.db().tx(c -> Db.update(c, "DELETE FROM suppression_windows WHERE until_ms <= ?", now));
  }

  private static String sha256(String s) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JDK has it
    }
  }

  private static String value(Alert a, String field) {
    return switch (field) {
      case "host" -> String.valueOf(a.entities().host());
      case "user" -> String.valueOf(a.entities().user());
      case "source.ip" -> String.valueOf(a.entities().sourceIp());
      case "process" -> String.valueOf(a.entities().process());
      default -> String.valueOf(a.matched().get(field));
    };
  }

  private static Alert withLevel(Alert a, String level) {
    if (level == null || level.equals(a.level())) {
      return a;
    }
    return new Alert(
        a.id(),
        a.ruleId(),
        a.title(),
        level,
        a.tags(),
        a.techniques(),
        a.eventIds(),
        a.eventTime(),
        a.detectedAt(),
        a.matched(),
        a.entities(),
        a.tenant());
  }

  /** One priority step up (critical stays). */
  static String higher(String priority) {
    int i = CaseStore.PRIORITIES.indexOf(priority);
    return i <= 0 ? CaseStore.PRIORITIES.get(0) : CaseStore.PRIORITIES.get(i - 1);
  }

  private static int rank(String priority) {
    int i = CaseStore.PRIORITIES.indexOf(priority);
    return i < 0 ? 0 : CaseStore.PRIORITIES.size() - i;
  }

  /** The incident priority for a rule level. */
  public static String priority(String level) {
    return switch (level) {
      case "critical" -> "critical";
      case "high" -> "high";
      case "medium" -> "medium";
      default -> "low";
    };
  }

  public Counts counts() {
    return new Counts(filed.sum(), opened.sum(), suppressed.sum(), excepted.sum());
  }

  /** Suppressed alerts per rule id since start. */
  public Map<String, Long> suppressedByRule() {
    Map<String, Long> out = new HashMap<>();
    suppressedByRule.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
