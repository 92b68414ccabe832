package dev.rampart.simulate;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.FieldNames;
import dev.rampart.core.event.Timestamps;
import dev.rampart.core.json.JsonEventWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The entry point of rampart-simulate: writes a realistic security-event stream, benign background
 * with attack scenarios woven in, as NDJSON in Rampart's schema, with the ground truth of which
 * events belong to which attack.
 *
 * <pre>{@code
 * Simulator.Options o = Simulator.Options.of(List.of(Scenario.values()), 100_000, 7);
 * try (OutputStream out = Files.newOutputStream(Path.of("sim.ndjson"))) {
 *   Simulator.run(o, out, truth -> System.out.println(truth), n -> {});
 * }
 * }</pre>
 *
 * <p>Deterministic: the same options give the same bytes, whatever the number of threads, because
 * the stream is cut into fixed chunks whose contents depend only on the seed and the chunk number;
 * threads only decide which chunk is generated when.
 */
public final class Simulator {
  /** The default first event time, fixed so that a seed always gives the same data. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-05T00:00:00Z");

  private static final int CHUNK = 4096;
  private static final int RECORD_ID = FieldNames.id("EventRecordID");
  private static final int EVENT_ID = FieldNames.id("event.id");

  /**
   * What to generate.
   *
   * @param scenarios attacks to weave in (empty: background only)
   * @param events total number of events
   * @param seed the random seed; same seed, same output
   * @param startNanos time of the first event, epoch nanos
   * @param durationNanos span of the timeline
   * @param workstations size of the simulated fleet
   * @param threads generator threads (output does not depend on it)
   */
  public record Options(
      List<Scenario> scenarios,
      long events,
      long seed,
      long startNanos,
      long durationNanos,
      int workstations,
      int threads) {
    public Options {
      scenarios = List.copyOf(scenarios);
      if (events < 0 || durationNanos <= 0 || workstations < 1 || threads < 1) {
        throw new IllegalArgumentException(
            "events >= 0, duration > 0, workstations >= 1, threads >= 1");
      }
    }

    public static Options of(List<Scenario> scenarios, long events, long seed) {
      return new Options(
          scenarios,
          events,
          seed,
          Timestamps.fromInstant(DEFAULT_START),
          24L * 3600 * 1_000_000_000L,
          50,
          Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    /** Instances of each scenario: one per 100,000 events, at least one. */
    int instancesPerScenario() {
      return (int) Math.max(1, Math.min(10_000, events / 100_000));
    }
  }

  /** One ground-truth row: this event belongs to that attack. */
  public record Truth(
      String eventId,
      long timestamp,
      Scenario scenario,
      int instance,
      String technique,
      String step) {}

  /** What was written. */
  public record Summary(long events, long attackEvents, Map<Scenario, Integer> instances) {}

  private record Attack(
      long time, Event event, Scenario scenario, int instance, String technique, String step) {}

  private record Chunk(ByteArrayOutputStream ndjson, long events, List<Truth> truth) {}

  private Simulator() {}

  /**
   * Writes the events to {@code out} (not closed), reports each attack event to {@code truth} and
   * the running count to {@code progress}.
   */
  public static Summary run(
      Options o, OutputStream out, Consumer<Truth> truth, LongConsumer progress)
      throws IOException {
    World world = new World(o.seed(), o.workstations());
    List<Attack> attacks = attacks(o, world);
    long attackCount = Math.min(attacks.size(), o.events());
    long background = o.events() - attackCount;
    long step = background == 0 ? 0 : o.durationNanos() / background;
    long chunks = Math.max(1, (background + CHUNK - 1) / CHUNK);
    String prefix = "sim-" + Long.toUnsignedString(o.seed(), 36) + "-";

    // Which attacks fall into which chunk, and so where each chunk's numbering starts.
    List<List<Attack>> perChunk = new ArrayList<>();
    int a = 0;
    for (long c = 0; c < chunks; c++) {
      long hi = c == chunks - 1 ? Long.MAX_VALUE : o.startNanos() + (c + 1) * CHUNK * step;
      List<Attack> mine = new ArrayList<>();
      while (a < attackCount && attacks.get(a).time() < hi) {
        mine.add(attacks.get(a++));
      }
      perChunk.add(mine);
    }

    Map<Scenario, Integer> instances = new EnumMap<>(Scenario.class);
    for (Scenario s : o.scenarios()) {
      instances.put(s, o.instancesPerScenario());
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            o.threads(),
            r -> {
              Thread t = new Thread(r, "simulate");
              t.setDaemon(true);
              return t;
            });
    try {
      Deque<Future<Chunk>> inFlight = new ArrayDeque<>();
      long written = 0;
      long seqBase = 0;
      for (long c = 0; c < chunks; c++) {
        long first = c * CHUNK;
        long count = Math.min(CHUNK, background - first);
        List<Attack> mine = perChunk.get((int) c);
        long base = seqBase;
        long chunkNo = c;
        inFlight.add(
            pool.submit(
                () ->
                    generate(
                        o, world, chunkNo, first, Math.max(0, count), step, mine, base, prefix)));
        seqBase += Math.max(0, count) + mine.size();
        if (inFlight.size() >= o.threads() * 2) {
          written += drain(inFlight.poll(), out, truth);
          progress.accept(written);
        }
      }
      while (!inFlight.isEmpty()) {
        written += drain(inFlight.poll(), out, truth);
        progress.accept(written);
      }
      return new Summary(written, attackCount, instances);
    } finally {
      pool.shutdownNow();
    }
  }

  private static long drain(Future<Chunk> f, OutputStream out, Consumer<Truth> truth)
      throws IOException {
    Chunk chunk;
    try {
      chunk = f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UncheckedIOException u) {
        throw u.getCause();
      }
      throw new IllegalStateException("simulation failed", e.getCause());
    }
    chunk.ndjson().writeTo(out);
    chunk.truth().forEach(truth);
    return chunk.events();
  }

  /** The attack events of every scenario instance, in time order. */
  private static List<Attack> attacks(Options o, World world) {
    List<Attack> out = new ArrayList<>();
    SplittableRandom rnd = new SplittableRandom(o.seed() ^ 0x5DEECE66DL);
    Shapes shapes = new Shapes(world, rnd.split());
    for (Scenario s : o.scenarios()) {
      for (int i = 1; i <= o.instancesPerScenario(); i++) {
        long at = o.startNanos() + (long) (o.durationNanos() * (0.05 + 0.85 * rnd.nextDouble()));
        int instance = i;
        s.emit(
            new Scenario.Ctx(world, shapes, rnd) {
              @Override
              void accept(Event e, String technique, String step) {
                out.add(new Attack(e.timestamp(), e, s, instance, technique, step));
              }
            },
            at);
      }
    }
    out.sort(Comparator.comparingLong(Attack::time)); // stable: equal times keep emit order
    return out;
  }

  private static Chunk generate(
      Options o,
      World world,
      long chunk,
      long first,
      long count,
      long step,
      List<Attack> attacks,
      long seqBase,
      String prefix) {
    SplittableRandom rnd = new SplittableRandom(mix(o.seed(), chunk));
    Shapes shapes = new Shapes(world, rnd);
    Background bg = new Background(world, shapes, rnd);
    ByteArrayOutputStream bytes =
        new ByteArrayOutputStream((int) Math.min(1 << 24, (count + attacks.size()) * 1600 + 64));
    List<Truth> truth = new ArrayList<>();
    long seq = seqBase;
    try (JsonEventWriter w = new JsonEventWriter(bytes, new JsonEventWriter.Options(true))) {
      Event e = new Event(64);
      int next = 0;
      for (long i = 0; i <= count; i++) {
        long t =
            i < count
                ? o.startNanos()
                    + (first + i) * step
                    + (step > 1 ? Math.floorMod(mix(o.seed(), first + i), step) : 0)
                : Long.MAX_VALUE;
        while (next < attacks.size() && attacks.get(next).time() <= t) {
          Attack at = attacks.get(next++);
          Event ae = at.event().copy();
          String id = prefix + seq;
          finish(ae, id, seq);
          w.write(ae);
          truth.add(
              new Truth(id, at.time(), at.scenario(), at.instance(), at.technique(), at.step()));
          seq++;
        }
        if (i == count) {
          break;
        }
        e.clear();
        bg.emit(e, t);
        finish(e, prefix + seq, seq);
        w.write(e);
        seq++;
      }
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return new Chunk(bytes, seq - seqBase, truth);
  }

  private static void finish(Event e, String id, long seq) {
    if (e.source().logType().startsWith("windows")) {
      e.putLong(RECORD_ID, 1000 + seq);
    }
    e.putString(EVENT_ID, id); // a normalizer may have set the source's own id
  }

  private static long mix(long seed, long n) {
    long z = seed + n * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Scenario names for messages. */
  public static String names() {
    StringBuilder sb = new StringBuilder();
    for (Scenario s : Scenario.values()) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(s.id());
    }
    return Objects.requireNonNull(sb.toString());
  }
}
