/**
 * Vulnerability assessment: what assets run ({@code inventory}), how each ecosystem orders versions
 * ({@code version}), what advisories say ({@code advisory}), and which packages they affect ({@code
 * match}; start at {@link dev.rampart.vuln.match.VulnDb}).
 */
package dev.rampart.vuln;
