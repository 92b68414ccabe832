package dev.rampart.server.report;

import dev.rampart.cases.CaseStore;
import dev.rampart.cases.incident.CaseException;
import dev.rampart.cases.incident.Incident;
import dev.rampart.cases.queue.AlertQueue;
import dev.rampart.store.query.QueryException;
import dev.rampart.store.search.EventSearch;
import dev.rampart.store.search.SearchRequest;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One incident written up for a handover (the next shift, management, counsel, an insurer): its
 * facts and SLAs, the ATT&CK techniques and alerts behind it, the analysts' notes, the timeline,
 * and the stored events it rests on (the alerts' events and those linked as evidence, as stored).
 * The same {@link ReportFormat}s as the SOC report write it.
 *
 * @param events the stored events, oldest first, at most {@link #MAX_EVENTS}
 * @param notes what the reader should know about what is missing (events not found, not counted)
 */
public record IncidentReport(
    Incident incident,
    long generatedAt,
    List<String> techniques,
    List<AlertLine> alerts,
    List<CaseStore.Evidence> evidence,
    List<Map<String, Object>> events,
    List<CaseStore.Comment> comments,
    List<CaseStore.Entry> timeline,
    List<String> notes) {
  /** Most stored events a report carries; the rest are named by id. */
  public static final int MAX_EVENTS = 200;

  private static final DateTimeFormatter SECOND =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  public IncidentReport {
    techniques = List.copyOf(techniques);
    alerts = List.copyOf(alerts);
    evidence = List.copyOf(evidence);
    events = List.copyOf(events);
    comments = List.copyOf(comments);
    timeline = List.copyOf(timeline);
    notes = List.copyOf(notes);
  }

  /** An alert of the incident with what the queue knows of it. */
  public record AlertLine(
      String id,
      String ruleId,
      String title,
      String level,
      long eventTime,
      long detectedAt,
      List<String> techniques,
      List<Long> eventIds) {}

  /**
   * Writes up {@code i}; {@code events} null leaves the stored events out (the reader may not read
   * events), otherwise they are searched within {@code scope} (the reader's tenants).
   */
  public static IncidentReport build(CaseStore cases, Incident i, EventSearch events, String scope)
      throws CaseException {
    List<AlertLine> alerts = new ArrayList<>();
    Set<String> techniques = new TreeSet<>();
    Set<Long> ids = new LinkedHashSet<>();
    for (CaseStore.LinkedAlert a : cases.alerts(i.id())) {
      AlertQueue.Row row;
      try {
        row = cases.queue().get(a.alertId(), Set.of());
      } catch (CaseException notQueued) {
        row = null; // alerts filed before the queue existed
      }
      List<String> t = row == null ? List.of() : row.techniques();
      List<Long> e = row == null ? List.of() : row.eventIds();
      techniques.addAll(t);
      ids.addAll(e);
      alerts.add(
          new AlertLine(
              a.alertId(), a.ruleId(), a.title(), a.level(), a.eventTime(), a.detectedAt(), t, e));
    }
    List<CaseStore.Evidence> evidence = cases.evidence(i.id());
    evidence.forEach(e -> ids.add(e.eventId()));
    List<String> notes = new ArrayList<>();
    List<Map<String, Object>> stored = new ArrayList<>();
    if (events == null) {
      if (!ids.isEmpty()) {
        notes.add("Stored events are left out: reading them needs the events:read permission.");
      }
    } else if (!ids.isEmpty()) {
      stored = fetch(events, scope, ids, notes);
    }
    return new IncidentReport(
        i,
        cases.now(),
        List.copyOf(techniques),
        alerts,
        evidence,
        stored,
        cases.comments(i.id()),
        cases.timeline(i.id()),
        notes);
  }

  /** The events with these ids, oldest first, in batches of one query each; what lacks is said. */
  private static List<Map<String, Object>> fetch(
      EventSearch events, String scope, Set<Long> ids, List<String> notes) {
    List<Long> wanted = new ArrayList<>(ids);
    if (wanted.size() > MAX_EVENTS) {
      notes.add(
          "The report carries "
              + MAX_EVENTS
              + " of the "
              + wanted.size()
              + " events; search the rest by _id.");
      wanted = wanted.subList(0, MAX_EVENTS);
    }
    List<Map<String, Object>> out = new ArrayList<>();
    try {
      for (int k = 0; k < wanted.size(); k += 50) {
        List<Long> batch = wanted.subList(k, Math.min(wanted.size(), k + 50));
        StringBuilder q = new StringBuilder();
        for (Long id : batch) {
          q.append(q.isEmpty() ? "" : " OR ").append("_id:").append(id);
        }
        out.addAll(
            events
                .search(SearchRequest.of(q.toString()).withLimit(batch.size()).scoped(scope))
                .rows());
      }
    } catch (IOException | QueryException | RuntimeException e) {
      notes.add("Stored events could not be read: " + e.getMessage());
      return List.of();
    }
    out.sort(
        java.util.Comparator.comparing(
                (Map<String, Object> m) -> String.valueOf(m.get("@timestamp")))
            .thenComparing(m -> String.valueOf(m.get("_id"))));
    if (out.size() < wanted.size()) {
      notes.add(
          (wanted.size() - out.size())
              + " of the incident's events are no longer in the store (retention) or not yet"
              + " indexed.");
    }
    return out;
  }

  /** "2026-01-05 10:00:00 UTC", or "-" for null. */
  public static String time(Long millis) {
    return millis == null ? "-" : SECOND.format(Instant.ofEpochMilli(millis)) + " UTC";
  }

  /** The facts at the top, as label and value, the same in every format. */
  public List<Map.Entry<String, String>> facts() {
    Incident i = incident;
    Map<String, String> f = new LinkedHashMap<>();
    f.put("Id", i.id());
    f.put(
        "Status",
        i.status().label()
            + (i.mergedInto() == null ? "" : " (merged into " + i.mergedInto() + ")"));
    f.put("Priority", i.priority());
    f.put("Owner", i.owner() == null ? "-" : i.owner());
    f.put("Host", i.host() == null ? "-" : i.host());
    f.put("User", i.user() == null ? "-" : i.user());
    f.put("Tenant", i.tenant());
    f.put("Opened", time(i.createdAt()));
    f.put("Acknowledged", time(i.acknowledgedAt()) + sla(i.acknowledgedAt(), i.ackDueAt()));
    f.put("Closed", time(i.resolvedAt()) + sla(i.resolvedAt(), i.resolveDueAt()));
    f.put(
        "Time to acknowledge",
        i.acknowledgedAt() == null
            ? "-"
            : SocReport.duration((double) (i.acknowledgedAt() - i.createdAt())));
    f.put(
        "Time to close",
        i.resolvedAt() == null
            ? "-"
            : SocReport.duration((double) (i.resolvedAt() - i.createdAt())));
    f.put("Tags", i.tags().isEmpty() ? "-" : String.join(", ", i.tags()));
    f.put("ATT&CK techniques", techniques.isEmpty() ? "-" : String.join(", ", techniques));
    f.put("Report generated", time(generatedAt));
    return List.copyOf(f.entrySet());
  }

  /** " (due 2026-.. UTC: met)" when an SLA applies. */
  private String sla(Long done, Long due) {
    if (due == null) {
      return "";
    }
    String verdict;
    if (done != null) {
      verdict = done <= due ? "met" : "missed";
    } else {
      verdict = due < generatedAt ? "missed" : "open";
    }
    return " (SLA due " + time(due) + ": " + verdict + ")";
  }

  /** A stored event's time and host for its heading. */
  public static String heading(Map<String, Object> event) {
    Object host = event.getOrDefault("rampart.host", event.get("host.name"));
    return "Event "
        + event.get("_id")
        + " at "
        + event.get("@timestamp")
        + (host == null ? "" : " on " + host);
  }
}
