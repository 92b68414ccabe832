package dev.rampart.sigma.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.event.Event;
import dev.rampart.core.io.Problems;
import dev.rampart.core.json.JsonEventReader;
import dev.rampart.core.json.ReadOptions;
import dev.rampart.core.normalize.Normalizers;
import dev.rampart.core.testing.Corpora;
import dev.rampart.sigma.compile.SigmaEngine;
import dev.rampart.sigma.compile.SigmaMatcher;
import dev.rampart.sigma.mapping.LogsourceMapping;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * One compiled engine shared by several threads, each with its own matcher (how {@code hunt} and
 * the server use it), gives exactly the results of one thread. The engine compiles routes lazily on
 * first use, so the threads start together on a fresh engine to race that compilation; each thread
 * sees the events in its own shuffled order so that matcher memos differ.
 */
class ConcurrentMatchingTest {
  static final int THREADS = 4;

  @Test
  void threadsSharingOneEngineAgreeWithOneThread() throws Exception {
    List<Event> events = new ArrayList<>();
    Path regression = Corpora.require("sigmahq-sigma/regression_data");
    try (Stream<Path> walk = Files.walk(regression)) {
      for (Path f : walk.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        events.addAll(SigmaHq.events(f));
      }
    }
    Path otrf = Corpora.require("otrf-security-datasets/datasets/atomic/windows");
    try (Stream<Path> walk = Files.walk(otrf)) {
      for (Path zip : walk.filter(p -> p.toString().endsWith(".zip")).sorted().limit(40).toList()) {
        try (ZipFile zf = new ZipFile(zip.toFile())) {
          for (ZipEntry entry : zf.stream().filter(x -> x.getName().endsWith(".json")).toList()) {
            try (InputStream in = zf.getInputStream(entry);
                JsonEventReader r =
                    new JsonEventReader(
                        in, entry.getName(), ReadOptions.DEFAULTS, new Problems(1))) {
              Event e = new Event();
              for (int n = 0; n < 200 && r.next(e); n++) {
                Normalizers.normalize(e);
                events.add(e.copy());
              }
            }
          }
        }
      }
    }
    var rules = SigmaHq.rules().rules();
    LogsourceMapping mapping = LogsourceMapping.defaults();

    SigmaEngine single = SigmaEngine.compile(rules, mapping);
    SigmaMatcher m = single.newMatcher();
    int[][] expected = new int[events.size()][];
    for (int i = 0; i < events.size(); i++) {
      expected[i] = sorted(m, events.get(i));
    }

    SigmaEngine shared = SigmaEngine.compile(rules, mapping);
    long seed = new Random().nextLong();
    System.out.printf(
        "concurrent matching: %d events, %d threads, seed %d%n", events.size(), THREADS, seed);
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<List<String>>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        long threadSeed = seed + t;
        futures.add(
            pool.submit(
                () -> {
                  List<Integer> order = new ArrayList<>();
                  for (int i = 0; i < events.size(); i++) {
                    order.add(i);
                  }
                  Collections.shuffle(order, new Random(threadSeed));
                  SigmaMatcher tm = shared.newMatcher();
                  List<String> differences = new ArrayList<>();
                  start.await();
                  for (int pass = 0; pass < 2; pass++) { // the second pass runs on warm memos
                    for (int i : order) {
                      int[] got = sorted(tm, events.get(i));
                      if (!Arrays.equals(got, expected[i])) {
                        differences.add(
                            "event "
                                + i
                                + ": expected "
                                + Arrays.toString(expected[i])
                                + ", got "
                                + Arrays.toString(got));
                      }
                    }
                  }
                  return differences;
                }));
      }
      start.countDown();
      for (Future<List<String>> f : futures) {
        assertThat(f.get()).as("seed %d", seed).isEmpty();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static int[] sorted(SigmaMatcher m, Event e) {
    int n = m.match(e);
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = m.matched(i);
    }
    Arrays.sort(r);
    return r;
  }
}
