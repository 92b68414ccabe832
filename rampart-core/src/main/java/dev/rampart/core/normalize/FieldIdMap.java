package dev.rampart.core.normalize;

import java.util.Arrays;
import java.util.function.IntUnaryOperator;

/**
 * A lazily filled map from field id to field id (or to {@link #DROP}), shared by threads.
 *
 * <p>Each entry is computed at most a few times (concurrent first uses may race, but they compute
 * the same answer), after which a lookup is one array read: normalizers decide how to rename a
 * field once per distinct field name, not once per event.
 */
final class FieldIdMap {
  static final int DROP = -1;
  private static final int UNKNOWN = -2;

  private final IntUnaryOperator compute;
  private volatile int[] map = filled(256);

  FieldIdMap(IntUnaryOperator compute) {
    this.compute = compute;
  }

  int get(int id) {
    int[] m = map;
    if (id < m.length) {
      int v = m[id];
      if (v != UNKNOWN) {
        return v;
      }
    }
    int v = compute.applyAsInt(id);
    put(id, v);
    return v;
  }

  private synchronized void put(int id, int v) {
    int[] m = map;
    if (id >= m.length) {
      int[] bigger = filled(Math.max(id + 1, m.length * 2));
      System.arraycopy(m, 0, bigger, 0, m.length);
      m = bigger;
    }
    m[id] = v;
    map = m;
  }

  private static int[] filled(int n) {
    int[] a = new int[n];
    Arrays.fill(a, UNKNOWN);
    return a;
  }
}
