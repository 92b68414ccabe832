package dev.rampart.alerting.correlate;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rampart.alerting.alert.Alert;
import dev.rampart.core.event.Event;
import dev.rampart.core.event.EventSource;
import dev.rampart.core.io.DurableFiles;
import dev.rampart.sigma.correlate.Correlator;
import dev.rampart.sigma.rule.SigmaCorrelation;
import dev.rampart.sigma.rule.SigmaRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Sigma correlation rules in the running platform, on the detector's pass over the spool: matches
 * of referenced rules become signals (grouped per tenant), correlation matches become alerts. The
 * correlator's windows are written to a checkpoint file before the detector commits its spool
 * offset, so after a crash the windows come back and the events replayed after the checkpoint's
 * offset are the only ones fed again: no window is lost, no signal counted twice.
 */
public final class StreamingCorrelations {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The signal field that carries the tenant, by which correlations partition. */
  public static final String TENANT = "rampart.tenant";

  // Signals newer than this before now mean a live stream, whose clock may close windows.
  static final long LIVE_NANOS = 600_000_000_000L;

  private final Correlator correlator;
  private final Path state;
  private final Function<EventSource, String> tenantOf;
  private final long restoredOffset;
  private final long lateness;
  private boolean dirty;

  /**
   * @param state the checkpoint file (read at start when present)
   * @param latenessNanos how far out of order events may come before their windows are judged
   */
  public StreamingCorrelations(
      List<SigmaCorrelation> correlations,
      List<SigmaRule> rules,
      Path state,
      long latenessNanos,
      Function<EventSource, String> tenantOf)
      throws IOException {
    this(correlations, rules, state, Correlator.Options.streaming(latenessNanos), tenantOf);
  }

  /**
   * @param options the bounds on state (groups per correlation, signals per group) and the
   *     lateness; signals are partitioned by tenant whatever they say
   */
  public StreamingCorrelations(
      List<SigmaCorrelation> correlations,
      List<SigmaRule> rules,
      Path state,
      Correlator.Options options,
      Function<EventSource, String> tenantOf)
      throws IOException {
    this.correlator = new Correlator(correlations, rules, options.partitionedBy(TENANT));
    this.state = state;
    this.tenantOf = tenantOf;
    this.lateness = options.latenessNanos();
    long offset = -1;
    if (Files.exists(state)) {
      try {
        Saved saved = JSON.readValue(state.toFile(), Saved.class);
        correlator.restore(new Correlator.Snapshot(saved.pending(), saved.groups()));
        offset = saved.offset();
      } catch (IOException | RuntimeException e) {
        // A damaged checkpoint must not keep the server down: it is set aside for a look, and
        // correlation starts with empty windows (what spanned the crash is lost, and said so).
        Path aside = state.resolveSibling(state.getFileName() + ".damaged");
        Files.move(state, aside, StandardCopyOption.REPLACE_EXISTING);
        org.slf4j.LoggerFactory.getLogger(StreamingCorrelations.class)
            .warn(
                "correlation checkpoint {} unreadable ({}); moved to {}, windows start empty",
                state,
                e.getMessage(),
                aside);
      }
    }
    this.restoredOffset = offset;
  }

  /** The checkpoint's shape on disk. */
  record Saved(
      long offset, List<Correlator.Signal> pending, Map<String, List<Correlator.Signal>> groups) {}

  public boolean listensTo(String ruleKey) {
    return correlator.listensTo(ruleKey);
  }

  /** Whether the rule's own alerts are withheld (it only feeds correlations). */
  public boolean silenced(String ruleKey) {
    return correlator.silenced(ruleKey);
  }

  public Correlator correlator() {
    return correlator;
  }

  /**
   * Feeds the match of {@code rule} on the event at {@code offset}; correlation alerts go to {@code
   * out}. Events that start before the restored checkpoint's offset were fed before the crash.
   */
  public void signal(SigmaRule rule, Event e, long offset, long nowNanos, List<Alert> out) {
    if (offset < restoredOffset) {
      return;
    }
    dirty = true;
    correlator.accept(
        signalOf(correlator, rule, e, offset, tenantOf.apply(e.source())),
        m -> out.add(alert(m, nowNanos)));
  }

  /**
   * The signal a match of {@code rule} on the event at spool {@code offset} gives: the fields the
   * correlations need and the tenant (the partition, for a correlator partitioned by {@link
   * #TENANT}). Every engine builds signals here, so they group the same.
   */
  public static Correlator.Signal signalOf(
      Correlator correlator, SigmaRule rule, Event e, long offset, String tenant) {
    String key = Correlator.key(rule);
    Map<String, String> fields = new HashMap<>();
    for (String f : correlator.fieldsFor(key)) {
      String v = e.getText(f);
      if (v != null) {
        fields.put(f, v);
      }
    }
    fields.put(TENANT, tenant);
    return new Correlator.Signal(key, e.timestamp(), fields, Long.toString(offset));
  }

  /**
   * Lets the wall clock move the watermark when events are quiet: nothing older than now minus the
   * lateness is expected any more, so windows that ended before it are judged.
   */
  public void tick(long nowNanos, List<Alert> out) {
    long newest = correlator.newest();
    if (newest == Long.MIN_VALUE || newest < nowNanos - LIVE_NANOS) {
      return; // old events (an import of last year's logs): only event time may move the watermark
    }
    long before = out.size();
    correlator.advance(nowNanos - lateness, m -> out.add(alert(m, nowNanos)));
    if (out.size() > before) {
      dirty = true;
    }
  }

  /**
   * The alert of a correlation match; its id comes from the rule and the window's first and last
   * event (spool offsets), so every engine that finds the same window raises the same alert.
   */
  public static Alert alert(Correlator.Match m, long nowNanos) {
    SigmaCorrelation c = m.rule();
    List<String> techniques = dev.rampart.sigma.rule.AttackTags.techniques(c.tags());
    List<Long> ids = new ArrayList<>();
    for (String r : m.refs()) {
      try {
        ids.add(Long.parseLong(r));
      } catch (NumberFormatException e) {
        // a chained correlation's reference: not an event id
      }
    }
    Map<String, List<String>> matched = new LinkedHashMap<>();
    m.group().forEach((k, v) -> matched.put(k, List.of(v)));
    String id = c.id() != null ? c.id() : c.name() != null ? c.name() : c.title();
    return new Alert(
        "correlation:" + id + "@" + m.refs().get(0) + "-" + m.refs().get(m.refs().size() - 1),
        id,
        c.title(),
        c.level().label(),
        c.tags(),
        techniques,
        ids,
        m.last(),
        nowNanos,
        matched,
        new Alert.Entities(
            pick(m.group(), "host.name", "Computer", "host", "Hostname"),
            pick(m.group(), "user.name", "TargetUserName", "SubjectUserName", "user"),
            pick(m.group(), "source.ip", "IpAddress", "src_ip", "SourceIp"),
            pick(m.group(), "process.executable", "Image", "process.name", "exe")),
        m.partition());
  }

  private static String pick(Map<String, String> group, String... names) {
    for (String n : names) {
      String v = group.get(n);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  /**
   * Writes the windows held, as of the spool {@code offset} the detector is about to commit
   * (atomically: a crash leaves the previous checkpoint or this one).
   */
  public void checkpoint(long offset) throws IOException {
    if (!dirty) {
      return;
    }
    Correlator.Snapshot snap = correlator.snapshot();
    DurableFiles.writeAtomically(
        state, JSON.writeValueAsBytes(new Saved(offset, snap.pending(), snap.groups())));
    dirty = false;
  }
}
