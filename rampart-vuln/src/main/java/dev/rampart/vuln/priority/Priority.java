package dev.rampart.vuln.priority;

import dev.rampart.vuln.score.Cvss;
import java.util.List;

/**
 * How urgent a finding is: the CVSS base score of the advisory's newest vector (4.0 over 3.1 over
 * 3.0 over 2.0, as scanners and NVD prefer), its severity band, and the KEV entry when the flaw is
 * exploited in the wild.
 *
 * @param vector the vector scored; null when the advisory gives none
 * @param score the base score; null when there is no usable vector
 * @param severity none, low, medium, high, critical, or unknown without a score
 * @param kev the KEV entry; null when not listed
 */
public record Priority(String vector, Double score, String severity, Kev.Entry kev) {
  public static final Priority UNKNOWN = new Priority(null, null, "unknown", null);

  /** The priority from the advisory's vectors; vectors that cannot be read are passed over. */
  public static Priority of(List<String> vectors) {
    String best = null;
    Cvss.Score bestScore = null;
    for (String v : vectors) {
      Cvss.Score s;
      try {
        s = Cvss.of(v);
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (bestScore == null || s.version().compareTo(bestScore.version()) > 0) {
        best = v;
        bestScore = s;
      }
    }
    return bestScore == null
        ? UNKNOWN
        : new Priority(best, bestScore.base(), Cvss.severity(bestScore.base()), null);
  }

  public Priority withKev(Kev.Entry e) {
    return e == null ? this : new Priority(vector, score, severity, e);
  }
}
