package dev.rampart.sigma.correlate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Percentiles by linear interpolation between the closest ranks. */
final class Stats {
  private Stats() {}

  static double percentile(List<Double> values, double p) {
    List<Double> xs = new ArrayList<>(values);
    Collections.sort(xs);
    if (xs.size() == 1) {
      return xs.get(0);
    }
    double rank = Math.max(0, Math.min(100, p)) / 100 * (xs.size() - 1);
    int lo = (int) Math.floor(rank);
    int hi = (int) Math.ceil(rank);
    return xs.get(lo) + (xs.get(hi) - xs.get(lo)) * (rank - lo);
  }
}
