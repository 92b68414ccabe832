/**
 * Advisory data ({@link dev.rampart.vuln.advisory.Advisory}) and its readers: the Debian security
 * tracker's DSA/DLA lists ({@link dev.rampart.vuln.advisory.DebianTracker}).
 */
package dev.rampart.vuln.advisory;
