/**
 * The platform assembled in one process: ingestion, the event store, streaming detection, triage
 * into incidents, playbooks and the REST API. Entry point: {@link dev.rampart.server.Platform};
 * {@code rampart serve} starts it from a config file (docs/ingest-config.md).
 */
package dev.rampart.server;
