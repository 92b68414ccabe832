package dev.rampart.sigma.compile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.sigma.eval.Fold;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** The automaton finds exactly the occurrences a naive search finds (seed printed on failure). */
class AhoCorasickTest {
  private static final String ALPHABET = "abcAB-\\/.éÉПп 01";

  @Property(tries = 400)
  void findsWhatANaiveSearchFinds(@ForAll long seed) {
    Random rnd = new Random(seed);
    boolean fold = rnd.nextBoolean();
    // Both scans: the DFA, and the bigram skip scan used when every needle is long.
    boolean skip = rnd.nextBoolean();
    List<String> needles = new ArrayList<>();
    AhoCorasick.Builder b =
        AhoCorasick.builder(fold).mode(skip ? AhoCorasick.Mode.SKIP : AhoCorasick.Mode.DFA);
    int count = 1 + rnd.nextInt(30);
    int shortest = 2 + rnd.nextInt(5);
    for (int i = 0; i < count; i++) {
      String n = random(rnd, skip ? shortest + rnd.nextInt(5) : 1 + rnd.nextInt(5));
      String key = fold ? Fold.fold(n) : n;
      if (!needles.contains(key)) {
        needles.add(key);
        b.add(key);
      }
    }
    AhoCorasick ac = b.build();
    assertThat(ac.skips()).isEqualTo(skip);
    for (int k = 0; k < 20; k++) {
      String text = random(rnd, rnd.nextInt(skip ? 200 : 60));
      TreeSet<String> found = new TreeSet<>();
      ac.scan(text, collector(found));
      TreeSet<String> found2 = new TreeSet<>();
      ac.scan(new StringBuilder(text), collector(found2));
      TreeSet<String> expected = new TreeSet<>();
      String t = fold ? Fold.fold(text) : text;
      for (int i = 0; i < needles.size(); i++) {
        String n = needles.get(i);
        for (int from = t.indexOf(n); from >= 0; from = t.indexOf(n, from + 1)) {
          expected.add(i + "@" + (from + n.length()));
        }
      }
      assertThat(found)
          .as("seed %d, text '%s', needles %s", seed, text, needles)
          .isEqualTo(expected);
      assertThat(found2).as("slow path, seed %d", seed).isEqualTo(expected);
    }
  }

  private static AhoCorasick.Hits collector(TreeSet<String> into) {
    return new AhoCorasick.Hits() {
      @Override
      public void hit(int needle, int end) {
        into.add(needle + "@" + end);
      }

      @Override
      public char[] buffer(int n) {
        return new char[n];
      }
    };
  }

  private static String random(Random rnd, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }
}
