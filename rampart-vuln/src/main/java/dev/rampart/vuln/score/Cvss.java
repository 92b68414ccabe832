package dev.rampart.vuln.score;

import java.util.Locale;
import org.metaeffekt.core.security.cvss.CvssVector;
import org.metaeffekt.core.security.cvss.v2.Cvss2;
import org.metaeffekt.core.security.cvss.v3.Cvss3;
import org.metaeffekt.core.security.cvss.v4P0.Cvss4P0;

/**
 * CVSS scores from vector strings (v2, v3.0, v3.1 with its Roundup, v4.0 with its macro-vector
 * lookup), computed by metaeffekt's calculator and proven against the corpora's vector files. A
 * vector that names an unknown metric, repeats one, or lacks a base metric is refused with why,
 * never scored as something else.
 */
public final class Cvss {
  private Cvss() {}

  /**
   * Scores of one vector. v3's temporal and environmental scores are defined without their metrics
   * (they equal the base then); v2's are null without theirs; v4.0 has none ({@code overall} folds
   * threat and environment in).
   */
  public record Score(
      String version,
      double base,
      Double temporal,
      Double environmental,
      double overall,
      String severity) {}

  /** The scores, or an {@link IllegalArgumentException} saying what is wrong with the vector. */
  public static Score of(String vector) {
    if (vector == null || vector.isBlank() || vector.length() > 512) {
      throw new IllegalArgumentException("not a CVSS vector: empty or too long");
    }
    String v = vector.strip();
    CvssVector parsed;
    try {
      // v2 vectors carry no "CVSS:" prefix as NVD publishes them
      parsed = v.startsWith("CVSS:") ? CvssVector.parseVector(v) : new Cvss2(v);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a CVSS vector: " + e.getMessage(), e);
    }
    if (parsed == null) {
      throw new IllegalArgumentException("not a CVSS vector (v2, v3.0, v3.1 or v4.0): " + v);
    }
    checkMetrics(v);
    return switch (parsed) {
      case Cvss4P0 c -> {
        if (!c.isBaseFullyDefined()) {
          throw new IllegalArgumentException("CVSS 4.0 vector lacks base metrics: " + v);
        }
        double s = c.getOverallScore();
        yield new Score("4.0", c.getBaseScore(), null, null, s, severity(s));
      }
      case Cvss3 c -> {
        if (!c.isBaseFullyDefined()) {
          throw new IllegalArgumentException("CVSS 3 vector lacks base metrics: " + v);
        }
        double base = c.getBaseScore();
        // without their metrics, the temporal score is the base and the environmental the temporal
        double temporal = c.isAnyTemporalDefined() ? c.getTemporalScore() : base;
        double environmental;
        if (c.isAnyEnvironmentalDefined()) {
          environmental = c.getEnvironmentalScore();
        } else if (v.startsWith("CVSS:3.0/")) {
          environmental = temporal;
        } else {
          // 3.1 changed the scope-changed modified impact, so the environmental score differs
          // from the base even without environmental metrics: score it with the neutral
          // requirements (M weighs 1.0, as X does)
          CvssVector neutral = CvssVector.parseVector(v + "/CR:M/IR:M/AR:M");
          environmental = neutral instanceof Cvss3 n ? n.getEnvironmentalScore() : temporal;
        }
        yield new Score(
            v.startsWith("CVSS:3.0/") ? "3.0" : "3.1",
            base,
            temporal,
            environmental,
            c.getOverallScore(),
            severity(c.getOverallScore()));
      }
      case Cvss2 c -> {
        if (!c.isBaseFullyDefined()) {
          throw new IllegalArgumentException("CVSS 2 vector lacks base metrics: " + v);
        }
        yield new Score(
            "2.0",
            c.getBaseScore(),
            c.isAnyTemporalDefined() ? temporal2(c.getBaseScore(), v) : null,
            c.isAnyEnvironmentalDefined() ? c.getEnvironmentalScore() : null,
            c.getOverallScore(),
            severity(c.getOverallScore()));
      }
      default -> throw new IllegalArgumentException("unsupported CVSS version: " + v);
    };
  }

  /**
   * v2's temporal score, base × E × RL × RC rounded half up to one decimal in decimal arithmetic:
   * the calculator's binary doubles round 9.0 × 0.95 = 8.55 down to 8.5 where NVD publishes 8.6.
   */
  private static double temporal2(double base, String v) {
    java.math.BigDecimal t = java.math.BigDecimal.valueOf(base);
    for (String part : v.split("/")) {
      String[] kv = part.split(":", 2);
      double f =
          switch (kv[0] + ":" + kv[1]) {
            case "E:U" -> 0.85;
            case "E:POC" -> 0.90;
            case "E:F" -> 0.95;
            case "RL:OF" -> 0.87;
            case "RL:TF" -> 0.90;
            case "RL:W" -> 0.95;
            case "RC:UC" -> 0.90;
            case "RC:UR" -> 0.95;
            default -> 1.0;
          };
      t = t.multiply(java.math.BigDecimal.valueOf(f));
    }
    return t.setScale(1, java.math.RoundingMode.HALF_UP).doubleValue();
  }

  // the calculator skips what it does not know; a vector with a typo must not score as if whole
  private static void checkMetrics(String v) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String part : v.split("/")) {
      if (part.startsWith("CVSS:")) {
        continue;
      }
      int colon = part.indexOf(':');
      if (colon <= 0 || colon == part.length() - 1) {
        throw new IllegalArgumentException("CVSS vector: '" + part + "' is not METRIC:VALUE");
      }
      if (!seen.add(part.substring(0, colon))) {
        throw new IllegalArgumentException(
            "CVSS vector: metric " + part.substring(0, colon) + " given twice");
      }
    }
  }

  /** The qualitative rating of a v3/v4 score (v2 scores are rated on the same bands here). */
  public static String severity(double score) {
    if (score == 0) {
      return "none";
    } else if (score < 4) {
      return "low";
    } else if (score < 7) {
      return "medium";
    } else if (score < 9) {
      return "high";
    }
    return "critical";
  }

  /** One decimal, as scores are published. */
  public static String format(double score) {
    return String.format(Locale.ROOT, "%.1f", score);
  }
}
