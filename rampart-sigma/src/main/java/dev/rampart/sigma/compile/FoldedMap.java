package dev.rampart.sigma.compile;

import java.util.ArrayList;
import java.util.List;

/**
 * An exact-match index from case-folded text to predicate ids, looked up with the raw event text:
 * the hash and the comparison fold char by char, so a lookup allocates nothing. Keys are stored
 * folded; cased keys go to a separate instance built with {@code fold = false}.
 */
final class FoldedMap {
  private final boolean fold;
  // Key lengths present (lengths beyond the table are always looked up): most values are longer
  // than every key, and skipping them saves hashing a whole command line.
  private final boolean[] lengths = new boolean[1024];
  private final boolean anyLong;
  private String[] keys;
  private int[][] values;
  private int mask;

  private FoldedMap(boolean fold, List<String> ks, List<int[]> vs) {
    this.fold = fold;
    int cap = Integer.highestOneBit(Math.max(4, ks.size() * 2 - 1)) << 1;
    keys = new String[cap];
    values = new int[cap][];
    mask = cap - 1;
    boolean longKeys = false;
    for (String k : ks) {
      if (k.length() < lengths.length) {
        lengths[k.length()] = true;
      } else {
        longKeys = true;
      }
    }
    anyLong = longKeys;
    for (int i = 0; i < ks.size(); i++) {
      int slot = hash(ks.get(i)) & mask;
      while (keys[slot] != null) {
        slot = (slot + 1) & mask;
      }
      keys[slot] = ks.get(i);
      values[slot] = vs.get(i);
    }
  }

  private int hash(CharSequence s) {
    int h = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      h = 31 * h + (fold ? FoldTable.fold(c) : c);
    }
    return h ^ (h >>> 16);
  }

  /** Predicate ids whose key equals {@code text} (folded), or null. */
  int[] get(CharSequence text) {
    int len = text.length();
    if (len < lengths.length ? !lengths[len] : !anyLong) {
      return null;
    }
    int slot = hash(text) & mask;
    while (true) {
      String k = keys[slot];
      if (k == null) {
        return null;
      }
      if (equal(k, text)) {
        return values[slot];
      }
      slot = (slot + 1) & mask;
    }
  }

  private boolean equal(String key, CharSequence text) {
    int n = key.length();
    if (n != text.length()) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (key.charAt(i) != (fold ? FoldTable.fold(c) : c)) {
        return false;
      }
    }
    return true;
  }

  static final class Builder {
    private final boolean fold;
    private final java.util.Map<String, List<Integer>> entries = new java.util.LinkedHashMap<>();

    Builder(boolean fold) {
      this.fold = fold;
    }

    /** Adds a predicate under a key (give it already folded when folding). */
    void add(String key, int predicate) {
      List<Integer> l = entries.computeIfAbsent(key, k -> new ArrayList<>());
      if (!l.contains(predicate)) {
        l.add(predicate);
      }
    }

    boolean isEmpty() {
      return entries.isEmpty();
    }

    FoldedMap build() {
      List<String> ks = new ArrayList<>(entries.keySet());
      List<int[]> vs = new ArrayList<>();
      for (List<Integer> l : entries.values()) {
        vs.add(l.stream().mapToInt(Integer::intValue).toArray());
      }
      return new FoldedMap(fold, ks, vs);
    }
  }
}
