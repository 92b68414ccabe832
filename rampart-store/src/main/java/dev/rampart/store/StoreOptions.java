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

  public StoreOptions withOverrides(Map<String, FieldType> o) {
    return new StoreOptions(indexer, o, commitEvery);
  }
}
