package dev.rampart.prevention.risk;

import dev.rampart.prevention.identity.Directory;
import dev.rampart.prevention.training.Awareness;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A person's risk score, 0 to 100, with its reasons, from what prevention knows: privileged access
 * (more to lose), recent phishing-simulation failures (submitted credentials weigh double a click;
 * reporting the message takes some off), overdue training, and recent alerts about their accounts.
 * Pure: the same facts give the same score, and every point has a reason an analyst can read.
 */
public final class IdentityRisk {
  /** One reason and its points. */
  public record Reason(int points, String why) {}

  public record Score(int value, String level, List<Reason> reasons) {
    /** Whether an alert about this person should rise one priority step. */
    public boolean raisesPriority() {
      return value >= HIGH;
    }
  }

  static final int HIGH = 50;
  static final long DAY = 86_400_000L;

  /** How far back simulations and alerts count. */
  public static final long WINDOW_MS = 90 * DAY;

  private IdentityRisk() {}

  /**
   * @param recentAlerts alerts about the person's accounts in the last 30 days
   */
  public static Score score(Directory.Person p, Awareness.History h, int recentAlerts, long now) {
    List<Reason> reasons = new ArrayList<>();
    List<String> privileged =
        p.memberships().stream()
            .filter(Directory.Membership::privileged)
            .map(Directory.Membership::group)
            .toList();
    if (!privileged.isEmpty()) {
      reasons.add(new Reason(25, "privileged: member of " + String.join(", ", privileged)));
    }
    int clicked = 0;
    int submitted = 0;
    int reported = 0;
    for (long[] s : h.phishing()) {
      if (now - s[0] > WINDOW_MS) {
        continue;
      }
      if (s[2] != 0) {
        submitted++;
      } else if (s[1] != 0) {
        clicked++;
      }
      if (s[3] != 0) {
        reported++;
      }
    }
    if (submitted > 0) {
      reasons.add(
          new Reason(
              Math.min(60, 30 * submitted),
              "submitted credentials in " + submitted + " phishing simulation(s) in 90 days"));
    }
    if (clicked > 0) {
      reasons.add(
          new Reason(
              Math.min(30, 15 * clicked),
              "clicked " + clicked + " phishing simulation(s) in 90 days"));
    }
    if (reported > 0) {
      reasons.add(
          new Reason(
              -Math.min(15, 5 * reported), "reported " + reported + " simulation(s) (good)"));
    }
    if (!h.overdue().isEmpty()) {
      List<String> courses = h.overdue().stream().map(Awareness.Overdue::course).toList();
      reasons.add(
          new Reason(
              Math.min(30, 10 * courses.size()),
              "overdue training: " + String.join(", ", courses)));
    }
    if (recentAlerts > 0) {
      reasons.add(
          new Reason(
              Math.min(25, 5 * recentAlerts),
              recentAlerts + " alert(s) about their accounts in 30 days"));
    }
    if (!p.active() && recentAlerts > 0) {
      reasons.add(new Reason(20, "the account is disabled, yet alerts name it"));
    }
    int v = 0;
    for (Reason r : reasons) {
      v += r.points();
    }
    v = Math.max(0, Math.min(100, v));
    String level = v >= 75 ? "critical" : v >= HIGH ? "high" : v >= 25 ? "medium" : "low";
    return new Score(v, level.toLowerCase(Locale.ROOT), List.copyOf(reasons));
  }
}
