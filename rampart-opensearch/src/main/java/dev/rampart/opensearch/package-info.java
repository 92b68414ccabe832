/**
 * OpenSearch as an optional event store. Entry points: {@link dev.rampart.opensearch.EventIndexer}
 * (its own consumer of the events topic: index template, bulk writing with backpressure, dead
 * letters) and {@link dev.rampart.opensearch.OpenSearchSearch} (the hunting query language
 * translated to OpenSearch queries, for the console's search). {@link
 * dev.rampart.opensearch.QueryTranslator} is the translation as a pure function.
 */
package dev.rampart.opensearch;
