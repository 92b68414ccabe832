/**
 * The durable spool: {@link dev.rampart.ingest.spool.Spool} (segmented, checksummed, fsync before
 * acknowledgement, consumer offsets, retention) and {@link dev.rampart.ingest.spool.EventCodec},
 * its versioned binary event encoding.
 */
package dev.rampart.ingest.spool;
