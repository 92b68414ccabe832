/**
 * The ingestion server: {@link dev.rampart.ingest.server.IngestServer} starts the spool, the
 * pipeline and every input that {@link dev.rampart.ingest.server.IngestConfig} (the server's YAML
 * file) lists, and stops them in order. {@code rampart serve --config FILE} runs it.
 */
package dev.rampart.ingest.server;
