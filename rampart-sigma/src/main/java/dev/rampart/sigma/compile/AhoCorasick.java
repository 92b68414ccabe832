package dev.rampart.sigma.compile;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A multi-pattern matcher over chars (Aho-Corasick): all needles of one field of one route are
 * found in a single pass over the value, folding case on the fly when the automaton is
 * case-insensitive. Needles are mapped to dense char classes (ASCII by table, the rest by a sorted
 * array); the root has a dense transition row, deeper states sorted sparse rows, which keeps the
 * automaton for thousands of needles to a few megabytes.
 */
final class AhoCorasick {
  /** Receives each match: the needle index and the index just past its last char. */
  interface Hits {
    void hit(int needle, int end);

    /** A scratch array of at least {@code n} chars owned by the caller (automata are shared). */
    char[] buffer(int n);
  }

  private final boolean foldCase;
  private final short[] asciiClass = new short[128];
  private final char[] otherChars;
  private final short[] otherClass;
  private final int classes;
  private final int[] root; // class -> state
  private final int[] rowStart; // state -> start in edgeClass/edgeTarget
  private final int[] rowLength;
  private final short[] edgeClass;
  private final int[] edgeTarget;
  private final int[] fail;
  private final int[] ownOut; // state -> needle id ending here, or -1
  private final int[] moreOut; // state -> next state on the output chain with a needle, or -1
  private final int[] lengths;
  // The DFA over ASCII classes: dfa[state * stride + asciiClass], failure transitions folded in.
  // Non-ASCII chars (rare in logs) take the goto/failure path.
  private final int stride;
  // Entries hold target * stride (a row offset), negated when the target state reports needles,
  // so one load both moves and says whether to look for output.
  private final int[] dfa;
  private final boolean[] hasOut;
  // ASCII char -> class of its folded form (folding and classing in one lookup).
  private final short[] asciiFoldedClass = new short[128];
  // ASCII chars that start no needle: at the root the scan skips them in a tight loop.
  private final boolean[] rootSkip = new boolean[128];
  private final boolean digitNeedles;

  // Skip scan (multi-pattern Horspool over bigrams, after Wu and Manber) for automata whose
  // needles are all long: the keyword lists that every event's message is searched for. The DFA
  // reads every char; this reads about one bigram per (shortest needle - 1) chars of text.
  private final int skipMin; // shortest needle length, or 0 when the DFA scans
  private final byte[] skipShift; // folded bigram hash -> safe shift of the window end
  private final int[][] skipBucket; // bigram hash -> needles whose skipMin-prefix ends with it
  private final char[][] needleChars;
  private static final int SKIP_BITS = 7;
  private static final int SKIP_MASK = (1 << SKIP_BITS) - 1;

  /** How the automaton scans; {@code AUTO} picks by the needles (tests force each). */
  enum Mode {
    AUTO,
    DFA,
    SKIP
  }

  /** The shortest needle length from which the skip scan beats the DFA. */
  static final int SKIP_MIN_LENGTH = 5;

  /** Beyond this many needles bigrams of the needles cover too much text for skips to pay. */
  static final int SKIP_MAX_NEEDLES = 512;

  /** Largest DFA built, in cells (4 bytes each); bigger automata scan without one. */
  static final long MAX_DFA_CELLS = 24L << 20;

