/**
 * What to fix first: CVSS base scores of advisories ({@link dev.rampart.vuln.score.Cvss}) and the
 * CISA KEV catalog ({@link dev.rampart.vuln.priority.Kev}), combined per finding in {@link
 * dev.rampart.vuln.priority.Priority}.
 */
package dev.rampart.vuln.priority;
