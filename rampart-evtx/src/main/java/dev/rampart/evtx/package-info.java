/**
 * A native reader for Windows XML EventLog ({@code .evtx}) files: a pure library, no threads of its
 * own.
 *
 * <p>Start at {@link dev.rampart.evtx.Evtx}. {@code file} reads the file header, chunks and records
 * with their checksums and reports damage with byte offsets; {@code binxml} parses the binary XML
 * token stream, templates and substitution values of a chunk; {@code render} writes a record as XML
 * or as JSON in the layout of the Rust {@code evtx} crate; {@link dev.rampart.evtx.EvtxEvents}
 * turns records into Rampart events through that JSON.
 */
package dev.rampart.evtx;
