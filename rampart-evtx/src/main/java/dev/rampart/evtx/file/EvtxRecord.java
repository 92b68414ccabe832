package dev.rampart.evtx.file;

import dev.rampart.evtx.binxml.XmlNode;

/**
 * One event record.
 *
 * @param recordId the record identifier (EventRecordID)
 * @param writtenNanos when the record was written, epoch nanoseconds
 * @param root the record's XML, normally {@code <Event>}
 * @param chunk 0-based chunk number in the file
 * @param fileOffset byte offset of the record in the (decompressed) file
 */
public record EvtxRecord(
    long recordId, long writtenNanos, XmlNode.Element root, int chunk, long fileOffset) {}