  private AhoCorasick(Builder b) {
    this.foldCase = b.foldCase;
    // Char classes.
    Map<Character, Short> cls = new HashMap<>();
    for (String n : b.needles) {
      for (int i = 0; i < n.length(); i++) {
        char c = n.charAt(i);
        cls.putIfAbsent(c, (short) (cls.size() + 1));
      }
    }
    classes = cls.size() + 1;
    List<Character> others = new ArrayList<>();
    for (Map.Entry<Character, Short> e : cls.entrySet()) {
      if (e.getKey() < 128) {
        continue; // ASCII classes are numbered below
      } else {
        others.add(e.getKey());
      }
    }
    if (classes > Short.MAX_VALUE) {
      throw new IllegalStateException("too many distinct characters in needles");
    }
    // Re-number: ASCII classes must fit a byte table, so give them the low numbers.
    Map<Character, Short> renum = new HashMap<>();
    short next = 1;
    for (char c = 0; c < 128; c++) {
      if (cls.containsKey(c)) {
        renum.put(c, next++);
      }
    }
    others.sort(null);
    for (char c : others) {
      renum.put(c, next++);
    }
    int asciiCount = (int) cls.keySet().stream().filter(c -> c < 128).count();
    otherChars = new char[others.size()];
    otherClass = new short[others.size()];
    for (int i = 0; i < others.size(); i++) {
      otherChars[i] = others.get(i);
      otherClass[i] = renum.get(others.get(i));
    }
    for (char c = 0; c < 128; c++) {
      Short s = renum.get(c);
      asciiClass[c] = s == null ? 0 : s;
    }
    // Trie.
    List<Map<Short, Integer>> children = new ArrayList<>();
    children.add(new HashMap<>());
    List<Integer> out = new ArrayList<>();
    out.add(-1);
    lengths = new int[b.needles.size()];
    for (int k = 0; k < b.needles.size(); k++) {
      String n = b.needles.get(k);
      lengths[k] = n.length();
      int s = 0;
      for (int i = 0; i < n.length(); i++) {
        short c = renum.get(n.charAt(i));
        Integer t = children.get(s).get(c);
        if (t == null) {
          t = children.size();
          children.add(new HashMap<>());
          out.add(-1);
          children.get(s).put(c, t);
        }
        s = t;
      }
      if (out.get(s) >= 0) {
        throw new IllegalStateException("duplicate needle " + n);
      }
      out.set(s, k);
    }
    int states = children.size();
    ownOut = new int[states];
    for (int s = 0; s < states; s++) {
      ownOut[s] = out.get(s);
    }
    rowStart = new int[states];
    rowLength = new int[states];
    int edges = 0;
    for (Map<Short, Integer> m : children) {
      edges += m.size();
    }
    edgeClass = new short[edges];
    edgeTarget = new int[edges];
    int at = 0;
    for (int s = 0; s < states; s++) {
      Map<Short, Integer> m = children.get(s);
      short[] keys = new short[m.size()];
      int i = 0;
      for (short k : m.keySet()) {
        keys[i++] = k;
      }
      Arrays.sort(keys);
      rowStart[s] = at;
      rowLength[s] = keys.length;
      for (short k : keys) {
        edgeClass[at] = k;
        edgeTarget[at] = m.get(k);
        at++;
      }
    }
    root = new int[classes];
    for (Map.Entry<Short, Integer> e : children.get(0).entrySet()) {
      root[e.getKey()] = e.getValue();
    }
    // Failure and output links, breadth first.
    fail = new int[states];
    moreOut = new int[states];
    Arrays.fill(moreOut, -1);
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int t : children.get(0).values()) {
      fail[t] = 0;
      queue.add(t);
    }
    while (!queue.isEmpty()) {
      int s = queue.poll();
      for (int e = rowStart[s]; e < rowStart[s] + rowLength[s]; e++) {
        short c = edgeClass[e];
        int t = edgeTarget[e];
        int f = fail[s];
        int g;
        while ((g = step(f, c)) < 0) {
          f = fail[f];
        }
        fail[t] = g == t ? 0 : g;
        int ft = fail[t];
        moreOut[t] = ownOut[ft] >= 0 ? ft : moreOut[ft];
        queue.add(t);
      }
    }
    hasOut = new boolean[states];
    for (int st = 0; st < states; st++) {
      hasOut[st] = ownOut[st] >= 0 || moreOut[st] >= 0;
    }
    boolean digits = false;
    for (String n : b.needles) {
      digits |=
          n.chars().allMatch(ch -> (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '+');
    }
    digitNeedles = digits;
    stride = asciiCount + 1;
    for (char ch = 0; ch < 128; ch++) {
      char f = foldCase ? FoldTable.fold(ch) : ch;
      asciiFoldedClass[ch] = f < 128 ? asciiClass[f] : 0;
    }
    for (char ch = 0; ch < 128; ch++) {
      short fc = asciiFoldedClass[ch];
      rootSkip[ch] = fc == 0 || root[fc] == 0;
    }
    if ((long) states * stride <= MAX_DFA_CELLS) {
      dfa = new int[states * stride];
      // Breadth first, so that fail[s] (shallower) is complete before s.
      ArrayDeque<Integer> order = new ArrayDeque<>();
      order.add(0);
      boolean[] seen = new boolean[states];
      seen[0] = true;
      while (!order.isEmpty()) {
        int st = order.poll();
        for (short c = 1; c < stride; c++) {
          int g = step(st, c);
          int target = g >= 0 ? g : Math.abs(dfa[fail[st] * stride + c]) / stride;
          dfa[st * stride + c] = hasOut[target] ? -(target * stride) : target * stride;
        }
        for (int e = rowStart[st]; e < rowStart[st] + rowLength[st]; e++) {
          int t = edgeTarget[e];
          if (!seen[t]) {
            seen[t] = true;
            order.add(t);
          }
        }
      }
    } else {
      dfa = null;
    }
    int shortest = Integer.MAX_VALUE;
    for (String n : b.needles) {
      shortest = Math.min(shortest, n.length());
    }
    boolean skip =
        switch (b.mode) {
          case AUTO ->
              shortest >= SKIP_MIN_LENGTH && b.needles.size() <= SKIP_MAX_NEEDLES && dfa != null;
          case DFA -> false;
          case SKIP -> shortest >= 2;
        };
    if (skip) {
      skipMin = shortest;
      skipShift = new byte[1 << (2 * SKIP_BITS)];
      Arrays.fill(skipShift, (byte) Math.min(shortest - 1, Byte.MAX_VALUE));
      List<List<Integer>> buckets = new ArrayList<>();
      for (int h = 0; h < skipShift.length; h++) {
        buckets.add(null);
      }
      needleChars = new char[b.needles.size()][];
      for (int k = 0; k < b.needles.size(); k++) {
        String n = b.needles.get(k);
        needleChars[k] = n.toCharArray();
        // Needles are stored folded already; the window covers their first skipMin chars.
        for (int j = 1; j < shortest; j++) {
          int h = bigram(n.charAt(j - 1), n.charAt(j));
          int shift = shortest - 1 - j;
          if (skipShift[h] > shift) {
            skipShift[h] = (byte) shift;
          }
          if (shift == 0) {
            if (buckets.get(h) == null) {
              buckets.set(h, new ArrayList<>());
            }
            buckets.get(h).add(k);
          }
        }
      }
      skipBucket = new int[skipShift.length][];
      for (int h = 0; h < skipShift.length; h++) {
        List<Integer> l = buckets.get(h);
        skipBucket[h] = l == null ? null : l.stream().mapToInt(Integer::intValue).toArray();
      }
    } else {
      skipMin = 0;
      skipShift = null;
      skipBucket = null;
      needleChars = null;
    }
  }

