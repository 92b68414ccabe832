package dev.rampart.sigma.coverage;

import dev.rampart.sigma.rule.AttackTags;
import dev.rampart.sigma.rule.SigmaCorrelation;
import dev.rampart.sigma.rule.SigmaRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Which ATT&CK techniques a rule set covers, by tactic, from the rules' own tags ({@code
 * attack.t1003.001}, {@code attack.credential_access} or {@code attack.credential-access}), with
 * how many of each technique's rules are on and, when given, the alerts that named it. Sigma tags
 * do not pair a technique with a tactic, so a rule's techniques count under every tactic it names;
 * a rule naming none puts them under {@link #NO_TACTIC}. Pure: the same rules give the same answer.
 *
 * <pre>{@code
 * AttackCoverage.Coverage c = AttackCoverage.of(set.rules(), set.correlations(), key -> true, null);
 * }</pre>
 */
public final class AttackCoverage {
  /** The ATT&CK enterprise tactics in the matrix's order, as Sigma tags name them. */
  public static final List<String> TACTICS =
      List.of(
          "reconnaissance",
          "resource_development",
          "initial_access",
          "execution",
          "persistence",
          "privilege_escalation",
          "defense_evasion",
          "credential_access",
          "discovery",
          "lateral_movement",
          "collection",
          "command_and_control",
          "exfiltration",
          "impact");

  /** Where techniques go whose rules name no tactic (and those seen only in alerts). */
  public static final String NO_TACTIC = "other";

  /**
   * One technique: how many rules (detections and correlations) carry it, how many of them are on,
   * the alerts that named it in the period, and the rules' titles.
   */
  public record Technique(String id, int rules, int enabled, long alerts, List<String> titles) {
    /** 0 (none) to 3 (a hundred or more): how loud the technique was, for the picture. */
    public int heat() {
      return alerts == 0 ? 0 : alerts < 10 ? 1 : alerts < 100 ? 2 : 3;
    }
  }

  /** A tactic's column: its tag (underscores), how people write it, its techniques by id. */
  public record Tactic(String tag, String label, List<Technique> techniques) {}

  /**
   * The tactics that have techniques, in matrix order ({@link #NO_TACTIC} last); how many rules
   * there are, how many carry a technique, how many techniques, and the alerts counted (null when
   * none were given).
   */
  public record Coverage(
      List<Tactic> tactics, int rules, int tagged, int techniques, Long alerts, int days) {}

  private AttackCoverage() {}

  /**
   * The coverage of {@code rules} and {@code correlations}; {@code enabled} says whether a rule (by
   * its id, else name, else title or file) is on; {@code alertsByTechnique} (technique id → alerts
   * in the last {@code days}) may be null.
   */
  public static Coverage of(
      List<SigmaRule> rules,
      List<SigmaCorrelation> correlations,
      Predicate<String> enabled,
      Map<String, Long> alertsByTechnique,
      int days) {
    record Tagged(String title, String key, List<String> tags) {}
    List<Tagged> all = new ArrayList<>();
    for (SigmaRule r : rules) {
      all.add(new Tagged(r.title(), r.id() != null ? r.id() : r.file(), r.tags()));
    }
    for (SigmaCorrelation c : correlations) {
      all.add(
          new Tagged(
              c.title() + " (correlation)",
              c.id() != null ? c.id() : c.name() != null ? c.name() : c.title(),
              c.tags()));
    }
    Map<String, int[]> counts = new TreeMap<>(); // id -> rules, enabled
    Map<String, Set<String>> tacticsOf = new HashMap<>();
    Map<String, List<String>> titles = new HashMap<>();
    int tagged = 0;
    for (Tagged t : all) {
      List<String> techniques = AttackTags.techniques(t.tags());
      List<String> tactics = new ArrayList<>();
      for (String tag : t.tags()) {
        String x = tag.toLowerCase(Locale.ROOT).replace('-', '_');
        if (x.startsWith("attack.") && TACTICS.contains(x.substring("attack.".length()))) {
          tactics.add(x.substring("attack.".length()));
        }
      }
      if (techniques.isEmpty()) {
        continue;
      }
      tagged++;
      boolean on = enabled.test(t.key());
      for (String id : new LinkedHashSet<>(techniques)) {
        int[] n = counts.computeIfAbsent(id, k -> new int[2]);
        n[0]++;
        n[1] += on ? 1 : 0;
        titles.computeIfAbsent(id, k -> new ArrayList<>()).add(t.title());
        tacticsOf
            .computeIfAbsent(id, k -> new TreeSet<>())
            .addAll(tactics.isEmpty() ? List.of(NO_TACTIC) : tactics);
      }
    }
    long alerts = 0;
    if (alertsByTechnique != null) {
      for (var e : alertsByTechnique.entrySet()) {
        alerts += e.getValue();
        if (!counts.containsKey(e.getKey())) { // its rule is gone, or it came from elsewhere
          counts.put(e.getKey(), new int[2]);
          tacticsOf.put(e.getKey(), Set.of(NO_TACTIC));
        }
      }
    }
    List<Tactic> columns = new ArrayList<>();
    List<String> order = new ArrayList<>(TACTICS);
    order.add(NO_TACTIC);
    for (String tactic : order) {
      List<Technique> ts = new ArrayList<>();
      counts.forEach(
          (id, n) -> {
            if (tacticsOf.get(id).contains(tactic)) {
              List<String> names = new ArrayList<>(titles.getOrDefault(id, List.of()));
              names.sort(String.CASE_INSENSITIVE_ORDER);
              ts.add(
                  new Technique(
                      id,
                      n[0],
                      n[1],
                      alertsByTechnique == null ? 0 : alertsByTechnique.getOrDefault(id, 0L),
                      names));
            }
          });
      if (!ts.isEmpty()) {
        columns.add(new Tactic(tactic, label(tactic), ts));
      }
    }
    return new Coverage(
        columns,
        all.size(),
        tagged,
        counts.size(),
        alertsByTechnique == null ? null : alerts,
        days);
  }

  /** {@code command_and_control} as people write it: Command and Control. */
  public static String label(String tactic) {
    if (tactic.equals(NO_TACTIC)) {
      return "No tactic named";
    }
    StringBuilder b = new StringBuilder();
    for (String w : tactic.split("_")) {
      b.append(b.isEmpty() ? "" : " ");
      b.append(w.equals("and") ? w : Character.toUpperCase(w.charAt(0)) + w.substring(1));
    }
    return b.toString();
  }
}
