/**
 * Matching inventories against advisories: {@link dev.rampart.vuln.match.VulnDb} (the entry point
 * of the module: load advisories, match an inventory) and its {@link
 * dev.rampart.vuln.match.Finding}s, each explained.
 */
package dev.rampart.vuln.match;
