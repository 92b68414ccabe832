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
 * how many of each technique's rules are on and, when given, the alerts that named it. With an
 * {@link AttackCatalog} (MITRE's data, imported by the user) techniques have names, sit under the
 * tactics ATT&CK gives them, tags naming deprecated, revoked or unknown techniques are pointed out,
 * and each tactic lists the techniques no rule covers. Without one, Sigma tags do not pair a
 * technique with a tactic, so a rule's techniques count under every tactic it names; a rule naming
 * none puts them under {@link #NO_TACTIC}. Pure: the same rules give the same answer.
 *
 * <pre>{@code
 * AttackCoverage.Coverage c =
 *     AttackCoverage.of(set.rules(), set.correlations(), key -> true, null, 0, catalog);
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
   * One technique: its name (null without a catalogue), how many rules (detections and
   * correlations) carry it, how many of them are on, the alerts that named it in the period, the
   * rules' titles, and what the catalogue says against the tag (deprecated, revoked, unknown), or
   * null.
   */
  public record Technique(
      String id,
      String name,
      int rules,
      int enabled,
      long alerts,
      List<String> titles,
      String problem) {
    /** 0 (none) to 3 (a hundred or more): how loud the technique was, for the picture. */
    public int heat() {
      return alerts == 0 ? 0 : alerts < 10 ? 1 : alerts < 100 ? 2 : 3;
    }
  }

  /** A current ATT&CK technique that no rule carries (nor any of its sub-techniques). */
  public record Gap(String id, String name) {}

  /**
   * A tactic's column: its tag (underscores), how people write it, its techniques by id; with a
   * catalogue, how many of ATT&CK's techniques (not counting sub-techniques) it has, how many of
   * them a rule covers (itself or through a sub-technique), and the others.
   */
  public record Tactic(
      String tag,
      String label,
      List<Technique> techniques,
      int known,
      int covered,
      List<Gap> gaps) {}

  /**
   * The tactics that have techniques (with a catalogue: every tactic), in matrix order ({@link
   * #NO_TACTIC} last); how many rules there are, how many carry a technique, how many techniques,
   * the alerts counted (null when none were given), and the catalogue's title (null without one).
   */
  public record Coverage(
      List<Tactic> tactics,
      int rules,
      int tagged,
      int techniques,
      Long alerts,
      int days,
      String catalog) {}

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
      int days,
      AttackCatalog catalog) {
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
    TreeMap<String, int[]> counts = new TreeMap<>(); // id -> rules, enabled
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
    if (catalog != null) { // ATT&CK's own tactics for the techniques it knows
      for (String id : counts.keySet()) {
        AttackCatalog.Technique known = catalog.technique(id);
        if (known != null && !known.tactics().isEmpty()) {
          tacticsOf.put(id, new TreeSet<>(known.tactics()));
        }
      }
    }
    List<Tactic> columns = new ArrayList<>();
    List<String> order = new ArrayList<>();
    if (catalog != null) {
      catalog.tactics().forEach(t -> order.add(t.tag()));
    }
    for (String t : TACTICS) {
      if (!order.contains(t)) {
        order.add(t);
      }
    }
    order.add(NO_TACTIC);
    for (String tactic : order) {
      List<Technique> ts = new ArrayList<>();
      counts.forEach(
          (id, n) -> {
            if (tacticsOf.get(id).contains(tactic)) {
              List<String> names = new ArrayList<>(titles.getOrDefault(id, List.of()));
              names.sort(String.CASE_INSENSITIVE_ORDER);
              AttackCatalog.Technique known = catalog == null ? null : catalog.technique(id);
              ts.add(
                  new Technique(
                      id,
                      known == null ? null : known.name(),
                      n[0],
                      n[1],
                      alertsByTechnique == null ? 0 : alertsByTechnique.getOrDefault(id, 0L),
                      names,
                      problem(catalog, known, id)));
            }
          });
      int known = 0;
      int covered = 0;
      List<Gap> gaps = new ArrayList<>();
      if (catalog != null) {
        for (AttackCatalog.Technique t : catalog.techniques()) {
          if (t.current() && !t.subTechnique() && t.tactics().contains(tactic)) {
            known++;
            if (carried(counts, t.id())) {
              covered++;
            } else {
              gaps.add(new Gap(t.id(), t.name()));
            }
          }
        }
      }
      if (!ts.isEmpty() || known > 0) {
        columns.add(new Tactic(tactic, label(catalog, tactic), ts, known, covered, gaps));
      }
    }
    return new Coverage(
        columns,
        all.size(),
        tagged,
        counts.size(),
        alertsByTechnique == null ? null : alerts,
        days,
        catalog == null ? null : catalog.title());
  }

  // a rule carries the technique or one of its sub-techniques
  private static boolean carried(TreeMap<String, int[]> counts, String id) {
    int[] n = counts.get(id);
    if (n != null && n[0] > 0) {
      return true;
    }
    for (var e : counts.tailMap(id + ".", true).entrySet()) {
      if (!e.getKey().startsWith(id + ".")) {
        break;
      }
      if (e.getValue()[0] > 0) {
        return true;
      }
    }
    return false;
  }

  private static String problem(AttackCatalog catalog, AttackCatalog.Technique known, String id) {
    if (catalog == null) {
      return null;
    }
    if (known == null) {
      return "not in " + catalog.title();
    }
    if (known.revoked()) {
      return known.revokedBy() == null
          ? "revoked in ATT&CK"
          : "revoked in ATT&CK: now " + known.revokedBy();
    }
    return known.deprecated() ? "deprecated in ATT&CK" : null;
  }

  private static String label(AttackCatalog catalog, String tactic) {
    if (catalog != null) {
      for (AttackCatalog.Tactic t : catalog.tactics()) {
        if (t.tag().equals(tactic)) {
          return t.name();
        }
      }
    }
    return label(tactic);
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
