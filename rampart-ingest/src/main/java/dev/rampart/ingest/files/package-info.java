/**
 * Log files read whole, as a hunt reads a seized disk: {@link dev.rampart.ingest.files.LogFiles}
 * tells EVTX, JSON and text logs apart by their content and reads each into normalized events.
 */
package dev.rampart.ingest.files;
