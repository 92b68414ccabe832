package dev.rampart.alerting.anomaly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rampart.alerting.alert.Alert;
import dev.rampart.core.event.Event;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Failed logons from one source: {@code failures} of them within a sliding {@code window} is
 * password guessing (one or a few accounts) or a spray (at least {@code targets} accounts); a
 * success from that source while the failures are still in the window is a guessed password.
 */
final class BruteForceWatch implements Watch {
  private static final int MAX_NAMES = 64;
  private final Anomalies.BruteForce d;
  private final Shared shared;
  private final long window;
  private final Entities<Source> sources;

  /** One source address: its recent failures, the accounts tried, when it last alerted. */
  private static final class Source {
    final long[] ring; // the last `failures` failure times, oldest at head when full
    int head;
    int n;
    long burst; // failures since the gap before them exceeded the window
    long burstStart;
    long last = Long.MIN_VALUE;
    final Set<String> targets = new LinkedHashSet<>();
    long alertedAt = Long.MIN_VALUE;
    long succeededAt = Long.MIN_VALUE;

    Source(int failures) {
      ring = new long[failures];
    }

    long oldest() {
      return n < ring.length ? Long.MIN_VALUE : ring[head];
    }
  }

  BruteForceWatch(Anomalies.BruteForce d, Shared shared) {
    this.d = d;
    this.shared = shared;
    this.window = d.window().toNanos();
    this.sources = new Entities<>(d.maxSources(), shared);
  }

  @Override
  public String name() {
    return d.name();
  }

  @Override
  public void observe(Event e, long offset, List<Alert> out) {
    String outcome = e.getText(d.outcome());
    if (outcome == null) {
      return;
    }
    boolean failure = outcome.equals("failure");
    if (!failure && !outcome.equals("success")) {
      return;
    }
    String source = Shared.first(e, d.source());
    if (source == null) {
      return;
    }
    String target = Shared.first(e, d.target());
    long t = e.timestamp();
    if (!failure) {
      Source s = sources.peek(shared.tenant(e), source);
      // a burst of at least `failures` failures is going on (its last one within the window)
      if (s != null
          && s.burst >= d.failures()
          && t - s.last <= window
          && s.succeededAt < s.burstStart) {
        s.succeededAt = t;
        out.add(alert(e, offset, s, source, target, true));
      }
      return;
    }
    Source s = sources.get(shared.tenant(e), source, () -> new Source(d.failures()));
    if (s.last == Long.MIN_VALUE || t - s.last > window) {
      s.burst = 0;
      s.burstStart = t;
      s.targets.clear();
    }
    s.burst++;
    s.last = Math.max(s.last, t);
    if (target != null && s.targets.size() < MAX_NAMES) {
      s.targets.add(target.toLowerCase(Locale.ROOT));
    }
    s.ring[(s.head + s.n) % s.ring.length] = t;
    if (s.n < s.ring.length) {
      s.n++;
    } else {
      s.head = (s.head + 1) % s.ring.length;
    }
    if (s.n == s.ring.length
        && t - s.oldest() <= window
        && (s.alertedAt == Long.MIN_VALUE || t - s.alertedAt > window)) {
      s.alertedAt = t;
      out.add(alert(e, offset, s, source, target, false));
    }
  }

  private Alert alert(
      Event e, long offset, Source s, String source, String target, boolean success) {
    boolean spray = s.targets.size() >= d.targets();
    String accounts =
        s.targets.size()
            + (s.targets.size() >= MAX_NAMES ? "+" : "")
            + " account(s): "
            + String.join(", ", s.targets.stream().limit(10).toList())
            + (s.targets.size() > 10 ? ", …" : "");
    Map<String, List<String>> matched = new LinkedHashMap<>();
    matched.put(d.source().get(0), List.of(source));
    if (target != null) {
      matched.put(d.target().get(0), List.of(target));
    }
    matched.put(
        "baseline",
        List.of(
            s.burst
                + " failed logons from "
                + source
                + " in "
                + human(Duration.ofNanos(Math.max(0, s.last - s.burstStart)))
                + " against "
                + accounts
                + "; threshold "
                + d.failures()
                + " within "
                + human(d.window())
                + (success
                    ? "; then a successful logon" + (target == null ? "" : " as " + target)
                    : "")));
    String title =
        success
            ? "Successful logon after "
                + s.burst
                + " failures from "
                + source
                + (target == null ? "" : " (" + target + ")")
            : (spray ? "Password spray from " : "Password guessing from ")
                + source
                + (spray ? " (" + s.targets.size() + " accounts)" : "");
    return shared.alert(
        d.name() + (success ? "-success" : spray ? "-spray" : ""),
        title,
        success ? "high" : d.level(),
        e,
        offset,
        source + (success ? ":success" : ""),
        matched,
        Shared.host(e),
        success ? target : spray ? null : target);
  }

  private static String human(Duration d) {
    long s = d.toSeconds();
    return s < 60
        ? s + "s"
        : s < 3600
            ? (s / 60) + "m" + (s % 60 == 0 ? "" : (s % 60) + "s")
            : (s / 3600) + "h" + (s % 3600 / 60) + "m";
  }

  @Override
  public JsonNode save() {
    return sources.save(
        s -> {
          ObjectNode o = JsonNodeFactory.instance.objectNode();
          ArrayNode ring = o.putArray("ring");
          for (int i = 0; i < s.n; i++) {
            ring.add(s.ring[(s.head + i) % s.ring.length]);
          }
          o.put("burst", s.burst);
          o.put("burst_start", s.burstStart);
          o.put("last", s.last);
          ArrayNode tg = o.putArray("targets");
          s.targets.forEach(tg::add);
          o.put("alerted", s.alertedAt);
          o.put("succeeded", s.succeededAt);
          return o;
        });
  }

  @Override
  public void load(JsonNode state) {
    sources.load(
        state,
        o -> {
          Source s = new Source(d.failures());
          for (JsonNode x : o.path("ring")) {
            s.ring[(s.head + s.n) % s.ring.length] = x.asLong();
            if (s.n < s.ring.length) {
              s.n++;
            } else {
              s.head = (s.head + 1) % s.ring.length;
            }
          }
          s.burst = o.path("burst").asLong();
          s.burstStart = o.path("burst_start").asLong();
          s.last = o.path("last").asLong(Long.MIN_VALUE);
          o.path("targets").forEach(x -> s.targets.add(x.asText()));
          s.alertedAt = o.path("alerted").asLong(Long.MIN_VALUE);
          s.succeededAt = o.path("succeeded").asLong(Long.MIN_VALUE);
          return s;
        });
  }
}
