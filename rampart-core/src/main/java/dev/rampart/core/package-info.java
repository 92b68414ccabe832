/**
 * Rampart's event model and its JSON input and output; every other module depends on this one and
 * this one on none of them.
 *
 * <p>Start at {@link dev.rampart.core.Events}: it opens log files (plain, gzip or zstd) as a stream
 * of {@link dev.rampart.core.event.Event}s and writes them back as NDJSON. The model itself is in
 * {@code event}, the streaming JSON codec in {@code json}, file handling and problem reporting in
 * {@code io}, and the source-specific normalisers that add ECS fields beside native ones in {@code
 * normalize}.
 */
package dev.rampart.core;
