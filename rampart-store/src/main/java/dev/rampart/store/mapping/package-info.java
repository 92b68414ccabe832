/** Which Lucene field type each event field gets: inferred, overridable, persisted. */
package dev.rampart.store.mapping;
