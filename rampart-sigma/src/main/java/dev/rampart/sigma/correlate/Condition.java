package dev.rampart.sigma.correlate;

import java.util.Map;

/**
 * A correlation condition on the aggregate: {@code gt gte lt lte eq neq}, AND-linked, so {@code
 * {gt: 100, lte: 200}} is 101..200. Temporal types without one need every referenced rule.
 */
record Condition(Double gt, Double gte, Double lt, Double lte, Double eq, Double neq) {
  static Condition of(Map<String, Object> c, int temporalRules) {
    Condition out =
        new Condition(
            number(c.get("gt")),
            number(c.get("gte")),
            number(c.get("lt")),
            number(c.get("lte")),
            number(c.get("eq")),
            number(c.get("neq")));
    if (out.gt == null
        && out.gte == null
        && out.lt == null
        && out.lte == null
        && out.eq == null
        && out.neq == null) {
      return new Condition(
          null, temporalRules > 0 ? (double) temporalRules : 1.0, null, null, null, null);
    }
    return out;
  }

  private static Double number(Object o) {
    if (o == null) {
      return null;
    }
    try {
      return Double.parseDouble(String.valueOf(o).strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Whether the count could still grow out of the condition: then a window is judged at close. */
  boolean upperBounded() {
    return lt != null || lte != null || eq != null || neq != null;
  }

  boolean test(double v) {
    return (gt == null || v > gt)
        && (gte == null || v >= gte)
        && (lt == null || v < lt)
        && (lte == null || v <= lte)
        && (eq == null || v == eq)
        && (neq == null || v != neq);
  }
}
