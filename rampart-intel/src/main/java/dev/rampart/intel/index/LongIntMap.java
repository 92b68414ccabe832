package dev.rampart.intel.index;

import java.util.Arrays;

/**
 * An open-addressing map from long keys to int values (linear probing, load at most 5/8), two flat
 * arrays and no objects per entry: ten million entries cost about 250 MB instead of the gigabyte a
 * {@code HashMap<Long, Integer>} would. {@code Long.MIN_VALUE} is not a valid key.
 */
final class LongIntMap {
  private static final long EMPTY = Long.MIN_VALUE;
  private long[] keys;
  private int[] values;
  private int size;
  private int mask;

  LongIntMap(int expected) {
    int cap = Integer.highestOneBit(Math.max(16, (int) Math.min(1 << 30, expected * 8L / 5))) << 1;
    keys = new long[cap];
    Arrays.fill(keys, EMPTY);
    values = new int[cap];
    mask = cap - 1;
  }

  static int slot(long key, int mask) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 29)) & mask;
  }

  /** The value of {@code key}, or -1. */
  int get(long key) {
    int i = slot(key, mask);
    while (true) {
      long k = keys[i];
      if (k == key) {
        return values[i];
      }
      if (k == EMPTY) {
        return -1;
      }
      i = (i + 1) & mask;
    }
  }

  /** Sets {@code key} to {@code value}; returns the previous value or -1. */
  int put(long key, int value) {
    if ((size + 1) * 8L > keys.length * 5L) {
      grow();
    }
    int i = slot(key, mask);
    while (true) {
      long k = keys[i];
      if (k == EMPTY) {
        keys[i] = key;
        values[i] = value;
        size++;
        return -1;
      }
      if (k == key) {
        int old = values[i];
        values[i] = value;
        return old;
      }
      i = (i + 1) & mask;
    }
  }

  /** Walks the probe sequence of a 64-bit fingerprint: every value stored under it, in turn. */
  int probe(long key, int from) {
    int i = from < 0 ? slot(key, mask) : (from + 1) & mask;
    while (true) {
      long k = keys[i];
      if (k == EMPTY) {
        return -1;
      }
      if (k == key) {
        return i;
      }
      i = (i + 1) & mask;
    }
  }

  int valueAt(int slot) {
    return values[slot];
  }

  /** Adds {@code key} even when present (for fingerprints shared by different strings). */
  void add(long key, int value) {
    if ((size + 1) * 8L > keys.length * 5L) {
      grow();
    }
    int i = slot(key, mask);
    while (keys[i] != EMPTY) {
      i = (i + 1) & mask;
    }
    keys[i] = key;
    values[i] = value;
    size++;
  }

  int size() {
    return size;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    Arrays.fill(keys, EMPTY);
    values = new int[oldKeys.length * 2];
    mask = keys.length - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      if (oldKeys[j] != EMPTY) {
        int i = slot(oldKeys[j], mask);
        while (keys[i] != EMPTY) {
          i = (i + 1) & mask;
        }
        keys[i] = oldKeys[j];
        values[i] = oldValues[j];
      }
    }
  }
}