  private static int bigram(char a, char b) {
    return ((a & SKIP_MASK) << SKIP_BITS) | (b & SKIP_MASK);
  }

  /** Whether this automaton scans by skipping (for tests and statistics). */
  boolean skips() {
    return skipMin > 0;
  }

  /** Whether some needle consists only of digits, signs and dots (so numbers need scanning). */
  boolean hasDigitNeedles() {
    return digitNeedles;
  }

  /** The goto function; -1 when there is no edge (never for the root). */
  private int step(int s, short c) {
    if (s == 0) {
      return root[c];
    }
    int lo = rowStart[s];
    int hi = lo + rowLength[s] - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      short k = edgeClass[mid];
      if (k < c) {
        lo = mid + 1;
      } else if (k > c) {
        hi = mid - 1;
      } else {
        return edgeTarget[mid];
      }
    }
    return -1;
  }

  private short classOf(char c) {
    if (c < 128) {
      return asciiClass[c];
    }
    int i = Arrays.binarySearch(otherChars, c);
    return i < 0 ? 0 : otherClass[i];
  }

  int states() {
    return fail.length;
  }

  int classes() {
    return classes;
  }

  int needles() {
    return lengths.length;
  }

  int needleLength(int needle) {
    return lengths[needle];
  }

  /** Reports every needle occurrence in {@code text}. */
  void scan(CharSequence text, Hits hits) {
    int n = text.length();
    if (dfa == null || !(text instanceof String str)) {
      scanSlow(text, hits);
      return;
    }
    // Copy out once (an intrinsic), then run the DFA over an array without per-char checks.
    char[] buf = hits.buffer(n);
    str.getChars(0, n, buf, 0);
    if (skipMin > 0) {
      skipScan(buf, n, hits);
      return;
    }
    int[] table = dfa;
    short[] classes = asciiFoldedClass;
    boolean[] skip = rootSkip;
    int s = 0; // row offset of the current state
    for (int i = 0; i < n; i++) {
      if (s == 0) {
        while (i < n && buf[i] < 128 && skip[buf[i]]) {
          i++;
        }
        if (i == n) {
          break;
        }
      }
      char ch = buf[i];
      int t;
      if (ch < 128) {
        t = table[s + classes[ch]];
      } else {
        t = slowStep(s / stride, ch);
      }
      if (t < 0) {
        s = -t;
        report(s / stride, i + 1, hits);
      } else {
        s = t;
      }
    }
  }

  private char folded(char c) {
    return foldCase ? FoldTable.fold(c) : c;
  }

  /**
   * Every needle occurrence starts a window of {@code skipMin} chars that holds its prefix; the
   * window end moves by the shift of its last bigram, which never passes such a window, and a zero
   * shift verifies the needles whose prefix ends with that bigram.
   */
  private void skipScan(char[] buf, int n, Hits hits) {
    int m = skipMin;
    byte[] shift = skipShift;
    for (int end = m - 1; end < n; ) {
      int h = bigram(folded(buf[end - 1]), folded(buf[end]));
      int sh = shift[h];
      if (sh > 0) {
        end += sh;
        continue;
      }
      int start = end - m + 1;
      for (int k : skipBucket[h]) {
        char[] needle = needleChars[k];
        if (start + needle.length <= n && regionMatches(buf, start, needle)) {
          hits.hit(k, start + needle.length);
        }
      }
      end++;
    }
  }

  private boolean regionMatches(char[] buf, int start, char[] needle) {
    for (int i = 0; i < needle.length; i++) {
      if (folded(buf[start + i]) != needle[i]) {
        return false;
      }
    }
    return true;
  }

  /** One step for a non-ASCII char; returns the next row offset, negated when it has output. */
  private int slowStep(int state, char ch) {
    if (foldCase) {
      ch = FoldTable.fold(ch);
    }
    short c = classOf(ch);
    if (c == 0) {
      return 0;
    }
    int st = state;
    int t;
    while ((t = step(st, c)) < 0) {
      st = fail[st];
    }
    return hasOut[t] ? -(t * stride) : t * stride;
  }

  private void report(int state, int end, Hits hits) {
    if (ownOut[state] >= 0) {
      hits.hit(ownOut[state], end);
    }
    for (int o = moreOut[state]; o >= 0; o = moreOut[o]) {
      hits.hit(ownOut[o], end);
    }
  }

  /** The goto/failure scan, for automata too large for a DFA and for non-String text. */
  private void scanSlow(CharSequence text, Hits hits) {
    int s = 0;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char ch = text.charAt(i);
      if (foldCase) {
        ch = FoldTable.fold(ch);
      }
      short c = classOf(ch);
      if (c == 0) {
        s = 0;
        continue;
      }
      int t;
      while ((t = step(s, c)) < 0) {
        s = fail[s];
      }
      s = t;
      if (hasOut[s]) {
        report(s, i + 1, hits);
      }
    }
  }

  static Builder builder(boolean foldCase) {
    return new Builder(foldCase);
  }

  static final class Builder {
    private final boolean foldCase;
    private Mode mode = Mode.AUTO;
    private final List<String> needles = new ArrayList<>();
    private final Map<String, Integer> index = new HashMap<>();

    private Builder(boolean foldCase) {
      this.foldCase = foldCase;
    }

    /** Adds a needle (already folded when case-insensitive) and returns its index. */
    int add(String needle) {
      if (needle.isEmpty()) {
        throw new IllegalArgumentException("empty needle");
      }
      return index.computeIfAbsent(
          needle,
          n -> {
            needles.add(n);
            return needles.size() - 1;
          });
    }

    boolean isEmpty() {
      return needles.isEmpty();
    }

    /** Forces a scan strategy (tests); the default picks by the needles. */
    Builder mode(Mode m) {
      this.mode = m;
      return this;
    }

    /** Identity of the automaton this builder makes, for sharing identical ones between routes. */
    String key() {
      return (foldCase ? "f" : "c") + needles;
    }

    AhoCorasick build() {
      return new AhoCorasick(this);
    }
  }
}
