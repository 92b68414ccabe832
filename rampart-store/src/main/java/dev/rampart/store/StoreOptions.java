package dev.rampart.store;

import dev.rampart.store.index.Indexer;
import dev.rampart.store.mapping.FieldType;
import java.util.Map;

/**
 * How a store opens.
 *
 * @param indexer indexing threads and buffer
 * @param mappingOverrides field types for fields not yet mapped (e.g. {@code message: keyword})
 * @param commitEvery events between commits while indexing from the spool
 */
public record StoreOptions(
    Indexer.Options indexer, Map<String, FieldType> mappingOverrides, long commitEvery) {
  public StoreOptions {
    mappingOverrides = Map.copyOf(mappingOverrides);
  }

  public static StoreOptions defaults() {
    return new StoreOptions(Indexer.Options.defaults(), Map.of(), 1_000_000);
  }

  /**
   * Bytes of a size as users write it: {@code 500MB}, {@code 200GB}, {@code 1.5T}, {@code 4096}
   * (powers of 1,024).
   *
   * @throws IllegalArgumentException with what was expected
   */
  public static long bytes(String size) {
    String u = size.strip().toUpperCase(java.util.Locale.ROOT);
    if (u.endsWith("B")) {
      u = u.substring(0, u.length() - 1);
    }
    int shift =
        u.isEmpty()
            ? 0
            : switch (u.charAt(u.length() - 1)) {
              case 'K' -> 10;
              case 'M' -> 20;
              case 'G' -> 30;
              case 'T' -> 40;
              default -> 0;
            };
    String num = shift == 0 ? u : u.substring(0, u.length() - 1).strip();
    try {
      double v = Double.parseDouble(num);
      if (v > 0 && Double.isFinite(v)) {
        return (long) (v * (1L << shift));
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException("a size such as 500MB or 200GB, not '" + size + "'");
  }

  public StoreOptions withOverrides(Map<String, FieldType> o) {
    return new StoreOptions(indexer, o, commitEvery);
  }
}
