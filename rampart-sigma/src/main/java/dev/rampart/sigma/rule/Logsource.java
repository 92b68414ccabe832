package dev.rampart.sigma.rule;

import java.util.Map;
import java.util.Objects;

/**
 * A Sigma log source: category, product, service (any may be null), the human definition and any
 * extra keys, which are preserved.
 */
public record Logsource(
    String category,
    String product,
    String service,
    String definition,
    Map<String, String> custom) {
  public static final Logsource EMPTY = new Logsource(null, null, null, null, Map.of());

  public Logsource {
    custom = Map.copyOf(custom);
  }

  public static Logsource of(String category, String product, String service) {
    return new Logsource(category, product, service, null, Map.of());
  }

  /**
   * True when every attribute this log source specifies is specified identically by {@code other}:
   * a rule for {@code product: windows} applies to an event source {@code product: windows,
   * service: security}, not the other way round.
   */
  public boolean isSatisfiedBy(Logsource other) {
    return (category == null || Objects.equals(category, other.category))
        && (product == null || Objects.equals(product, other.product))
        && (service == null || Objects.equals(service, other.service));
  }

  /** The triple as {@code product/category/service} with {@code -} for absent parts. */
  public String key() {
    return (product == null ? "-" : product)
        + "/"
        + (category == null ? "-" : category)
        + "/"
        + (service == null ? "-" : service);
  }

  public boolean isEmpty() {
    return category == null && product == null && service == null;
  }
}
