package dev.rampart.core.json;

import dev.rampart.core.event.FieldNames;

/**
 * Maps (parent field id, child key) to the flattened field id without building the dotted string.
 *
 * <p>Jackson canonicalizes object keys, so a key arrives as the same String instance every time;
 * the table compares by identity first and by {@code equals} only on a miss. One cache per reader
 * thread; it is not thread-safe.
 */
final class PathCache {
  private static final int MAX_ENTRIES = 1 << 16;

  private int[] parents = new int[1024];
  private String[] keys = new String[1024];
  private int[] ids = new int[1024];
  private int used;

  @SuppressWarnings("ReferenceEquality") // identity first on purpose; equals() is the fallback
  int child(int parent, String key) {
    int mask = keys.length - 1;
    int slot = mix(parent, key) & mask;
    while (true) {
      String k = keys[slot];
      if (k == null) {
        break;
      }
      if (parents[slot] == parent && (k == key || k.equals(key))) {
        return ids[slot];
      }
      slot = (slot + 1) & mask;
    }
    int id = FieldNames.child(parent, key);
    if (used >= MAX_ENTRIES) {
      return id; // a pathological input with endless distinct keys: stop caching, stay correct
    }
    keys[slot] = key;
    parents[slot] = parent;
    ids[slot] = id;
    if (++used * 2 > keys.length) {
      rehash();
    }
    return id;
  }

  private static int mix(int parent, String key) {
    int h = key.hashCode() * 31 + parent;
    return h ^ (h >>> 16);
  }

  private void rehash() {
    String[] oldKeys = keys;
    int[] oldParents = parents;
    int[] oldIds = ids;
    int n = oldKeys.length * 2;
    keys = new String[n];
    parents = new int[n];
    ids = new int[n];
    int mask = n - 1;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != null) {
        int slot = mix(oldParents[i], oldKeys[i]) & mask;
        while (keys[slot] != null) {
          slot = (slot + 1) & mask;
        }
        keys[slot] = oldKeys[i];
        parents[slot] = oldParents[i];
        ids[slot] = oldIds[i];
      }
    }
  }
}
