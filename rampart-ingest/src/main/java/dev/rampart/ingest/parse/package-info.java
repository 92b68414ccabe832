/**
 * Message parsers: {@link dev.rampart.ingest.parse.Parsers} is the registry (and {@code auto}
 * recognition); each format lives in its own package (syslog, cef, leef, kv, json) and maps to ECS
 * beside the native fields.
 */
package dev.rampart.ingest.parse;
