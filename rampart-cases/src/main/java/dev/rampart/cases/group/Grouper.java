package dev.rampart.cases.group;

import dev.rampart.alerting.alert.Alert;
import dev.rampart.cases.CaseStore;
import dev.rampart.cases.incident.CaseException;
import dev.rampart.cases.incident.Incident;
import java.time.Duration;
import java.util.List;

/**
 * Turns alerts into incidents: an alert joins the open incident about the same host (or, for alerts
 * without a host, the same user) updated within the window; otherwise it opens a new one, whose
 * priority follows the rule's level. An alert already in an incident (a replay after a crash) is
 * skipped. Meant for one consumer thread, after the detector.
 */
public final class Grouper {
  /**
   * @param window how long an incident keeps collecting related alerts after its last change
   */
  public record Options(Duration window) {
    public static Options defaults() {
      return new Options(Duration.ofHours(1));
    }
  }

  private final CaseStore cases;
  private final Options options;

  public Grouper(CaseStore cases, Options options) {
    this.cases = cases;
    this.options = options;
  }

  /** Files {@code alerts}; returns how many opened a new incident. */
  public int accept(List<Alert> alerts) throws CaseException {
    int opened = 0;
    for (Alert a : alerts) {
      if (cases.hasAlert(a.id())) {
        continue;
      }
      String host = a.entities().host();
      String user = host == null ? a.entities().user() : null;
      Incident open = cases.findOpen(host, user, cases.now() - options.window().toMillis());
      if (open != null) {
        cases.addAlerts(open.id(), List.of(a), "grouper");
      } else {
        String about = host != null ? host : user != null ? user : a.entities().sourceIp();
        cases.open(
            a.title() + (about == null ? "" : " on " + about),
            priority(a.level()),
            List.of(a),
            "grouper");
        opened++;
      }
    }
    return opened;
  }

  /** The incident priority for a rule level. */
  static String priority(String level) {
    return switch (level) {
      case "critical" -> "critical";
      case "high" -> "high";
      case "medium" -> "medium";
      default -> "low";
    };
  }
}
