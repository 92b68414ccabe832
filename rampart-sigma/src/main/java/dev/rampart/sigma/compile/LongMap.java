package dev.rampart.sigma.compile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An open-addressing map from long to predicate ids: the exact index for numeric values. */
final class LongMap {
  private final long[] keys;
  private final int[][] values;
  private final boolean[] used;
  private final int mask;

  private LongMap(Map<Long, List<Integer>> entries) {
    int cap = Integer.highestOneBit(Math.max(4, entries.size() * 2 - 1)) << 1;
    keys = new long[cap];
    values = new int[cap][];
    used = new boolean[cap];
    mask = cap - 1;
    for (Map.Entry<Long, List<Integer>> e : entries.entrySet()) {
      int slot = mix(e.getKey()) & mask;
      while (used[slot]) {
        slot = (slot + 1) & mask;
      }
      used[slot] = true;
      keys[slot] = e.getKey();
      values[slot] = e.getValue().stream().mapToInt(Integer::intValue).toArray();
    }
  }

  private static int mix(long k) {
    long h = k * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }

  int[] get(long key) {
    int slot = mix(key) & mask;
    while (used[slot]) {
      if (keys[slot] == key) {
        return values[slot];
      }
      slot = (slot + 1) & mask;
    }
    return null;
  }

  static final class Builder {
    private final Map<Long, List<Integer>> entries = new LinkedHashMap<>();

    void add(long key, int pred) {
      List<Integer> l = entries.computeIfAbsent(key, k -> new ArrayList<>());
      if (!l.contains(pred)) {
        l.add(pred);
      }
    }

    boolean isEmpty() {
      return entries.isEmpty();
    }

    LongMap build() {
      return new LongMap(entries);
    }
  }
}
