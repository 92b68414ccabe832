/** CVSS v2, v3.0, v3.1 and v4.0 scores from vectors: {@link dev.rampart.vuln.score.Cvss}. */
package dev.rampart.vuln.score;
