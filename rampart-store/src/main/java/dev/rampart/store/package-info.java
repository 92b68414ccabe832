/**
 * The event store: events from the spool (or NDJSON files) in embedded Apache Lucene indexes, one
 * per UTC day, searched with Rampart's hunting query language. Entry point: {@link
 * dev.rampart.store.EventStore}.
 *
 * <p>Packages follow the work: {@code mapping} (which Lucene field type each event field gets,
 * inferred and overridable, persisted), {@code index} (event to Lucene document, day partitions,
 * the spool consumer with committed offsets), {@code query} (the language: parser, syntax tree,
 * errors with columns) and {@code search} (plans a query onto Lucene, aggregates over doc values,
 * and a brute-force reference that tests hold the fast path to).
 */
package dev.rampart.store;
