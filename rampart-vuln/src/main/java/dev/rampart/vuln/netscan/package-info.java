/**
 * Network-side assessment: a bounded TCP connect scan with TLS checks, {@link
 * dev.rampart.vuln.netscan.NetScan}.
 */
package dev.rampart.vuln.netscan;
