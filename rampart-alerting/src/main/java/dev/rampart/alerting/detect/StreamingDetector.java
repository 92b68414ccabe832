package dev.rampart.alerting.detect;

import dev.rampart.alerting.alert.Alert;
import dev.rampart.alerting.alert.AlertBuilder;
import dev.rampart.alerting.alert.AlertLog;
import dev.rampart.core.event.Event;
import dev.rampart.core.event.Timestamps;
import dev.rampart.ingest.spool.Spool;
import dev.rampart.sigma.compile.SigmaEngine;
import dev.rampart.sigma.compile.SigmaMatcher;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Real-time detection: reads the spool from the detector's committed offset as events become
 * durable, runs the Sigma engine over each, writes an alert per match to the {@link AlertLog}
 * (durable), and only then commits the offset. A crash replays from the last commit; alert ids are
 * deterministic and the log keeps each once, so nothing is lost or doubled.
 */
public final class StreamingDetector {
  /** The spool consumer name of detection. */
  public static final String CONSUMER = "detection";

  private final Spool spool;
  private final SigmaEngine engine;
  private final AlertLog log;
  private final SigmaMatcher matcher;
  private final AlertBuilder builder;
  private final Consumer<List<Alert>> listener;
  private long events;
  private long alerts;
  // Where the next pass starts; committed to the spool at most every COMMIT_NANOS (a commit is
  // an fsync, and a crash only replays what the alert log already deduplicates).
  private long position = -1;
  private long committedAt;
  private long committed = -1;
  private static final long COMMIT_NANOS = 200_000_000L;

  /**
   * @param listener told of the alerts each pass wrote (after they are durable), e.g. to notify
   */
  public StreamingDetector(
      Spool spool, SigmaEngine engine, AlertLog log, Consumer<List<Alert>> listener) {
    this(spool, engine, log, listener, s -> Alert.DEFAULT_TENANT);
  }

  /**
   * @param tenantOf the tenant each event (so each alert) belongs to, from its source
   */
  public StreamingDetector(
      Spool spool,
      SigmaEngine engine,
      AlertLog log,
      Consumer<List<Alert>> listener,
      java.util.function.Function<dev.rampart.core.event.EventSource, String> tenantOf) {
    this.spool = spool;
    this.engine = engine;
    this.log = log;
    this.matcher = engine.newMatcher();
    this.builder = new AlertBuilder(engine.mapping(), tenantOf);
    this.listener = listener;
  }

  /**
   * More detection on the same pass over the spool (threat-intel matching): sees every event and
   * adds alerts, which then go the same way (alert log first, then listeners).
   */
  public interface Extra {
    void on(Event e, long offset, List<Alert> out);

    /**
     * Called before the detector commits spool {@code offset} (the next event to look at): a chance
     * to save learnt state; {@code now} at the last commit before stopping.
     */
    default void checkpoint(long offset, boolean now) throws IOException {}
  }

  private Extra extra;
  private dev.rampart.alerting.correlate.StreamingCorrelations correlations;

  /** Evaluates Sigma correlation rules on the same pass; returns this. */
  public StreamingDetector correlating(dev.rampart.alerting.correlate.StreamingCorrelations c) {
    this.correlations = c;
    return this;
  }

  /** Runs {@code x} on every event too; returns this. */
  public StreamingDetector also(Extra x) {
    this.extra = x;
    return this;
  }

  /** Detects over everything durable after the committed offset; returns the offset reached. */
  public long catchUp() throws IOException {
    if (position < 0) {
      position = committed = spool.committed(CONSUMER);
    }
    long from = position;
    List<Alert> found = new ArrayList<>();
    long end =
        spool.read(
            from,
            (e, offset, next) -> {
              events++;
              int n = matcher.match(e);
              if (n > 0) {
                long now = Timestamps.fromInstant(Instant.now());
                for (int i = 0; i < n; i++) {
                  var rule = engine.rule(matcher.matched(i));
                  if (correlations != null) {
                    String key = dev.rampart.sigma.correlate.Correlator.key(rule);
                    if (correlations.listensTo(key)) {
                      correlations.signal(rule, e, offset, now, found);
                      if (correlations.silenced(key)) {
                        continue; // it only feeds correlations (generate: false)
                      }
                    }
                  }
                  found.add(builder.build(rule, e, offset, now));
                }
              }
              if (extra != null) {
                extra.on(e, offset, found);
              }
            });
    if (end <= from) {
      if (correlations != null) {
        // quiet: the clock moves the correlation watermark instead of events
        List<Alert> closed = new ArrayList<>();
        correlations.tick(Timestamps.fromInstant(Instant.now()), closed);
        if (!closed.isEmpty()) {
          List<Alert> written = log.append(closed);
          alerts += written.size();
          if (!written.isEmpty()) {
            listener.accept(written);
          }
        }
      }
      commitIfDue(false);
      return from;
    }
    List<Alert> written = log.append(found); // durable before the offset moves past them
    alerts += written.size();
    position = end;
    commitIfDue(false);
    if (!written.isEmpty()) {
      listener.accept(written);
    }
    return end;
  }

  /** Commits the position when it moved and the last commit is old enough (or {@code now}). */
  public void commitIfDue(boolean now) throws IOException {
    if (extra != null && position >= 0) {
      extra.checkpoint(position, now); // it decides how often (learnt state can wait a little)
    }
    if (position > committed && (now || System.nanoTime() - committedAt >= COMMIT_NANOS)) {
      if (correlations != null) {
        correlations.checkpoint(position); // the windows first: never behind the offset
      }
      spool.commit(CONSUMER, position);
      committed = position;
      committedAt = System.nanoTime();
    }
  }

  /** {@link #catchUp} until {@code stop}, pausing {@code pollMillis} when nothing was new. */
  public void run(BooleanSupplier stop, long pollMillis) throws IOException {
    try {
      while (!stop.getAsBoolean()) {
        long before = position;
        if (catchUp() == before) {
          try {
            Thread.sleep(pollMillis);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    } finally {
      commitIfDue(true);
    }
  }

  /** The offset the next pass starts at (committed or about to be). */
  public long position() {
    return position;
  }

  /** Events examined so far. */
  public long events() {
    return events;
  }

  /** Alerts written so far (not counting replayed ones the log already had). */
  public long alerts() {
    return alerts;
  }
}
