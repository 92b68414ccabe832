package dev.rampart.core.normalize;

import dev.rampart.core.event.Event;
import java.util.List;

/**
 * The registry of normalizers, tried in order; the first that recognises an event's shape wins, and
 * the timestamp fallback runs on whatever is left without a time.
 */
public final class Normalizers {
  private static final List<Normalizer> ALL =
      List.of(
          new WindowsNormalizer(),
          new SuricataNormalizer(),
          new ZeekNormalizer(),
          new CloudTrailNormalizer(),
          new AzureNormalizer(),
          new M365Normalizer(),
          new GcpAuditNormalizer(),
          new OktaNormalizer(),
          new GitHubAuditNormalizer(),
          new KubernetesAuditNormalizer(),
          new JournaldNormalizer());
  private static final TimestampNormalizer FALLBACK = new TimestampNormalizer();

  private Normalizers() {}

  /** Every normalizer, fallback last, for listings. */
  public static List<Normalizer> all() {
    List<Normalizer> all = new java.util.ArrayList<>(ALL);
    all.add(FALLBACK);
    return List.copyOf(all);
  }

  /** Normalizes in place; returns the normalizer that recognised the event, or null. */
  public static Normalizer normalize(Event e) {
    for (Normalizer n : ALL) {
      if (n.normalize(e)) {
        FALLBACK.normalize(e);
        return n;
      }
    }
    return FALLBACK.normalize(e) ? FALLBACK : null;
  }
}
