package dev.rampart.sigma.rule;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * ATT&CK technique ids in Sigma tags ({@code attack.t1003.001}, any case), for alerts, listings and
 * coverage alike: one reading of the tags everywhere.
 */
public final class AttackTags {
  private static final Pattern TECHNIQUE = Pattern.compile("attack\\.(t\\d{4}(\\.\\d{3})?)");

  private AttackTags() {}

  /** The technique ids among {@code tags}, upper case ({@code T1003.001}), in tag order. */
  public static List<String> techniques(List<String> tags) {
    List<String> out = new ArrayList<>(2);
    for (String t : tags) {
      var m = TECHNIQUE.matcher(t.toLowerCase(Locale.ROOT));
      if (m.matches()) {
        out.add(m.group(1).toUpperCase(Locale.ROOT));
      }
    }
    return out;
  }
}
