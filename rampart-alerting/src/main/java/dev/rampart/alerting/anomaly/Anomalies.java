package dev.rampart.alerting.anomaly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.alerting.alert.Alert;
import dev.rampart.core.event.Event;
import dev.rampart.core.event.EventSource;
import dev.rampart.core.io.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Explainable anomalies on the detector's pass, each alert carrying the baseline that made the
 * event unusual:
 *
 * <ul>
 *   <li>first seen: a value never seen for an entity (a user's new source address, a host's new
 *       process, a new service), after a learning period during which values are only learnt;
 *   <li>rarity across the fleet: a value the whole fleet has seen on at most a few hosts;
 *   <li>volume spike: an entity's events per minute far above its own moving average (an
 *       exponentially weighted mean and variance; fires at mean + z standard deviations);
 *   <li>brute force: many failed logons from one source in a sliding window (guessing, or a spray
 *       over many accounts), and a success from that source while they go on.
 * </ul>
 *
 * State is bounded per detector (least recently active entities are evicted, counted). {@link
 * #checkpoint} saves what was learnt and {@link #restore} takes it back, so a restart does not
 * start learning again. One instance per detector thread.
 */
public final class Anomalies {
  /**
   * A first-seen detector: events that have {@code entity} and {@code value} (the first present of
   * each list of field names) and, when {@code only} is set, field {@code only[0]} equal to {@code
   * only[1]}.
   */
  public record FirstSeen(
      String name,
      String title,
      List<String> entity,
      List<String> value,
      String[] only,
      Duration learn,
      int maxEntities,
      int maxValuesPerEntity,
      String level) {}

  /** A volume-spike detector on the events per minute of each {@code entity}. */
  public record Spike(
      String name,
      String title,
      List<String> entity,
      double z,
      long minCount,
      double alpha,
      int warmupMinutes,
      int maxEntities,
      String level) {}

  /** The first-seen detectors Rampart runs by default. */
  public static final List<FirstSeen> FIRST_SEEN =
      List.of(
          new FirstSeen(
              "new-logon-source",
              "First logon from this address for the user",
              List.of("user.name", "TargetUserName"),
              List.of("source.ip", "IpAddress"),
              new String[] {"EventID", "4624"},
              Duration.ofHours(24),
              100_000,
              64,
              "low"),
          // cloud sign-ins carry the country they came from (Entra ID, Okta): a user's first
          // success from a new one is how a stolen password shows when nothing else does
          new FirstSeen(
              "new-signin-country",
              "First successful sign-in from this country for the user",
              List.of("user.name"),
              List.of("source.geo.country_iso_code", "source.geo.country_name"),
              new String[] {"event.outcome", "success"},
              Duration.ofHours(24),
              100_000,
              32,
              "medium"),
          new FirstSeen(
              "new-process-on-host",
              "First run of this program on the host",
              List.of("host.name", "Computer"),
              List.of("process.executable", "Image"),
              null,
              Duration.ofHours(24),
              50_000,
              512,
              "informational"),
          new FirstSeen(
              "new-service",
              "A service never installed before on the host",
              List.of("host.name", "Computer"),
              List.of("ServiceName", "winlog.event_data.ServiceName"),
              new String[] {"EventID", "7045"},
              Duration.ofHours(24),
              50_000,
              256,
              "medium"));

  public static final List<Spike> SPIKES =
      List.of(
          new Spike(
              "event-volume-spike",
              "Event volume far above the host's usual rate",
              List.of("host.name", "Computer"),
              6.0,
              200,
              0.05,
              30,
              50_000,
              "low"));

  /** A brute-force detector on events whose {@code outcome} field says failure or success. */
  public record BruteForce(
      String name,
      String title,
      List<String> source,
      List<String> target,
      String outcome,
      Duration window,
      int failures,
      int targets,
      int maxSources,
      String level) {}

  /** A fleet-rarity detector: {@code value} on a {@code host} (first present of each list). */
  public record Rare(
      String name,
      String title,
      List<String> host,
      List<String> value,
      String[] only,
      int maxHosts,
      int minFleet,
      Duration learn,
      int maxValues,
      String level) {}

  public static final List<BruteForce> BRUTE_FORCE =
      List.of(
          new BruteForce(
              "brute-force",
              "Failed logons from one source",
              List.of("source.ip", "IpAddress"),
              List.of("user.name", "TargetUserName"),
              "event.outcome",
              Duration.ofMinutes(10),
              10,
              5,
              100_000,
              "medium"));

  public static final List<Rare> RARE =
      List.of(
          new Rare(
              "rare-program-in-fleet",
              "A program the fleet has hardly ever run",
              List.of("host.name", "Computer"),
              List.of("process.executable", "Image"),
              null,
              2,
              10,
              Duration.ofHours(24),
              200_000,
              "low"));

  /** Which detectors run. */
  public record Config(
      List<FirstSeen> firstSeen, List<Spike> spikes, List<BruteForce> bruteForce, List<Rare> rare) {
    /** The detectors Rampart runs unless told otherwise. */
    public static final Config DEFAULTS = new Config(FIRST_SEEN, SPIKES, BRUTE_FORCE, RARE);

    public static final Config NONE = new Config(List.of(), List.of(), List.of(), List.of());

    public boolean isEmpty() {
      return firstSeen.isEmpty() && spikes.isEmpty() && bruteForce.isEmpty() && rare.isEmpty();
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long CHECKPOINT_NANOS = 30_000_000_000L;
  private final Shared shared;
  private final Watch[] watches;
  private long restoredOffset = -1;
  private long savedAt = System.nanoTime();
  private boolean dirty;

  public Anomalies(Config config, Function<EventSource, String> tenantOf) {
    this.shared = new Shared(tenantOf);
    List<Watch> w = new ArrayList<>();
    config.firstSeen().forEach(f -> w.add(new FirstSeenWatch(f, shared)));
    config.rare().forEach(r -> w.add(new RareWatch(r, shared)));
    config.spikes().forEach(s -> w.add(new SpikeWatch(s, shared)));
    config.bruteForce().forEach(b -> w.add(new BruteForceWatch(b, shared)));
    this.watches = w.toArray(Watch[]::new);
  }

  /** Entities evicted to keep state bounded. */
  public long evicted() {
    return shared.evicted;
  }

  /**
   * Looks at one event (in spool order); anomalies go to {@code out}. Events before the restored
   * checkpoint's offset were learnt before it was written and are passed over.
   */
  public void observe(Event e, long offset, List<Alert> out) {
    if (offset < restoredOffset) {
      return;
    }
    dirty = true;
    for (Watch w : watches) {
      w.observe(e, offset, out);
    }
  }

  /** The checkpoint's shape on disk: the next offset, then each detector's state by name. */
  private record Saved(long offset, java.util.Map<String, JsonNode> detectors) {}

  /**
   * Takes back what {@link #checkpoint} saved in {@code file}, if it exists; returns the offset it
   * covers (-1 without one). A damaged file is set aside as {@code .damaged} and learning starts
   * afresh (said in the log): learnt baselines are worth less than a server that starts.
   */
  public long restore(Path file) throws IOException {
    if (!Files.exists(file)) {
      return -1;
    }
    try {
      Saved saved = JSON.readValue(file.toFile(), Saved.class);
      for (Watch w : watches) {
        JsonNode state = saved.detectors().get(w.name());
        if (state != null) {
          w.load(state);
        }
      }
      restoredOffset = saved.offset();
    } catch (IOException | RuntimeException e) {
      Path aside = file.resolveSibling(file.getFileName() + ".damaged");
      Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
      org.slf4j.LoggerFactory.getLogger(Anomalies.class)
          .warn("anomaly state {} unreadable ({}); moved to {}, learning again", file, e, aside);
    }
    return restoredOffset;
  }

  /**
   * Saves what was learnt, as of spool {@code offset} (the next event to look at), atomically —
   * when something changed and the last save is 30 s old, or {@code now}. A crash loses at most
   * that much learning, never an alert (alerts are in the alert log already).
   */
  public void checkpoint(Path file, long offset, boolean now) throws IOException {
    if (!dirty || (!now && System.nanoTime() - savedAt < CHECKPOINT_NANOS)) {
      return;
    }
    java.util.Map<String, JsonNode> states = new java.util.LinkedHashMap<>();
    for (Watch w : watches) {
      states.put(w.name(), w.save());
    }
    DurableFiles.writeAtomically(file, JSON.writeValueAsBytes(new Saved(offset, states)));
    dirty = false;
    savedAt = System.nanoTime();
  }
}
