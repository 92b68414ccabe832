/**
 * Streaming JSON codec for events: {@link dev.rampart.core.json.JsonEventReader} (NDJSON, arrays,
 * concatenated objects; bad records reported with line and byte offset and skipped) and {@link
 * dev.rampart.core.json.JsonEventWriter} (NDJSON that reads back into an equal event).
 */
package dev.rampart.core.json;
